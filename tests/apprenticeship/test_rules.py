"""Pure rules of the apprenticeship app: every seed figure of docs/rules.md, plus our own (no database)."""

from datetime import date
from decimal import Decimal as D

import pytest

from apprenticeship import rules
from core.rules import index_amount

# Periods (valid_from, valid_until, value), as the reference data holds them (CORE-2).
INDEX = [
    (date(2023, 4, 1), date(2023, 8, 31), D("921.40")),
    (date(2023, 9, 1), date(2025, 4, 30), D("944.43")),
    (date(2025, 5, 1), None, D("968.04")),
]
SSM = [(date(2023, 1, 1), date(2024, 12, 31), D("272.22")), (date(2025, 1, 1), None, D("279.30"))]
CCP_RATES = {1: [(date(2023, 1, 1), None, (D("27"), D("27")))], 2: [(date(2023, 1, 1), None, (D("37"), D("37")))]}


# -- APP-1 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ssm", "rate", "expected"),
    [
        ("2771.33", "27", "748.26"),  # seed 002 (CCP 1re année, « 748 € »)
        ("2771.33", "75", "2078.50"),  # seed 002 (DT 4e année, « 2 078 € »)
        ("2771.33", "37", "1025.39"),  # seed 002 « 1.025 € »
        ("2771.33", "47", "1302.53"),  # seed 002 « 1.303 € »
        ("2771.33", "40", "1108.53"),  # seed 002 « 1.109 € »
        ("2771.33", "50", "1385.67"),  # seed 002 « 1.386 € » (1 385,665 rounded half up)
        ("2771.33", "60", "1662.80"),  # seed 002 « 1.663 € »
        ("2703.74", "27", "730.01"),
    ],
)
def test_monthly_indemnity(ssm, rate, expected):
    assert rules.monthly_indemnity(D(ssm), D(rate)) == D(expected)


def test_ssm_of_the_seed_is_the_ssm_at_100_brought_to_the_index():
    assert index_amount(D("279.30"), D("992.24")) == D("2771.33")  # CORE-3, seed 002


# -- APP-2 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ssm", "standard", "expected"),
    [("2771.33", "748.26", "2023.07"), ("2771.33", "2078.50", "692.83"), ("2000.00", "2100.00", "0.00")],
)
def test_adult_reimbursement_never_negative(ssm, standard, expected):
    assert rules.adult_reimbursement(D(ssm), D(standard)) == D(expected)


# -- APP-3 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("notified", "expected"),
    [
        (date(2026, 2, 12), date(2026, 3, 1)),
        (date(2025, 12, 31), date(2026, 1, 1)),
        (date(2026, 3, 1), date(2026, 4, 1)),
    ],
)
def test_pii_increase_from_next_month(notified, expected):
    assert rules.pii_increase_from(notified) == expected


# -- APP-4 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("monthly", "days", "in_month", "expected"),
    [
        ("748.26", 17, 31, "410.34"),  # start on the 15th of October: 748,26 × 17 / 31 = 410,3361…
        ("1385.67", 15, 30, "692.84"),  # 692,835 → half up
        ("2078.50", 28, 28, "2078.50"),
        ("748.26", 0, 30, "0.00"),
    ],
)
def test_prorate(monthly, days, in_month, expected):
    assert rules.prorate(D(monthly), days, in_month) == D(expected)


@pytest.mark.parametrize(("days", "in_month"), [(32, 31), (-1, 30), (10, 27)])
def test_prorate_refuses_impossible_days(days, in_month):
    with pytest.raises(ValueError):
        rules.prorate(D("100"), days, in_month)


# -- APP-5 (seeds 000 and 001) -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("at_100", "index", "expected"),
    [
        ("131.97", "921.40", "1215.97"),  # 000: Bac 1re année
        ("176.20", "921.40", "1623.51"),  # 000: BTS 1re année
        ("226.55", "921.40", "2087.43"),  # 000: BTS 2e année
        ("167.20", "921.40", "1540.58"),  # 000: BTS PP 1re année (rate of 2023)
        ("131.97", "944.43", "1246.36"),  # 001: Bac
        ("176.20", "944.43", "1664.09"),  # 001: BTS 1re année, and BTS PP 1re année from 2024
        ("226.55", "944.43", "2139.61"),  # 001: BTS 2e année
        ("176.20", "968.04", "1705.69"),
    ],
)
def test_cross_border_indemnity(at_100, index, expected):
    assert rules.cross_border_indemnity(D(at_100), D(index)) == D(expected)


# -- APP-6 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gross", "diploma", "expected"),
    [
        ("8979.12", "CCP", "3591.65"),  # 40 %: 3 591,648 → 3 591,65
        ("10000.00", "DAP", "2700.00"),
        ("24942.00", "DT", "6734.34"),
        ("19969.20", "CROSS_BORDER", "5391.68"),  # 5 391,684
        ("0.05", "DAP", "0.01"),  # 0,0135
    ],
)
def test_employer_aid(gross, diploma, expected):
    assert rules.employer_aid(D(gross), diploma) == D(expected)


@pytest.mark.parametrize("diploma", ["BTS", "ccp", "", None])
def test_employer_aid_unknown_diploma(diploma):
    with pytest.raises(ValueError):
        rules.employer_aid(D("100"), diploma)


# -- APP-7 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("filed", "in_time"),
    [(date(2025, 6, 30), True), (date(2025, 7, 1), False), (date(2024, 9, 15), True), (date(2026, 1, 1), False)],
)
def test_aid_request_2023_2024_before_1_july_2025(filed, in_time):
    assert rules.aid_request_in_time(date(2024, 8, 31), filed) is in_time
    assert rules.aid_request_deadline(date(2024, 8, 31)) == date(2025, 7, 1)


# -- APP-8 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("birth", "entry_year", "ok"),
    [
        (date(2010, 9, 1), 2025, True),  # 15 years exactly on 1 September
        (date(2010, 9, 2), 2025, False),  # 14 on 1 September
        (date(2011, 1, 10), 2025, False),  # a 14-year-old
        (date(1995, 5, 5), 2025, True),
        (date(2008, 2, 29), 2023, True),
    ],
)
def test_meets_minimum_age(birth, entry_year, ok):
    assert rules.meets_minimum_age(birth, entry_year) is ok


# -- helpers -------------------------------------------------------------------------------------
def test_school_year_and_training_years_with_a_repeat():
    assert rules.school_year_of(date(2025, 8, 31)) == 2024
    assert rules.school_year_of(date(2025, 9, 1)) == 2025
    years = rules.training_years(
        start=date(2023, 9, 1), end=date(2027, 7, 15), first_training_year=1, duration=3, recorded={2024: 1}
    )
    assert years == {2023: 1, 2024: 1, 2025: 2, 2026: 3}


def test_schedule_crosses_the_index_change_of_may_2025():
    lines = rules.schedule_lines(
        start=date(2025, 4, 1),
        end=date(2025, 5, 31),
        training_year_by_school_year={2024: 1},
        index_periods=INDEX,
        ssm_periods=SSM,
        rate_periods=CCP_RATES,
    )
    april, may = lines
    assert (april.index, april.ssm, april.due_amount) == (D("944.43"), D("2637.79"), D("712.20"))
    assert (may.index, may.ssm, may.due_amount) == (D("968.04"), D("2703.74"), D("730.01"))


def test_schedule_pii_mid_year_applies_from_the_next_month():
    rates = {2: [(date(2023, 1, 1), None, (D("40"), D("45")))]}
    lines = rules.schedule_lines(
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        training_year_by_school_year={2025: 2},
        index_periods=INDEX,
        ssm_periods=SSM,
        rate_periods=rates,
        pii_notified_on=date(2026, 2, 12),
    )
    assert [line.pii for line in lines] == [False, False, True]
    assert [line.due_amount for line in lines] == [D("1081.50"), D("1081.50"), D("1216.68")]


def test_schedule_adult_and_prorated_first_month():
    lines = rules.schedule_lines(
        start=date(2025, 10, 15),
        end=date(2025, 11, 30),
        training_year_by_school_year={2025: 1},
        index_periods=INDEX,
        ssm_periods=SSM,
        rate_periods=CCP_RATES,
        adult=True,
    )
    october, november = lines
    assert (october.days_covered, october.days_in_month) == (17, 31)
    assert october.standard_amount == D("400.33")  # 730,01 × 17 / 31 = 400,3280…
    assert october.due_amount == D("1482.70")  # 2 703,74 × 17 / 31 = 1 482,6961…
    assert october.reimbursement_amount == D("1082.37")
    assert november.due_amount == D("2703.74")
    assert november.reimbursement_amount == D("1973.73")


def test_schedule_cross_border_uses_the_amount_in_force_for_the_training_year():
    amounts = {1: [(date(2023, 4, 1), date(2023, 12, 31), D("167.20")), (date(2024, 1, 1), None, D("176.20"))]}
    lines = rules.schedule_lines(
        start=date(2023, 11, 1),
        end=date(2024, 1, 31),
        training_year_by_school_year={2023: 1},
        index_periods=INDEX,
        ssm_periods=SSM,
        amount_periods=amounts,
    )
    assert [line.due_amount for line in lines] == [D("1579.09"), D("1579.09"), D("1664.09")]


def test_schedule_says_which_parameter_is_missing():
    with pytest.raises(rules.MissingParameter) as caught:
        rules.schedule_lines(
            start=date(2022, 12, 1),
            end=date(2023, 1, 31),
            training_year_by_school_year={2022: 1},
            index_periods=INDEX,
            ssm_periods=SSM,
            rate_periods=CCP_RATES,
        )
    assert caught.value.what == "index"
    assert caught.value.month == date(2022, 12, 1)


def test_schedule_never_applies_a_rate_after_its_end_date():
    # A CCP 1st-year rate of 50 % ended on 31/12/2025, the 27 % rate applies again from 2026
    # (periods of the series do not overlap). SSM in 2025/2026 at index 968,04: 2 703,74 €.
    # December 2025: 2 703,74 × 50 % = 1 351,87; January and February 2026: × 27 % = 730,01.
    rates = {
        1: [
            (date(2023, 1, 1), date(2024, 12, 31), (D("27"), D("27"))),
            (date(2025, 1, 1), date(2025, 12, 31), (D("50"), D("50"))),
            (date(2026, 1, 1), None, (D("27"), D("27"))),
        ]
    }
    lines = rules.schedule_lines(
        start=date(2025, 12, 1),
        end=date(2026, 2, 28),
        training_year_by_school_year={2025: 1},
        index_periods=INDEX,
        ssm_periods=SSM,
        rate_periods=rates,
    )
    assert [line.rate_percent for line in lines] == [D("50"), D("27"), D("27")]
    assert [line.due_amount for line in lines] == [D("1351.87"), D("730.01"), D("730.01")]


def test_schedule_says_no_rate_is_in_force_after_an_ended_rate():
    # The 50 % rate ended on 31/12/2025 and nothing follows it: January 2026 has no rate.
    rates = {1: [(date(2025, 1, 1), date(2025, 12, 31), (D("50"), D("50")))]}
    with pytest.raises(rules.MissingParameter) as caught:
        rules.schedule_lines(
            start=date(2025, 12, 1),
            end=date(2026, 2, 28),
            training_year_by_school_year={2025: 1},
            index_periods=INDEX,
            ssm_periods=SSM,
            rate_periods=rates,
        )
    assert (caught.value.what, caught.value.month) == ("rate", date(2026, 1, 1))


def test_aid_for_year_sums_the_standard_indemnities_of_the_year():
    lines = rules.schedule_lines(
        start=date(2024, 9, 1),
        end=date(2025, 8, 31),
        training_year_by_school_year={2024: 1},
        index_periods=INDEX,
        ssm_periods=SSM,
        rate_periods=CCP_RATES,
    )
    gross, aid = rules.aid_for_year(lines, school_year=2024, diploma="CCP")
    # Sep–Dec 2024: 2 570,93 × 27 % = 694,15; Jan–Apr 2025: 2 637,79 × 27 % = 712,20;
    # May–Aug 2025: 2 703,74 × 27 % = 730,01 → 8 545,44
    assert gross == D("8545.44")
    assert aid == D("3418.18")  # 8 545,44 × 40 % = 3 418,176


# -- contract dates bounded by the duration (APP-8, seed 002 « durée de formation ») -------------
@pytest.mark.parametrize(
    ("start", "duration", "first_year", "maximum"),
    [
        (date(2025, 9, 1), 3, 1, date(2028, 8, 31)),  # three school years from September
        (date(2025, 10, 15), 3, 1, date(2028, 10, 14)),  # three years from the start
        (date(2023, 9, 1), 4, 2, date(2026, 8, 31)),  # DT entered in 2nd year: three years left
        (date(2024, 9, 1), 2, 1, date(2026, 8, 31)),  # cross-border BTS
        (date(2024, 2, 29), 1, 1, date(2025, 2, 28)),  # one year from 29 February
    ],
)
def test_contract_max_end(start, duration, first_year, maximum):
    assert rules.contract_max_end(start, duration=duration, first_training_year=first_year) == maximum


# -- APP-6/APP-7 as clarified: an ended year (or a contract ended within it), before 1 July -----
@pytest.mark.parametrize(
    ("contract_end", "filed", "opens_on", "requestable"),
    [
        (date(2027, 7, 15), date(2025, 8, 31), date(2025, 9, 1), False),  # the year has not ended
        (date(2027, 7, 15), date(2025, 9, 1), date(2025, 9, 1), True),
        (date(2027, 7, 15), date(2026, 6, 30), date(2025, 9, 1), True),
        (date(2027, 7, 15), date(2026, 7, 1), date(2025, 9, 1), False),  # time-barred
        (date(2025, 3, 31), date(2025, 3, 31), date(2025, 4, 1), False),  # last day of the contract
        (date(2025, 3, 31), date(2025, 4, 1), date(2025, 4, 1), True),  # contract ended within the year
    ],
)
def test_aid_year_2024_2025(contract_end, filed, opens_on, requestable):
    year = rules.aid_year(2024, contract_end=contract_end)
    assert (year.label, year.opens_on, year.deadline) == ("2024-2025", opens_on, date(2026, 7, 1))
    assert year.requestable(filed) is requestable
