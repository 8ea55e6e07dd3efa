"""Bad input (SPEC "Quality"): a corpus of nasty values through every field of every bts_fees form
(POST, as the role that may use it), every query-string parameter of every list and page (GET),
every id of a URL, and the attendance-sheet upload, through the shared harness (tests/bad_input.py).
Never a 500; nothing saved on refusal. Each case runs in a savepoint rolled back afterwards.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bts_fees import services
from bts_fees.models import (
    AcademicYear,
    Act,
    Appointment,
    Body,
    ConflictDeclaration,
    Declaration,
    DeclarationLine,
    ExamPaper,
    LecturerContract,
    LessonRecord,
    Person,
    Programme,
)
from core.models import AuditEvent

from .conftest import PDF_BYTES, deliberation_declaration
from .factories import appoint, make_body, make_person

pytestmark = pytest.mark.django_db

from tests.bad_input import (  # noqa: E402
    NASTY,
    Outcome,
    get_every_value,
    post_every_value,
    post_isolated,
    send_every_value,
)

MODELS = (
    Programme,
    Person,
    Body,
    Appointment,
    Declaration,
    DeclarationLine,
    LecturerContract,
    LessonRecord,
    ConflictDeclaration,
    ExamPaper,
    AuditEvent,
)


def _snapshot():
    state = {model.__name__: model.objects.count() for model in MODELS}
    state["statuses"] = sorted(Declaration.objects.values_list("pk", "status", "reason", "attendance_sheet_sha256"))
    state["bodies"] = sorted(Body.objects.values_list("pk", "proposals_sent_on"))
    state["orders"] = sorted(Appointment.objects.values_list("pk", "order_reference", "order_date"))
    state["people"] = sorted(Person.objects.values_list("pk", "last_name", "first_name", "email", "clq_level"))
    state["papers"] = sorted(ExamPaper.objects.values_list("pk", "kind", "first_marks"))
    state["contracts"] = sorted(
        LecturerContract.objects.values_list("pk", "ministry_signature_date", "ministry_exception_reason")
    )
    return state


@pytest.fixture
def world(exam_board_a, staff_a, officer, programme_a, year):
    """A draft with lines, a submitted and a validated declaration, a contract, a proposed member."""
    draft = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="Semestre d'hiver",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 2, 28),
    )
    board2 = make_body(programme_a, year, "exam_board", label="Session 2")
    for appointment in exam_board_a.appointments.all():
        Appointment.objects.create(
            body=board2,
            person=appointment.person,
            role=appointment.role,
            valid_from=appointment.valid_from,
            valid_until=appointment.valid_until,
            order_reference=appointment.order_reference,
            order_date=appointment.order_date,
        )
    submitted = services.declaration_submit(actor=staff_a, declaration=deliberation_declaration(board2, staff_a))
    board3 = make_body(programme_a, year, "exam_board", label="Session 3")
    for appointment in exam_board_a.appointments.all():
        Appointment.objects.create(
            body=board3,
            person=appointment.person,
            role=appointment.role,
            valid_from=appointment.valid_from,
            valid_until=appointment.valid_until,
            order_reference=appointment.order_reference,
            order_date=appointment.order_date,
        )
    validated = services.declaration_submit(actor=staff_a, declaration=deliberation_declaration(board3, staff_a))
    validated = services.declaration_validate(actor=officer, declaration=validated)
    lecturer = make_person(programme_a.school, clq_level=7, has_diploma=True, national_or_benelux_diploma=True)
    contract = services.contract_create(
        actor=staff_a,
        person=lecturer,
        programme=programme_a,
        academic_year=year,
        category="external_lecturer",
        subject="Réseaux",
        signature_date=date(2024, 9, 20),
        start_date=date(2024, 10, 1),
        ministry_signature_date=date(2024, 9, 25),
    )
    thesis = make_body(programme_a, year, "thesis_committee", label="TFE")
    admission = make_body(programme_a, year, "admission_committee")
    for role in ("commissioner", "direction", "teacher", "teacher", "teacher"):
        appoint(admission, make_person(programme_a.school), role)
    admission_draft = services.declaration_create(
        actor=staff_a,
        body=admission,
        period_label="Admission 2025",
        period_start=date(2025, 6, 1),
        period_end=date(2025, 7, 15),
        candidates=10,
        papers=2,
    )
    proposed = Appointment.objects.create(
        body=thesis,
        person=make_person(programme_a.school),
        role="promoter",
        valid_from=year.start_date,
        valid_until=year.end_date,
    )
    return {
        "draft": draft,
        "submitted": submitted,
        "validated": validated,
        "contract": contract,
        "lecturer": lecturer,
        "thesis": thesis,
        "proposed": proposed,
        "admission_draft": admission_draft,
        "member": exam_board_a.appointments.filter(role="teacher").first(),
    }


def _forms(w, school, programme, year):
    """(label, role, url, valid payload) of every bts_fees form."""
    d, act = w["draft"], Act.objects.get(code="EXAM_DELIBERATION_MEMBER")
    person = w["lecturer"]
    return [
        (
            "declaration_create",
            "staff",
            reverse("bts_fees:declaration_create"),
            {
                "body": w["thesis"].pk,
                "period_label": "Soutenances",
                "period_start": "2025-06-01",
                "period_end": "2025-06-30",
                "candidates": "",
                "papers": "",
            },
        ),
        (
            "declaration_add_line",
            "staff",
            reverse("bts_fees:declaration_add_line", args=[d.pk]),
            {
                "appointment": w["member"].pk,
                "act": act.pk,
                "act_date": "2025-01-21",
                "quantity": "1",
                "student": "",
            },
        ),
        (
            "programme_create",
            "staff",
            reverse("bts_fees:programme_create"),
            {
                "school": school.pk,
                "code": "BTS-NEW",
                "title": "BTS Nouveau",
                "accredited_from": "2024-09-15",
                "accredited_until": "",
                "admissibility_notified_on": "",
            },
        ),
        (
            "person_create",
            "staff",
            reverse("bts_fees:person_create"),
            {
                "school": school.pk,
                "last_name": "Neuer",
                "first_name": "Anna",
                "email": "anna@example.lu",
                "clq_level": "6",
                "regulated_level": "",
                "is_director": "",
                "national_or_benelux_diploma": "on",
                "has_diploma": "on",
                "has_registry_entry": "",
                "has_authorisation": "",
            },
        ),
        (
            "person_update",
            "staff",
            reverse("bts_fees:person_update", args=[person.pk]),
            {
                "school": school.pk,
                "last_name": person.last_name,
                "first_name": person.first_name,
                "email": person.email,
                "clq_level": "6",
                "regulated_level": "",
                "national_or_benelux_diploma": "on",
                "has_diploma": "on",
            },
        ),
        (
            "body_create",
            "staff",
            reverse("bts_fees:body_create"),
            {
                "school": school.pk,
                "kind": "vae_committee",
                "programme": programme.pk,
                "academic_year": year.pk,
                "label": "",
                "phase": "",
                "mandate_ends": "",
            },
        ),
        (
            "appointment_create",
            "staff",
            reverse("bts_fees:appointment_create", args=[w["thesis"].pk]),
            {
                "person": person.pk,
                "role": "teacher",
                "valid_from": "2024-09-15",
                "valid_until": "",
                "proposed_on": "2024-10-01",
                "order_reference": "",
                "order_date": "",
                "teaches_in_programme": "",
            },
        ),
        (
            "body_record_proposals",
            "staff",
            reverse("bts_fees:body_record_proposals", args=[w["thesis"].pk]),
            {"sent_on": "2024-10-01"},
        ),
        (
            "appointment_record_order",
            "staff",
            reverse("bts_fees:appointment_record_order", args=[w["proposed"].pk]),
            {"order_reference": "MESR/2024/1", "order_date": "2024-10-20"},
        ),
        (
            "contract_create",
            "staff",
            reverse("bts_fees:contract_create"),
            {
                "person": person.pk,
                "programme": programme.pk,
                "academic_year": AcademicYear.objects.get(label="2025-2026").pk,
                "category": "external_lecturer",
                "subject": "Réseaux",
                "subject_linked": "on",
                "signature_date": "2025-09-20",
                "start_date": "2025-10-01",
                "ministry_signature_date": "",
                "ministry_exception_reason": "",
            },
        ),
        (
            "contract_record_ministry_signature",
            "staff",
            reverse("bts_fees:contract_record_ministry_signature", args=[w["contract"].pk]),
            {"ministry_signature_date": "2024-09-26", "ministry_exception_reason": ""},
        ),
        (
            "exam_paper_record",
            "staff",
            reverse("bts_fees:exam_paper_record", args=[w["admission_draft"].pk]),
            {"number": "1", "kind": "written", "first_marks": "12 ; 8,5 ; 9,9"},
        ),
        (
            "lesson_record",
            "staff",
            reverse("bts_fees:lesson_record", args=[w["contract"].pk]),
            {"lesson_date": "2024-10-07", "lessons": "3", "evaluation": ""},
        ),
        (
            "conflict_declare",
            "staff",
            reverse("bts_fees:conflict_list"),
            {
                "person": w["member"].person_id,
                "programme": programme.pk,
                "student": "Max Muster",
                "relationship": "relative",
                "declared_on": "2024-10-01",
            },
        ),
        (
            "declaration_reject",
            "officer",
            reverse("bts_fees:declaration_reject", args=[w["submitted"].pk]),
            {"reject-reason": "Liste incomplète"},
        ),
        (
            "declaration_reopen",
            "officer",
            reverse("bts_fees:declaration_reopen", args=[w["validated"].pk]),
            {"reopen-reason": "Erreur de date"},
        ),
        (
            "declarations_validate_bulk",
            "officer",
            reverse("bts_fees:declarations_validate_bulk"),
            {"ids": str(w["submitted"].pk), "next": "/bts/declarations/"},
        ),
    ]


def test_every_form_field_refuses_nasty_values_without_500_nor_half_save(
    client_for, world, staff_a, officer, school_a, programme_a, year
):
    clients = {"staff": client_for(staff_a), "officer": client_for(officer)}
    outcome = Outcome()
    forms = _forms(world, school_a, programme_a, year)
    for label, role, url, valid in forms:
        response, changed = post_isolated(clients[role], url, valid, snapshot=_snapshot)
        assert response.status_code == 302 and changed, (label, "the valid payload must pass", response.status_code)
        post_every_value(clients[role], url, valid, snapshot=_snapshot, label=label, outcome=outcome)
    assert outcome.failures == []
    assert outcome.cases == len(NASTY) * sum(len(valid) for *_x, valid in forms)
    # What was accepted is legitimate data: free texts (shown escaped), optional fields left empty,
    # French decimals, a count of 0 where the form allows it, and the `next` of the bulk validation (never followed outside /bts/).
    free_text = {"period_label", "student", "code", "title", "last_name", "first_name", "label", "subject"}
    free_text |= {"order_reference", "reject-reason", "reopen-reason", "next", "ministry_exception_reason"}
    checkboxes = {"national_or_benelux_diploma", "has_diploma", "has_registry_entry", "has_authorisation"}
    checkboxes |= {"mandate_ends", "subject_linked", "evaluation", "is_director"}  # any value means "ticked"
    for label, field, value in outcome.accepted:
        assert (
            field in free_text | checkboxes
            or value.strip() == ""
            or (field in ("quantity", "first_marks") and value == "1,5")
            # 0 is a count of candidates the form allows, and a first mark on 0–20 (BTS-6).
            or (field in ("candidates", "first_marks") and value == "0")
            or (label == "declarations_validate_bulk" and field == "next")
        ), (label, field, value)


GET_PAGES = {
    "bts_fees:declaration_list": ["school", "programme", "kind", "academic_year", "status", "page", "sort", "_export"],
    "bts_fees:programme_list": ["school", "page", "sort", "_export"],
    "bts_fees:person_list": ["school", "last_name", "page", "sort", "_export"],
    "bts_fees:body_list": ["school", "programme", "kind", "academic_year", "page", "sort", "_export"],
    "bts_fees:contract_list": ["programme", "academic_year", "category", "page", "sort", "_export"],
    "bts_fees:summary": ["academic_year", "page", "sort", "_export"],
    "bts_fees:declaration_create": ["instance"],
    "bts_fees:rate_table": ["date"],
    "bts_fees:rate_table_pdf": ["date"],
}


@pytest.mark.parametrize("role", ["staff", "officer"])
def test_every_query_parameter_refuses_nasty_values_without_500(client_for, world, staff_a, officer, role):
    client = client_for(staff_a if role == "staff" else officer)
    pages = dict(GET_PAGES)
    pages[("bts_fees:person_detail", world["lecturer"].pk)] = ["academic_year"]
    if role == "officer":
        del pages["bts_fees:declaration_create"]  # lycée staff only (403 for officers)
    before = _snapshot()
    outcome = Outcome()
    for name, params in pages.items():
        url = reverse(name[0], args=[name[1]]) if isinstance(name, tuple) else reverse(name)
        # 403 would mean a page refused for a value of its own query string
        get_every_value(client, url, params, outcome=outcome, ok_status=lambda status: status != 403)
    assert outcome.failures == []
    assert outcome.cases == len(NASTY) * sum(len(p) for p in pages.values())
    assert _snapshot() == before


URL_IDS = [
    ("bts_fees:declaration_detail", "get"),
    ("bts_fees:declaration_pdf", "get"),
    ("bts_fees:declaration_sheet", "get"),
    ("bts_fees:declaration_submit", "post"),
    ("bts_fees:declaration_validate", "post"),
    ("bts_fees:person_detail", "get"),
    ("bts_fees:body_detail", "get"),
    ("bts_fees:contract_detail", "get"),
    ("bts_fees:appointment_record_order", "post"),
]


@pytest.mark.parametrize("pk", ["0", "9" * 19, "9" * 60])
def test_ids_out_of_range_give_404(client_for, world, staff_a, officer, pk):
    methods = dict(URL_IDS)
    outcome = Outcome()
    for user in (staff_a, officer):
        client = client_for(user)
        send_every_value(
            lambda name, value, client=client: getattr(client, methods[name])(
                reverse(name, args=[1]).replace("/1/", f"/{value}/")
            ),
            methods,
            values=[pk],
            label=user.username,
            outcome=outcome,
            ok_status=lambda status: status in (403, 404),
        )
    assert outcome.failures == []
    assert outcome.cases == 2 * len(URL_IDS)


def _upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


UPLOADS = [
    ("executable", "liste.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, "application/x-msdownload"),
    ("executable renamed .pdf", "liste.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, "application/pdf"),
    ("ELF renamed .pdf", "liste.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "application/pdf"),
    ("HTML disguised as .pdf", "liste.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    ("SVG disguised as .png", "liste.png", b"<svg onload='alert(1)'/>", "image/png"),
    ("empty", "liste.pdf", b"", "application/pdf"),
    ("oversize", "liste.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "application/pdf"),
    ("no name", "", PDF_BYTES, "application/pdf"),
    ("nasty name", "<script>.pdf", b"<script>", "application/pdf"),
]


@pytest.mark.parametrize(("label", "name", "content", "content_type"), UPLOADS, ids=[u[0] for u in UPLOADS])
def test_bad_attendance_sheets_are_refused_and_nothing_is_saved(
    client_for, world, staff_a, label, name, content, content_type
):
    url = reverse("bts_fees:declaration_attach_sheet", args=[world["draft"].pk])
    files = {"attendance_sheet": _upload(name, content, content_type)} if name else {"attendance_sheet": ""}
    response, changed = post_isolated(client_for(staff_a), url, {}, snapshot=_snapshot, files=files)
    assert response.status_code == 400
    assert not changed
    assert not Declaration.objects.get(pk=world["draft"].pk).attendance_sheet
    page = response.content.decode()
    assert "invalid-feedback" in page or "Joignez la liste de présence" in page


def test_every_url_with_an_id_is_in_the_corpus_of_ids():
    """Every bts_fees page reached with a single object id is in URL_IDS, so that an id out of range
    is tried on each (a new page without a corpus entry would go untested)."""
    from django.urls import get_resolver

    single_id = {
        f"bts_fees:{pattern.name}"
        for pattern in get_resolver().namespace_dict["bts_fees"][1].url_patterns
        if str(pattern.pattern).count("<id:") == 1 and str(pattern.pattern).endswith(("<id:pk>/", "/"))
    }
    covered = {name for name, _method in URL_IDS}
    assert covered <= single_id
    assert len(covered) == 9
