"""The strict fields of core.forms: only what a person types on a French keyboard is read."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms

from core.forms import (
    AmountField,
    StrictIntegerField,
    StrictModelChoiceField,
    french_date_field,
    parse_decimal,
    parse_integer,
)
from core.models import School

REFUSED = ["١٢٣", "1e5", "1_000", "1.0e2", "NaN", "Infinity", "0x10", "12-", "--1", "1,2,3", "1..2", "¹²", "１２"]


class Sample(forms.Form):
    count = StrictIntegerField(required=False, min_value=0, max_value=100000)
    amount = AmountField(required=False)
    on = french_date_field("Le", required=False)
    school = StrictModelChoiceField(queryset=School.objects.all(), required=False)


@pytest.mark.parametrize("text", REFUSED)
def test_parsers_refuse_what_python_would_read(text):
    with pytest.raises(ValueError):
        parse_integer(text)
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1081,50", Decimal("1081.50")),
        ("1 081.50", Decimal("1081.50")),
        ("-2", Decimal("-2")),
        ("+0,5", Decimal("0.5")),
    ],
)
def test_decimals_typed_in_french(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", REFUSED)
def test_form_fields_refuse_with_a_french_message(db, text):
    form = Sample({"count": text, "amount": text})
    assert not form.is_valid()
    assert form.errors["count"] == ["Saisissez un nombre entier."]
    assert form.errors["amount"] == ["Saisissez un montant (par exemple 151 ou 151,50)."]


def test_amount_and_count_in_bounds(db):
    form = Sample({"count": "1 200", "amount": "1 081,50"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == 1200
    assert form.cleaned_data["amount"] == Decimal("1081.50")
    form = Sample({"count": "100001", "amount": "-1"})
    assert not form.is_valid()
    assert form.errors["amount"] == ["Le montant doit être positif ou nul."]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("9999-12-31", "Saisissez une date entre le 01/01/1900 et le 31/12/2100."),
        ("0001-01-01", "Saisissez une date entre le 01/01/1900 et le 31/12/2100."),
        ("31/12/9999", "Saisissez une date entre le 01/01/1900 et le 31/12/2100."),
        ("٢٠٢٥-٠١-٠١", "Saisissez une date valide (jj/mm/aaaa)."),
        ("2025-02-30", "Saisissez une date valide (jj/mm/aaaa)."),
        ("20250101", "Saisissez une date valide (jj/mm/aaaa)."),
    ],
)
def test_dates_are_bounded(db, text, error):
    form = Sample({"on": text})
    assert not form.is_valid()
    assert form.errors["on"] == [error]


def test_dates_in_bounds(db):
    for text in ("2025-01-31", "31/01/2025"):
        form = Sample({"on": text})
        assert form.is_valid()
        assert form.cleaned_data["on"] == date(2025, 1, 31)


@pytest.mark.parametrize("text", ["١", "1e3", "99999999999999999999999", "-1", " 1x"])
def test_model_choice_refuses_ids_that_are_not_ascii_digits(db, text):
    form = Sample({"school": text})
    assert not form.is_valid()
    assert "school" in form.errors
