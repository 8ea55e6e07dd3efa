"""Scoped access to reform scenarios (officers of the apprenticeship scheme only) and the
set-based reads the simulation needs (a fixed number of queries whatever the caseload)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from types import SimpleNamespace

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from core.models import School

from .. import permissions as app_permissions
from .. import selectors as app_selectors
from ..enums import ContractStatus, ReformStatus
from ..models import Contract, CrossBorderFormation, Employer, Trade, TrainingYear
from . import rules
from .models import ReformScenario, ReformSimulation


def scenarios_for(user) -> QuerySet[ReformScenario]:
    if app_permissions.is_apprenticeship_officer(user):
        return ReformScenario.objects.all()
    return ReformScenario.objects.none()


def scenario_for(user, pk) -> ReformScenario:
    try:
        return scenarios_for(user).get(pk=pk)
    except (ReformScenario.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Scénario introuvable.")) from None


def latest_simulation(scenario: ReformScenario) -> ReformSimulation | None:
    return scenario.simulations.order_by("-run_at", "-id").first()


def reform_of(scenario: ReformScenario) -> rules.Reform:
    """The scenario's parameters for the pure rules (one query)."""
    rows = tuple(
        rules.ReformRateRow(
            programme=r.programme,
            duration_years=r.duration_years,
            training_year=r.training_year,
            basis=r.basis,
            before_pii=r.value_before_pii,
            after_pii=r.value_after_pii,
        )
        for r in scenario.rates.all()
    )
    return rules.Reform(
        effective_from=scenario.effective_from,
        rates=rows,
        keep_higher=scenario.keep_higher,
        payer=scenario.difference_payer,
        bonus=scenario.trainer_bonus_amount,
    )


CASELOAD_FIELDS = (
    "pk",
    "reference",
    "start_date",
    "end_date",
    "ended_on",
    "first_training_year",
    "trade_id",
    "formation_id",
    "is_adult",
    "pii_notified_on",
    "employer_id",
    "school_id",
    "trade__diploma",
    "trade__duration_years",
    "formation__duration_years",
)


def caseload(effective_from: date) -> QuerySet[Contract]:
    """Every contract that is not a draft and runs on or after the effective date."""
    return (
        Contract.objects.exclude(status=ContractStatus.DRAFT)
        .filter(end_date__gte=effective_from)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=effective_from))
    )


def caseload_data(effective_from: date) -> dict:
    """The caseload and everything computed on it, in a fixed number of queries: contracts (1),
    recorded training years (1), index and SSM (2), rates of every trade and formation (2), names
    of the trades, formations, schools and employers (4)."""
    contracts = caseload(effective_from)
    rows = list(contracts.order_by("pk").values_list(*CASELOAD_FIELDS))
    recorded: dict[int, dict[int, int]] = defaultdict(dict)
    for contract_id, school_year, training_year in TrainingYear.objects.filter(
        contract__in=contracts.values("pk")
    ).values_list("contract_id", "school_year", "training_year"):
        recorded[contract_id][school_year] = training_year
    # Reference data is small: all of it, so the number of queries does not depend on the caseload.
    trades = dict(Trade.objects.values_list("pk", "name"))
    formations = dict(CrossBorderFormation.objects.values_list("pk", "title"))
    everything = [SimpleNamespace(trade_id=pk, formation_id=None) for pk in trades]
    everything += [SimpleNamespace(trade_id=None, formation_id=pk) for pk in formations]
    return {
        "rows": rows,
        "recorded": recorded,
        "histories": app_selectors.parameter_histories(),
        "rates": app_selectors.rate_histories(everything),
        "trades": trades,
        "formations": formations,
        "schools": dict(School.objects.filter(apprenticeships__in=contracts.values("pk")).values_list("pk", "name")),
        "employers": dict(Employer.objects.filter(contracts__in=contracts.values("pk")).values_list("pk", "name")),
    }


def adopted_scenarios() -> list[ReformScenario]:
    """Adopted reforms, oldest first (one query): the State's share of arrears comes from them."""
    return list(ReformScenario.objects.filter(status=ReformStatus.ADOPTED).order_by("effective_from", "pk"))
