"""After a declaration is submitted or declarations are validated in bulk, a confirmation page says
what was done (reference, amount) and what happens next; it reads the figures again, scoped to the
user, and leads elsewhere when there is nothing to confirm."""

from django.urls import reverse

from bts_fees.models import Declaration
from tests.utils import html

from .conftest import deliberation_declaration


def test_submitting_leads_to_the_confirmation(client_for, exam_board_a, staff_a, staff_b):
    declaration = deliberation_declaration(exam_board_a, staff_a)
    client = client_for(staff_a)
    done_url = reverse("bts_fees:declaration_submitted", args=[declaration.pk])
    # before it is submitted, there is nothing to confirm
    assert client.get(done_url)["Location"] == reverse("bts_fees:declaration_detail", args=[declaration.pk])
    response = client.post(reverse("bts_fees:declaration_submit", args=[declaration.pk]))
    assert response["Location"] == done_url
    page = html(client.get(done_url))
    assert 'id="confirmation"' in page and "Déclaration soumise au ministère" in page
    assert f"Référence : {declaration.reference}" in page
    # conftest: 7 lines, 203,24 + 6 × 73,85 = 646,34 €
    assert "7 lignes, 646,34 € au total" in page
    assert "Et maintenant ?" in page and "un courriel est envoyé" in page
    assert reverse("core:home") in page
    assert client_for(staff_b).get(done_url).status_code == 404  # another lycée's declaration


def test_bulk_validation_leads_to_the_confirmation(client_for, officer, staff_a, submitted_a):
    client = client_for(officer)
    response = client.post(reverse("bts_fees:declarations_validate_bulk"), {"ids": [submitted_a.pk]})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("bts_fees:declarations_validated"))
    assert Declaration.objects.get(pk=submitted_a.pk).status == "validated"
    page = html(client.get(response["Location"]))
    assert "1 déclaration validée" in page
    # conftest: 203,24 + 6 × 73,85 = 646,34 €
    assert "Montants arrêtés : 646,34 € au total" in page
    assert submitted_a.reference in page and "Synthèse annuelle" in page
    # lycée staff do not open it; an address naming no validated declaration leads to the list
    assert client_for(staff_a).get(response["Location"]).status_code == 403
    nothing = client.get(reverse("bts_fees:declarations_validated") + "?ids=0&ids=x")
    assert nothing["Location"] == reverse("bts_fees:declaration_list")


def test_validating_nothing_goes_back_to_the_list(client_for, officer, exam_board_a, staff_a):
    draft = deliberation_declaration(exam_board_a, staff_a)
    response = client_for(officer).post(
        reverse("bts_fees:declarations_validate_bulk"), {"ids": [draft.pk], "next": "/bts/declarations/"}
    )
    assert response["Location"] == "/bts/declarations/"
    assert Declaration.objects.get(pk=draft.pk).status == "draft"
