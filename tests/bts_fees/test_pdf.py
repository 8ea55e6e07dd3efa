"""PDFs of bts_fees carry the figures shown on screen, and only to those who may see them."""

from datetime import date
from decimal import Decimal as D
from html import unescape

import pytest
from django.urls import reverse

from bts_fees import services
from bts_fees.models import Act, Statement
from core.models import LuxIndex
from tests.core.test_views import pdf_text
from tests.factories import add_period

from .conftest import sheet

pytestmark = pytest.mark.django_db


def test_declaration_pdf_matches_the_screen(client_for, submitted_a, officer):
    declaration = services.declaration_validate(actor=officer, declaration=submitted_a)
    client = client_for(officer)
    screen = unescape(client.get(reverse("bts_fees:declaration_detail", args=[declaration.pk])).content.decode())
    assert "646,34\u00a0€" in screen
    response = client.get(reverse("bts_fees:declaration_pdf", args=[declaration.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "646,34 €" in text
    assert "203,24 €" in text and "73,85 €" in text and "944,43" in text
    assert declaration.reference in text
    assert "presence.pdf" in text  # the attendance-sheet reference
    assert "validée" in text and "Page 1 / 1" in text


def test_declaration_pdf_is_frozen_after_a_new_index(client_for, submitted_a, officer):
    services.declaration_validate(actor=officer, declaration=submitted_a)
    url = reverse("bts_fees:declaration_pdf", args=[submitted_a.pk])
    add_period(LuxIndex(valid_from=date(2025, 1, 1), value="990.00", source="test"))
    assert "646,34 €" in pdf_text(client_for(officer).get(url).content)


def _summer_session(body, staff, officer):
    """The same exam board's summer session, validated: every member on 20/06/2025 (index 968,04)."""
    declaration = services.declaration_create(
        actor=staff,
        body=body,
        period_label="Semestre d'été 2024-2025",
        period_start=date(2025, 3, 1),
        period_end=date(2025, 7, 15),
    )
    member = Act.objects.get(code="EXAM_DELIBERATION_MEMBER")
    commissioner = Act.objects.get(code="EXAM_DELIBERATION_COMMISSIONER")
    for appointment in body.appointments.order_by("pk"):
        services.declaration_add_line(
            actor=staff,
            declaration=declaration,
            appointment=appointment,
            act=commissioner if appointment.role == "commissioner" else member,
            act_date=date(2025, 6, 20),
            quantity=1,
        )
    services.declaration_attach_sheet(actor=staff, declaration=declaration, upload=sheet())
    declaration = services.declaration_submit(actor=staff, declaration=declaration)
    return services.declaration_validate(actor=officer, declaration=declaration)


def test_statement_is_issued_frozen_and_reissued_under_a_new_reference(
    client_for, submitted_a, officer, staff_a, staff_b, year
):
    """The statement per person and year is an issued document: two downloads of one reference
    always show the same figures; a new issue after a change has a new reference."""
    services.declaration_validate(actor=officer, declaration=submitted_a)
    commissioner = submitted_a.lines.get(act__code="EXAM_DELIBERATION_COMMISSIONER").appointment.person
    client = client_for(officer)
    screen = unescape(
        client.get(
            reverse("bts_fees:person_detail", args=[commissioner.pk]), {"academic_year": year.pk}
        ).content.decode()
    )
    assert 'id="statement-total">203,24\u00a0€' in screen  # 21,52 at 944,43
    issue = reverse("bts_fees:statement_issue", args=[commissioner.pk, year.pk])
    response = client.post(issue)
    first = Statement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bts_fees:statement_pdf", args=[first.pk])
    assert first.reference == f"BTS-R{commissioner.pk:06d}-2024-2025-01" and first.total_amount == D("203.24")
    text = pdf_text(client.get(response["Location"]).content)
    assert "203,24 €" in text and str(commissioner) in text and "2024-2025" in text and first.reference in text
    # a double submit issues nothing new
    assert client.post(issue)["Location"] == response["Location"]
    assert Statement.objects.count() == 1

    # the summer session is validated: the issued statement does not move, a new issue has a new reference
    _summer_session(submitted_a.body, staff_a, officer)
    assert "203,24 €" in pdf_text(client.get(response["Location"]).content)
    second_location = client.post(issue)["Location"]
    second = Statement.objects.get(number=2)
    assert second_location == reverse("bts_fees:statement_pdf", args=[second.pk])
    # 203,24 (21,52 at 944,43) + 208,32 (21,52 at 968,04, 20/06/2025) = 411,56
    assert second.reference.endswith("-02") and second.total_amount == D("411.56")
    text = pdf_text(client.get(second_location).content)
    assert "411,56 €" in text and "208,32 €" in text and "968,04" in text
    assert "203,24 €" in pdf_text(client.get(response["Location"]).content)
    assert first.reference not in text

    # another lycée's staff reach neither the issue nor the document
    assert client_for(staff_b).post(issue).status_code == 404
    assert client_for(staff_b).get(second_location).status_code == 404
    assert Statement.objects.count() == 2


def test_public_rate_table_pdf(client, bts_reference):
    response = client.get(reverse("bts_fees:rate_table_pdf"), {"date": "2024-06-01"})
    assert response.status_code == 200
    text = pdf_text(response.content)
    for figure in ("73,85 €", "332,34 €", "113,99 €", "95,10 €", "72,53 €", "59,31 €", "18,89 €", "944,43"):
        assert figure in text
    assert "BTS-T-20240601" in text
