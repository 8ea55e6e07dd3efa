"""core/rules.py against the seed figures (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from core.rules import index_amount, periods_overlap, round_cent, value_in_force


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.125", "0.13"), ("0.135", "0.14"), ("2.005", "2.01"), ("-0.125", "-0.13"), ("10", "10.00"), (3, "3.00")],
)
def test_round_cent_is_half_up(value, expected):
    assert round_cent(Decimal(value) if isinstance(value, str) else value) == Decimal(expected)


def test_round_cent_refuses_floats():
    with pytest.raises(TypeError):
        round_cent(0.125)


@pytest.mark.parametrize(
    ("at_100", "index", "expected", "source"),
    [
        ("279.30", "992.24", "2771.33", "seed 002: SSM 2 771,33 € at 992,24"),
        ("272.22", "921.40", "2508.24", "CORE-3: 2 508,24 € at 921,40"),
        ("272.22", "944.43", "2570.93", "CORE-3: 2 570,93 € at 944,43 (2023-2024)"),
        ("279.30", "944.43", "2637.79", "CORE-3: 2 637,79 € at 944,43 (2025)"),
        ("279.30", "968.04", "2703.74", "CORE-3: 2 703,74 € at 968,04"),
        ("7.82", "944.43", "73.85", "seed 004: deliberation"),
        ("35.19", "944.43", "332.34", "seed 004: promoter"),
    ],
)
def test_index_amount_matches_the_seeds(at_100, index, expected, source):
    assert index_amount(Decimal(at_100), Decimal(index)) == Decimal(expected), source


def test_index_amount_accepts_strings_with_french_commas():
    assert index_amount("279,30", "992,24") == Decimal("2771.33")


# The Luxembourg index with its application dates (rule CORE-2, docs/rules.md): 921,40 on 1 April 2023, 944,43
# on 1 September 2023, 968,04 on 1 May 2025; each period ends the day before the next.
INDEX = [
    (date(2023, 9, 1), date(2025, 4, 30), "944.43"),
    (date(2023, 4, 1), date(2023, 8, 31), "921.40"),
    (date(2025, 5, 1), None, "968.04"),
]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2023, 8, 31), "921.40"),  # last day of the 921,40 period
        (date(2023, 9, 1), "944.43"),  # application date of 944,43 (seed 001's table)
        (date(2025, 4, 30), "944.43"),
        (date(2025, 5, 1), "968.04"),
        (date(2026, 5, 31), "968.04"),  # open-ended
        (date(2023, 3, 31), None),  # before the first period
    ],
)
def test_value_in_force_picks_the_period_containing_the_date(on, expected):
    assert value_in_force(INDEX, on) == expected


def test_value_in_force_never_reuses_an_ended_value():
    # A CCP rate of 50 % that ended on 31/12/2025, and nothing after it: February 2026 has no rate
    # in force (a gap), not 50 %.
    periods = [(date(2025, 1, 1), date(2025, 12, 31), Decimal("50"))]
    assert value_in_force(periods, date(2025, 12, 31)) == Decimal("50")
    assert value_in_force(periods, date(2026, 2, 1)) is None


def test_value_in_force_prefers_the_latest_start_among_overlapping_periods():
    # The 27 % rate is open-ended since 2023; a 50 % rate applies in 2025 only. In 2025 the later
    # start wins; from 2026 the 27 % period, which still contains the date, applies again.
    periods = [(date(2023, 1, 1), None, Decimal("27")), (date(2025, 1, 1), date(2025, 12, 31), Decimal("50"))]
    assert value_in_force(periods, date(2025, 6, 1)) == Decimal("50")
    assert value_in_force(periods, date(2026, 2, 1)) == Decimal("27")
    assert value_in_force(periods, date(2022, 12, 31)) is None


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((date(2023, 1, 1), date(2023, 12, 31)), (date(2024, 1, 1), None), False),
        ((date(2023, 1, 1), date(2024, 1, 1)), (date(2024, 1, 1), None), True),  # inclusive ends
        ((date(2023, 1, 1), None), (date(2030, 1, 1), date(2030, 1, 2)), True),
        ((date(2025, 1, 1), date(2025, 1, 31)), (date(2024, 1, 1), date(2024, 12, 31)), False),
    ],
)
def test_periods_overlap(a, b, overlap):
    assert periods_overlap(*a, *b) is overlap
    assert periods_overlap(*b, *a) is overlap


def test_rules_module_imports_without_django_settings():
    import subprocess
    import sys

    code = "import os; os.environ.pop('DJANGO_SETTINGS_MODULE', None); import core.rules; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
