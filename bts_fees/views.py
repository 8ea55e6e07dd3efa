"""Views of the bts_fees app: scope through a selector, bind a form, call one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from core.enums import Scheme
from core.files import content_disposition
from core.forms import ReferenceDateForm
from core.middleware import accepts_upload
from core.mixins import FilteredTableView, RoleRequiredMixin
from core.pdf import pdf_response
from core.selectors import audit_events_for, is_lycee_staff, is_officer
from core.tables import SafeExportMixin, SafeRequestConfig
from core.web import apply_errors, form_submit, require_role, run_command

from . import confirmation_views, pdf, permissions, selectors, services
from .filters import BodyFilter, ContractFilter, DeclarationFilter, PersonFilter, ProgrammeFilter
from .forms import (
    AppointmentForm,
    BodyForm,
    BulkValidateForm,
    ConflictForm,
    ContractForm,
    DeclarationForm,
    ExamPaperForm,
    LessonForm,
    LineForm,
    MinistrySignatureForm,
    OrderForm,
    PersonForm,
    ProgrammeForm,
    ProposalsForm,
    ReasonForm,
    SheetForm,
    YearForm,
)
from .tables import BodyTable, ContractTable, DeclarationTable, PersonTable, ProgrammeTable, SummaryTable


def _list_url():
    return reverse("bts_fees:declaration_list")


def _crumbs(*items):
    return [(_("Indemnités BTS"), _list_url()), *items]


def _submit(request, form, service, *, success, then, **kwargs):
    """The form's data to the service (with `kwargs`, the objects of the page): see core.web.form_submit."""
    return form_submit(
        request, form, lambda data: service(actor=request.user, **kwargs, **data), success=success, then=then
    )


class BtsListView(RoleRequiredMixin, FilteredTableView):
    allow_officer = True
    allow_staff = True
    officer_scheme = Scheme.BTS_FEES
    template_name = "list.html"
    title = ""
    create_url_name = ""
    create_label = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            crumbs=_crumbs((self.title, None)),
            create_url=reverse(self.create_url_name)
            if self.create_url_name and is_lycee_staff(self.request.user)
            else "",
            create_label=self.create_label,
        )
        return context


# -- public rate table ---------------------------------------------------------------------------


def _rate_context(request):
    form = ReferenceDateForm(request.GET or None)
    on = timezone.localdate()
    if form.is_valid() and form.cleaned_data.get("date"):
        on = form.cleaned_data["date"]
    return {"form": form, **selectors.rate_table(on)}


@login_not_required
@require_GET
def rate_table(request):
    """Public: every act of seed 004 with its rate at index 100 and its value at the index in force."""
    return render(request, "bts_fees/rate_table.html", _rate_context(request))


@login_not_required
@require_GET
def rate_table_pdf(request):
    context = _rate_context(request)
    return pdf_response(pdf.render_rate_table(context), filename=f"bareme-bts-{context['on']:%Y-%m-%d}")


# -- declarations --------------------------------------------------------------------------------


class DeclarationListView(BtsListView):
    table_class = DeclarationTable
    filterset_class = DeclarationFilter
    template_name = "bts_fees/declaration_list.html"
    title = _("Déclarations")
    create_url_name = "bts_fees:declaration_create"
    export_name = "declarations-bts"

    def get_queryset(self):
        return selectors.declaration_list_rows(self.request.user)

    def get_table_kwargs(self):
        return {"selectable": is_officer(self.request.user, Scheme.BTS_FEES)}


def declaration_create(request):
    require_role(request.user, staff=True)
    form = DeclarationForm(request.POST or None, user=request.user, initial={"body": request.GET.get("instance")})
    done = _submit(
        request,
        form,
        services.declaration_create,
        success=_("Déclaration créée. Ajoutez une ligne par membre et par acte."),
        then=lambda declaration: reverse("bts_fees:declaration_detail", args=[declaration.pk]),
    )
    crumbs = _crumbs((_("Nouvelle déclaration"), None))
    context = {"form": form, "title": _("Nouvelle déclaration"), "crumbs": crumbs, "cancel_url": _list_url()}
    return done or render(request, "form.html", context)


def _declaration_url(pk):
    return reverse("bts_fees:declaration_detail", args=[pk])


def _declaration_page(request, declaration, **forms):
    user = request.user
    staff = permissions.can_edit_school(user, declaration.body.school_id)
    officer = is_officer(user, Scheme.BTS_FEES)
    lines = list(selectors.declaration_line_list(declaration))
    context = {
        "declaration": declaration,
        "lines": lines,
        "total": sum((line.line_amount for line in lines), 0),
        "can_edit": staff and declaration.is_editable,
        "officer": officer,
        "problems": selectors.submission_problems(declaration) if staff and declaration.is_editable else [],
        "line_form": forms.get("line_form") or LineForm(declaration=declaration),
        "papers": list(declaration.exam_papers.all()),
        "paper_form": forms.get("paper_form") or ExamPaperForm(declaration=declaration),
        "sheet_form": forms.get("sheet_form") or SheetForm(),
        "reject_form": forms.get("reject_form") or ReasonForm(prefix="reject"),
        "reopen_form": forms.get("reopen_form") or ReasonForm(prefix="reopen"),
        "events": (audit_events_for(user, obj=declaration) if officer else []),
        "crumbs": _crumbs((declaration.reference, None)),
    }
    status = 400 if any(f.errors for f in forms.values()) else 200
    return render(request, "bts_fees/declaration_detail.html", context, status=status)


def declaration_detail(request, pk):
    require_role(request.user, officer=Scheme.BTS_FEES, staff=True)
    return _declaration_page(request, selectors.declaration_get(request.user, pk))


@require_POST
def declaration_add_line(request, pk):
    declaration = selectors.declaration_get(request.user, pk)
    form = LineForm(request.POST, declaration=declaration)
    done = _submit(
        request,
        form,
        services.declaration_add_line,
        success=_("Ligne ajoutée."),
        then=_declaration_url(pk),
        declaration=declaration,
    )
    if done:
        return done
    return _declaration_page(request, declaration, line_form=form)


@require_POST
def exam_paper_record(request, pk):
    declaration = selectors.declaration_get(request.user, pk)
    form = ExamPaperForm(request.POST, declaration=declaration)
    done = _submit(
        request,
        form,
        services.exam_paper_record,
        success=_("Épreuve enregistrée."),
        then=_declaration_url(pk),
        declaration=declaration,
    )
    if done:
        return done
    return _declaration_page(request, declaration, paper_form=form)


@require_POST
def declaration_remove_line(request, pk, line_pk):
    declaration = selectors.declaration_get(request.user, pk)
    line = declaration.lines.filter(pk=line_pk).first()
    if line is None:
        raise Http404
    return run_command(
        request,
        lambda: services.declaration_remove_line(actor=request.user, line=line),
        success=_("Ligne supprimée."),
        then=_declaration_url(pk),
    )


@require_POST
@accepts_upload(selectors.MAX_SHEET_BYTES)
def declaration_attach_sheet(request, pk):
    declaration = selectors.declaration_get(request.user, pk)
    form = SheetForm(request.POST, request.FILES)
    done = form_submit(
        request,
        form,
        lambda data: services.declaration_attach_sheet(
            actor=request.user, declaration=declaration, upload=data["attendance_sheet"]
        ),
        success=_("Liste de présence jointe."),
        then=_declaration_url(pk),
    )
    if done:
        return done
    return _declaration_page(request, declaration, sheet_form=form)


@require_GET
def declaration_sheet(request, pk):
    """The attendance sheet, served only to those who may see the declaration, as an attachment."""
    declaration = selectors.declaration_get(request.user, pk)
    if not declaration.attendance_sheet:
        raise Http404
    extension = declaration.attendance_sheet.name.rsplit(".", 1)[-1]
    # Read whole (10 Mo at most, checked at upload) so that no file handle outlives the request.
    with declaration.attendance_sheet.open("rb") as sheet:
        content = sheet.read()
    response = HttpResponse(content, content_type=declaration.attendance_sheet_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(f"liste-presence-{declaration.reference}.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _transition(request, pk, service, success, form_name=None, then=None):
    """A change of status; `then` (a function of the declaration) is the confirmation page to go
    to instead of the declaration's page with the `success` message."""
    declaration = selectors.declaration_get(request.user, pk)
    kwargs = {}
    form = None
    if form_name:
        form = ReasonForm(request.POST, prefix=form_name)
        if not form.is_valid():
            return _declaration_page(request, declaration, **{f"{form_name}_form": form})
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        service(actor=request.user, declaration=declaration, **kwargs)
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            # A refusal about the reason itself goes back to the reason's field.
            apply_errors(form, exc)
            return _declaration_page(request, declaration, **{f"{form_name}_form": form})
        for message in exc.messages:
            messages.error(request, message)
    else:
        if then is not None:
            return redirect(then(declaration))
        messages.success(request, success)
    return redirect(_declaration_url(pk))


@require_POST
def declaration_submit(request, pk):
    return _transition(request, pk, services.declaration_submit, None, then=confirmation_views.submitted_url)


@require_POST
def declaration_validate(request, pk):
    return _transition(request, pk, services.declaration_validate, _("Déclaration validée : montants arrêtés."))


@require_POST
def declaration_reject(request, pk):
    return _transition(request, pk, services.declaration_reject, _("Déclaration rejetée."), "reject")


@require_POST
def declaration_reopen(request, pk):
    return _transition(request, pk, services.declaration_reopen, _("Déclaration rouverte."), "reopen")


@require_POST
def declarations_validate_bulk(request):
    if not is_officer(request.user, Scheme.BTS_FEES):
        raise PermissionDenied
    form = BulkValidateForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Cochez au moins une déclaration soumise."))
    else:
        done, errors = services.declarations_validate_bulk(actor=request.user, declaration_ids=form.cleaned_data["ids"])
        for error in errors:
            messages.error(request, error)
        if done:
            return redirect(confirmation_views.validated_url(d.pk for d in done))
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/bts/") else reverse("bts_fees:declaration_list"))


@require_GET
def declaration_pdf(request, pk):
    require_role(request.user, officer=Scheme.BTS_FEES, staff=True)
    declaration = selectors.declaration_get(request.user, pk)
    return pdf_response(pdf.render_declaration(declaration), filename=f"declaration-{declaration.reference}")


# -- programmes, people, bodies, appointments -------------------------------------------------------


class ProgrammeListView(BtsListView):
    table_class = ProgrammeTable
    filterset_class = ProgrammeFilter
    title = _("Programmes BTS")
    create_url_name = "bts_fees:programme_create"
    export_name = "programmes-bts"

    def get_queryset(self):
        return selectors.programme_list(self.request.user)


def _simple_form(request, form, service, *, title, success, back, **kwargs):
    require_role(request.user, staff=True)
    done = _submit(request, form, service, success=success, then=back, **kwargs)
    context = {"form": form, "title": title, "crumbs": _crumbs((title, None)), "cancel_url": _list_url()}
    return done or render(request, "form.html", context)


def programme_create(request):
    form = ProgrammeForm(request.POST or None, user=request.user)
    return _simple_form(
        request,
        form,
        services.programme_create,
        title=_("Nouveau programme"),
        success=_("Programme enregistré."),
        back=reverse("bts_fees:programme_list"),
    )


class PersonListView(BtsListView):
    table_class = PersonTable
    filterset_class = PersonFilter
    title = _("Personnes")
    create_url_name = "bts_fees:person_create"
    export_name = "personnes-bts"

    def get_queryset(self):
        return selectors.person_list(self.request.user)


def person_create(request):
    form = PersonForm(request.POST or None, user=request.user)
    return _simple_form(
        request,
        form,
        services.person_save,
        title=_("Nouvelle personne"),
        success=_("Personne enregistrée."),
        back=reverse("bts_fees:person_list"),
    )


def person_update(request, pk):
    person = selectors.person_get(request.user, pk)
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS} | {"school": person.school}
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    return _simple_form(
        request,
        form,
        services.person_save,
        title=_("Modifier %(p)s") % {"p": person},
        success=_("Modifications enregistrées."),
        back=reverse("bts_fees:person_detail", args=[person.pk]),
        person=person,
    )


def person_detail(request, pk):
    require_role(request.user, officer=Scheme.BTS_FEES, staff=True)
    person = selectors.person_get(request.user, pk)
    form = YearForm(request.GET or None)
    year = (form.cleaned_data.get("academic_year") if form.is_valid() else None) or selectors.academic_year_current()
    preview = selectors.statement_preview(request.user, person, year) if year else None
    context = {
        "person": person,
        "form": form,
        "statement": preview,
        "issued": list(selectors.statement_list(request.user).filter(person=person, academic_year=year))
        if year
        else [],
        "appointments": person.appointments.select_related("body", "body__academic_year", "body__programme"),
        "can_edit": permissions.can_edit_school(request.user, person.school_id),
        "crumbs": _crumbs((_("Personnes"), reverse("bts_fees:person_list")), (str(person), None)),
    }
    return render(request, "bts_fees/person_detail.html", context)


@require_POST
def statement_issue(request, pk, year_pk):
    """Issue the statement (or return the one already issued with the same figures), then download it."""
    require_role(request.user, officer=Scheme.BTS_FEES, staff=True)
    person = selectors.person_get(request.user, pk)
    year = selectors.academic_year_list().filter(pk=year_pk).first()
    if year is None:
        raise Http404
    try:
        statement = services.statement_issue(actor=request.user, person=person, academic_year=year)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{reverse('bts_fees:person_detail', args=[person.pk])}?academic_year={year.pk}")
    # No success message: the answer is the statement's PDF itself.
    return redirect("bts_fees:statement_pdf", pk=statement.pk)


@require_GET
def statement_pdf(request, pk):
    """An issued statement, always rendered from its stored copy."""
    require_role(request.user, officer=Scheme.BTS_FEES, staff=True)
    statement = selectors.statement_get(request.user, pk)
    return pdf_response(pdf.render_statement(statement), filename=f"releve-{statement.reference}")


class BodyListView(BtsListView):
    table_class = BodyTable
    filterset_class = BodyFilter
    title = _("Instances et nominations")
    create_url_name = "bts_fees:body_create"
    export_name = "instances-bts"

    def get_queryset(self):
        return selectors.body_list(self.request.user)


def body_create(request):
    require_role(request.user, staff=True)
    form = BodyForm(request.POST or None, user=request.user)
    done = _submit(
        request,
        form,
        services.body_create,
        success=_("Instance créée. Ajoutez ses membres."),
        then=lambda body: reverse("bts_fees:body_detail", args=[body.pk]),
    )
    title = _("Nouvelle instance")
    context = {"form": form, "title": title, "crumbs": _crumbs((title, None)), "cancel_url": _list_url()}
    return done or render(request, "form.html", context)


def _body_url(pk):
    return reverse("bts_fees:body_detail", args=[pk])


def _body_page(request, body, **forms):
    can_edit = permissions.can_edit_school(request.user, body.school_id)
    context = {
        "body": body,
        "appointments": body.appointments.select_related("person").order_by("role", "person__last_name"),
        "declarations": body.declarations.all(),
        "can_edit": can_edit,
        "appointment_form": forms.get("appointment_form") or AppointmentForm(user=request.user, body=body),
        "proposals_form": forms.get("proposals_form") or ProposalsForm(initial={"sent_on": timezone.localdate()}),
        "order_form": OrderForm(),
        "crumbs": _crumbs((_("Instances"), reverse("bts_fees:body_list")), (str(body), None)),
    }
    status = 400 if any(f.errors for f in forms.values()) else 200
    return render(request, "bts_fees/body_detail.html", context, status=status)


def body_detail(request, pk):
    require_role(request.user, officer=Scheme.BTS_FEES, staff=True)
    return _body_page(request, selectors.body_get(request.user, pk))


@require_POST
def appointment_create(request, pk):
    body = selectors.body_get(request.user, pk)
    form = AppointmentForm(request.POST, user=request.user, body=body)
    done = _submit(
        request, form, services.appointment_create, success=_("Nomination enregistrée."), then=_body_url(pk), body=body
    )
    return done or _body_page(request, body, appointment_form=form)


@require_POST
def body_record_proposals(request, pk):
    body = selectors.body_get(request.user, pk)
    form = ProposalsForm(request.POST)
    done = _submit(
        request,
        form,
        services.body_record_proposals,
        success=_("Date d'envoi des propositions enregistrée."),
        then=_body_url(pk),
        body=body,
    )
    return done or _body_page(request, body, proposals_form=form)


@require_POST
def appointment_record_order(request, pk):
    appointment = selectors.appointment_get(request.user, pk)
    form = OrderForm(request.POST)
    back = _body_url(appointment.body_id)
    done = _submit(
        request,
        form,
        services.appointment_record_order,
        success=_("Arrêté enregistré."),
        then=back,
        appointment=appointment,
    )
    if done:
        return done
    # The order's form sits in each row of the members' table: its errors come back as a message.
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(back)


# -- lecturers and conflicts --------------------------------------------------------------------


class ContractListView(BtsListView):
    table_class = ContractTable
    filterset_class = ContractFilter
    title = _("Contrats d'intervenants")
    create_url_name = "bts_fees:contract_create"
    export_name = "contrats-bts"

    def get_queryset(self):
        return selectors.contract_list(self.request.user).annotate(lessons_count=Sum("lessons__lessons"))


def contract_create(request):
    form = ContractForm(request.POST or None, user=request.user)
    return _simple_form(
        request,
        form,
        services.contract_create,
        title=_("Nouveau contrat"),
        success=_("Contrat enregistré."),
        back=reverse("bts_fees:contract_list"),
    )


def _contract_url(pk):
    return reverse("bts_fees:contract_detail", args=[pk])


def _contract_page(request, contract, lesson_form=None, signature_form=None):
    lessons = list(contract.lessons.all())
    context = {
        "contract": contract,
        "lessons": lessons,
        "total": sum((lesson.line_amount for lesson in lessons), 0),
        "lessons_total": sum(lesson.lessons for lesson in lessons),
        "can_edit": permissions.can_edit_school(request.user, contract.programme.school_id),
        "lesson_form": lesson_form or LessonForm(),
        "signature_form": signature_form
        or MinistrySignatureForm(
            initial={
                "ministry_signature_date": contract.ministry_signature_date,
                "ministry_exception_reason": contract.ministry_exception_reason,
            }
        ),
        "crumbs": _crumbs((_("Contrats"), reverse("bts_fees:contract_list")), (str(contract), None)),
    }
    status = 400 if (lesson_form or signature_form) else 200
    return render(request, "bts_fees/contract_detail.html", context, status=status)


def contract_detail(request, pk):
    require_role(request.user, officer=Scheme.BTS_FEES, staff=True)
    return _contract_page(request, selectors.contract_get(request.user, pk))


@require_POST
def lesson_record(request, pk):
    contract = selectors.contract_get(request.user, pk)
    form = LessonForm(request.POST)
    done = _submit(
        request,
        form,
        services.lesson_record,
        success=_("Leçons enregistrées."),
        then=_contract_url(pk),
        contract=contract,
    )
    return done or _contract_page(request, contract, lesson_form=form)


@require_POST
def contract_record_ministry_signature(request, pk):
    contract = selectors.contract_get(request.user, pk)
    form = MinistrySignatureForm(request.POST)
    success = _("Signature du représentant du ministre enregistrée.")
    done = _submit(
        request,
        form,
        services.contract_record_ministry_signature,
        success=success,
        then=_contract_url(pk),
        contract=contract,
    )
    return done or _contract_page(request, contract, signature_form=form)


def conflict_list(request):
    require_role(request.user, officer=Scheme.BTS_FEES, staff=True)
    form = ConflictForm(request.POST or None, user=request.user)
    if request.method == "POST":
        require_role(request.user, staff=True)
        done = _submit(
            request,
            form,
            services.conflict_declare,
            success=_("Déclaration d'incompatibilité enregistrée."),
            then=reverse("bts_fees:conflict_list"),
        )
        if done:
            return done
    context = {
        "form": form,
        "conflicts": selectors.conflict_list(request.user),
        "can_edit": is_lycee_staff(request.user),
        "crumbs": _crumbs((_("Incompatibilités"), None)),
    }
    return render(request, "bts_fees/conflict_list.html", context, status=400 if form.errors else 200)


# -- yearly summary ----------------------------------------------------------------------------------


class SummaryView(RoleRequiredMixin, SafeExportMixin, TemplateView):
    """Yearly summary per programme and lycée, for payment (screen, CSV, XLSX)."""

    allow_officer = True
    allow_staff = True
    officer_scheme = Scheme.BTS_FEES
    template_name = "bts_fees/summary.html"

    def get_context_data(self, **kwargs):
        form = YearForm(self.request.GET or None)
        year = (
            form.cleaned_data.get("academic_year") if form.is_valid() else None
        ) or selectors.academic_year_current()
        rows = selectors.yearly_summary(self.request.user, year) if year else []
        table = SummaryTable(rows)
        SafeRequestConfig(self.request, paginate={"per_page": 100}).configure(table)
        self._table = table
        self.export_name = f"synthese-bts-{year.label if year else ''}"
        return {
            "form": form,
            "year": year,
            "table": table,
            "grand_total": sum((r["total_amount"] for r in rows), 0),
            "crumbs": _crumbs((_("Synthèse annuelle"), None)),
        }

    def get_table_kwargs(self):
        return {}

    def get_table(self, **kwargs):
        return self._table
