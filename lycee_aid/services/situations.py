"""A lycée's situation in a year: scholarship count, answer to the surveys, carry-overs (ARE-5 to ARE-7)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from core.enums import Country
from core.models import School, User
from core.rules import round_cent
from core.services import audit_record

from .. import permissions
from ..enums import (
    AuditAction,
    CarryOverOrigin,
    Envelope,
)
from ..models import (
    CarryOver,
    SchoolSituation,
    SchoolYear,
)
from .base import lock_year, mark_stale, refuse_if_voted

# -- lycée situation: scholarship count, survey, carry-overs (ARE-5..7) ------------------------


def _scholarship_errors(count, enrolments) -> dict[str, str]:
    """ARE-5: the count and the enrolments come together, as whole numbers, 0 ≤ count ≤ enrolments."""
    for value in (count, enrolments):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            return {"scholarship_count": _("L'effectif boursier et les effectifs sont des nombres entiers positifs.")}
    if count is None and enrolments is None:
        return {}
    if enrolments is None:
        return {"school_enrolments": _("Indiquez les effectifs n-1 de l'établissement.")}
    if count is None:
        return {"scholarship_count": _("Indiquez l'effectif boursier communiqué par l'académie.")}
    if enrolments == 0:
        return {"school_enrolments": _("Les effectifs n-1 de l'établissement doivent être positifs.")}
    if count > enrolments:
        return {
            "scholarship_count": _("L'effectif boursier (%(c)d) dépasse les effectifs n-1 de l'établissement (%(e)d).")
            % {"c": count, "e": enrolments}
        }
    return {}


@transaction.atomic
def situation_set(
    *,
    actor: User | None,
    school: School,
    school_year: SchoolYear,
    scholarship_count: int | None,
    school_enrolments: int | None,
    survey_answered: bool,
    carryover_pre_bac,
    carryover_post_bac,
) -> SchoolSituation:
    """Record a lycée's situation for a year: the académie's latest scholarship count and the
    lycée's enrolments n-1 (ARE-5: the rate is their exact quotient), the survey answer (ARE-7)
    and the carry-overs per envelope (ARE-6). Both counts may be left empty for a lycée without
    post-bac pupils. A change after the campaign was computed makes it « à recalculer »."""
    permissions.require_officer(actor)
    if school.country != Country.FRANCE:
        raise Http404(_("Établissement introuvable."))
    year = lock_year(school_year)
    refuse_if_voted(year, _("la situation du lycée"))
    errors = _scholarship_errors(scholarship_count, school_enrolments)
    carry = {Envelope.PRE_BAC: round_cent(carryover_pre_bac), Envelope.POST_BAC: round_cent(carryover_post_bac)}
    for envelope, amount in carry.items():
        if amount < 0:
            errors[f"carryover_{envelope}"] = _("Un reliquat ne peut pas être négatif.")
    if errors:
        raise ValidationError(errors)
    situation = SchoolSituation.objects.select_for_update().filter(school=school, school_year=year).first()
    before = (
        None
        if situation is None
        else {
            "count": situation.scholarship_count,
            "enrolments": situation.school_enrolments,
            "survey": situation.survey_answered,
        }
    )
    situation = situation or SchoolSituation(school=school, school_year=year)
    situation.scholarship_count = scholarship_count
    situation.school_enrolments = school_enrolments
    situation.survey_answered = survey_answered
    after = {"count": scholarship_count, "enrolments": school_enrolments, "survey": survey_answered}
    changed = after != before
    if changed:
        situation.full_clean()
        situation.save()
    current = {c.envelope: c for c in CarryOver.objects.select_for_update().filter(school=school, school_year=year)}
    for envelope, amount in carry.items():
        row = current.get(envelope)
        if row is None and amount == 0:
            continue
        if row is None:
            row = CarryOver(school=school, school_year=year, envelope=envelope)
        elif row.amount == amount:
            continue
        row.amount, row.origin = amount, CarryOverOrigin.ENTERED
        row.full_clean()
        row.save()
        changed = True
    if changed:
        mark_stale(year, actor=actor, cause=f"situation {school.code}")
        audit_record(
            actor=actor,
            action=AuditAction.SITUATION_SET,
            obj=situation,
            before=before,
            after=after | {"carry": {k: str(v) for k, v in carry.items()}},
        )
    return situation
