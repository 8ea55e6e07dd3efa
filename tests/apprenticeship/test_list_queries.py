"""Issue 6: the contract list runs a constant number of queries (session, user, count, rows),
whatever the number of contracts, the page, the filter and the role."""

import re

import pytest
from django.urls import reverse

from apprenticeship import filters
from apprenticeship.models import Trade
from tests.utils import html as html_of

from .factories import ContractFactory

URL = "apprenticeship:contract_list"
QUERIES = [
    {},
    {"page": "2"},
    {"school_year": "2025", "status": "active"},
    {"apprentice": "Nom", "employer": "Boulangerie", "trade": "", "school": ""},
]


def _measure(client, params, django_assert_max_num_queries, limit):
    client.get(reverse(URL), params)  # the trades and schools of the filter are then in memory
    with django_assert_max_num_queries(limit) as ctx:
        response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("params", QUERIES)
@pytest.mark.parametrize(("role", "limit"), [("employer", 4), ("officer", 4), ("staff", 5)])
def test_contract_list_queries_are_constant(
    client_for,
    employer_user,
    officer,
    staff_a,
    school_a,
    employer_a,
    role,
    limit,
    params,
    django_assert_max_num_queries,
):
    user = {"employer": employer_user, "officer": officer, "staff": staff_a}[role]
    client = client_for(user)
    ContractFactory.create_batch(3, employer=employer_a, school=school_a)
    small, _ = _measure(client, params, django_assert_max_num_queries, limit)
    ContractFactory.create_batch(117, employer=employer_a, school=school_a)
    large, response = _measure(client, params, django_assert_max_num_queries, limit)
    assert small == large
    if not params:
        assert len(re.findall(r"APP-T-\d+", html_of(response))) == 50  # one page of 50 rows out of 120


def test_filter_choices_follow_a_new_trade(client_for, officer, app_reference, django_capture_on_commit_callbacks):
    client = client_for(officer)
    client.get(reverse(URL))
    with django_capture_on_commit_callbacks(execute=True):  # the choices are cleared on commit
        trade = Trade.objects.create(
            code="BENCH-X", name="Métier nouveau", diploma="DAP", duration_years=3, sector="crafts"
        )
    assert "Métier nouveau" in html_of(client.get(reverse(URL)))
    assert client.get(reverse(URL), {"trade": str(trade.pk)}).status_code == 200
    filters.clear_choices()


def test_employer_filter_by_name_or_id(client_for, officer, employer_a, employer_b, school_a):
    a = ContractFactory(employer=employer_a, school=school_a)
    b = ContractFactory(employer=employer_b, school=school_a)
    client = client_for(officer)
    html = html_of(client.get(reverse(URL), {"employer": "Électricité"}))
    assert b.reference in html and a.reference not in html
    html = html_of(client.get(reverse(URL), {"employer": str(employer_a.pk)}))
    assert a.reference in html and b.reference not in html


def _school_options(html: str) -> set[str]:
    select = re.search(r'<select name="school".*?</select>', html, re.S).group(0)
    return set(re.findall(r'<option value="(\d+)"', select))


def test_officers_choose_among_schools_with_contracts(
    client_for, officer, staff_b, employer_a, school_a, school_b, django_capture_on_commit_callbacks
):
    """Every school of the database in the select made the officer's list 99 KB at regional scale
    (the 1 000 ARE lycées have no apprenticeship contract); staff still see their own school."""
    filters.clear_choices()
    ContractFactory(employer=employer_a, school=school_a)
    assert _school_options(html_of(client_for(officer).get(reverse(URL)))) == {str(school_a.pk)}
    assert _school_options(html_of(client_for(staff_b).get(reverse(URL)))) == {str(school_b.pk)}
    with django_capture_on_commit_callbacks() as callbacks:
        ContractFactory(employer=employer_a, school=school_b)
    assert len(_school_options(html_of(client_for(officer).get(reverse(URL))))) == 1  # not before the commit
    for callback in callbacks:
        callback()  # the commit: a saved contract refreshes the choices
    assert _school_options(html_of(client_for(officer).get(reverse(URL)))) == {str(school_a.pk), str(school_b.pk)}
    filters.clear_choices()
