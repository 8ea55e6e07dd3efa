"""The campaign run: every dotation of the year computed by the rules (ARE-4 to ARE-7) and written
in a few set-based statements."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.models import User
from core.rules import ZERO, round_cent
from core.services import audit_record

from .. import permissions, rules
from ..enums import (
    AuditAction,
    CampaignStatus,
    DotationStatus,
    Envelope,
    FormationLevel,
)
from ..models import (
    CarryOver,
    Dotation,
    Enrolment,
    SchoolSituation,
    SchoolYear,
)
from .base import BATCH, lock_year, refuse_if_voted
from .campaign_sql import (
    CampaignResult,
    campaign_schools,
    dotations_history_insert,
    dotations_update,
    missing_scholarship_counts,
)


@dataclass(frozen=True)
class _CampaignInputs:
    """What the campaign reads, in four queries: the lycées, their situations and carry-overs, and
    Σ first-year enrolments per lycée and level."""

    schools: list[tuple[int, str, str]]
    situations: dict[int, tuple[int | None, int | None, bool]]
    carry: dict[tuple[int, str], Decimal]
    counts_of: dict[int, dict[str, int]]


def _campaign_inputs(year: SchoolYear) -> _CampaignInputs:
    schools = list(campaign_schools().order_by("name").values_list("pk", "code", "name"))
    situations = {
        s: (count, enrolments, survey)
        for s, count, enrolments, survey in SchoolSituation.objects.filter(school_year=year).values_list(
            "school_id", "scholarship_count", "school_enrolments", "survey_answered"
        )
    }
    carry: dict[tuple[int, str], Decimal] = {
        (s, e): a
        for s, e, a in CarryOver.objects.filter(school_year=year).values_list("school_id", "envelope", "amount")
    }
    counts_of: dict[int, dict[str, int]] = {}
    # Integers: summed exactly in SQL, SQLite included.
    for school_id, level, count in (
        Enrolment.objects.filter(formation__school_year=year, first_year_count__gt=0)
        .order_by()
        .values("school_id", "formation__level")
        .annotate(total=Sum("first_year_count"))
        .values_list("school_id", "formation__level", "total")
    ):
        counts_of.setdefault(school_id, {})[level] = int(count)
    return _CampaignInputs(schools=schools, situations=situations, carry=carry, counts_of=counts_of)


def _refuse_missing_scholarship_counts(inputs: _CampaignInputs) -> None:
    """ARE-5: a lycée with post-bac pupils that answered the surveys needs its scholarship count."""
    missing = [
        f"{name} ({code})"
        for school_id, code, name in inputs.schools
        if inputs.counts_of.get(school_id, {}).get(FormationLevel.POST_BAC)
        and inputs.situations.get(school_id, (None, None, False))[2]
        and inputs.situations[school_id][0] is None
    ]
    if missing:
        raise missing_scholarship_counts(missing)


def _dotation_values(inputs: _CampaignInputs, school_id: int, year: SchoolYear) -> dict:
    """The figures of one lycée's dotation, every amount from `rules.initial_dotation` (ARE-4 to ARE-7)."""
    counts = inputs.counts_of.get(school_id, {})
    prepa = counts.get(FormationLevel.INFRA_V, 0)
    pre = counts.get(FormationLevel.PRE_BAC, 0)
    post = counts.get(FormationLevel.POST_BAC, 0)
    scholarship_count, school_enrolments, survey = inputs.situations.get(school_id, (None, None, False))
    # No count: no post-bac pupil, or no survey answer (nothing is due): the rate plays no part.
    rate = (
        rules.scholarship_rate(scholarship_count, school_enrolments)
        if scholarship_count is not None
        else rules.scholarship_rate(0, 1)
    )
    carry_pre = round_cent(inputs.carry.get((school_id, Envelope.PRE_BAC), ZERO))
    carry_post = round_cent(inputs.carry.get((school_id, Envelope.POST_BAC), ZERO))
    result = rules.initial_dotation(
        prepa_metiers=prepa,
        pre_bac=pre,
        post_bac=post,
        scholarship_rate=rate,
        forfait=year.forfait_amount,
        forfait_prepa_metiers=year.forfait_prepa_metiers_amount,
        carryover_pre_bac=carry_pre,
        carryover_post_bac=carry_post,
        survey_answered=survey,
    )
    return {
        "scholarship_count": scholarship_count,
        "school_enrolments": school_enrolments,
        "survey_answered": survey,
        "prepa_metiers_count": prepa,
        "pre_bac_count": pre,
        "post_bac_count": post,
        "scholarship_holders": result.scholarship_holders,
        "pre_bac_gross_amount": result.pre_bac_gross,
        "post_bac_gross_amount": result.post_bac_gross,
        "carryover_pre_bac_amount": carry_pre,
        "carryover_post_bac_amount": carry_post,
        "pre_bac_due_amount": result.pre_bac_due,
        "post_bac_due_amount": result.post_bac_due,
        "total_due_amount": result.total_due,
    }


def _dotations_write(year: SchoolYear, *, existing: dict[int, int], to_update, to_create, shared, actor, now) -> None:
    """Update the dotations of a former run and create the new ones, each with its history row."""
    if to_update:
        dotations_update(to_update, shared)
        # Before any creation, so that the rows stamped `now` are exactly the ones just updated.
        dotations_history_insert(year, history_type="~", actor=actor, now=now, reason="campaign_run", computed_at=now)
    if to_create and not existing:
        Dotation.objects.bulk_create(to_create, batch_size=BATCH)
        dotations_history_insert(year, history_type="+", actor=actor, now=now, reason="campaign_run", computed_at=now)
    elif to_create:  # lycées added since the first run: a few rows, simple-history's own path
        bulk_create_with_history(
            to_create, Dotation, batch_size=BATCH, default_user=actor, default_change_reason="campaign_run"
        )


@transaction.atomic
def campaign_run(*, actor: User | None, school_year: SchoolYear) -> CampaignResult:
    """Compute the initial dotation of every French lycée for a school year, per envelope.

    Set-based, a fixed number of queries whatever the number of lycées and formations:
    1. `_campaign_inputs`: one aggregate of first-year enrolments per lycée and level, the
       situations and carry-overs of the year;
    2. `_dotation_values`: every dotation computed in Python by `rules.initial_dotation`, with the
       exact scholarship rate of `rules.scholarship_rate` (the amounts come from the pure rules only);
    3. `_dotations_write`: written in batches with a history row per dotation (reason "campaign_run").

    Nothing is written per formation: until the vote, a dotation's detail is read from the
    enrolments (`selectors.dotation_line_list`), and any edit of an input makes the campaign « à
    recalculer » (`mark_stale`). The vote writes the lines once (`campaign_vote`). A lycée with
    post-bac pupils that answered the surveys needs its scholarship count and enrolments (ARE-5).
    """
    permissions.require_officer(actor)
    year = lock_year(school_year)
    refuse_if_voted(year, _("la campagne"))
    if not year.forfaits_confirmed:
        raise ValidationError(
            _("Confirmez les forfaits de l'année %(y)s avant de calculer la campagne.") % {"y": year.label}
        )
    now = timezone.now()
    inputs = _campaign_inputs(year)
    _refuse_missing_scholarship_counts(inputs)
    existing = dict(Dotation.objects.filter(school_year=year).values_list("school_id", "pk"))
    shared = {
        "status": DotationStatus.COMPUTED,
        "forfait_amount": year.forfait_amount,
        "forfait_prepa_metiers_amount": year.forfait_prepa_metiers_amount,
        "legacy_scholarship_rate": None,
        "computed_at": now,
    }
    to_create, to_update = [], []
    total = ZERO
    for school_id, _code, _name in inputs.schools:
        values = _dotation_values(inputs, school_id, year)
        if school_id in existing:
            to_update.append((existing[school_id], values))
        else:
            to_create.append(Dotation(school_id=school_id, school_year=year, **shared, **values))
        total += values["total_due_amount"]
    _dotations_write(
        year, existing=existing, to_update=to_update, to_create=to_create, shared=shared, actor=actor, now=now
    )
    before = year.campaign_status
    year.campaign_status = CampaignStatus.COMPUTED
    year.campaign_computed_at = now
    year.save(update_fields=["campaign_status", "campaign_computed_at"])
    schools = inputs.schools
    audit_record(
        actor=actor,
        action=AuditAction.CAMPAIGN_RUN,
        obj=year,
        before={"status": before},
        after={"status": year.campaign_status, "dotations": len(schools), "total_due": str(total)},
    )
    return CampaignResult(dotations=len(schools), total_due=total)
