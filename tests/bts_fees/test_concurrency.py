"""Concurrency of every bts_fees transition on PostgreSQL (SQLite has no row locks: `select_for_update` is a no-op there), with
real threads released together by a barrier: one effect, one audit event, no cap exceeded, no
lost update. (Two officers validating at once: tests/bts_fees/test_services.py.)"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from bts_fees import services
from bts_fees.enums import DeclarationStatus
from bts_fees.models import Act, Declaration, DeclarationLine, LessonRecord, Statement
from core.models import AuditEvent
from tests.factories import UserFactory
from tests.utils import audit_count

from .conftest import deliberation_declaration
from .factories import appoint, make_body, make_person, make_programme

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*calls):
    """Run the callables at the same instant in threads; their outcomes ("ok" or the error)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = ("ok", call())
        except ValidationError as exc:
            outcomes[i] = ("refused", " ".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion, never swallowed
            outcomes[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def kinds(outcomes):
    return sorted(kind for kind, _ in outcomes)


@pytest.fixture
def second_officer(db):
    return UserFactory(username="officer2", role="officer", schemes=["bts_fees"])


@pytest.fixture
def second_staff(school_a):
    return UserFactory(username="staff2", role="lycee_staff", schools=[school_a])


def _fresh(declaration):
    return Declaration.objects.get(pk=declaration.pk)


def test_two_staff_submitting_at_once_submit_once(exam_board_a, staff_a, second_staff):
    draft = deliberation_declaration(exam_board_a, staff_a)
    outcomes = race(
        lambda: services.declaration_submit(actor=staff_a, declaration=_fresh(draft)),
        lambda: services.declaration_submit(actor=second_staff, declaration=_fresh(draft)),
    )
    assert kinds(outcomes) == ["ok", "refused"], outcomes
    assert _fresh(draft).status == DeclarationStatus.SUBMITTED
    assert audit_count(draft, "bts_fees.declaration_submit") == 1


def test_two_officers_rejecting_at_once_reject_once(submitted_a, officer, second_officer):
    outcomes = race(
        lambda: services.declaration_reject(actor=officer, declaration=_fresh(submitted_a), reason="Liste non signée"),
        lambda: services.declaration_reject(
            actor=second_officer, declaration=_fresh(submitted_a), reason="Dates à corriger"
        ),
    )
    assert kinds(outcomes) == ["ok", "refused"], outcomes
    assert _fresh(submitted_a).status == DeclarationStatus.REJECTED
    assert audit_count(submitted_a, "bts_fees.declaration_reject") == 1
    winner = AuditEvent.objects.get(action="bts_fees.declaration_reject", object_id=str(submitted_a.pk))
    assert _fresh(submitted_a).reason == winner.reason  # the stored reason is the winner's, not a mix


def test_validate_and_reject_at_once_give_one_decision(submitted_a, officer, second_officer):
    outcomes = race(
        lambda: services.declaration_validate(actor=officer, declaration=_fresh(submitted_a)),
        lambda: services.declaration_reject(actor=second_officer, declaration=_fresh(submitted_a), reason="Incomplet"),
    )
    assert kinds(outcomes) == ["ok", "refused"], outcomes
    events = audit_count(submitted_a, "bts_fees.declaration_validate") + audit_count(
        submitted_a, "bts_fees.declaration_reject"
    )
    assert events == 1
    assert _fresh(submitted_a).status in (DeclarationStatus.VALIDATED, DeclarationStatus.REJECTED)


def test_two_officers_reopening_at_once_reopen_once(submitted_a, officer, second_officer):
    services.declaration_validate(actor=officer, declaration=submitted_a)
    outcomes = race(
        lambda: services.declaration_reopen(actor=officer, declaration=_fresh(submitted_a), reason="Erreur de date"),
        lambda: services.declaration_reopen(
            actor=second_officer, declaration=_fresh(submitted_a), reason="Membre à retirer"
        ),
    )
    assert kinds(outcomes) == ["ok", "refused"], outcomes
    assert _fresh(submitted_a).status == DeclarationStatus.REOPENED
    assert audit_count(submitted_a, "bts_fees.declaration_reopen") == 1


def test_bulk_validation_overlapping_a_single_validation(submitted_a, exam_board_b, staff_b, officer, second_officer):
    submitted_b = services.declaration_submit(
        actor=staff_b, declaration=deliberation_declaration(exam_board_b, staff_b)
    )
    outcomes = race(
        lambda: services.declarations_validate_bulk(actor=officer, declaration_ids=[submitted_a.pk, submitted_b.pk]),
        lambda: services.declaration_validate(actor=second_officer, declaration=_fresh(submitted_a)),
    )
    assert "error" not in kinds(outcomes), outcomes
    for declaration in (submitted_a, submitted_b):
        assert _fresh(declaration).status == DeclarationStatus.VALIDATED
        assert audit_count(declaration, "bts_fees.declaration_validate") == 1
    (bulk_kind, bulk_result), (single_kind, _) = outcomes
    done, errors = bulk_result
    validated_by_bulk = {d.pk for d in done}
    assert submitted_b.pk in validated_by_bulk
    # submitted_a was validated by exactly one of the two: by the bulk or by the single validation
    assert (submitted_a.pk in validated_by_bulk) != (single_kind == "ok")
    assert len(errors) == (0 if single_kind == "refused" else 1)
    assert _fresh(submitted_a).total_amount == D("646.34")  # 203,24 + 6 × 73,85 at 944,43, once


def _curriculum_group(programme, year, staff, phase="operation"):
    group = make_body(programme, year, "curriculum_group", phase=phase)
    members = [appoint(group, make_person(programme.school), "teacher") for _ in range(3)]
    declarations = [
        services.declaration_create(
            actor=staff,
            body=group,
            period_label=label,
            period_start=start,
            period_end=end,
        )
        for label, start, end in (
            ("Premier semestre", date(2024, 9, 15), date(2025, 1, 31)),
            ("Second semestre", date(2025, 2, 1), date(2025, 9, 14)),
        )
    ]
    return group, members, declarations


def _hours(staff, declaration, member, hours, day=date(2024, 11, 5)):
    return services.declaration_add_line(
        actor=staff,
        declaration=Declaration.objects.get(pk=declaration.pk),
        appointment=member,
        act=Act.objects.get(code="CG_WORK"),
        act_date=day,
        quantity=hours,
    )


def test_two_staff_adding_lines_that_together_pass_the_100_hour_cap(programme_a, year, staff_a, second_staff):
    """BTS-4 (operation ≤ 100 h a year): 90 h declared, two staff add 8 h each on two declarations
    of the group at once: one line passes, the other is refused with the allowance left."""
    _, (a, b, c), (first, second) = _curriculum_group(programme_a, year, staff_a)
    for day in range(9):  # 90 h in days of 10 h (the per-day maximum of CG_WORK)
        _hours(staff_a, first, a, 10, day=date(2024, 10, 1) + timedelta(days=day))
    outcomes = race(
        lambda: _hours(staff_a, first, b, 8),
        lambda: _hours(second_staff, second, c, 8, day=date(2025, 3, 3)),
    )
    assert kinds(outcomes) == ["ok", "refused"], outcomes
    refusal = next(message for kind, message in outcomes if kind == "refused")
    assert "il reste 2 heures" in refusal
    hours = sum(DeclarationLine.objects.filter(declaration__body=first.body).values_list("quantity", flat=True))
    assert hours == D("98.00")


def test_submit_while_a_line_is_added_loses_no_line(exam_board_a, staff_a, second_staff):
    """The total stored at submission is the sum of the lines it holds: a line added at the same
    instant is either in the submitted declaration (and its total) or refused."""
    draft = deliberation_declaration(exam_board_a, staff_a)
    extra = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="Session de rattrapage",
        period_start=date(2025, 6, 1),
        period_end=date(2025, 7, 31),
    )
    assert extra  # another declaration of the body, untouched
    commissioner = exam_board_a.appointments.get(role="commissioner")
    draft.lines.filter(appointment=commissioner).delete()
    outcomes = race(
        lambda: services.declaration_submit(actor=staff_a, declaration=_fresh(draft)),
        lambda: services.declaration_add_line(
            actor=second_staff,
            declaration=_fresh(draft),
            appointment=commissioner,
            act=Act.objects.get(code="EXAM_DELIBERATION_COMMISSIONER"),
            act_date=date(2025, 1, 20),
            quantity=1,
        ),
    )
    assert "error" not in kinds(outcomes), outcomes
    declaration = _fresh(draft)
    assert declaration.status == DeclarationStatus.SUBMITTED
    lines = list(declaration.lines.values_list("line_amount", flat=True))
    assert declaration.total_amount == sum(lines, D("0.00"))
    assert declaration.total_amount in (D("646.34"), D("443.10"))  # with or without the commissioner


def test_two_lesson_records_at_once_never_pass_252(programme_a, year, staff_a, second_staff, school_a):
    other = make_programme(school_a, code="BTS-GEST", title="BTS Gestion")
    person = make_person(school_a, clq_level=7, has_diploma=True, national_or_benelux_diploma=True)
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
    for i in range(25):  # 250 lessons, 10 a day (the per-day maximum)
        services.lesson_record(
            actor=staff_a, contract=contracts[i % 2], lesson_date=date(2024, 9, 16) + timedelta(days=i), lessons=10
        )
    day = date(2024, 10, 11)
    outcomes = race(
        lambda: services.lesson_record(actor=staff_a, contract=contracts[0], lesson_date=day, lessons=2),
        lambda: services.lesson_record(actor=second_staff, contract=contracts[1], lesson_date=day, lessons=2),
    )
    assert kinds(outcomes) == ["ok", "refused"], outcomes
    assert sum(LessonRecord.objects.values_list("lessons", flat=True)) == 252


# -- acts paid once, per-day maximum, issued statements (seed 004; docs/rules.md "Clarifications") -----------


def _admission_declarations(programme, year, staff):
    body = make_body(programme, year, "admission_committee")
    members = [
        appoint(body, make_person(programme.school), role)
        for role in ("commissioner", "direction", "teacher", "teacher", "teacher")
    ]
    declarations = [
        services.declaration_create(actor=staff, body=body, period_label=label, period_start=start, period_end=end)
        for label, start, end in (
            ("Admission", date(2025, 6, 1), date(2025, 7, 15)),
            ("Session complémentaire", date(2025, 7, 16), date(2025, 9, 14)),
        )
    ]
    return members, declarations


def test_the_yearly_deliberation_declared_twice_at_once_is_paid_once(programme_a, year, staff_a, second_staff):
    """Two staff declare the same member's final deliberation in two declarations of the admission
    committee at the same instant: one line, one refusal (the person's rows are locked)."""
    members, (first, second) = _admission_declarations(programme_a, year, staff_a)
    deliberation = Act.objects.get(code="ADM_DELIBERATION")
    outcomes = race(
        lambda: services.declaration_add_line(
            actor=staff_a, declaration=_fresh(first), appointment=members[2], act=deliberation,
            act_date=date(2025, 7, 2), quantity=1,
        ),
        lambda: services.declaration_add_line(
            actor=second_staff, declaration=_fresh(second), appointment=members[2], act=deliberation,
            act_date=date(2025, 9, 1), quantity=1,
        ),
    )  # fmt: skip
    assert kinds(outcomes) == ["ok", "refused"], outcomes
    assert "une seule fois par année d'études" in next(m for kind, m in outcomes if kind == "refused")
    assert DeclarationLine.objects.filter(act=deliberation, appointment=members[2]).count() == 1


def test_meetings_declared_at_once_never_pass_the_daily_maximum(programme_a, year, staff_a, second_staff):
    """Plausibility across declarations under concurrency: 2 + 2 meetings on one day, 3 at most."""
    body = make_body(programme_a, year, "reasonable_accommodation")
    member = appoint(body, make_person(programme_a.school), "member")
    declarations = [
        services.declaration_create(
            actor=staff_a, body=body, period_label=label, period_start=date(2025, 3, 1), period_end=end
        )
        for label, end in (("Mars", date(2025, 3, 31)), ("Premier trimestre civil", date(2025, 3, 30)))
    ]
    meeting = Act.objects.get(code="RA_MEETING")
    outcomes = race(
        *(
            (lambda declaration=declaration, user=user: services.declaration_add_line(
                actor=user, declaration=_fresh(declaration), appointment=member, act=meeting,
                act_date=date(2025, 3, 18), quantity=2,
            ))
            for declaration, user in zip(declarations, (staff_a, second_staff), strict=True)
        )
    )  # fmt: skip
    assert kinds(outcomes) == ["ok", "refused"], outcomes
    assert sum(DeclarationLine.objects.filter(act=meeting).values_list("quantity", flat=True)) == D("2.00")


def test_two_issues_of_a_statement_at_once_issue_one(submitted_a, officer, second_officer, year):
    services.declaration_validate(actor=officer, declaration=submitted_a)
    person = submitted_a.lines.get(act__code="EXAM_DELIBERATION_COMMISSIONER").appointment.person
    outcomes = race(
        lambda: services.statement_issue(actor=officer, person=person, academic_year=year).pk,
        lambda: services.statement_issue(actor=second_officer, person=person, academic_year=year).pk,
    )
    assert kinds(outcomes) == ["ok", "ok"], outcomes
    assert outcomes[0][1] == outcomes[1][1]  # the second found the first one's figures: no new statement
    assert Statement.objects.count() == 1
    assert Statement.objects.get().total_amount == D("203.24")  # 21,52 at 944,43
    assert AuditEvent.objects.filter(action="bts_fees.statement_issue").count() == 1
