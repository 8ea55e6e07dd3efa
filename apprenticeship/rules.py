"""Pure rules of the apprenticeship indemnity (docs/rules.md "apprenticeship", seeds 000, 001, 002).

No Django import: plain Decimal / date / int in, plain values or frozen dataclasses out. The
parameters in force (index, SSM, rates) are arguments, never looked up here. Every rounding goes
through `core.rules.round_cent` / `core.rules.index_amount`.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.rules import HUNDRED, ZERO, Period, index_amount, round_cent, to_decimal, value_in_force

# APP-6 (seed 002; guichet.lu): share of the gross indemnities paid back to the employer.
EMPLOYER_AID_PERCENT = {
    "CCP": Decimal("40"),
    "DAP": Decimal("27"),
    "DT": Decimal("27"),
    "CROSS_BORDER": Decimal("27"),
}

MINIMUM_AGE = 15  # APP-8 (seed 002: « au moins 15 ans révolus au 1er septembre »)


# -- the Rules API (docs/rules.md "Rules API", names fixed) -----------------------------------------------


def monthly_indemnity(ssm, rate_percent) -> Decimal:
    """APP-1: monthly indemnity = round_cent(SSM in force × rate % / 100).

    Seed 002: SSM 2 771,33 € × 27 % = 748,26 €; DT 4e année 75 % = 2 078,50 €.
    """
    return round_cent(to_decimal(ssm) * to_decimal(rate_percent) / HUNDRED)


def adult_reimbursement(ssm, standard_indemnity) -> Decimal:
    """APP-2: an adult apprentice is due the full SSM; the State reimburses the employer the
    difference SSM − standard indemnity, never negative (seed 002, « Exception adultes »)."""
    difference = round_cent(to_decimal(ssm) - to_decimal(standard_indemnity))
    return max(difference, ZERO)


def pii_increase_from(notified_on: date) -> date:
    """APP-3: the PII increase is due from the first day of the month following the notification
    (seed 002: « la majoration est due dès le mois suivant la notification »)."""
    if notified_on.month == 12:
        return date(notified_on.year + 1, 1, 1)
    return date(notified_on.year, notified_on.month + 1, 1)


def prorate(monthly_amount, days_covered: int, days_in_month: int) -> Decimal:
    """APP-4: a partial first or last month is paid by calendar days,
    round_cent(monthly × days covered / days in month)."""
    if not 28 <= days_in_month <= 31:
        raise ValueError("days_in_month must be between 28 and 31")
    if not 0 <= days_covered <= days_in_month:
        raise ValueError("days_covered must be between 0 and days_in_month")
    return round_cent(to_decimal(monthly_amount) * days_covered / days_in_month)


def cross_border_indemnity(amount_at_100, index) -> Decimal:
    """APP-5: cross-border (CIG) indemnity = the formation's amount at index 100 for the training
    year brought to the index in force (CORE-1). Seeds 000/001: at 921,40 Bac 1 215,97 €."""
    return index_amount(amount_at_100, index)


def employer_aid(gross_indemnities, diploma: str) -> Decimal:
    """APP-6: aide de promotion de l'apprentissage = 40 % of the gross indemnities of the
    apprenticeship year for a CCP, 27 % for DAP, DT and cross-border apprenticeships, rounded to
    the cent (seed 002). The employer's share of social charges is added as declared, outside
    this rule. `diploma` in {"CCP", "DAP", "DT", "CROSS_BORDER"}; anything else is a ValueError."""
    try:
        percent = EMPLOYER_AID_PERCENT[diploma]
    except (KeyError, TypeError):
        raise ValueError(f"unknown diploma for the employer aid: {diploma!r}") from None
    return round_cent(to_decimal(gross_indemnities) * percent / HUNDRED)


def aid_request_deadline(apprenticeship_year_end: date) -> date:
    """APP-7: the first day on which the request is time-barred: 1 July of the calendar year
    following the end of the apprenticeship year (seed 002: « avant le 1er juillet de l'année
    suivant l'année d'apprentissage »). 2023-2024 (ends 31/08/2024) → 01/07/2025."""
    return date(apprenticeship_year_end.year + 1, 7, 1)


def aid_request_in_time(apprenticeship_year_end: date, filed_on: date) -> bool:
    """APP-7: a request filed before the deadline is in time; on or after it, forclusion."""
    return filed_on < aid_request_deadline(apprenticeship_year_end)


@dataclass(frozen=True)
class AidYear:
    """APP-6/APP-7 as clarified: the aid request of one apprenticeship year of a contract covers
    a year that has ended, or the part of it up to the contract's end when the contract ended
    within it; it is filed from the day after (`opens_on`) and before the deadline (1 July of the
    calendar year following the end of the apprenticeship year, seed 002)."""

    school_year: int
    period_end: date  # the last day covered: 31 August, or the contract's end within the year
    opens_on: date  # the first day the request can be filed
    deadline: date  # the first day it is time-barred (forclusion)

    @property
    def label(self) -> str:
        return school_year_label(self.school_year)

    def has_ended(self, on: date) -> bool:
        return on >= self.opens_on

    def requestable(self, filed_on: date) -> bool:
        return self.has_ended(filed_on) and aid_request_in_time(school_year_end(self.school_year), filed_on)


def aid_year(school_year: int, *, contract_end: date) -> AidYear:
    """The APP-6/APP-7 window of an apprenticeship year for a contract ending on `contract_end`."""
    period_end = min(school_year_end(school_year), contract_end)
    return AidYear(
        school_year=school_year,
        period_end=period_end,
        opens_on=period_end + timedelta(days=1),
        deadline=aid_request_deadline(school_year_end(school_year)),
    )


def meets_minimum_age(birth_date: date, entry_year: int) -> bool:
    """APP-8: at least 15 full years old on 1 September of the year of entry (seed 002)."""
    return age_on(birth_date, date(entry_year, 9, 1)) >= MINIMUM_AGE


# -- helpers used by the services (pure as well) -------------------------------------------------


def age_on(birth_date: date, on: date) -> int:
    """Full years of age on a date (a birthday on 29 February counts from 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def school_year_of(day: date) -> int:
    """The apprenticeship / school year (1 September – 31 August) containing `day`, by its first
    calendar year: 15/10/2025 → 2025 (2025-2026), 15/03/2026 → 2025."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


def school_year_end(start_year: int) -> date:
    return date(start_year + 1, 8, 31)


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February → 1 March of a common year: a year counted from
    29/02/2024 ends on 28/02/2025), never beyond `date.max`."""
    year = day.year + years
    if year > date.max.year:
        return date.max
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 3, 1)


# Contract dates the application computes on: a start outside these bounds is a typing error.
CONTRACT_DATE_MIN = date(1990, 1, 1)
CONTRACT_DATE_MAX = date(2100, 12, 31)
# A schedule is computed up to the maximum end plus this margin (a repeated year) and no further.
SCHEDULE_MARGIN_YEARS = 1
LONGEST_TRAINING_YEARS = 4  # DT (seed 002); cross-border formations last 1 to 3 years
# No schedule (hence no issued statement) can have more lines than this.
MAX_SCHEDULE_MONTHS = 12 * (LONGEST_TRAINING_YEARS + SCHEDULE_MARGIN_YEARS) + 1


def contract_max_end(start: date, *, duration: int, first_training_year: int) -> date:
    """APP-8: the latest end date the duration of the training allows a contract starting on
    `start` in training year `first_training_year`: the years left (duration − first year + 1)
    counted from the start, or to the end (31 August) of the last of those school years, whichever
    is later. 01/09/2025, 3 years, 1st year → 31/08/2028; 15/10/2025 → 14/10/2028; a DT (4 years)
    entered in the 2nd year on 01/09/2023 → 31/08/2026."""
    years_left = max(duration - first_training_year + 1, 1)
    last_school_year = school_year_of(start) + years_left - 1
    if last_school_year >= date.max.year:
        return date.max
    return max(add_years(start, years_left) - timedelta(days=1), school_year_end(last_school_year))


def schedule_limit(start: date, *, duration: int, first_training_year: int) -> date:
    """The last day a schedule is computed for: the maximum end plus a margin of one year (a
    repeated year). Dates beyond it were typed in error; computing them would only produce
    thousands of meaningless lines."""
    return add_years(
        contract_max_end(start, duration=duration, first_training_year=first_training_year), SCHEDULE_MARGIN_YEARS
    )


def contract_dates_computable(start: date, end: date, *, duration: int, first_training_year: int) -> bool:
    """Whether a stored contract's dates can be computed on (see `schedule_limit`)."""
    if not CONTRACT_DATE_MIN <= start <= CONTRACT_DATE_MAX:
        return False
    return end <= schedule_limit(start, duration=duration, first_training_year=first_training_year)


def month_starts(start: date, end: date) -> list[date]:
    """The first day of every month touched by [start, end]."""
    months = []
    current = date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        if current.year == date.max.year and current.month == 12:
            break
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def days_covered(month: date, start: date, end: date) -> tuple[int, int]:
    """(days of the month inside [start, end], days in the month) for APP-4."""
    days_in_month = calendar.monthrange(month.year, month.month)[1]
    first = max(month, start)
    last = min(date(month.year, month.month, days_in_month), end)
    return max((last - first).days + 1, 0), days_in_month


def training_years(
    *, start: date, end: date, first_training_year: int, duration: int, recorded: dict[int, int]
) -> dict[int, int]:
    """The training year of each school year of a contract: the recorded one (a repeated year is
    recorded as such), otherwise the previous + 1 from each 1 September, never beyond the duration."""
    years: dict[int, int] = {}
    previous = None
    for school_year in range(school_year_of(start), school_year_of(end) + 1):
        if school_year in recorded:
            value = recorded[school_year]
        elif previous is None:
            value = first_training_year
        else:
            value = min(previous + 1, duration)
        years[school_year] = value
        previous = value
    return years


class MissingParameter(ValueError):
    """No index, SSM, rate or amount in force for a month of the schedule."""

    def __init__(self, what: str, month: date, training_year: int | None = None):
        self.what, self.month, self.training_year = what, month, training_year
        super().__init__(f"no {what} in force on {month.isoformat()} (training year {training_year})")


@dataclass(frozen=True)
class ScheduleLine:
    """One month of a contract's schedule, with every parameter used (so it can be frozen)."""

    month: date
    days_covered: int
    days_in_month: int
    training_year: int
    index: Decimal
    ssm_at_100: Decimal
    ssm: Decimal  # CORE-3, at the index in force on the first day of the month
    rate_percent: Decimal | None  # Luxembourg trade (APP-1)
    amount_at_100: Decimal | None  # cross-border formation (APP-5)
    pii: bool  # APP-3: the increased rate applies this month
    monthly_amount: Decimal  # standard indemnity for a full month
    standard_amount: Decimal  # standard indemnity for the days covered (APP-4)
    adult: bool
    reimbursement_amount: Decimal  # APP-2: what the State pays back to the employer
    due_amount: Decimal  # what the employer owes the apprentice this month

    @property
    def prorated(self) -> bool:
        return self.days_covered != self.days_in_month


def schedule_lines(
    *,
    start: date,
    end: date,
    training_year_by_school_year: dict[int, int],
    index_periods: Iterable[Period[Decimal]],
    ssm_periods: Iterable[Period[Decimal]],
    rate_periods: dict[int, list[Period[tuple[Decimal, Decimal]]]] | None = None,
    amount_periods: dict[int, list[Period[Decimal]]] | None = None,
    pii_notified_on: date | None = None,
    adult: bool = False,
) -> list[ScheduleLine]:
    """The monthly schedule of a contract from its start to its end (APP-1 … APP-5).

    Each month uses the index and the SSM in force on its first day (CORE-2, CORE-3) and the rate
    (before / after PII) or the cross-border amount at index 100 in force on that day for the
    training year of its school year. Periods are (valid_from, valid_until, value) triples
    (`core.rules.value_in_force`). Give `rate_periods` for a Luxembourg trade (per training year:
    periods of (rate before PII, rate after PII)) or `amount_periods` for a cross-border formation
    (per training year: periods of the amount at index 100). A month with no value in force raises
    `MissingParameter`: an ended rate is never reused.
    """
    index_periods, ssm_periods = list(index_periods), list(ssm_periods)
    pii_from = pii_increase_from(pii_notified_on) if pii_notified_on else None
    lines = []
    for month in month_starts(start, end):
        covered, in_month = days_covered(month, start, end)
        training_year = training_year_by_school_year[school_year_of(month)]
        index = value_in_force(index_periods, month)
        if index is None:
            raise MissingParameter("index", month)
        ssm_at_100 = value_in_force(ssm_periods, month)
        if ssm_at_100 is None:
            raise MissingParameter("ssm", month)
        ssm = index_amount(ssm_at_100, index)
        pii = bool(pii_from and month >= pii_from)
        rate_percent = amount_at_100 = None
        if rate_periods is not None:
            rates = value_in_force(rate_periods.get(training_year, []), month)
            if rates is None:
                raise MissingParameter("rate", month, training_year)
            pii = pii and rates[1] != rates[0]  # APP-3 applies where the trade has a PII rate
            rate_percent = rates[1] if pii else rates[0]
            monthly = monthly_indemnity(ssm, rate_percent)
        else:
            amount_at_100 = value_in_force((amount_periods or {}).get(training_year, []), month)
            if amount_at_100 is None:
                raise MissingParameter("amount", month, training_year)
            monthly = cross_border_indemnity(amount_at_100, index)
            pii = False
        standard = prorate(monthly, covered, in_month)
        if adult:
            due = prorate(ssm, covered, in_month)
            reimbursement = adult_reimbursement(due, standard)
            due = max(due, standard)
        else:
            due, reimbursement = standard, ZERO
        lines.append(
            ScheduleLine(
                month=month,
                days_covered=covered,
                days_in_month=in_month,
                training_year=training_year,
                index=index,
                ssm_at_100=ssm_at_100,
                ssm=ssm,
                rate_percent=rate_percent,
                amount_at_100=amount_at_100,
                pii=pii,
                monthly_amount=monthly,
                standard_amount=standard,
                adult=adult,
                reimbursement_amount=reimbursement,
                due_amount=due,
            )
        )
    return lines


def aid_for_year(lines: Iterable[ScheduleLine], *, school_year: int, diploma: str) -> tuple[Decimal, Decimal]:
    """APP-6 over the months of one apprenticeship year: (gross standard indemnities, aid).

    The base is the standard indemnity: for an adult apprentice the top-up to the SSM is already
    reimbursed by the State (APP-2)."""
    gross = sum(
        (line.standard_amount for line in lines if school_year_of(line.month) == school_year),
        ZERO,
    )
    return gross, employer_aid(gross, diploma)


# -- statement over a period (APP-9) ---------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    """One month of a statement over a period: the frozen line, what was paid, what remains owed."""

    line: object  # a StatementLine (frozen figures)
    paid: Decimal | None  # None: no payment recorded for the month
    remaining: Decimal


@dataclass(frozen=True)
class PeriodBalance:
    first: date
    last: date
    rows: tuple[PeriodRow, ...]
    due_amount: Decimal
    reimbursement_amount: Decimal
    paid_amount: Decimal
    remaining_amount: Decimal


def period_balance(lines, paid_by_month: dict[date, Decimal], *, first: date, last: date) -> PeriodBalance:
    """APP-9: per month of [first, last] the amount due (frozen at issue), the amount paid and what
    remains owed (due − paid, never below zero: an overpayment of one month is not carried onto
    another); a month without a recorded payment remains owed in full. Totals are sums of cents."""
    rows = []
    for line in lines:
        if not first <= line.month <= last:
            continue
        paid = paid_by_month.get(line.month)
        remaining = line.due_amount if paid is None else max(line.due_amount - paid, Decimal("0.00"))
        rows.append(PeriodRow(line=line, paid=paid, remaining=remaining))
    zero = Decimal("0.00")
    return PeriodBalance(
        first=first,
        last=last,
        rows=tuple(rows),
        due_amount=sum((r.line.due_amount for r in rows), zero),
        reimbursement_amount=sum((r.line.reimbursement_amount for r in rows), zero),
        paid_amount=sum((r.paid for r in rows if r.paid is not None), zero),
        remaining_amount=sum((r.remaining for r in rows), zero),
    )
