"""Reference data and demo data of the bts_fees app (called by `manage.py bareme_init`).

The demo goes through the services (checks, audit journal), as the demo accounts would.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from core.demo import LU_BONNEVOIE, LU_ETTELBRUCK
from core.models import School, User

from . import services
from .models import AcademicYear, Act, Programme

DEMO_SHEET = b"%PDF-1.4\n% liste de presence (demonstration)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# First marks of the two written papers of the 2026 admission exam (28 candidates each, BTS-6):
# three marks of 8,5 to 9,9 on paper 1 (9 ; 8,5 ; 9,5), two on paper 2 (9,9 ; 8,5).
ADMISSION_PAPERS = (
    (
        1,
        "written",
        "14 ; 11,5 ; 9 ; 16 ; 12 ; 7,5 ; 13 ; 10 ; 8,5 ; 15 ; 12,5 ; 6 ; 17 ; 11 ; 9,5 ; 13,5 ; 10,5 ; 14,5 ; "
        "12 ; 18 ; 5,5 ; 11 ; 13 ; 15,5 ; 10 ; 12 ; 16,5 ; 14",
    ),
    (
        2,
        "written",
        "12 ; 13,5 ; 9,9 ; 15 ; 11 ; 8 ; 14 ; 10,5 ; 12,5 ; 16 ; 11,5 ; 7 ; 13 ; 8,5 ; 15,5 ; 12 ; 10 ; 14,5 ; "
        "11 ; 17 ; 6,5 ; 12 ; 13 ; 14 ; 10 ; 16,5 ; 11,5 ; 13",
    ),
)


def load_reference(stdout) -> None:
    """The seed-004 rate table (acts and rates at index 100) and the academic years (idempotent)."""
    if not Act.objects.exists():
        call_command("loaddata", "bts_fees__act", "bts_fees__actrate", verbosity=0)
        stdout.write("  bts_fees : barème des actes (vademecum BTS, indice 100) chargé")
    if not AcademicYear.objects.exists():
        call_command("loaddata", "bts_fees__academicyear", verbosity=0)
        stdout.write("  bts_fees : années d'études chargées")


class _Demo:
    def __init__(self, school: School, staff: User, officer: User):
        self.school, self.staff, self.officer = school, staff, officer
        self.acts = {act.code: act for act in Act.objects.all()}
        self.count = 0

    def person(self, last, first, **fields):
        return services.person_save(
            actor=self.staff,
            school=self.school,
            last_name=last,
            first_name=first,
            email=f"{first}.{last}@demo.example.lu".lower().replace(" ", ""),
            **fields,
        )

    def body(self, programme, year, kind, members, **fields):
        body = services.body_create(
            actor=self.staff, school=self.school, programme=programme, academic_year=year, kind=kind, **fields
        )
        appointments = []
        for person, role in members:
            self.count += 1
            appointments.append(
                services.appointment_create(
                    actor=self.staff,
                    body=body,
                    person=person,
                    role=role,
                    valid_from=year.start_date,
                    proposed_on=date(year.start_date.year, 10, 1),
                    order_reference=f"MESR/BTS/{year.start_date.year}/{self.count:03d}",
                    order_date=date(year.start_date.year, 10, 28),
                )
            )
        if members:
            services.body_record_proposals(actor=self.staff, body=body, sent_on=date(year.start_date.year, 10, 1))
        return body, appointments

    def declaration(self, body, label, start, end, lines, *, sheet=True, papers_records=(), **fields):
        declaration = services.declaration_create(
            actor=self.staff, body=body, period_label=label, period_start=start, period_end=end, **fields
        )
        recorded = {
            number: services.exam_paper_record(
                actor=self.staff, declaration=declaration, number=number, kind=kind, first_marks=marks
            )
            for number, kind, marks in papers_records
        }
        for appointment, code, day, quantity, *paper in lines:
            services.declaration_add_line(
                actor=self.staff,
                declaration=declaration,
                appointment=appointment,
                act=self.acts[code],
                act_date=day,
                quantity=quantity,
                paper=recorded[paper[0]] if paper else None,
            )
        if sheet:
            upload = SimpleUploadedFile("liste-presence.pdf", DEMO_SHEET, content_type="application/pdf")
            services.declaration_attach_sheet(actor=self.staff, declaration=declaration, upload=upload)
        return declaration

    def submit(self, declaration):
        return services.declaration_submit(actor=self.staff, declaration=declaration)

    def validate(self, declaration):
        return services.declaration_validate(actor=self.officer, declaration=self.submit(declaration))


def _exam_board_lines(appointments, day):
    return [
        (a, "EXAM_DELIBERATION_COMMISSIONER" if a.role == "commissioner" else "EXAM_DELIBERATION_MEMBER", day, 1)
        for a in appointments
    ]


def _bonnevoie(demo: _Demo, past: AcademicYear, current: AcademicYear | None) -> None:
    info = services.programme_create(
        actor=demo.staff,
        school=demo.school,
        code="BTS-INFO",
        title="BTS Informatique",
        accredited_from=date(2021, 9, 15),
    )
    civil = services.programme_create(
        actor=demo.staff, school=demo.school, code="BTS-GC", title="BTS Génie civil", accredited_from=date(2022, 9, 15)
    )
    p = demo.person
    director = p("Reuter", "Paul", is_director=True)
    deputy = p("Hansen", "Marie")
    commissioner = p("Kremer", "Jean")
    coordinator = p("Thill", "Sophie")
    teachers = [
        p("Wagner", "Luc"),
        p("Schmitz", "Carole"),
        p("Muller", "Tom"),
        p("Becker", "Anne"),
        p("Kieffer", "Marc"),
    ]
    professionals = [
        p("Lentz", "Georges", clq_level=7, has_diploma=True, national_or_benelux_diploma=True),
        p("Nilles", "Sandra"),
    ]
    staff = [p("Weis", "Nadine"), p("Faber", "Claude"), p("Hoffmann", "Lynn"), p("Gloden", "Pierre")]
    secretary = p("Schroeder", "Martine")
    lecturer = p(
        "Da Costa", "Ana", clq_level=7, has_diploma=True, has_registry_entry=True, national_or_benelux_diploma=False
    )
    guest = p("Steffen", "Raoul")

    exam, exam_members = demo.body(
        info,
        past,
        "exam_board",
        [(commissioner, "commissioner"), (deputy, "direction"), (coordinator, "coordinator")]
        + [(t, "teacher") for t in teachers[:4]],
    )
    winter = demo.declaration(
        exam,
        "Semestre d'hiver 2025-2026",
        date(2025, 9, 15),
        date(2026, 2, 28),
        _exam_board_lines(exam_members, date(2026, 2, 10)),
    )
    demo.validate(winter)  # validated: 203,24-type amounts frozen at 968,04
    summer = demo.declaration(
        exam,
        "Semestre d'été 2025-2026",
        date(2026, 3, 1),
        date(2026, 7, 15),
        _exam_board_lines(exam_members, date(2026, 7, 3)),
    )
    demo.submit(summer)  # submitted: the officer's queue

    admission, adm = demo.body(
        info,
        past,
        "admission_committee",
        [(commissioner, "commissioner"), (deputy, "direction")] + [(t, "teacher") for t in teachers[:3]],
    )
    # BTS-6: 28 candidates, two written papers; each paper's first marks give its payable corrections
    # (28 copies + 3 second corrections for marks of 8,5 to 9,9 on paper 1; 28 + 2 on paper 2).
    demo.submit(
        demo.declaration(
            admission,
            "Admission 2026",
            date(2026, 6, 1),
            date(2026, 7, 15),
            [(adm[2], "ADM_QUESTIONNAIRE", date(2026, 6, 2), 1), (adm[3], "ADM_QUESTIONNAIRE", date(2026, 6, 2), 1)]
            + [(a, "ADM_INVIGILATION", date(2026, 6, 20), 3) for a in adm[2:5]]
            + [
                (adm[2], "ADM_CORRECTION_3H", date(2026, 6, 25), 28, 1),
                (adm[3], "ADM_CORRECTION_3H", date(2026, 6, 26), 3, 1),
                (adm[3], "ADM_CORRECTION_3H", date(2026, 6, 25), 28, 2),
                (adm[4], "ADM_CORRECTION_3H", date(2026, 6, 26), 2, 2),
            ]
            + [(a, "ADM_DELIBERATION", date(2026, 7, 2), 1) for a in adm],
            candidates=28,
            papers=2,
            papers_records=ADMISSION_PAPERS,
        )
    )

    group, cg = demo.body(
        info,
        past,
        "curriculum_group",
        [(deputy, "direction"), (coordinator, "coordinator"), (teachers[0], "teacher"), (teachers[1], "teacher")]
        + [(x, "professional") for x in professionals],
        phase="operation",
    )
    # Operating phase: the coordinator (cg[1]) is not paid as a member (seed 004, I.1).
    reopened = demo.validate(
        demo.declaration(
            group,
            "Année d'études 2025-2026",
            past.start_date,
            past.end_date,
            [
                (a, "CG_WORK", date(2026, 3, 12), hours)
                for a, hours in zip(cg[:1] + cg[2:], (6, 8, 8, 4, 4), strict=True)
            ],
        )
    )
    services.declaration_reopen(
        actor=demo.officer,
        declaration=reopened,
        reason="Formulaire récapitulatif des heures à contresigner par le directeur du lycée.",
    )

    thesis, th = demo.body(
        info, past, "thesis_committee", [(teachers[2], "promoter"), (teachers[3], "teacher")], label="TFE Léa Muller"
    )
    rejected = demo.submit(
        demo.declaration(
            thesis,
            "Présentation du TFE",
            date(2026, 6, 1),
            date(2026, 7, 15),
            [(th[0], "THESIS_PROMOTER", date(2026, 6, 26), 1), (th[1], "THESIS_MEMBER", date(2026, 6, 26), 1)],
        )
    )
    services.declaration_reject(
        actor=demo.officer, declaration=rejected, reason="La liste de présence n'est pas signée par le président."
    )

    vae, va = demo.body(
        civil,
        past,
        "vae_committee",
        [(deputy, "direction"), (teachers[3], "teacher"), (teachers[4], "teacher")]
        + [(x, "professional") for x in professionals],
    )
    demo.declaration(
        vae,
        "Dossiers VAE 2026",
        date(2026, 1, 5),
        date(2026, 6, 30),
        [(va[1], "VAE_FILE_READING", date(2026, 3, 3), 2)],
        sheet=False,
    )  # a draft, without its attendance sheet yet

    litigation, lit = demo.body(
        None,
        past,
        "litigation_committee",
        [(deputy, "direction"), (staff[0], "staff"), (staff[1], "staff"), (staff[2], "staff_outside_bts")]
        + [(staff[3], "staff_outside_bts"), (secretary, "secretary")],
        mandate_ends=True,
    )
    demo.validate(
        demo.declaration(
            litigation,
            "Réclamation du 12 mai 2026",
            date(2026, 5, 1),
            date(2026, 5, 31),
            [(a, "LIT_MEETING", date(2026, 5, 12), 1) for a in lit[:4]]
            + [(lit[5], "LIT_MEETING", date(2026, 5, 12), 1)],
        )
    )
    demo.body(info, past, "reasonable_accommodation", [(coordinator, "coordinator"), (director, "member")])
    tutoring, tu = demo.body(info, past, "external_tutor", [(professionals[0], "tutor")])
    demo.declaration(
        tutoring, "Tutorat 2025-2026", past.start_date, past.end_date, [(tu[0], "TUTOR_FOLLOWUP", date(2026, 6, 30), 4)]
    )

    services.conflict_declare(
        actor=demo.staff,
        person=teachers[2],
        programme=info,
        student="Léa Muller",
        relationship="relative",
        declared_on=date(2025, 10, 1),
    )

    # An external lecturer near the 252-lesson cap (across both programmes), and a guest lecturer.
    contracts = [
        services.contract_create(
            actor=demo.staff,
            person=lecturer,
            programme=programme,
            academic_year=past,
            category="external_lecturer",
            subject="Programmation",
            signature_date=date(2025, 9, 10),
            start_date=date(2025, 9, 16),
            ministry_signature_date=date(2025, 9, 12),
        )
        for programme in (info, civil)
    ]
    for week in range(25):  # 10 lessons every Monday (the per-day maximum), alternately in each programme
        day = date(2025, 10, 6) + timedelta(weeks=week)
        services.lesson_record(actor=demo.staff, contract=contracts[week % 2], lesson_date=day, lessons=10)
    guest_contract = services.contract_create(
        actor=demo.staff,
        person=guest,
        programme=info,
        academic_year=past,
        category="guest_lecturer",
        subject="Conférence : sécurité des réseaux industriels",
        signature_date=date(2025, 11, 1),
        start_date=date(2025, 11, 20),
        ministry_signature_date=date(2025, 11, 10),
    )
    for day, lessons in ((date(2025, 11, 20), 6), (date(2025, 11, 27), 6)):
        services.lesson_record(actor=demo.staff, contract=guest_contract, lesson_date=day, lessons=lessons)
    # The lecturer's statement for the year, issued (frozen) by the ministry.
    services.statement_issue(actor=demo.officer, person=lecturer, academic_year=past)

    if current is not None:  # this year's bodies: proposals still to send (BTS-7 on the dashboard)
        services.body_create(
            actor=demo.staff, school=demo.school, programme=info, academic_year=current, kind="exam_board"
        )
        services.body_create(
            actor=demo.staff, school=demo.school, programme=None, academic_year=current, kind="litigation_committee"
        )


def _ettelbruck(demo: _Demo, past: AcademicYear, current: AcademicYear | None) -> None:
    care = services.programme_create(
        actor=demo.staff,
        school=demo.school,
        code="BTS-SOINS",
        title="BTS Soins infirmiers",
        accredited_from=date(2020, 9, 15),
    )
    p = demo.person
    members = [
        (p("Feller", "Jeanne"), "commissioner"),
        (p("Meyer", "Yves"), "direction"),
        (p("Bauer", "Diane"), "coordinator"),
    ] + [
        (p(name, first), "teacher")
        for name, first in (("Schaus", "Eric"), ("Zeimet", "Laura"), ("Goergen", "Tim"), ("Nickels", "Sara"))
    ]
    exam, appointments = demo.body(care, past, "exam_board", members)
    demo.submit(
        demo.declaration(
            exam,
            "Semestre d'hiver 2025-2026",
            date(2025, 9, 15),
            date(2026, 2, 28),
            _exam_board_lines(appointments, date(2026, 2, 5)),
        )
    )
    demo.declaration(
        exam,
        "Semestre d'été 2025-2026",
        date(2026, 3, 1),
        date(2026, 7, 15),
        _exam_board_lines(appointments[:5], date(2026, 7, 2)),
    )
    guest = p("Wirtz", "Alain")
    contract = services.contract_create(
        actor=demo.staff,
        person=guest,
        programme=care,
        academic_year=past,
        category="guest_lecturer",
        subject="Soins palliatifs",
        signature_date=date(2025, 10, 1),
        start_date=date(2025, 10, 6),
        ministry_signature_date=date(2025, 10, 3),
    )
    for day, lessons in ((date(2025, 10, 6), 10), (date(2025, 10, 13), 8)):
        services.lesson_record(actor=demo.staff, contract=contract, lesson_date=day, lessons=lessons)
    if current is not None:
        services.body_create(
            actor=demo.staff, school=demo.school, programme=care, academic_year=current, kind="exam_board"
        )


def load_demo(stdout) -> None:
    """Programmes, people, bodies, declarations in every state and lecturers in two lycées (idempotent)."""
    past = AcademicYear.objects.filter(label="2025-2026").first()
    current = AcademicYear.objects.filter(label="2026-2027").first()
    officer = User.objects.filter(username="agent").first()
    if past is None or officer is None:
        return
    for code, username, build in (
        (LU_BONNEVOIE, "lycee.bonnevoie", _bonnevoie),
        (LU_ETTELBRUCK, "lycee.ettelbruck", _ettelbruck),
    ):
        school = School.objects.filter(code=code).first()
        staff = User.objects.filter(username=username).first()
        if school is None or staff is None or Programme.objects.filter(school=school).exists():
            continue
        build(_Demo(school, staff, officer), past, current)
    stdout.write("  bts_fees : programmes, instances, déclarations et intervenants de démonstration prêts")
