"""Scoped querysets of the bts_fees app: every selector takes the user and returns what they may see.

Officers of the BTS scheme see every lycée; lycée staff see their own lycées; others see nothing.
Getting one object outside the scope raises Http404.

Reads and checks that change nothing live in the modules of this package and are reached from it
(`selectors.submission_problems(...)`): `pricing` (the rates and the price of an act, CORE-1, CORE-2,
BTS-1), `quantities` (a quantity checked, its unit in words, caps and per-day maximums, BTS-4),
`line_rules` (the rules of seed 004 a declaration line keeps), `declarations` (what stops a
submission, a body's composition, the attendance sheet, the first marks) and `statements` (a
person's statement as it would be issued). Nothing here writes: the use cases are in `services`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.enums import Country, Scheme
from core.models import LuxIndex
from core.rules import value_in_force
from core.selectors import ReferenceDataMissing, index_in_force, is_officer, schools_for

from .. import rules
from ..enums import ActSection, DeclarationStatus
from ..models import (
    AcademicYear,
    Act,
    ActRate,
    Appointment,
    Body,
    ConflictDeclaration,
    Declaration,
    DeclarationLine,
    LecturerContract,
    LessonRecord,
    Person,
    Programme,
    Statement,
)
from .declarations import (  # noqa: F401
    COMPLETE_TO_SIT,
    MAX_SHEET_BYTES,
    SHEET_SIGNATURES,
    body_kind_is_thesis,
    check_sheet,
    composition_messages,
    composition_problems,
    detect_sheet_type,
    parse_marks,
    submission_problems,
)
from .line_rules import CORRECTION_ACTS, INTERVIEW_ACT, PAPER_ACTS  # noqa: F401
from .pricing import Price, Pricer, rates_in_force  # noqa: F401
from .quantities import MAX_QUANTITY, unit_count, unit_name  # noqa: F401
from .statements import statement_rows  # noqa: F401


def school_list(user):
    """Luxembourg lycées in the user's BTS scope."""
    return schools_for(user, scheme=Scheme.BTS_FEES).filter(country=Country.LUXEMBOURG)


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Élément introuvable.")) from None


def academic_year_list() -> QuerySet[AcademicYear]:
    return AcademicYear.objects.all()


def academic_year_current(on: date | None = None) -> AcademicYear | None:
    on = on or timezone.localdate()
    return AcademicYear.objects.filter(start_date__lte=on, end_date__gte=on).first() or AcademicYear.objects.first()


def programme_list(user) -> QuerySet[Programme]:
    return Programme.objects.filter(school__in=school_list(user)).select_related("school")


def person_list(user) -> QuerySet[Person]:
    return Person.objects.filter(school__in=school_list(user)).select_related("school")


def body_list(user) -> QuerySet[Body]:
    return Body.objects.filter(school__in=school_list(user)).select_related("school", "programme", "academic_year")


def appointment_list(user) -> QuerySet[Appointment]:
    return Appointment.objects.filter(body__school__in=school_list(user)).select_related(
        "person", "body", "body__academic_year"
    )


def declaration_list(user) -> QuerySet[Declaration]:
    return Declaration.objects.filter(body__school__in=school_list(user)).select_related(
        "body", "body__school", "body__programme", "body__academic_year", "decided_by", "submitted_by"
    )


def declaration_list_rows(user) -> QuerySet[Declaration]:
    """The declaration list: only the columns it shows (a page of the regional-scale list stays fast), in one query with the page."""
    from ..tables import DECLARATION_LIST_FIELDS

    return (
        Declaration.objects.filter(body__school__in=school_list(user))
        .select_related("body", "body__school", "body__programme", "body__academic_year")
        .only(*DECLARATION_LIST_FIELDS)
    )


def contract_list(user) -> QuerySet[LecturerContract]:
    return LecturerContract.objects.filter(programme__school__in=school_list(user)).select_related(
        "person", "programme", "programme__school", "academic_year"
    )


def conflict_list(user) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(programme__school__in=school_list(user)).select_related(
        "person", "programme"
    )


def programme_get(user, pk) -> Programme:
    return _get(programme_list(user), pk)


def person_get(user, pk) -> Person:
    return _get(person_list(user), pk)


def body_get(user, pk) -> Body:
    return _get(body_list(user), pk)


def appointment_get(user, pk) -> Appointment:
    return _get(appointment_list(user), pk)


def declaration_get(user, pk) -> Declaration:
    return _get(declaration_list(user), pk)


def contract_get(user, pk) -> LecturerContract:
    return _get(contract_list(user), pk)


def declaration_line_list(declaration: Declaration) -> QuerySet[DeclarationLine]:
    return declaration.lines.select_related("appointment", "appointment__person", "act")


def appointment_list_members(declaration: Declaration) -> QuerySet[Appointment]:
    """BTS-2: the members the declaration form offers: appointed by order to this body."""
    return (
        declaration.body.appointments.exclude(order_reference="")
        .exclude(order_date__isnull=True)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )


def acts_for_body(body: Body) -> QuerySet[Act]:
    return Act.objects.filter(body_kind=body.kind).order_by("position")


def acts_allowed(body: Body) -> dict[int, list[str]]:
    """Act id → roles allowed (for the form's help and checks)."""
    return {act.pk: act.allowed_roles for act in acts_for_body(body)}


# -- rate table (public) -------------------------------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    act: Act
    rate_at_100: Decimal | None
    valid_from: date | None
    source: str
    amount: Decimal | None


def rate_table(on: date) -> dict:
    """BTS-1: every act with its rate at index 100 in force on `on` and its value at the index."""
    try:
        index = index_in_force(on)
    except ReferenceDataMissing as exc:
        index, missing = None, str(exc)
    else:
        missing = ""
    rates = defaultdict(list)
    for rate in ActRate.objects.in_force(on=on):
        rates[rate.act_id].append((rate.valid_from, rate.valid_until, rate))
    sections: dict[str, list[RateRow]] = {ActSection.JURIES: [], ActSection.EXTERNAL: []}
    for act in Act.objects.order_by("section", "position"):
        rate = value_in_force(rates.get(act.pk, []), on)
        amount = rules.unit_amount(rate.rate_at_100, index.value) if (rate and index) else None
        sections.setdefault(act.section, []).append(
            RateRow(
                act=act,
                rate_at_100=rate.rate_at_100 if rate else None,
                valid_from=rate.valid_from if rate else None,
                source=rate.source if rate else "",
                amount=amount,
            )
        )
    return {
        "on": on,
        "index": index,
        "missing": missing,
        "juries": sections[ActSection.JURIES],
        "external": sections[ActSection.EXTERNAL],
    }


# -- statement per person and academic year --------------------------------------------------------


@dataclass
class StatementPreview:
    """What a statement would hold today (on screen only: an issued statement is `models.Statement`)."""

    person: Person
    academic_year: AcademicYear
    lines: list = field(default_factory=list)
    lessons: list = field(default_factory=list)
    lines_total: Decimal = Decimal("0.00")
    lessons_total: Decimal = Decimal("0.00")

    @property
    def total(self) -> Decimal:
        return self.lines_total + self.lessons_total


def statement_preview(user, person: Person, academic_year: AcademicYear) -> StatementPreview:
    """Fees due to a person for an academic year as they stand: validated declaration lines (frozen
    amounts) and recorded lessons. `person` must come from `person_get(user, …)`."""
    lines = list(
        DeclarationLine.objects.filter(
            appointment__person=person,
            declaration__status=DeclarationStatus.VALIDATED,
            declaration__body__academic_year=academic_year,
            declaration__body__school__in=school_list(user),
        )
        .select_related("act", "appointment", "declaration", "declaration__body", "declaration__body__programme")
        .order_by("act_date", "pk")
    )
    lessons = list(
        LessonRecord.objects.filter(
            contract__person=person,
            contract__academic_year=academic_year,
            contract__programme__school__in=school_list(user),
        )
        .select_related("contract", "contract__programme")
        .order_by("lesson_date", "pk")
    )
    return StatementPreview(
        person=person,
        academic_year=academic_year,
        lines=lines,
        lessons=lessons,
        lines_total=sum((line.line_amount for line in lines), Decimal("0.00")),
        lessons_total=sum((lesson.line_amount for lesson in lessons), Decimal("0.00")),
    )


def statement_list(user) -> QuerySet[Statement]:
    """Issued statements of the people in the user's scope."""
    return Statement.objects.filter(person__school__in=school_list(user)).select_related(
        "person", "academic_year", "issued_by"
    )


def statement_get(user, pk) -> Statement:
    return _get(statement_list(user).prefetch_related("lines"), pk)


# -- yearly summary per programme and lycée ----------------------------------------------------------


def yearly_summary(user, academic_year: AcademicYear) -> list[dict]:
    """Validated fees and recorded lessons per programme (sums in Python: Decimal, never SQL floats)."""
    rows: dict[tuple, dict] = {}

    def row(school, programme):
        key = (school.pk, programme.pk if programme else None)
        if key not in rows:
            rows[key] = {
                "school": school.name,
                "programme": str(programme) if programme else _("commune au lycée"),
                "declarations": 0,
                "declarations_amount": Decimal("0.00"),
                "lessons": 0,
                "lessons_amount": Decimal("0.00"),
            }
        return rows[key]

    validated = (
        declaration_list(user)
        .filter(body__academic_year=academic_year, status=DeclarationStatus.VALIDATED)
        .select_related("body__school", "body__programme")
    )
    for declaration in validated:
        r = row(declaration.body.school, declaration.body.programme)
        r["declarations"] += 1
        r["declarations_amount"] += declaration.total_amount or Decimal("0.00")
    lessons = LessonRecord.objects.filter(
        contract__academic_year=academic_year, contract__programme__school__in=school_list(user)
    ).select_related("contract__programme__school", "contract__programme")
    for lesson in lessons:
        r = row(lesson.contract.programme.school, lesson.contract.programme)
        r["lessons"] += lesson.lessons
        r["lessons_amount"] += lesson.line_amount
    result = sorted(rows.values(), key=lambda r: (r["school"], r["programme"]))
    for r in result:
        r["total_amount"] = r["declarations_amount"] + r["lessons_amount"]
    return result


# -- dashboard -----------------------------------------------------------------------------------


def proposals_due(user, on: date | None = None) -> list[dict]:
    """BTS-7: bodies of the current academic year whose proposals are not sent: due or late."""
    on = on or timezone.localdate()
    year = academic_year_current(on)
    if year is None:
        return []
    result = []
    for body in body_list(user).filter(academic_year=year, proposals_sent_on__isnull=True):
        deadline = body.proposal_deadline
        if deadline is not None:
            result.append({"body": body, "deadline": deadline, "late": on > deadline})
    return sorted(result, key=lambda r: r["deadline"])


def dashboard(user) -> dict | None:
    """Data for this app's section of the user's home page (None: no section for this user)."""
    officer = is_officer(user, Scheme.BTS_FEES)
    if not officer and not school_list(user).exists():
        return None
    counts = dict(declaration_list(user).values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "officer": officer,
        "counts": {status: counts.get(status, 0) for status in DeclarationStatus.values},
        "status_labels": dict(DeclarationStatus.choices),
        "to_validate": counts.get(DeclarationStatus.SUBMITTED, 0),
        "drafts": sum(counts.get(s, 0) for s in ("draft", "rejected", "reopened")),
        "proposals": [] if officer else proposals_due(user),
    }


def latest_index() -> LuxIndex | None:
    return LuxIndex.objects.order_by("-valid_from").first()
