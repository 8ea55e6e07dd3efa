"""Pure money rules shared by every scheme (no Django import: importable without settings).

Every rounding of the product happens through `round_cent` (SPEC, cross-cutting rule "Money").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

CENT = Decimal("0.01")
HUNDRED = Decimal("100")

T = TypeVar("T")


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


def in_force_on(periods: Iterable[tuple[date, T]], on: date) -> T | None:
    """CORE-2: the value whose start date is the latest one on or before `on` (None if none).

    `periods` are (valid_from, value) pairs in any order.
    """
    best: tuple[date, T] | None = None
    for valid_from, value in periods:
        if valid_from <= on and (best is None or valid_from > best[0]):
            best = (valid_from, value)
    return None if best is None else best[1]
