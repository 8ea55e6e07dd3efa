"""Filters of the contract list. The list is the page the app serves most: its filter form
runs no query of its own. Trades and schools are reference data, read once and kept in the process
for a minute (`core.choices`: cleared on every save); the employer is searched by name, never listed in a select.
Officers choose among the schools that have contracts, not every school of the database (the ARE
lycées of Île-de-France alone are a thousand)."""

from __future__ import annotations

from datetime import date

import django_filters
from crispy_forms.helper import FormHelper
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoicesCache
from core.filters import set_filter_choices
from core.models import School
from core.selectors import is_employer, is_lycee_staff, schools_for

from . import permissions, rules
from .enums import ContractStatus
from .models import Contract, Trade

_choices = ChoicesCache("apprenticeship", (Trade, School, Contract))
_cached = _choices.get
clear_choices = _choices.clear


def trade_choices() -> list[tuple[int, str]]:
    return _cached(
        "trades",
        lambda: [
            (pk, f"{name} ({diploma})") for pk, name, diploma in Trade.objects.values_list("id", "name", "diploma")
        ],
    )


def all_school_choices() -> list[tuple[int, str]]:
    return _cached("schools", lambda: list(School.objects.order_by("name").values_list("id", "name")))


def _school_year_choices():
    current = rules.school_year_of(timezone.localdate())
    return [ANY, *((y, rules.school_year_label(y)) for y in range(current + 1, current - 6, -1))]


def _trade_filter_choices():
    return [ANY, *trade_choices()]


def contract_school_choices() -> list[tuple[int, str]]:
    return _cached(
        "contract_schools",
        lambda: list(
            School.objects.filter(pk__in=Contract.objects.order_by().values("school_id"))
            .order_by("name")
            .values_list("id", "name")
        ),
    )


def _school_filter_choices():
    return [ANY, *contract_school_choices()]


# TypedChoiceFilter with callable choices uses Django's TypedChoiceField, which adds no empty
# choice: without it the first year or trade looked selected although nothing was filtered.
ANY = ("", "---------")


class ContractFilter(django_filters.FilterSet):
    """Choices are scoped to the user (never every row of a table in a select: a thousand lycées would make the page heavy)."""

    apprentice = django_filters.CharFilter(label=_("Apprenti"), method="filter_apprentice", max_length=100)
    trade = django_filters.TypedChoiceFilter(
        label=_("Métier"), choices=_trade_filter_choices, coerce=int, field_name="trade_id"
    )
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=ContractStatus.choices)
    school_year = django_filters.TypedChoiceFilter(
        label=_("Année scolaire"), choices=_school_year_choices, coerce=int, method="filter_school_year"
    )
    employer = django_filters.CharFilter(label=_("Employeur"), method="filter_employer", max_length=100)
    school = django_filters.TypedChoiceFilter(
        label=_("Lycée"), choices=_school_filter_choices, coerce=int, field_name="school_id"
    )

    class Meta:
        model = Contract
        fields = ["apprentice", "trade", "status", "school_year", "employer", "school"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request is not None else None
        if user is not None and is_employer(user):
            del self.filters["school"]
        elif user is not None and is_lycee_staff(user):
            own = set(schools_for(user, scheme=permissions.SCHEME).values_list("id", flat=True))
            set_filter_choices(self.filters["school"], [ANY, *(c for c in all_school_choices() if c[0] in own)])
        for field in self.form.fields.values():  # rendered without crispy (hot page)
            field.widget.attrs["class"] = "form-select" if hasattr(field, "choices") else "form-control"
        self.form.helper = FormHelper()
        self.form.helper.form_tag = False
        self.form.helper.disable_csrf = True

    def filter_apprentice(self, queryset, name, value):
        for word in value.split()[:3]:
            queryset = queryset.filter(
                Q(apprentice__last_name__icontains=word) | Q(apprentice__first_name__icontains=word)
            )
        return queryset

    def filter_employer(self, queryset, name, value):
        value = value.strip()
        if value.isdigit() and len(value) < 10:  # an employer's id (links from other pages)
            return queryset.filter(employer_id=int(value))
        for word in value.split()[:3]:
            queryset = queryset.filter(employer__name__icontains=word)
        return queryset

    def filter_school_year(self, queryset, name, value):
        """Contracts running at some point of the school year (1 September – 31 August)."""
        return queryset.filter(start_date__lte=date(value + 1, 8, 31), end_date__gte=date(value, 9, 1))
