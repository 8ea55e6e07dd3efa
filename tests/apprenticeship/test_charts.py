"""Charts of the apprenticeship app: arrears by month and the indemnity over a contract.

Figures by hand (see test_reference_entry): a retroactive index of 980,00 from 01/01/2026 makes
January to May 2026 739,03 € instead of the 730,01 € of the statement (+9,02 € each), and the
730,01 € paid for February is 9,02 € short. CCP-BOUL at 992,24 (SSM 2 771,33 €): 1st year 27 % =
748,26 €; 3rd year 47 % = 1 302,5251 → 1 302,53 €, July 2028 prorated 15/31 = 630,256… → 630,26 €.
"""

from datetime import date
from decimal import Decimal as D

import time_machine

from apprenticeship import services
from core.models import LuxIndex
from tests.factories import add_period

from .factories import ContractFactory


@time_machine.travel(date(2026, 12, 2))
def test_arrears_by_month(client_for, officer, employer_user, employer_a, employer_user_b, employer_b):
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1))
    services.payment_record(actor=employer_user, contract=contract, month=date(2026, 2, 1), paid_amount="730.01")
    services.statement_issue(actor=employer_user, contract=contract)
    add_period(LuxIndex(valid_from=date(2026, 1, 1), value=D("980.00"), source="test"))

    response = client_for(officer).get("/apprentissage/arrieres/graphique/")
    assert response.status_code == 200
    [chart] = response.context["charts"]
    assert chart.labels == ["janvier 2026", "février 2026", "mars 2026", "avril 2026", "mai 2026"]
    differences, shortfalls = chart.series
    assert differences.values == [D("9.02")] * 5
    assert shortfalls.values == [D("0.00"), D("9.02"), D("0.00"), D("0.00"), D("0.00")]
    assert '<script id="arrears-by-month-data" type="application/json">' in response.content.decode()
    # The employer sees his own contract; another employer sees no arrears.
    assert client_for(employer_user).get("/apprentissage/arrieres/graphique/").context["charts"][0].labels
    assert client_for(employer_user_b).get("/apprentissage/arrieres/graphique/").context["charts"][0].is_empty


def test_indemnity_over_the_contract(
    client_for, employer_user, employer_a, employer_user_b, staff_a, django_assert_max_num_queries
):
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1), end_date=date(2028, 7, 15))
    url = f"/apprentissage/contrats/{contract.pk}/graphique/"
    client = client_for(employer_user)
    client.get("/")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    [chart] = response.context["charts"]
    [due] = chart.series  # no adult apprentice: the standard indemnity is the amount due
    values = dict(zip(chart.labels, due.values, strict=True))
    assert len(values) == 35  # September 2025 to July 2028
    assert values["septembre 2025"] == D("730.01")
    assert values["juin 2026"] == D("748.26")
    assert values["septembre 2027"] == D("1302.53")
    assert values["juillet 2028"] == D("630.26")
    assert client_for(employer_user_b).get(url).status_code == 404
    assert client_for(staff_a).get(url).status_code == 200  # the contract's school (Lycée A)
