"""Fixtures of the bts_fees tests: the seed-004 rate table, a year, programmes and bodies in two lycées."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from bts_fees import filters, services
from bts_fees.models import AcademicYear, Act

from .factories import appoint, make_body, make_person, make_programme

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def fresh_filter_choices():
    """The lists keep their filter choices in memory for a minute: never across tests."""
    filters.clear_choices()
    yield
    filters.clear_choices()


@pytest.fixture
def bts_reference(reference):
    if not Act.objects.exists():
        call_command("loaddata", "bts_fees__act", "bts_fees__actrate", "bts_fees__academicyear", verbosity=0)


@pytest.fixture
def year(bts_reference):
    return AcademicYear.objects.get(label="2024-2025")


@pytest.fixture
def programme_a(school_a, bts_reference):
    return make_programme(school_a, code="BTS-INFO", title="BTS Informatique")


@pytest.fixture
def programme_b(school_b, bts_reference):
    return make_programme(school_b, code="BTS-SANTE", title="BTS Soins")


@pytest.fixture
def exam_board_a(programme_a, year):
    """An exam board of 7 appointed members: commissioner, direction, coordinator, 4 teachers."""
    body = make_body(programme_a, year, "exam_board")
    for role in ["commissioner", "direction", "coordinator", "teacher", "teacher", "teacher", "teacher"]:
        appoint(body, make_person(programme_a.school), role)
    return body


@pytest.fixture
def exam_board_b(programme_b, year):
    body = make_body(programme_b, year, "exam_board")
    for role in ["commissioner", "direction", "coordinator", "teacher", "teacher", "teacher", "teacher"]:
        appoint(body, make_person(programme_b.school), role)
    return body


def sheet(name="presence.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def deliberation_declaration(body, staff, *, day=date(2025, 1, 20), with_sheet=True):
    """Every member of an exam board at the winter deliberation: 203,24 + 6 × 73,85 at 944,43."""
    declaration = services.declaration_create(
        actor=staff,
        body=body,
        period_label="Semestre d'hiver 2024-2025",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 2, 28),
    )
    member = Act.objects.get(code="EXAM_DELIBERATION_MEMBER")
    commissioner = Act.objects.get(code="EXAM_DELIBERATION_COMMISSIONER")
    for appointment in body.appointments.order_by("pk"):
        act = commissioner if appointment.role == "commissioner" else member
        services.declaration_add_line(
            actor=staff, declaration=declaration, appointment=appointment, act=act, act_date=day, quantity=1
        )
    if with_sheet:
        services.declaration_attach_sheet(actor=staff, declaration=declaration, upload=sheet())
    declaration.refresh_from_db()
    return declaration


@pytest.fixture
def submitted_a(exam_board_a, staff_a):
    declaration = deliberation_declaration(exam_board_a, staff_a)
    return services.declaration_submit(actor=staff_a, declaration=declaration)
