"""Money paid as seed 004 says, in every workflow (docs/rules.md "Clarifications of the rules"): corrections
from the first marks (BTS-6), acts paid once, the coordinator's phases, compositions, the ministry's
signature before the first lesson, and the plausibility of quantities. Every refusal leaves nothing
saved and says why at the field; every amount is computed by hand in a comment from seed 004.

Indices (CORE-2, fixture): 944,43 until 30/04/2025, 968,04 from 01/05/2025, 992,24 from 01/06/2026.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from bts_fees import selectors, services
from bts_fees.models import AcademicYear, Act, DeclarationLine, ExamPaper, LessonRecord

from .conftest import sheet
from .factories import appoint, make_body, make_person, make_programme

pytestmark = pytest.mark.django_db


def act(code):
    return Act.objects.get(code=code)


def add(staff, declaration, appointment, code, day, quantity, **kwargs):
    return services.declaration_add_line(
        actor=staff,
        declaration=declaration,
        appointment=appointment,
        act=act(code),
        act_date=day,
        quantity=quantity,
        **kwargs,
    )


def refused(call, field):
    """The ValidationError's messages at `field` (the call must be refused there)."""
    with pytest.raises(ValidationError) as exc:
        call()
    assert field in exc.value.message_dict, exc.value.message_dict
    return " ".join(exc.value.message_dict[field])


@pytest.fixture
def year_2026(bts_reference):
    return AcademicYear.objects.get(label="2025-2026")


def _admission(programme, year, staff, *, candidates=10, papers=1, start=date(2025, 6, 1), end=date(2025, 7, 15)):
    body = make_body(programme, year, "admission_committee")
    members = [
        appoint(body, make_person(programme.school), role)
        for role in ("commissioner", "direction", "teacher", "teacher", "teacher")
    ]
    declaration = services.declaration_create(
        actor=staff,
        body=body,
        period_label="Admission",
        period_start=start,
        period_end=end,
        candidates=candidates,
        papers=papers,
    )
    return body, members, declaration


# -- BTS-6: corrections come from the first marks of each paper -------------------------------------

# Ten candidates' first marks on paper 1: three between 8,5 and 9,9 inclusive (8,5 ; 9 ; 9,9).
MARKS = ["4", "6,5", "8", "8,5", "9", "9,9", "11", "12", "13,5", "15"]


def test_thirty_corrections_for_ten_candidates_and_one_paper_are_refused(programme_a, year, staff_a):
    """The defect: 30 corrections were accepted for 10 candidates and 1 paper (20 at most)."""
    _, members, declaration = _admission(programme_a, year, staff_a)
    paper = services.exam_paper_record(
        actor=staff_a, declaration=declaration, number=1, kind="written", first_marks=MARKS
    )
    assert paper.payable_corrections == 13  # 10 copies + 3 second corrections
    message = refused(
        lambda: add(staff_a, declaration, members[2], "ADM_CORRECTION_3H", date(2025, 6, 12), 30, paper=paper),
        "quantity",
    )
    assert "13 corrections au plus pour 10 copies" in message and "il reste 13" in message
    assert not DeclarationLine.objects.exists()


def test_corrections_are_paid_as_the_marks_say(programme_a, year, staff_a):
    _, members, declaration = _admission(programme_a, year, staff_a)
    paper = services.exam_paper_record(
        actor=staff_a,
        declaration=declaration,
        number=1,
        kind="written",
        first_marks="4 ; 6,5 ; 8 ; 8,5 ; 9 ; 9,9 ; 11 ; 12 ; 13,5 ; 15",
    )
    assert paper.first_marks == ["4", "6.5", "8", "8.5", "9", "9.9", "11", "12", "13.5", "15"]
    first = add(staff_a, declaration, members[2], "ADM_CORRECTION_3H", date(2025, 6, 12), 10, paper=paper)
    # one corrector corrects each copy once at most: 10 copies, 10 already declared for members[2]
    assert "chaque copie une fois au plus" in refused(
        lambda: add(staff_a, declaration, members[2], "ADM_CORRECTION_3H", date(2025, 6, 13), 1, paper=paper),
        "quantity",
    )
    second = add(staff_a, declaration, members[3], "ADM_CORRECTION_3H", date(2025, 6, 13), 3, paper=paper)
    # 0,85 at 968,04 = 8,228… → 8,23; × 10 = 82,30 and × 3 = 24,69
    assert (first.unit_amount, first.line_amount, second.line_amount) == (D("8.23"), D("82.30"), D("24.69"))
    # the 14th correction is refused with what is left
    message = refused(
        lambda: add(staff_a, declaration, members[4], "ADM_CORRECTION_3H", date(2025, 6, 13), 1, paper=paper),
        "quantity",
    )
    assert "Déjà déclaré : 13 ; il reste 0" in message
    assert declaration.lines.count() == 2


def test_a_correction_needs_its_paper_and_the_first_marks(programme_a, year, staff_a):
    _, members, declaration = _admission(programme_a, year, staff_a)
    assert "Choisissez l'épreuve" in refused(
        lambda: add(staff_a, declaration, members[2], "ADM_CORRECTION_3H", date(2025, 6, 12), 1), "paper"
    )
    paper = services.exam_paper_record(actor=staff_a, declaration=declaration, number=1, kind="written", first_marks=[])
    assert "Enregistrez d'abord les notes de première correction" in refused(
        lambda: add(staff_a, declaration, members[2], "ADM_CORRECTION_3H", date(2025, 6, 12), 1, paper=paper),
        "paper",
    )
    assert not DeclarationLine.objects.exists()


@pytest.mark.parametrize(
    ("marks", "message"),
    [
        ("12 ; 21", "« 21 »"),
        ("12 ; abc ; 1e1", "« abc » ; « 1e1 »"),
        ("12 ; " * 11, "11 notes saisies pour 10 candidats"),
    ],
)
def test_first_marks_that_are_not_marks_are_refused_at_the_field(programme_a, year, staff_a, marks, message):
    _, _members, declaration = _admission(programme_a, year, staff_a)
    assert message in refused(
        lambda: services.exam_paper_record(
            actor=staff_a, declaration=declaration, number=1, kind="written", first_marks=marks
        ),
        "first_marks",
    )
    assert not ExamPaper.objects.exists()


def test_marks_paying_fewer_corrections_than_declared_are_refused(programme_a, year, staff_a):
    _, members, declaration = _admission(programme_a, year, staff_a)
    paper = services.exam_paper_record(
        actor=staff_a, declaration=declaration, number=1, kind="written", first_marks=MARKS
    )
    add(staff_a, declaration, members[2], "ADM_CORRECTION_3H", date(2025, 6, 12), 10, paper=paper)
    add(staff_a, declaration, members[3], "ADM_CORRECTION_3H", date(2025, 6, 13), 3, paper=paper)
    # the same ten candidates, but no mark between 8,5 and 9,9 any more: 10 payable, 13 declared
    assert "retirez d'abord les lignes en trop" in refused(
        lambda: services.exam_paper_record(
            actor=staff_a, declaration=declaration, number=1, kind="written", first_marks=["12"] * 10
        ),
        "first_marks",
    )
    assert ExamPaper.objects.get().first_marks == ["4", "6.5", "8", "8.5", "9", "9.9", "11", "12", "13.5", "15"]


def test_an_interview_replacing_a_paper_is_two_examiners_once(programme_a, year, staff_a):
    """Seed 004, I.3 b: "Une épreuve peut être remplacée par un entretien devant deux examinateurs."."""
    _, members, declaration = _admission(programme_a, year, staff_a, papers=2)
    written = services.exam_paper_record(
        actor=staff_a, declaration=declaration, number=1, kind="written", first_marks=MARKS
    )
    interview = services.exam_paper_record(
        actor=staff_a, declaration=declaration, number=2, kind="interview", first_marks=[]
    )
    assert interview.payable_corrections == 0
    day = date(2025, 6, 11)
    first = add(staff_a, declaration, members[2], "ADM_ORAL", day, D("2.5"), paper=interview)
    add(staff_a, declaration, members[3], "ADM_ORAL", day, D("2.5"), paper=interview)
    # 11,74 at 968,04 = 113,647… → 113,65; × 2,5 = 284,125 → 284,13 (half up)
    assert (first.unit_amount, first.line_amount) == (D("113.65"), D("284.13"))
    assert "une fois par examinateur" in refused(
        lambda: add(staff_a, declaration, members[2], "ADM_ORAL", day, 1, paper=interview), "appointment"
    )
    assert "deux examinateurs" in refused(
        lambda: add(staff_a, declaration, members[4], "ADM_ORAL", day, 1, paper=interview), "appointment"
    )
    assert "pas de correction écrite" in refused(
        lambda: add(staff_a, declaration, members[4], "ADM_CORRECTION_3H", day, 1, paper=interview), "paper"
    )
    assert "se déclare sur une épreuve remplacée par un entretien" in refused(
        lambda: add(staff_a, declaration, members[4], "ADM_ORAL", day, 1, paper=written), "paper"
    )
    assert declaration.lines.count() == 2


# -- acts paid once (seed 004, I.3 a and I.10) -------------------------------------------------------


def test_admission_deliberation_is_a_single_yearly_payment(school_a, year_2026, staff_a):
    """The defect: a second declaration paid the final deliberation again (+77,59 € at 992,24)."""
    programme = make_programme(school_a, code="BTS-INFO", title="BTS Informatique")
    body, members, first = _admission(programme, year_2026, staff_a, start=date(2026, 6, 1), end=date(2026, 7, 15))
    line = add(staff_a, first, members[2], "ADM_DELIBERATION", date(2026, 7, 2), 1)
    assert line.line_amount == D("77.59")  # 7,82 at 992,24 = 77,593… → 77,59
    second = services.declaration_create(
        actor=staff_a,
        body=body,
        period_label="Admission, session complémentaire",
        period_start=date(2026, 7, 16),
        period_end=date(2026, 9, 14),
        candidates=4,
        papers=1,
    )
    message = refused(lambda: add(staff_a, second, members[2], "ADM_DELIBERATION", date(2026, 9, 1), 1), "act")
    assert "une seule fois par année d'études et par membre" in message and first.reference in message
    # another member of the committee is still paid once
    assert add(staff_a, second, members[3], "ADM_DELIBERATION", date(2026, 9, 1), 1).line_amount == D("77.59")
    assert DeclarationLine.objects.filter(act__code="ADM_DELIBERATION", appointment=members[2]).count() == 1


def test_exam_board_deliberation_once_per_session(exam_board_a, staff_a):
    winter = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="Semestre d'hiver",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 2, 28),
    )
    teacher = exam_board_a.appointments.filter(role="teacher").first()
    add(staff_a, winter, teacher, "EXAM_DELIBERATION_MEMBER", date(2025, 2, 5), 1)
    overlapping = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="Délibération complémentaire de février",
        period_start=date(2025, 2, 1),
        period_end=date(2025, 2, 28),
    )
    message = refused(
        lambda: add(staff_a, overlapping, teacher, "EXAM_DELIBERATION_MEMBER", date(2025, 2, 20), 1), "act"
    )
    assert "une seule fois par session et par membre" in message and winter.reference in message
    summer = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="Semestre d'été",
        period_start=date(2025, 3, 1),
        period_end=date(2025, 7, 15),
    )
    # the next session is paid: 7,82 at 968,04 = 75,70
    assert add(staff_a, summer, teacher, "EXAM_DELIBERATION_MEMBER", date(2025, 7, 4), 1).line_amount == D("75.70")


def test_submission_refuses_a_deliberation_paid_in_another_declaration(programme_a, year, staff_a):
    """Lines stored before the rule (or by any other path) are checked again at submission."""
    body, members, first = _admission(programme_a, year, staff_a)
    add(staff_a, first, members[2], "ADM_DELIBERATION", date(2025, 7, 2), 1)
    second = services.declaration_create(
        actor=staff_a, body=body, period_label="Bis", period_start=date(2025, 7, 16), period_end=date(2025, 9, 14)
    )
    original = first.lines.get()
    DeclarationLine.objects.create(
        declaration=second,
        appointment=members[2],
        act=original.act,
        act_date=date(2025, 8, 1),
        quantity=1,
        rate_at_100=original.rate_at_100,
        index_value=original.index_value,
        unit_amount=original.unit_amount,
        line_amount=original.line_amount,
    )
    services.declaration_attach_sheet(actor=staff_a, declaration=second, upload=sheet())
    problems = " ".join(selectors.submission_problems(second))
    assert "une seule fois par année d'études" in problems
    with pytest.raises(ValidationError):
        services.declaration_submit(actor=staff_a, declaration=second)


# -- the coordinator (seed 004, I.1 and I.2 b) -------------------------------------------------------


def _curriculum_group(programme, year, phase):
    body = make_body(programme, year, "curriculum_group", phase=phase, label=phase)
    roles = ("direction", "coordinator", "teacher", "professional")
    return body, {role: appoint(body, make_person(programme.school), role) for role in roles}


def test_coordinator_is_not_paid_in_the_operating_phase(school_a, year_2026, staff_a):
    """The defect: demo declaration 4 paid the coordinator 12 h × 75,70 = 908,40 € in the operating phase."""
    programme = make_programme(school_a, code="BTS-INFO", title="BTS Informatique")
    body, members = _curriculum_group(programme, year_2026, "operation")
    declaration = services.declaration_create(
        actor=staff_a, body=body, period_label="2025-2026", period_start=date(2025, 9, 15), period_end=date(2026, 9, 14)
    )
    message = refused(
        lambda: add(staff_a, declaration, members["coordinator"], "CG_WORK", date(2026, 3, 12), 10), "appointment"
    )
    assert "jamais pendant le fonctionnement du programme" in message
    # the other members are paid: 7,82 at 968,04 = 75,70 × 8 = 605,60
    assert add(staff_a, declaration, members["teacher"], "CG_WORK", date(2026, 3, 12), 8).line_amount == D("605.60")
    assert declaration.lines.count() == 1


def test_coordinator_paid_for_accreditation_within_24_months_of_admissibility(school_a, year, staff_a):
    programme = make_programme(school_a, code="BTS-ENR", title="BTS Énergies renouvelables")
    body, members = _curriculum_group(programme, year, "accreditation")
    declaration = services.declaration_create(
        actor=staff_a,
        body=body,
        period_label="Accréditation",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 9, 14),
    )
    coordinator = members["coordinator"]
    assert "date de notification de la recevabilité" in refused(
        lambda: add(staff_a, declaration, coordinator, "CG_WORK", date(2024, 11, 12), 8), "act_date"
    )
    programme.admissibility_notified_on = date(2023, 6, 1)  # 24 months: until 31/05/2025
    programme.save()
    line = add(staff_a, declaration, coordinator, "CG_WORK", date(2024, 11, 12), 8)
    assert line.line_amount == D("590.80")  # 7,82 at 944,43 = 73,85 × 8
    message = refused(lambda: add(staff_a, declaration, coordinator, "CG_WORK", date(2025, 6, 2), 2), "act_date")
    assert "du 01/06/2023 au 31/05/2025" in message
    # re-accreditation work is paid to the coordinator too
    reaccreditation, others = _curriculum_group(programme, year, "reaccreditation")
    redo = services.declaration_create(
        actor=staff_a,
        body=reaccreditation,
        period_label="Réaccréditation",
        period_start=date(2025, 6, 1),
        period_end=date(2025, 9, 14),
    )
    assert add(staff_a, redo, others["coordinator"], "CG_WORK", date(2025, 6, 2), 2).line_amount == D(
        "151.40"
    )  # 75,70 × 2


# -- compositions (docs/rules.md "Clarifications": thesis and litigation committees) ---------------------------


def _submit_ready(staff, body, lines):
    declaration = services.declaration_create(
        actor=staff, body=body, period_label="Séance", period_start=date(2025, 3, 1), period_end=date(2025, 7, 15)
    )
    for appointment, code, day, quantity in lines:
        add(staff, declaration, appointment, code, day, quantity)
    services.declaration_attach_sheet(actor=staff, declaration=declaration, upload=sheet())
    return declaration


def test_thesis_committee_of_a_teaching_promoter_and_a_professional_is_valid(programme_a, year, staff_a):
    body = make_body(programme_a, year, "thesis_committee", label="TFE Lea")
    promoter = services.appointment_create(
        actor=staff_a,
        body=body,
        person=make_person(programme_a.school),
        role="promoter",
        valid_from=year.start_date,
        order_reference="MESR/TFE/1",
        order_date=date(2024, 10, 20),
        teaches_in_programme=True,
    )
    professional = appoint(body, make_person(programme_a.school), "professional")
    day = date(2025, 6, 26)
    declaration = _submit_ready(
        staff_a, body, [(promoter, "THESIS_PROMOTER", day, 1), (professional, "THESIS_MEMBER", day, 1)]
    )
    declaration = services.declaration_submit(actor=staff_a, declaration=declaration)
    # 35,19 at 968,04 = 340,65; 11,74 at 968,04 = 113,65; together 454,30
    assert declaration.total_amount == D("454.30")


def test_thesis_committee_without_a_programme_teacher_cannot_submit(programme_a, year, staff_a):
    body = make_body(programme_a, year, "thesis_committee", label="TFE Tom")
    promoter = appoint(body, make_person(programme_a.school), "promoter")  # not teaching in the programme
    professional = appoint(body, make_person(programme_a.school), "professional")
    day = date(2025, 6, 26)
    declaration = _submit_ready(
        staff_a, body, [(promoter, "THESIS_PROMOTER", day, 1), (professional, "THESIS_MEMBER", day, 1)]
    )
    with pytest.raises(ValidationError, match="au moins un membre du corps enseignant du programme"):
        services.declaration_submit(actor=staff_a, declaration=declaration)
    # a promoter alone is no committee
    alone = make_body(programme_a, year, "thesis_committee", label="TFE Zoé")
    solo = services.appointment_create(
        actor=staff_a,
        body=alone,
        person=make_person(programme_a.school),
        role="promoter",
        valid_from=year.start_date,
        order_reference="MESR/TFE/2",
        order_date=date(2024, 10, 20),
        teaches_in_programme=True,
    )
    declaration = _submit_ready(staff_a, alone, [(solo, "THESIS_PROMOTER", day, 1)])
    with pytest.raises(ValidationError, match="au moins 2 membres"):
        services.declaration_submit(actor=staff_a, declaration=declaration)


def _litigation(programme, year, roles):
    body = make_body(programme, year, "litigation_committee")
    return body, [appoint(body, make_person(programme.school), role) for role in roles]


LITIGATION = ("direction", "staff", "staff", "staff_outside_bts", "staff_outside_bts", "secretary")


def test_litigation_committee_direction_member_is_not_the_director(programme_a, year, staff_a):
    body, _ = _litigation(programme_a, year, ("staff",))
    director = make_person(programme_a.school, is_director=True)
    message = refused(
        lambda: services.appointment_create(
            actor=staff_a, body=body, person=director, role="direction", valid_from=year.start_date
        ),
        "person",
    )
    assert "est le directeur du lycée" in message
    assert body.appointments.count() == 1


def test_litigation_decision_needs_three_voting_members(programme_a, year, staff_a):
    """Seed 004, I.8: a decision is taken only if three members at least rally to it (the secretary
    does not vote): two members and the secretary are not enough."""
    body, (direction, staff1, staff2, outside1, outside2, secretary) = _litigation(programme_a, year, LITIGATION)
    day = date(2025, 3, 18)
    declaration = _submit_ready(
        staff_a,
        body,
        [(direction, "LIT_MEETING", day, 1), (outside1, "LIT_MEETING", day, 1), (secretary, "LIT_MEETING", day, 1)],
    )
    with pytest.raises(ValidationError, match="trois membres au moins"):
        services.declaration_submit(actor=staff_a, declaration=declaration)
    add(staff_a, declaration, staff1, "LIT_MEETING", day, 1)
    declaration = services.declaration_submit(actor=staff_a, declaration=declaration)
    assert declaration.total_amount == D("295.40")  # 7,82 at 944,43 = 73,85 × 4 (3 voters and the secretary)


def test_litigation_committee_needs_two_staff_teaching_outside_bts(programme_a, year, staff_a):
    body, members = _litigation(programme_a, year, ("direction", "staff", "staff", "staff_outside_bts", "secretary"))
    day = date(2025, 3, 18)
    declaration = _submit_ready(staff_a, body, [(m, "LIT_MEETING", day, 1) for m in members])
    problems = " ".join(selectors.submission_problems(declaration))
    assert "« enseignant hors programme BTS »" in problems and "4 membres du personnel" in problems


# -- lecturer contract: the minister's representative signs before the first lesson -----------------


def _contract(programme, year, staff, **kwargs):
    person = make_person(programme.school, clq_level=7, has_diploma=True, national_or_benelux_diploma=True)
    return services.contract_create(
        actor=staff,
        person=person,
        programme=programme,
        academic_year=year,
        category="external_lecturer",
        subject="Réseaux",
        signature_date=date(2024, 9, 20),
        start_date=date(2024, 10, 1),
        **kwargs,
    )


def test_no_lesson_before_the_ministry_signature(programme_a, year, staff_a):
    contract = _contract(programme_a, year, staff_a)
    assert "pas encore signé par le représentant du ministre" in refused(
        lambda: services.lesson_record(actor=staff_a, contract=contract, lesson_date=date(2024, 10, 1), lessons=2),
        "lesson_date",
    )
    services.contract_record_ministry_signature(
        actor=staff_a, contract=contract, ministry_signature_date=date(2024, 10, 1)
    )
    # signed on the day of the lesson: not "avant le premier jour de la prestation"
    assert "signé le contrat le 01/10/2024" in refused(
        lambda: services.lesson_record(actor=staff_a, contract=contract, lesson_date=date(2024, 10, 1), lessons=2),
        "lesson_date",
    )
    record = services.lesson_record(actor=staff_a, contract=contract, lesson_date=date(2024, 10, 2), lessons=2)
    assert record.line_amount == D("227.98")  # 12,07 at 944,43 = 113,99 × 2
    assert LessonRecord.objects.count() == 1


def test_a_documented_exception_allows_lessons_before_the_signature(programme_a, year, staff_a):
    contract = _contract(programme_a, year, staff_a)
    assert "10 caractères" in refused(
        lambda: services.contract_record_ministry_signature(
            actor=staff_a, contract=contract, ministry_signature_date=None, ministry_exception_reason="urgent"
        ),
        "ministry_exception_reason",
    )
    services.contract_record_ministry_signature(
        actor=staff_a,
        contract=contract,
        ministry_signature_date=None,
        ministry_exception_reason="Remplacement au pied levé d'un intervenant malade (courrier du 30/09/2024).",
    )
    record = services.lesson_record(actor=staff_a, contract=contract, lesson_date=date(2024, 10, 1), lessons=3)
    assert record.line_amount == D("341.97")  # 113,99 × 3


# -- plausibility: units and a per-day maximum per person ----------------------------------------------


def _accommodation(school, year):
    programme = make_programme(school, code="BTS-RA", title="BTS RA")
    body = make_body(programme, year, "reasonable_accommodation")
    return body, appoint(body, make_person(school), "member")


def test_two_hundred_meetings_on_one_day_are_refused(school_a, year_2026, staff_a):
    """The defect: 200 meetings on one day by one member were paid 17 940 € (200 × 89,70 at 992,24)."""
    body, member = _accommodation(school_a, year_2026)
    declaration = services.declaration_create(
        actor=staff_a, body=body, period_label="Juin 2026", period_start=date(2026, 6, 1), period_end=date(2026, 6, 30)
    )
    message = refused(lambda: add(staff_a, declaration, member, "RA_MEETING", date(2026, 6, 15), 200), "quantity")
    assert message == "Au plus 3 réunions par jour et par personne pour cet acte (contrôle de plausibilité)."
    line = add(staff_a, declaration, member, "RA_MEETING", date(2026, 6, 15), 2)
    assert line.line_amount == D("179.40")  # 9,04 at 992,24 = 89,698… → 89,70 × 2
    # across declarations: one more meeting that day passes, a second one does not
    other = services.declaration_create(
        actor=staff_a, body=body, period_label="15 juin", period_start=date(2026, 6, 15), period_end=date(2026, 6, 15)
    )
    add(staff_a, other, member, "RA_MEETING", date(2026, 6, 15), 1)
    message = refused(lambda: add(staff_a, other, member, "RA_MEETING", date(2026, 6, 15), 1), "quantity")
    assert "Déjà déclaré pour cette personne le 15/06/2026 : 3 réunions ; il reste 0 réunion" in message
    assert DeclarationLine.objects.count() == 2


def test_dossiers_are_counted_in_whole_numbers(programme_a, year, staff_a):
    """The defect: "2,50 dossiers" were accepted."""
    body = make_body(programme_a, year, "vae_committee")
    teacher = appoint(body, make_person(programme_a.school), "teacher")
    declaration = services.declaration_create(
        actor=staff_a, body=body, period_label="VAE", period_start=date(2025, 1, 1), period_end=date(2025, 1, 31)
    )
    message = refused(
        lambda: add(staff_a, declaration, teacher, "VAE_FILE_READING", date(2025, 1, 15), "2.50"), "quantity"
    )
    assert message == "Cet acte se compte en dossiers : la quantité est un nombre entier."
    line = add(staff_a, declaration, teacher, "VAE_FILE_READING", date(2025, 1, 15), "2")
    assert line.line_amount == D("354.16")  # 18,75 at 944,43 = 177,08 × 2
    # hours may be fractional
    group = make_body(programme_a, year, "curriculum_group", phase="operation")
    member = appoint(group, make_person(programme_a.school), "teacher")
    hours = services.declaration_create(
        actor=staff_a, body=group, period_label="CG", period_start=date(2025, 1, 1), period_end=date(2025, 1, 31)
    )
    assert add(staff_a, hours, member, "CG_WORK", date(2025, 1, 15), "1.5").line_amount == D("110.78")  # 73,85 × 1,5


def test_every_act_has_a_per_day_maximum_or_is_paid_once(bts_reference):
    for item in Act.objects.all():
        assert item.daily_max is not None or item.paid_once, item.code


def test_lessons_per_day_across_the_lecturers_contracts(programme_a, year, staff_a, school_a):
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
    services.lesson_record(actor=staff_a, contract=contracts[0], lesson_date=date(2024, 9, 16), lessons=6)
    message = refused(
        lambda: services.lesson_record(actor=staff_a, contract=contracts[1], lesson_date=date(2024, 9, 16), lessons=5),
        "lessons",
    )
    assert "Au plus 10 leçons par jour et par personne" in message and "il reste 4 leçons" in message
    assert services.lesson_record(
        actor=staff_a, contract=contracts[1], lesson_date=date(2024, 9, 16), lessons=4
    ).line_amount == D("455.96")  # 113,99 × 4
