"""ARE rules (docs/rules.md "lycee_aid", seed 003): pure functions, no database."""

from decimal import Decimal as D
from fractions import Fraction

import pytest

from lycee_aid.rules import (
    CPGE_NOT_SECOND_YEAR,
    CPGE_QUOTIENT_ABOVE_CEILING,
    CpgeAid,
    Dotation,
    cpge_aid,
    cpge_competition_aid,
    cpi_evolution_percent,
    eligible_specialty,
    indexed_forfait,
    initial_dotation,
    remaining_carryover,
    scholarship_holders,
    scholarship_rate,
    supplementary_amount,
)

# -- ARE-3 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("december_n1", "december_n2", "expected"),
    [
        ("114.18", "107.4", D("6.31")),  # seed 003, annex I, 1: ((114,18 / 107,4) − 1) × 100 = 6,31 %
        ("107.4", "114.18", D("-5.94")),  # a fall is negative (−5,938… → −5,94)
        ("100", "100", D("0.00")),
        ("100.125", "100", D("0.13")),  # half up (0,125 → 0,13), not half even
    ],
)
def test_cpi_evolution_percent(december_n1, december_n2, expected):
    assert cpi_evolution_percent(D(december_n1), D(december_n2)) == expected


def test_cpi_evolution_refuses_a_zero_base():
    with pytest.raises(ValueError):
        cpi_evolution_percent(D("114.18"), D("0"))


@pytest.mark.parametrize(
    ("previous", "evolution", "expected"),
    [
        ("142", "6.31", D("151")),  # 142 × 1,0631 = 150,96 → 151 (2023-2024 forfait)
        ("51", "6.31", D("54")),  # 51 × 1,0631 = 54,22 → 54 (3e prépa-métiers)
        ("290", "6.31", D("308")),  # CPGE 2022-23 290 € → 2023-24 308 € (arrêté 2023-087)
        ("151", "-0.50", D("151")),  # negative evolution: previous amounts kept (seed 003)
        ("100", "2.50", D("103")),  # 102,5 → 103: half up to the euro
        ("100", "2.49", D("102")),
    ],
)
def test_indexed_forfait(previous, evolution, expected):
    assert indexed_forfait(D(previous), D(evolution)) == expected


def test_published_2024_2025_forfaits_follow_one_evolution():
    """157 / 56 / 319 (Région, 2024-2025) come from 151 / 54 / 308 with one evolution: 3,65–3,73 %."""
    fitting = [
        D(hundredths) / 100
        for hundredths in range(0, 1001)
        if (
            indexed_forfait(D("151"), D(hundredths) / 100),
            indexed_forfait(D("54"), D(hundredths) / 100),
            indexed_forfait(D("308"), D(hundredths) / 100),
        )
        == (D("157"), D("56"), D("319"))
    ]
    assert fitting[0] == D("3.65")
    assert fitting[-1] == D("3.73")
    assert len(fitting) == 9  # contiguous: every value in between fits too


def test_cpge_2025_2026_forfait_follows_from_2024_2025():
    assert indexed_forfait(D("319"), D("1.30")) == D("323")


# -- ARE-5 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("students", "rate", "expected"),
    [
        (25, "0.5", 13),  # 12,5 → 13: half up, never half even (12)
        (24, "0.5", 12),
        (40, "0.3125", 13),  # 12,5 → 13
        (40, "0.3120", 12),  # 12,48 → 12
        (0, "0.9", 0),
        (30, "1", 30),
        (30, "0", 0),
    ],
)
def test_scholarship_holders_rounded_half_up(students, rate, expected):
    assert scholarship_holders(students, D(rate)) == expected


@pytest.mark.parametrize(("students", "rate"), [(10, "1.01"), (10, "-0.1"), (-1, "0.5")])
def test_scholarship_holders_refuses_bad_input(students, rate):
    with pytest.raises(ValueError):
        scholarship_holders(students, D(rate))


# ARE-5, exact (seed 003, note 1): the rate is the académie's scholarship count over the lycée's
# enrolments n-1, never a rounded decimal typed by the officer.


@pytest.mark.parametrize(
    ("count", "enrolments", "expected"),
    [
        (5, 60, Fraction(1, 12)),  # 5 / 60 = 0,08333…: no decimal holds it exactly
        (0, 60, Fraction(0)),
        (60, 60, Fraction(1)),
        (270, 600, Fraction(9, 20)),  # 0,45
    ],
)
def test_scholarship_rate_is_an_exact_fraction(count, enrolments, expected):
    assert scholarship_rate(count, enrolments) == expected
    assert isinstance(scholarship_rate(count, enrolments), Fraction)


@pytest.mark.parametrize(("count", "enrolments"), [(5, 0), (5, -60), (-1, 60), (61, 60), (True, 60), (5, 60.0)])
def test_scholarship_rate_refuses_impossible_counts(count, enrolments):
    with pytest.raises(ValueError):
        scholarship_rate(count, enrolments)


@pytest.mark.parametrize(
    ("students", "rate", "expected"),
    [
        # The example: 30 first-year BTS pupils at 5 / 60 → 30 × 5 / 60 = 2,5 → 3 holders,
        # where the decimal 0,0833 typed by the officer gave 30 × 0,0833 = 2,499 → 2.
        (30, Fraction(5, 60), 3),
        (30, D("0.0833"), 2),  # the typed decimal, for the record: exactly what the exact rate avoids
        (6, Fraction(1, 12), 1),  # 0,5 → 1 (half up)
        (5, Fraction(1, 12), 0),  # 0,4166… → 0
        (18, Fraction(1, 12), 2),  # 1,5 → 2
        (35, Fraction(2, 5), 14),  # 14 exactly
        (25, Fraction(1, 2), 13),  # 12,5 → 13
    ],
)
def test_scholarship_holders_from_an_exact_rate(students, rate, expected):
    assert scholarship_holders(students, rate) == expected


@pytest.mark.parametrize("rate", [Fraction(13, 12), Fraction(-1, 12)])
def test_scholarship_holders_refuses_a_fraction_outside_0_1(rate):
    with pytest.raises(ValueError):
        scholarship_holders(10, rate)


def test_initial_dotation_with_an_exact_rate():
    # Seed 003 forfait 2023-2024: 151 €. Post-bac: round_half_up(30 × 5 / 60 = 2,5) = 3 holders
    # × 151 = 453,00 € (the typed 0,0833 gave 2 × 151 = 302,00 €).
    d = dotation(post_bac=30, scholarship_rate=scholarship_rate(5, 60))
    assert (d.scholarship_holders, d.post_bac_gross, d.post_bac_due, d.total_due) == (
        3,
        D("453.00"),
        D("453.00"),
        D("453.00"),
    )


# -- ARE-4..7 ----------------------------------------------------------------------------------

F2023 = {"forfait": D("151"), "forfait_prepa_metiers": D("54")}


def dotation(**kwargs) -> Dotation:
    args = {
        "prepa_metiers": 0,
        "pre_bac": 0,
        "post_bac": 0,
        "scholarship_rate": D("0"),
        "carryover_pre_bac": D("0"),
        "carryover_post_bac": D("0"),
        "survey_answered": True,
        **F2023,
    }
    args.update(kwargs)
    return initial_dotation(**args)


def test_initial_dotation_with_the_2023_2024_forfaits():
    d = dotation(prepa_metiers=24, pre_bac=120, post_bac=35, scholarship_rate=D("0.4"))
    # pré-bac: 120 × 151 + 24 × 54 = 18 120 + 1 296 = 19 416; post-bac: round(35 × 0,4) = 14 × 151 = 2 114
    assert d == Dotation(
        scholarship_holders=14,
        pre_bac_gross=D("19416.00"),
        post_bac_gross=D("2114.00"),
        pre_bac_due=D("19416.00"),
        post_bac_due=D("2114.00"),
        total_due=D("21530.00"),
    )


def test_2024_2025_forfaits():
    d = dotation(
        prepa_metiers=10,
        pre_bac=100,
        post_bac=20,
        scholarship_rate=D("0.25"),
        forfait=D("157"),
        forfait_prepa_metiers=D("56"),
    )
    assert (d.pre_bac_gross, d.post_bac_gross, d.total_due) == (D("16260.00"), D("785.00"), D("17045.00"))


def test_carryover_is_deducted_per_envelope_and_envelopes_are_not_fungible():
    # pré-bac 100 × 151 = 15 100 with 16 000 carried over → 0 (never negative); the 900 left over
    # are not taken from post-bac: post-bac 10 × 151 = 1 510 − 500 = 1 010.
    d = dotation(
        pre_bac=100, post_bac=20, scholarship_rate=D("0.5"), carryover_pre_bac=D("16000"), carryover_post_bac=D("500")
    )
    assert (d.pre_bac_gross, d.pre_bac_due) == (D("15100.00"), D("0.00"))
    assert (d.post_bac_gross, d.post_bac_due) == (D("1510.00"), D("1010.00"))
    assert d.total_due == D("1010.00")


def test_carryover_larger_than_the_dotation_gives_zero():
    d = dotation(pre_bac=10, carryover_pre_bac=D("1510.01"))
    assert d.pre_bac_due == D("0.00") and d.total_due == D("0.00")


def test_carryover_equal_to_the_dotation_gives_zero_and_cents_are_kept():
    assert dotation(pre_bac=10, carryover_pre_bac=D("1510.00")).pre_bac_due == D("0.00")
    assert dotation(pre_bac=10, carryover_pre_bac=D("10.25")).pre_bac_due == D("1499.75")


def test_no_survey_answer_gives_no_dotation():
    d = dotation(pre_bac=100, post_bac=20, scholarship_rate=D("0.5"), survey_answered=False)
    assert d.pre_bac_gross == D("15100.00")  # the computation is kept for the record
    assert (d.pre_bac_due, d.post_bac_due, d.total_due) == (D("0.00"), D("0.00"), D("0.00"))


@pytest.mark.parametrize(
    "bad",
    [{"pre_bac": -1}, {"post_bac": 2.5}, {"scholarship_rate": D("1.2")}, {"carryover_pre_bac": D("-1")}],
)
def test_initial_dotation_refuses_bad_input(bad):
    with pytest.raises((ValueError, TypeError)):
        dotation(**bad)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        dotation(pre_bac=1, forfait=151.0)


# -- ARE-8, ARE-9 ------------------------------------------------------------------------------


def test_supplementary_amount():
    assert supplementary_amount(6, D("151")) == D("906.00")
    assert supplementary_amount(3, D("54")) == D("162.00")


@pytest.mark.parametrize(
    ("received", "carryover", "spent", "expected"),
    [("15100", "250.50", "14000", D("1350.50")), ("1000", "0", "1000", D("0.00")), ("1000", "0", "1200", D("0.00"))],
)
def test_remaining_carryover(received, carryover, spent, expected):
    assert remaining_carryover(received=D(received), carryover=D(carryover), spent=D(spent)) == expected


# -- ARE-10 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quotient", "competitions", "forfait", "expected"),
    [
        ("10140", 3, "308", D("924.00")),  # at the ceiling: eligible (≤ 10 140 €)
        ("10140.01", 3, "308", D("0.00")),  # above: nothing
        ("5000", 5, "308", D("924.00")),  # at most 3 competitions
        ("5000", 2, "319", D("638.00")),  # 2024-2025 forfait
        ("0", 1, "323", D("323.00")),  # 2025-2026 forfait
        ("5000", 0, "308", D("0.00")),
    ],
)
def test_cpge_competition_aid(quotient, competitions, forfait, expected):
    assert cpge_competition_aid(D(quotient), competitions, D(forfait)) == expected


@pytest.mark.parametrize(
    ("second_year", "quotient", "competitions", "expected"),
    [
        # Arrêté 2023-087, annex I, 3: 308 € per competition within the limit of three per pupil.
        (True, "8450", 5, CpgeAid(amount=D("924.00"), competitions_paid=3, refusal=None)),  # 3 × 308
        (True, "10140", 2, CpgeAid(amount=D("616.00"), competitions_paid=2, refusal=None)),  # at the ceiling
        (True, "10140.01", 5, CpgeAid(amount=D("0.00"), competitions_paid=0, refusal=CPGE_QUOTIENT_ABOVE_CEILING)),
        (False, "8450", 5, CpgeAid(amount=D("0.00"), competitions_paid=0, refusal=CPGE_NOT_SECOND_YEAR)),
        # both fail: the first condition of the arrêté (second year) is the reason given
        (False, "20000", 2, CpgeAid(amount=D("0.00"), competitions_paid=0, refusal=CPGE_NOT_SECOND_YEAR)),
    ],
)
def test_cpge_aid_says_what_is_paid_and_why_nothing_is(second_year, quotient, competitions, expected):
    result = cpge_aid(second_year=second_year, family_quotient=D(quotient), competitions=competitions, forfait=D("308"))
    assert result == expected


@pytest.mark.parametrize("competitions", [0, -1])
def test_cpge_aid_needs_at_least_one_competition(competitions):
    with pytest.raises(ValueError):
        cpge_aid(second_year=True, family_quotient=D("5000"), competitions=competitions, forfait=D("308"))


def test_a_zero_cpge_aid_always_has_a_reason():
    with pytest.raises(ValueError):
        CpgeAid(amount=D("0.00"), competitions_paid=0, refusal=None)


# -- ARE-1 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nsf", "kwargs", "expected"),
    [
        ("100", {}, False),
        ("100", {"prepa_metiers": True}, True),
        ("134", {}, True),
        ("200", {}, True),
        ("229", {}, True),
        ("259", {}, True),
        ("260", {}, False),
        ("199", {}, False),
        ("310", {}, False),
        ("311", {}, True),
        ("312", {}, True),
        ("313", {}, False),
        ("321", {}, True),
        ("322", {}, True),
        ("323", {}, True),
        ("330", {}, True),
        ("331", {}, True),
        ("331", {"st2s": True}, False),
        ("332", {}, False),
        ("334", {}, True),
        ("336", {}, True),
        ("343", {}, True),
        ("344", {}, True),
        ("345", {}, False),
        ("21", {}, False),
        ("abc", {}, False),
    ],
)
def test_eligible_specialty(nsf, kwargs, expected):
    assert eligible_specialty(nsf, **kwargs) is expected
