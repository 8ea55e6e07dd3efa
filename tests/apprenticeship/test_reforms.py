"""Reform scenarios: simulation over the caseload, adoption, arrears with the State's share.

Figures by hand. SSM at index 100: 279,30 (2025 on). Index 968,04 (May 2025 – May 2026): SSM
2 703,74 €; index 992,24 (June 2026 on): SSM 2 771,33 €. Contract « A »: CCP-BOUL (3 years,
27 / 37 / 47 % today), 01/09/2025 – 15/07/2028, year 1 in 2025-2026. The bill: CCP 3 years
45 / 50 / 60 %, State pays the difference, 750 € a year per contract, from 01/01/2026.
"""

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apprenticeship import selectors, services
from apprenticeship.models import Contract, Statement, TradeRate
from apprenticeship.reforms import services as reform_services
from apprenticeship.reforms.demo import february_2026_bill
from core.enums import JobStatus
from core.models import AuditEvent, BackgroundJob
from tests.jobs import drain

from .factories import ContractFactory, EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill(app_reference):
    return february_2026_bill()


@pytest.fixture
def contract_a(app_reference, employer_a):
    return ContractFactory(employer=employer_a, reference="APP-A")


def _by_key(entries):
    return {e["key"]: e for e in entries}


def test_the_simulation_of_a_ccp_contract_month_by_month_and_in_total(bill, contract_a, officer):
    ContractFactory(employer=contract_a.employer, status="draft")  # a draft is not simulated
    ContractFactory(employer=contract_a.employer, start_date=date(2024, 9, 1), end_date=date(2025, 12, 31))  # ended
    simulation, content = reform_services.reform_simulate(actor=officer, scenario=bill)
    assert simulation.contracts == 1 and simulation.skipped == 0
    months = _by_key(simulation.totals["month"])
    # January 2026: 27 % of 2 703,74 = 730,01 now; 45 % = 1 216,68; difference 486,67 paid by the
    # State; the trainers' 750 € of 2026.
    jan = months["2026-01"]
    assert (jan["current"], jan["reformed"], jan["difference"], jan["state"], jan["employer"], jan["bonus"]) == (
        "730.01",
        "1216.68",
        "486.67",
        "486.67",
        "0.00",
        "750.00",
    )
    # Differences: Jan–May 2026 5 × 486,67 = 2 433,35; Jun–Aug 2026 (SSM 2 771,33: 748,26 → 1 247,10)
    # 3 × 498,84 = 1 496,52; 2026-2027 year 2 (1 025,39 → 1 385,67) 12 × 360,28 = 4 323,36;
    # Sep 2027 – Jun 2028 year 3 (1 302,53 → 1 662,80) 10 × 360,27 = 3 602,70; 1–15 July 2028
    # (630,26 → 804,58) 174,32. Total 12 030,25, all the State's; bonus 3 × 750 = 2 250,00.
    assert (simulation.difference_amount, simulation.state_amount, simulation.employer_amount) == (
        D("12030.25"),
        D("12030.25"),
        D("0.00"),
    )
    assert simulation.bonus_amount == D("2250.00")
    assert len(months) == 31  # January 2026 to July 2028
    assert _by_key(simulation.totals["diploma"])["CCP"]["contracts"] == 1
    assert simulation.totals["employer"][0]["label"] == "Boulangerie A"
    assert "APP-A,Boulangerie A,Lycée A,Boulanger-pâtissier,CCP,31," in content.decode("utf-8-sig")


def test_a_draft_scenario_changes_no_amount(bill, contract_a, officer):
    before = selectors.schedule_compute(contract=contract_a).total_due
    rates = TradeRate.objects.count()
    reform_services.reform_simulate(actor=officer, scenario=bill)
    assert TradeRate.objects.count() == rates
    assert selectors.schedule_compute(contract=contract_a).total_due == before


def test_the_simulation_is_for_officers_only(bill, employer_user):
    with pytest.raises(PermissionDenied):
        reform_services.reform_simulate(actor=employer_user, scenario=bill)


def _queries(officer, bill):
    with CaptureQueriesContext(connection) as ctx:
        reform_services.reform_simulate(actor=officer, scenario=bill)
    return len(ctx.captured_queries)


def test_the_simulation_runs_in_a_constant_number_of_queries(bill, contract_a, officer):
    few = _queries(officer, bill)
    for _n in range(8):
        contract = ContractFactory(employer=EmployerFactory(), trade=contract_a.trade)
        contract.training_years.create(school_year=2025, training_year=1)
    assert _queries(officer, bill) == few
    # 1 rates of the scenario, 1 contracts, 1 training years, 2 index and SSM, 2 trade and formation
    # names, 2 rates, 2 school and employer names, 2 inserts of the totals (and their history row).
    assert few == 13


@time_machine.travel(date(2026, 4, 15))
def test_adoption_writes_the_rates_from_the_retroactive_date_and_the_state_pays_the_arrears(bill, contract_a, officer):
    # A statement issued before the vote: January 2026 at 730,01 (27 %).
    statement = services.statement_issue(actor=officer, contract=contract_a)
    jan = date(2026, 1, 1)
    assert statement.lines.get(month=jan).due_amount == D("730.01")

    written = reform_services.reform_adopt(actor=officer, scenario=bill)
    # Rates that change: CCP 3 years × 2 trades (27/37/47 → 45/50/60) = 6; DAP × 2 trades, 3 years
    # each (every year gets 60 % after the PII) = 6; DT × 2 trades, years 1 and 2 (40 → 45/60,
    # 50 → 50/60) = 4; DT year 3 (60/60) and year 4 (75/75) are kept. 16 in all. The BTS
    # cross-border amounts (2 years) are above 45/60 % of the SSM and are kept.
    assert written == 16
    bill.refresh_from_db()
    assert bill.status == "adopted" and bill.adopted_by == officer
    year_1 = TradeRate.objects.filter(trade=contract_a.trade, training_year=1).order_by("valid_from")
    assert [(r.valid_from, r.valid_until, r.rate_before_pii) for r in year_1] == [
        (date(2023, 1, 1), date(2025, 12, 31), D("27.00")),
        (date(2026, 1, 1), None, D("45.00")),
    ]
    assert AuditEvent.objects.filter(action="apprenticeship.reform_adopt", object_id=str(bill.pk)).count() == 1

    # The issued statement is frozen.
    statement.refresh_from_db()
    assert statement.lines.get(month=jan).due_amount == D("730.01")

    # Arrears month by month, January to April 2026 (months due on 15/04/2026): 1 216,68 − 730,01 =
    # 486,67 each, all the State's; nothing for the employer; nothing before January.
    contract = Contract.objects.get(pk=contract_a.pk)
    schedule = selectors.schedule_compute(contract=contract)
    comparison = selectors.schedule_compare(contract=contract, schedule=schedule)
    arrears = {r.line.month: (r.difference, r.state_share, r.employer_difference) for r in comparison.rows if r.due}
    assert arrears[date(2025, 12, 1)] == (D("0.00"), None, D("0.00"))
    for month in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)):
        assert arrears[month] == (D("486.67"), D("486.67"), D("0.00"))
    assert date(2026, 5, 1) not in arrears  # a month to come is not owed yet
    # 4 × 486,67 = 1 946,68.
    assert (comparison.total_difference, comparison.total_state_share, comparison.total_employer_difference) == (
        D("1946.68"),
        D("1946.68"),
        D("0.00"),
    )
    overview = selectors.arrears_overview(user=officer)
    assert [(r["contract"].pk, r["difference"], r["state_share"]) for r in overview] == [
        (contract_a.pk, D("1946.68"), D("1946.68"))
    ]

    # A new statement shows the correction: January 2026 at 1 216,68.
    new = services.statement_issue(actor=officer, contract=contract)
    assert new.lines.get(month=jan).due_amount == D("1216.68")
    assert Statement.objects.filter(contract=contract).count() == 2


def test_a_scenario_is_adopted_once_and_by_an_officer(bill, officer, employer_user):
    with pytest.raises(PermissionDenied):
        reform_services.reform_adopt(actor=employer_user, scenario=bill)
    reform_services.reform_adopt(actor=officer, scenario=bill)
    with pytest.raises(ValidationError):
        reform_services.reform_adopt(actor=officer, scenario=bill)


def test_keep_higher_keeps_the_dt_fourth_year_at_75_percent(bill, officer):
    # DT year 4: 75 % today, the bill gives 45 / 60 %: the higher, 75 / 75 %, is written.
    reform_services.reform_adopt(actor=officer, scenario=bill)
    rate = TradeRate.objects.filter(trade__code="DT-ELTE", training_year=4).current(on=date(2026, 1, 1))
    assert (rate.rate_before_pii, rate.rate_after_pii) == (D("75.00"), D("75.00"))
    # DT year 1: 40 % today → 45 before the PII, 60 after.
    rate = TradeRate.objects.filter(trade__code="DT-ELTE", training_year=1).current(on=date(2026, 1, 1))
    assert (rate.rate_before_pii, rate.rate_after_pii) == (D("45.00"), D("60.00"))


# -- pages -----------------------------------------------------------------------------------------


def test_the_scenario_pages_are_for_officers(bill, client_for, employer_user, staff_a):
    for user in (employer_user, staff_a):
        client = client_for(user)
        assert client.get(reverse("apprenticeship:reform_list")).status_code == 403
        assert client.get(reverse("apprenticeship:reform_detail", args=[bill.pk])).status_code == 403
        assert (
            client.post(reverse("apprenticeship:reform_adopt", args=[bill.pk]), {"confirm": "yes"}).status_code == 403
        )
    bill.refresh_from_db()
    assert bill.status == "draft"


def test_the_detail_page_shows_the_totals_a_chart_and_exports(bill, contract_a, officer, client_for):
    reform_services.reform_simulate(actor=officer, scenario=bill)
    client = client_for(officer)
    page = client.get(reverse("apprenticeship:reform_detail", args=[bill.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "12\u202f030,25\u00a0€" in text or "12 030,25" in text.replace("\u202f", " ").replace("\u00a0", " ")
    assert text.count("<rect ") == 31  # one bar per month, January 2026 to July 2028
    assert 'id="totals-employer"' in text
    export = client.get(reverse("apprenticeship:reform_export", args=[bill.pk, "month", "csv"]))
    assert export.status_code == 200
    assert "2026-01,1,730.01,1216.68,486.67,486.67,0.00,750.00" in export.content.decode()
    xlsx = client.get(reverse("apprenticeship:reform_export", args=[bill.pk, "employer", "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("apprenticeship:reform_export", args=[bill.pk, "month", "html"])).status_code == 404
    assert client.get(reverse("apprenticeship:reform_export", args=[bill.pk, "apprentice", "csv"])).status_code == 404


def test_adoption_needs_the_confirmation_then_journals(bill, officer, client_for):
    client = client_for(officer)
    url = reverse("apprenticeship:reform_adopt", args=[bill.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {})
    assert refused.status_code == 400 and "Cochez la case de confirmation" in refused.content.decode()
    bill.refresh_from_db()
    assert bill.status == "draft"
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    bill.refresh_from_db()
    assert bill.status == "adopted"
    assert AuditEvent.objects.filter(action="apprenticeship.reform_adopt").count() == 1


@pytest.mark.jobs
def test_the_simulation_runs_as_a_background_job(
    bill, contract_a, officer, client_for, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("apprenticeship:reform_simulate", args=[bill.pk]))
    drain()
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 1, 1)
    with job.result.open("rb") as handle:
        assert "APP-A,Boulangerie A" in handle.read().decode("utf-8-sig")
    assert bill.simulations.get().difference_amount == D("12030.25")


@time_machine.travel(date(2026, 4, 15))
def test_after_adoption_the_employer_sees_the_states_share_apart(bill, contract_a, officer, employer_user, client_for):
    services.statement_issue(actor=officer, contract=contract_a)
    reform_services.reform_adopt(actor=officer, scenario=bill)
    client = client_for(employer_user)
    # 4 months due (January–April 2026) × 486,67 = 1 946,68, all the State's, nothing the employer's.
    detail = client.get(reverse("apprenticeship:contract_detail", args=[contract_a.pk])).content.decode()
    assert 'id="reform-state-share"' in detail
    assert detail.count('class="reform-state"') == 4
    # Every month from January 2026 to July 2028 (31) shows the State's part of the amount due.
    assert detail.count('class="reform-state-month"') == 31
    arrears = client.get(reverse("apprenticeship:arrears")).content.decode().replace("\u202f", " ").replace("\xa0", " ")
    assert 'id="total-state-share">1 946,68 €' in arrears
    assert 'id="total-employer-difference">0,00 €' in arrears


def test_contracts_sharing_their_computing_inputs_are_each_counted(bill, contract_a, officer):
    ContractFactory(employer=EmployerFactory(name="Fleurs B"), trade=contract_a.trade)  # same dates as A
    simulation, _content = reform_services.reform_simulate(actor=officer, scenario=bill)
    assert simulation.contracts == 2
    # January 2026: 2 × 730,01 = 1 460,02 now, 2 × 486,67 = 973,34 more, 2 × 750 bonus.
    jan = _by_key(simulation.totals["month"])["2026-01"]
    assert (jan["current"], jan["difference"], jan["bonus"], jan["contracts"]) == ("1460.02", "973.34", "1500.00", 2)
    # 2 × 12 030,25 = 24 060,50 in all; each employer 12 030,25.
    assert simulation.difference_amount == D("24060.50")
    assert {e["label"]: e["difference"] for e in simulation.totals["employer"]} == {
        "Boulangerie A": "12030.25",
        "Fleurs B": "12030.25",
    }
