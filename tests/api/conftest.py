"""API fixtures: a client sending a personal key, and the apps' own fixtures reused."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from api.services import api_token_create
from tests.apprenticeship.conftest import app_reference, employer_a, employer_b, employer_user_b  # noqa: F401
from tests.lycee_aid.conftest import (  # noqa: F401 — the ARE fixtures (2023-2024, lycées A and B, a campaign)
    are_officer,
    are_staff_a,
    are_staff_b,
    computed,
    formations,
    french_services,
    lycee_a,
    lycee_b,
    voted,
    year,
)


@pytest.fixture
def api():
    """An anonymous API client (French unless a test sends Accept-Language)."""
    return APIClient()


@pytest.fixture
def api_for():
    """api_for(user) → an API client sending a new key of that user."""

    def make(user):
        _token, key = api_token_create(actor=user, user=user, name="tests")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        client.key = key
        return client

    return make


@pytest.fixture
def bts_reference(reference):
    from bts_fees.models import Act

    if not Act.objects.exists():
        call_command("loaddata", "bts_fees__act", "bts_fees__actrate", "bts_fees__academicyear", verbosity=0)
