"""The yearly statement of a person, issued once and frozen with the parameters used (its rows are
read in `selectors.statements`)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.models import LuxIndex, User
from core.services import audit_record

from .. import permissions
from ..enums import (
    AuditAction,
    StatementLineKind,
)
from ..models import (
    AcademicYear,
    ActRate,
    Person,
    Statement,
    StatementLine,
)
from ..selectors.statements import statement_rows

# -- statement per person and academic year (issued, frozen) --------------------------------------


def _statement_parameters(person: Person, academic_year: AcademicYear, rows: list[StatementLine]) -> dict:
    """The parameters used, with their sources, stored with an issued statement."""
    indices = sorted({row.index_value for row in rows})
    index_rows = LuxIndex.objects.filter(value__in=indices).order_by("valid_from")
    used_rates = {(row.act_code, row.rate_at_100) for row in rows}
    rate_rows = [
        rate
        for rate in ActRate.objects.filter(act__code__in={code for code, _rate in used_rates})
        .select_related("act")
        .order_by("act__code", "valid_from")
        if (rate.act.code, rate.rate_at_100) in used_rates
    ]
    return {
        "person": str(person),
        "school": person.school.name,
        "academic_year": academic_year.label,
        "index": [
            {
                "value": str(r.value),
                "valid_from": r.valid_from.isoformat(),
                "valid_until": r.valid_until.isoformat() if r.valid_until else None,
                "source": r.source,
            }
            for r in index_rows
        ],
        "rates": [
            {
                "act": r.act.code,
                "rate_at_100": str(r.rate_at_100),
                "valid_from": r.valid_from.isoformat(),
                "valid_until": r.valid_until.isoformat() if r.valid_until else None,
                "source": r.source,
            }
            for r in rate_rows
        ],
        "declarations": sorted({row.source_reference for row in rows if row.kind == StatementLineKind.ACT}),
    }


def _row_key(row: StatementLine) -> tuple:
    return (
        row.kind,
        row.source_reference,
        row.act_code,
        row.act_label,
        row.act_date,
        Decimal(row.quantity),
        Decimal(row.index_value),
        Decimal(row.unit_amount),
        Decimal(row.line_amount),
    )


@transaction.atomic
def statement_issue(*, actor: User, person: Person, academic_year: AcademicYear) -> Statement:
    """Issue the statement of a person's fees for an academic year: its lines and the parameters
    used are stored and never recomputed; its PDF is rendered from that copy. A new issue after a
    change makes a new reference; issuing again with nothing changed (a double submit) returns the
    statement already issued."""
    person = Person.objects.select_for_update().select_related("school").get(pk=person.pk)
    permissions.require_person_scope(actor, person)
    rows = statement_rows(person, academic_year)
    if not rows:
        raise ValidationError(
            _("Aucune indemnité validée ni leçon enregistrée pour %(p)s en %(y)s : il n'y a pas de relevé à émettre.")
            % {"p": person, "y": academic_year.label}
        )
    parameters = _statement_parameters(person, academic_year, rows)
    issued = Statement.objects.filter(person=person, academic_year=academic_year)
    latest = issued.order_by("-number").first()
    if (
        latest is not None
        and latest.parameters == parameters
        and [_row_key(line) for line in latest.lines.order_by("position")] == [_row_key(row) for row in rows]
    ):
        return latest  # nothing changed since the last statement (double submit): no new one
    number = (latest.number if latest else 0) + 1
    lines_total = sum((r.line_amount for r in rows if r.kind == StatementLineKind.ACT), Decimal("0.00"))
    lessons_total = sum((r.line_amount for r in rows if r.kind == StatementLineKind.LESSON), Decimal("0.00"))
    statement = Statement(
        reference=f"BTS-R{person.pk:06d}-{academic_year.label}-{number:02d}",
        person=person,
        academic_year=academic_year,
        number=number,
        issued_at=timezone.now(),
        issued_by=actor,
        parameters=parameters,
        lines_total_amount=lines_total,
        lessons_total_amount=lessons_total,
        total_amount=lines_total + lessons_total,
    )
    statement.full_clean()
    statement.save()
    for row in rows:  # positions are numbered here: the database keeps them unique
        row.statement = statement
        row.full_clean(validate_unique=False, validate_constraints=False)
    bulk_create_with_history(rows, StatementLine, default_user=actor)
    audit_record(
        actor=actor,
        action=AuditAction.STATEMENT_ISSUE,
        obj=statement,
        after={"person": str(person), "academic_year": academic_year.label, "total": str(statement.total_amount)},
    )
    return statement
