"""A BTS year in the life of a lycée (2024-2025), every amount to the cent against figures computed
by hand below from seed 004 (rates at index 100, section I.10 and II) and CORE-1/CORE-2.

Index in force (CORE-2): 944,43 until 30/04/2025, 968,04 from 01/05/2025 — a change mid-year; each
act is priced at the index of its own date. Unit values are rounded to the cent before the quantity
(CORE-1). Unit values used below:

  act (ni 100)                     at 944,43                   at 968,04
  curriculum group 7,82 /h         7,82 × 9,4443 = 73,85       7,82 × 9,6804 = 75,70
  questionnaire 8,32               —                           8,32 × 9,6804 = 80,54
  invigilation 1,57 /h             —                           1,57 × 9,6804 = 15,20
  correction 3 h 0,85              —                           0,85 × 9,6804 = 8,23
  interview 11,74 /h               —                           11,74 × 9,6804 = 113,65
  deliberation 7,82                73,85                       75,70
  exam commissioner 21,52          21,52 × 9,4443 = 203,24     21,52 × 9,6804 = 208,32
  promoter 35,19                   (332,34, rules)              35,19 × 9,6804 = 340,65
  thesis member 11,74              —                           113,65
  litigation decision 7,82         73,85                       —
  tutor 20,86 per student          —                           20,86 × 9,6804 = 201,93
  VAE dossier 18,75                18,75 × 9,4443 = 177,08     —
  lesson CLQ 7 12,07               12,07 × 9,4443 = 113,99     12,07 × 9,6804 = 116,84
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from bts_fees import selectors, services
from bts_fees.models import Act, ActRate, Statement
from tests.core.test_views import pdf_text
from tests.factories import add_period

from .conftest import sheet
from .factories import appoint, make_body, make_person, make_programme

pytestmark = pytest.mark.django_db


def _line(staff, declaration, appointment, code, day, quantity, **kwargs):
    return services.declaration_add_line(
        actor=staff,
        declaration=declaration,
        appointment=appointment,
        act=Act.objects.get(code=code),
        act_date=day,
        quantity=quantity,
        **kwargs,
    )


def _declaration(staff, body, label, start, end, **kwargs):
    return services.declaration_create(
        actor=staff, body=body, period_label=label, period_start=start, period_end=end, **kwargs
    )


def _validate(staff, officer, declaration):
    services.declaration_attach_sheet(actor=staff, declaration=declaration, upload=sheet())
    submitted = services.declaration_submit(actor=staff, declaration=declaration)
    return services.declaration_validate(actor=officer, declaration=submitted)


def test_a_bts_year_in_the_life(school_a, staff_a, officer, year):
    staff = staff_a
    info = make_programme(school_a, code="BTS-INFO", title="BTS Informatique")  # accredited: operating phase
    energy = make_programme(school_a, code="BTS-ENR", title="BTS Énergies renouvelables")  # being accredited
    energy.accredited_from = None
    energy.admissibility_notified_on = date(2024, 6, 17)  # accreditation work until 16/06/2026
    energy.save()
    p = {name: make_person(school_a, last_name=name) for name in (
        "Kremer", "Hansen", "Thill", "Wagner", "Schmitz", "Muller", "Becker", "Lentz", "Nilles",
        "Faber", "Bauer", "Kieffer", "Weis", "Hoffmann", "Gloden", "Majerus", "Schroeder", "Reuter",
    )}  # fmt: skip
    p["Reuter"].is_director = True
    p["Reuter"].save()
    lecturer = make_person(school_a, last_name="DaCosta", clq_level=7, has_diploma=True, has_registry_entry=True)

    # -- accreditation phase (BTS-ENR): the coordinator is paid as a member -----------------------
    group_new = make_body(energy, year, "curriculum_group", phase="accreditation")
    d2, c2, x1 = (
        appoint(group_new, p["Faber"], "direction"),
        appoint(group_new, p["Bauer"], "coordinator"),
        appoint(group_new, p["Lentz"], "professional"),
    )
    accreditation = _declaration(staff, group_new, "Accréditation 2024-2025", year.start_date, year.end_date)
    _line(staff, accreditation, c2, "CG_WORK", date(2024, 11, 12), 8)  # 73,85 × 8 = 590,80
    _line(staff, accreditation, d2, "CG_WORK", date(2025, 5, 20), 6)  # 75,70 × 6 = 454,20
    _line(staff, accreditation, x1, "CG_WORK", date(2025, 5, 20), D("7.5"))  # 75,70 × 7,5 = 567,75
    accreditation = _validate(staff, officer, accreditation)
    assert accreditation.total_amount == D("1612.75")  # 590,80 + 454,20 + 567,75

    # -- operating phase (BTS-INFO): the coordinator is not paid for curriculum-group work -------
    group = make_body(info, year, "curriculum_group", phase="operation")
    _direction, c1, t1, t2 = (
        appoint(group, p["Hansen"], "direction"),
        appoint(group, p["Thill"], "coordinator"),
        appoint(group, p["Wagner"], "teacher"),
        appoint(group, p["Schmitz"], "teacher"),
    )
    operation = _declaration(staff, group, "Fonctionnement 2024-2025", year.start_date, year.end_date)
    _line(staff, operation, t1, "CG_WORK", date(2024, 10, 8), 10)  # 73,85 × 10 = 738,50
    _line(staff, operation, t2, "CG_WORK", date(2025, 6, 3), 4)  # 75,70 × 4 = 302,80
    with pytest.raises(ValidationError, match="jamais pendant le fonctionnement"):
        _line(staff, operation, c1, "CG_WORK", date(2025, 6, 3), 10)
    operation = _validate(staff, officer, operation)
    assert operation.total_amount == D("1041.30")  # 738,50 + 302,80

    # -- admission: 12 candidates, a written paper and an interview (BTS-6), one final deliberation --
    admission = make_body(info, year, "admission_committee")
    k, a_d1, a_t1, a_t2, a_t3 = (
        appoint(admission, p[name], role)
        for name, role in (
            ("Kremer", "commissioner"),
            ("Hansen", "direction"),
            ("Wagner", "teacher"),
            ("Schmitz", "teacher"),
            ("Muller", "teacher"),
        )
    )
    exam = _declaration(
        staff, admission, "Admission 2025", date(2025, 5, 1), date(2025, 7, 15), candidates=12, papers=2
    )
    written = services.exam_paper_record(
        actor=staff,
        declaration=exam,
        number=1,
        kind="written",
        first_marks="7 ; 8,5 ; 9 ; 9,9 ; 10 ; 11 ; 12 ; 12,5 ; 13 ; 14 ; 15 ; 16",
    )
    assert written.payable_corrections == 15  # 12 copies + 3 marks of 8,5 to 9,9 (8,5 ; 9 ; 9,9)
    interview = services.exam_paper_record(actor=staff, declaration=exam, number=2, kind="interview", first_marks="")
    _line(staff, exam, a_t1, "ADM_QUESTIONNAIRE", date(2025, 5, 15), 1)  # 80,54
    _line(staff, exam, a_t1, "ADM_INVIGILATION", date(2025, 6, 10), 3)  # 15,20 × 3 = 45,60
    _line(staff, exam, a_t2, "ADM_INVIGILATION", date(2025, 6, 10), 3)  # 45,60 (2 invigilators for 12)
    _line(staff, exam, a_t2, "ADM_ORAL", date(2025, 6, 11), D("2.5"), paper=interview)  # 113,65 × 2,5 = 284,13
    _line(staff, exam, a_t3, "ADM_ORAL", date(2025, 6, 11), D("2.5"), paper=interview)  # 284,13
    _line(staff, exam, a_t1, "ADM_CORRECTION_3H", date(2025, 6, 12), 12, paper=written)  # 8,23 × 12 = 98,76
    _line(staff, exam, a_t3, "ADM_CORRECTION_3H", date(2025, 6, 13), 3, paper=written)  # 8,23 × 3 = 24,69
    for member in (k, a_d1, a_t1, a_t2, a_t3):  # the single yearly payment: 75,70 each
        _line(staff, exam, member, "ADM_DELIBERATION", date(2025, 7, 2), 1)
    exam = _validate(staff, officer, exam)
    # 80,54 + 2 × 45,60 + 2 × 284,13 + 98,76 + 24,69 + 5 × 75,70 = 1 241,95
    assert exam.total_amount == D("1241.95")
    complement = _declaration(staff, admission, "Admission, session complémentaire", date(2025, 7, 16), year.end_date)
    with pytest.raises(ValidationError, match="une seule fois par année d'études"):
        _line(staff, complement, a_t1, "ADM_DELIBERATION", date(2025, 9, 1), 1)

    # -- exam board: one deliberation per session; a rate entered mid-year (CORE-2) ---------------
    board = make_body(info, year, "exam_board")
    members = [
        appoint(board, p[name], role)
        for name, role in (
            ("Kremer", "commissioner"),
            ("Hansen", "direction"),
            ("Thill", "coordinator"),
            ("Wagner", "teacher"),
            ("Schmitz", "teacher"),
            ("Muller", "teacher"),
            ("Becker", "teacher"),
        )
    ]

    def deliberation(declaration, day):
        for member in members:
            code = "EXAM_DELIBERATION_COMMISSIONER" if member.role == "commissioner" else "EXAM_DELIBERATION_MEMBER"
            _line(staff, declaration, member, code, day, 1)

    winter = _declaration(staff, board, "Semestre d'hiver", date(2024, 9, 15), date(2025, 2, 28))
    deliberation(winter, date(2025, 2, 5))
    winter = _validate(staff, officer, winter)
    assert winter.total_amount == D("646.34")  # 203,24 + 6 × 73,85
    summer = _declaration(staff, board, "Semestre d'été", date(2025, 3, 1), date(2025, 7, 15))
    deliberation(summer, date(2025, 7, 4))
    assert sum(summer.lines.values_list("line_amount", flat=True)) == D("662.52")  # 208,32 + 6 × 75,70
    # An amended rate for the members' deliberation, 8,00 from 1 July 2025 (entered by an officer):
    # the validated winter session does not move; the summer session is priced at submission with
    # the rate in force on its act's date: 8,00 × 9,6804 = 77,44.
    add_period(
        ActRate(
            act=Act.objects.get(code="EXAM_DELIBERATION_MEMBER"),
            valid_from=date(2025, 7, 1),
            rate_at_100="8.00",
            source="Taux modifié au 1er juillet 2025 (exemple du scénario)",
        )
    )
    winter.refresh_from_db()
    assert winter.total_amount == D("646.34")
    assert set(winter.lines.values_list("index_value", flat=True)) == {D("944.43")}
    resit = _declaration(staff, board, "Délibération complémentaire", date(2025, 7, 1), date(2025, 7, 31))
    with pytest.raises(ValidationError, match="une seule fois par session"):
        _line(staff, resit, members[3], "EXAM_DELIBERATION_MEMBER", date(2025, 7, 10), 1)

    # -- thesis committee: a teaching promoter and a professional ---------------------------------
    thesis = make_body(info, year, "thesis_committee", label="TFE Léa")
    promoter = services.appointment_create(
        actor=staff,
        body=thesis,
        person=p["Becker"],
        role="promoter",
        valid_from=year.start_date,
        order_reference="MESR/TFE/2024/1",
        order_date=date(2024, 10, 20),
        teaches_in_programme=True,
    )
    reader = appoint(thesis, p["Nilles"], "professional")
    presentation = _declaration(staff, thesis, "Présentation du TFE", date(2025, 6, 1), date(2025, 7, 15))
    _line(staff, presentation, promoter, "THESIS_PROMOTER", date(2025, 6, 26), 1, student="Léa Muller")  # 340,65
    _line(staff, presentation, reader, "THESIS_MEMBER", date(2025, 6, 26), 1, student="Léa Muller")  # 113,65
    assert _validate(staff, officer, presentation).total_amount == D("454.30")

    # -- litigation committee of the lycée: one decision, four voting members and the secretary -----
    litigation = make_body(info, year, "litigation_committee")
    with pytest.raises(ValidationError, match="directeur du lycée"):
        services.appointment_create(
            actor=staff, body=litigation, person=p["Reuter"], role="direction", valid_from=year.start_date
        )
    sitting = [
        appoint(litigation, p[name], role)
        for name, role in (
            ("Kieffer", "direction"),
            ("Weis", "staff"),
            ("Hoffmann", "staff"),
            ("Gloden", "staff_outside_bts"),
            ("Majerus", "staff_outside_bts"),
            ("Schroeder", "secretary"),
        )
    ]
    claim = _declaration(staff, litigation, "Réclamation du 18 mars", date(2025, 3, 1), date(2025, 3, 31))
    for member in sitting[:3] + sitting[4:]:  # four voting members (one staff absent) and the secretary
        _line(staff, claim, member, "LIT_MEETING", date(2025, 3, 18), 1)
    assert _validate(staff, officer, claim).total_amount == D("369.25")  # 5 × 73,85

    # -- external tutor: the yearly rate per student, once a year -----------------------------------
    tutoring = make_body(info, year, "external_tutor")
    tutor = appoint(tutoring, p["Lentz"], "tutor")
    follow_up = _declaration(staff, tutoring, "Tutorat 2024-2025", year.start_date, year.end_date)
    _line(staff, follow_up, tutor, "TUTOR_FOLLOWUP", date(2025, 6, 30), 3)  # 201,93 × 3 = 605,79
    assert _validate(staff, officer, follow_up).total_amount == D("605.79")
    again = _declaration(staff, tutoring, "Tutorat, complément", date(2025, 7, 1), date(2025, 7, 31))
    with pytest.raises(ValidationError, match="une seule fois par année d'études"):
        _line(staff, again, tutor, "TUTOR_FOLLOWUP", date(2025, 7, 15), 1)

    # -- VAE committee: dossiers in whole numbers -------------------------------------------------
    vae = make_body(info, year, "vae_committee")
    v_t1 = appoint(vae, p["Wagner"], "teacher")
    files = _declaration(staff, vae, "Dossiers VAE", date(2025, 1, 1), date(2025, 1, 31))
    with pytest.raises(ValidationError, match="nombre entier"):
        _line(staff, files, v_t1, "VAE_FILE_READING", date(2025, 1, 15), D("2.5"))
    _line(staff, files, v_t1, "VAE_FILE_READING", date(2025, 1, 15), 2)  # 177,08 × 2 = 354,16
    assert _validate(staff, officer, files).total_amount == D("354.16")

    # -- an external lecturer (CLQ 7), signed by the ministry before the first lesson ---------------
    contract = services.contract_create(
        actor=staff,
        person=lecturer,
        programme=info,
        academic_year=year,
        category="external_lecturer",
        subject="Réseaux",
        signature_date=date(2024, 9, 20),
        start_date=date(2024, 10, 1),
        ministry_signature_date=date(2024, 9, 27),
    )
    assert services.lesson_record(
        actor=staff, contract=contract, lesson_date=date(2024, 10, 7), lessons=10
    ).line_amount == D("1139.90")  # 113,99 × 10
    assert services.lesson_record(
        actor=staff, contract=contract, lesson_date=date(2025, 5, 12), lessons=6
    ).line_amount == D("701.04")  # 116,84 × 6

    # -- Wagner's statement, issued, then reissued once the summer session is validated -------------
    # 738,50 (curriculum group) + 80,54 + 45,60 + 98,76 + 75,70 (admission) + 73,85 (winter board)
    # + 354,16 (VAE) = 1 467,11
    first = services.statement_issue(actor=officer, person=p["Wagner"], academic_year=year)
    assert (first.reference, first.total_amount) == (f"BTS-R{p['Wagner'].pk:06d}-2024-2025-01", D("1467.11"))
    assert [(line.act_date, line.line_amount) for line in first.lines.order_by("position")] == [
        (date(2024, 10, 8), D("738.50")),
        (date(2025, 1, 15), D("354.16")),
        (date(2025, 2, 5), D("73.85")),
        (date(2025, 5, 15), D("80.54")),
        (date(2025, 6, 10), D("45.60")),
        (date(2025, 6, 12), D("98.76")),
        (date(2025, 7, 2), D("75.70")),
    ]
    assert services.statement_issue(actor=officer, person=p["Wagner"], academic_year=year) == first  # no change

    summer = _validate(staff, officer, summer)
    assert summer.total_amount == D("672.96")  # 208,32 + 6 × 77,44 (the rate in force on 04/07/2025)
    second = services.statement_issue(actor=officer, person=p["Wagner"], academic_year=year)
    assert second.reference.endswith("-02") and second.total_amount == D("1544.55")  # 1 467,11 + 77,44
    first.refresh_from_db()
    assert first.total_amount == D("1467.11") and first.lines.count() == 7
    first_pdf = pdf_text(services_pdf(first))
    assert "1 467,11 €" in first_pdf and "77,44 €" not in first_pdf
    assert "1 544,55 €" in pdf_text(services_pdf(second))

    # the lecturer's statement: lessons only, 1 139,90 + 701,04 = 1 840,94
    lessons = services.statement_issue(actor=officer, person=lecturer, academic_year=year)
    assert (lessons.lines_total_amount, lessons.lessons_total_amount, lessons.total_amount) == (
        D("0.00"),
        D("1840.94"),
        D("1840.94"),
    )
    assert Statement.objects.count() == 3

    # -- the yearly summary per programme ------------------------------------------------------------
    # BTS-INFO: 1 041,30 + 1 241,95 + 646,34 + 672,96 + 454,30 + 605,79 + 354,16 = 5 016,80 of seven
    # validated declarations, and 16 lessons for 1 840,94: 6 857,74. BTS-ENR: 1 612,75. The
    # litigation committee, common to the lycée: 369,25. In all: 8 839,74.
    summary = {row["programme"]: row for row in selectors.yearly_summary(officer, year)}
    info_row = summary[str(info)]
    assert (info_row["declarations"], info_row["declarations_amount"]) == (7, D("5016.80"))
    assert (info_row["lessons"], info_row["lessons_amount"], info_row["total_amount"]) == (
        16,
        D("1840.94"),
        D("6857.74"),
    )
    assert summary[str(energy)]["total_amount"] == D("1612.75")
    assert summary["commune au lycée"]["total_amount"] == D("369.25")
    assert sum(row["total_amount"] for row in summary.values()) == D("8839.74")


def services_pdf(statement):
    from bts_fees.pdf import render_statement

    return render_statement(statement, list(statement.lines.all()))
