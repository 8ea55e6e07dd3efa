"""The yearly statement of a person as it would be issued now (unsaved lines): the acts of its
validated declarations and its lessons, at the amounts frozen when they were recorded."""

from __future__ import annotations

from decimal import Decimal

from ..enums import ActUnit, DeclarationStatus, StatementLineKind
from ..models import AcademicYear, Act, DeclarationLine, LessonRecord, Person, StatementLine


def statement_rows(person: Person, academic_year: AcademicYear) -> list[StatementLine]:
    """The figures a statement would hold now (unsaved lines): the acts of validated declarations,
    at the amounts frozen at validation, then the lessons recorded, at the amounts of their date."""
    rows = []
    lines = (
        DeclarationLine.objects.filter(
            appointment__person=person,
            declaration__status=DeclarationStatus.VALIDATED,
            declaration__body__academic_year=academic_year,
        )
        .select_related("act", "declaration")
        .order_by("act_date", "pk")
    )
    for line in lines:
        rows.append(
            StatementLine(
                kind=StatementLineKind.ACT,
                source_reference=line.declaration.reference,
                act_code=line.act.code,
                act_label=str(line.act)[:420],
                unit=line.act.unit,
                act_date=line.act_date,
                quantity=line.quantity,
                rate_at_100=line.rate_at_100,
                index_value=line.index_value,
                unit_amount=line.unit_amount,
                line_amount=line.line_amount,
            )
        )
    lessons = list(
        LessonRecord.objects.filter(contract__person=person, contract__academic_year=academic_year)
        .select_related("contract__programme")
        .order_by("lesson_date", "pk")
    )
    acts = {act.code: act for act in Act.objects.filter(code__in={r.contract.rate_code for r in lessons})}
    for record in lessons:
        act = acts.get(record.contract.rate_code)
        rows.append(
            StatementLine(
                kind=StatementLineKind.LESSON,
                source_reference=record.contract.programme.code,
                act_code=record.contract.rate_code,
                act_label=(str(act) if act else record.contract.rate_code)[:420],
                unit=act.unit if act else ActUnit.LESSON,
                act_date=record.lesson_date,
                quantity=Decimal(record.lessons),
                rate_at_100=record.rate_at_100,
                index_value=record.index_value,
                unit_amount=record.unit_amount,
                line_amount=record.line_amount,
            )
        )
    for position, row in enumerate(rows, start=1):
        row.position = position
    return rows
