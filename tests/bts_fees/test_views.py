"""Views of bts_fees: the staff and officer journeys, scope (404 across lycées), bad input, queries."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bts_fees import services
from bts_fees.enums import DeclarationStatus
from bts_fees.models import Act, Declaration, DeclarationLine
from tests.utils import html

from .conftest import PDF_BYTES, deliberation_declaration
from .factories import make_body, make_person

pytestmark = pytest.mark.django_db


def test_public_rate_table(client, bts_reference):
    response = client.get(reverse("bts_fees:rate_table"), {"date": "2024-06-01"})
    assert response.status_code == 200
    page = html(response)
    assert "944,43" in page
    assert "7,82 €" in page and "73,85 €" in page
    assert "35,19 €" in page and "332,34 €" in page
    assert "113,99 €" in page  # CLQ 7–8 lesson


@pytest.mark.parametrize("bad", ["2024-13-45", "demain", "9999-01-01"])
def test_public_rate_table_bad_date(client, bts_reference, bad):
    response = client.get(reverse("bts_fees:rate_table"), {"date": bad})
    assert response.status_code == 200
    assert "Saisissez une date valide" in html(response) or "Choisissez une date entre" in html(response)


def test_staff_journey_prepare_and_submit(client_for, exam_board_a, staff_a):
    client = client_for(staff_a)
    response = client.post(
        reverse("bts_fees:declaration_create"),
        {
            "body": exam_board_a.pk,
            "period_label": "Semestre d'hiver",
            "period_start": "2024-09-15",
            "period_end": "2025-02-28",
        },
    )
    declaration = Declaration.objects.get()
    assert response.status_code == 302
    add = reverse("bts_fees:declaration_add_line", args=[declaration.pk])
    member = Act.objects.get(code="EXAM_DELIBERATION_MEMBER")
    commissioner = Act.objects.get(code="EXAM_DELIBERATION_COMMISSIONER")
    for appointment in exam_board_a.appointments.order_by("pk"):
        act = commissioner if appointment.role == "commissioner" else member
        response = client.post(
            add, {"appointment": appointment.pk, "act": act.pk, "act_date": "2025-01-20", "quantity": "1"}
        )
        assert response.status_code == 302, html(response)
    detail = reverse("bts_fees:declaration_detail", args=[declaration.pk])
    page = html(client.get(detail))
    assert "646,34 €" in page
    assert "liste de présence est obligatoire" in page
    response = client.post(reverse("bts_fees:declaration_submit", args=[declaration.pk]))
    assert Declaration.objects.get().status == DeclarationStatus.DRAFT
    upload = SimpleUploadedFile("presence.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        reverse("bts_fees:declaration_attach_sheet", args=[declaration.pk]), {"attendance_sheet": upload}
    )
    assert response.status_code == 302
    client.post(reverse("bts_fees:declaration_submit", args=[declaration.pk]))
    assert Declaration.objects.get().status == DeclarationStatus.SUBMITTED


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("-1", "La quantité doit être supérieure à zéro."),
        ("1000000", "La quantité ne peut pas dépasser 9 999."),
        ("1e9", "Saisissez un nombre."),  # an exponent is not read as a number
        ("abc", "Saisissez un nombre."),
        ("2", "Cette indemnité est forfaitaire : la quantité est 1."),
    ],
)
def test_bad_line_input_gives_a_french_message_and_saves_nothing(client_for, exam_board_a, staff_a, quantity, message):
    declaration = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="S1",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 2, 28),
    )
    teacher = exam_board_a.appointments.filter(role="teacher").first()
    response = client_for(staff_a).post(
        reverse("bts_fees:declaration_add_line", args=[declaration.pk]),
        {
            "appointment": teacher.pk,
            "act": Act.objects.get(code="EXAM_DELIBERATION_MEMBER").pk,
            "act_date": "2025-01-20",
            "quantity": quantity,
        },
    )
    assert response.status_code == 400
    assert message in html(response)
    assert not DeclarationLine.objects.exists()


def test_line_form_refuses_a_member_of_another_body(client_for, exam_board_a, exam_board_b, staff_a):
    declaration = services.declaration_create(
        actor=staff_a,
        body=exam_board_a,
        period_label="S1",
        period_start=date(2024, 9, 15),
        period_end=date(2025, 2, 28),
    )
    foreign = exam_board_b.appointments.filter(role="teacher").first()
    response = client_for(staff_a).post(
        reverse("bts_fees:declaration_add_line", args=[declaration.pk]),
        {
            "appointment": foreign.pk,
            "act": Act.objects.get(code="EXAM_DELIBERATION_MEMBER").pk,
            "act_date": "2025-01-20",
            "quantity": "1",
        },
    )
    assert response.status_code == 400
    assert "Ce membre n'est pas nommé dans cette instance." in html(response)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 this is an executable", "PDF, PNG ou JPEG"),
        (b"%PDF-" + b"0" * (10 * 1024 * 1024 - 4), "10 Mo"),  # one byte over 10 Mo (100 Mo: test_services)
    ],
)
def test_bad_attendance_sheet_upload(client_for, exam_board_a, staff_a, content, message):
    declaration = deliberation_declaration(exam_board_a, staff_a, with_sheet=False)
    upload = SimpleUploadedFile("presence.pdf", content, content_type="application/pdf")
    response = client_for(staff_a).post(
        reverse("bts_fees:declaration_attach_sheet", args=[declaration.pk]), {"attendance_sheet": upload}
    )
    assert response.status_code == 400
    assert message in html(response)
    declaration.refresh_from_db()
    assert not declaration.attendance_sheet


def test_attendance_sheet_download_is_scoped_and_an_attachment(client_for, submitted_a, staff_a, staff_b, officer):
    url = reverse("bts_fees:declaration_sheet", args=[submitted_a.pk])
    response = client_for(staff_a).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == PDF_BYTES
    assert client_for(officer).get(url).status_code == 200
    assert client_for(staff_b).get(url).status_code == 404


def test_staff_of_lycee_b_gets_404_everywhere_on_lycee_a(client_for, submitted_a, staff_a, staff_b, officer, year):
    services.declaration_validate(actor=officer, declaration=submitted_a)
    person = submitted_a.lines.first().appointment.person
    statement = services.statement_issue(actor=officer, person=person, academic_year=year)
    urls = [
        reverse("bts_fees:declaration_detail", args=[submitted_a.pk]),
        reverse("bts_fees:declaration_pdf", args=[submitted_a.pk]),
        reverse("bts_fees:declaration_sheet", args=[submitted_a.pk]),
        reverse("bts_fees:body_detail", args=[submitted_a.body_id]),
        reverse("bts_fees:person_detail", args=[person.pk]),
        reverse("bts_fees:statement_pdf", args=[statement.pk]),
    ]
    for url in urls:
        assert client_for(staff_b).get(url).status_code == 404, url
        assert client_for(staff_a).get(url).status_code == 200, url
    post = reverse("bts_fees:declaration_submit", args=[submitted_a.pk])
    assert client_for(staff_b).post(post).status_code == 404
    assert reverse("bts_fees:declaration_detail", args=[submitted_a.pk]) not in html(
        client_for(staff_b).get(reverse("bts_fees:declaration_list"))
    )


def test_staff_cannot_validate_through_the_url(client_for, submitted_a, staff_a):
    response = client_for(staff_a).post(reverse("bts_fees:declaration_validate", args=[submitted_a.pk]))
    assert response.status_code == 403
    assert Declaration.objects.get(pk=submitted_a.pk).status == DeclarationStatus.SUBMITTED


def test_officer_validates_from_the_filtered_list(client_for, submitted_a, officer):
    client = client_for(officer)
    page = html(client.get(reverse("bts_fees:declaration_list"), {"status": "submitted"}))
    assert submitted_a.reference in page and 'name="ids"' in page
    response = client.post(reverse("bts_fees:declarations_validate_bulk"), {"ids": [submitted_a.pk]})
    assert response.status_code == 302
    assert Declaration.objects.get(pk=submitted_a.pk).status == DeclarationStatus.VALIDATED
    # validating it again: a French message, no 500, no second event
    response = client.post(reverse("bts_fees:declaration_validate", args=[submitted_a.pk]), follow=True)
    assert "Seule une déclaration soumise peut être validée" in html(response)


def test_officer_rejects_with_a_reason_at_the_field(client_for, submitted_a, officer):
    client = client_for(officer)
    response = client.post(reverse("bts_fees:declaration_reject", args=[submitted_a.pk]), {"reject-reason": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in html(response)
    client.post(reverse("bts_fees:declaration_reject", args=[submitted_a.pk]), {"reject-reason": "Liste incomplète"})
    assert Declaration.objects.get(pk=submitted_a.pk).status == DeclarationStatus.REJECTED


def test_officer_list_keeps_a_constant_number_of_queries(
    client_for, officer, staff_a, programme_a, year, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(officer)
    url = reverse("bts_fees:declaration_list")

    def add_declarations(n, offset):
        for i in range(n):
            body = make_body(programme_a, year, "thesis_committee", label=f"TFE {offset + i}")
            services.declaration_create(
                actor=staff_a, body=body, period_label="TFE", period_start=date(2025, 6, 1), period_end=date(2025, 7, 1)
            )

    add_declarations(3, 0)
    client.get(url)  # the filter's reference choices (lycées, programmes, years) are then in memory
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_declarations(20, 3)
    with CaptureQueriesContext(connection) as large:
        page = html(client.get(url))
    assert page.count("BTS-D") >= 23
    assert len(large.captured_queries) == len(small.captured_queries)


def test_body_page_appointment_form_errors(client_for, programme_a, year, staff_a):
    body = make_body(programme_a, year, "admission_committee")
    client = client_for(staff_a)
    people = [make_person(programme_a.school) for _ in range(4)]
    url = reverse("bts_fees:appointment_create", args=[body.pk])
    for person in people[:3]:
        assert client.post(url, {"person": person.pk, "role": "teacher", "valid_from": "2024-09-15"}).status_code == 302
    response = client.post(url, {"person": people[3].pk, "role": "teacher", "valid_from": "2024-09-15"})
    assert response.status_code == 400
    assert "au plus 3 « enseignant du programme »" in html(response)


def test_contract_and_lesson_forms(client_for, programme_a, year, staff_a):
    person = make_person(programme_a.school, clq_level=7, has_diploma=True, national_or_benelux_diploma=True)
    client = client_for(staff_a)
    data = {
        "person": person.pk,
        "programme": programme_a.pk,
        "academic_year": year.pk,
        "category": "guest_lecturer",
        "subject": "Cybersécurité",
        "subject_linked": "on",
        "signature_date": "2024-10-02",
        "start_date": "2024-10-01",
        "ministry_signature_date": "2024-09-30",
        "ministry_exception_reason": "",
    }
    response = client.post(reverse("bts_fees:contract_create"), data)
    assert response.status_code == 200
    assert "ne peut en aucun cas être postérieure" in html(response)
    data["signature_date"] = "2024-09-30"
    assert client.post(reverse("bts_fees:contract_create"), data).status_code == 302
    contract = person.contracts.get()
    url = reverse("bts_fees:lesson_record", args=[contract.pk])
    response = client.post(url, {"lesson_date": "2024-10-01", "lessons": "3", "evaluation": "on"})
    assert response.status_code == 400 and "ne participe pas à l'évaluation" in html(response)
    response = client.post(url, {"lesson_date": "2024-10-01", "lessons": "253"})
    assert response.status_code == 400 and "Au plus 50 leçons" in html(response)
    assert client.post(url, {"lesson_date": "2024-10-01", "lessons": "3"}).status_code == 302
    assert "341,97 €" in html(client.get(reverse("bts_fees:contract_detail", args=[contract.pk])))  # 113,99 × 3


def test_home_dashboard_sections(client_for, submitted_a, staff_a, officer):
    assert 'en attente de votre décision : <strong id="bts-to-validate">1</strong>' in html(
        client_for(officer).get(reverse("core:home"))
    )
    assert "Indemnités BTS" in html(client_for(staff_a).get(reverse("core:home")))


def test_summary_screen_and_csv(client_for, submitted_a, officer, year):
    services.declaration_validate(actor=officer, declaration=submitted_a)
    client = client_for(officer)
    page = html(client.get(reverse("bts_fees:summary"), {"academic_year": year.pk}))
    assert "646,34 €" in page
    response = client.get(reverse("bts_fees:summary"), {"academic_year": year.pk, "_export": "csv"})
    assert response.status_code == 200
    assert "646,34" in response.content.decode("utf-8-sig")  # decimal comma: French spreadsheets


@pytest.mark.parametrize(
    "name",
    [
        "declaration_list",
        "programme_list",
        "person_list",
        "body_list",
        "contract_list",
        "conflict_list",
        "summary",
        "declaration_create",
        "programme_create",
        "person_create",
        "body_create",
        "contract_create",
    ],
)
def test_pages_open_for_staff(client_for, staff_a, programme_a, year, name):
    assert client_for(staff_a).get(reverse(f"bts_fees:{name}")).status_code == 200


def test_employer_is_refused(client_for, employer_user, bts_reference):
    assert client_for(employer_user).get(reverse("bts_fees:declaration_list")).status_code == 403


def test_rate_table_in_english(client, bts_reference, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html(client.get(reverse("bts_fees:rate_table"), {"date": "2024-06-01"}))
    assert "BTS fee rates" in page
    assert "Rate at index 100" in page and "€73.85" in page


def test_admission_papers_and_marks_through_the_page(client_for, programme_a, year, staff_a):
    """BTS-6 on screen: the first marks go in at the field, the payable corrections are shown, a
    correction line names its paper, a bad mark is refused at the field and nothing is saved."""
    from .factories import appoint

    body = make_body(programme_a, year, "admission_committee")
    members = [
        appoint(body, make_person(programme_a.school), role)
        for role in ("commissioner", "direction", "teacher", "teacher", "teacher")
    ]
    declaration = services.declaration_create(
        actor=staff_a,
        body=body,
        period_label="Admission",
        period_start=date(2025, 6, 1),
        period_end=date(2025, 7, 15),
        candidates=10,
        papers=1,
    )
    client = client_for(staff_a)
    url = reverse("bts_fees:exam_paper_record", args=[declaration.pk])
    response = client.post(url, {"number": "1", "kind": "written", "first_marks": "12 ; 8,5 ; 21"})
    assert response.status_code == 400 and "Ceci n'est pas une note sur 20 : « 21 »" in html(response)
    assert not declaration.exam_papers.exists()
    marks = "4\n6,5\n8\n8,5\n9\n9,9\n11\n12\n13,5\n15"
    assert client.post(url, {"number": "1", "kind": "written", "first_marks": marks}).status_code == 302
    page = html(client.get(reverse("bts_fees:declaration_detail", args=[declaration.pk])))
    assert '<td>Épreuve n° 1 (épreuve écrite)</td><td class="text-end">10</td>' in page
    assert '<td class="text-end">3</td><td class="text-end">13</td>' in page  # 3 second corrections, 13 payable
    paper = declaration.exam_papers.get()
    response = client.post(
        reverse("bts_fees:declaration_add_line", args=[declaration.pk]),
        {
            "appointment": members[2].pk,
            "act": Act.objects.get(code="ADM_CORRECTION_3H").pk,
            "act_date": "2025-06-12",
            "quantity": "14",
            "student": "",
            "paper": paper.pk,
        },
    )
    assert response.status_code == 400 and "13 corrections au plus pour 10 copies" in html(response)
    assert not declaration.lines.exists()


def test_ministry_signature_through_the_contract_page(client_for, programme_a, year, staff_a):
    person = make_person(programme_a.school, clq_level=7, has_diploma=True, national_or_benelux_diploma=True)
    contract = services.contract_create(
        actor=staff_a,
        person=person,
        programme=programme_a,
        academic_year=year,
        category="external_lecturer",
        subject="Réseaux",
        signature_date=date(2024, 9, 20),
        start_date=date(2024, 10, 1),
    )
    client = client_for(staff_a)
    lessons = reverse("bts_fees:lesson_record", args=[contract.pk])
    response = client.post(lessons, {"lesson_date": "2024-10-01", "lessons": "2"})
    assert response.status_code == 400 and "pas encore signé par le représentant du ministre" in html(response)
    signature = reverse("bts_fees:contract_record_ministry_signature", args=[contract.pk])
    response = client.post(signature, {"ministry_signature_date": "", "ministry_exception_reason": ""})
    assert response.status_code == 400 and "ou motivez le cas exceptionnel" in html(response)
    assert client.post(signature, {"ministry_signature_date": "2024-09-27"}).status_code == 302
    assert "Signé par le représentant du ministre le 27/09/2024" in html(
        client.get(reverse("bts_fees:contract_detail", args=[contract.pk]))
    )
    assert client.post(lessons, {"lesson_date": "2024-10-01", "lessons": "2"}).status_code == 302


def test_issuing_a_statement_with_nothing_validated_says_so(client_for, exam_board_a, staff_a, year):
    person = exam_board_a.appointments.first().person
    response = client_for(staff_a).post(reverse("bts_fees:statement_issue", args=[person.pk, year.pk]), follow=True)
    assert "il n'y a pas de relevé à émettre" in html(response)
    assert not person.statements.exists()


def test_lists_label_every_cell_for_the_phone_cards(client_for, officer, submitted_a):
    """The declaration list (rows written in Python) and the programme list (the table template):
    each cell names its column; the tick box has no header and so no label."""
    from tests.core.test_table_cards import labelled_rows

    client = client_for(officer)
    rows = labelled_rows(html(client.get(reverse("bts_fees:declaration_list"))))
    assert rows == [[False] + [True] * 9]  # select, then the 9 columns
    page = html(client.get(reverse("bts_fees:declaration_list")))
    assert 'data-label="Référence"><a href=' in page and 'data-label="Montant" class="text-end">646,34 €' in page
    assert all(all(cells) for cells in labelled_rows(html(client.get(reverse("bts_fees:programme_list")))))
