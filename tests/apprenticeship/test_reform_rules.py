"""Pure rules of a reform (no database). Figures computed by hand in the comments.

SSM at index 100: 279,30 from 1 January 2025 (CORE-3). Index 968,04 from 1 May 2025: SSM =
279,30 × 9,6804 = 2 703,735 72 → 2 703,74 €. Index 992,24 from 1 June 2026: 279,30 × 9,9224 =
2 771,326 32 → 2 771,33 €.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from apprenticeship import rules
from apprenticeship.reforms import rules as reform_rules
from apprenticeship.reforms.rules import Reform, ReformRateRow

INDEX = [(date(2025, 5, 1), date(2026, 5, 31), D("968.04")), (date(2026, 6, 1), None, D("992.24"))]
SSM = [(date(2025, 1, 1), None, D("279.30"))]
CCP_RATES = {
    1: [(date(2023, 1, 1), None, (D("27"), D("27")))],
    2: [(date(2023, 1, 1), None, (D("37"), D("37")))],
    3: [(date(2023, 1, 1), None, (D("47"), D("47")))],
}


def pct(programme, duration, year, before, after=None):
    return ReformRateRow(programme, duration, year, "ssm_percent", D(before), D(after or before))


# The bill of February 2026 as parameter rows.
BILL = (
    pct("CCP", 2, 1, "45"),
    pct("CCP", 2, 2, "60"),
    pct("CROSS_BORDER", 2, 1, "45"),
    pct("CROSS_BORDER", 2, 2, "60"),
    pct("CCP", 3, 1, "45"),
    pct("CCP", 3, 2, "50"),
    pct("CCP", 3, 3, "60"),
    *(pct("DAP", None, y, "45", "60") for y in (1, 2, 3)),
    *(pct("DT", None, y, "45", "60") for y in (1, 2, 3, 4)),
)
REFORM = Reform(effective_from=date(2026, 1, 1), rates=BILL, keep_higher=True, payer="state", bonus=D("750.00"))


@pytest.mark.parametrize(
    ("programme", "duration", "year", "pii", "expected"),
    [
        # Published example: assistant-fleuriste CCP year 1, 2 703,74 × 45 % = 1 216,683 → 1 216,68.
        ("CCP", 3, 1, False, "1216.68"),
        # Published example: peintre-décorateur DAP after the PII, 2 703,74 × 60 % = 1 622,244 → 1 622,24.
        ("DAP", 3, 3, True, "1622.24"),
        # CCP 3 years year 2: 2 703,74 × 50 % = 1 351,87.
        ("CCP", 3, 2, False, "1351.87"),
        # CCP 2 years year 2 and cross-border 2 years year 2: 60 % = 1 622,24.
        ("CCP", 2, 2, False, "1622.24"),
        ("CROSS_BORDER", 2, 2, False, "1622.24"),
        # DT before the PII, any year: 45 % = 1 216,68.
        ("DT", 4, 4, False, "1216.68"),
    ],
)
def test_reformed_monthly_of_the_bill(programme, duration, year, pii, expected):
    row = reform_rules.reform_rate_for(BILL, programme=programme, duration=duration, training_year=year)
    assert reform_rules.reformed_monthly(row, pii=pii, ssm=D("2703.74"), index=D("968.04")) == D(expected)


def test_the_published_examples_difference_is_paid_by_the_state():
    # 1 216,68 − 672,40 = 544,28 (assistant-fleuriste); 1 622,24 − 1 237,25 = 384,99 (peintre-décorateur).
    assert reform_rules.reform_split(current=D("672.40"), reformed=D("1216.68"), keep_higher=True, payer="state") == (
        D("1216.68"),
        D("544.28"),
        D("544.28"),
        D("0.00"),
    )
    assert reform_rules.reform_split(current=D("1237.25"), reformed=D("1622.24"), keep_higher=True, payer="state")[
        2
    ] == D("384.99")


def test_a_higher_current_amount_is_kept():
    # DT year 4 at 75 %: 2 703,74 × 0,75 = 2 027,805 → 2 027,81, above the bill's 60 % (1 622,24).
    kept, difference, state, employer = reform_rules.reform_split(
        current=D("2027.81"), reformed=D("1622.24"), keep_higher=True, payer="state"
    )
    assert (kept, difference, state, employer) == (D("2027.81"), D("0.00"), D("0.00"), D("0.00"))


def test_without_keep_higher_a_lower_amount_is_a_saving_of_the_employer():
    # 1 622,24 − 2 027,81 = −405,57, whoever the payer of the increases.
    assert reform_rules.reform_split(current=D("2027.81"), reformed=D("1622.24"), keep_higher=False, payer="state") == (
        D("1622.24"),
        D("-405.57"),
        D("0.00"),
        D("-405.57"),
    )


def test_the_employer_pays_the_difference_when_the_reform_says_so():
    assert reform_rules.reform_split(current=D("730.01"), reformed=D("1216.68"), keep_higher=True, payer="employer")[
        3
    ] == D("486.67")


def test_a_duration_specific_row_wins_over_a_general_one_and_an_untouched_case_is_none():
    rows = (pct("CCP", None, 1, "40"), pct("CCP", 2, 1, "45"))
    assert reform_rules.reform_rate_for(rows, programme="CCP", duration=2, training_year=1).before_pii == D("45")
    assert reform_rules.reform_rate_for(rows, programme="CCP", duration=3, training_year=1).before_pii == D("40")
    assert reform_rules.reform_rate_for(rows, programme="DAP", duration=3, training_year=1) is None


def test_an_amount_at_index_100():
    # 125,685 × 968,04 / 100 = 1 216,681 07… → 1 216,68.
    row = ReformRateRow("CROSS_BORDER", 2, 1, "at_100", D("125.685"), D("125.685"))
    assert reform_rules.reformed_monthly(row, pii=False, ssm=D("2703.74"), index=D("968.04")) == D("1216.68")


def _ccp_lines(start, end, *, adult=False, first_training_year=1):
    years = rules.training_years(start=start, end=end, first_training_year=first_training_year, duration=3, recorded={})
    return rules.schedule_lines(
        start=start,
        end=end,
        training_year_by_school_year=years,
        index_periods=INDEX,
        ssm_periods=SSM,
        rate_periods=CCP_RATES,
        adult=adult,
    )


def test_a_ccp_contract_month_by_month_from_the_effective_date():
    lines = _ccp_lines(date(2025, 9, 1), date(2028, 7, 15))
    months = reform_rules.reform_months(lines, reform=REFORM, programme="CCP", duration=3)
    by_month = {m.month: m for m in months}
    assert months[0].month == date(2026, 1, 1)  # nothing before the effective date
    # January 2026, year 1: current 27 % of 2 703,74 = 730,009 8 → 730,01; reform 45 % 1 216,68;
    # difference 486,67 paid by the State; the trainers' 750 € of 2026 booked here.
    jan = by_month[date(2026, 1, 1)]
    assert (jan.current_amount, jan.reformed_amount, jan.difference_amount) == (
        D("730.01"),
        D("1216.68"),
        D("486.67"),
    )
    assert (jan.state_amount, jan.employer_amount, jan.bonus_amount) == (D("486.67"), D("0.00"), D("750.00"))
    assert by_month[date(2026, 2, 1)].bonus_amount == D("0.00")
    # June 2026 (index 992,24, SSM 2 771,33): 27 % = 748,259 1 → 748,26; 45 % = 1 247,098 5 →
    # 1 247,10; difference 498,84.
    june = by_month[date(2026, 6, 1)]
    assert (june.current_amount, june.reformed_amount, june.difference_amount) == (
        D("748.26"),
        D("1247.10"),
        D("498.84"),
    )
    # September 2026, year 2: 37 % = 1 025,392 1 → 1 025,39; 50 % = 1 385,665 → 1 385,67; 360,28.
    sept = by_month[date(2026, 9, 1)]
    assert (sept.training_year, sept.current_amount, sept.reformed_amount, sept.difference_amount) == (
        2,
        D("1025.39"),
        D("1385.67"),
        D("360.28"),
    )
    # 2027 and 2028 have their bonus in January; the last month (1–15 July 2028, year 3) is
    # prorated: 47 % = 1 302,525 1 → 1 302,53 × 15 / 31 = 630,256 … → 630,26; 60 % = 1 662,798 →
    # 1 662,80 × 15 / 31 = 804,580 … → 804,58; difference 174,32.
    assert [m.month for m in months if m.bonus_amount] == [date(2026, 1, 1), date(2027, 1, 1), date(2028, 1, 1)]
    last = months[-1]
    assert (last.month, last.current_amount, last.reformed_amount, last.difference_amount) == (
        date(2028, 7, 1),
        D("630.26"),
        D("804.58"),
        D("174.32"),
    )


def test_a_first_month_started_mid_month_is_prorated_under_both():
    # 15–31 January 2026: 17 days of 31. 730,01 × 17 / 31 = 400,328 … → 400,33;
    # 1 216,68 × 17 / 31 = 667,211 … → 667,21; difference 266,88.
    lines = _ccp_lines(date(2026, 1, 15), date(2028, 7, 15))
    first = reform_rules.reform_months(lines, reform=REFORM, programme="CCP", duration=3)[0]
    assert (first.current_amount, first.reformed_amount, first.difference_amount) == (
        D("400.33"),
        D("667.21"),
        D("266.88"),
    )


def test_an_adult_apprentice_already_due_the_ssm_gets_no_difference():
    # APP-2: due 2 703,74 (the SSM) now; 45 % = 1 216,68 under the reform, the SSM still applies.
    lines = _ccp_lines(date(2025, 9, 1), date(2028, 7, 15), adult=True)
    jan = reform_rules.reform_months(lines, reform=REFORM, programme="CCP", duration=3)[0]
    assert (jan.current_amount, jan.reformed_amount, jan.difference_amount) == (
        D("2703.74"),
        D("2703.74"),
        D("0.00"),
    )


def test_the_pii_is_read_from_the_notification_not_from_the_current_rate():
    # DT year 1 at 40 % (no PII increase today); PII notified 10/02/2026 → increase from March
    # (APP-3). March 2026 under the bill: 60 % of 2 703,74 = 1 622,244 → 1 622,24; current 40 % =
    # 1 081,496 → 1 081,50; difference 540,74. February: 45 % = 1 216,68 − 1 081,50 = 135,18.
    rates = {y: [(date(2023, 1, 1), None, (D(r), D(r)))] for y, r in ((1, "40"), (2, "50"), (3, "60"), (4, "75"))}
    start, end = date(2025, 9, 1), date(2029, 7, 15)
    years = rules.training_years(start=start, end=end, first_training_year=1, duration=4, recorded={})
    lines = rules.schedule_lines(
        start=start,
        end=end,
        training_year_by_school_year=years,
        index_periods=INDEX,
        ssm_periods=SSM,
        rate_periods=rates,
        pii_notified_on=date(2026, 2, 10),
    )
    months = {
        m.month: m
        for m in reform_rules.reform_months(
            lines, reform=REFORM, programme="DT", duration=4, pii_notified_on=date(2026, 2, 10)
        )
    }
    assert months[date(2026, 2, 1)].difference_amount == D("135.18")
    assert (months[date(2026, 3, 1)].reformed_amount, months[date(2026, 3, 1)].difference_amount) == (
        D("1622.24"),
        D("540.74"),
    )
