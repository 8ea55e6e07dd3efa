"""Officers enter reference data in the application, see its effect, then confirm.

Figures by hand (fixtures: SSM 279,30 € at index 100 from 01/01/2025; index 968,04 from
01/05/2025 to 31/05/2026, then 992,24; CCP-BOUL 1st year 27 %):
- at 968,04: SSM 279,30 × 968,04 / 100 = 2 703,7357 → 2 703,74; × 27 % = 730,0098 → 730,01 €
- at 980,00: SSM 279,30 × 980 / 100 = 2 737,14; × 27 % = 739,0278 → 739,03 €
- a new index 980,00 from 01/01/2026 ends the 968,04 period on 31/12/2025 and itself ends on
  31/05/2026 (the day before 992,24): January to May 2026 rise by 9,02 € each, 45,10 € in all.
"""

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine

from apprenticeship import services as app_services
from apprenticeship.models import Trade, TradeRate
from core.enums import Role, Scheme
from core.models import AuditEvent, LuxIndex, SocialMinimumWage
from tests.factories import UserFactory

from .factories import ContractFactory

URL = "/baremes/saisie/indice/"
TODAY = date(2026, 12, 2)


@pytest.fixture
def contract_with_statement(employer_a, employer_user):
    """A CCP-BOUL contract from 01/09/2025; February 2026 paid 730,01 €; a statement issued."""
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1))
    app_services.payment_record(actor=employer_user, contract=contract, month=date(2026, 2, 1), paid_amount="730.01")
    app_services.statement_issue(actor=employer_user, contract=contract)
    return contract


def index_data(**overrides):
    data = {
        "value": "980,00",
        "valid_from": "01/01/2026",
        "valid_until": "",
        "source": "STATEC — test",
        "step": "preview",
    }
    data.update(overrides)
    return data


@time_machine.travel(TODAY)
def test_index_preview_shows_the_arrears_and_saves_nothing(client_for, officer, contract_with_statement):
    periods = list(LuxIndex.objects.values_list("valid_from", "valid_until", "value"))
    events = AuditEvent.objects.count()
    response = client_for(officer).post(URL, index_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert response.templates[0].name == "core/reference/entry_preview.html"
    assert "La période commencée le 01/05/2025 prendra fin le 31/12/2025." in html
    assert "Cette période prendra fin le 31/05/2026, la veille de la période suivante." in html
    changes = next(i for i in response.context["impacts"] if i.template.endswith("_impact_arrears.html")).context
    [change] = changes["changes"]
    assert change.contract == contract_with_statement
    assert {m.month: (m.before, m.after) for m in change.months} == {
        date(2026, m, 1): (D("730.01"), D("739.03")) for m in range(1, 6)
    }
    # Arrears after: 5 × 9,02 = 45,10 against the statement, plus 9,02 short on February's payment.
    assert (change.arrears_before, change.arrears_after, change.difference) == (D("0.00"), D("54.12"), D("54.12"))
    assert list(LuxIndex.objects.values_list("valid_from", "valid_until", "value")) == periods
    assert AuditEvent.objects.count() == events


@time_machine.travel(TODAY)
def test_index_confirm_saves_through_effective_dated_save(client_for, officer, contract_with_statement):
    response = client_for(officer).post(URL, index_data(step="confirm"))
    assert response.status_code == 302
    new = LuxIndex.objects.get(valid_from=date(2026, 1, 1))
    assert (new.value, new.valid_until, new.source) == (D("980.00"), date(2026, 5, 31), "STATEC — test")
    assert LuxIndex.objects.get(valid_from=date(2025, 5, 1)).valid_until == date(2025, 12, 31)
    actions = set(AuditEvent.objects.filter(actor=officer).values_list("action", flat=True))
    assert actions == {"core.reference_period_save", "core.reference_period_end"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"valid_from": "32/01/2026"}, "valid_from", "Saisissez une date valide (jj/mm/aaaa)."),
        ({"valid_from": "01/01/1900"}, "valid_from", "Saisissez une date comprise entre le 01/01/1990"),
        ({"valid_until": "01/12/2025"}, "valid_until", "La date de fin précède la date de début."),
        ({"valid_from": "01/05/2025"}, "valid_from", "chevauche celle qui s'applique du 01/05/2025 au 31/05/2026"),
        ({"source": "  "}, "source", "Indiquez la source"),
        ({"value": "abc"}, "value", "nombre"),
    ],
)
def test_bad_input_is_refused_at_the_field(client_for, officer, reference, overrides, field, message):
    count = LuxIndex.objects.count()
    response = client_for(officer).post(URL, index_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field]), response.context["form"].errors
    assert 'id="error-summary"' in response.content.decode()
    assert LuxIndex.objects.count() == count


def test_only_officers_of_the_schemes_may_enter(client_for, reference, staff_a, employer_user):
    lycee_officer = UserFactory(username="are.officer", role=Role.OFFICER, schemes=[Scheme.LYCEE_AID])
    for user in (staff_a, employer_user):
        assert client_for(user).get("/baremes/saisie/").status_code == 403
    client = client_for(lycee_officer)
    assert client.get(URL).status_code == 403
    assert client.post(URL, index_data(step="confirm")).status_code == 403
    assert client.get("/baremes/saisie/ssm/").status_code == 403
    assert client.get("/baremes/saisie/forfaits-are/").status_code == 200
    assert client.get("/baremes/saisie/inconnu/").status_code == 404
    listed = [kind.key for kind in client.get("/baremes/saisie/").context["kinds"]]
    assert listed == ["forfaits-are"]
    assert LuxIndex.objects.filter(valid_from=date(2026, 1, 1)).count() == 0


@time_machine.travel(TODAY)
def test_trade_rate_preview_and_confirm(client_for, officer, contract_with_statement):
    """CCP-BOUL year 1 at 28 % from 01/01/2026: at 968,04, 2 703,74 × 28 % = 757,0472 → 757,05 €
    (January to May 2026, +27,04 € each); from June at 992,24: SSM 279,30 × 992,24 / 100 =
    2 771,3263 → 2 771,33; 27 % = 748,2591 → 748,26 €, 28 % = 775,9724 → 775,97 € (+27,71 €),
    June to August 2026 (the 2nd training year starts in September at its own rate)."""
    trade = Trade.objects.get(code="CCP-BOUL")
    data = {
        "trade": trade.pk,
        "training_year": "1",
        "rate_before_pii": "28",
        "rate_after_pii": "28",
        "valid_from": "2026-01-01",
        "valid_until": "",
        "source": "Règlement grand-ducal — test",
        "step": "preview",
    }
    client = client_for(officer)
    response = client.post("/baremes/saisie/taux-metier/", data)
    assert response.status_code == 200, response.context["form"].errors
    [impact] = response.context["impacts"]
    [change] = impact.context["changes"]
    differences = {m.month: m.difference for m in change.months}
    assert differences == {
        **{date(2026, m, 1): D("27.04") for m in range(1, 6)},
        **{date(2026, m, 1): D("27.71") for m in range(6, 9)},
    }
    # 5 × 27,04 + 3 × 27,71 = 135,20 + 83,13 = 218,33 against the statement; February's payment is
    # 27,04 short.
    assert change.arrears_after == D("245.37")
    assert TradeRate.objects.filter(valid_from=date(2026, 1, 1)).count() == 0
    response = client.post("/baremes/saisie/taux-metier/", {**data, "step": "confirm"})
    assert response.status_code == 302
    assert TradeRate.objects.get(trade=trade, training_year=1, valid_from=date(2026, 1, 1)).rate_before_pii == 28


def test_ssm_preview_without_frozen_figures_says_no_arrears(client_for, officer, reference):
    response = client_for(officer).post(
        "/baremes/saisie/ssm/",
        {"amount_at_100": "285,00", "valid_from": "01/01/2027", "source": "ITM — test", "step": "preview"},
    )
    assert response.status_code == 200
    assert "pas de nouvel arriéré" in response.content.decode()
    assert SocialMinimumWage.objects.filter(valid_from=date(2027, 1, 1)).count() == 0


def test_edit_goes_back_to_the_form_with_what_was_typed(client_for, officer, reference):
    response = client_for(officer).post(URL, index_data(step="edit"))
    assert response.status_code == 200
    assert response.templates[0].name == "core/reference/entry_form.html"
    assert 'value="STATEC — test"' in response.content.decode()


@time_machine.travel(TODAY)
def test_preview_queries_do_not_grow_with_contracts(client_for, officer, employer_a, employer_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(officer)
    client.get("/")
    LAST = []

    def preview_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.post(URL, index_data()).status_code == 200
        LAST[:] = captured.captured_queries
        return len(captured)

    def contract_with_statement():
        contract = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1))
        app_services.statement_issue(actor=employer_user, contract=contract)

    contract_with_statement()
    one = preview_queries()
    for _n in range(3):
        contract_with_statement()
    assert preview_queries() == one
    # 26: the adopted reform scenarios are read once, for the State's share of the arrears.
    assert one <= 26, "\n".join(q["sql"][:150] for q in LAST)


def test_month_runs_group_consecutive_months_with_the_same_change():
    from apprenticeship.impact import ContractChange, MonthChange

    months = [MonthChange(date(2026, m, 1), D("730.01"), D("739.03"), None, None) for m in (11, 12)]
    months += [MonthChange(date(2027, 1, 1), D("730.01"), D("739.03"), None, None)]
    months += [MonthChange(date(2027, 2, 1), D("748.26"), D("750.00"), None, None)]
    months += [MonthChange(date(2027, 4, 1), D("748.26"), D("750.00"), None, None)]
    change = ContractChange(contract=None, arrears_before=D("0"), arrears_after=D("0"), months=months)
    assert change.month_runs == [
        (date(2026, 11, 1), date(2027, 1, 1), D("730.01"), D("739.03")),
        (date(2027, 2, 1), date(2027, 2, 1), D("748.26"), D("750.00")),
        (date(2027, 4, 1), date(2027, 4, 1), D("748.26"), D("750.00")),
    ]


@time_machine.travel(TODAY)
def test_cross_border_rate_preview(client_for, officer, employer_a, employer_user):
    """BAC MELEC (1 year, 131,97 at index 100) from 01/09/2025 to 15/07/2026; 135,00 from 01/01/2026:
    - January to May 2026 at 968,04: 131,97 × 9,6804 = 1 277,522… → 1 277,52; 135 × 9,6804 =
      1 306,854 → 1 306,85 (+29,33 € × 5 = 146,65 €);
    - June 2026 at 992,24: 131,97 × 9,9224 = 1 309,459… → 1 309,46; 135 × 9,9224 = 1 339,524 →
      1 339,52 (+30,06 €);
    - July 2026, 15 days of 31: 1 309,46 × 15/31 = 633,609… → 633,61; 1 339,52 × 15/31 = 648,154… →
      648,15 (+14,54 €). In all 191,25 € of arrears against the statement."""
    from apprenticeship.models import CrossBorderFormation, CrossBorderRate

    formation = CrossBorderFormation.objects.get(title__startswith="BAC MELEC")
    contract = ContractFactory(
        employer=employer_a, trade=None, formation=formation, start_date=date(2025, 9, 1), end_date=date(2026, 7, 15)
    )
    app_services.statement_issue(actor=employer_user, contract=contract)
    data = {
        "formation": formation.pk,
        "training_year": "1",
        "amount_at_100": "135,00",
        "valid_from": "01/01/2026",
        "source": "Convention CIG — test",
        "step": "preview",
    }
    response = client_for(officer).post("/baremes/saisie/formation-transfrontaliere/", data)
    assert response.status_code == 200, response.context["form"].errors
    [impact] = response.context["impacts"]
    [change] = impact.context["changes"]
    assert change.month_runs == [
        (date(2026, 1, 1), date(2026, 5, 1), D("1277.52"), D("1306.85")),
        (date(2026, 6, 1), date(2026, 6, 1), D("1309.46"), D("1339.52")),
        (date(2026, 7, 1), date(2026, 7, 1), D("633.61"), D("648.15")),
    ]
    assert (change.arrears_before, change.arrears_after) == (D("0.00"), D("191.25"))
    assert not CrossBorderRate.objects.filter(valid_from=date(2026, 1, 1)).exists()
