"""Before a declaration is submitted, its lines and total are shown with what happens next."""

from django.urls import reverse

from bts_fees.models import Declaration
from tests.utils import html

from .conftest import deliberation_declaration


def test_check_then_submit(client_for, exam_board_a, staff_a, staff_b):
    declaration = deliberation_declaration(exam_board_a, staff_a)
    client = client_for(staff_a)
    detail = html(client.get(reverse("bts_fees:declaration_detail", args=[declaration.pk])))
    check_url = reverse("bts_fees:declaration_submit_check", args=[declaration.pk])
    assert check_url in detail
    page = html(client.get(check_url))
    # conftest: 203,24 + 6 × 73,85 = 646,34 €
    assert 'id="recap-total">646,34 €' in page
    assert "Soumettre la déclaration (646,34 €)" in page
    assert "presence.pdf" in page
    assert Declaration.objects.get(pk=declaration.pk).status == "draft"  # looking submits nothing
    assert client_for(staff_b).get(check_url).status_code == 404  # another lycée's declaration
    response = client.post(reverse("bts_fees:declaration_submit", args=[declaration.pk]), follow=True)
    assert Declaration.objects.get(pk=declaration.pk).status == "submitted"
    assert "ou la rejette avec un motif" in html(response)  # the confirmation page says what comes next
    # once submitted, the check page leads back to the declaration
    assert client.get(check_url).status_code == 302


def test_a_declaration_that_cannot_be_submitted_says_why_and_offers_no_button(client_for, exam_board_a, staff_a):
    declaration = deliberation_declaration(exam_board_a, staff_a, with_sheet=False)
    page = html(client_for(staff_a).get(reverse("bts_fees:declaration_submit_check", args=[declaration.pk])))
    assert 'id="submission-problems"' in page
    assert "Soumettre la déclaration (" not in page


def test_bulk_validation_shows_what_will_be_validated_first(client_for, officer, submitted_a):
    client = client_for(officer)
    page = html(
        client.post(
            reverse("bts_fees:declarations_validate_check"), {"ids": [submitted_a.pk], "next": "/bts/declarations/"}
        )
    )
    # conftest: 203,24 + 6 × 73,85 = 646,34 €
    assert 'id="recap-total">646,34 €' in page
    assert "Valider la déclaration (646,34 €)" in page
    assert Declaration.objects.get(pk=submitted_a.pk).status == "submitted"  # nothing validated yet
    response = client.post(reverse("bts_fees:declarations_validate_bulk"), {"ids": [submitted_a.pk]}, follow=True)
    assert "1 déclaration validée" in html(response)
    assert Declaration.objects.get(pk=submitted_a.pk).status == "validated"


def test_bulk_validation_check_is_for_officers(client_for, staff_a, submitted_a):
    response = client_for(staff_a).post(reverse("bts_fees:declarations_validate_check"), {"ids": [submitted_a.pk]})
    assert response.status_code == 403
