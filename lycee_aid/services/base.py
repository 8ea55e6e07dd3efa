"""The plumbing the ARE use cases share (no use case lives here): the school year locked, created
when missing, refused once voted, the campaign marked stale when a figure it used changes, and the
eligible formations of a year looked up by id."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.models import User
from core.services import audit_record

from ..enums import (
    AuditAction,
    CampaignStatus,
)
from ..models import (
    EligibleFormation,
    SchoolYear,
)

BATCH = 2000
DOTATION_COMPUTED_FIELDS = [
    "status",
    "forfait_amount",
    "forfait_prepa_metiers_amount",
    "scholarship_count",
    "school_enrolments",
    "legacy_scholarship_rate",
    "survey_answered",
    "prepa_metiers_count",
    "pre_bac_count",
    "post_bac_count",
    "scholarship_holders",
    "pre_bac_gross_amount",
    "post_bac_gross_amount",
    "carryover_pre_bac_amount",
    "carryover_post_bac_amount",
    "pre_bac_due_amount",
    "post_bac_due_amount",
    "total_due_amount",
    "computed_at",
]


# -- shared by the use cases: the year locked, refused once voted, the campaign marked stale --------


def lock_year(school_year: SchoolYear) -> SchoolYear:
    return SchoolYear.objects.select_for_update().get(pk=school_year.pk)


def refuse_if_voted(year: SchoolYear, what: str) -> None:
    if year.is_voted:
        raise ValidationError(
            _("La campagne %(y)s est votée : %(what)s ne peut plus être modifié.") % {"y": year.label, "what": what}
        )


def mark_stale(year: SchoolYear, *, actor: User | None, cause: str) -> None:
    """An input of a computed campaign changed (enrolments, a situation, a carry-over, the forfaits,
    the formation list): the campaign is « à recalculer » and its vote is refused until it is
    computed again, so that the figures voted are the figures the officers reviewed.

    `year` is locked by the caller (SELECT … FOR UPDATE), as the vote locks it: an edit and a vote
    are serialised, and whichever comes second sees the other's outcome.
    """
    if year.campaign_status != CampaignStatus.COMPUTED:
        return
    year.campaign_status = CampaignStatus.STALE
    year.save(update_fields=["campaign_status"])
    audit_record(
        actor=actor,
        action=AuditAction.CAMPAIGN_STALE,
        obj=year,
        before={"status": CampaignStatus.COMPUTED},
        after={"status": CampaignStatus.STALE, "cause": cause},
    )


def school_year_for(start_year: int) -> SchoolYear:
    """The school year beginning in `start_year`, created empty (forfaits to confirm) if needed."""
    year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
    return year


def formations_of(year: SchoolYear, ids) -> dict[int, EligibleFormation]:
    found = EligibleFormation.objects.in_bulk([i for i in ids if isinstance(i, int)])
    return {pk: f for pk, f in found.items() if f.school_year_id == year.pk}
