"""The campaign table runs the same four queries whatever the number of lycées, the page or the
filter: session, user, the totals (which also count the rows) and the page's rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lycee_aid import services

from .test_campaign_exact import populate, school_year_with_forfaits

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("lycees", [3, 120])
def test_campaign_table_queries_are_constant(client, are_officer, lycees):
    year = school_year_with_forfaits(2050, "157", "56")
    populate(year, lycees, 2)
    services.campaign_run(actor=are_officer, school_year=year)
    client.force_login(are_officer)
    url = reverse("lycee_aid:campaign", args=[year.pk])
    last = -(-lycees // 50)
    seen = {}
    for query in ("?page=1", f"?page={last}", "?academy=paris&page=1", f"?academy=paris&page={last}", "?q=L1"):
        seen[query], response = _queries(client, url + query)
    assert set(seen.values()) == {4}, seen
    assert f"Campagne ARE {year.label}" in response.content.decode()


def test_campaign_table_of_an_unknown_or_empty_year(client, are_officer):
    year = school_year_with_forfaits(
        2051, "157", "56"
    )  # no campaign run yet: no rows to read, the year is read on its own
    client.force_login(are_officer)
    count, response = _queries(client, reverse("lycee_aid:campaign", args=[year.pk]))
    assert count == 4 and "Campagne ARE 2051-2052" in response.content.decode()
    assert client.get(reverse("lycee_aid:campaign", args=[999999])).status_code == 404
