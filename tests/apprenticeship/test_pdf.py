"""PDF statements: the figures shown on screen, frozen after a new index, scoped."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apprenticeship import selectors, services
from core.models import LuxIndex
from tests.core.test_views import pdf_text
from tests.factories import add_period

from .factories import ContractFactory


def screen_total(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}">([^<]+)<', html.replace("\u00a0", " "))
    return match.group(1).strip()


def test_statement_pdf_has_the_totals_of_the_screen_and_stays_frozen(client_for, employer_user, employer_a):
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 10, 15), is_adult=True)
    client = client_for(employer_user)
    response = client.post(reverse("apprenticeship:statement_issue", args=[contract.pk]))
    statement = contract.statements.get()
    assert response["Location"] == reverse("apprenticeship:statement_detail", args=[statement.pk])
    html = client.get(response["Location"]).content.decode()
    total = screen_total(html, "statement-total")
    assert total == f"{statement.total_due_amount:,.2f} €".replace(",", " ").replace(".", ",")

    pdf = client.get(reverse("apprenticeship:statement_pdf", args=[statement.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert total in text
    # adult, start on the 15th: indemnity 730,01 × 17/31, State reimbursement, due = 2 703,74 × 17/31
    assert "17/31 400,33 € 1 082,37 € 1 482,70 €" in text
    assert statement.reference in text
    assert contract.reference in text
    assert "Boulangerie A" in text
    assert re.search(r"Page 1 / [2-9]", text)
    assert "ITM" in text and "STATEC" in text  # sources

    add_period(LuxIndex(valid_from=date(2026, 1, 1), value="980.00", source="test"))
    again = pdf_text(client.get(reverse("apprenticeship:statement_pdf", args=[statement.pk])).content)
    assert total in again
    html = client.get(reverse("apprenticeship:statement_detail", args=[statement.pk])).content.decode()
    assert screen_total(html, "statement-total") == total
    assert 'id="difference"' in html


def test_aid_pdf_has_the_totals(client_for, employer_user, employer_a, time_machine):
    time_machine.move_to(date(2026, 5, 1))
    contract = ContractFactory(employer=employer_a, start_date=date(2024, 9, 1), end_date=date(2027, 7, 15))
    client = client_for(employer_user)
    response = client.post(
        reverse("apprenticeship:aid_prepare", args=[contract.pk]),
        {"school_year": "2024", "social_charges_amount": "1 200,00"},
    )
    aid = contract.aid_requests.get()
    assert response["Location"] == reverse("apprenticeship:aid_detail", args=[aid.pk])
    html = client.get(response["Location"]).content.decode().replace("\u00a0", " ")
    assert "4 618,18 €" in html
    assert "dans 61 jours" not in html and "01/07/2026" in html
    text = pdf_text(client.get(reverse("apprenticeship:aid_pdf", args=[aid.pk])).content)
    for figure in ("8 545,44 €", "3 418,18 €", "1 200,00 €", "4 618,18 €", "01/07/2026", aid.reference):
        assert figure in text


def test_aid_form_warns_when_the_deadline_is_near_or_passed(client_for, employer_user, employer_a, time_machine):
    contract = ContractFactory(employer=employer_a, start_date=date(2024, 9, 1), end_date=date(2027, 7, 15))
    client = client_for(employer_user)
    url = reverse("apprenticeship:aid_prepare", args=[contract.pk])
    time_machine.move_to(date(2026, 6, 1))
    html = client.get(url, {"school_year": "2024"}).content.decode().replace("\u00a0", " ")
    assert "dans 30 jours" in html
    time_machine.move_to(date(2026, 7, 2))
    html = client.get(url, {"school_year": "2024"}).content.decode().replace("&#x27;", "'")
    assert "Délai dépassé" in html
    response = client.post(url, {"school_year": "2024", "social_charges_amount": "0"})
    assert response.status_code == 400
    assert "forclose" in response.content.decode()
    assert contract.aid_requests.count() == 0
    with pytest.raises(ValidationError) as caught:  # the next year has not ended (APP-6/APP-7 as clarified)
        selectors.aid_preview(contract=contract, school_year=2025)
    assert "2025-2026 n'est pas terminée" in caught.value.message_dict["school_year"][0]


def test_statement_pdf_over_a_chosen_period_shows_paid_and_remaining(client_for, employer_user, employer_a):
    from decimal import Decimal

    contract = ContractFactory(employer=employer_a, start_date=date(2025, 10, 15), is_adult=True)
    client = client_for(employer_user)
    client.post(reverse("apprenticeship:statement_issue", args=[contract.pk]))
    statement = contract.statements.get()
    services.payment_record(actor=employer_user, contract=contract, month=date(2025, 10, 1), paid_amount="1000.00")
    url = reverse("apprenticeship:statement_pdf", args=[statement.pk])

    text = pdf_text(client.get(url, {"du": "2025-10", "au": "2025-10"}).content)
    # October 2025 (adult, from the 15th): indemnity 400,33, State reimbursement 1 082,37,
    # due 1 482,70; paid 1 000,00 → remaining 1 482,70 − 1 000,00 = 482,70. The period is that
    # month alone: its totals are the same figures.
    assert "10/2025 – 10/2025" in text
    assert "17/31 400,33 € 1 082,37 € 1 482,70 € 1 000,00 € 482,70 €" in text
    assert "Total de la période 1 082,37 € 1 482,70 € 1 000,00 € 482,70 €" in text
    assert "11/2025" not in text.split("Total de la période")[0].split("Échéancier")[1]

    # Two months: November has no payment recorded and remains owed in full.
    november = statement.lines.get(month=date(2025, 11, 1)).due_amount
    text = pdf_text(client.get(url, {"du": "10/2025", "au": "11/2025"}).content)
    remaining = Decimal("482.70") + november
    assert f"{remaining:,.2f} €".replace(",", " ").replace(".", ",") in text.split("Total de la période")[1]
    assert "non saisi" in text


def test_statement_pdf_period_defaults_to_the_months_already_due(client_for, employer_user, employer_a, time_machine):
    time_machine.move_to(date(2026, 3, 10))
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 10, 15), is_adult=True)
    client = client_for(employer_user)
    client.post(reverse("apprenticeship:statement_issue", args=[contract.pk]))
    statement = contract.statements.get()
    text = pdf_text(client.get(reverse("apprenticeship:statement_pdf", args=[statement.pk])).content)
    assert "10/2025 – 03/2026" in text
    table = text.split("Échéancier")[1].split("Total de la période")[0]
    assert "03/2026" in table and "04/2026" not in table


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"du": "2026-05", "au": "2026-01"}, "Le dernier mois de la période précède le premier."),
        ({"du": "mai"}, "Saisissez un mois valide"),
    ],
)
def test_statement_pdf_refuses_a_wrong_period_with_a_message(client_for, employer_user, employer_a, params, message):
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 10, 15))
    client = client_for(employer_user)
    client.post(reverse("apprenticeship:statement_issue", args=[contract.pk]))
    statement = contract.statements.get()
    response = client.get(reverse("apprenticeship:statement_pdf", args=[statement.pk]), params, follow=True)
    assert response.redirect_chain[-1][0] == reverse("apprenticeship:statement_detail", args=[statement.pk])
    assert message in response.content.decode()
