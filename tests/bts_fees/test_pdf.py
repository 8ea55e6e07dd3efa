"""PDFs of bts_fees carry the figures shown on screen, and only to those who may see them."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from bts_fees import services
from core.models import LuxIndex
from tests.core.test_views import pdf_text
from tests.factories import add_period

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


def test_statement_pdf_per_person_and_year(client_for, submitted_a, officer, staff_b, year):
    services.declaration_validate(actor=officer, declaration=submitted_a)
    commissioner = submitted_a.lines.get(act__code="EXAM_DELIBERATION_COMMISSIONER").appointment.person
    client = client_for(officer)
    screen = unescape(
        client.get(
            reverse("bts_fees:person_detail", args=[commissioner.pk]), {"academic_year": year.pk}
        ).content.decode()
    )
    assert 'id="statement-total">203,24\u00a0€' in screen
    url = reverse("bts_fees:statement_pdf", args=[commissioner.pk, year.pk])
    text = pdf_text(client.get(url).content)
    assert "203,24 €" in text and str(commissioner) in text and "2024-2025" in text
    assert client_for(staff_b).get(url).status_code == 404


def test_public_rate_table_pdf(client, bts_reference):
    response = client.get(reverse("bts_fees:rate_table_pdf"), {"date": "2024-06-01"})
    assert response.status_code == 200
    text = pdf_text(response.content)
    for figure in ("73,85 €", "332,34 €", "113,99 €", "95,10 €", "72,53 €", "59,31 €", "18,89 €", "944,43"):
        assert figure in text
    assert "BTS-T-20240601" in text
