"""Every bts_fees use case writes its journal event, and every write to an audited model keeps its
history (simple-history): validation reprices lines with a historical record of each."""

import inspect
import re
from datetime import date
from pathlib import Path

import pytest

from bts_fees import services
from bts_fees.models import Act, DeclarationLine, StatementLine
from core.models import AuditEvent

from .conftest import deliberation_declaration, sheet
from .factories import appoint, make_body, make_person

pytestmark = pytest.mark.django_db


def public_services() -> set[str]:
    """The use cases: public functions of bts_fees.services taking a keyword-only `actor`."""
    names = set()
    for name, function in inspect.getmembers(services, inspect.isfunction):
        if not function.__module__.startswith(f"{services.__name__}.") or name.startswith("_"):
            continue
        actor = inspect.signature(function).parameters.get("actor")
        if actor is not None and actor.kind == inspect.Parameter.KEYWORD_ONLY:
            names.add(name)
    return names


def test_every_public_service_writes_one_journal_event(exam_board_a, staff_a, officer, year):
    school = exam_board_a.school
    w = {"draft": deliberation_declaration(exam_board_a, staff_a, with_sheet=False)}
    member = exam_board_a.appointments.filter(role="teacher").first()
    steps = [
        (
            "programme_create",
            lambda: w.update(
                programme=services.programme_create(actor=staff_a, school=school, code="BTS-NEW", title="BTS Nouveau")
            ),
        ),
        (
            "person_save",
            lambda: w.update(
                person=services.person_save(
                    actor=staff_a, school=school, last_name="Neuer", first_name="Anna", email="anna@example.lu"
                )
            ),
        ),
        (
            "person_save",
            lambda: services.person_save(
                actor=staff_a,
                school=school,
                person=w["person"],
                clq_level=7,
                has_diploma=True,
                national_or_benelux_diploma=True,
            ),
        ),
        (
            "body_create",
            lambda: w.update(
                body=services.body_create(
                    actor=staff_a,
                    school=school,
                    academic_year=year,
                    kind="admission_committee",
                    programme=w["programme"],
                )
            ),
        ),
        (
            "body_record_proposals",
            lambda: services.body_record_proposals(actor=staff_a, body=w["body"], sent_on=date(2024, 10, 1)),
        ),
        (
            "appointment_create",
            lambda: w.update(
                appointment=services.appointment_create(
                    actor=staff_a,
                    body=w["body"],
                    person=make_person(school),
                    role="teacher",
                    valid_from=year.start_date,
                )
            ),
        ),
        (
            "appointment_record_order",
            lambda: services.appointment_record_order(
                actor=staff_a, appointment=w["appointment"], order_reference="MESR/1", order_date=date(2024, 10, 20)
            ),
        ),
        (
            "declaration_create",
            lambda: w.update(
                admission=services.declaration_create(
                    actor=staff_a,
                    body=w["body"],
                    period_label="Admission",
                    period_start=date(2025, 6, 1),
                    period_end=date(2025, 7, 15),
                    candidates=10,
                    papers=1,
                )
            ),
        ),
        (
            "exam_paper_record",
            lambda: w.update(
                paper=services.exam_paper_record(
                    actor=staff_a, declaration=w["admission"], number=1, kind="written", first_marks="12 ; 9"
                )
            ),
        ),
        (
            "declaration_add_line",
            lambda: w.update(
                line=services.declaration_add_line(
                    actor=staff_a,
                    declaration=w["admission"],
                    appointment=w["appointment"],
                    act=Act.objects.get(code="ADM_CORRECTION_3H"),
                    act_date=date(2025, 6, 12),
                    quantity=2,
                    paper=w["paper"],
                )
            ),
        ),
        ("declaration_remove_line", lambda: services.declaration_remove_line(actor=staff_a, line=w["line"])),
        (
            "declaration_attach_sheet",
            lambda: services.declaration_attach_sheet(actor=staff_a, declaration=w["draft"], upload=sheet()),
        ),
        ("declaration_submit", lambda: services.declaration_submit(actor=staff_a, declaration=w["draft"])),
        (
            "declaration_reject",
            lambda: services.declaration_reject(actor=officer, declaration=w["draft"], reason="Liste non signée"),
        ),
        ("declaration_submit", lambda: services.declaration_submit(actor=staff_a, declaration=w["draft"])),
        ("declaration_validate", lambda: services.declaration_validate(actor=officer, declaration=w["draft"])),
        (
            "declaration_reopen",
            lambda: services.declaration_reopen(actor=officer, declaration=w["draft"], reason="Date à corriger"),
        ),
        ("declaration_submit", lambda: services.declaration_submit(actor=staff_a, declaration=w["draft"])),
        (
            "declarations_validate_bulk",
            lambda: services.declarations_validate_bulk(actor=officer, declaration_ids=[w["draft"].pk]),
        ),
        (
            "contract_create",
            lambda: w.update(
                contract=services.contract_create(
                    actor=staff_a,
                    person=w["person"],
                    programme=w["programme"],
                    academic_year=year,
                    category="external_lecturer",
                    subject="Réseaux",
                    signature_date=date(2024, 9, 20),
                    start_date=date(2024, 10, 1),
                )
            ),
        ),
        (
            "contract_record_ministry_signature",
            lambda: services.contract_record_ministry_signature(
                actor=staff_a, contract=w["contract"], ministry_signature_date=date(2024, 9, 25)
            ),
        ),
        (
            "lesson_record",
            lambda: services.lesson_record(
                actor=staff_a, contract=w["contract"], lesson_date=date(2024, 10, 7), lessons=3
            ),
        ),
        (
            "conflict_declare",
            lambda: services.conflict_declare(
                actor=staff_a,
                person=member.person,
                programme=exam_board_a.programme,
                student="Max Muster",
                relationship="relative",
                declared_on=date(2024, 10, 1),
            ),
        ),
        ("statement_issue", lambda: services.statement_issue(actor=officer, person=member.person, academic_year=year)),
    ]
    assert {name for name, _ in steps} == public_services(), "a use case without its journal check"
    silent, noisy = [], []
    for name, call in steps:
        before = AuditEvent.objects.count()
        call()
        written = AuditEvent.objects.count() - before
        if written == 0:
            silent.append(name)
        elif written > 1:
            noisy.append((name, written))
    assert silent == [] and noisy == []
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {action for action in actions if not action.startswith("bts_fees.")} == set()
    assert w["paper"].history.count() == 1


def test_validation_reprices_with_a_historical_record_of_each_line(submitted_a, officer):
    lines = list(submitted_a.lines.order_by("pk"))
    counts = [line.history.count() for line in lines]
    services.declaration_validate(actor=officer, declaration=submitted_a)
    for line, count in zip(lines, counts, strict=True):
        assert line.history.count() == count + 1
        latest = line.history.order_by("-history_id").first()
        line.refresh_from_db()
        assert latest.history_type == "~" and latest.history_user == officer
        assert (latest.index_value, latest.line_amount) == (line.index_value, line.line_amount)


def test_removed_lines_papers_and_statement_lines_keep_their_history(programme_a, year, staff_a, officer):
    body = make_body(programme_a, year, "vae_committee")
    members = [
        appoint(body, make_person(programme_a.school), role)
        for role in ("direction", "teacher", "teacher", "professional", "professional")
    ]
    declaration = services.declaration_create(
        actor=staff_a, body=body, period_label="VAE", period_start=date(2025, 1, 1), period_end=date(2025, 1, 31)
    )
    line = services.declaration_add_line(
        actor=staff_a,
        declaration=declaration,
        appointment=members[1],
        act=Act.objects.get(code="VAE_FILE_READING"),
        act_date=date(2025, 1, 15),
        quantity=2,
    )
    pk = line.pk
    services.declaration_remove_line(actor=staff_a, line=line)
    assert list(
        DeclarationLine.history.filter(id=pk).values_list("history_type", flat=True).order_by("history_id")
    ) == [
        "+",
        "-",
    ]
    services.declaration_add_line(
        actor=staff_a,
        declaration=declaration,
        appointment=members[1],
        act=Act.objects.get(code="VAE_FILE_READING"),
        act_date=date(2025, 1, 15),
        quantity=2,
    )
    services.declaration_attach_sheet(actor=staff_a, declaration=declaration, upload=sheet())
    services.declaration_validate(
        actor=officer, declaration=services.declaration_submit(actor=staff_a, declaration=declaration)
    )
    statement = services.statement_issue(actor=officer, person=members[1].person, academic_year=year)
    assert StatementLine.history.filter(statement_id=statement.pk, history_type="+").count() == 1
    assert statement.history.count() == 1


def test_no_write_in_the_services_bypasses_the_history():
    """QuerySet.update() and plain bulk writes leave no historical record (django-simple-history hooks model signals, which those writes skip)."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(services.__file__).parent.glob("*.py"))
    assert not re.findall(r"objects\.bulk_(?:update|create)\(|\)\.update\(|\.objects\.update\(", source)
