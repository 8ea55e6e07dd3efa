"""The employer's aid for the promotion of apprenticeship (APP-6, APP-7): the years it may be asked
for, its preview and the request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record

from .. import permissions, rules
from ..enums import AuditAction, ContractStatus
from ..models import (
    AidRequest,
    Contract,
)
from .base import _d
from .contracts import _amount, _lock
from .schedule import contract_dates_error, contract_school_years, schedule_compute

# -- employer aid (APP-6, APP-7) -----------------------------------------------------------------


@dataclass(frozen=True)
class AidPreview:
    school_year: int
    months: int
    gross: Decimal
    aid: Decimal
    percent: Decimal
    deadline: date
    days_left: int
    lines: list

    @property
    def school_year_label(self) -> str:
        return rules.school_year_label(self.school_year)


def aid_years(*, contract: Contract, today: date | None = None) -> list[rules.AidYear]:
    """The apprenticeship years of a contract up to the current one, each with its APP-7 window
    (ended or not, deadline); none for a draft or for dates that cannot be computed on."""
    today = today or timezone.localdate()
    if contract.status == ContractStatus.DRAFT:
        return []
    current = rules.school_year_of(today)
    return [
        rules.aid_year(year, contract_end=contract.effective_end)
        for year in contract_school_years(contract)
        if year <= current
    ]


def aid_default_year(*, years: list[rules.AidYear], today: date, prepared: set[int]) -> int | None:
    """The year the aid page opens on: the first that can be requested and has no request yet
    (the nearest deadline), else the first that can be requested; None when none can."""
    requestable = [y.school_year for y in years if y.requestable(today)]
    return next((y for y in requestable if y not in prepared), requestable[0] if requestable else None)


def aid_year_error(aid_year: rules.AidYear, today: date) -> str:
    """Why the aid of this year cannot be requested today ("" when it can): APP-6/APP-7 as
    clarified, a year that has ended (or a contract that ended within it), before the deadline."""
    if not aid_year.has_ended(today):
        return _(
            "L'année d'apprentissage %(y)s n'est pas terminée : la demande pourra être introduite à partir du "
            "%(o)s, et avant le %(d)s."
        ) % {"y": aid_year.label, "o": _d(aid_year.opens_on), "d": _d(aid_year.deadline)}
    if not aid_year.requestable(today):
        return _(
            "Délai dépassé : la demande pour l'année %(y)s devait être introduite avant le %(d)s ; elle est forclose."
        ) % {"y": aid_year.label, "d": _d(aid_year.deadline)}
    return ""


def aid_request_premature(aid: AidRequest) -> str:
    """Why a stored request cannot be relied on ("" when it can): prepared before its year (or
    the contract within it) had ended, by the former rules, its amounts include months to come."""
    window = rules.aid_year(aid.school_year, contract_end=aid.contract.effective_end)
    prepared_on = timezone.localdate(aid.prepared_at)
    if window.has_ended(prepared_on):
        return ""
    return _(
        "Cette demande a été préparée le %(p)s, avant la fin de l'année d'apprentissage %(y)s : ses montants "
        "comprennent des mois qui n'étaient pas encore échus. Préparez-la de nouveau à partir du %(o)s, avant le "
        "%(d)s."
    ) % {"p": _d(prepared_on), "y": window.label, "o": _d(window.opens_on), "d": _d(window.deadline)}


def _aid_year_check(contract: Contract, school_year: int, today: date) -> rules.AidYear:
    if contract.status == ContractStatus.DRAFT:
        raise ValidationError(
            _(
                "Le contrat %(r)s est encore un brouillon : l'aide de promotion ne se demande que pour un contrat "
                "enregistré."
            )
            % {"r": contract.reference}
        )
    error = contract_dates_error(contract)
    if error:
        raise ValidationError(error)
    years = contract_school_years(contract)
    if school_year not in years:
        raise ValidationError(
            {
                "school_year": _("Le contrat couvre les années d'apprentissage %(a)s à %(b)s.")
                % {"a": rules.school_year_label(years[0]), "b": rules.school_year_label(years[-1])}
            }
        )
    aid_year = rules.aid_year(school_year, contract_end=contract.effective_end)
    error = aid_year_error(aid_year, today)
    if error:
        raise ValidationError({"school_year": error})
    return aid_year


def aid_preview(*, contract: Contract, school_year: int, today: date | None = None) -> AidPreview:
    """APP-6 for one apprenticeship year of a contract, with its APP-7 deadline. The year must
    have ended (or the contract within it) and its deadline not have passed."""
    today = today or timezone.localdate()
    aid_year = _aid_year_check(contract, school_year, today)
    schedule = schedule_compute(contract=contract)
    if schedule.error:
        raise ValidationError(schedule.error)
    lines = [line for line in schedule.lines if rules.school_year_of(line.month) == school_year]
    gross, aid = rules.aid_for_year(lines, school_year=school_year, diploma=contract.aid_diploma)
    deadline = aid_year.deadline
    return AidPreview(
        school_year=school_year,
        months=len(lines),
        gross=gross,
        aid=aid,
        percent=rules.EMPLOYER_AID_PERCENT[contract.aid_diploma],
        deadline=deadline,
        days_left=(deadline - today).days,
        lines=lines,
    )


@transaction.atomic
def aid_request_prepare(*, actor, contract: Contract, school_year: int, social_charges_amount) -> AidRequest:
    """Prepare (or prepare again) the aid request of an apprenticeship year: the figures are frozen.
    Only for a year that has ended (or a contract that ended within it); after the deadline the
    request is time-barred (APP-6/APP-7 as clarified) and cannot be prepared."""
    contract = _lock(contract)
    if not permissions.can_record_payments(actor, contract):
        raise PermissionDenied
    charges = _amount(social_charges_amount, "social_charges_amount")
    if charges < 0:
        raise ValidationError({"social_charges_amount": _("Le montant ne peut pas être négatif.")})
    today = timezone.localdate()
    preview = aid_preview(contract=contract, school_year=school_year, today=today)
    request = AidRequest.objects.select_for_update().filter(contract=contract, school_year=school_year).first()
    if (
        request
        and request.social_charges_amount == charges
        and (request.months, request.gross_amount, request.aid_amount) == (preview.months, preview.gross, preview.aid)
    ):
        return request  # prepared already with these figures (double submit): no change, no audit event
    before = {"total": str(request.total_amount)} if request else None
    request = request or AidRequest(
        contract=contract, school_year=school_year, reference=f"AIDE-{contract.reference[4:]}-{school_year}"
    )
    request.diploma = contract.aid_diploma
    request.months = preview.months
    request.gross_amount = preview.gross
    request.aid_percent = preview.percent
    request.aid_amount = preview.aid
    request.social_charges_amount = charges
    request.total_amount = preview.aid + charges
    request.deadline = preview.deadline
    request.prepared_at = timezone.now()
    request.prepared_by = actor
    request.lines = [
        {"month": line.month.isoformat(), "standard_amount": str(line.standard_amount), "index": str(line.index)}
        for line in preview.lines
    ]
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action=AuditAction.AID_REQUEST_PREPARE,
        obj=request,
        before=before,
        after={"total": str(request.total_amount)},
    )
    return request
