"""Views of the ARE: scope through a selector, bind a form, call one service, message, redirect."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.files import content_disposition
from core.jobs import job_start
from core.middleware import accepts_upload
from core.mixins import FilteredTableView, RoleRequiredMixin
from core.pdf import pdf_response
from core.selectors import is_lycee_staff
from core.templatetags.bareme import eur
from core.views import job_redirect
from core.web import apply_errors, form_submit, require_role, run_command

from . import pdf, permissions, selectors, services
from .enums import CpgeRefusal, DotationStatus, RequestStatus
from .filters import CampaignFilter, CpgeFilter, FormationFilter, RequestFilter, UsageReportFilter
from .forms import (
    CpgeAidForm,
    CpiChoiceForm,
    CpiValueForm,
    DecisionForm,
    EnrolmentsForm,
    ForfaitsForm,
    FormationsImportForm,
    SchoolYearForm,
    SituationForm,
    SupplementaryRequestForm,
    UploadForm,
    UsageReportForm,
    VoteForm,
)
from .parsing import MAX_UPLOAD_BYTES
from .rules import CPGE_FAMILY_QUOTIENT_CEILING
from .tables import CampaignTable, CpgeTable, FormationTable, RequestTable, UsageReportTable

# -- helpers -----------------------------------------------------------------------------------


def _officer(request):
    require_role(request.user, officer=permissions.SCHEME)


def _member(request):
    require_role(request.user, officer=permissions.SCHEME, staff=True)


def _year_url(year):
    return reverse("lycee_aid:year_detail", args=[year.pk])


def _lycee_year_url(year, school):
    return reverse("lycee_aid:lycee_year", args=[year.pk, school.pk])


def year_crumbs(request, year, *more):
    crumbs = [(_("ARE"), reverse("lycee_aid:year_list"))]
    if permissions.is_are_officer(request.user):
        crumbs.append((year.label, reverse("lycee_aid:year_detail", args=[year.pk])))
    else:
        crumbs.append((year.label, None if not more else None))
    return crumbs + list(more)


def _lycee_year(request, year_pk, school_pk):
    _member(request)
    return selectors.school_year_get(request.user, year_pk), selectors.lycee_get(request.user, school_pk)


# -- school years, forfaits, CPI ---------------------------------------------------------------


def year_list(request):
    _member(request)
    years = list(selectors.school_year_list(request.user))
    lycees = list(selectors.lycee_list(request.user)) if is_lycee_staff(request.user) else []
    return render(request, "lycee_aid/schoolyear_list.html", {"years": years, "lycees": lycees})


def year_create(request):
    _officer(request)
    form = SchoolYearForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda data: services.school_year_open(actor=request.user, start_year=data["start_year"]),
        success=lambda year: _("L'année scolaire %(y)s est ouverte.") % {"y": year.label},
        then=_year_url,
    )
    crumbs = [(_("ARE"), reverse("lycee_aid:year_list")), (_("Nouvelle année scolaire"), None)]
    return done or render(request, "form.html", {"form": form, "crumbs": crumbs, "title": _("Nouvelle année scolaire")})


def year_detail(request, pk):
    _officer(request)
    year = selectors.school_year_get(request.user, pk)
    dotations = selectors.dotation_list(request.user, school_year=year)
    context = {
        "year": year,
        "formation_count": selectors.formation_list(request.user, school_year=year).count(),
        "totals": selectors.campaign_totals(dotations),
        "vote_form": VoteForm(),
        "crumbs": year_crumbs(request, year)[:-1] + [(year.label, None)],
    }
    return render(request, "lycee_aid/schoolyear_detail.html", context)


def forfaits(request, pk):
    _officer(request)
    year = selectors.school_year_get(request.user, pk)
    choice = CpiChoiceForm(request.GET or None)
    valid = choice.is_bound and choice.is_valid()  # e.g. a NUL byte is refused here, not by PostgreSQL
    series = choice.cleaned_data["series_id"] if valid else ""
    base = choice.cleaned_data["base"] if valid else ""
    proposal, problem = None, None
    try:
        kwargs = {k: v for k, v in {"series_id": series, "base": base}.items() if v}
        proposal = selectors.forfaits_propose(actor=request.user, school_year=year, **kwargs)
    except ValidationError as exc:
        problem = " ".join(exc.messages)
    initial = {
        "forfait_amount": year.forfait_amount,
        "forfait_prepa_metiers_amount": year.forfait_prepa_metiers_amount,
        "forfait_cpge_amount": year.forfait_cpge_amount,
        "order_reference": year.order_reference,
        "order_date": year.order_date,
        "cpi_evolution_percent": year.cpi_evolution_percent,
    }
    if proposal and not year.forfaits_confirmed:
        initial.update(
            forfait_amount=proposal.forfait,
            forfait_prepa_metiers_amount=proposal.forfait_prepa_metiers,
            forfait_cpge_amount=proposal.forfait_cpge,
            cpi_evolution_percent=proposal.evolution_percent,
        )
    form = ForfaitsForm(request.POST or None, initial=initial)
    done = form_submit(
        request,
        form,
        lambda data: services.forfaits_confirm(actor=request.user, school_year=year, **data),
        success=_("Les forfaits %(y)s sont confirmés.") % {"y": year.label},
        then=_year_url(year),
    )
    if done:
        return done
    context = {
        "year": year,
        "form": form,
        "choice": choice if choice.is_bound else CpiChoiceForm(),
        "proposal": proposal,
        "problem": problem,
        "crumbs": year_crumbs(request, year, (_("Forfaits"), None)),
    }
    return render(request, "lycee_aid/forfaits.html", context)


def cpi_list(request):
    _officer(request)
    form = CpiValueForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda data: services.cpi_value_record(actor=request.user, **data),
        success=_("L'indice est enregistré."),
        then=reverse("lycee_aid:cpi_list"),
    )
    if done:
        return done
    crumbs = [(_("ARE"), reverse("lycee_aid:year_list")), (_("Indices des prix"), None)]
    context = {"form": form, "values": selectors.cpi_value_list(request.user)[:60], "crumbs": crumbs}
    return render(request, "lycee_aid/cpivalue_list.html", context)


# -- formations --------------------------------------------------------------------------------


class FormationListView(RoleRequiredMixin, FilteredTableView):
    allow_officer = allow_staff = True
    officer_scheme = permissions.SCHEME
    table_class = FormationTable
    filterset_class = FormationFilter
    template_name = "lycee_aid/formation_list.html"
    export_name = "formations-eligibles"

    def get_queryset(self):
        self.year = selectors.school_year_get(self.request.user, self.kwargs["pk"])
        return selectors.formation_list(self.request.user, school_year=self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year"] = self.year
        context["crumbs"] = year_crumbs(self.request, self.year, (_("Formations éligibles"), None))
        return context


@accepts_upload(MAX_UPLOAD_BYTES)
def formations_import(request, pk):
    _officer(request)
    year = selectors.school_year_get(request.user, pk)
    form = FormationsImportForm(request.POST or None, request.FILES or None)
    done = form_submit(
        request,
        form,
        lambda data: services.formations_import(actor=request.user, school_year=year, text=data["text"]),
        success=lambda report: (
            _(
                "%(n)d formations lues : %(c)d ajoutées, %(u)d modifiées, %(k)d inchangées ; %(i)d lignes hors tableau ignorées."
            )
            % {
                "n": report.rows,
                "c": report.created,
                "u": report.updated,
                "k": report.unchanged,
                "i": report.ignored_lines,
            }
        ),
        then=reverse("lycee_aid:formation_list", args=[year.pk]),
    )
    if done:
        return done
    crumbs = year_crumbs(request, year, (_("Importer la liste des formations"), None))
    return render(
        request,
        "form.html",
        {
            "form": form,
            "crumbs": crumbs,
            "title": _("Importer la liste des formations %(y)s") % {"y": year.label},
            "multipart": True,
        },
    )


# -- situations (officers) ---------------------------------------------------------------------


def situation_list(request, pk):
    _officer(request)
    year = selectors.school_year_get(request.user, pk)
    rows = selectors.situation_list(request.user, school_year=year)
    crumbs = year_crumbs(request, year, (_("Situation des lycées"), None))
    return render(request, "lycee_aid/situation_list.html", {"year": year, "rows": rows, "crumbs": crumbs})


def situation_edit(request, pk, school_pk):
    _officer(request)
    year, school = _lycee_year(request, pk, school_pk)
    situation = selectors.situation_of(school, year)
    carry = selectors.carryover_per_envelope(school, year)
    initial = {
        "scholarship_count": situation.scholarship_count if situation else None,
        "school_enrolments": situation.school_enrolments if situation else None,
        "survey_answered": situation.survey_answered if situation else False,
        "carryover_pre_bac": carry["pre_bac"],
        "carryover_post_bac": carry["post_bac"],
    }
    form = SituationForm(request.POST or None, initial=initial)
    done = form_submit(
        request,
        form,
        lambda data: services.situation_set(actor=request.user, school=school, school_year=year, **data),
        success=_("La situation de %(s)s est enregistrée.") % {"s": school.name},
        then=reverse("lycee_aid:situation_list", args=[year.pk]),
    )
    if done:
        return done
    crumbs = year_crumbs(
        request,
        year,
        (_("Situation des lycées"), reverse("lycee_aid:situation_list", args=[year.pk])),
        (school.name, None),
    )
    return render(request, "form.html", {"form": form, "crumbs": crumbs, "title": f"{school.name} — {year.label}"})


# -- a lycée's year (staff hub) ------------------------------------------------------------------


def lycee_year(request, pk, school_pk):
    year, school = _lycee_year(request, pk, school_pk)
    counts = selectors.enrolment_counts(request.user, school=school, school_year=year)
    dotation = selectors.dotation_list(request.user, school_year=year).filter(school=school).first()
    context = {
        "year": year,
        "school": school,
        "enrolled_formations": sum(1 for c in counts.values() if c),
        "enrolled_pupils": sum(counts.values()),
        "dotation": dotation,
        "requests": selectors.supplementary_request_list(request.user).filter(school=school, school_year=year),
        "report": selectors.usage_report_list(request.user).filter(school=school, school_year=year).first(),
        "cpge": selectors.cpge_request_list(request.user).filter(school=school, school_year=year),
        "crumbs": year_crumbs(request, year, (school.name, None)),
    }
    return render(request, "lycee_aid/lycee_year.html", context)


def enrolments_edit(request, pk, school_pk):
    year, school = _lycee_year(request, pk, school_pk)
    query = (request.GET.get("q") or "").strip()[:100]
    formations = selectors.formation_list(request.user, school_year=year)
    if query:
        formations = FormationFilter({"q": query}, queryset=formations).qs
    counts = selectors.enrolment_counts(request.user, school=school, school_year=year)
    form = EnrolmentsForm(
        request.POST or None,
        formations=list(formations),
        counts=counts,
        initial={"fingerprint": selectors.enrolments_fingerprint(school, year)},
    )
    done = form_submit(
        request,
        form,
        lambda data: services.enrolments_save(
            actor=request.user,
            school=school,
            school_year=year,
            counts=form.counts(),
            fingerprint=data["fingerprint"] or None,
        ),
        success=lambda changed: (
            ngettext(
                "Effectifs enregistrés (%(n)d ligne modifiée).",
                "Effectifs enregistrés (%(n)d lignes modifiées).",
                changed,
            )
            % {"n": changed}
        ),
        then=_lycee_year_url(year, school),
    )
    if done:
        return done
    context = {
        "year": year,
        "school": school,
        "form": form,
        "query": query,
        "locked": year.is_voted,
        "crumbs": year_crumbs(
            request,
            year,
            (school.name, reverse("lycee_aid:lycee_year", args=[year.pk, school.pk])),
            (_("Effectifs n-1"), None),
        ),
    }
    return render(request, "lycee_aid/enrolment_form.html", context)


@accepts_upload(MAX_UPLOAD_BYTES)
def enrolments_upload(request, pk, school_pk):
    year, school = _lycee_year(request, pk, school_pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    done = form_submit(
        request,
        form,
        lambda data: services.enrolments_upload(
            actor=request.user, school=school, school_year=year, name=data["file"].name, content=data["file"].read()
        ),
        success=lambda changed: (
            ngettext("Fichier importé : %(n)d ligne modifiée.", "Fichier importé : %(n)d lignes modifiées.", changed)
            % {"n": changed}
        ),
        then=_lycee_year_url(year, school),
    )
    if done:
        return done
    crumbs = year_crumbs(
        request,
        year,
        (school.name, reverse("lycee_aid:lycee_year", args=[year.pk, school.pk])),
        (_("Déposer un fichier"), None),
    )
    context = {"year": year, "school": school, "form": form, "crumbs": crumbs}
    return render(request, "lycee_aid/enrolment_upload.html", context)


def enrolments_template(request, pk, school_pk):
    """The upload template: one line per eligible formation with the lycée's current counts."""
    year, school = _lycee_year(request, pk, school_pk)
    counts = selectors.enrolment_counts(request.user, school=school, school_year=year)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["uai", "code_diplome", "effectif"])
    for code, pk_ in selectors.formation_list(request.user, school_year=year).values_list("diploma_code", "pk"):
        writer.writerow([school.code, code, counts.get(pk_, 0)])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"effectifs-{year.label}-{school.code}.csv")
    return response


# -- campaign ----------------------------------------------------------------------------------


class KnownCountPaginator(Paginator):
    """A paginator told the number of rows (already counted by the totals): no second COUNT(*)."""

    def __init__(self, object_list, per_page, *args, count: int, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


class CampaignView(RoleRequiredMixin, FilteredTableView):
    """The campaign table: four queries whatever the page (session, user, totals with the row
    count, the page's rows with their lycée and year); the year comes with the rows."""

    allow_officer = True
    officer_scheme = permissions.SCHEME
    table_class = CampaignTable
    filterset_class = CampaignFilter
    template_name = "lycee_aid/campaign.html"
    export_name = "campagne-are"

    def get_queryset(self):
        return selectors.campaign_dotations(self.request.user, school_year_pk=self.kwargs["pk"])

    def get_table_pagination(self, table):
        self.totals = selectors.campaign_totals(self.object_list)
        return {
            **super().get_table_pagination(table),
            "paginator_class": KnownCountPaginator,
            "count": self.totals.count,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = context["table"]
        rows = table.page.object_list.data if hasattr(table, "page") else []
        first = next(iter(rows), None)
        self.year = (
            first.school_year if first is not None else selectors.school_year_get(self.request.user, self.kwargs["pk"])
        )
        context["year"] = self.year
        context["totals"] = getattr(self, "totals", None) or selectors.campaign_totals(self.object_list)
        context["crumbs"] = year_crumbs(self.request, self.year, (_("Campagne"), None))
        return context


@require_POST
def campaign_pdf(request, pk):
    """The campaign summary PDF of the filtered table (query string), built by a background job."""
    _officer(request)
    year = selectors.school_year_get(request.user, pk)
    filterset = CampaignFilter(request.GET, queryset=selectors.dotation_list(request.user, school_year=year))
    if not filterset.form.is_valid():  # a filter the table would refuse (NUL byte, unknown académie…)
        messages.error(request, _("Les filtres du tableau ne sont pas valides : corrigez-les avant d'éditer le PDF."))
        return redirect("lycee_aid:campaign", year.pk)
    filters = {k: v for k, v in request.GET.items() if k in CampaignFilter.base_filters and v}
    job = job_start(
        owner=request.user,
        label=_("Récapitulatif PDF de la campagne ARE %(y)s") % {"y": year.label},
        func="lycee_aid.jobs.campaign_pdf_job",
        kwargs={"school_year_id": year.pk, "filters": filters},
    )
    return job_redirect(request, job)


@require_POST
def campaign_run(request, pk):
    _officer(request)
    year = selectors.school_year_get(request.user, pk)
    return run_command(
        request,
        lambda: services.campaign_run(actor=request.user, school_year=year),
        success=lambda result: (
            _("Campagne %(y)s calculée : %(n)d lycées, %(t)s € attribués au total.")
            % {
                "y": year.label,
                "n": result.dotations,
                "t": f"{result.total_due:,.2f}".replace(",", "\u202f").replace(".", ","),
            }
        ),
        then=_year_url(year),
    )


def campaign_vote(request, pk):
    """The vote: the totals being voted (per académie and envelope, and in all), then the form."""
    _officer(request)
    year = selectors.school_year_get(request.user, pk)
    computed_at = year.campaign_computed_at.isoformat() if year.campaign_computed_at else ""
    form = VoteForm(request.POST or None, initial={"computed_at": computed_at})
    done = form_submit(
        request,
        form,
        lambda data: services.campaign_vote(
            actor=request.user,
            school_year=year,
            reference=data["reference"],
            voted_on=data["voted_on"],
            computed_at=data["computed_at"],
        ),
        success=None,
        then=reverse("lycee_aid:campaign_voted", args=[year.pk]),
    )
    if done:
        return done
    context = {
        "year": year,
        "form": form,
        "totals": selectors.campaign_totals(selectors.dotation_list(request.user, school_year=year)),
        "crumbs": year_crumbs(request, year, (_("Vote de la commission permanente"), None)),
    }
    return render(request, "lycee_aid/campaign_vote.html", context)


def campaign_notify(request, pk):
    """The notification of the voted dotations: what will be notified (how many, the total, per
    académie and envelope, the e-mails sent), then, on confirmation (POST), the notification."""
    _officer(request)
    year = selectors.school_year_get(request.user, pk)
    if request.method != "POST":
        dotations = selectors.dotation_list(request.user, school_year=year).filter(status=DotationStatus.VOTED)
        context = {
            "year": year,
            "totals": selectors.campaign_totals(dotations),
            "crumbs": year_crumbs(request, year, (_("Notification des dotations"), None)),
        }
        return render(request, "lycee_aid/campaign_notify.html", context)
    return run_command(
        request,
        lambda: services.campaign_notify(actor=request.user, school_year=year),
        success=None,
        then=reverse("lycee_aid:campaign_notified", args=[year.pk]),
        back=_year_url(year),
    )


@require_POST
def notifications_zip(request, pk):
    """Every notification of the year in one ZIP, built by a background job the officer follows."""
    _officer(request)
    year = selectors.school_year_get(request.user, pk)
    if not year.is_voted:
        messages.error(request, _("Les notifications sont disponibles après le vote."))
        return redirect("lycee_aid:year_detail", year.pk)
    job = job_start(
        owner=request.user,
        label=_("Notifications ARE %(y)s (ZIP)") % {"y": year.label},
        func="lycee_aid.jobs.NotificationsZip",
        kwargs={"school_year_id": year.pk},
    )
    return job_redirect(request, job)


# -- dotations ---------------------------------------------------------------------------------


def dotation_detail(request, pk):
    _member(request)
    dotation = selectors.dotation_get(request.user, pk)
    lines = selectors.dotation_line_list(dotation)
    context = {
        "dotation": dotation,
        "year": dotation.school_year,
        "pre_lines": [line for line in lines if line.envelope == "pre_bac"],
        "post_lines": [line for line in lines if line.envelope == "post_bac"],
        "crumbs": year_crumbs(
            request,
            dotation.school_year,
            (dotation.school.name, reverse("lycee_aid:lycee_year", args=[dotation.school_year_id, dotation.school_id])),
            (_("Dotation"), None),
        ),
    }
    return render(request, "lycee_aid/dotation_detail.html", context)


def dotation_pdf(request, pk):
    _member(request)
    dotation = selectors.dotation_get(request.user, pk)
    if dotation.status == DotationStatus.COMPUTED:
        messages.error(request, _("La notification est disponible après le vote de la commission permanente."))
        return redirect("lycee_aid:dotation_detail", dotation.pk)
    return pdf_response(
        pdf.render_notification(dotation),
        filename=f"notification-are-{dotation.school_year.label}-{dotation.school.code}",
    )


# -- supplementary requests --------------------------------------------------------------------


class RequestListView(RoleRequiredMixin, FilteredTableView):
    allow_officer = allow_staff = True
    officer_scheme = permissions.SCHEME
    table_class = RequestTable
    filterset_class = RequestFilter
    template_name = "list.html"
    export_name = "demandes-complementaires"

    title = gettext_lazy("Demandes de dotation complémentaire")

    def get_queryset(self):
        return selectors.supplementary_request_list(self.request.user).order_by("-submitted_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["crumbs"] = [(_("ARE"), reverse("lycee_aid:year_list")), (self.title, None)]
        return context


def request_create(request, pk, school_pk):
    year, school = _lycee_year(request, pk, school_pk)
    form = SupplementaryRequestForm(
        request.POST or None, formations=selectors.formation_list(request.user, school_year=year)
    )
    done = form_submit(
        request,
        form,
        lambda data: services.supplementary_request_submit(
            actor=request.user,
            school=school,
            school_year=year,
            justification=data["justification"],
            lines=data["lines"],
        ),
        success=_("Votre demande est déposée ; la Région vous informera de sa décision."),
        then=lambda req: reverse("lycee_aid:request_detail", args=[req.pk]),
    )
    if done:
        return done
    crumbs = year_crumbs(
        request,
        year,
        (school.name, reverse("lycee_aid:lycee_year", args=[year.pk, school.pk])),
        (_("Demande complémentaire"), None),
    )
    return render(
        request, "lycee_aid/request_form.html", {"form": form, "year": year, "school": school, "crumbs": crumbs}
    )


def request_detail(request, pk):
    _member(request)
    req = selectors.supplementary_request_get(request.user, pk)
    form = None
    if permissions.is_are_officer(request.user) and req.status == RequestStatus.SUBMITTED:
        form = DecisionForm(request.POST or None)
        done = form_submit(
            request,
            form,
            lambda data: services.supplementary_request_decide(
                actor=request.user, request=req, accept=data["decision"] == "accept", reason=data["reason"]
            ),
            success=_("La décision est enregistrée."),
            then=reverse("lycee_aid:request_detail", args=[req.pk]),
        )
        if done:
            return done
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "req": req,
        "lines": list(req.lines.select_related("formation")),
        "form": form,
        "crumbs": [
            (_("ARE"), reverse("lycee_aid:year_list")),
            (_("Demandes complémentaires"), reverse("lycee_aid:request_list")),
            (f"DC-{req.pk}", None),
        ],
    }
    return render(request, "lycee_aid/request_detail.html", context)


def request_pdf(request, pk):
    _member(request)
    req = selectors.supplementary_request_get(request.user, pk)
    if req.status == RequestStatus.SUBMITTED:
        messages.error(request, _("La décision n'est pas encore prise."))
        return redirect("lycee_aid:request_detail", req.pk)
    return pdf_response(pdf.render_supplementary_decision(req), filename=f"decision-are-dc-{req.pk}")


# -- usage reports -----------------------------------------------------------------------------


class UsageReportListView(RequestListView):
    table_class = UsageReportTable
    filterset_class = UsageReportFilter
    export_name = "comptes-rendus-are"

    title = gettext_lazy("Comptes rendus d'utilisation")

    def get_queryset(self):
        return selectors.usage_report_list(self.request.user).order_by("-submitted_at")


def report_create(request, pk, school_pk):
    year, school = _lycee_year(request, pk, school_pk)
    enrolled = selectors.enrolment_counts(request.user, school=school, school_year=year)
    formations = [f for f in selectors.formation_list(request.user, school_year=year) if enrolled.get(f.pk)]
    form = UsageReportForm(request.POST or None, formations=formations)
    done = form_submit(
        request,
        form,
        lambda data: services.usage_report_submit(
            actor=request.user, school=school, school_year=year, lines=form.lines()
        ),
        success=_("Le compte rendu est déposé ; le reliquat est reporté sur l'année suivante."),
        then=lambda report: reverse("lycee_aid:report_detail", args=[report.pk]),
    )
    if done:
        return done
    context = {
        "form": form,
        "year": year,
        "school": school,
        "received": selectors.received_per_envelope(school, year),
        "carried": selectors.carryover_per_envelope(school, year),
        "crumbs": year_crumbs(
            request,
            year,
            (school.name, reverse("lycee_aid:lycee_year", args=[year.pk, school.pk])),
            (_("Compte rendu"), None),
        ),
    }
    return render(request, "lycee_aid/report_form.html", context)


def report_detail(request, pk):
    _member(request)
    report = selectors.usage_report_get(request.user, pk)
    context = {
        "report": report,
        "lines": list(report.lines.select_related("formation")),
        "crumbs": [
            (_("ARE"), reverse("lycee_aid:year_list")),
            (_("Comptes rendus"), reverse("lycee_aid:report_list")),
            (report.school.name, None),
        ],
    }
    return render(request, "lycee_aid/report_detail.html", context)


def report_pdf(request, pk):
    _member(request)
    report = selectors.usage_report_get(request.user, pk)
    return pdf_response(
        pdf.render_usage_report(report), filename=f"compte-rendu-are-{report.school_year.label}-{report.school.code}"
    )


# -- CPGE --------------------------------------------------------------------------------------


class CpgeListView(UsageReportListView):
    table_class = CpgeTable
    filterset_class = CpgeFilter
    export_name = "aides-cpge"

    title = gettext_lazy("Aides aux frais de concours CPGE")

    def get_queryset(self):
        return selectors.cpge_request_list(self.request.user).order_by("-submitted_at")


def _cpge_outcome(req) -> str:
    """What the lycée is told once a CPGE request is recorded: the aid and the competitions it
    covers, or why nothing is due (ARE-10: a 0 € result always says why)."""
    if req.aid_amount > 0:
        covered = ngettext(
            "%(p)d concours pris en charge sur %(n)d (trois au plus par élève)",
            "%(p)d concours pris en charge sur %(n)d (trois au plus par élève)",
            req.competitions_paid,
        ) % {"p": req.competitions_paid, "n": req.competitions}
        return _("Demande enregistrée : aide de %(a)s, %(c)s.") % {"a": eur(req.aid_amount), "c": covered}
    if req.refusal_reason == CpgeRefusal.QUOTIENT_ABOVE_CEILING:
        why = _("le quotient familial (%(q)s) dépasse le plafond de %(c)s") % {
            "q": eur(req.family_quotient_amount),
            "c": eur(CPGE_FAMILY_QUOTIENT_CEILING),
        }
    else:
        why = req.get_refusal_reason_display()
    return _("Demande enregistrée : aucune aide n'est due, car %(why)s (arrêté 2023-087, annexe I, 3).") % {"why": why}


def cpge_create(request, pk, school_pk):
    year, school = _lycee_year(request, pk, school_pk)
    form = CpgeAidForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            req = services.cpge_aid_request_submit(
                actor=request.user, school=school, school_year=year, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # Not form_submit: a request granted nothing is announced as a warning, with its reason.
            (messages.success if req.aid_amount > 0 else messages.warning)(request, _cpge_outcome(req))
            return redirect(_lycee_year_url(year, school))
    crumbs = year_crumbs(
        request, year, (school.name, reverse("lycee_aid:lycee_year", args=[year.pk, school.pk])), (_("Aide CPGE"), None)
    )
    title = _("Aide aux frais de concours CPGE — forfait %(f)s € par concours, trois au plus") % {
        "f": str(year.forfait_cpge_amount or "—").replace(".", ",")
    }
    return render(request, "form.html", {"form": form, "crumbs": crumbs, "title": title})
