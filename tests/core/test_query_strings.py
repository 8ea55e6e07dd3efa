"""No 500 from a query string or a path: page sizes clamped, only the offered export formats
served, ids too long for a database key are no route."""

import pytest
from django.urls import reverse

from core.enums import Role, Scheme
from core.services import audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client_for, school_a):
    for n in range(3):
        audit_record(actor=None, action="core.test", obj=school_a, reason=f"événement {n}")
    return client_for(UserFactory(username="agent.all", role=Role.OFFICER, schemes=Scheme.values))


@pytest.mark.parametrize(
    "query",
    [
        {"per_page": "-1"},
        {"per_page": "0"},
        {"per_page": "١٠"},
        {"per_page": "100000000000000000000"},
        {"page": "-3"},
        {"page": "abc"},
        {"page": "99999999999999999999999"},
        {"page": "2", "per_page": "1"},
        {"sort": "no_such_column"},
    ],
)
def test_pagination_parameters_never_fail(officer_client, query):
    response = officer_client.get(reverse("core:journal"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_per_page_is_clamped_to_one_hundred(officer_client, school_a):
    for n in range(120):
        audit_record(actor=None, action="core.test", obj=school_a, reason=f"ligne {n}")
    page = officer_client.get(reverse("core:journal"), {"per_page": "100000"}).content.decode()
    assert page.count("core.test") == 100


@pytest.mark.parametrize("export_format", ["ods", "xls", "yaml", "json", "tsv", "latex", "html", "df", "jsonl"])
def test_only_csv_and_xlsx_are_exported(officer_client, export_format):
    response = officer_client.get(reverse("core:journal"), {"_export": export_format})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_csv_and_xlsx_are_exported(officer_client, export_format):
    response = officer_client.get(reverse("core:journal"), {"_export": export_format})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "path",
    [
        "/are/annees/99999999999999999999999/campagne/",
        "/taches/99999999999999999999999/",
        "/apprentissage/contrats/99999999999999999999999/",
    ],
)
def test_ids_too_long_for_a_key_are_not_found(officer_client, path):
    assert officer_client.get(path).status_code == 404
