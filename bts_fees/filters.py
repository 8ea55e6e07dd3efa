"""List filters; choices are scoped to the user (django-filter lists every row of a foreign key by default).

The declaration list is the page the app serves most: its filter form runs no query of its
own for officers. Lycées, programmes and academic years are reference data, read once and kept in
the process for a minute (`core.choices`: cleared on every save or delete); each user only gets the
choices of their own scope. The scope of the rows themselves is never cached: it is the selector's
subquery, run with the rows.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.choices import ChoicesCache
from core.enums import Country, Scheme
from core.filters import set_filter_choices
from core.models import School
from core.selectors import is_officer

from . import selectors
from .enums import BodyKind, DeclarationStatus, LecturerCategory
from .models import AcademicYear, Body, Declaration, LecturerContract, Person, Programme

EMPTY = ("", "---------")  # TypedChoiceFilter adds no empty choice of its own
_choices = ChoicesCache("bts_fees", (School, Programme, AcademicYear))
_cached = _choices.get
clear_choices = _choices.clear


def _all_schools() -> list[tuple[int, str]]:
    """Every Luxembourg lycée (the BTS scheme is Luxembourg's)."""
    return _cached(
        "schools",
        lambda: list(School.objects.filter(country=Country.LUXEMBOURG).order_by("name").values_list("id", "name")),
    )


def _all_programmes() -> list[tuple[int, int, str]]:
    """(id, school id, label) of every programme, in the order of the lists."""
    return _cached(
        "programmes",
        lambda: [
            (pk, school_id, f"{title} ({code})")
            for pk, school_id, title, code in Programme.objects.order_by("school__name", "title").values_list(
                "id", "school_id", "title", "code"
            )
        ],
    )


def academic_year_choices() -> list[tuple[int | str, str]]:
    return [
        EMPTY,
        *_cached("years", lambda: list(AcademicYear.objects.order_by("-start_date").values_list("id", "label"))),
    ]


def _scope_ids(request) -> set[int] | None:
    """None for an officer of the scheme (every lycée); else the ids of the user's own lycées."""
    if request is None:
        return set()
    user = request.user
    if is_officer(user, Scheme.BTS_FEES):
        return None
    return set(selectors.school_list(user).values_list("id", flat=True))


class ScopedChoicesMixin:
    """Lycée and programme choices limited to the user's lycées (one query for lycée staff, none
    for officers), plain Bootstrap classes (rendered without crispy: hot page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = _scope_ids(self.request)
        if "school" in self.filters:
            set_filter_choices(
                self.filters["school"], [EMPTY, *(c for c in _all_schools() if own is None or c[0] in own)]
            )
        if "programme" in self.filters:
            set_filter_choices(
                self.filters["programme"],
                [
                    EMPTY,
                    *((pk, label) for pk, school_id, label in _all_programmes() if own is None or school_id in own),
                ],
            )
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select" if hasattr(field, "choices") else "form-control"


def _school_filter(field_name: str):
    return django_filters.TypedChoiceFilter(label=_("Lycée"), choices=(), coerce=int, field_name=field_name)


def _programme_filter(field_name: str):
    return django_filters.TypedChoiceFilter(label=_("Programme"), choices=(), coerce=int, field_name=field_name)


def _year_filter(field_name: str):
    return django_filters.TypedChoiceFilter(
        label=_("Année d'études"), choices=academic_year_choices, coerce=int, field_name=field_name
    )


class DeclarationFilter(ScopedChoicesMixin, django_filters.FilterSet):
    school = _school_filter("body__school_id")
    programme = _programme_filter("body__programme_id")
    kind = django_filters.ChoiceFilter(field_name="body__kind", label=_("Instance"), choices=BodyKind.choices)
    academic_year = _year_filter("body__academic_year_id")
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=DeclarationStatus.choices)

    class Meta:
        model = Declaration
        fields = ["school", "programme", "kind", "academic_year", "status"]


class BodyFilter(ScopedChoicesMixin, django_filters.FilterSet):
    school = _school_filter("school_id")
    programme = _programme_filter("programme_id")
    kind = django_filters.ChoiceFilter(label=_("Instance"), choices=BodyKind.choices)
    academic_year = _year_filter("academic_year_id")

    class Meta:
        model = Body
        fields = ["school", "programme", "kind", "academic_year"]


class PersonFilter(ScopedChoicesMixin, django_filters.FilterSet):
    school = _school_filter("school_id")
    last_name = django_filters.CharFilter(label=_("Nom"), lookup_expr="icontains", max_length=100)

    class Meta:
        model = Person
        fields = ["school", "last_name"]


class ProgrammeFilter(ScopedChoicesMixin, django_filters.FilterSet):
    school = _school_filter("school_id")

    class Meta:
        model = Programme
        fields = ["school"]


class ContractFilter(ScopedChoicesMixin, django_filters.FilterSet):
    programme = _programme_filter("programme_id")
    academic_year = _year_filter("academic_year_id")
    category = django_filters.ChoiceFilter(label=_("Catégorie"), choices=LecturerCategory.choices)

    class Meta:
        model = LecturerContract
        fields = ["programme", "academic_year", "category"]
