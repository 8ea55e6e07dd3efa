"""Thin views: scope through a selector, bind a form, call one service, message, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from core.mixins import FilteredTableView, RoleRequiredMixin
from core.pdf import pdf_response
from core.rules import ZERO
from core.web import apply_errors, form_submit, require_role, run_command

from . import pdf, permissions, rules, selectors, services
from .filters import ContractFilter
from .forms import (
    AidRequestForm,
    AidYearForm,
    CalculatorForm,
    ContractEndForm,
    ContractForm,
    PaymentForm,
    PiiForm,
    StatementPeriodForm,
    TrainingYearForm,
)
from .tables import ContractTable

# What the contract list shows: no column of a joined row is read for nothing.
LIST_FIELDS = (
    "reference",
    "start_date",
    "end_date",
    "status",
    "trade_id",
    "formation_id",
    "apprentice__last_name",
    "apprentice__first_name",
    "apprentice__national_id",
    "employer__name",
    "school__name",
    "trade__name",
    "trade__diploma",
    "formation__title",
)
LIST_CRUMB = gettext_lazy("Contrats d'apprentissage")


def _crumbs(*items):
    return [(LIST_CRUMB, reverse("apprenticeship:contract_list")), *items]


class ContractListView(RoleRequiredMixin, FilteredTableView):
    allow_officer = allow_staff = allow_employer = True
    officer_scheme = permissions.SCHEME
    table_class = ContractTable
    filterset_class = ContractFilter
    template_name = "apprenticeship/contract_list.html"
    export_name = "contrats-apprentissage"

    def get_queryset(self):
        return selectors.contract_list(self.request.user).only(*LIST_FIELDS).deferred_pages()

    def get_table(self, **kwargs):
        """An unknown sort key is ignored (handed to django-tables2, it would be read as an accessor path on the rows)."""
        sort = self.request.GET.get("sort")
        if sort is not None and sort.lstrip("-") not in ContractTable.base_columns:
            query = self.request.GET.copy()
            del query["sort"]
            self.request.GET = query
        return super().get_table(**kwargs)


def contract_create(request):
    require_role(request.user, officer=permissions.SCHEME, staff=True)
    form = ContractForm(request.POST or None, user=request.user)
    done = form_submit(
        request,
        form,
        lambda data: services.contract_register(actor=request.user, **data),
        success=lambda contract: (
            _("Le contrat %(r)s est enregistré (%(s)s).")
            % {"r": contract.reference, "s": contract.get_status_display()}
        ),
        then=contract_url,
    )
    crumbs = _crumbs((_("Nouveau contrat"), None))
    return done or render(request, "apprenticeship/contract_form.html", {"form": form, "crumbs": crumbs})


def contract_update(request, pk):
    contract = selectors.contract_get(request.user, pk)
    if not permissions.can_edit_contract(request.user, contract):
        raise PermissionDenied
    initial = {name: getattr(contract, name) for name in services.CONTRACT_FIELDS}
    form = ContractForm(request.POST or None, user=request.user, contract=contract, initial=initial)
    done = form_submit(
        request,
        form,
        lambda data: services.contract_update(actor=request.user, contract=contract, **form.contract_data()),
        success=lambda updated: _("Le contrat %(r)s est mis à jour.") % {"r": updated.reference},
        then=contract_url,
    )
    crumbs = _crumbs((contract.reference, contract_url(contract)), (_("Modifier"), None))
    context = {"form": form, "contract": contract, "crumbs": crumbs}
    return done or render(request, "apprenticeship/contract_form.html", context)


def contract_url(contract):
    return reverse("apprenticeship:contract_detail", args=[contract.pk])


def contract_page(request, contract, status=200, **forms):
    """The contract page: checks, schedule beside the frozen figures, and the user's actions."""
    user = request.user
    schedule = selectors.schedule_compute(contract=contract)
    can_edit = permissions.can_edit_contract(user, contract)
    can_pay = permissions.can_record_payments(user, contract)
    context = {
        "contract": contract,
        "checks": selectors.contract_checks(contract),
        "schedule": schedule,
        "comparison": selectors.schedule_compare(contract=contract, schedule=schedule),
        "can_edit": can_edit,
        "can_pay": can_pay,
        "editable": contract.status in ("draft", "registered"),
        "statements": list(contract.statements.all()),
        "aid_requests": list(contract.aid_requests.all()),
        "training_years": list(contract.training_years.all()),
        "crumbs": _crumbs((contract.reference, None)),
    }
    if can_edit:
        context["end_form"] = forms.get("end_form") or ContractEndForm()
        context["year_form"] = forms.get("year_form") or TrainingYearForm(contract=contract)
        context["pii_form"] = forms.get("pii_form") or PiiForm(initial={"notified_on": contract.pii_notified_on})
    if can_pay:
        context["payment_form"] = forms.get("payment_form") or PaymentForm()
    return render(request, "apprenticeship/contract_detail.html", context, status=status)


def contract_detail(request, pk):
    return contract_page(request, selectors.contract_get(request.user, pk))


def _action(request, pk, form_class, form_name, service, success, needs_contract_form=False, then=None):
    """A form of the contract page: done, back to the page (or to `then`, a confirmation page, and no
    message); refused, the page again with the form's errors."""
    contract = selectors.contract_get(request.user, pk)
    kwargs = {"contract": contract} if needs_contract_form else {}
    form = form_class(request.POST, **kwargs)
    done = form_submit(
        request,
        form,
        lambda data: service(actor=request.user, contract=contract, **data),
        success=success if then is None else None,
        then=then or contract_url(contract),
    )
    if done:
        return done
    messages.error(request, _("La saisie n'a pas été enregistrée : corrigez le formulaire signalé."))
    return contract_page(request, contract, status=400, **{form_name: form})


def _activation_refusal(contract, exc: ValidationError) -> str:
    failures = selectors.contract_checks(contract)
    if not failures:
        return " ".join(exc.messages)
    return ngettext(
        "Le contrat ne peut pas être mis en cours : %(n)d condition n'est pas remplie (voir ci-dessous).",
        "Le contrat ne peut pas être mis en cours : %(n)d conditions ne sont pas remplies (voir ci-dessous).",
        len(failures),
    ) % {"n": len(failures)}


@require_POST
def contract_activate(request, pk):
    contract = selectors.contract_get(request.user, pk)
    try:
        services.contract_activate(actor=request.user, contract=contract)
    except ValidationError as exc:
        # The conditions not met are listed once, on the contract's page: one message says so.
        messages.error(request, _activation_refusal(contract, exc))
    else:
        messages.success(request, _("Le contrat est en cours."))
    return redirect("apprenticeship:contract_detail", pk=contract.pk)


@require_POST
def contract_end(request, pk):
    return _action(
        request,
        pk,
        ContractEndForm,
        "end_form",
        services.contract_end,
        None,
        then=reverse("apprenticeship:contract_ended", args=[pk]),
    )


@require_POST
def training_year_record(request, pk):
    return _action(
        request,
        pk,
        TrainingYearForm,
        "year_form",
        services.training_year_record,
        _("L'année de formation est enregistrée."),
        needs_contract_form=True,
    )


@require_POST
def pii_record(request, pk):
    return _action(
        request,
        pk,
        PiiForm,
        "pii_form",
        services.pii_record,
        _("La notification du PII est enregistrée."),
    )


@require_POST
def payment_record(request, pk):
    return _action(
        request,
        pk,
        PaymentForm,
        "payment_form",
        services.payment_record,
        _("Le versement est enregistré."),
    )


@require_POST
def statement_issue(request, pk):
    contract = selectors.contract_get(request.user, pk)
    return run_command(
        request,
        lambda: services.statement_issue(actor=request.user, contract=contract),
        success=lambda statement: _("Le relevé %(r)s est émis.") % {"r": statement.reference},
        then=lambda statement: reverse("apprenticeship:statement_detail", args=[statement.pk]),
        back=contract_url(contract),
    )


@require_GET
def statement_detail(request, pk):
    statement = selectors.statement_get(request.user, pk)
    contract = selectors.contract_get(request.user, statement.contract_id)
    context = {
        "statement": statement,
        "contract": contract,
        "comparison": selectors.statement_compare(statement=statement, contract=contract),
        "crumbs": _crumbs((contract.reference, contract_url(contract)), (statement.reference, None)),
    }
    return render(request, "apprenticeship/statement_detail.html", context)


@require_GET
def statement_pdf(request, pk):
    statement = selectors.statement_get(request.user, pk)
    period = StatementPeriodForm(request.GET)
    if not period.is_valid():
        messages.error(request, " ".join(e for errors in period.errors.values() for e in errors))
        return redirect("apprenticeship:statement_detail", pk=statement.pk)
    try:
        document = pdf.render_statement(statement, first=period.cleaned_data["du"], last=period.cleaned_data["au"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("apprenticeship:statement_detail", pk=statement.pk)
    return pdf_response(document, filename=statement.reference)


def aid_request_prepare(request, pk):
    """APP-6/APP-7: the aid of the year chosen (the selector shows every year of the contract
    with its deadline; only ended, not time-barred years can be chosen), then the request."""
    contract = selectors.contract_get(request.user, pk)
    if not permissions.can_record_payments(request.user, contract):
        raise PermissionDenied
    today = timezone.localdate()
    years = selectors.aid_years(contract=contract, today=today)
    choices = {"years": years, "today": today, "prepared": {a.school_year for a in contract.aid_requests.all()}}
    year = selectors.aid_default_year(years=years, today=today, prepared=choices["prepared"])
    year_form = AidYearForm(
        request.GET if "school_year" in request.GET else None,
        initial={"school_year": year},
        auto_id="year_%s",
        **choices,
    )
    if year_form.is_bound:
        year = year_form.cleaned_data["school_year"] if year_form.is_valid() else None
    form = AidRequestForm(request.POST or None, initial={"school_year": year}, **choices)
    if form.is_bound:
        year = form.cleaned_data["school_year"] if form.is_valid() else None
    preview, error = None, selectors.contract_dates_error(contract)
    if year is not None and not error:
        try:
            preview = selectors.aid_preview(contract=contract, school_year=year, today=today)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    done = form_submit(
        request,
        form,
        lambda data: services.aid_request_prepare(actor=request.user, contract=contract, **data),
        success=lambda aid: _("La demande d'aide %(r)s est préparée.") % {"r": aid.reference},
        then=lambda aid: reverse("apprenticeship:aid_detail", args=[aid.pk]),
    )
    if done:
        return done
    context = {
        "contract": contract,
        "year_form": year_form,
        "form": form,
        "preview": preview,
        "error": error,
        "requestable": [y for y in years if y.requestable(today)],
        "crumbs": _crumbs((contract.reference, contract_url(contract)), (_("Aide de promotion"), None)),
    }
    status = 400 if form.errors or year_form.errors else 200
    return render(request, "apprenticeship/aid_form.html", context, status=status)


@require_GET
def aid_detail(request, pk):
    aid = selectors.aid_request_get(request.user, pk)
    contract = aid.contract
    context = {
        "aid": aid,
        "contract": contract,
        "in_time": rules.aid_request_in_time(rules.school_year_end(aid.school_year), timezone.localdate()),
        "days_left": (aid.deadline - timezone.localdate()).days,
        "premature": selectors.aid_request_premature(aid),
        "crumbs": _crumbs((contract.reference, contract_url(contract)), (aid.reference, None)),
    }
    return render(request, "apprenticeship/aid_detail.html", context)


@require_GET
def aid_pdf(request, pk):
    aid = selectors.aid_request_get(request.user, pk)
    return pdf_response(pdf.render_aid_request(aid), filename=aid.reference)


@require_GET
def arrears(request):
    require_role(request.user, officer=permissions.SCHEME, employer=True)
    overview = selectors.arrears_overview(user=request.user)
    totals = {
        "difference": sum((r["difference"] for r in overview), start=ZERO),
        "state_share": sum((r["state_share"] for r in overview), start=ZERO),
        "employer_difference": sum((r["employer_difference"] for r in overview), start=ZERO),
        "shortfall": sum((r["shortfall"] for r in overview), start=ZERO),
    }
    return render(
        request,
        "apprenticeship/arrears.html",
        {"overview": overview, "totals": totals, "crumbs": _crumbs((_("Arriérés et écarts"), None))},
    )


@login_not_required
@require_GET
def calculator(request):
    """Public calculator: the amount due for a month, step by step, with its sources."""
    form = CalculatorForm(request.GET or None, initial={"month": timezone.localdate().replace(day=1)})
    calculation = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            calculation = selectors.calculator_compute(
                month=data["month"],
                training_year=data["training_year"],
                trade=data["trade"] if data["kind"] == CalculatorForm.KIND_TRADE else None,
                formation=data["formation"] if data["kind"] == CalculatorForm.KIND_FORMATION else None,
                pii=data["pii"],
                adult=data["adult"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    context = {
        "form": form,
        "calculation": calculation,
        "trades": selectors.trade_list_public(),
        "formations": selectors.formation_list_public(),
    }
    return render(request, "apprenticeship/calculator.html", context)
