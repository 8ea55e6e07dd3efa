"""The employer's aid for the promotion of apprenticeship (APP-6, APP-7), as read: the years it may
be asked for, why a year cannot be, and the preview of a request (nothing is saved here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.wording import day_label

from .. import rules
from ..enums import ContractStatus
from ..models import AidRequest, Contract
from .schedule import contract_dates_error, contract_school_years, schedule_compute


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
        ) % {"y": aid_year.label, "o": day_label(aid_year.opens_on), "d": day_label(aid_year.deadline)}
    if not aid_year.requestable(today):
        return _(
            "Délai dépassé : la demande pour l'année %(y)s devait être introduite avant le %(d)s ; elle est forclose."
        ) % {"y": aid_year.label, "d": day_label(aid_year.deadline)}
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
    ) % {
        "p": day_label(prepared_on),
        "y": window.label,
        "o": day_label(window.opens_on),
        "d": day_label(window.deadline),
    }


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
