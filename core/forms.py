"""Fields every form of the product uses, strict about what they read.

Python reads more than a civil servant types: `int("١٢٣") == 123`, `int("1_000") == 1000`,
`Decimal("1e5")` is a number and `datetime.strptime` takes any Unicode digit. These fields accept
only ASCII digits, one decimal separator (comma or point), an optional sign and spaces between
thousands, and dates within bounds, before any conversion. Ids of chosen objects are ASCII digits.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# Wide enough for birth dates and the oldest seeds, narrow enough that no date overflows
# a computation (a year 9999 end date, a year 0001 start) or reads as a typing slip.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
# Whole numbers fit a database integer; amounts fit DecimalField(max_digits=12).
MAX_INTEGER = 2_000_000_000

_SPACES = str.maketrans("", "", " \u00a0\u202f")
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}", re.ASCII)
_ID = re.compile(r"[0-9]{1,18}", re.ASCII)


def _compact(value) -> str:
    return str(value).strip().translate(_SPACES)


def parse_integer(value) -> int:
    """An integer typed by a person: ASCII digits and an optional sign. ValueError otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = _compact(value)
    if not _INTEGER.fullmatch(text):
        raise ValueError(value)
    return int(text)


def parse_decimal(value) -> Decimal:
    """A decimal typed by a person: ASCII digits, one comma or point, an optional sign, spaces
    between thousands. No exponent, underscore, NaN, infinity or non-ASCII digit. ValueError otherwise."""
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    text = _compact(value)
    if not _DECIMAL.fullmatch(text):
        raise ValueError(value)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValueError(value) from None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BoundedDateField(forms.DateField):
    """A date typed as jj/mm/aaaa or aaaa-mm-jj (the browser's picker), between `min_date` and `max_date`."""

    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Saisissez une date valide (jj/mm/aaaa)."),
        "out_of_bounds": _("Saisissez une date entre le %(min)s et le %(max)s."),
    }

    def __init__(self, *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)
        self.min_date, self.max_date = min_date, max_date

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not _DATE.fullmatch(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value and not (self.min_date <= value <= self.max_date):
            raise ValidationError(
                self.error_messages["out_of_bounds"],
                code="out_of_bounds",
                params={"min": self.min_date.strftime("%d/%m/%Y"), "max": self.max_date.strftime("%d/%m/%Y")},
            )


def french_date_field(label, **kwargs) -> BoundedDateField:
    error_messages = kwargs.pop("error_messages", {})
    return BoundedDateField(
        label=label,
        error_messages={"invalid": _("Saisissez une date valide (jj/mm/aaaa)."), **error_messages},
        **kwargs,
    )


class StrictIntegerField(forms.IntegerField):
    """A count: ASCII digits and an optional sign only (no `١٢٣`, `1_000`, `1e5` or `1.0`)."""

    default_error_messages = {"invalid": _("Saisissez un nombre entier.")}

    def __init__(self, *, max_value=None, min_value=None, **kwargs):
        max_value = MAX_INTEGER if max_value is None else max_value
        min_value = -MAX_INTEGER if min_value is None else min_value
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_integer(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class StrictDecimalField(forms.DecimalField):
    """A decimal: ASCII digits, one comma or point, an optional sign, spaces between thousands."""

    default_error_messages = {"invalid": _("Saisissez un nombre (par exemple 151 ou 151,50).")}

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_decimal(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class AmountField(StrictDecimalField):
    """An amount in euros: positive or nil, to the cent, at most 12 digits."""

    default_error_messages = {
        "invalid": _("Saisissez un montant (par exemple 151 ou 151,50)."),
        "min_value": _("Le montant doit être positif ou nul."),
        "max_decimal_places": _("Deux décimales au plus."),
        "max_digits": _("Le montant est trop grand."),
        "max_whole_digits": _("Le montant est trop grand."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)


def _check_id(field, value):
    if isinstance(value, str) and field.to_field_name is None and not _ID.fullmatch(value.strip()):
        raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class StrictModelChoiceField(forms.ModelChoiceField):
    """A choice among a scoped queryset, by an id of ASCII digits (no `١`, `1e3`, overflow)."""

    def to_python(self, value):
        if value not in self.empty_values:
            _check_id(self, value)
        return super().to_python(value)


class StrictModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            _check_id(self, item)
        return super()._check_values(value)


class ReferenceDateForm(forms.Form):
    """The date at which the public page shows the reference values in force."""

    date = french_date_field(
        _("Date"),
        required=False,
        min_date=date(1990, 1, 1),
        error_messages={"out_of_bounds": _("Choisissez une date entre 1990 et 2100.")},
    )
