"""Row locks: every state transition of the app, run twice at once in real threads on
PostgreSQL, has one effect and writes one audit event; two different changes at once both stay."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apprenticeship import services
from apprenticeship.models import AidRequest, Contract, Payment, Statement, Trade, TrainingYear
from tests.utils import events

from .factories import ContractFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(*calls):
    """Start every call in its own thread behind a barrier; return (results, errors)."""
    barrier, results, errors = threading.Barrier(len(calls)), [], []

    def target(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # noqa: BLE001 — collected and asserted by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(call,)) for call in calls]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return results, errors


def dap():
    """A DAP trade: its rate moves after the PII (seed 002), so a PII can be recorded."""
    return Trade.objects.get(code="DAP-BOUL")


TRANSITIONS = {
    # name: (status of the contract, call(actor, contract), action, effect(contract) -> bool, errors expected)
    "activate": (
        "registered",
        lambda actor, c: services.contract_activate(actor=actor, contract=c),
        "apprenticeship.contract_activate",
        lambda c: Contract.objects.get(pk=c.pk).status == "active",
        1,
    ),
    "close": (
        "active",
        lambda actor, c: services.contract_end(
            actor=actor, contract=c, outcome="terminated", ended_on=date(2026, 1, 31), reason="Démission"
        ),
        "apprenticeship.contract_end",
        lambda c: Contract.objects.get(pk=c.pk).ended_on == date(2026, 1, 31),
        1,
    ),
    "pii": (
        "active",
        lambda actor, c: services.pii_record(actor=actor, contract=c, notified_on=date(2026, 2, 12)),
        "apprenticeship.pii_record",
        lambda c: Contract.objects.get(pk=c.pk).pii_notified_on == date(2026, 2, 12),
        0,
    ),
    "training_year": (
        "active",
        lambda actor, c: services.training_year_record(actor=actor, contract=c, school_year=2025, training_year=1),
        "apprenticeship.training_year_record",
        lambda c: TrainingYear.objects.filter(contract=c).count() == 1,
        0,
    ),
    "payment": (
        "active",
        lambda actor, c: services.payment_record(
            actor=actor, contract=c, month=date(2025, 10, 1), paid_amount="700,00"
        ),
        "apprenticeship.payment_record",
        lambda c: Payment.objects.filter(contract=c).count() == 1,
        0,
    ),
    "statement": (
        "active",
        lambda actor, c: services.statement_issue(actor=actor, contract=c),
        "apprenticeship.statement_issue",
        lambda c: Statement.objects.filter(contract=c).count() == 1,
        0,
    ),
    "aid_request": (
        "active",
        lambda actor, c: services.aid_request_prepare(
            actor=actor, contract=c, school_year=2025, social_charges_amount="0"
        ),
        "apprenticeship.aid_request_prepare",
        lambda c: AidRequest.objects.filter(contract=c).count() == 1,
        0,
    ),
}


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_a_transition_run_twice_at_once_has_one_effect_and_one_audit_event(
    name, app_reference, officer, employer_a, time_machine
):
    time_machine.move_to(date(2026, 12, 2))  # the 2025-2026 aid can be requested (APP-7), months are due
    status, call, action, effect, expected_errors = TRANSITIONS[name]
    contract = ContractFactory(employer=employer_a, status=status, trade=dap())
    results, errors = run_at_once(lambda: call(officer, contract), lambda: call(officer, contract))
    assert len(errors) == expected_errors, errors
    assert all(isinstance(e, ValidationError) for e in errors)
    assert effect(contract)
    assert events(action) == 1


def test_two_different_changes_at_once_are_both_kept(app_reference, officer, employer_a, employer_user):
    contract = ContractFactory(employer=employer_a, trade=dap())
    _, errors = run_at_once(
        lambda: services.payment_record(
            actor=employer_user, contract=contract, month=date(2025, 10, 1), paid_amount="700"
        ),
        lambda: services.payment_record(
            actor=employer_user, contract=contract, month=date(2025, 11, 1), paid_amount="710"
        ),
        lambda: services.pii_record(actor=officer, contract=contract, notified_on=date(2026, 2, 12)),
        lambda: services.training_year_record(actor=officer, contract=contract, school_year=2026, training_year=2),
    )
    assert errors == []
    assert sorted(Payment.objects.filter(contract=contract).values_list("paid_amount", flat=True)) == [700, 710]
    assert Contract.objects.get(pk=contract.pk).pii_notified_on == date(2026, 2, 12)
    assert TrainingYear.objects.get(contract=contract).training_year == 2
    assert (
        events("apprenticeship.payment_record") == 2
        and events("apprenticeship.pii_record") == 1
        and events("apprenticeship.training_year_record") == 1
    )


def test_two_statements_after_a_change_get_distinct_numbers(app_reference, officer, employer_a, employer_user):
    contract = ContractFactory(employer=employer_a, trade=dap())
    first = services.statement_issue(actor=officer, contract=contract)
    services.pii_record(actor=officer, contract=contract, notified_on=date(2026, 2, 12))  # the figures change
    results, errors = run_at_once(
        lambda: services.statement_issue(actor=officer, contract=contract),
        lambda: services.statement_issue(actor=employer_user, contract=contract),
    )
    assert errors == []
    assert {r.pk for r in results} != {first.pk} and len({r.pk for r in results}) == 1
    assert sorted(contract.statements.values_list("reference", flat=True)) == [
        f"REL-{contract.reference[4:]}-0{i}" for i in (1, 2)
    ]


def test_two_officers_adopting_the_same_reform_at_once_adopt_it_once(app_reference, officer):
    from apprenticeship.models import ReformScenario, TradeRate
    from apprenticeship.reforms import services as reform_services
    from apprenticeship.reforms.demo import february_2026_bill

    scenario = february_2026_bill()
    rates = TradeRate.objects.count()
    results, errors = run_at_once(
        lambda: reform_services.reform_adopt(actor=officer, scenario=scenario),
        lambda: reform_services.reform_adopt(actor=officer, scenario=scenario),
    )
    assert results == [16] and len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert ReformScenario.objects.get(pk=scenario.pk).status == "adopted"
    assert TradeRate.objects.count() == rates + 16  # written once
    assert events("apprenticeship.reform_adopt") == 1
