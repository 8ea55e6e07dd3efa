"""The effect of new ARE forfaits on the dotations of a year, before they are confirmed.

The computed dotations are recomputed with the pure rule (`rules.initial_dotation`, ARE-4..7)
from the figures each one stored (counts, scholarship count and enrolments, carry-overs, survey
answer): one query whatever the number of lycées; nothing is written. Voted, notified or paid
dotations are frozen: new forfaits never change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from core.reference import Impact

from . import rules, selectors
from .models import Dotation, SchoolYear

ZERO = Decimal("0.00")


@dataclass
class DotationChange:
    dotation: Dotation
    pre_bac_after: Decimal
    post_bac_after: Decimal
    total_after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.total_after - self.dotation.total_due_amount


def dotations_preview(*, user, school_year: SchoolYear, forfait, forfait_prepa_metiers) -> list[DotationChange]:
    changes = []
    for dotation in selectors.dotation_list(user, school_year=school_year).select_related("school"):
        rate = dotation.scholarship_rate
        result = rules.initial_dotation(
            prepa_metiers=dotation.prepa_metiers_count,
            pre_bac=dotation.pre_bac_count,
            post_bac=dotation.post_bac_count,
            scholarship_rate=rate if rate is not None else Fraction(0),
            forfait=forfait,
            forfait_prepa_metiers=forfait_prepa_metiers,
            carryover_pre_bac=dotation.carryover_pre_bac_amount,
            carryover_post_bac=dotation.carryover_post_bac_amount,
            survey_answered=dotation.survey_answered,
        )
        if result.total_due != dotation.total_due_amount or result.pre_bac_due != dotation.pre_bac_due_amount:
            changes.append(
                DotationChange(
                    dotation=dotation,
                    pre_bac_after=result.pre_bac_due,
                    post_bac_after=result.post_bac_due,
                    total_after=result.total_due,
                )
            )
    changes.sort(key=lambda c: (-c.difference, c.dotation.school.name))
    return changes


def forfait_impacts(user, school_year: SchoolYear, forfait, forfait_prepa_metiers) -> list[Impact]:
    if school_year.is_voted:
        changes, frozen = [], True
    else:
        changes, frozen = (
            dotations_preview(
                user=user, school_year=school_year, forfait=forfait, forfait_prepa_metiers=forfait_prepa_metiers
            ),
            False,
        )
    return [
        Impact(
            title=_("ARE : dotations de l'année %(y)s") % {"y": school_year.label},
            template="lycee_aid/_impact_dotations.html",
            context={
                "changes": changes,
                "frozen": frozen,
                "year": school_year,
                "total_before": sum((c.dotation.total_due_amount for c in changes), ZERO),
                "total_after": sum((c.total_after for c in changes), ZERO),
                "total_difference": sum((c.difference for c in changes), ZERO),
            },
        )
    ]
