"""core/rules.py against the seed figures (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from core.rules import in_force_on, index_amount, round_cent


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


def test_in_force_on_picks_the_latest_start_on_or_before_the_date():
    periods = [(date(2023, 9, 1), "944.43"), (date(2023, 4, 1), "921.40"), (date(2025, 5, 1), "968.04")]
    assert in_force_on(periods, date(2023, 8, 31)) == "921.40"
    assert in_force_on(periods, date(2023, 9, 1)) == "944.43"
    assert in_force_on(periods, date(2025, 4, 30)) == "944.43"
    assert in_force_on(periods, date(2023, 3, 31)) is None


def test_rules_module_imports_without_django_settings():
    import subprocess
    import sys

    code = "import os; os.environ.pop('DJANGO_SETTINGS_MODULE', None); import core.rules; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
