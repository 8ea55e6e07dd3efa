"""Pure rules of a reform of the apprenticeship indemnity (no Django import).

The reformed monthly indemnity of a contract month, the difference with the current one and who
pays it, and the yearly bonus of the persons who train the apprentice. The bill presented on 6 and
9 February 2026 (Luxembourg, Education): CCP and cross-border 2 years 45 % then 60 % of the
unqualified SSM; CCP 3 years 45 / 50 / 60 %; DAP and DT 45 % before the PII, 60 % after; any
higher current amount is kept; the State pays the whole difference; 750 € a year per contract for
the trainers; retroactive from 1 January 2026 once voted. Published examples (SSM 2 703,74 €):
assistant-fleuriste CCP year 1 from 672,40 € to 1 216,68 €; peintre-décorateur DAP after the PII
from 1 237,25 € to 1 622,24 €.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.rules import index_amount, to_decimal

from ..rules import ScheduleLine, monthly_indemnity, pii_increase_from, prorate

ZERO = Decimal("0.00")

SSM_PERCENT = "ssm_percent"
AT_100 = "at_100"
STATE = "state"
EMPLOYER = "employer"
CROSS_BORDER = "CROSS_BORDER"


@dataclass(frozen=True)
class ReformRateRow:
    """A reformed rate (see `ReformRate`): `duration_years` None applies to any duration."""

    programme: str  # "CCP", "DAP", "DT" or "CROSS_BORDER"
    duration_years: int | None
    training_year: int
    basis: str  # SSM_PERCENT or AT_100
    before_pii: Decimal
    after_pii: Decimal


@dataclass(frozen=True)
class Reform:
    """The parameters of a scenario the rules need."""

    effective_from: date
    rates: tuple[ReformRateRow, ...]
    keep_higher: bool = True
    payer: str = STATE
    bonus: Decimal = ZERO


def reform_rate_for(
    rates: Iterable[ReformRateRow], *, programme: str, duration: int, training_year: int
) -> ReformRateRow | None:
    """The row of a case: the one naming the duration wins over the one for any duration; None
    when the reform does not touch the case (the current amount stays)."""
    general = None
    for row in rates:
        if row.programme != programme or row.training_year != training_year:
            continue
        if row.duration_years == duration:
            return row
        if row.duration_years is None:
            general = row
    return general


def reformed_monthly(row: ReformRateRow, *, pii: bool, ssm, index) -> Decimal:
    """The reformed indemnity of a full month: APP-1 (round_cent(SSM × rate / 100)) for a rate in
    % of the SSM, CORE-1 (round_cent(amount at 100 × index / 100)) for an amount at index 100.
    Bill of February 2026, CCP year 1 at 45 %: 2 703,74 × 45 / 100 = 1 216,683 → 1 216,68 €."""
    value = row.after_pii if pii else row.before_pii
    if row.basis == AT_100:
        return index_amount(value, index)
    return monthly_indemnity(ssm, value)


@dataclass(frozen=True)
class ReformMonth:
    """One contract month under the current rules and under the reform."""

    month: date
    training_year: int
    current_amount: Decimal  # due under the rules in force
    reformed_amount: Decimal  # due under the reform
    difference_amount: Decimal  # reformed − current
    state_amount: Decimal  # the part of the difference the State pays
    employer_amount: Decimal  # the part the employer pays (negative: the employer pays less)
    bonus_amount: Decimal  # the trainers' yearly bonus, booked in the first month of a calendar year


def reform_split(*, current, reformed, keep_higher: bool, payer: str) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(reformed kept, difference, State's share, employer's share) of one month.

    With "keep the higher amount", the reformed amount is never below the current one. The payer
    named by the reform pays the whole difference: the bill has the State pay it "so that the
    employers' costs do not rise". A reform that lowers an amount (without the keep-higher rule)
    lowers the employer's cost: the saving is the employer's whatever the payer."""
    current, reformed = to_decimal(current), to_decimal(reformed)
    if keep_higher:
        reformed = max(reformed, current)
    difference = reformed - current
    if payer == STATE and difference > 0:
        return reformed, difference, difference, ZERO
    return reformed, difference, ZERO, difference


def reform_months(
    lines: Iterable[ScheduleLine],
    *,
    reform: Reform,
    programme: str,
    duration: int,
    pii_notified_on: date | None = None,
) -> list[ReformMonth]:
    """The months of a contract's current schedule from the reform's effective date, each under
    the reform. `lines` come from `apprenticeship.rules.schedule_lines` (the amounts in force).

    The PII is read from the notification date (APP-3), not from the current rate: under the bill
    a DT moves from 45 % to 60 % after the PII even where its current rate has no increase. An
    adult apprentice is due at least the SSM under both (APP-2). The bonus is due once per
    calendar year in which the contract runs, booked in its first month of that year."""
    pii_from = pii_increase_from(pii_notified_on) if pii_notified_on else None
    months = []
    bonus_years: set[int] = set()
    for line in lines:
        if line.month < date(reform.effective_from.year, reform.effective_from.month, 1):
            continue
        row = reform_rate_for(reform.rates, programme=programme, duration=duration, training_year=line.training_year)
        current = line.due_amount
        if row is None:
            reformed = current
        else:
            pii = bool(pii_from and line.month >= pii_from)
            monthly = reformed_monthly(row, pii=pii, ssm=line.ssm, index=line.index)
            reformed = prorate(monthly, line.days_covered, line.days_in_month)
            if line.adult:
                reformed = max(reformed, prorate(line.ssm, line.days_covered, line.days_in_month))
        reformed, difference, state, employer = reform_split(
            current=current, reformed=reformed, keep_higher=reform.keep_higher, payer=reform.payer
        )
        bonus = ZERO
        if reform.bonus and line.days_covered and line.month.year not in bonus_years:
            bonus_years.add(line.month.year)
            bonus = to_decimal(reform.bonus)
        months.append(
            ReformMonth(
                month=line.month,
                training_year=line.training_year,
                current_amount=current,
                reformed_amount=reformed,
                difference_amount=difference,
                state_amount=state,
                employer_amount=employer,
                bonus_amount=bonus,
            )
        )
    return months


def former_due(line: ScheduleLine, *, rates: tuple[Decimal, Decimal] | None, amount_at_100, pii: bool) -> Decimal:
    """What a month would be due under the rates in force before an adopted reform (the State's
    share of the arrears is the amount due now minus this). `rates` (before, after PII) for a
    trade, `amount_at_100` for a cross-border formation."""
    if rates is not None:
        monthly = monthly_indemnity(line.ssm, rates[1] if pii else rates[0])
    else:
        monthly = index_amount(amount_at_100, line.index)
    due = prorate(monthly, line.days_covered, line.days_in_month)
    if line.adult:
        due = max(due, prorate(line.ssm, line.days_covered, line.days_in_month))
    return due
