"""Use cases: permissions and scope, state transitions (one audit event each), bad input."""

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from apprenticeship import selectors, services
from apprenticeship.enums import ContractCheck, ContractStatus
from apprenticeship.models import Apprentice, Contract, CrossBorderFormation, Payment, StatementLine, Trade
from core.models import AuditEvent, LuxIndex
from tests.factories import add_period

from .factories import ContractFactory


def register(actor, school, employer, **overrides):
    data = {
        "last_name": "Muller",
        "first_name": "Léa",
        "birth_date": date(2008, 3, 10),
        "national_id": "2008031012345",
        "employer": employer,
        "school": school,
        "trade": Trade.objects.get(code="CCP-BOUL"),
        "tutor_name": "Jean Hoffmann",
        "tutor_qualification": "Maître boulanger",
        "signed_on": date(2025, 8, 1),
        "start_date": date(2025, 9, 1),
        "end_date": date(2028, 7, 15),
        "chamber_registered_on": date(2025, 8, 20),
        "chamber_reference": "CDM-2025-001",
    }
    data.update(overrides)
    return services.contract_register(actor=actor, **data)


def test_register_a_complete_contract(staff_a, school_a, employer_a):
    contract = register(staff_a, school_a, employer_a)
    assert contract.status == ContractStatus.REGISTERED
    assert contract.reference == f"APP-2025-{contract.pk:05d}"
    assert AuditEvent.objects.filter(action="apprenticeship.contract_register", object_id=str(contract.pk)).count() == 1


def test_incomplete_contract_stays_draft_and_cannot_become_active(staff_a, school_a, employer_a):
    contract = register(staff_a, school_a, employer_a, chamber_registered_on=None, chamber_reference="")
    assert contract.status == ContractStatus.DRAFT
    assert set(selectors.contract_checks(contract)) == {ContractCheck.CHAMBER_REGISTRATION}
    with pytest.raises(ValidationError) as caught:
        services.contract_activate(actor=staff_a, contract=contract)
    assert "chambre professionnelle" in str(caught.value)
    contract = services.contract_update(
        actor=staff_a, contract=contract, chamber_registered_on=date(2025, 8, 25), chamber_reference="CDM-9"
    )
    assert contract.status == ContractStatus.REGISTERED
    contract = services.contract_activate(actor=staff_a, contract=contract)
    assert contract.status == ContractStatus.ACTIVE
    actions = list(AuditEvent.objects.filter(object_id=str(contract.pk)).values_list("action", flat=True))
    assert sorted(actions) == [
        "apprenticeship.contract_activate",
        "apprenticeship.contract_register",
        "apprenticeship.contract_update",
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": date(2025, 8, 1)}, "end_date", "postérieure à la date de début"),
        ({"birth_date": date(2011, 1, 10)}, "birth_date", "au moins 15 ans révolus"),
        ({"trade_code": "DAP-ELEC"}, "employer", "n'est pas agréé pour le métier « Électricien »"),
        ({"first_training_year": 4}, "first_training_year", "se prépare en 3 ans"),
        ({"signed_on": date(2025, 9, 2)}, "signed_on", "signé au plus tard"),
    ],
)
def test_bad_contracts_are_refused_and_nothing_is_saved(staff_a, school_a, employer_a, overrides, field, message):
    if "trade_code" in overrides:
        overrides["trade"] = Trade.objects.get(code=overrides.pop("trade_code"))
    with pytest.raises(ValidationError) as caught:
        register(staff_a, school_a, employer_a, **overrides)
    assert message in " ".join(caught.value.message_dict[field])
    assert Contract.objects.count() == 0
    assert Apprentice.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_staff_cannot_register_for_another_school(staff_b, school_a, employer_a):
    with pytest.raises(PermissionDenied):
        register(staff_b, school_a, employer_a)
    assert Contract.objects.count() == 0


def test_employer_cannot_register(employer_user, school_a, employer_a):
    with pytest.raises(PermissionDenied):
        register(employer_user, school_a, employer_a)


def test_cross_border_contract_at_a_french_school(staff_a, school_a, employer_a):
    from tests.factories import SchoolFactory

    french = SchoolFactory(code="0570001Z", name="Lycée de Thionville", academy="paris")
    staff_a.schools.add(french)
    formation = CrossBorderFormation.objects.get(title="BTS Électrotechnique")
    contract = register(
        staff_a,
        french,
        employer_a,
        trade=None,
        formation=formation,
        start_date=date(2024, 9, 1),
        end_date=date(2026, 8, 31),
        signed_on=date(2024, 7, 1),
        chamber_registered_on=date(2024, 7, 15),
    )
    assert contract.status == ContractStatus.REGISTERED  # no approval per trade for a CIG formation
    schedule = selectors.schedule_compute(contract=contract)
    amounts = {line.month: line.due_amount for line in schedule.lines}
    assert amounts[date(2025, 4, 1)] == D("1664.09")  # 176,20 × 944,43 / 100 (seed 001)
    assert amounts[date(2025, 5, 1)] == D("1705.69")  # index 968,04 from May 2025
    assert amounts[date(2025, 9, 1)] == D("2193.09")  # 2nd year: 226,55 × 968,04 / 100 = 2 193,0946
    assert len(schedule.lines) == 24


# -- schedules -----------------------------------------------------------------------------------


def test_schedule_crosses_the_index_change_april_may_2025(app_reference, django_assert_num_queries):
    contract = ContractFactory(start_date=date(2024, 9, 1), end_date=date(2027, 7, 15))
    contract = Contract.objects.select_related("trade").get(pk=contract.pk)
    # index history, SSM history, trade rates, training years: whatever the number of months
    with django_assert_num_queries(4):
        schedule = selectors.schedule_compute(contract=contract)
    april, may = schedule.line_for(date(2025, 4, 1)), schedule.line_for(date(2025, 5, 1))
    assert (april.index, april.ssm, april.rate_percent, april.due_amount) == (
        D("944.43"),
        D("2637.79"),
        D("27.00"),
        D("712.20"),
    )
    assert (may.index, may.ssm, may.due_amount) == (D("968.04"), D("2703.74"), D("730.01"))
    assert schedule.line_for(date(2026, 7, 1)).due_amount == D("1025.39")  # 2nd year, 992,24: seed 002
    assert len(schedule.lines) == 35


def test_pii_mid_year(staff_a, app_reference):
    contract = ContractFactory(
        trade=Trade.objects.get(code="DAP-BOUL"), start_date=date(2024, 9, 1), end_date=date(2027, 7, 15)
    )
    staff_a.schools.add(contract.school)
    services.pii_record(actor=staff_a, contract=contract, notified_on=date(2026, 2, 12))
    schedule = selectors.schedule_compute(contract=Contract.objects.get(pk=contract.pk))
    feb, march = schedule.line_for(date(2026, 2, 1)), schedule.line_for(date(2026, 3, 1))
    assert (feb.pii, feb.rate_percent, feb.due_amount) == (False, D("40.00"), D("1081.50"))
    assert (march.pii, march.rate_percent, march.due_amount) == (True, D("45.00"), D("1216.68"))
    with pytest.raises(ValidationError) as caught:
        services.pii_record(actor=staff_a, contract=contract, notified_on=date(2030, 1, 1))
    assert "notified_on" in caught.value.message_dict


def test_adult_top_up_and_state_reimbursement(app_reference, employer_b):
    contract = ContractFactory(
        employer=employer_b,
        trade=Trade.objects.get(code="DAP-ELEC"),
        is_adult=True,
        apprentice__birth_date=date(1995, 5, 5),
        start_date=date(2025, 9, 1),
        end_date=date(2028, 7, 15),
    )
    schedule = selectors.schedule_compute(contract=contract)
    line = schedule.line_for(date(2025, 9, 1))
    assert line.standard_amount == D("946.31")  # 2 703,74 × 35 %
    assert line.due_amount == D("2703.74")  # the full SSM (APP-2)
    assert line.reimbursement_amount == D("1757.43")
    july = schedule.line_for(date(2026, 7, 1))
    assert (july.due_amount, july.standard_amount, july.reimbursement_amount) == (
        D("2771.33"),
        D("969.97"),
        D("1801.36"),
    )


def test_prorated_first_month_starting_on_the_15th(app_reference):
    contract = ContractFactory(start_date=date(2025, 10, 15), end_date=date(2028, 7, 15))
    schedule = selectors.schedule_compute(contract=contract)
    first, last = schedule.lines[0], schedule.lines[-1]
    assert (first.month, first.days_covered, first.days_in_month) == (date(2025, 10, 1), 17, 31)
    assert first.due_amount == D("400.33")  # 730,01 × 17 / 31
    assert (last.days_covered, last.days_in_month) == (15, 31)
    assert last.due_amount == D("630.26")  # 3rd year 47 % of 2 771,33 = 1 302,53 × 15 / 31 = 630,256…


def test_training_year_recorded_as_repeated(staff_a, app_reference):
    contract = ContractFactory(start_date=date(2024, 9, 1), end_date=date(2027, 7, 15))
    staff_a.schools.add(contract.school)
    services.training_year_record(actor=staff_a, contract=contract, school_year=2025, training_year=1, repeated=True)
    schedule = selectors.schedule_compute(contract=contract)
    assert schedule.line_for(date(2025, 9, 1)).training_year == 1
    assert schedule.line_for(date(2026, 9, 1)).training_year == 2
    with pytest.raises(ValidationError) as caught:
        services.training_year_record(actor=staff_a, contract=contract, school_year=2026, training_year=4)
    assert "se prépare en 3 ans" in caught.value.message_dict["training_year"][0]
    with pytest.raises(ValidationError):
        services.training_year_record(actor=staff_a, contract=contract, school_year=2030, training_year=2)


def test_missing_rate_gives_a_french_message(app_reference):
    contract = ContractFactory(start_date=date(2022, 9, 1), end_date=date(2025, 7, 15))
    schedule = selectors.schedule_compute(contract=contract)
    assert schedule.lines == []
    assert "Calcul impossible pour septembre 2022" in schedule.error


# -- payments and arrears ------------------------------------------------------------------------


def test_payment_underpaid_is_flagged_with_the_arrears(employer_user, employer_a):
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1))
    services.payment_record(actor=employer_user, contract=contract, month=date(2025, 9, 1), paid_amount=D("730.01"))
    payment = services.payment_record(
        actor=employer_user, contract=contract, month=date(2025, 10, 1), paid_amount="700,00"
    )
    assert (payment.due_amount, payment.index) == (D("730.01"), D("968.04"))
    comparison = selectors.schedule_compare(contract=contract, schedule=selectors.schedule_compute(contract=contract))
    shortfalls = {row.line.month: row.shortfall for row in comparison.rows if row.paid is not None}
    assert shortfalls == {date(2025, 9, 1): D("0.00"), date(2025, 10, 1): D("30.01")}
    assert comparison.total_shortfall == D("30.01")
    assert AuditEvent.objects.filter(action="apprenticeship.payment_record").count() == 2


@pytest.mark.parametrize(
    ("month", "amount", "field", "message"),
    [
        (date(2025, 10, 1), "-5", "paid_amount", "ne peut pas être négatif"),
        (date(2025, 8, 1), "100", "month", "en dehors du contrat"),
        (date(2028, 8, 1), "100", "month", "en dehors du contrat"),
        (date(2025, 10, 1), "abc", "paid_amount", "Saisissez un montant"),
        (date(2025, 10, 1), "1.234", "paid_amount", "au centime"),
    ],
)
def test_bad_payments_are_refused(employer_user, employer_a, month, amount, field, message):
    contract = ContractFactory(employer=employer_a)
    with pytest.raises(ValidationError) as caught:
        services.payment_record(actor=employer_user, contract=contract, month=month, paid_amount=amount)
    assert message in caught.value.message_dict[field][0]
    assert Payment.objects.count() == 0


def test_employer_b_cannot_record_a_payment_on_a_contract_of_employer_a(employer_user_b, employer_a, employer_b):
    contract = ContractFactory(employer=employer_a)
    with pytest.raises(PermissionDenied):
        services.payment_record(actor=employer_user_b, contract=contract, month=date(2025, 9, 1), paid_amount="1")


def test_statement_is_frozen_and_a_retroactive_index_shows_the_arrears(employer_user, employer_a, officer):
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1))
    services.payment_record(actor=employer_user, contract=contract, month=date(2026, 2, 1), paid_amount="730.01")
    statement = services.statement_issue(actor=employer_user, contract=contract)
    assert statement.total_due_amount == sum(line.due_amount for line in statement.lines.all())
    before = list(statement.lines.values_list("month", "due_amount"))
    assert statement.parameters["index"][-1]["value"] == "992.24"

    # An officer enters an index applicable from 1 January 2026 (retroactive).
    add_period(LuxIndex(valid_from=date(2026, 1, 1), value=D("980.00"), source="test"))

    assert list(StatementLine.objects.filter(statement=statement).values_list("month", "due_amount")) == before
    contract = Contract.objects.get(pk=contract.pk)
    comparison = selectors.schedule_compare(contract=contract, schedule=selectors.schedule_compute(contract=contract))
    differences = {row.line.month: row.difference for row in comparison.rows if row.difference}
    # 279,30 × 980 / 100 = 2 737,14 ; 27 % = 739,03 instead of 730,01, January to May 2026
    assert differences == {date(2026, m, 1): D("9.02") for m in range(1, 6)}
    assert comparison.total_difference == D("45.10")
    february = next(row for row in comparison.rows if row.line.month == date(2026, 2, 1))
    assert (february.recorded_due, february.shortfall) == (D("730.01"), D("9.02"))

    overview = selectors.arrears_overview(user=officer)
    assert [(r["contract"].pk, r["difference"], r["shortfall"]) for r in overview] == [
        (contract.pk, D("45.10"), D("9.02"))
    ]
    assert selectors.arrears_overview(user=employer_user)[0]["difference"] == D("45.10")


def test_arrears_overview_queries_do_not_grow_with_contracts(
    officer, employer_user, employer_a, django_assert_max_num_queries
):
    for month in range(9, 13):
        contract = ContractFactory(employer=employer_a)
        services.statement_issue(actor=officer, contract=contract)
        services.payment_record(actor=officer, contract=contract, month=date(2025, month, 1), paid_amount="1")
    with django_assert_max_num_queries(10):
        overview = selectors.arrears_overview(user=officer)
    assert len(overview) == 4


# -- employer aid --------------------------------------------------------------------------------


@time_machine.travel(date(2026, 5, 1))
def test_aid_request_prepare(employer_user, employer_a):
    contract = ContractFactory(employer=employer_a, start_date=date(2024, 9, 1), end_date=date(2027, 7, 15))
    request = services.aid_request_prepare(
        actor=employer_user, contract=contract, school_year=2024, social_charges_amount="1200.00"
    )
    assert (request.months, request.gross_amount, request.aid_percent) == (12, D("8545.44"), D("40"))
    assert (request.aid_amount, request.total_amount) == (D("3418.18"), D("4618.18"))
    assert request.deadline == date(2026, 7, 1)
    assert request.reference == f"AIDE-{contract.reference[4:]}-2024"
    # Prepared again: the same request is updated, not duplicated.
    services.aid_request_prepare(actor=employer_user, contract=contract, school_year=2024, social_charges_amount="0")
    assert contract.aid_requests.count() == 1
    with pytest.raises(ValidationError) as caught:
        services.aid_request_prepare(
            actor=employer_user, contract=contract, school_year=2024, social_charges_amount="-1"
        )
    assert "social_charges_amount" in caught.value.message_dict


@time_machine.travel(date(2026, 7, 1))
def test_aid_request_is_time_barred_on_1_july(employer_user, employer_a):
    contract = ContractFactory(employer=employer_a, start_date=date(2024, 9, 1), end_date=date(2027, 7, 15))
    with pytest.raises(ValidationError) as caught:
        services.aid_request_prepare(
            actor=employer_user, contract=contract, school_year=2024, social_charges_amount="0"
        )
    assert "forclose" in caught.value.message_dict["school_year"][0]
    assert contract.aid_requests.count() == 0


def test_aid_cross_border_and_dt_rates(app_reference):
    contract = ContractFactory(
        trade=None,
        formation=CrossBorderFormation.objects.get(title="BTS Électrotechnique"),
        start_date=date(2024, 9, 1),
        end_date=date(2026, 8, 31),
    )
    preview = selectors.aid_preview(contract=contract, school_year=2025, today=date(2026, 9, 15))
    # 2nd year: Sep 2025–May 2026 at 968,04 (2 193,09), Jun–Aug 2026 at 992,24 (2 247,92)
    assert preview.gross == D("26481.57")
    assert preview.aid == D("7150.02")  # 26 481,57 × 27 % = 7 150,0239
    assert preview.deadline == date(2027, 7, 1)


# -- aid requests for ended years only (APP-6/APP-7 as clarified) --------------------------------


@time_machine.travel(date(2026, 12, 2))
def test_aid_request_for_a_year_not_yet_ended_is_refused(employer_user, employer_a):
    """2026-2027 ends on 31/08/2027: on 02/12/2026 its aid cannot be requested (it was accepted for
    5 044,94 €, mostly of months to come)."""
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1), end_date=date(2028, 7, 15))
    with pytest.raises(ValidationError) as caught:
        services.aid_request_prepare(
            actor=employer_user, contract=contract, school_year=2026, social_charges_amount="0"
        )
    message = caught.value.message_dict["school_year"][0]
    assert "2026-2027 n'est pas terminée" in message and "01/09/2027" in message
    assert contract.aid_requests.count() == 0
    assert AuditEvent.objects.filter(action="apprenticeship.aid_request_prepare").count() == 0
    # 2025-2026 has ended: 12 months at 27 % of the SSM: Sep 2025–May 2026 at 968,04
    # (2 703,74 × 27 % = 730,0098 → 730,01) and Jun–Aug 2026 at 992,24 (2 771,33 × 27 % = 748,26):
    # 9 × 730,01 + 3 × 748,26 = 6 570,09 + 2 244,78 = 8 814,87; CCP 40 % = 3 525,948 → 3 525,95.
    request = services.aid_request_prepare(
        actor=employer_user, contract=contract, school_year=2025, social_charges_amount="0"
    )
    assert (request.months, request.gross_amount, request.aid_amount) == (12, D("8814.87"), D("3525.95"))
    assert request.deadline == date(2027, 7, 1)


@time_machine.travel(date(2026, 5, 1))
def test_aid_request_for_a_contract_ended_within_the_year(employer_user, employer_a):
    """A contract terminated on 31/03/2026: its 2025-2026 aid can be requested from 01/04/2026,
    before the year ends, with the same deadline (01/07/2027)."""
    contract = ContractFactory(
        employer=employer_a,
        start_date=date(2024, 9, 1),
        end_date=date(2027, 7, 15),
        status=ContractStatus.TERMINATED,
        ended_on=date(2026, 3, 31),
    )
    # 2nd year, 37 % of 2 703,74 = 1 000,3838 → 1 000,38; Sep 2025–Mar 2026: 7 × 1 000,38 = 7 002,66;
    # CCP 40 % = 2 801,064 → 2 801,06.
    request = services.aid_request_prepare(
        actor=employer_user, contract=contract, school_year=2025, social_charges_amount="0"
    )
    assert (request.months, request.gross_amount, request.aid_amount) == (7, D("7002.66"), D("2801.06"))
    assert request.deadline == date(2027, 7, 1)


@time_machine.travel(date(2026, 3, 31))
def test_aid_request_on_the_last_day_of_the_contract_is_too_early(employer_user, employer_a):
    contract = ContractFactory(
        employer=employer_a,
        start_date=date(2024, 9, 1),
        status=ContractStatus.TERMINATED,
        ended_on=date(2026, 3, 31),
    )
    with pytest.raises(ValidationError) as caught:
        services.aid_request_prepare(
            actor=employer_user, contract=contract, school_year=2025, social_charges_amount="0"
        )
    assert "01/04/2026" in caught.value.message_dict["school_year"][0]


@time_machine.travel(date(2026, 12, 2))
def test_aid_request_for_a_draft_is_refused(employer_user, employer_a):
    contract = ContractFactory(employer=employer_a, status=ContractStatus.DRAFT, chamber_reference="")
    with pytest.raises(ValidationError) as caught:
        services.aid_request_prepare(
            actor=employer_user, contract=contract, school_year=2025, social_charges_amount="0"
        )
    assert "brouillon" in " ".join(caught.value.messages)
    assert contract.aid_requests.count() == 0


# -- arrears: months already due of non-draft contracts (APP-9 as clarified) -------------------


@time_machine.travel(date(2026, 3, 15))
def test_arrears_count_only_months_already_due_and_never_drafts(officer, employer_user, employer_a):
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1), end_date=date(2028, 7, 15))
    draft = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1), end_date=date(2028, 7, 15))
    services.payment_record(actor=employer_user, contract=contract, month=date(2026, 2, 1), paid_amount="730.01")
    services.statement_issue(actor=officer, contract=contract)
    services.statement_issue(actor=officer, contract=draft)
    Contract.objects.filter(pk=draft.pk).update(status=ContractStatus.DRAFT)  # stored by the former code

    # An officer enters an index applicable from 1 January 2026 (retroactive); it runs until the
    # next one (992,24 on 1 June 2026). 279,30 × 980 / 100 = 2 737,14; 27 % = 739,0278 → 739,03
    # instead of 730,01: 9,02 a month, January to May 2026 — but only January, February and March
    # are due on 15/03/2026: 3 × 9,02 = 27,06 (not 5 × 9,02 = 45,10).
    add_period(LuxIndex(valid_from=date(2026, 1, 1), value=D("980.00"), source="test"))

    contract = Contract.objects.get(pk=contract.pk)
    comparison = selectors.schedule_compare(contract=contract, schedule=selectors.schedule_compute(contract=contract))
    differences = {row.line.month: row.difference for row in comparison.rows if row.difference}
    assert differences == {date(2026, m, 1): D("9.02") for m in (1, 2, 3)}
    assert comparison.total_difference == D("27.06")
    assert comparison.total_shortfall == D("9.02")  # February: 739,03 due, 730,01 paid

    overview = selectors.arrears_overview(user=officer)
    assert [(r["contract"].pk, r["difference"], r["shortfall"]) for r in overview] == [
        (contract.pk, D("27.06"), D("9.02"))
    ]
    assert [m.line.month for m in overview[0]["months"]] == [date(2026, m, 1) for m in (1, 2, 3)]

    draft = Contract.objects.get(pk=draft.pk)
    comparison = selectors.schedule_compare(contract=draft, schedule=selectors.schedule_compute(contract=draft))
    assert (comparison.total_difference, comparison.total_shortfall) == (D("0.00"), D("0.00"))


# -- payments: months of the contract up to the current one ------------------------------------


@time_machine.travel(date(2026, 3, 15))
def test_payment_for_a_month_to_come_is_refused(employer_user, employer_a):
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1), end_date=date(2028, 7, 15))
    for month in (date(2026, 4, 1), date(2028, 5, 1)):
        with pytest.raises(ValidationError) as caught:
            services.payment_record(actor=employer_user, contract=contract, month=month, paid_amount="730.01")
        assert "pas encore échu" in caught.value.message_dict["month"][0]
    assert Payment.objects.count() == 0
    payment = services.payment_record(
        actor=employer_user, contract=contract, month=date(2026, 3, 1), paid_amount="730.01"
    )
    assert payment.due_amount == D("730.01")  # the current month is due


def test_payment_on_a_draft_is_refused(employer_user, employer_a):
    contract = ContractFactory(employer=employer_a, status=ContractStatus.DRAFT, chamber_reference="")
    with pytest.raises(ValidationError) as caught:
        services.payment_record(actor=employer_user, contract=contract, month=date(2025, 9, 1), paid_amount="1")
    assert "brouillon" in " ".join(caught.value.messages)
    assert Payment.objects.count() == 0


# -- statements of drafts, PII without a PII rate ------------------------------------------------


def test_statement_for_a_draft_is_refused(employer_user, employer_a):
    contract = ContractFactory(employer=employer_a, status=ContractStatus.DRAFT, chamber_reference="")
    with pytest.raises(ValidationError) as caught:
        services.statement_issue(actor=employer_user, contract=contract)
    assert "brouillon" in " ".join(caught.value.messages)
    assert contract.statements.count() == 0
    assert AuditEvent.objects.filter(action="apprenticeship.statement_issue").count() == 0


def test_pii_is_refused_where_the_trade_has_no_pii_rate(staff_a, app_reference):
    """Seed 002: CCP 27/37/47 % and DT 40/50/60/75 % whatever the PII; only the DAP rates move."""
    ccp = ContractFactory(trade=Trade.objects.get(code="CCP-BOUL"))
    dt = ContractFactory(trade=Trade.objects.get(code="DT-ELTE"), end_date=date(2029, 7, 15))
    cross_border = ContractFactory(
        trade=None,
        formation=CrossBorderFormation.objects.get(title="BTS Électrotechnique"),
        end_date=date(2027, 7, 15),
    )
    staff_a.schools.add(ccp.school)
    for contract in (ccp, dt, cross_border):
        with pytest.raises(ValidationError) as caught:
            services.pii_record(actor=staff_a, contract=contract, notified_on=date(2026, 2, 12))
        assert "pas de taux majoré" in caught.value.message_dict["notified_on"][0]
        assert Contract.objects.get(pk=contract.pk).pii_notified_on is None
    assert AuditEvent.objects.filter(action="apprenticeship.pii_record").count() == 0

    dap = ContractFactory(trade=Trade.objects.get(code="DAP-BOUL"), start_date=date(2024, 9, 1))
    services.pii_record(actor=staff_a, contract=dap, notified_on=date(2026, 2, 12))
    assert Contract.objects.get(pk=dap.pk).pii_notified_on == date(2026, 2, 12)


def test_a_pii_stored_on_a_ccp_contract_is_not_shown_as_an_increase(staff_a, app_reference):
    contract = ContractFactory(trade=Trade.objects.get(code="CCP-BOUL"), pii_notified_on=date(2026, 2, 12))
    staff_a.schools.add(contract.school)
    march = selectors.schedule_compute(contract=contract).line_for(date(2026, 3, 1))
    assert (march.pii, march.rate_percent, march.due_amount) == (False, D("27.00"), D("730.01"))
    services.pii_record(actor=staff_a, contract=contract, notified_on=None)  # the wrong entry can be cleared
    assert Contract.objects.get(pk=contract.pk).pii_notified_on is None


# -- contract dates bounded by the duration of the training ---------------------------------------


@pytest.mark.parametrize("end", [date(9999, 12, 31), date(2999, 12, 31), date(2028, 9, 1)])
def test_contract_end_date_beyond_the_duration_is_refused(staff_a, school_a, employer_a, end):
    with pytest.raises(ValidationError) as caught:
        register(staff_a, school_a, employer_a, end_date=end)
    message = caught.value.message_dict["end_date"][0]
    assert "se prépare en 3 ans" in message and "au plus tard le 31/08/2028" in message
    assert Contract.objects.count() == 0 and Apprentice.objects.count() == 0


def test_contract_end_date_at_the_maximum_is_accepted(staff_a, school_a, employer_a):
    assert register(staff_a, school_a, employer_a, end_date=date(2028, 8, 31)).end_date == date(2028, 8, 31)


@pytest.mark.parametrize(
    ("programme", "first_year", "start", "maximum"),
    [
        ("DT-ELTE", 2, date(2023, 9, 1), "31/08/2026"),  # 4 years, entering the 2nd: 3 school years
        ("BTS Électrotechnique", 1, date(2024, 9, 1), "31/08/2026"),  # cross-border BTS: 2 years
        ("CCP-BOUL", 1, date(2026, 2, 1), "31/01/2029"),  # a late start keeps its 3 years
    ],
)
def test_the_maximum_end_follows_the_duration(staff_a, school_a, employer_a, programme, first_year, start, maximum):
    trade = Trade.objects.filter(code=programme).first()
    formation = None if trade else CrossBorderFormation.objects.get(title=programme)
    with pytest.raises(ValidationError) as caught:
        register(
            staff_a,
            school_a,
            employer_a,
            trade=trade,
            formation=formation,
            first_training_year=first_year,
            start_date=start,
            end_date=date(2035, 1, 1),
            signed_on=start,
            chamber_registered_on=start,
        )
    assert f"au plus tard le {maximum}" in caught.value.message_dict["end_date"][0]


@pytest.mark.parametrize("start", [date(1, 1, 1), date(1850, 9, 1), date(9999, 1, 1)])
def test_absurd_start_date_is_refused(staff_a, school_a, employer_a, start):
    with pytest.raises(ValidationError) as caught:
        register(staff_a, school_a, employer_a, start_date=start, end_date=date(9999, 12, 31), signed_on=None)
    assert "start_date" in caught.value.message_dict
    assert Contract.objects.count() == 0


def test_update_cannot_push_the_end_date_beyond_the_duration(staff_a, school_a, employer_a):
    contract = register(staff_a, school_a, employer_a)
    with pytest.raises(ValidationError) as caught:
        services.contract_update(actor=staff_a, contract=contract, end_date=date(9999, 12, 31))
    assert "31/08/2028" in caught.value.message_dict["end_date"][0]
    assert Contract.objects.get(pk=contract.pk).end_date == date(2028, 7, 15)


@pytest.mark.parametrize("end", [date(9999, 12, 31), date(2999, 12, 31)])
def test_absurd_dates_already_stored_are_refused_by_every_computation(officer, employer_user, employer_a, end):
    contract = ContractFactory(employer=employer_a, end_date=end)  # stored before dates were bounded
    schedule = selectors.schedule_compute(contract=contract)
    assert schedule.lines == []
    assert "au-delà de ce que permet la durée de formation" in schedule.error
    with pytest.raises(ValidationError):
        services.statement_issue(actor=officer, contract=contract)
    with pytest.raises(ValidationError):
        services.payment_record(actor=employer_user, contract=contract, month=date(2025, 9, 1), paid_amount="1")
    with pytest.raises(ValidationError):
        selectors.aid_preview(contract=contract, school_year=2025, today=date(2026, 12, 2))
    assert contract.statements.count() == 0 and Payment.objects.count() == 0
