"""Display helpers of the apprenticeship templates (formatting only, never rounding)."""

from datetime import date

from django import template

register = template.Library()


@register.filter
def isodate(value):
    """« 2025-09-01 » (as stored in the frozen JSON parameters) → a date for the |date filter."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return value
