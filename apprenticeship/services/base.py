"""Wording shared by the apprenticeship use cases: dates and months as the messages print them."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def _month_label(month: date) -> str:
    return date_format(month, "F Y")
