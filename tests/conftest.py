"""Project-wide fixtures: reference data, schools and users of every role."""

import pytest
from django.core.management import call_command
from django.test import Client

from core.enums import Role, Scheme
from core.models import LuxIndex

from .factories import SchoolFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """Each test starts in French with empty filter-choices caches. The caches are cleared when a
    transaction commits, and a test's transaction is rolled back, so the ids of an earlier test's
    rows would otherwise stay in another test's filters; a request in English (the API honours
    Accept-Language) would otherwise leave the thread in English for the next test."""
    from django.conf import settings
    from django.utils import translation

    from core.choices import ChoicesCache

    for cache in ChoicesCache.instances:
        cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference(db):
    """Core reference data (index and SSM history). Cheap when already there."""
    if not LuxIndex.objects.exists():
        call_command("loaddata", "core__luxindex", "core__socialminimumwage", verbosity=0)


@pytest.fixture
def school_a(db):
    return SchoolFactory(code="LU-A", name="Lycée A", country="LU", sector="lu_public", academy="")


@pytest.fixture
def school_b(db):
    return SchoolFactory(code="LU-B", name="Lycée B", country="LU", sector="lu_public", academy="")


@pytest.fixture
def staff_a(school_a):
    return UserFactory(username="staff.a", role=Role.LYCEE_STAFF, schools=[school_a])


@pytest.fixture
def staff_b(school_b):
    return UserFactory(username="staff.b", role=Role.LYCEE_STAFF, schools=[school_b])


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", role=Role.OFFICER, schemes=Scheme.values)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", role=Role.ADMIN, is_superuser=True, is_staff=True)


@pytest.fixture
def employer_user(db):
    return UserFactory(username="employer.a", role=Role.EMPLOYER)


@pytest.fixture
def client_for():
    """client_for(user) → a test client signed in as that user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` (row locks, real concurrency) run only on PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
