"""Scoped querysets of the lycee_aid app: every selector takes the user.

Officers of the ARE see every French lycée; lycée staff see only their own lycée(s), and their
dotation only once it is voted. Anything outside the scope is a 404.

Figures computed when read live in `figures` and are reached from this package
(`selectors.forfaits_propose(...)`): a lycée's enrolments fingerprint, what it received and carried
over per envelope, the forfaits proposed (ARE-3). Nothing here writes: the use cases are in `services`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from core.enums import Academy, Country, Scheme
from core.models import School
from core.rules import ZERO
from core.selectors import is_lycee_staff, schools_for

from .. import permissions, rules
from ..enums import DotationStatus, FormationLevel
from ..models import (
    CpgeAidRequest,
    CpiValue,
    Dotation,
    DotationLine,
    EligibleFormation,
    Enrolment,
    SchoolSituation,
    SchoolYear,
    SupplementaryRequest,
    UsageReport,
)
from .figures import (  # noqa: F401
    ForfaitProposal,
    carryover_per_envelope,
    enrolments_fingerprint,
    forfaits_propose,
    received_per_envelope,
)


def _get(qs: QuerySet, pk, message: str):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(message) from None


# -- reference data ----------------------------------------------------------------------------


def school_year_list(user) -> QuerySet[SchoolYear]:
    if not (permissions.is_are_officer(user) or is_lycee_staff(user)):
        return SchoolYear.objects.none()
    return SchoolYear.objects.order_by("-start_year")


def school_year_get(user, pk) -> SchoolYear:
    return _get(school_year_list(user), pk, _("Année scolaire introuvable."))


def school_year_current(user) -> SchoolYear | None:
    """The latest school year whose forfaits are confirmed (the one lycées work on)."""
    return school_year_list(user).filter(forfaits_confirmed_at__isnull=False).first()


def formation_list(user, *, school_year: SchoolYear) -> QuerySet[EligibleFormation]:
    if not (permissions.is_are_officer(user) or is_lycee_staff(user)):
        return EligibleFormation.objects.none()
    return EligibleFormation.objects.filter(school_year=school_year).order_by("level", "nsf_code", "diploma_code")


def cpi_value_list(user) -> QuerySet[CpiValue]:
    return CpiValue.objects.all() if permissions.is_are_officer(user) else CpiValue.objects.none()


# -- lycées ------------------------------------------------------------------------------------


def lycee_list(user) -> QuerySet[School]:
    """French lycées the user may see (only French schools take part in the ARE)."""
    return schools_for(user, scheme=Scheme.LYCEE_AID).filter(country=Country.FRANCE).order_by("name")


def lycee_get(user, pk) -> School:
    return _get(lycee_list(user), pk, _("Établissement introuvable."))


def situation_list(user, *, school_year: SchoolYear) -> list[dict]:
    """One row per French lycée: its situation and carry-overs for the year (officers only)."""
    if not permissions.is_are_officer(user):
        return []
    from ..models import CarryOver

    by_school = {s.school_id: s for s in SchoolSituation.objects.filter(school_year=school_year)}
    carry = defaultdict(dict)
    for school_id, envelope, amount, origin in CarryOver.objects.filter(school_year=school_year).values_list(
        "school_id", "envelope", "amount", "origin"
    ):
        carry[school_id][envelope] = (amount, origin)
    rows = []
    for school in lycee_list(user):
        situation = by_school.get(school.pk)
        rate = situation.scholarship_rate if situation else None
        rows.append(
            {
                "school": school,
                "situation": situation,
                # ARE-5: the exact rate, as a decimal for display only (the template shows 4 places)
                "rate_shown": None if rate is None else Decimal(rate.numerator) / Decimal(rate.denominator),
                "carry": carry.get(school.pk, {}),
            }
        )
    return rows


def situation_of(school: School, school_year: SchoolYear) -> SchoolSituation | None:
    return SchoolSituation.objects.filter(school=school, school_year=school_year).first()


def enrolment_counts(user, *, school: School, school_year: SchoolYear) -> dict[int, int]:
    """formation id → first-year enrolments n-1 of a lycée the user may see."""
    lycee_get(user, school.pk)
    return dict(
        Enrolment.objects.filter(school=school, formation__school_year=school_year).values_list(
            "formation_id", "first_year_count"
        )
    )


# -- dotations ---------------------------------------------------------------------------------


def dotation_list(user, *, school_year: SchoolYear | None = None) -> QuerySet[Dotation]:
    qs = Dotation.objects.select_related("school", "school_year")
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    if permissions.is_are_officer(user):
        return qs
    if is_lycee_staff(user):
        return qs.filter(school__in=lycee_list(user)).exclude(status=DotationStatus.COMPUTED)
    return qs.none()


def campaign_dotations(user, *, school_year_pk) -> QuerySet[Dotation]:
    """The dotations of one school year (by its id, not fetched: the rows bring it along)."""
    try:
        pk = int(school_year_pk)
    except (TypeError, ValueError):
        raise Http404(_("Année scolaire introuvable.")) from None
    return dotation_list(user).filter(school_year_id=pk)


def dotation_get(user, pk) -> Dotation:
    return _get(dotation_list(user), pk, _("Dotation introuvable."))


def dotation_line_list(dotation: Dotation) -> list[DotationLine]:
    """The formation lines of a dotation (ARE-4, ARE-5).

    Voted (or later): the lines the vote wrote. Computed, not voted yet: the same figures read from
    the lycée's enrolments, unsaved, at the forfaits of the computation (`rules.formation_amount`):
    the campaign cannot be voted once an enrolment changed (« à recalculer »), so what an officer
    reviews here is what the vote writes.
    """
    if dotation.status != DotationStatus.COMPUTED:
        return list(dotation.lines.all())
    lines = []
    for enrolment in Enrolment.objects.filter(
        school_id=dotation.school_id, formation__school_year_id=dotation.school_year_id, first_year_count__gt=0
    ).select_related("formation"):
        f = enrolment.formation
        unit = dotation.forfait_prepa_metiers_amount if f.is_prepa_metiers else dotation.forfait_amount
        post_bac = f.level == FormationLevel.POST_BAC
        lines.append(
            DotationLine(
                dotation=dotation,
                formation=f,
                envelope=f.envelope,
                level=f.level,
                nsf_code=f.nsf_code,
                diploma_code=f.diploma_code,
                title=f.title,
                enrolments=enrolment.first_year_count,
                forfait_amount=unit,
                gross_amount=None if post_bac else rules.formation_amount(enrolment.first_year_count, unit),
            )
        )
    lines.sort(key=lambda line: (line.envelope, line.level, line.nsf_code, line.diploma_code))
    return lines


@dataclass
class CampaignTotals:
    """Totals of the campaign table per académie and per envelope (computed in Python: Decimal)."""

    rows: dict = field(default_factory=dict)
    total: dict = field(default_factory=dict)
    count: int = 0


_TOTAL_KEYS = (
    "pre_bac_gross_amount",
    "post_bac_gross_amount",
    "pre_bac_due_amount",
    "post_bac_due_amount",
    "total_due_amount",
)


def campaign_totals(dotations: QuerySet[Dotation]) -> CampaignTotals:
    """Sum the money of the dotations in Python (SQLite sums decimals as floats and drifts by cents)."""
    totals = CampaignTotals()
    labels = dict(Academy.choices)
    empty = dict.fromkeys(_TOTAL_KEYS, ZERO)
    totals.total = dict(empty)
    for academy, *amounts in dotations.order_by().values_list("school__academy", *_TOTAL_KEYS):
        row = totals.rows.setdefault(labels.get(academy, academy), dict(empty))
        for key, amount in zip(_TOTAL_KEYS, amounts, strict=True):
            row[key] += amount
            totals.total[key] += amount
        totals.count += 1
    totals.rows = dict(sorted(totals.rows.items()))
    return totals


def campaign_is_open_for_staff(school_year: SchoolYear) -> bool:
    return not school_year.is_voted


# -- requests, reports, CPGE -------------------------------------------------------------------


def supplementary_request_list(user) -> QuerySet[SupplementaryRequest]:
    qs = SupplementaryRequest.objects.select_related("school", "school_year", "submitted_by")
    if permissions.is_are_officer(user):
        return qs
    if is_lycee_staff(user):
        return qs.filter(school__in=lycee_list(user))
    return qs.none()


def supplementary_request_get(user, pk) -> SupplementaryRequest:
    return _get(supplementary_request_list(user), pk, _("Demande introuvable."))


def usage_report_list(user) -> QuerySet[UsageReport]:
    qs = UsageReport.objects.select_related("school", "school_year", "submitted_by")
    if permissions.is_are_officer(user):
        return qs
    if is_lycee_staff(user):
        return qs.filter(school__in=lycee_list(user))
    return qs.none()


def usage_report_get(user, pk) -> UsageReport:
    return _get(usage_report_list(user), pk, _("Compte rendu introuvable."))


def cpge_request_list(user) -> QuerySet[CpgeAidRequest]:
    qs = CpgeAidRequest.objects.select_related("school", "school_year")
    if permissions.is_are_officer(user):
        return qs
    if is_lycee_staff(user):
        return qs.filter(school__in=lycee_list(user))
    return qs.none()


# -- home page ---------------------------------------------------------------------------------


def dashboard(user) -> dict | None:
    """Data for this app's section of the user's home page (None: no section for this user)."""
    if permissions.is_are_officer(user):
        year = school_year_list(user).first()
        return {
            "officer": True,
            "year": year,
            "pending_requests": supplementary_request_list(user).filter(status="submitted").count(),
        }
    if is_lycee_staff(user):
        lycees = list(lycee_list(user))
        if not lycees:
            return None
        year = school_year_current(user)
        dotations = list(dotation_list(user).order_by("-school_year__start_year", "school__name")[:6])
        return {"officer": False, "year": year, "lycees": lycees, "dotations": dotations}
    return None
