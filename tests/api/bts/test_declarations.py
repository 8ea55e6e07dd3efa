"""BTS declarations through the API: create, lines, attendance sheet, submit, validate/reject (one or
many), idempotent retries, scope and the journal's channel. Figures by hand from seed 004."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from bts_fees.models import Act, Declaration
from core.models import AuditEvent
from tests.bts_fees.conftest import PDF_BYTES, deliberation_declaration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2025, 3, 1), tick=False):
        yield


def test_staff_creates_fills_attaches_and_submits_over_the_api(api_for, staff_a, exam_board_a):
    client = api_for(staff_a)
    response = client.post(
        "/api/v1/bts/declarations/",
        {
            "body": exam_board_a.pk,
            "period_label": "Semestre d'hiver 2024-2025",
            "period_start": "2024-09-15",
            "period_end": "2025-02-28",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    member, commissioner = (
        Act.objects.get(code=c).pk for c in ("EXAM_DELIBERATION_MEMBER", "EXAM_DELIBERATION_COMMISSIONER")
    )
    for appointment in exam_board_a.appointments.order_by("pk"):
        act = commissioner if appointment.role == "commissioner" else member
        line = {"appointment": appointment.pk, "act": act, "act_date": "2025-01-20", "quantity": "1"}
        assert client.post(f"/api/v1/bts/declarations/{pk}/lines/", line, format="json").status_code == 201
    # Before the sheet: refused with the reason, nothing changes.
    refused = client.post(f"/api/v1/bts/declarations/{pk}/submit/")
    assert refused.status_code == 400
    sheet = SimpleUploadedFile("presence.pdf", PDF_BYTES, content_type="application/pdf")
    attached = client.post(f"/api/v1/bts/declarations/{pk}/attendance-sheet/", {"attendance_sheet": sheet})
    assert attached.status_code == 200, attached.json()
    assert attached.json()["attendance_sheet"] == "presence.pdf"
    submitted = client.post(f"/api/v1/bts/declarations/{pk}/submit/")
    assert submitted.status_code == 200, submitted.json()
    body = submitted.json()
    # At 944,43 (act of 20/01/2025): commissioner 21,52 → 203,241… → 203,24; member 7,82 → 73,85 × 6 = 443,10.
    assert body["status"] == "submitted" and body["total_amount"] == "646.34"
    assert sorted(line["line_amount"] for line in body["lines"]) == ["203.24"] + ["73.85"] * 6
    # Retried: nothing twice.
    assert client.post(f"/api/v1/bts/declarations/{pk}/submit/").status_code == 200
    assert AuditEvent.objects.filter(action="bts_fees.declaration_submit").count() == 1
    assert set(AuditEvent.objects.filter(object_type="bts_fees.declaration").values_list("channel", flat=True)) == {
        "api"
    }


def test_a_line_for_a_member_not_appointed_is_refused_at_the_field(api_for, staff_a, exam_board_a, exam_board_b):
    declaration = deliberation_declaration(exam_board_a, staff_a, with_sheet=False)
    foreign = exam_board_b.appointments.first()
    act = Act.objects.get(code="EXAM_DELIBERATION_MEMBER")
    response = api_for(staff_a).post(
        f"/api/v1/bts/declarations/{declaration.pk}/lines/",
        {"appointment": foreign.pk, "act": act.pk, "act_date": "2025-01-21", "quantity": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["appointment"] == ["Ce membre n'est pas nommé dans cette instance."]


def test_officer_validates_once_and_the_amounts_are_frozen(api_for, officer, submitted_a):
    client = api_for(officer)
    response = client.post(f"/api/v1/bts/declarations/{submitted_a.pk}/validate/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["total_amount"]) == ("validated", "646.34")
    again = client.post(f"/api/v1/bts/declarations/{submitted_a.pk}/validate/")
    assert again.status_code == 200 and again.json() == response.json()
    assert AuditEvent.objects.filter(action="bts_fees.declaration_validate").count() == 1
    # A validated declaration cannot be rejected.
    assert (
        client.post(f"/api/v1/bts/declarations/{submitted_a.pk}/reject/", {"reason": "Erreur de saisie"}).status_code
        == 400
    )


def test_officer_rejects_with_a_reason(api_for, officer, submitted_a):
    client = api_for(officer)
    short = client.post(f"/api/v1/bts/declarations/{submitted_a.pk}/reject/", {"reason": "non"}, format="json")
    assert short.status_code == 400
    assert short.json() == {"reason": ["Indiquez le motif (5 caractères au moins)."]}
    done = client.post(
        f"/api/v1/bts/declarations/{submitted_a.pk}/reject/", {"reason": "Liste illisible"}, format="json"
    )
    assert (done.status_code, done.json()["status"], done.json()["reason"]) == (200, "rejected", "Liste illisible")


def test_bulk_validation(api_for, officer, submitted_a, exam_board_b, staff_b):
    from bts_fees import services

    other = services.declaration_submit(actor=staff_b, declaration=deliberation_declaration(exam_board_b, staff_b))
    response = api_for(officer).post(
        "/api/v1/bts/declarations/validate/", {"ids": [submitted_a.pk, other.pk]}, format="json"
    )
    assert response.status_code == 200
    assert sorted(response.json()["validated"]) == sorted([submitted_a.pk, other.pk])
    assert set(Declaration.objects.values_list("status", flat=True)) == {"validated"}
    assert api_for(officer).post("/api/v1/bts/declarations/validate/", {"ids": []}, format="json").status_code == 400


def test_staff_cannot_validate_nor_see_another_lycee(api_for, staff_a, staff_b, submitted_a):
    assert api_for(staff_a).post(f"/api/v1/bts/declarations/{submitted_a.pk}/validate/").status_code == 403
    assert (
        api_for(staff_a)
        .post("/api/v1/bts/declarations/validate/", {"ids": [submitted_a.pk]}, format="json")
        .status_code
        == 403
    )
    other = api_for(staff_b)
    for suffix in ("", "lines/", "attendance-sheet/", "submit/", "validate/", "reject/"):
        method = other.get if suffix == "" else other.post
        assert method(f"/api/v1/bts/declarations/{submitted_a.pk}/{suffix}").status_code == 404
    assert other.get("/api/v1/bts/declarations/").json()["results"] == []
    assert Declaration.objects.get().status == "submitted"


def test_idempotency_key_replays_the_first_answer(api_for, staff_a, exam_board_a):
    client = api_for(staff_a)
    body = {"body": exam_board_a.pk, "period_label": "Hiver", "period_start": "2024-09-15", "period_end": "2025-02-28"}
    first = client.post("/api/v1/bts/declarations/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/bts/declarations/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Declaration.objects.count() == 1
    assert AuditEvent.objects.filter(action="bts_fees.declaration_create").count() == 1
    # The same key for another request is refused; without a key, the service's own check answers.
    reused = client.post(f"/api/v1/bts/declarations/{first.json()['id']}/submit/", HTTP_IDEMPOTENCY_KEY="k-1")
    assert reused.status_code == 400 and "Idempotency-Key" in reused.json()
    duplicate = client.post("/api/v1/bts/declarations/", body, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json() == {"period_start": ["Une déclaration existe déjà pour cette instance et cette période."]}
