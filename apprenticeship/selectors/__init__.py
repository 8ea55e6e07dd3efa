"""Scoped access to apprenticeship data: every selector takes the user (docs/architecture.md "Who uses it").

Officers of the apprenticeship scheme see everything; lycée staff the contracts of their schools;
employers the contracts of the companies whose accounts include them. One object outside the
scope is a 404, never a 403.

Reads that compute rather than fetch live in the modules of this package and are reached from it
(`selectors.schedule_compute(...)`): `schedule` (the amounts due, APP-1 to APP-5, and the arrears),
`checks` (the APP-8 checks), `aid` (the employer's aid years and preview, APP-6/APP-7), `statements`
(a frozen statement beside today's figures) and `calculator` (the public calculator). Nothing here
writes: the use cases are in `services`.
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.enums import Country
from core.models import LuxIndex, School, SocialMinimumWage
from core.rules import value_in_force
from core.selectors import is_employer, is_lycee_staff, schools_for

from .. import permissions
from ..enums import ContractStatus
from ..models import (
    AidRequest,
    Apprentice,
    Contract,
    CrossBorderFormation,
    CrossBorderRate,
    Employer,
    Payment,
    Statement,
    Trade,
    TradeRate,
)
from .aid import (  # noqa: F401
    AidPreview,
    aid_default_year,
    aid_preview,
    aid_request_premature,
    aid_year_error,
    aid_years,
)
from .calculator import Calculation, CalculationStep, calculator_compute, calculator_steps  # noqa: F401
from .checks import (  # noqa: F401
    BLOCKING_CHECKS,
    CHECK_FIELDS,
    contract_checks,
    contract_registered_status,
    contract_validate,
    employer_is_approved,
)
from .schedule import (  # noqa: F401
    Comparison,
    Schedule,
    ScheduleRow,
    arrears_overview,
    contract_dates_error,
    contract_school_years,
    current_month,
    schedule_compare,
    schedule_compute,
)
from .statements import (  # noqa: F401
    StatementComparison,
    statement_compare,
    statement_oversized,
    statement_parameters,
    statement_same_figures,
)

# -- contracts -----------------------------------------------------------------------------------


def contract_list(user) -> QuerySet[Contract]:
    """The contracts the user may see, with what the lists show (no N+1)."""
    qs = Contract.objects.select_related("apprentice", "employer", "school", "trade", "formation")
    if permissions.is_apprenticeship_officer(user):
        return qs
    if is_lycee_staff(user):
        return qs.filter(school__in=schools_for(user, scheme=permissions.SCHEME))
    if is_employer(user):
        return qs.filter(employer__accounts=user)
    return qs.none()


def contract_get(user, pk) -> Contract:
    try:
        return contract_list(user).get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Contrat introuvable.")) from None


def school_list_for_registration(user) -> QuerySet[School]:
    """Schools for which the user may register contracts."""
    if permissions.is_apprenticeship_officer(user):
        return School.objects.all()
    if is_lycee_staff(user):
        return schools_for(user, scheme=permissions.SCHEME)
    return School.objects.none()


def employer_list(user) -> QuerySet[Employer]:
    if permissions.is_apprenticeship_officer(user) or is_lycee_staff(user):
        return Employer.objects.all()
    if is_employer(user):
        return Employer.objects.filter(accounts=user)
    return Employer.objects.none()


def apprentice_list(user) -> QuerySet[Apprentice]:
    return Apprentice.objects.filter(contracts__in=contract_list(user)).distinct()


def statement_list(user) -> QuerySet[Statement]:
    return Statement.objects.filter(contract__in=contract_list(user)).select_related(
        "contract__apprentice", "contract__employer", "issued_by"
    )


def statement_get(user, pk) -> Statement:
    try:
        return (
            statement_list(user).select_related("contract__school", "contract__trade", "contract__formation").get(pk=pk)
        )
    except (Statement.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Relevé introuvable.")) from None


def aid_request_list(user) -> QuerySet[AidRequest]:
    return AidRequest.objects.filter(contract__in=contract_list(user)).select_related(
        "contract__apprentice", "contract__employer", "prepared_by"
    )


def aid_request_get(user, pk) -> AidRequest:
    try:
        return (
            aid_request_list(user)
            .select_related("contract__school", "contract__trade", "contract__formation")
            .get(pk=pk)
        )
    except (AidRequest.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Demande d'aide introuvable.")) from None


def payment_list(contract: Contract) -> dict[date, Payment]:
    return {p.month: p for p in contract.payments.all()}


# -- reference data (public) -----------------------------------------------------------------------


def trade_list_public() -> QuerySet[Trade]:
    return Trade.objects.order_by("diploma", "name")


def formation_list_public(on: date | None = None) -> QuerySet[CrossBorderFormation]:
    qs = CrossBorderFormation.objects.order_by("level", "title")
    if on:
        qs = qs.filter(offered_from__lte=on).filter(Q(offered_until__isnull=True) | Q(offered_until__gte=on))
    return qs


def formation_rates_in_force(on: date) -> list[CrossBorderRate]:
    """APP-5: the rate in force on `on` of every formation offered then and each of its training
    years (two queries; the periods resolved with CORE-2 in Python as the schedules do)."""
    formations = list(formation_list_public(on))
    periods: dict[tuple[int, int], list] = {}
    for rate in CrossBorderRate.objects.filter(formation__in=formations).in_force(on=on).select_related("formation"):
        periods.setdefault((rate.formation_id, rate.training_year), []).append(
            (rate.valid_from, rate.valid_until, rate)
        )
    rows = []
    for formation in formations:
        for year in range(1, formation.duration_years + 1):
            rate = value_in_force(periods.get((formation.pk, year), []), on)
            if rate is not None:
                rows.append(rate)
    return rows


def trade_rate_in_force(trade: Trade, training_year: int, on: date) -> TradeRate | None:
    return TradeRate.objects.filter(trade=trade, training_year=training_year).in_force(on=on).first()


def has_pii_rate(contract: Contract) -> bool:
    """APP-3: whether the contract's trade has an increased rate after the PII (rate after PII
    above the rate before) for some training year, among the rates in force during the contract.
    Seed 002: only the DAP rates move (CCP and DT do not; cross-border formations have no PII)."""
    if not contract.trade_id:
        return False
    return (
        TradeRate.objects.filter(trade_id=contract.trade_id, rate_after_pii__gt=F("rate_before_pii"))
        .filter(valid_from__lte=contract.effective_end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=contract.start_date))
        .exists()
    )


def cross_border_rate_in_force(formation: CrossBorderFormation, training_year: int, on: date) -> CrossBorderRate | None:
    return CrossBorderRate.objects.filter(formation=formation, training_year=training_year).in_force(on=on).first()


def parameter_histories() -> dict:
    """The index and SSM histories, in two queries, as periods for `core.rules.value_in_force`
    (CORE-2, CORE-3)."""
    return {
        "index": LuxIndex.objects.periods("value"),
        "ssm": SocialMinimumWage.objects.periods("amount_at_100"),
    }


def rate_histories(contracts) -> dict:
    """Rates of the trades and formations of `contracts`, in two queries, grouped per programme
    and training year as (valid_from, valid_until, value) periods ready for `rules.schedule_lines`."""
    trade_ids = {c.trade_id for c in contracts if c.trade_id}
    formation_ids = {c.formation_id for c in contracts if c.formation_id}
    trades: dict[int, dict[int, list]] = {}
    formations: dict[int, dict[int, list]] = {}
    if trade_ids:
        for row in TradeRate.objects.filter(trade_id__in=trade_ids):
            trades.setdefault(row.trade_id, {}).setdefault(row.training_year, []).append(
                (row.valid_from, row.valid_until, (row.rate_before_pii, row.rate_after_pii))
            )
    if formation_ids:
        for row in CrossBorderRate.objects.filter(formation_id__in=formation_ids):
            formations.setdefault(row.formation_id, {}).setdefault(row.training_year, []).append(
                (row.valid_from, row.valid_until, row.amount_at_100)
            )
    return {"trades": trades, "formations": formations}


def contracts_with_frozen_figures(user) -> QuerySet[Contract]:
    """Contracts that have issued statements or recorded payments, with them prefetched; drafts
    owe no arrears (APP-9 as clarified)."""
    return (
        contract_list(user)
        .exclude(status=ContractStatus.DRAFT)
        .filter(Q(statements__isnull=False) | Q(payments__isnull=False))
        .distinct()
        .prefetch_related(
            "training_years",
            "payments",
            Prefetch("statements", queryset=Statement.objects.order_by("issued_at", "id").prefetch_related("lines")),
        )
    )


# -- home page -----------------------------------------------------------------------------------


def aid_deadlines(contracts: QuerySet[Contract], today: date) -> list[dict]:
    """APP-7 warning before forclusion: per apprenticeship year that can be requested today, the
    contracts without a prepared request and the deadline (two queries)."""
    pending: dict[int, dict] = {}
    for contract in contracts.exclude(status=ContractStatus.DRAFT).prefetch_related("aid_requests"):
        prepared = {aid.school_year for aid in contract.aid_requests.all()}
        for year in aid_years(contract=contract, today=today):
            if year.requestable(today) and year.school_year not in prepared:
                entry = pending.setdefault(
                    year.school_year,
                    {
                        "label": year.label,
                        "school_year": year.school_year,
                        "deadline": year.deadline,
                        "days": (year.deadline - today).days,
                        "count": 0,
                        "contracts": [],
                    },
                )
                entry["count"] += 1
                entry["contracts"].append(contract)
    return [pending[year] for year in sorted(pending)]


def works_in_apprenticeship(user) -> bool:
    """Officers of the scheme, employers, and the staff of a Luxembourg lycée (a French lycée
    takes no part in the Luxembourg apprenticeship)."""
    if permissions.is_apprenticeship_officer(user) or is_employer(user):
        return True
    return (
        is_lycee_staff(user)
        and schools_for(user, scheme=permissions.SCHEME).filter(country=Country.LUXEMBOURG).exists()
    )


def dashboard(user) -> dict | None:
    """Data for this app's section of the home page (None hides it)."""
    if not works_in_apprenticeship(user):
        return None
    contracts = contract_list(user)
    today = timezone.localdate()
    counts = dict.fromkeys(ContractStatus.values, 0)
    for status in contracts.values_list("status", flat=True):
        counts[status] += 1
    deadlines = []
    if is_employer(user):
        deadlines = aid_deadlines(contracts, today)
    return {
        "total": sum(counts.values()),
        "active": counts[ContractStatus.ACTIVE],
        "draft": counts[ContractStatus.DRAFT],
        "registered": counts[ContractStatus.REGISTERED],
        "is_officer": permissions.is_apprenticeship_officer(user),
        "is_staff": is_lycee_staff(user),
        "is_employer": is_employer(user),
        "deadlines": deadlines,
    }
