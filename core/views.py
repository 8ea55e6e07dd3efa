"""Pages of core: home, help, accessibility, legal notice, public reference rates, error pages, the journal."""

from datetime import date
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import jobs, selectors
from .enums import JobStatus
from .files import safe_filename
from .filters import AuditEventFilter
from .forms import ReferenceDateForm
from .glossary import GLOSSARY
from .mixins import FilteredTableView, RoleRequiredMixin
from .pdf import pdf_response, render_reference_rates
from .tables import AuditEventTable
from .todo import todo_for

DOMAIN_APPS = ("apprenticeship", "lycee_aid", "bts_fees")
# When the accessibility statement was last checked against the automatic checks of the test suite.
ACCESSIBILITY_CHECKED_ON = date(2026, 12, 2)


def home(request):
    """Each role lands on its own dashboard; every app contributes one section."""
    sections = []
    for app in DOMAIN_APPS:
        data = import_module(f"{app}.selectors").dashboard(request.user)
        if data is not None:
            sections.append({"template": f"{app}/_home.html", "data": data})
    return render(request, "core/home.html", {"sections": sections, "todo": todo_for(request.user)})


def _about_context() -> dict:
    return {
        "organisation": settings.ORGANISATION_NAME,
        "organisation_address": settings.ORGANISATION_ADDRESS,
        "contact_email": settings.CONTACT_EMAIL,
    }


@login_not_required
@require_GET
def help_page(request):
    """Public help: where to find the public rates, the glossary of the three schemes, whom to ask."""
    return render(request, "core/help.html", {**_about_context(), "glossary": GLOSSARY})


@login_not_required
@require_GET
def accessibility(request):
    """Public accessibility statement (WCAG 2.1 AA): what is checked, how to report a defect."""
    return render(request, "core/accessibility.html", {**_about_context(), "statement_date": ACCESSIBILITY_CHECKED_ON})


@login_not_required
@require_GET
def legal(request):
    """Public legal notice: publisher, personal data, cookies."""
    return render(request, "core/legal.html", _about_context())


def _reference_context(request) -> dict:
    form = ReferenceDateForm(request.GET or None)
    on = timezone.localdate()
    if form.is_valid() and form.cleaned_data.get("date"):
        on = form.cleaned_data["date"]
    context = {
        "form": form,
        "on": on,
        "index_history": selectors.index_history(),
        "ssm_history": selectors.ssm_history(),
    }
    try:
        context["index"] = selectors.index_in_force(on)
        context["ssm"] = selectors.ssm_in_force(on)
    except selectors.ReferenceDataMissing as exc:
        context["missing"] = str(exc)
    return context


@login_not_required
@require_GET
def reference_rates(request):
    """Public page "Barèmes en vigueur": index and SSM in force on a chosen date, with history."""
    return render(request, "core/reference_rates.html", _reference_context(request))


@login_not_required
@require_GET
def reference_rates_pdf(request):
    context = _reference_context(request)
    return pdf_response(render_reference_rates(context), filename=f"baremes-en-vigueur-{context['on']:%Y-%m-%d}")


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)


class JournalView(RoleRequiredMixin, FilteredTableView):
    """Officers read the append-only journal of business events."""

    allow_officer = True
    table_class = AuditEventTable
    filterset_class = AuditEventFilter
    template_name = "core/journal.html"
    export_name = "journal"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "crumbs": [(_("Journal des événements"), None)]}

    def get_queryset(self):
        return selectors.audit_events_for(self.request.user)


def job_list(request):
    jobs = selectors.jobs_for(request.user)[:50]
    return render(request, "core/job_list.html", {"jobs": jobs, "crumbs": [(_("Mes tâches de fond"), None)]})


def job_detail(request, pk):
    """Progress of one job; htmx polls the partial until the job is finished."""
    job = selectors.job_for(request.user, pk)
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    crumbs = [(_("Mes tâches de fond"), reverse("core:jobs")), (job.label, None)]
    context = {
        "job": job,
        "crumbs": crumbs,
        "waiting_for_worker": jobs.waiting_for_worker(job),
        "stale_minutes": max(1, settings.JOB_STALE_AFTER // 60),
        "failed_parts": jobs.failed_parts(job),
    }
    return render(request, template, context)


@require_POST
def job_retry(request, pk):
    """Queue again the documents a failed job could not produce (the others are kept)."""
    job = selectors.job_for(request.user, pk)
    try:
        jobs.job_retry(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Les documents manquants sont remis en file d'attente."))
    return redirect("core:job_detail", job.pk)


def job_redirect(request, job):
    """After `job_start`: to the job's page, saying so when an identical job was already pending."""
    if getattr(job, "already_pending", False):
        messages.info(request, _("Une tâche identique est déjà en attente ou en cours : voici son avancement."))
    return redirect("core:job_detail", job.pk)


def job_download(request, pk):
    job = selectors.job_for(request.user, pk)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404(_("Le résultat de cette tâche n'est pas disponible."))
    response = FileResponse(
        job.result.open("rb"), as_attachment=True, filename=safe_filename(Path(job.result.name).name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
