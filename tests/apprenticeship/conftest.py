"""Fixtures of the apprenticeship tests: the reference data of the scheme, employers and their accounts."""

import pytest
from django.core.management import call_command

from core.enums import Role
from tests.factories import UserFactory

from .factories import ApprovalFactory, EmployerFactory

APP_FIXTURES = (
    "apprenticeship__trade",
    "apprenticeship__traderate",
    "apprenticeship__crossborderformation",
    "apprenticeship__crossborderrate",
)


@pytest.fixture
def app_reference(reference):
    """Core index and SSM history plus the apprenticeship trades, rates and CIG formations."""
    from apprenticeship.models import Trade

    if not Trade.objects.exists():
        call_command("loaddata", *APP_FIXTURES, verbosity=0)


@pytest.fixture
def employer_a(app_reference, employer_user):
    from apprenticeship.models import Trade

    employer = EmployerFactory(name="Boulangerie A", accounts=[employer_user])
    for code in ("CCP-BOUL", "DAP-BOUL", "DT-ELTE"):
        ApprovalFactory(employer=employer, trade=Trade.objects.get(code=code))
    return employer


@pytest.fixture
def employer_user_b(db):
    return UserFactory(username="employer.b", role=Role.EMPLOYER)


@pytest.fixture
def employer_b(app_reference, employer_user_b):
    from apprenticeship.models import Trade

    employer = EmployerFactory(name="Électricité B", accounts=[employer_user_b])
    ApprovalFactory(employer=employer, trade=Trade.objects.get(code="DAP-ELEC"))
    return employer
