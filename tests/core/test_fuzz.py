"""Property-based bad input (hypothesis): every field of every form of the three apps and core
cleans any text into a value or a ValidationError (never another exception), and the query
parameters of the lists never give a server error. Marker `fuzz`: CI runs these once, on SQLite."""

from __future__ import annotations

import contextlib
import inspect
from importlib import import_module

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.enums import Role, Scheme
from tests.bad_input import nasty_text, server_error
from tests.factories import UserFactory

pytestmark = [pytest.mark.fuzz]

FORM_MODULES = ("core.forms", "apprenticeship.forms", "lycee_aid.forms", "bts_fees.forms", "core.two_factor")


def _fields():
    seen = []
    for module_name in FORM_MODULES:
        module = import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                for field_name, field in cls.base_fields.items():
                    seen.append((f"{module_name}.{name}.{field_name}", field))
    return seen


FIELDS = _fields()


def test_the_harness_sees_the_forms_of_every_app():
    modules = {label.rsplit(".", 2)[0] for label, _ in FIELDS}
    assert modules == set(FORM_MODULES)
    assert len(FIELDS) > 100


def _clean(field, value):
    if isinstance(field, forms.ModelChoiceField) and field.queryset is None:
        return  # its queryset is the user's scope, set when the form is built (views fuzzed below)
    if isinstance(field, forms.FileField):
        return
    with contextlib.suppress(ValidationError):
        field.clean(value)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=nasty_text(), index=st.integers(min_value=0, max_value=10_000))
def test_every_form_field_cleans_or_refuses(value, index):
    label, field = FIELDS[index % len(FIELDS)]
    _clean(field, value)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=nasty_text())
def test_every_form_field_refuses_non_ascii_digits_or_reads_them_as_text(value):
    for _label, field in FIELDS:
        _clean(field, value)
        if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.DateField)) and any(
            c.isdigit() and not c.isascii() for c in value
        ):
            with pytest.raises(ValidationError):
                field.clean(value)


LISTS = ("core:journal", "apprenticeship:contract_list", "bts_fees:declaration_list")
PARAMS = ("page", "per_page", "sort", "_export", "status", "school", "since", "until", "q")


@pytest.fixture
def officer_client(client_for, db):
    return client_for(UserFactory(username="agent.fuzz", role=Role.OFFICER, schemes=Scheme.values))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    url_name=st.sampled_from(LISTS),
    query=st.dictionaries(st.sampled_from(PARAMS), nasty_text(), max_size=3),
)
def test_list_query_parameters_never_fail(officer_client, url_name, query):
    response = officer_client.get(reverse(url_name), query)
    assert not server_error(response), (url_name, query)
