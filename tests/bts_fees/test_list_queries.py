"""Issue 6: the declaration list runs a constant number of queries (officer: session, user, count,
rows; lycée staff: one more, the ids of their lycées for the filter's choices), whatever the
number of declarations, the page and the filter."""

import re
from datetime import date

import pytest
from django.urls import reverse

from bts_fees import filters, services
from bts_fees.models import Programme

from .factories import make_body

pytestmark = pytest.mark.django_db

URL = "bts_fees:declaration_list"
QUERIES = [
    {},
    {"page": "2"},
    {"school": "", "programme": "", "kind": "", "academic_year": "", "status": ""},  # the form sent as shown
    {"status": "draft", "kind": "thesis_committee"},
    {"school": "1", "programme": "1", "academic_year": "2", "status": ""},
    {"school": "abc", "academic_year": "9999", "kind": "nope", "page": "x"},
]


def _add(staff, programme, year, n, offset):
    for i in range(n):
        body = make_body(programme, year, "thesis_committee", label=f"TFE {offset + i}")
        services.declaration_create(
            actor=staff, body=body, period_label="TFE", period_start=date(2025, 6, 1), period_end=date(2025, 7, 1)
        )


def _measure(client, params, django_assert_max_num_queries, limit):
    client.get(reverse(URL), params)  # the filter's reference choices are then in memory
    with django_assert_max_num_queries(limit) as ctx:
        response = client.get(reverse(URL), params)
    assert response.status_code in (200, 404)  # page "x" or beyond the last: 404, never 500
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("params", QUERIES)
@pytest.mark.parametrize(("role", "limit"), [("officer", 4), ("staff", 5)])
def test_declaration_list_queries_are_constant(
    client_for, officer, staff_a, programme_a, year, role, limit, params, django_assert_max_num_queries
):
    client = client_for(officer if role == "officer" else staff_a)
    _add(staff_a, programme_a, year, 3, 0)
    small, _ = _measure(client, params, django_assert_max_num_queries, limit)
    _add(staff_a, programme_a, year, 117, 3)
    large, response = _measure(client, params, django_assert_max_num_queries, limit)
    assert small == large
    if not any(params.values()):
        page = response.content.decode()
        assert "selected>---------</option>" in page or '<option value="" selected>' in page
        assert len(set(re.findall(r"BTS-D\d{6}", page))) == 50  # one page of 50 rows out of 120


def test_filter_choices_are_scoped_and_follow_a_new_programme(
    client_for, staff_a, staff_b, programme_a, programme_b, django_capture_on_commit_callbacks
):
    client = client_for(staff_a)
    page = client.get(reverse(URL)).content.decode()
    assert "BTS Informatique" in page and "BTS Soins" not in page  # only the staff's own lycée
    assert programme_b.school.name not in page
    with django_capture_on_commit_callbacks(execute=True):  # the choices follow once it is committed
        Programme.objects.create(school=programme_a.school, code="BTS-NEW", title="BTS Nouveau")
    assert "BTS Nouveau" in client.get(reverse(URL)).content.decode()
    filters.clear_choices()


def test_officer_filters_by_lycee(client_for, officer, staff_a, staff_b, exam_board_a, exam_board_b, year):
    from .conftest import deliberation_declaration

    a = deliberation_declaration(exam_board_a, staff_a)
    b = deliberation_declaration(exam_board_b, staff_b)
    client = client_for(officer)
    page = client.get(reverse(URL), {"school": str(exam_board_a.school_id)}).content.decode()
    assert a.reference in page and b.reference not in page
    page = client.get(reverse(URL), {"academic_year": str(year.pk), "programme": str(exam_board_b.programme_id)})
    assert b.reference in page.content.decode() and a.reference not in page.content.decode()
