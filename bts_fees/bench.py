"""Benchmark provider of the bts_fees app (the regional-scale scenarios; interface in `core/bench.py`).

`generate("full")`: 2 000 submitted declarations of 10 lines each (20 000 lines) in 20 lycées,
40 programmes and 80 thesis committees of 4 appointed members (promoter, two teachers, a
professional); each committee declares one session a week (5 students, promoter and one other
member for each). `generate("small")`: a tenth of that (the first 200 declarations, over every
committee). The officers' list then has 40 pages of 50 rows (4 at the small scale): the pages timed
are page 1 and the last page, not a page 1 000 (which would need 50 000 declarations).

Idempotent: rows already there (recognised by their natural key) are skipped. Bench rows are
written with plain `bulk_create` and carry no history nor audit events: `bulk_create_with_history`
doubles the writes, and no benchmark reads the history. Amounts are priced with the same `Pricer`
as the services (rate and index in force on each act's date).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.bench import ListPage
from core.enums import Country
from core.models import School, User

from .enums import BodyKind, DeclarationStatus, MemberRole
from .models import (
    AcademicYear,
    Act,
    Appointment,
    Body,
    Declaration,
    DeclarationLine,
    Person,
    Programme,
)

OFFICER_USERNAME = "bench.officer"  # created by the harness (officer of every scheme)
SCALES = {"full": 2_000, "small": 200}
LINES_PER_DECLARATION = 10
SCHOOLS = 20
PROGRAMMES_PER_SCHOOL = 2
COMMITTEES_PER_PROGRAMME = 2
PER_PAGE = 50
ONE_PAGE_LINES = 10  # acts of a statement that fits on one page (harness check)
YEAR_LABEL = "2025-2026"
SHEET_NAME = "bts_fees/attendance/bench-liste-presence.pdf"
SHEET_BYTES = b"%PDF-1.4\n% liste de presence (banc)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MEMBERS = (MemberRole.PROMOTER, MemberRole.TEACHER, MemberRole.TEACHER, MemberRole.PROFESSIONAL)
_LAST_NAMES = ["Muller", "Schmit", "Weber", "Wagner", "Hoffmann", "Klein", "Thill", "Reuter", "Kieffer", "Schroeder"]
_FIRST_NAMES = ["Léa", "Noah", "Emma", "Luca", "Mia", "Ben", "Lara", "Tom", "Zoé", "Max"]


def _log(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(f"    bts_fees (banc) : {message}")


def _school_code(i: int) -> str:
    return f"LU-BTSB-{i:02d}"


def _bulk(model, objects, stdout, label: str) -> list:
    created = []
    for start in range(0, len(objects), 2_000):
        with transaction.atomic():
            created += model.objects.bulk_create(objects[start : start + 2_000])
    if objects:
        _log(stdout, f"{len(objects)} {label} créé(e)s")
    return created


def _committees(stdout, year: AcademicYear) -> list[tuple[Body, list[Appointment]]]:
    """The 80 thesis committees with their 4 appointed members (created when missing)."""
    schools = []
    for i in range(1, SCHOOLS + 1):
        school, _ = School.objects.get_or_create(
            code=_school_code(i),
            defaults={"name": f"Lycée BTS de banc {i:02d}", "country": Country.LUXEMBOURG, "sector": "lu_public"},
        )
        schools.append(school)
    programmes = []
    for school in schools:
        for p in range(1, PROGRAMMES_PER_SCHOOL + 1):
            programme, _ = Programme.objects.get_or_create(
                school=school,
                code=f"BTS-B{p}",
                defaults={"title": f"BTS de banc {p}", "accredited_from": date(2020, 9, 15)},
            )
            programmes.append(programme)
    emails = {
        f"bench{s:02d}.{n}@bench.example.lu": (school, n)
        for s, school in enumerate(schools, 1)
        for n in range(len(MEMBERS) * PROGRAMMES_PER_SCHOOL * COMMITTEES_PER_PROGRAMME)
    }
    present = set(Person.objects.filter(email__in=list(emails)).values_list("email", flat=True))
    _bulk(
        Person,
        [
            Person(
                school=school,
                last_name=f"{_LAST_NAMES[n % 10]}{school.pk}",
                first_name=_FIRST_NAMES[n // 10 % 10] + str(n),
                email=email,
                clq_level=6,
                has_diploma=True,
                national_or_benelux_diploma=True,
            )
            for email, (school, n) in emails.items()
            if email not in present
        ],
        stdout,
        "personnes",
    )
    people = {p.email: p for p in Person.objects.filter(email__in=list(emails))}
    result = []
    for programme in programmes:
        s = schools.index(programme.school) + 1
        p = int(programme.code[-1]) - 1
        for c in range(COMMITTEES_PER_PROGRAMME):
            body, created = Body.objects.get_or_create(
                school=programme.school,
                programme=programme,
                academic_year=year,
                kind=BodyKind.THESIS_COMMITTEE,
                label=f"Jury TFE {c + 1}",
                defaults={"proposals_sent_on": date(2025, 10, 1)},
            )
            first = (p * COMMITTEES_PER_PROGRAMME + c) * len(MEMBERS)
            if created or not body.appointments.exists():
                Appointment.objects.bulk_create(
                    [
                        Appointment(
                            body=body,
                            person=people[f"bench{s:02d}.{first + k}@bench.example.lu"],
                            role=role,
                            valid_from=year.start_date,
                            valid_until=year.end_date,
                            proposed_on=date(2025, 10, 1),
                            order_reference=f"MESR/BTS/BANC/{body.pk}/{k}",
                            order_date=date(2025, 10, 28),
                        )
                        for k, role in enumerate(MEMBERS)
                    ]
                )
            result.append((body, list(body.appointments.order_by("pk"))))
    return result


def generate(scale: str, stdout) -> None:
    from .selectors import Pricer

    total = SCALES[scale]
    year = AcademicYear.objects.get(label=YEAR_LABEL)
    committees = _committees(stdout, year)
    if not default_storage.exists(SHEET_NAME):  # one attendance sheet shared by the bench rows
        default_storage.save(SHEET_NAME, ContentFile(SHEET_BYTES))
    digest = hashlib.sha256(SHEET_BYTES).hexdigest()
    acts = {act.code: act for act in Act.objects.filter(code__in=["THESIS_PROMOTER", "THESIS_MEMBER"])}
    pricer = Pricer([act.pk for act in acts.values()])
    existing = set(
        Declaration.objects.filter(body__in=[body for body, _ in committees]).values_list("body_id", "period_start")
    )
    first_monday = year.start_date + timedelta(days=(7 - year.start_date.weekday()) % 7)
    planned = []  # (declaration, its lines' arguments)
    for i in range(total):
        body, members = committees[i % len(committees)]
        week = i // len(committees)
        start = first_monday + timedelta(weeks=week)
        if (body.pk, start) in existing:
            continue
        submitted_at = timezone.make_aware(datetime.combine(start + timedelta(days=5), datetime.min.time()))
        declaration = Declaration(
            body=body,
            period_label=f"Soutenances TFE, semaine {week + 1}",
            period_start=start,
            period_end=start + timedelta(days=4),
            status=DeclarationStatus.SUBMITTED,
            attendance_sheet=SHEET_NAME,
            attendance_sheet_name="liste-presence.pdf",
            attendance_sheet_type="application/pdf",
            attendance_sheet_sha256=digest,
            submitted_at=submitted_at,
        )
        lines = []
        for k in range(LINES_PER_DECLARATION):
            student = f"Étudiant {week + 1}.{k // 2 + 1}"
            appointment = members[0] if k % 2 == 0 else members[1 + (k // 2) % 3]
            act = acts["THESIS_PROMOTER"] if k % 2 == 0 else acts["THESIS_MEMBER"]
            day = start + timedelta(days=k // 2 % 5)
            lines.append((appointment, act, day, student))
        planned.append((declaration, lines))
    if not planned:
        return
    for start in range(0, len(planned), 500):
        chunk = planned[start : start + 500]
        with transaction.atomic():
            declarations = []
            for declaration, lines in chunk:
                declaration.total_amount = sum(
                    (pricer.price(act_id=act.pk, on=day, quantity=1).line_amount for _, act, day, _ in lines),
                    Decimal("0.00"),
                )
                declarations.append(declaration)
            Declaration.objects.bulk_create(declarations)
            if any(d.pk is None for d in declarations):  # a database without RETURNING: read them back
                ids = dict(
                    Declaration.objects.filter(
                        body__in=[d.body_id for d in declarations],
                        period_start__in=[d.period_start for d in declarations],
                    ).values_list("body_id", "period_start", "pk")
                )
                for d in declarations:
                    d.pk = ids[(d.body_id, d.period_start)]
            rows = []
            for declaration, lines in chunk:
                for appointment, act, day, student in lines:
                    price = pricer.price(act_id=act.pk, on=day, quantity=1)
                    rows.append(
                        DeclarationLine(
                            declaration_id=declaration.pk,
                            appointment=appointment,
                            act=act,
                            act_date=day,
                            quantity=Decimal("1.00"),
                            student=student,
                            rate_at_100=price.rate_at_100,
                            index_value=price.index_value,
                            unit_amount=price.unit_amount,
                            line_amount=price.line_amount,
                        )
                    )
            DeclarationLine.objects.bulk_create(rows, batch_size=2_000)
    _log(stdout, f"{len(planned)} déclarations soumises de {LINES_PER_DECLARATION} lignes créées")


def _last_page(count: int) -> int:
    return max(1, math.ceil(count / PER_PAGE))


def list_pages() -> list[ListPage]:
    """The officers' list of submitted declarations: page 1 and the last page, without a filter
    (status only) and filtered by lycée and academic year as well."""
    from . import selectors

    url = reverse("bts_fees:declaration_list")
    officer = User.objects.get(username=OFFICER_USERNAME)
    year = AcademicYear.objects.get(label=YEAR_LABEL)
    school = School.objects.get(code=_school_code(1))
    submitted = selectors.declaration_list_rows(officer).filter(status=DeclarationStatus.SUBMITTED)
    narrowed = submitted.filter(body__school=school, body__academic_year=year)
    pages = []
    for label, query, qs in (
        ("soumises", "status=submitted", submitted),
        ("soumises filtrées (lycée, année)", f"status=submitted&school={school.pk}&academic_year={year.pk}", narrowed),
    ):
        last = _last_page(qs.count())
        pages.append(ListPage(f"déclarations BTS {label} p. 1", f"{url}?{query}&page=1", OFFICER_USERNAME))
        pages.append(ListPage(f"déclarations BTS {label} p. {last}", f"{url}?{query}&page={last}", OFFICER_USERNAME))
    return pages


def _synthetic_statement(lines: int):
    """An unsaved issued statement of a person for an academic year with `lines` validated acts."""
    from .enums import StatementLineKind
    from .models import Statement, StatementLine

    rows = []
    for k in range(lines):
        index = Decimal("968.04") if k < lines // 2 else Decimal("992.24")
        rate = Decimal("35.1900") if k % 2 == 0 else Decimal("11.7400")
        unit = (rate * index / 100).quantize(Decimal("0.01"))
        rows.append(
            StatementLine(
                position=k + 1,
                kind=StatementLineKind.ACT,
                source_reference=f"BTS-D{1000 + k // 10:06d}",
                act_code="THESIS_PROMOTER" if k % 2 == 0 else "THESIS_MEMBER",
                act_label="Promoteur d'un travail de fin d'études (par étudiant)"
                if k % 2 == 0
                else "Membre de la commission TFE (par étudiant)",
                unit="student",
                act_date=date(2025, 9, 15) + timedelta(days=k % 360),
                quantity=Decimal("1.00"),
                rate_at_100=rate,
                index_value=index,
                unit_amount=unit,
                line_amount=unit,
            )
        )
    total = sum((r.line_amount for r in rows), Decimal("0.00"))
    statement = Statement(
        reference=f"BTS-R000001-{YEAR_LABEL}-01",
        number=1,
        issued_at=timezone.now(),
        parameters={"person": "WAGNER Luc", "school": "Lycée technique de Bonnevoie", "academic_year": YEAR_LABEL},
        lines_total_amount=total,
        lessons_total_amount=Decimal("0.00"),
        total_amount=total,
    )
    return statement, rows


def statement(lines: int) -> Callable[[], bytes]:
    """The statement per person and academic year (PDF) with `lines` acts, through the production
    template and `core.pdf.render_pdf` (built in memory, nothing is saved)."""
    from .pdf import render_statement

    stmt, rows = _synthetic_statement(lines)
    return lambda: render_statement(stmt, rows)
