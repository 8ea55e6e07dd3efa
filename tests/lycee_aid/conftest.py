"""Fixtures of the lycee_aid tests: a 2023-2024 school year with the seed-003 forfaits, French
lycées A and B with their staff, and a small formation list (one per level)."""

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from core.enums import Role
from lycee_aid.enums import FormationLevel
from lycee_aid.models import SchoolSituation
from tests.factories import SchoolFactory, UserFactory

from .factories import EligibleFormationFactory, EnrolmentFactory, SchoolYearFactory

SEED_ANNEX = Path(__file__).resolve().parents[2] / "lycee_aid" / "data" / "are_2023-2024_annexe.txt"


@pytest.fixture(autouse=True)
def french_services():
    """Services speak French (the UI language) in every test, whatever language a previous test's
    request left active in this thread (the test client's LocaleMiddleware does not reset it)."""
    from django.utils import translation

    with translation.override("fr"):
        yield


@pytest.fixture
def year(db):
    return SchoolYearFactory()


@pytest.fixture
def lycee_a(db):
    return SchoolFactory(code="0750001A", name="Lycée A", country="FR", sector="public_eple", academy="paris")


@pytest.fixture
def lycee_b(db):
    return SchoolFactory(code="0930003C", name="Lycée B", country="FR", sector="public_eple", academy="creteil")


@pytest.fixture
def are_staff_a(lycee_a):
    return UserFactory(username="are.staff.a", role=Role.LYCEE_STAFF, schools=[lycee_a])


@pytest.fixture
def are_staff_b(lycee_b):
    return UserFactory(username="are.staff.b", role=Role.LYCEE_STAFF, schools=[lycee_b])


@pytest.fixture
def are_officer(db):
    return UserFactory(username="are.officer", role=Role.OFFICER, schemes=["lycee_aid"])


@pytest.fixture
def other_officer(db):
    return UserFactory(username="bts.officer", role=Role.OFFICER, schemes=["bts_fees"])


def make_formation(year, code, level, nsf="221", title=None):
    return EligibleFormationFactory(
        school_year=year,
        level=level,
        nsf_code="100" if level == FormationLevel.INFRA_V else nsf,
        diploma_code=code,
        title=title or f"FORMATION {code}",
    )


@pytest.fixture
def formations(year):
    """prépa-métiers, two pré-bac (CAP cuisine, bac pro), one post-bac (BTS)."""
    return {
        "prepa": make_formation(year, "67010031", FormationLevel.INFRA_V, title="3EME PREPA-METIERS"),
        "cap": make_formation(year, "50022139", FormationLevel.PRE_BAC, title="CUISINE (CAP)"),
        "bacpro": make_formation(year, "40033404", FormationLevel.PRE_BAC, nsf="334", title="HOTELLERIE (BAC PRO)"),
        "bts": make_formation(year, "32025520", FormationLevel.POST_BAC, nsf="255", title="ELECTROTECHNIQUE (BTS)"),
    }


def situate(school, year, rate="0", survey=True, *, count=None, enrolments=None):
    """A lycée's situation. ARE-5: the rate is the académie's scholarship count over the lycée's
    enrolments n-1; a decimal `rate` (4 places at most) stands for count / 10 000 pupils."""
    if count is None:
        count, enrolments = int(D(rate) * 10000), 10000
    return SchoolSituation.objects.update_or_create(
        school=school,
        school_year=year,
        defaults={"scholarship_count": count, "school_enrolments": enrolments, "survey_answered": survey},
    )[0]


def enrol(school, formation, count):
    EnrolmentFactory(school=school, formation=formation, first_year_count=count)


@pytest.fixture
def computed(are_officer, year, formations, lycee_a, lycee_b):
    enrol(lycee_a, formations["prepa"], 24)
    enrol(lycee_a, formations["cap"], 36)
    enrol(lycee_a, formations["bts"], 35)
    situate(lycee_a, year, rate="0.4")
    enrol(lycee_b, formations["cap"], 12)
    situate(lycee_b, year, rate="0.2")
    _services().campaign_run(actor=are_officer, school_year=year)
    return year


@pytest.fixture
def voted(are_officer, computed):
    _services().campaign_vote(
        actor=are_officer, school_year=computed, reference="CP 2023-300", voted_on=date(2023, 7, 5)
    )
    computed.refresh_from_db()
    return computed


def _services():
    from lycee_aid import services

    return services
