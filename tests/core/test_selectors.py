"""Core selectors: reference values in force on a date, and schools scoped by role."""

from datetime import date
from decimal import Decimal

import pytest

from core import selectors
from core.enums import Role, Scheme
from core.models import LuxIndex, School
from tests.factories import UserFactory, add_period


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2023, 8, 31), "921.40"),
        (date(2023, 9, 1), "944.43"),
        (date(2025, 4, 30), "944.43"),
        (date(2025, 5, 1), "968.04"),
        (date(2026, 7, 1), "992.24"),
    ],
)
def test_index_in_force(reference, on, expected):
    assert selectors.index_in_force(on).value == Decimal(expected)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2023, 4, 1), "2508.24"),
        (date(2024, 6, 1), "2570.93"),
        (date(2025, 1, 1), "2637.79"),
        (date(2025, 5, 1), "2703.74"),
        (date(2026, 7, 1), "2771.33"),
    ],
)
def test_ssm_in_force_reproduces_the_published_amounts(reference, on, expected):
    assert selectors.ssm_in_force(on).amount == Decimal(expected)


def test_missing_reference_is_a_clear_error(reference):
    with pytest.raises(selectors.ReferenceDataMissing, match="Aucun nombre indice"):
        selectors.index_in_force(date(2000, 1, 1))


def test_a_new_index_changes_what_is_computed_from_its_date_only(reference):
    add_period(LuxIndex(valid_from=date(2027, 1, 1), value=Decimal("1017.05"), source="test"))
    assert selectors.index_in_force(date(2026, 12, 31)).value == Decimal("992.24")
    assert selectors.index_in_force(date(2027, 1, 1)).value == Decimal("1017.05")


def test_schools_are_scoped_by_role(school_a, school_b, staff_a, officer, employer_user):
    assert list(selectors.schools_for(staff_a)) == [school_a]
    assert set(selectors.schools_for(officer)) == {school_a, school_b}
    assert not selectors.schools_for(employer_user).exists()


def test_officer_sees_only_the_schemes_attached(school_a):
    are_only = UserFactory(username="region", role=Role.OFFICER, schemes=[Scheme.LYCEE_AID])
    assert selectors.is_officer(are_only, Scheme.LYCEE_AID)
    assert not selectors.is_officer(are_only, Scheme.BTS_FEES)
    assert not selectors.schools_for(are_only, scheme=Scheme.BTS_FEES).exists()


def test_school_for_gives_404_outside_scope(school_b, staff_a):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.school_for(staff_a, school_b.pk)
    with pytest.raises(Http404):
        selectors.school_for(staff_a, "not-a-number")
    assert School.objects.count() == 2
