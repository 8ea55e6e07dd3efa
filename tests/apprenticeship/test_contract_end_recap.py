"""Closing a contract goes through a recap of what the schedule becomes."""

from django.urls import reverse

from apprenticeship.models import Contract
from tests.utils import html

from .factories import ContractFactory


def test_recap_then_close(client_for, staff_a, school_a, app_reference):
    contract = ContractFactory(school=school_a)  # 01/09/2025 → 15/07/2028: 35 months
    client = client_for(staff_a)
    data = {"outcome": "terminated", "ended_on": "15/03/2026", "reason": "Rupture d'un commun accord"}
    page = html(client.post(reverse("apprenticeship:contract_end_check", args=[contract.pk]), data))
    # the last month is March 2026, 15 of 31 days; September 2025 to March 2026 are 7 months, so
    # 35 − 7 = 28 months fall away
    assert "Mars 2026 (15/31)" in page or "mars 2026 (15/31)" in page
    assert 'id="recap-dropped">28<' in page
    assert "Rupture d'un commun accord" in page
    assert Contract.objects.get(pk=contract.pk).status == "active"  # nothing closed yet
    response = client.post(
        reverse("apprenticeship:contract_end", args=[contract.pk]),
        {"outcome": "terminated", "ended_on": "2026-03-15", "reason": "Rupture d'un commun accord"},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.status, str(contract.ended_on)) == ("terminated", "2026-03-15")


def test_a_bad_date_goes_back_to_the_form(client_for, staff_a, school_a, app_reference):
    contract = ContractFactory(school=school_a)
    response = client_for(staff_a).post(
        reverse("apprenticeship:contract_end_check", args=[contract.pk]), {"outcome": "completed", "ended_on": "99/99"}
    )
    assert response.status_code == 400
    assert 'href="#id_ended_on"' in html(response)


def test_closing_leads_to_the_confirmation(client_for, staff_a, staff_b, school_a, app_reference):
    contract = ContractFactory(school=school_a)
    client = client_for(staff_a)
    done_url = reverse("apprenticeship:contract_ended", args=[contract.pk])
    # still active: nothing to confirm
    assert client.get(done_url)["Location"] == reverse("apprenticeship:contract_detail", args=[contract.pk])
    response = client.post(
        reverse("apprenticeship:contract_end", args=[contract.pk]),
        {"outcome": "terminated", "ended_on": "2026-03-15", "reason": "Rupture d'un commun accord"},
    )
    assert response["Location"] == done_url
    page = html(client.get(done_url))
    assert "Contrat clôturé" in page and f"Référence : {contract.reference}" in page
    assert "Résilié le 15/03/2026" in page
    # APP-7: the year 2025-2026 ends on 31/08/2026; the request is time-barred from 01/07/2027 and
    # can be filed from the day after the end, 16/03/2026, to 30/06/2027
    assert "de l'année 2025-2026 à partir du 16/03/2026 et jusqu'au 30/06/2027 inclus" in page
    assert "à partir du 01/07/2027, la demande est forclose" in page
    assert client_for(staff_b).get(done_url).status_code == 404
