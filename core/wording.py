"""Dates as the French messages print them: a day « 05/03/2026 », a month « mars 2026 »."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format


def day_label(day: date) -> str:
    return date_format(day, "d/m/Y")


def month_label(month: date) -> str:
    return date_format(month, "F Y")
