"""School years, the consumer price index values and the forfaits of a year (ARE-2, ARE-3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from core.rules import round_cent, to_decimal
from core.services import audit_record

from .. import permissions, rules
from ..enums import (
    AuditAction,
)
from ..models import (
    DEFAULT_CPI_BASE,
    DEFAULT_CPI_SERIES,
    CpiValue,
    SchoolYear,
)
from .base import _lock_year, _mark_stale, _refuse_if_voted

# -- school years, CPI and forfaits (ARE-2, ARE-3) ---------------------------------------------


@transaction.atomic
def school_year_open(*, actor: User | None, start_year: int) -> SchoolYear:
    permissions.require_officer(actor)
    if SchoolYear.objects.filter(start_year=start_year).exists():
        raise ValidationError({"start_year": _("Cette année scolaire existe déjà.")})
    year = SchoolYear(start_year=start_year)
    year.full_clean()
    year.save()
    audit_record(actor=actor, action=AuditAction.SCHOOL_YEAR_OPEN, obj=year, after={"start_year": start_year})
    return year


def _school_year_for(start_year: int) -> SchoolYear:
    """The school year beginning in `start_year`, created empty (forfaits to confirm) if needed."""
    year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
    return year


@transaction.atomic
def cpi_value_record(
    *, actor: User | None, series_id: str, base: str, month: date, value, source: str = ""
) -> CpiValue:
    """Record one CPI value with its INSEE series and base (ARE-3). A recorded month is not rewritten."""
    permissions.require_officer(actor)
    series_id, base = series_id.strip(), base.strip()
    month = month.replace(day=1)
    if CpiValue.objects.filter(series_id=series_id, base=base, month=month).exists():
        raise ValidationError(
            {"month": _("Une valeur est déjà enregistrée pour ce mois dans cette série et cette base.")}
        )
    cpi = CpiValue(series_id=series_id, base=base, month=month, value=to_decimal(value), source=source)
    cpi.full_clean()
    cpi.save()
    audit_record(actor=actor, action=AuditAction.CPI_VALUE_RECORD, obj=cpi, after={"value": str(cpi.value)})
    return cpi


@dataclass(frozen=True)
class ForfaitProposal:
    school_year: SchoolYear
    previous_year: SchoolYear
    december_n1: CpiValue
    december_n2: CpiValue
    evolution_percent: Decimal
    forfait: Decimal
    forfait_prepa_metiers: Decimal
    forfait_cpge: Decimal | None


def _cpi_for(series_id: str, base: str, month: date) -> CpiValue:
    found = CpiValue.objects.filter(series_id=series_id, base=base, month=month).first()
    if found is not None:
        return found
    other = CpiValue.objects.filter(month=month).exclude(series_id=series_id, base=base).first()
    if other is not None:
        raise ValidationError(
            _(
                "La valeur de %(m)s est enregistrée dans la série %(s)s base %(b)s, pas dans la série %(s0)s base "
                "%(b0)s : une évolution ne se calcule qu'entre deux valeurs de la même série et de la même base."
            )
            % {"m": month.strftime("%m/%Y"), "s": other.series_id, "b": other.base, "s0": series_id, "b0": base}
        )
    raise ValidationError(
        _("Aucun indice de %(m)s n'est enregistré pour la série %(s)s base %(b)s.")
        % {"m": month.strftime("%m/%Y"), "s": series_id, "b": base}
    )


def forfaits_propose(
    *, actor: User | None, school_year: SchoolYear, series_id: str = DEFAULT_CPI_SERIES, base: str = DEFAULT_CPI_BASE
) -> ForfaitProposal:
    """ARE-3: the forfaits of `school_year` proposed from the previous year's and the CPI evolution
    between December n-1 and December n-2 of one series and base. Nothing is saved."""
    permissions.require_officer(actor)
    previous = SchoolYear.objects.filter(start_year=school_year.start_year - 1).first()
    if previous is None or not previous.forfaits_confirmed:
        raise ValidationError(
            _("Les forfaits de l'année %(y)s doivent être confirmés avant de proposer ceux de %(n)s.")
            % {"y": f"{school_year.start_year - 1}-{school_year.start_year}", "n": school_year.label}
        )
    december_n1 = _cpi_for(series_id, base, date(school_year.start_year - 1, 12, 1))
    december_n2 = _cpi_for(series_id, base, date(school_year.start_year - 2, 12, 1))
    evolution = rules.cpi_evolution_percent(december_n1.value, december_n2.value)
    cpge = previous.forfait_cpge_amount
    return ForfaitProposal(
        school_year=school_year,
        previous_year=previous,
        december_n1=december_n1,
        december_n2=december_n2,
        evolution_percent=evolution,
        forfait=rules.indexed_forfait(previous.forfait_amount, evolution),
        forfait_prepa_metiers=rules.indexed_forfait(previous.forfait_prepa_metiers_amount, evolution),
        forfait_cpge=None if cpge is None else rules.indexed_forfait(cpge, evolution),
    )


@transaction.atomic
def forfaits_confirm(
    *,
    actor: User | None,
    school_year: SchoolYear,
    forfait_amount,
    forfait_prepa_metiers_amount,
    forfait_cpge_amount,
    order_reference: str,
    order_date: date | None,
    cpi_evolution_percent=None,
) -> SchoolYear:
    """The officer confirms the forfaits of the arrêté (ARE-2, ARE-3); frozen once the campaign is voted."""
    permissions.require_officer(actor)
    year = _lock_year(school_year)
    _refuse_if_voted(year, _("le forfait"))
    before = {
        "forfait": str(year.forfait_amount),
        "prepa": str(year.forfait_prepa_metiers_amount),
        "cpge": str(year.forfait_cpge_amount),
    }
    year.forfait_amount = round_cent(forfait_amount)
    year.forfait_prepa_metiers_amount = round_cent(forfait_prepa_metiers_amount)
    year.forfait_cpge_amount = None if forfait_cpge_amount in (None, "") else round_cent(forfait_cpge_amount)
    year.order_reference = order_reference.strip()
    year.order_date = order_date
    year.cpi_evolution_percent = cpi_evolution_percent
    year.forfaits_confirmed_at = timezone.now()
    if not year.order_reference:
        raise ValidationError({"order_reference": _("Indiquez la référence de l'arrêté.")})
    year.full_clean()
    year.save()
    after = {
        "forfait": str(year.forfait_amount),
        "prepa": str(year.forfait_prepa_metiers_amount),
        "cpge": str(year.forfait_cpge_amount),
    }
    if after != before:
        _mark_stale(year, actor=actor, cause="forfaits")
    audit_record(
        actor=actor,
        action=AuditAction.FORFAITS_CONFIRM,
        obj=year,
        before=before,
        after={
            "forfait": str(year.forfait_amount),
            "prepa": str(year.forfait_prepa_metiers_amount),
            "cpge": str(year.forfait_cpge_amount),
            "order": year.order_reference,
        },
    )
    return year
