"""Use cases of bts_fees: every rule at its limit, state transitions, scope, frozen amounts."""

import threading
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from bts_fees import selectors, services
from bts_fees.enums import DeclarationStatus
from bts_fees.models import Act, ActRate, Declaration, DeclarationLine, LessonRecord
from core.models import AuditEvent, LuxIndex
from tests.factories import add_period
from tests.utils import audit_count

from .conftest import deliberation_declaration, sheet
from .factories import appoint, make_body, make_person

pytestmark = pytest.mark.django_db


# -- BTS-1: the rate table of seed 004 --------------------------------------------------------------


SEED_004 = {
    "ADM_QUESTIONNAIRE": "8.32",
    "ADM_INVIGILATION": "1.57",
    "ADM_CORRECTION_2H": "0.76",
    "ADM_CORRECTION_3H": "0.85",
    "ADM_CORRECTION_OVER_3H": "0.90",
    "ADM_ORAL": "11.74",
    "ADM_DELIBERATION": "7.82",
    "VAE_FILE_READING": "18.75",
    "VAE_INTERVIEW": "11.74",
    "VAE_DELIBERATION": "7.82",
    "EXAM_DELIBERATION_MEMBER": "7.82",
    "EXAM_DELIBERATION_COMMISSIONER": "21.52",
    "THESIS_MEMBER": "11.74",
    "THESIS_PROMOTER": "35.19",
    "CG_WORK": "7.82",
    "LIT_MEETING": "7.82",
    "RA_MEETING": "9.04",
    "RA_FILE": "2.15",
    "TUTOR_FOLLOWUP": "20.86",
    "LECT_CLQ_7_8": "12.07",
    "LECT_CLQ_6": "10.07",
    "LECT_CLQ_5": "7.68",
    "LECT_CLQ_BELOW_5": "6.28",
    "LECT_REG_E": "12.07",
    "LECT_REG_D": "10.07",
    "LECT_REG_C": "7.68",
    "LECT_REG_AB": "6.28",
    "LECT_NO_LINK": "6.28",
    "GUEST_LECTURE": "12.07",
    "AUXILIARY_HOUR": "2.00",
}


def test_fixture_holds_the_complete_seed_004_rate_table(bts_reference):
    table = selectors.rates_in_force(date(2024, 1, 1))
    assert {code: str(rate.normalize()) for code, rate in table.items()} == {
        code: str(D(rate).normalize()) for code, rate in SEED_004.items()
    }


def test_public_rate_table_at_944_43(bts_reference):
    table = selectors.rate_table(date(2024, 6, 1))
    amounts = {row.act.code: row.amount for row in table["juries"] + table["external"]}
    assert table["index"].value == D("944.43")
    assert amounts["ADM_DELIBERATION"] == D("73.85")
    assert amounts["THESIS_PROMOTER"] == D("332.34")
    assert amounts["LECT_CLQ_7_8"] == D("113.99")
    assert len(amounts) == 30


# -- declaration flow and amounts ---------------------------------------------------------------


def test_declaration_submit_and_validate_freezes_amounts(exam_board_a, staff_a, officer):
    declaration = deliberation_declaration(exam_board_a, staff_a)
    declaration = services.declaration_submit(actor=staff_a, declaration=declaration)
    assert declaration.status == DeclarationStatus.SUBMITTED
    declaration = services.declaration_validate(actor=officer, declaration=declaration)
    assert declaration.status == DeclarationStatus.VALIDATED
    assert declaration.total_amount == D("646.34")  # 203,24 + 6 × 73,85 at 944,43
    amounts = sorted(declaration.lines.values_list("unit_amount", flat=True))
    assert amounts == [D("73.85")] * 6 + [D("203.24")]
    assert set(declaration.lines.values_list("index_value", flat=True)) == {D("944.43")}
    assert audit_count(declaration, "bts_fees.declaration_submit") == 1
    assert audit_count(declaration, "bts_fees.declaration_validate") == 1
    assert declaration.decided_by == officer


def test_act_uses_the_index_in_force_on_its_own_date(exam_board_a, staff_a, officer):
    """CORE-2: 30 April 2025 → 944,43; 1 May 2025 → 968,04 (75,70)."""
    declaration = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="Été",
        period_start=date(2025, 2, 1),
        period_end=date(2025, 7, 15),
    )
    member = Act.objects.get(code="EXAM_DELIBERATION_MEMBER")
    teachers = list(exam_board_a.appointments.filter(role="teacher").order_by("pk"))
    first = services.declaration_add_line(
        actor=staff_a,
        declaration=declaration,
        appointment=teachers[0],
        act=member,
        act_date=date(2025, 4, 30),
        quantity=1,
    )
    second = services.declaration_add_line(
        actor=staff_a,
        declaration=declaration,
        appointment=teachers[1],
        act=member,
        act_date=date(2025, 5, 1),
        quantity=1,
    )
    assert (first.index_value, first.line_amount) == (D("944.43"), D("73.85"))
    assert (second.index_value, second.line_amount) == (D("968.04"), D("75.70"))


def test_validated_amounts_do_not_change_when_a_new_index_is_entered(submitted_a, officer, staff_a):
    declaration = services.declaration_validate(actor=officer, declaration=submitted_a)
    before = list(declaration.lines.order_by("pk").values_list("index_value", "unit_amount", "line_amount"))
    # an index entered later, applicable before the acts' date (retroactive correction)
    add_period(LuxIndex(valid_from=date(2025, 1, 1), value=D("960.00"), source="test"))
    add_period(
        ActRate(
            act=Act.objects.get(code="EXAM_DELIBERATION_MEMBER"),
            valid_from=date(2025, 1, 1),
            rate_at_100="8.00",
            source="t",
        )
    )
    declaration.refresh_from_db()
    assert list(declaration.lines.order_by("pk").values_list("index_value", "unit_amount", "line_amount")) == before
    assert declaration.total_amount == D("646.34")
    person = declaration.lines.first().appointment.person
    assert selectors.statement_preview(officer, person, declaration.body.academic_year).total in (
        D("73.85"),
        D("203.24"),
    )


def test_validating_twice_is_refused_with_one_audit_event(submitted_a, officer):
    services.declaration_validate(actor=officer, declaration=submitted_a)
    with pytest.raises(ValidationError, match="Seule une déclaration soumise"):
        services.declaration_validate(actor=officer, declaration=submitted_a)
    assert audit_count(submitted_a, "bts_fees.declaration_validate") == 1


def test_reject_needs_a_reason_then_resubmit(submitted_a, officer, staff_a):
    with pytest.raises(ValidationError) as exc:
        services.declaration_reject(actor=officer, declaration=submitted_a, reason=" ")
    assert "reason" in exc.value.message_dict
    declaration = services.declaration_reject(
        actor=officer, declaration=submitted_a, reason="Liste de présence illisible"
    )
    assert declaration.status == DeclarationStatus.REJECTED and declaration.reason == "Liste de présence illisible"
    declaration = services.declaration_submit(actor=staff_a, declaration=declaration)
    assert declaration.status == DeclarationStatus.SUBMITTED
    assert AuditEvent.objects.get(action="bts_fees.declaration_reject").reason == "Liste de présence illisible"


def test_reopen_a_validated_declaration_with_a_reason(submitted_a, officer, staff_a):
    services.declaration_validate(actor=officer, declaration=submitted_a)
    with pytest.raises(ValidationError):
        services.declaration_reopen(actor=officer, declaration=submitted_a, reason="")
    declaration = services.declaration_reopen(actor=officer, declaration=submitted_a, reason="Erreur de date signalée")
    assert declaration.status == DeclarationStatus.REOPENED
    assert AuditEvent.objects.get(action="bts_fees.declaration_reopen").reason == "Erreur de date signalée"
    assert services.declaration_submit(actor=staff_a, declaration=declaration).status == DeclarationStatus.SUBMITTED


def test_reopen_only_a_validated_one(submitted_a, officer):
    with pytest.raises(ValidationError, match="Seule une déclaration validée"):
        services.declaration_reopen(actor=officer, declaration=submitted_a, reason="pour voir")


def test_submitted_declaration_is_read_only(submitted_a, staff_a):
    appointment = submitted_a.body.appointments.filter(role="teacher").first()
    with pytest.raises(ValidationError, match="ne peut plus être modifiée"):
        services.declaration_add_line(
            actor=staff_a,
            declaration=submitted_a,
            appointment=appointment,
            act=Act.objects.get(code="EXAM_DELIBERATION_MEMBER"),
            act_date=date(2025, 1, 21),
            quantity=1,
        )


def test_submission_without_attendance_sheet_is_refused(exam_board_a, staff_a):
    declaration = deliberation_declaration(exam_board_a, staff_a, with_sheet=False)
    with pytest.raises(ValidationError, match="liste de présence est obligatoire"):
        services.declaration_submit(actor=staff_a, declaration=declaration)
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.DRAFT


def test_exam_board_without_quorum_cannot_submit(exam_board_a, staff_a):
    """BTS-3: the exam board deliberates validly with at least 4 members present."""
    declaration = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="S1",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 2, 28),
    )
    member = Act.objects.get(code="EXAM_DELIBERATION_MEMBER")
    for appointment in exam_board_a.appointments.filter(role="teacher")[:3]:
        services.declaration_add_line(
            actor=staff_a,
            declaration=declaration,
            appointment=appointment,
            act=member,
            act_date=date(2025, 1, 20),
            quantity=1,
        )
    services.declaration_attach_sheet(actor=staff_a, declaration=declaration, upload=sheet())
    with pytest.raises(ValidationError, match="quorum de 4"):
        services.declaration_submit(actor=staff_a, declaration=declaration)


# -- bad input: nothing saved ---------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [-1, 0, D("1e9"), "abc", D("1.005")])
def test_bad_quantity_is_refused(exam_board_a, staff_a, quantity):
    declaration = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="S1",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 2, 28),
    )
    with pytest.raises(ValidationError) as exc:
        services.declaration_add_line(
            actor=staff_a,
            declaration=declaration,
            appointment=exam_board_a.appointments.filter(role="teacher").first(),
            act=Act.objects.get(code="EXAM_DELIBERATION_MEMBER"),
            act_date=date(2025, 1, 20),
            quantity=quantity,
        )
    assert "quantity" in exc.value.message_dict
    assert not DeclarationLine.objects.exists()


def test_only_appointed_members_can_be_declared(exam_board_a, staff_a, programme_a, year):
    """BTS-2: a proposed (not yet appointed) member, or one of another body, is refused."""
    declaration = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="S1",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 2, 28),
    )
    proposed = exam_board_a.appointments.filter(role="teacher").first()
    proposed.order_reference, proposed.order_date = "", None
    proposed.save()
    other_body = make_body(programme_a, year, "thesis_committee")
    stranger = appoint(other_body, make_person(programme_a.school), "teacher")
    member = Act.objects.get(code="EXAM_DELIBERATION_MEMBER")
    for appointment in (proposed, stranger):
        with pytest.raises(ValidationError, match="Seules les personnes nommées"):
            services.declaration_add_line(
                actor=staff_a,
                declaration=declaration,
                appointment=appointment,
                act=member,
                act_date=date(2025, 1, 20),
                quantity=1,
            )
    assert list(selectors.appointment_list_members(declaration)) == list(
        exam_board_a.appointments.exclude(pk=proposed.pk).order_by("person__last_name", "person__first_name")
    )


def test_act_not_allowed_for_the_role(exam_board_a, staff_a):
    declaration = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="S1",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 2, 28),
    )
    teacher = exam_board_a.appointments.filter(role="teacher").first()
    with pytest.raises(ValidationError, match="n'est pas ouvert"):
        services.declaration_add_line(
            actor=staff_a,
            declaration=declaration,
            appointment=teacher,
            act=Act.objects.get(code="EXAM_DELIBERATION_COMMISSIONER"),
            act_date=date(2025, 1, 20),
            quantity=1,
        )


def test_sixth_teacher_on_a_curriculum_group_and_fourth_on_admission(programme_a, year, staff_a):
    """BTS-3: ≤ 5 teachers on a curriculum group; exactly 3 on an admission committee."""
    group = make_body(programme_a, year, "curriculum_group", phase="operation")
    for _ in range(5):
        services.appointment_create(
            actor=staff_a,
            body=group,
            person=make_person(programme_a.school),
            role="teacher",
            valid_from=date(2024, 9, 15),
        )
    with pytest.raises(ValidationError, match="au plus 5"):
        services.appointment_create(
            actor=staff_a,
            body=group,
            person=make_person(programme_a.school),
            role="teacher",
            valid_from=date(2024, 9, 15),
        )
    admission = make_body(programme_a, year, "admission_committee")
    for _ in range(3):
        appoint(admission, make_person(programme_a.school), "teacher")
    with pytest.raises(ValidationError, match="au plus 3"):
        services.appointment_create(
            actor=staff_a,
            body=admission,
            person=make_person(programme_a.school),
            role="teacher",
            valid_from=date(2024, 9, 15),
        )
    assert group.appointments.count() == 5 and admission.appointments.count() == 3


def test_coordinator_is_appointed_for_24_months(programme_a, year, staff_a):
    group = make_body(programme_a, year, "curriculum_group", phase="operation")
    appointment = services.appointment_create(
        actor=staff_a,
        body=group,
        person=make_person(programme_a.school),
        role="coordinator",
        valid_from=date(2024, 9, 15),
    )
    assert appointment.valid_until == date(2026, 9, 14)


def _cg_line(staff, declaration, appointment, hours, day=date(2024, 11, 5)):
    return services.declaration_add_line(
        actor=staff,
        declaration=declaration,
        appointment=appointment,
        act=Act.objects.get(code="CG_WORK"),
        act_date=day,
        quantity=hours,
    )


def _cg_hours(staff, declaration, appointment, total, first_day=date(2024, 11, 4)):
    """`total` hours in lines of 10 h (the per-day maximum of CG_WORK) on consecutive days."""
    lines, day = [], first_day
    while total > 0:
        lines.append(_cg_line(staff, declaration, appointment, min(total, 10), day))
        total, day = total - 10, day + timedelta(days=1)
    return lines


def test_curriculum_group_member_cap_120_hours(programme_a, year, staff_a):
    """BTS-4: accreditation, ≤ 120 h per member: exactly 120 passes, one more hour is refused."""
    programme_a.admissibility_notified_on = date(2024, 9, 1)
    programme_a.save()
    group = make_body(programme_a, year, "curriculum_group", phase="accreditation")
    member = appoint(group, make_person(programme_a.school), "teacher")
    declaration = services.declaration_create(
        actor=staff_a,
        body=group,
        period_label="2024-2025",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 9, 14),
    )
    _cg_hours(staff_a, declaration, member, 120)  # 12 days of 10 hours
    with pytest.raises(ValidationError) as exc:
        _cg_line(staff_a, declaration, member, 1, date(2024, 12, 2))
    assert "Plafond de 120 heures par membre dépassé (BTS-4) : il reste 0 heures." in exc.value.message_dict["quantity"]
    assert declaration.lines.count() == 12


def test_curriculum_group_operation_cap_100_hours(programme_a, year, staff_a):
    group = make_body(programme_a, year, "curriculum_group", phase="operation")
    a, b = (appoint(group, make_person(programme_a.school), "teacher") for _ in range(2))
    declaration = services.declaration_create(
        actor=staff_a,
        body=group,
        period_label="2024-2025",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 9, 14),
    )
    _cg_hours(staff_a, declaration, a, 60)
    _cg_hours(staff_a, declaration, b, 35)
    with pytest.raises(ValidationError, match="il reste 5 heures"):
        _cg_line(staff_a, declaration, b, 6, date(2024, 12, 2))
    assert _cg_line(staff_a, declaration, b, 5, date(2024, 12, 2)).line_amount == D("369.25")  # 73,85 × 5


def test_admission_invigilators_and_papers(programme_a, year, staff_a):
    """BTS-6: one invigilator per 10 candidates; one questionnaire per paper, two papers at most."""
    body = make_body(programme_a, year, "admission_committee")
    members = [
        appoint(body, make_person(programme_a.school), role)
        for role in ("commissioner", "direction", "teacher", "teacher", "teacher")
    ]
    with pytest.raises(ValidationError, match="deux épreuves au plus"):
        services.declaration_create(
            actor=staff_a,
            body=body,
            period_label="Admission",
            period_start=date(2025, 6, 1),
            period_end=date(2025, 7, 31),
            papers=3,
        )
    declaration = services.declaration_create(
        actor=staff_a,
        body=body,
        period_label="Admission",
        period_start=date(2025, 6, 1),
        period_end=date(2025, 7, 31),
        candidates=20,
        papers=2,
    )
    invigilation = Act.objects.get(code="ADM_INVIGILATION")
    for member in members[2:4]:
        services.declaration_add_line(
            actor=staff_a,
            declaration=declaration,
            appointment=member,
            act=invigilation,
            act_date=date(2025, 6, 10),
            quantity=3,
        )
    with pytest.raises(ValidationError, match="2 surveillant"):
        services.declaration_add_line(
            actor=staff_a,
            declaration=declaration,
            appointment=members[4],
            act=invigilation,
            act_date=date(2025, 6, 10),
            quantity=3,
        )
    questionnaire = Act.objects.get(code="ADM_QUESTIONNAIRE")
    line = services.declaration_add_line(
        actor=staff_a,
        declaration=declaration,
        appointment=members[2],
        act=questionnaire,
        act_date=date(2025, 6, 1),
        quantity=2,
    )
    assert line.line_amount == D("161.08")  # 8,32 at 968,04 = 80,54 × 2
    with pytest.raises(ValidationError, match="2 épreuve"):
        services.declaration_add_line(
            actor=staff_a,
            declaration=declaration,
            appointment=members[3],
            act=questionnaire,
            act_date=date(2025, 6, 1),
            quantity=1,
        )


def test_conflict_of_interest_excludes_the_member(programme_a, year, staff_a):
    """BTS-9: a promoter related to the student cannot be declared for that student."""
    body = make_body(programme_a, year, "thesis_committee")
    promoter = appoint(body, make_person(programme_a.school), "promoter")
    services.conflict_declare(
        actor=staff_a,
        person=promoter.person,
        programme=programme_a,
        student="Léa Muller",
        relationship="relative",
        declared_on=date(2024, 10, 1),
    )
    declaration = services.declaration_create(
        actor=staff_a, body=body, period_label="TFE", period_start=date(2025, 6, 1), period_end=date(2025, 7, 15)
    )
    act = Act.objects.get(code="THESIS_PROMOTER")
    with pytest.raises(ValidationError, match="lien de parenté"):
        services.declaration_add_line(
            actor=staff_a,
            declaration=declaration,
            appointment=promoter,
            act=act,
            act_date=date(2025, 6, 20),
            quantity=1,
            student="léa muller",
        )
    line = services.declaration_add_line(
        actor=staff_a,
        declaration=declaration,
        appointment=promoter,
        act=act,
        act_date=date(2025, 6, 20),
        quantity=1,
        student="Tom Weis",
    )
    assert line.line_amount == D("340.65")  # 35,19 at 968,04


# -- attendance sheets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "size", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00", None, "PDF, PNG ou JPEG"),
        ("script.png", b"#!/bin/sh\nrm -rf /\n", None, "PDF, PNG ou JPEG"),
        ("huge.pdf", b"%PDF-1.4 huge", 100 * 1024 * 1024, "10 Mo"),
        ("empty.pdf", b"", None, "vide"),
    ],
)
def test_attendance_sheet_bad_files(exam_board_a, staff_a, name, content, size, message):
    declaration = deliberation_declaration(exam_board_a, staff_a, with_sheet=False)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    if size:
        upload.size = size
    with pytest.raises(ValidationError, match=message):
        services.declaration_attach_sheet(actor=staff_a, declaration=declaration, upload=upload)
    declaration.refresh_from_db()
    assert not declaration.attendance_sheet


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n0000", "image/png"),
        (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
    ],
)
def test_attendance_sheet_type_is_read_from_the_content(exam_board_a, staff_a, content, kind):
    declaration = deliberation_declaration(exam_board_a, staff_a, with_sheet=False)
    services.declaration_attach_sheet(actor=staff_a, declaration=declaration, upload=sheet("scan.exe", content))
    declaration.refresh_from_db()
    assert declaration.attendance_sheet_type == kind
    assert declaration.attendance_sheet.name.startswith("bts_fees/attendance/")
    assert not declaration.attendance_sheet.name.endswith(".exe")


# -- permissions and scope --------------------------------------------------------------------------


def test_staff_of_another_lycee_cannot_touch_the_declaration(exam_board_a, staff_a, staff_b):
    declaration = deliberation_declaration(exam_board_a, staff_a)
    with pytest.raises(PermissionDenied):
        services.declaration_submit(actor=staff_b, declaration=declaration)
    with pytest.raises(PermissionDenied):
        services.declaration_attach_sheet(actor=staff_b, declaration=declaration, upload=sheet())
    assert selectors.declaration_list(staff_b).count() == 0
    assert selectors.declaration_list(staff_a).count() == 1


def test_staff_cannot_validate(submitted_a, staff_a):
    with pytest.raises(PermissionDenied):
        services.declaration_validate(actor=staff_a, declaration=submitted_a)


def test_bulk_validation_reports_each_failure(submitted_a, exam_board_b, staff_b, officer):
    draft_b = deliberation_declaration(exam_board_b, staff_b)
    done, errors = services.declarations_validate_bulk(actor=officer, declaration_ids=[submitted_a.pk, draft_b.pk])
    assert [d.pk for d in done] == [submitted_a.pk]
    assert len(errors) == 1 and draft_b.reference in errors[0]
    assert Declaration.objects.get(pk=draft_b.pk).status == DeclarationStatus.DRAFT


# -- external lecturers ---------------------------------------------------------------------------------


def _lecturer(school, **kw):
    defaults = {"clq_level": 7, "has_diploma": True, "national_or_benelux_diploma": True}
    defaults.update(kw)
    return make_person(school, **defaults)


def test_contract_signed_after_start_is_refused(programme_a, year, staff_a):
    with pytest.raises(ValidationError) as exc:
        services.contract_create(
            actor=staff_a,
            person=_lecturer(programme_a.school),
            programme=programme_a,
            academic_year=year,
            category="external_lecturer",
            subject="Réseaux",
            signature_date=date(2024, 10, 2),
            start_date=date(2024, 10, 1),
        )
    assert "postérieure au début du contrat" in exc.value.message_dict["signature_date"][0]


def test_one_contract_per_programme_and_rate_by_clq(programme_a, year, staff_a):
    person = _lecturer(programme_a.school, clq_level=6)
    kwargs = {
        "actor": staff_a,
        "person": person,
        "programme": programme_a,
        "academic_year": year,
        "category": "external_lecturer",
        "subject": "Réseaux",
        "signature_date": date(2024, 9, 20),
        "start_date": date(2024, 10, 1),
    }
    contract = services.contract_create(**kwargs)
    assert contract.rate_code == "LECT_CLQ_6"
    with pytest.raises(ValidationError, match="un contrat par programme"):
        services.contract_create(**kwargs)


def test_contract_needs_documents_on_file(programme_a, year, staff_a):
    person = _lecturer(programme_a.school, national_or_benelux_diploma=False)  # diploma without registry entry
    with pytest.raises(ValidationError, match="Pièces manquantes"):
        services.contract_create(
            actor=staff_a,
            person=person,
            programme=programme_a,
            academic_year=year,
            category="external_lecturer",
            subject="Droit",
            signature_date=date(2024, 9, 20),
            start_date=date(2024, 10, 1),
        )


def test_252_lessons_across_programmes_then_refused(programme_a, year, staff_a, school_a):
    from .factories import make_programme

    other = make_programme(school_a, code="BTS-GEST", title="BTS Gestion")
    person = _lecturer(school_a)
    contracts = [
        services.contract_create(
            actor=staff_a,
            person=person,
            programme=p,
            academic_year=year,
            category="external_lecturer",
            subject="Anglais",
            signature_date=date(2024, 9, 15),
            start_date=date(2024, 9, 16),
            ministry_signature_date=date(2024, 9, 15),
        )
        for p in (programme_a, other)
    ]
    for i in range(25):  # 25 days × 10 lessons (the per-day maximum) = 250 across the two programmes
        day = date(2024, 9, 16) + timedelta(days=i)
        services.lesson_record(actor=staff_a, contract=contracts[i % 2], lesson_date=day, lessons=10)
    services.lesson_record(actor=staff_a, contract=contracts[1], lesson_date=date(2024, 10, 11), lessons=2)  # 252
    with pytest.raises(ValidationError, match="il reste 0 leçons"):  # the 253rd
        services.lesson_record(actor=staff_a, contract=contracts[0], lesson_date=date(2024, 10, 12), lessons=1)
    assert sum(LessonRecord.objects.values_list("lessons", flat=True)) == 252
    first = LessonRecord.objects.order_by("pk").first()
    assert (first.unit_amount, first.line_amount) == (D("113.99"), D("1139.90"))  # 12,07 at 944,43; × 10


def test_guest_lecturer_20_a_semester_and_never_evaluates(programme_a, year, staff_a):
    guest = make_person(programme_a.school)
    contract = services.contract_create(
        actor=staff_a,
        person=guest,
        programme=programme_a,
        academic_year=year,
        category="guest_lecturer",
        subject="Conférence",
        signature_date=date(2024, 9, 15),
        start_date=date(2024, 10, 1),
        ministry_signature_date=date(2024, 9, 20),
    )
    assert contract.rate_code == "GUEST_LECTURE"
    with pytest.raises(ValidationError, match="ne participe pas à l'évaluation"):
        services.lesson_record(
            actor=staff_a, contract=contract, lesson_date=date(2024, 10, 1), lessons=2, evaluation=True
        )
    for day in (date(2024, 10, 1), date(2024, 10, 2)):
        services.lesson_record(actor=staff_a, contract=contract, lesson_date=day, lessons=10)
    with pytest.raises(ValidationError, match="20 leçons par semestre"):
        services.lesson_record(actor=staff_a, contract=contract, lesson_date=date(2025, 1, 10), lessons=1)
    # second semester: a new allowance of 20
    services.lesson_record(actor=staff_a, contract=contract, lesson_date=date(2025, 2, 3), lessons=10)
    record = services.lesson_record(actor=staff_a, contract=contract, lesson_date=date(2025, 2, 4), lessons=10)
    assert record.semester == 2 and record.line_amount == D("1139.90")  # 113,99 × 10


@pytest.mark.parametrize("lessons", [0, -1, 10**9, True])
def test_bad_lesson_counts(programme_a, year, staff_a, lessons):
    contract = services.contract_create(
        actor=staff_a,
        person=_lecturer(programme_a.school),
        programme=programme_a,
        academic_year=year,
        category="external_lecturer",
        subject="X",
        signature_date=date(2024, 9, 15),
        start_date=date(2024, 10, 1),
    )
    with pytest.raises(ValidationError):
        services.lesson_record(actor=staff_a, contract=contract, lesson_date=date(2024, 10, 2), lessons=lessons)
    assert not LessonRecord.objects.exists()


# -- BTS-7 deadlines on the dashboard --------------------------------------------------------------


def test_dashboard_shows_proposals_due_and_late(programme_a, year, staff_a, time_machine):
    exam = make_body(programme_a, year, "exam_board")
    litigation = make_body(programme_a, year, "litigation_committee")
    litigation.mandate_ends = True
    litigation.save()
    time_machine.move_to(date(2024, 9, 20))
    due = {row["body"].pk: row for row in selectors.dashboard(staff_a)["proposals"]}
    assert due[litigation.pk]["deadline"] == date(2024, 9, 15) and due[litigation.pk]["late"]
    assert due[exam.pk]["deadline"] == date(2024, 10, 15) and not due[exam.pk]["late"]
    services.body_record_proposals(actor=staff_a, body=exam, sent_on=date(2024, 9, 20))
    assert exam.pk not in {row["body"].pk for row in selectors.dashboard(staff_a)["proposals"]}


# -- concurrency (PostgreSQL) -------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_validating_at_once_validate_once(submitted_a, officer):
    from tests.factories import UserFactory

    second = UserFactory(username="officer2", role="officer", schemes=["bts_fees"])
    barrier = threading.Barrier(2)
    outcomes = []

    def run(user):
        try:
            barrier.wait()
            services.declaration_validate(actor=user, declaration=Declaration.objects.get(pk=submitted_a.pk))
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in (officer, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert audit_count(submitted_a, "bts_fees.declaration_validate") == 1
