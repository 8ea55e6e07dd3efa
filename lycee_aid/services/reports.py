"""Usage reports at year end: what was received, spent and carried over, per envelope (ARE-9)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import School, User
from core.rules import ZERO, round_cent
from core.services import audit_record

from .. import permissions, rules
from ..enums import (
    AuditAction,
    CarryOverOrigin,
    Envelope,
    EquipmentType,
)
from ..models import (
    CarryOver,
    SchoolYear,
    UsageReport,
    UsageReportLine,
)
from ..selectors.figures import carryover_per_envelope, received_per_envelope
from .base import formations_of, lock_year, mark_stale, school_year_for

# -- usage reports (ARE-9) -------------------------------------------------------------------------


@dataclass(frozen=True)
class UsageLineInput:
    formation_id: int
    pupils_equipped: int
    spent_amount: Decimal
    equipment_types: tuple[str, ...]
    non_scholarship_equipped: int = 0


@transaction.atomic
def usage_report_submit(
    *, actor: User, school: School, school_year: SchoolYear, lines: list[UsageLineInput]
) -> UsageReport:
    """File the year-end usage report; what remains per envelope becomes next year's carry-over."""
    permissions.require_school(actor, school)
    School.objects.select_for_update().get(pk=school.pk)
    year = SchoolYear.objects.get(pk=school_year.pk)
    if not year.is_voted:
        raise ValidationError(_("Le compte rendu se dépose une fois la dotation de l'année votée."))
    if UsageReport.objects.filter(school=school, school_year=year).exists():
        raise ValidationError(_("Le compte rendu d'utilisation %(y)s a déjà été déposé.") % {"y": year.label})
    next_year = lock_year(school_year_for(year.start_year + 1))
    if next_year.is_voted:
        raise ValidationError(
            _("La campagne %(y)s est déjà votée : le reliquat ne peut plus y être reporté.") % {"y": next_year.label}
        )
    formations = formations_of(year, [line.formation_id for line in lines])
    errors, seen = [], set()
    spent = {Envelope.PRE_BAC: ZERO, Envelope.POST_BAC: ZERO}
    for line in lines:
        f = formations.get(line.formation_id)
        if f is None:
            errors.append(_("Une formation n'est pas éligible pour l'année %(y)s.") % {"y": year.label})
            continue
        label = f.diploma_code
        if f.pk in seen:
            errors.append(_("La formation %(c)s figure deux fois.") % {"c": label})
        seen.add(f.pk)
        if line.pupils_equipped < 0 or line.non_scholarship_equipped < 0 or line.spent_amount < 0:
            errors.append(_("Formation %(c)s : les nombres et montants sont positifs ou nuls.") % {"c": label})
        if line.non_scholarship_equipped and f.envelope != Envelope.POST_BAC:
            errors.append(
                _(
                    "Formation %(c)s : les non-boursiers équipés sur décision du chef d'établissement ne concernent que le post-bac."
                )
                % {"c": label}
            )
        if line.non_scholarship_equipped > line.pupils_equipped:
            errors.append(_("Formation %(c)s : les non-boursiers équipés dépassent les élèves équipés.") % {"c": label})
        if set(line.equipment_types) - set(EquipmentType.values):
            errors.append(_("Formation %(c)s : type d'équipement inconnu.") % {"c": label})
        if line.spent_amount > 0 and not line.equipment_types:
            errors.append(_("Formation %(c)s : indiquez les types d'équipements achetés.") % {"c": label})
        spent[f.envelope] += round_cent(line.spent_amount)
    received = received_per_envelope(school, year)
    carried = carryover_per_envelope(school, year)
    for envelope, label in Envelope.choices:
        available = received[envelope] + carried[envelope]
        if spent[envelope] > available:
            errors.append(
                _("Enveloppe %(e)s : les dépenses (%(s)s €) dépassent les crédits disponibles (%(a)s €).")
                % {"e": label, "s": spent[envelope], "a": available}
            )
    if errors:
        raise ValidationError(errors)
    remaining = {
        e: rules.remaining_carryover(received=received[e], carryover=carried[e], spent=spent[e]) for e in spent
    }
    report = UsageReport(
        school=school,
        school_year=year,
        submitted_by=actor,
        submitted_at=timezone.now(),
        received_pre_bac_amount=received[Envelope.PRE_BAC],
        received_post_bac_amount=received[Envelope.POST_BAC],
        carryover_pre_bac_amount=carried[Envelope.PRE_BAC],
        carryover_post_bac_amount=carried[Envelope.POST_BAC],
        spent_pre_bac_amount=spent[Envelope.PRE_BAC],
        spent_post_bac_amount=spent[Envelope.POST_BAC],
        remaining_pre_bac_amount=remaining[Envelope.PRE_BAC],
        remaining_post_bac_amount=remaining[Envelope.POST_BAC],
    )
    report.full_clean()
    report.save()
    UsageReportLine.objects.bulk_create(
        [
            UsageReportLine(
                report=report,
                formation_id=line.formation_id,
                pupils_equipped=line.pupils_equipped,
                non_scholarship_equipped=line.non_scholarship_equipped,
                spent_amount=round_cent(line.spent_amount),
                equipment_types=sorted(set(line.equipment_types)),
            )
            for line in lines
        ]
    )
    existing = {
        c.envelope: c for c in CarryOver.objects.select_for_update().filter(school=school, school_year=next_year)
    }
    carried_changed = False
    for envelope, amount in remaining.items():
        row = existing.get(envelope) or CarryOver(school=school, school_year=next_year, envelope=envelope)
        carried_changed |= row.pk is None or row.amount != amount
        row.amount, row.origin = amount, CarryOverOrigin.USAGE_REPORT
        row.full_clean()
        row.save()
    if carried_changed:  # ARE-6: next year's computed dotation deducted the former carry-over
        mark_stale(next_year, actor=actor, cause=f"carry-over {school.code}")
    audit_record(
        actor=actor,
        action=AuditAction.USAGE_REPORT_SUBMIT,
        obj=report,
        after={"remaining": {k: str(v) for k, v in remaining.items()}, "carried_to": next_year.label},
    )
    return report
