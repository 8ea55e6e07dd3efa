"""The effect of a new reference value on the apprenticeship figures, before it is saved.

The arrears machinery (`selectors.schedule_compute` / `schedule_compare`, APP-9 as clarified) is run
twice over the contracts with frozen figures (issued statements, recorded payments): once with
the series in force, once with the series as it would be once the new period is fitted in
(`core.reference.simulated_periods`). Histories and rates are loaded once; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.reference import Impact, simulated_periods

from . import permissions, selectors
from .reforms.selectors import adopted_scenarios

ZERO = Decimal("0.00")


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass
class MonthChange:
    month: date
    before: Decimal
    after: Decimal
    issued: Decimal | None  # the figure of the latest statement
    paid: Decimal | None

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass
class ContractChange:
    contract: object
    arrears_before: Decimal
    arrears_after: Decimal
    months: list[MonthChange] = field(default_factory=list)
    error: str = ""

    @property
    def difference(self) -> Decimal:
        return self.arrears_after - self.arrears_before

    @property
    def month_runs(self) -> list[tuple[date, date, Decimal, Decimal]]:
        """Consecutive months with the same change, as (first, last, before, after): « janvier à
        mai 2026 : 730,01 € → 739,03 € » reads better than five lines."""
        runs: list[list] = []
        for m in self.months:
            last = runs[-1] if runs else None
            if last is not None and _next_month(last[1]) == m.month and (last[2], last[3]) == (m.before, m.after):
                last[1] = m.month
            else:
                runs.append([m.month, m.month, m.before, m.after])
        return [tuple(run) for run in runs]


def _arrears(comparison) -> Decimal:
    return comparison.total_difference + comparison.total_shortfall


def arrears_preview(*, user, patch, today: date | None = None) -> list[ContractChange]:
    """Per contract with frozen figures that the user may see, the arrears (differences with the
    latest statement plus shortfalls of recorded payments, over the months already due) before and
    after the change made by `patch(histories, rates) -> (histories, rates)`; only the contracts
    whose amounts due change. A fixed number of queries whatever the number of contracts."""
    contracts = list(selectors.contracts_with_frozen_figures(user))
    histories = selectors.parameter_histories()
    rates = selectors.rate_histories(contracts)
    new_histories, new_rates = patch(histories, rates)
    reforms = adopted_scenarios()
    today = today or timezone.localdate()
    changes = []
    for contract in contracts:
        before = selectors.schedule_compare(
            contract=contract,
            schedule=selectors.schedule_compute(contract=contract, histories=histories, rates=rates),
            today=today,
            reforms=reforms,
        )
        after_schedule = selectors.schedule_compute(contract=contract, histories=new_histories, rates=new_rates)
        after = selectors.schedule_compare(contract=contract, schedule=after_schedule, today=today, reforms=reforms)
        old_rows = {row.line.month: row for row in before.rows}
        months = [
            MonthChange(
                month=row.line.month,
                before=old_rows[row.line.month].line.due_amount,
                after=row.line.due_amount,
                issued=row.issued_due,
                paid=row.paid,
            )
            for row in after.rows
            if row.due
            and row.line.month in old_rows
            and old_rows[row.line.month].line.due_amount != row.line.due_amount
        ]
        if months or after_schedule.error:
            changes.append(
                ContractChange(
                    contract=contract,
                    arrears_before=_arrears(before),
                    arrears_after=_arrears(after),
                    months=months,
                    error=after_schedule.error,
                )
            )
    changes.sort(key=lambda c: (-c.difference, c.contract.reference))
    return changes


def _impact(changes: list[ContractChange]) -> Impact:
    return Impact(
        title=_("Contrats d'apprentissage : arriérés"),
        template="apprenticeship/_impact_arrears.html",
        context={
            "changes": changes,
            "total_before": sum((c.arrears_before for c in changes), ZERO),
            "total_after": sum((c.arrears_after for c in changes), ZERO),
            "total_difference": sum((c.difference for c in changes), ZERO),
        },
    )


def _replace(histories: dict, name: str, periods) -> dict:
    return {**histories, name: periods}


def index_impacts(user, instance) -> list[Impact]:
    if not permissions.is_apprenticeship_officer(user):
        return []
    periods = simulated_periods(instance, lambda row: row.value)
    return [_impact(arrears_preview(user=user, patch=lambda h, r: (_replace(h, "index", periods), r)))]


def ssm_impacts(user, instance) -> list[Impact]:
    if not permissions.is_apprenticeship_officer(user):
        return []
    periods = simulated_periods(instance, lambda row: row.amount_at_100)
    return [_impact(arrears_preview(user=user, patch=lambda h, r: (_replace(h, "ssm", periods), r)))]


def _patch_rates(group: str, owner_id: int, training_year: int, periods):
    def patch(histories, rates):
        owners = {**rates[group]}
        owners[owner_id] = {**owners.get(owner_id, {}), training_year: periods}
        return histories, {**rates, group: owners}

    return patch


def trade_rate_impacts(user, instance) -> list[Impact]:
    periods = simulated_periods(instance, lambda row: (row.rate_before_pii, row.rate_after_pii))
    patch = _patch_rates("trades", instance.trade_id, instance.training_year, periods)
    return [_impact(arrears_preview(user=user, patch=patch))]


def cross_border_rate_impacts(user, instance) -> list[Impact]:
    periods = simulated_periods(instance, lambda row: row.amount_at_100)
    patch = _patch_rates("formations", instance.formation_id, instance.training_year, periods)
    return [_impact(arrears_preview(user=user, patch=patch))]
