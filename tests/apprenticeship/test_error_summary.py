"""The forms of the contract page open with an error summary; a contract that cannot be activated
says why once."""

from django.urls import reverse

from .factories import ContractFactory


def test_a_crispy_form_in_a_page_opens_with_the_summary(client_for, employer_user, employer_a):
    contract = ContractFactory(employer=employer_a)
    response = client_for(employer_user).post(
        reverse("apprenticeship:payment_record", args=[contract.pk]), {"month": "2025-13", "paid_amount": ""}
    )
    html = response.content.decode()
    assert response.status_code == 400
    summary = html[html.index("data-error-summary") : html.index("</div>", html.index("data-error-summary"))]
    assert "2 points sont à corriger" in summary
    assert '<a href="#id_month"' in summary
    assert '<a href="#id_paid_amount"' in summary


def test_a_contract_that_cannot_be_activated_says_why_once(client_for, staff_a, school_a, app_reference):
    contract = ContractFactory(school=school_a, status="registered", chamber_reference="", tutor_name="")
    client = client_for(staff_a)
    html = client.get(reverse("apprenticeship:contract_detail", args=[contract.pk])).content.decode()
    assert 'id="activate-blocked"' in html  # the button that cannot succeed says why instead
    response = client.post(reverse("apprenticeship:contract_activate", args=[contract.pk]), follow=True)
    html = response.content.decode().replace("&#x27;", "'")
    # three conditions fail (the factory's employer has no approval, no chamber number, no
    # tutor): each is said once, in the list of checks, and one message points to it
    assert html.count("Le tuteur et sa qualification ne sont pas renseignés.") == 1
    assert "3 conditions ne sont pas remplies (voir ci-dessous)" in html
