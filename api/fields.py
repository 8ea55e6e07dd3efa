"""Output fields of the API's contract: amounts as strings with two decimals, months YYYY-MM."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def Amount(**kwargs):  # noqa: N802 — reads as a field class
    """Money: "2078.50" (a string: no float anywhere)."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True, **kwargs)


def Decimal2(**kwargs):  # noqa: N802
    """An index, a rate in %, an SSM at index 100: "992.24"."""
    return serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True, **kwargs)


def Decimal4(**kwargs):  # noqa: N802
    """A rate or an amount at index 100 published with four decimals: "7.8200"."""
    return serializers.DecimalField(max_digits=12, decimal_places=4, coerce_to_string=True, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-06"})
class MonthField(serializers.Field):
    """A month as "2026-06" (the first day of the month in the services)."""

    def to_representation(self, value):
        return value.strftime("%Y-%m")

    def to_internal_value(self, data):  # pragma: no cover — input months go through the UI's forms
        raise NotImplementedError


__all__ = ["Amount", "Decimal2", "Decimal4", "MonthField", "OpenApiTypes"]
