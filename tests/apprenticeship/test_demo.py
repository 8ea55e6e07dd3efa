"""The demo data shows every case of the issue to each demo account at first start."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apprenticeship import rules, selectors
from apprenticeship.models import AidRequest, Contract, Payment
from core.models import User


@pytest.fixture
def demo(db):
    call_command("bareme_init", "--demo", verbosity=0)


def test_each_demo_account_sees_its_contracts(demo, client):
    expected = {"employeur.a": 4, "employeur.b": 3, "lycee.bonnevoie": 4, "lycee.ettelbruck": 3, "agent": 7}
    for username, count in expected.items():
        user = User.objects.get(username=username)
        assert selectors.contract_list(user).count() == count, username
        client.force_login(user)
        assert client.get(reverse("apprenticeship:contract_list")).status_code == 200
        assert client.get(reverse("core:home")).status_code == 200


def test_demo_covers_the_cases_of_the_issue(demo, client):
    agent = User.objects.get(username="agent")
    contracts = {c.apprentice.last_name: c for c in selectors.contract_list(agent)}
    assert contracts["Muller"].trade.diploma == "CCP"
    assert contracts["Reuter"].start_date.day == 15
    assert contracts["Da Silva"].is_adult
    assert contracts["Martin"].formation.title == "BTS Électrotechnique"
    assert contracts["Kayser"].status == "draft"

    dap = contracts["Schmit"]
    comparison = selectors.schedule_compare(contract=dap, schedule=selectors.schedule_compute(contract=dap))
    assert comparison.total_shortfall == D("270.36")  # March and April 2026: 1 216,68 due, 1 081,50 paid

    dt = contracts["Wagner"]
    comparison = selectors.schedule_compare(contract=dt, schedule=selectors.schedule_compute(contract=dt))
    assert comparison.total_difference == D("75.22")  # index 992,24: June 50,69 + July (15/31) 24,53
    assert selectors.schedule_compute(contract=dt).lines[-1].rate_percent == D("75.00")  # DT 4th year

    # the employer's screens (one load of the demo for both parts: it takes a few seconds)
    client.force_login(User.objects.get(username="employeur.b"))
    dt = Contract.objects.get(apprentice__last_name="Wagner")
    html = client.get(reverse("apprenticeship:contract_detail", args=[dt.pk])).content.decode()
    assert 'id="difference"' in html
    assert client.get(reverse("apprenticeship:arrears")).status_code == 200
    other = Contract.objects.get(apprentice__last_name="Schmit")
    assert client.get(reverse("apprenticeship:contract_detail", args=[other.pk])).status_code == 404


def _load_apprenticeship_demo():
    """Core (schools, accounts, index, SSM) and the apprenticeship demo only, through the same
    functions `bareme_init --demo` calls."""
    import io

    from apprenticeship import demo as app_demo
    from core import demo as core_demo

    out = io.StringIO()
    for module in (core_demo, app_demo):
        module.load_reference(out)
    for module in (core_demo, app_demo):
        module.load_demo(out)


@pytest.mark.parametrize(
    ("today", "aid_years"), [(None, None), (date(2027, 7, 15), []), (date(2027, 9, 15), [2026, 2026])]
)
def test_the_demo_story_holds_under_the_rules_of_money(db, time_machine, today, aid_years):
    """Loaded on any day from now on, the demo breaks none of the rules: no aid request for a year
    not ended or time-barred when prepared (APP-6/APP-7), no payment for a month to come, nothing
    frozen on a draft (APP-9), no contract longer than its training (APP-8). On 15/07/2027 no year
    can be requested (2025-2026 is time-barred since 01/07/2027, 2026-2027 has not ended): the
    former demo prepared 2026-2027 then."""
    if today is not None:
        time_machine.move_to(today)
    _load_apprenticeship_demo()
    today = timezone.localdate()
    for contract in Contract.objects.select_related("trade", "formation"):
        maximum = rules.contract_max_end(
            contract.start_date, duration=contract.duration_years, first_training_year=contract.first_training_year
        )
        assert contract.end_date <= maximum, contract
        if contract.status == "draft":
            assert not (contract.statements.exists() or contract.payments.exists() or contract.aid_requests.exists())
    assert not Payment.objects.filter(month__gt=today.replace(day=1)).exists()
    for aid in AidRequest.objects.select_related("contract"):
        window = rules.aid_year(aid.school_year, contract_end=aid.contract.effective_end)
        assert window.requestable(timezone.localdate(aid.prepared_at)), aid
    if aid_years is not None:
        assert sorted(AidRequest.objects.values_list("school_year", flat=True)) == aid_years


def test_demo_has_the_february_2026_bill_as_a_draft_that_simulates_and_changes_nothing(demo):
    from apprenticeship.models import ReformScenario, TradeRate
    from apprenticeship.reforms import services as reform_services

    scenario = ReformScenario.objects.get()
    assert (scenario.status, scenario.effective_from, scenario.trainer_bonus_amount) == (
        "draft",
        date(2026, 1, 1),
        D("750.00"),
    )
    assert scenario.rates.count() == 14  # CCP 2 + 3 years, cross-border 2 years, DAP 3 years, DT 4 years
    rates = list(TradeRate.objects.values_list("pk", "rate_before_pii", "rate_after_pii"))
    simulation, _content = reform_services.reform_simulate(actor=User.objects.get(username="agent"), scenario=scenario)
    assert simulation.contracts >= 1 and simulation.skipped == 0
    assert simulation.state_amount > 0 and simulation.employer_amount == 0
    assert list(TradeRate.objects.values_list("pk", "rate_before_pii", "rate_after_pii")) == rates
    call_command("bareme_init", "--demo", verbosity=0)  # idempotent
    assert ReformScenario.objects.count() == 1
