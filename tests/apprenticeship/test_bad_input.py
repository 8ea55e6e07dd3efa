"""Bad-input corpus: every nasty value through every field of every apprenticeship form
(POST, as the role that may use it) and every query-string parameter of the lists and of the
calculator (GET), through the shared harness (tests/bad_input.py). Never a 500 (the test client
re-raises any exception); on a refusal, nothing is saved (row counts, audit events and the
contracts themselves unchanged)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from apprenticeship.models import AidRequest, Apprentice, Contract, Payment, Statement, Trade, TrainingYear
from core.models import AuditEvent
from tests.bad_input import NASTY, Outcome, get_every_value, post_every_value

from .factories import ContractFactory
from .test_views import contract_post

CREATE_FIELDS = [
    "last_name",
    "first_name",
    "birth_date",
    "national_id",
    "school",
    "employer",
    "trade",
    "formation",
    "first_training_year",
    "start_date",
    "end_date",
    "signed_on",
    "tutor_name",
    "tutor_qualification",
    "chamber_registered_on",
    "chamber_reference",
    "is_adult",
]
UPDATE_FIELDS = [f for f in CREATE_FIELDS if f not in ("last_name", "first_name", "birth_date", "national_id")]
ACTIONS = {  # url name: (valid payload, role)
    "contract_end": ({"outcome": "terminated", "ended_on": "2026-01-31", "reason": "Démission"}, "staff"),
    "training_year_record": ({"school_year": "2025", "training_year": "1", "repeated": ""}, "staff"),
    "pii_record": ({"notified_on": "2026-02-12"}, "staff"),
    "payment_record": ({"month": "2025-10", "paid_amount": "700,00"}, "employer"),
    "aid_prepare": ({"school_year": "2025", "social_charges_amount": "0,00"}, "employer"),
}
CALCULATOR = {
    "kind": "trade",
    "trade": "DT-ELTE",
    "formation": "",
    "training_year": "4",
    "month": "2026-07",
    "pii": "on",
    "adult": "",
}
LIST_PARAMS = ["apprentice", "trade", "status", "school_year", "employer", "school", "page", "sort", "_export"]
MODELS = (Contract, Apprentice, Payment, TrainingYear, Statement, AidRequest, AuditEvent)


def snapshot():
    """Row counts of every model a form may write, the journal, and every contract as it stands."""
    counts = tuple(m.objects.count() for m in MODELS)
    return counts, list(Contract.objects.order_by("pk").values())


def test_contract_forms(client_for, staff_a, school_a, employer_a):
    client = client_for(staff_a)
    base = contract_post(school_a, employer_a)
    base["national_id"] = "2008031099999"
    outcome = post_every_value(
        client, reverse("apprenticeship:contract_create"), base, fields=CREATE_FIELDS, snapshot=snapshot
    )
    draft = ContractFactory(employer=employer_a, school=school_a, status="registered")
    update = {k: v for k, v in contract_post(school_a, employer_a).items() if k in UPDATE_FIELDS}
    url = reverse("apprenticeship:contract_update", args=[draft.pk])
    post_every_value(client, url, update, fields=UPDATE_FIELDS, snapshot=snapshot, outcome=outcome)
    assert outcome.failures == []
    assert outcome.cases == len(NASTY) * (len(CREATE_FIELDS) + len(UPDATE_FIELDS))
    assert outcome.refused >= outcome.cases // 2


def test_contract_actions(client_for, staff_a, employer_user, school_a, employer_a):
    clients = {"staff": client_for(staff_a), "employer": client_for(employer_user)}
    # a DAP: its rate moves after the PII (seed 002), so a valid PII notification is accepted
    contract = ContractFactory(
        employer=employer_a, school=school_a, start_date=date(2025, 9, 1), trade=Trade.objects.get(code="DAP-BOUL")
    )
    outcome = Outcome()
    for name, (base, role) in ACTIONS.items():
        url = reverse(f"apprenticeship:{name}", args=[contract.pk])
        post_every_value(clients[role], url, base, snapshot=snapshot, label=name, outcome=outcome)
        if name == "aid_prepare":
            get_every_value(clients[role], url, base, base=base, outcome=outcome)
    assert outcome.failures == []
    assert outcome.cases == len(NASTY) * (sum(len(p) for p, _ in ACTIONS.values()) + 2)


def test_calculator_and_lists(client, client_for, officer, staff_a, employer_user, school_a, employer_a):
    ContractFactory.create_batch(3, employer=employer_a, school=school_a)
    assert Trade.objects.filter(code="DT-ELTE").exists()
    before = snapshot()
    outcome = get_every_value(client, reverse("apprenticeship:calculator"), CALCULATOR, base=CALCULATOR)
    for user in (officer, staff_a, employer_user):
        get_every_value(client_for(user), reverse("apprenticeship:contract_list"), LIST_PARAMS, outcome=outcome)
    get_every_value(client_for(officer), reverse("apprenticeship:arrears"), ["page"], outcome=outcome)
    assert outcome.failures == []
    assert outcome.cases == len(NASTY) * (len(CALCULATOR) + 3 * len(LIST_PARAMS) + 1)
    assert snapshot() == before


def test_the_corpus_covers_every_field_of_the_contract_forms(staff_a, school_a, employer_a):
    """The create and update corpora send their nasty values through every field the contract form
    has when creating, and when editing a registered contract (a field added to the form without
    a corpus entry would go untested)."""
    from apprenticeship.forms import ContractForm

    contract = ContractFactory(employer=employer_a, school=school_a, status="registered")
    assert set(CREATE_FIELDS) == set(ContractForm(user=staff_a).fields)
    assert set(UPDATE_FIELDS) == set(ContractForm(user=staff_a, contract=contract).fields)
