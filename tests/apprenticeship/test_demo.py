"""The demo data shows every case of the issue to each demo account at first start."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from apprenticeship import selectors, services
from apprenticeship.models import Contract
from core.models import User


@pytest.fixture
def demo(db):
    call_command("bareme_init", "--demo", verbosity=0)


def test_each_demo_account_sees_its_contracts(demo, client):
    expected = {"employeur.a": 4, "employeur.b": 3, "lycee.bonnevoie": 4, "lycee.ettelbruck": 3, "agent": 7}
    for username, count in expected.items():
        user = User.objects.get(username=username)
        assert selectors.contracts_for(user).count() == count, username
        client.force_login(user)
        assert client.get(reverse("apprenticeship:contract_list")).status_code == 200
        assert client.get(reverse("core:home")).status_code == 200


def test_demo_covers_the_cases_of_the_issue(demo, client):
    agent = User.objects.get(username="agent")
    contracts = {c.apprentice.last_name: c for c in selectors.contracts_for(agent)}
    assert contracts["Muller"].trade.diploma == "CCP"
    assert contracts["Reuter"].start_date.day == 15
    assert contracts["Da Silva"].is_adult
    assert contracts["Martin"].formation.title == "BTS Électrotechnique"
    assert contracts["Kayser"].status == "draft"

    dap = contracts["Schmit"]
    comparison = services.schedule_compare(contract=dap, schedule=services.schedule_compute(contract=dap))
    assert comparison.total_shortfall == D("270.36")  # March and April 2026: 1 216,68 due, 1 081,50 paid

    dt = contracts["Wagner"]
    comparison = services.schedule_compare(contract=dt, schedule=services.schedule_compute(contract=dt))
    assert comparison.total_difference == D("75.22")  # index 992,24: June 50,69 + July (15/31) 24,53
    assert services.schedule_compute(contract=dt).lines[-1].rate_percent == D("75.00")  # DT 4th year

    # the employer's screens (one load of the demo for both parts: it takes a few seconds)
    client.force_login(User.objects.get(username="employeur.b"))
    dt = Contract.objects.get(apprentice__last_name="Wagner")
    html = client.get(reverse("apprenticeship:contract_detail", args=[dt.pk])).content.decode()
    assert 'id="difference"' in html
    assert client.get(reverse("apprenticeship:arrears")).status_code == 200
    other = Contract.objects.get(apprentice__last_name="Schmit")
    assert client.get(reverse("apprenticeship:contract_detail", args=[other.pk])).status_code == 404
