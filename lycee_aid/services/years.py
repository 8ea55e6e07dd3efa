"""School years, the consumer price index values and the forfaits of a year (ARE-2, ARE-3)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from core.rules import round_cent, to_decimal
from core.services import audit_record

from .. import permissions
from ..enums import (
    AuditAction,
)
from ..models import (
    CpiValue,
    SchoolYear,
)
from .base import lock_year, mark_stale, refuse_if_voted

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
    year = lock_year(school_year)
    refuse_if_voted(year, _("le forfait"))
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
        mark_stale(year, actor=actor, cause="forfaits")
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
