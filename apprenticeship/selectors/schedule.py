"""The schedule of a contract, computed when read: the amount due each month (APP-1 to APP-5),
compared with what was paid, and the arrears overview of the contracts a user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.rules import ZERO
from core.wording import day_label, month_label

from .. import rules, selectors
from ..enums import ContractStatus
from ..models import (
    Contract,
    Statement,
)

# -- schedule (APP-1 … APP-5) --------------------------------------------------------------------


@dataclass
class Schedule:
    """The current computation of a contract, month by month, with its totals."""

    lines: list[rules.ScheduleLine] = field(default_factory=list)
    error: str = ""

    @property
    def total_due(self) -> Decimal:
        return sum((line.due_amount for line in self.lines), ZERO)

    @property
    def total_standard(self) -> Decimal:
        return sum((line.standard_amount for line in self.lines), ZERO)

    @property
    def total_reimbursement(self) -> Decimal:
        return sum((line.reimbursement_amount for line in self.lines), ZERO)

    def line_for(self, month: date) -> rules.ScheduleLine | None:
        return next((line for line in self.lines if line.month == month), None)


def _missing_message(exc: rules.MissingParameter) -> str:
    what = {
        "index": _("aucun nombre indice n'est en vigueur"),
        "ssm": _("aucun salaire social minimum n'est en vigueur"),
        "rate": _("aucun taux n'est en vigueur pour l'année de formation %(y)s") % {"y": exc.training_year},
        "amount": _("aucune indemnité n'est en vigueur pour l'année de formation %(y)s") % {"y": exc.training_year},
    }[exc.what]
    return _("Calcul impossible pour %(m)s : %(what)s. Un agent doit compléter les barèmes.") % {
        "m": month_label(exc.month),
        "what": what,
    }


def contract_dates_error(contract: Contract) -> str:
    """Why a stored contract's dates cannot be computed on ("" when they can).

    Dates are bounded when a contract is registered or updated (APP-8, `rules.contract_max_end`);
    a contract stored before that may run to 31/12/9999. Nothing is computed for it (no schedule,
    statement, payment or aid): computing would only produce thousands of meaningless lines."""
    start, end = contract.start_date, contract.effective_end
    if not rules.CONTRACT_DATE_MIN <= start <= rules.CONTRACT_DATE_MAX:
        return _(
            "Calcul refusé : le contrat commence le %(s)s, en dehors des dates possibles (du %(a)s au %(b)s). "
            "Ses dates doivent être corrigées avant tout calcul."
        ) % {"s": day_label(start), "a": day_label(rules.CONTRACT_DATE_MIN), "b": day_label(rules.CONTRACT_DATE_MAX)}
    duration, first = contract.duration_years, contract.first_training_year
    if not rules.contract_dates_computable(start, end, duration=duration, first_training_year=first):
        maximum = rules.contract_max_end(start, duration=duration, first_training_year=first)
        return _(
            "Calcul refusé : le contrat court du %(s)s au %(e)s, au-delà de ce que permet la durée de formation "
            "(fin au plus tard le %(m)s). Ses dates doivent être corrigées, ou sa fin effective enregistrée, "
            "avant tout calcul."
        ) % {"s": day_label(start), "e": day_label(end), "m": day_label(maximum)}
    return ""


def contract_school_years(contract: Contract) -> list[int]:
    """The school years (by their first calendar year) a contract runs in; none when its dates
    cannot be computed on."""
    if contract_dates_error(contract):
        return []
    return list(range(rules.school_year_of(contract.start_date), rules.school_year_of(contract.effective_end) + 1))


def schedule_compute(*, contract: Contract, histories: dict | None = None, rates: dict | None = None) -> Schedule:
    """The monthly schedule of a contract from its start to its (effective) end.

    Index and SSM histories are loaded once (two queries) and each month is resolved in Python
    with `core.rules.value_in_force` (CORE-2, CORE-3); pass `histories`/`rates` to share them
    across many contracts. Dates beyond what the training allows are refused (`contract_dates_error`).
    """
    error = contract_dates_error(contract)
    if error:
        return Schedule(error=error)
    histories = histories or selectors.parameter_histories()
    rates = rates or selectors.rate_histories([contract])
    recorded = {ty.school_year: ty.training_year for ty in contract.training_years.all()}
    years = rules.training_years(
        start=contract.start_date,
        end=contract.effective_end,
        first_training_year=contract.first_training_year,
        duration=contract.duration_years,
        recorded=recorded,
    )
    kwargs = {}
    if contract.trade_id:
        kwargs["rate_periods"] = rates["trades"].get(contract.trade_id, {})
    else:
        kwargs["amount_periods"] = rates["formations"].get(contract.formation_id, {})
    try:
        lines = rules.schedule_lines(
            start=contract.start_date,
            end=contract.effective_end,
            training_year_by_school_year=years,
            index_periods=histories["index"],
            ssm_periods=histories["ssm"],
            pii_notified_on=contract.pii_notified_on,
            adult=contract.is_adult,
            **kwargs,
        )
    except rules.MissingParameter as exc:
        return Schedule(error=_missing_message(exc))
    return Schedule(lines=lines)


@dataclass
class ScheduleRow:
    """One month on screen: the current computation beside the frozen figures (statement, payment)."""

    line: rules.ScheduleLine
    issued_due: Decimal | None = None  # as in the latest issued statement
    paid: Decimal | None = None
    recorded_due: Decimal | None = None  # due as computed when the payment was recorded
    due: bool = True  # a month already due (up to the current one) of a contract that is not a draft
    reform_state: Decimal | None = None  # the part of the amount due an adopted reform puts on the State

    @property
    def difference(self) -> Decimal | None:
        """Current computation − figure of the latest statement (arrears after a new index), for
        a month already due only: a month to come is not owed yet (APP-9 as clarified)."""
        if not self.due or self.issued_due is None:
            return None
        return self.line.due_amount - self.issued_due

    @property
    def state_share(self) -> Decimal | None:
        """The part of the difference the State pays under an adopted reform (never more than
        the difference itself): the employer owes the rest."""
        difference = self.difference
        if difference is None or not self.reform_state or difference <= 0:
            return None
        return min(difference, self.reform_state)

    @property
    def employer_difference(self) -> Decimal | None:
        difference = self.difference
        if difference is None:
            return None
        return difference - (self.state_share or ZERO)

    @property
    def shortfall(self) -> Decimal | None:
        """APP-9: what is still owed when less than the minimum indemnity was paid (months due)."""
        if not self.due or self.paid is None:
            return None
        return max(self.line.due_amount - self.paid, ZERO)


@dataclass
class Comparison:
    rows: list[ScheduleRow]
    statement: Statement | None
    due_until: date | None = None  # the last month whose arrears count (None: none, a draft)

    @property
    def total_difference(self) -> Decimal:
        return sum((r.difference for r in self.rows if r.difference is not None), ZERO)

    @property
    def total_state_share(self) -> Decimal:
        return sum((r.state_share for r in self.rows if r.state_share is not None), ZERO)

    @property
    def total_employer_difference(self) -> Decimal:
        return self.total_difference - self.total_state_share

    @property
    def total_shortfall(self) -> Decimal:
        return sum((r.shortfall for r in self.rows if r.shortfall is not None), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum((r.paid for r in self.rows if r.paid is not None), ZERO)

    @property
    def months_short(self) -> int:
        return sum(1 for r in self.rows if r.shortfall)


def current_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return date(today.year, today.month, 1)


def schedule_compare(
    *, contract: Contract, schedule: Schedule, today: date | None = None, reforms: list | None = None
) -> Comparison:
    """Put the frozen figures beside the current computation (uses prefetched relations if any).

    Arrears (differences with the latest statement, shortfalls of recorded payments) concern the
    months already due, up to the current one, of a contract that is registered, active or ended;
    never months to come, never a draft (APP-9 as clarified). The State's share of an adopted
    reform (`reforms`: adopted scenarios, loaded once by the caller) is shown apart."""
    from ..reforms.selectors import adopted_scenarios
    from ..reforms.services import state_shares

    reforms = adopted_scenarios() if reforms is None else reforms
    shares = state_shares(contract=contract, lines=schedule.lines, scenarios=reforms) if reforms else {}
    due_until = None if contract.status == ContractStatus.DRAFT else current_month(today)
    statements = sorted(contract.statements.all(), key=lambda s: (s.issued_at, s.id))
    latest = statements[-1] if statements else None
    issued = {line.month: line.due_amount for line in latest.lines.all()} if latest else {}
    payments = {p.month: p for p in contract.payments.all()}
    rows = []
    for line in schedule.lines:
        payment = payments.get(line.month)
        rows.append(
            ScheduleRow(
                line=line,
                issued_due=issued.get(line.month),
                paid=payment.paid_amount if payment else None,
                recorded_due=payment.due_amount if payment else None,
                due=due_until is not None and line.month <= due_until,
                reform_state=shares.get(line.month),
            )
        )
    return Comparison(rows=rows, statement=latest, due_until=due_until)


def arrears_overview(*, user) -> list[dict]:
    """Per contract with frozen figures (drafts excluded): the difference between the current
    computation and the latest statement, and the arrears owed on recorded payments (APP-9), over
    the months already due. Set-based: histories and rates are loaded once for all contracts."""
    contracts = list(selectors.contracts_with_frozen_figures(user))
    histories = selectors.parameter_histories()
    rates = selectors.rate_histories(contracts)
    from ..reforms.selectors import adopted_scenarios

    reforms = adopted_scenarios()
    today = timezone.localdate()
    result = []
    for contract in contracts:
        schedule = schedule_compute(contract=contract, histories=histories, rates=rates)
        comparison = schedule_compare(contract=contract, schedule=schedule, today=today, reforms=reforms)
        months = [r for r in comparison.rows if (r.difference or r.shortfall)]
        result.append(
            {
                "contract": contract,
                "error": schedule.error,
                "statement": comparison.statement,
                "difference": comparison.total_difference,
                "state_share": comparison.total_state_share,
                "employer_difference": comparison.total_employer_difference,
                "shortfall": comparison.total_shortfall,
                "months": months,
            }
        )
    result.sort(key=lambda r: (-(r["difference"] + r["shortfall"]), r["contract"].reference))
    return result
