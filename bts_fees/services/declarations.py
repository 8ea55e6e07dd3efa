"""A declaration of a body's acts, created (BTS-4); the checks of its quantities, units and per-day
maximums are read in `selectors.quantities`."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import User
from core.services import audit_record

from .. import permissions, rules
from ..enums import (
    AuditAction,
)
from ..models import (
    Body,
    Declaration,
)

# -- declarations ------------------------------------------------------------------------------


@transaction.atomic
def declaration_create(
    *,
    actor: User,
    body: Body,
    period_label: str,
    period_start: date,
    period_end: date,
    candidates: int | None = None,
    papers: int | None = None,
) -> Declaration:
    permissions.require_school(actor, body.school_id)
    year = body.academic_year
    errors = {}
    if period_end < period_start:
        errors["period_end"] = _("La fin de la période précède son début.")
    elif not (year.contains(period_start) and year.contains(period_end)):
        errors["period_start"] = _("La période doit se situer dans l'année d'études %(y)s.") % {"y": year.label}
    if papers is not None and papers > rules.MAX_ADMISSION_PAPERS:
        errors["papers"] = _("L'examen d'admission comporte deux épreuves au plus (BTS-6).")
    if errors:
        raise ValidationError(errors)
    if Declaration.objects.filter(body=body, period_start=period_start, period_end=period_end).exists():
        raise ValidationError({"period_start": _("Une déclaration existe déjà pour cette instance et cette période.")})
    declaration = Declaration(
        body=body,
        period_label=period_label,
        period_start=period_start,
        period_end=period_end,
        candidates=candidates,
        papers=papers,
    )
    declaration.full_clean()
    declaration.save()
    audit_record(
        actor=actor, action=AuditAction.DECLARATION_CREATE, obj=declaration, after={"status": declaration.status}
    )
    return declaration


# -- units and plausibility (each act carries its unit; a per-day maximum per person) ----------
