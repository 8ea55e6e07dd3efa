"""What every route shares: throttling per key, the journal's channel, errors never 500."""

import pytest
from django.core.cache import cache

from api.throttling import AnonymousRateThrottle, TokenRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(monkeypatch):
    cache.clear()
    rates = {"token": "3/min", "anonymous": "2/min"}
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(AnonymousRateThrottle, "THROTTLE_RATES", rates)
    yield
    cache.clear()


def test_throttling_counts_per_key(low_rates, api_for, employer_user, staff_a):
    first, second = api_for(employer_user), api_for(staff_a)
    assert [first.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get("/api/v1/me/").status_code == 200  # another key has its own count


def test_throttling_without_a_key(low_rates, api, reference):
    codes = [api.get("/api/v1/reference/index/", {"on": "2026-01-01"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_a_body_that_is_not_an_object_is_a_400(api_for, employer_user):
    response = api_for(employer_user).post("/api/v1/apprenticeship/contracts/1/payments/", [1, 2], format="json")
    assert response.status_code in (400, 404)
    response = api_for(employer_user).post(
        "/api/v1/apprenticeship/contracts/", "not json", content_type="application/json"
    )
    assert response.status_code in (400, 403)


def test_unauthenticated_messages_follow_accept_language(api):
    french = api.get("/api/v1/me/").json()["detail"]
    english = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert french != english
    assert english == "Authentication credentials were not provided."
