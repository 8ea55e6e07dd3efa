"""Apprenticeship through the API: scope, schedule figures by hand, payments, registration, journal."""

from datetime import date

import pytest
import time_machine

from apprenticeship import services
from apprenticeship.models import Contract, Payment, Trade
from core.models import AuditEvent
from tests.apprenticeship.factories import ContractFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def contracts(employer_a, employer_b, school_a, school_b):
    # CCP boulanger from 1 September 2025, first training year 1 (ContractFactory).
    a = ContractFactory(employer=employer_a, school=school_a)
    b = ContractFactory(employer=employer_b, school=school_b, trade=Trade.objects.get(code="DAP-ELEC"))
    return a, b


def test_employer_lists_only_their_contracts_with_their_id(api_for, employer_user, contracts):
    a, b = contracts
    body = api_for(employer_user).get("/api/v1/apprenticeship/contracts/").json()
    assert [item["id"] for item in body["results"]] == [a.pk]
    assert body["results"][0]["reference"] == a.reference
    assert body["results"][0]["apprentice_national_id"].endswith(a.apprentice.national_id[-4:])
    assert a.apprentice.national_id not in str(body)
    assert set(body) >= {"next", "previous", "results"}


def test_another_tenants_contract_is_404_everywhere(api_for, employer_user, contracts):
    _a, b = contracts
    client = api_for(employer_user)
    for suffix in ("", "schedule/", "statements/", "payments/"):
        assert client.get(f"/api/v1/apprenticeship/contracts/{b.pk}/{suffix}").status_code == 404
    response = client.post(
        f"/api/v1/apprenticeship/contracts/{b.pk}/payments/", {"month": "2025-10", "paid_amount": "1"}
    )
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_schedule_figures(api_for, employer_user, contracts):
    a, _b = contracts
    body = api_for(employer_user).get(f"/api/v1/apprenticeship/contracts/{a.pk}/schedule/").json()
    months = {m["month"]: m for m in body["months"]}
    # September 2025: index 968,04 (since 1 May 2025); SSM 279,30 × 968,04 / 100 = 2 703,7357 → 2 703,74;
    # CCP 1st year 27 %: 2 703,74 × 0,27 = 730,0098 → 730,01.
    sept = months["2025-09"]
    assert (sept["index"], sept["ssm"], sept["rate_percent"], sept["amount"]) == (
        "968.04",
        "2703.74",
        "27.00",
        "730.01",
    )
    # June 2026: index 992,24 → SSM 2 771,33; 27 % → 748,2591 → 748,26.
    assert (months["2026-06"]["ssm"], months["2026-06"]["amount"]) == ("2771.33", "748.26")
    # September 2026, 2nd training year, 37 %: 2 771,33 × 0,37 = 1 025,3921 → 1 025,39.
    assert (months["2026-09"]["training_year"], months["2026-09"]["amount"]) == (2, "1025.39")
    assert months["2026-12"]["due"] is True and months["2027-01"]["due"] is False


def test_employer_records_a_payment_and_sees_the_shortfall_and_the_journal_says_api(api_for, employer_user, contracts):
    a, _b = contracts
    client = api_for(employer_user)
    url = f"/api/v1/apprenticeship/contracts/{a.pk}/payments/"
    response = client.post(url, {"month": "2025-10", "paid_amount": "700.00"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "month": "2025-10",
        "paid_amount": "700.00",
        "due_amount": "730.01",
        "index": "968.04",
        "recorded_at": response.json()["recorded_at"],
    }
    october = {
        m["month"]: m for m in client.get(f"/api/v1/apprenticeship/contracts/{a.pk}/schedule/").json()["months"]
    }["2025-10"]
    # APP-9: 730,01 − 700,00 = 30,01 still owed.
    assert (october["paid_amount"], october["shortfall"]) == ("700.00", "30.01")
    event = AuditEvent.objects.get(action="apprenticeship.payment_record")
    assert (event.channel, event.actor, event.object_id) == ("api", employer_user, str(a.pk))
    # The same payment again changes nothing (natural idempotence of the service).
    assert client.post(url, {"month": "2025-10", "paid_amount": "700.00"}, format="json").status_code == 201
    assert AuditEvent.objects.filter(action="apprenticeship.payment_record").count() == 1
    assert [p["month"] for p in client.get(url).json()] == ["2025-10"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"month": "2025-10", "paid_amount": "abc"}, "paid_amount", "Saisissez un montant en euros."),
        ({"month": "2025-10", "paid_amount": "1e5"}, "paid_amount", "Saisissez un montant en euros."),
        ({"month": "2027-03", "paid_amount": "10"}, "month", None),
        ({"month": "2030-01", "paid_amount": "10"}, "month", None),
        ({"month": "oct", "paid_amount": "10"}, "month", "Saisissez un mois valide (aaaa-mm), par exemple 2026-07."),
        ({"month": ["x"], "paid_amount": {"a": 1}}, "paid_amount", None),
    ],
)
def test_payment_bad_input_is_a_400_at_the_field(api_for, employer_user, contracts, body, field, message):
    a, _b = contracts
    response = api_for(employer_user).post(f"/api/v1/apprenticeship/contracts/{a.pk}/payments/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]
    assert not Payment.objects.exists()


def test_payment_error_in_english(api_for, employer_user, contracts):
    a, _b = contracts
    response = api_for(employer_user).post(
        f"/api/v1/apprenticeship/contracts/{a.pk}/payments/",
        {"month": "2025-10", "paid_amount": "abc"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["paid_amount"] != ["Saisissez un montant en euros."]


def test_lycee_staff_registers_a_contract_with_the_form_checks(api_for, staff_a, school_a, school_b, employer_a):
    client = api_for(staff_a)
    body = {
        "last_name": "Muller",
        "first_name": "Léa",
        "birth_date": "2008-03-10",
        "national_id": "2008031012345",
        "school": school_a.pk,
        "employer": employer_a.pk,
        "trade": Trade.objects.get(code="CCP-BOUL").pk,
        "first_training_year": 1,
        "start_date": "2025-09-01",
        "end_date": "2028-07-15",
        "signed_on": "2025-08-01",
        "tutor_name": "Jean Hoffmann",
        "tutor_qualification": "Maître boulanger",
        "chamber_registered_on": "2025-08-20",
        "chamber_reference": "CDM-1",
    }
    refused = client.post("/api/v1/apprenticeship/contracts/", {**body, "school": school_b.pk}, format="json")
    assert refused.status_code == 400 and "school" in refused.json()
    too_young = client.post("/api/v1/apprenticeship/contracts/", {**body, "birth_date": "2012-01-01"}, format="json")
    assert too_young.status_code == 400
    assert not Contract.objects.exists()
    response = client.post("/api/v1/apprenticeship/contracts/", body, format="json")
    assert response.status_code == 201, response.json()
    contract = Contract.objects.get()
    assert (response.json()["id"], response.json()["status"]) == (contract.pk, "registered")
    assert AuditEvent.objects.get(object_id=str(contract.pk), object_type="apprenticeship.contract").channel == "api"


def test_an_employer_cannot_register_contracts(api_for, employer_user, contracts):
    assert api_for(employer_user).post("/api/v1/apprenticeship/contracts/", {}, format="json").status_code == 403


def test_statements_of_a_contract(api_for, employer_user, officer, contracts):
    a, _b = contracts
    statement = services.statement_issue(actor=officer, contract=a)
    body = api_for(employer_user).get(f"/api/v1/apprenticeship/contracts/{a.pk}/statements/").json()
    assert [(s["id"], s["reference"]) for s in body] == [(statement.pk, statement.reference)]
    assert body[0]["total_due_amount"] == f"{statement.total_due_amount:.2f}"


def test_list_filters_as_the_page_and_paginates_by_cursor(api_for, officer, contracts, employer_a, school_a):
    for _ in range(3):
        ContractFactory(employer=employer_a, school=school_a, status="draft")
    client = api_for(officer)
    assert len(client.get("/api/v1/apprenticeship/contracts/", {"status": "draft"}).json()["results"]) == 3
    assert client.get("/api/v1/apprenticeship/contracts/", {"status": "nope"}).status_code == 400
    # 5 contracts by pages of 2: 2 + 2 + 1, newest first, none twice.
    page, seen, sizes = client.get("/api/v1/apprenticeship/contracts/", {"page_size": 2}).json(), [], []
    while True:
        seen += [c["id"] for c in page["results"]]
        sizes.append(len(page["results"]))
        if not page["next"]:
            break
        page = client.get(page["next"]).json()
    assert sizes == [2, 2, 1]
    assert seen == sorted(Contract.objects.values_list("pk", flat=True), reverse=True)
