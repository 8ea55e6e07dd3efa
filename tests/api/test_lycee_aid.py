"""ARE through the API: enrolments put all-or-nothing with the upload's messages, dotations, campaign."""

import pytest

from core.models import AuditEvent
from lycee_aid.models import Enrolment

pytestmark = pytest.mark.django_db


def url(school, label="2023-2024"):
    return f"/api/v1/are/schools/{school.pk}/enrolments/{label}/"


def test_a_lycee_puts_its_enrolments_in_one_request(api_for, are_staff_a, lycee_a, formations):
    client = api_for(are_staff_a)
    body = {
        "enrolments": [
            {"diploma_code": "50022139", "count": 24},
            {"uai": "0750001a", "diploma_code": "32025520", "count": "35"},
        ]
    }
    response = client.put(url(lycee_a), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["changed"] == 2
    counts = {e["diploma_code"]: e["count"] for e in response.json()["enrolments"]}
    assert counts == {"67010031": None, "50022139": 24, "40033404": None, "32025520": 35}
    assert dict(Enrolment.objects.values_list("formation__diploma_code", "first_year_count")) == {
        "50022139": 24,
        "32025520": 35,
    }
    assert AuditEvent.objects.filter(channel="api").exists()
    assert client.get(url(lycee_a)).json()["enrolments"] == response.json()["enrolments"]


def test_a_faulty_request_saves_nothing_with_the_uploads_messages(api_for, are_staff_a, lycee_a, formations):
    rows = [
        {"diploma_code": "50022139", "count": 24},
        {"diploma_code": "99999999", "count": 3},
        {"uai": "0930003C", "diploma_code": "40033404", "count": 5},
        {"diploma_code": "50022139", "count": 7},
        {"diploma_code": "32025520", "count": -2},
        {"diploma_code": "67010031", "count": "2,5"},
    ]
    response = api_for(are_staff_a).put(url(lycee_a), {"enrolments": rows}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Ligne 2 : le code diplôme « 99999999 » ne figure pas dans la liste des formations éligibles 2023-2024.",
            "Ligne 3 : l'UAI 0930003C n'est pas celle de votre lycée (0750001A).",
            "Ligne 4 : le code diplôme 50022139 figure déjà ligne 1.",
            "Ligne 5 : l'effectif « -2 » n'est pas un nombre entier positif ou nul.",
            "Ligne 6 : l'effectif « 2,5 » n'est pas un nombre entier positif ou nul.",
        ]
    }
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("body", [{}, {"enrolments": "x"}, {"enrolments": [1]}, {"enrolments": [{"count": [1]}]}, []])
def test_malformed_bodies_are_400(api_for, are_staff_a, lycee_a, formations, body):
    response = api_for(are_staff_a).put(url(lycee_a), body, format="json")
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_another_lycee_or_an_unknown_year_is_404(api_for, are_staff_a, lycee_b, lycee_a, formations):
    client = api_for(are_staff_a)
    rows = {"enrolments": [{"diploma_code": "50022139", "count": 1}]}
    assert client.put(url(lycee_b), rows, format="json").status_code == 404
    assert client.get(url(lycee_b)).status_code == 404
    assert client.get(url(lycee_a, "2031-2032")).status_code == 404
    assert client.get(url(lycee_a, "x")).status_code == 404
    assert not Enrolment.objects.exists()


def test_after_the_vote_enrolments_are_refused(api_for, are_staff_a, lycee_a, voted):
    response = api_for(are_staff_a).put(
        url(lycee_a), {"enrolments": [{"diploma_code": "50022139", "count": 1}]}, format="json"
    )
    assert response.status_code == 400


def test_campaign_totals_for_officers_only(api_for, are_officer, are_staff_a, computed):
    # Lycée A (Paris): prépa 24 × 54 = 1 296 + CAP 36 × 151 = 5 436 → pré-bac 6 732; BTS 35 × 0,4 = 14
    # boursiers × 151 = 2 114 post-bac; 8 846. Lycée B (Créteil): CAP 12 × 151 = 1 812. Total 10 658.
    body = api_for(are_officer).get("/api/v1/are/campaigns/2023-2024/").json()
    assert body["dotations"] == 2
    assert body["total"] == {
        "pre_bac_gross_amount": "8544.00",
        "post_bac_gross_amount": "2114.00",
        "pre_bac_due_amount": "8544.00",
        "post_bac_due_amount": "2114.00",
        "total_due_amount": "10658.00",
    }
    assert {a["academy"]: a["total_due_amount"] for a in body["academies"]} == {
        "Paris": "8846.00",
        "Créteil": "1812.00",
    }
    assert api_for(are_staff_a).get("/api/v1/are/campaigns/2023-2024/").status_code == 403


def test_dotations_lycee_sees_its_own_once_voted(api_for, are_officer, are_staff_a, lycee_a, voted):
    officer_rows = api_for(are_officer).get("/api/v1/are/dotations/", {"school_year": "2023-2024"}).json()["results"]
    assert len(officer_rows) == 2
    rows = api_for(are_staff_a).get("/api/v1/are/dotations/").json()["results"]
    assert [(r["uai"], r["total_due_amount"], r["scholarship_holders"]) for r in rows] == [("0750001A", "8846.00", 14)]
