"""Pure money rules shared by every scheme (no Django import: importable without settings).

Every rounding of the product happens through `round_cent` (docs/rules.md, cross-cutting rule "Money").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0.00")  # the zero amount of every sum and floor of the product, to the cent

T = TypeVar("T")

# An effective-dated value: (valid_from, valid_until inclusive or None when open-ended, value).
Period = tuple[date, date | None, T]


def to_decimal(value) -> Decimal:
    """Convert an int, str or Decimal to Decimal; floats are refused (they are never exact)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bool, float)):
        raise TypeError("amounts are Decimal, int or str, never float or bool")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return Decimal(value.strip().replace("\u202f", "").replace(" ", "").replace(",", "."))
    raise TypeError(f"cannot use {type(value).__name__} as an amount")


def round_cent(amount) -> Decimal:
    """Round to the cent, half up (0,125 → 0,13). The one rounding helper of the product."""
    return to_decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def index_amount(amount_at_100, index) -> Decimal:
    """CORE-1: bring an amount at index 100 to the index in force, rounded to the cent.

    Source: seed 004 ("Indemnité (ni 100)"), seeds 000/001 ("INDICE 921,40", "INDICE 944,43").
    """
    return round_cent(to_decimal(amount_at_100) * to_decimal(index) / HUNDRED)


def value_in_force(periods: Iterable[Period[T]], on: date) -> T | None:
    """CORE-2 with end dates: the value in force on `on`, or None when no period contains it.

    `periods` are (valid_from, valid_until, value) triples in any order; `valid_until` is inclusive
    and None means open-ended. Among the periods that contain `on`, the one with the latest
    `valid_from` wins (a new index supersedes the previous one from its application date). A date
    outside every period is a gap: None, never the value of a period that has ended.
    """
    best: tuple[date, T] | None = None
    for valid_from, valid_until, value in periods:
        contains = valid_from <= on and (valid_until is None or on <= valid_until)
        if contains and (best is None or valid_from > best[0]):
            best = (valid_from, value)
    return None if best is None else best[1]


def periods_overlap(a_from: date, a_until: date | None, b_from: date, b_until: date | None) -> bool:
    """Whether two inclusive periods share at least one day (None: open-ended)."""
    return (a_until is None or b_from <= a_until) and (b_until is None or a_from <= b_until)
