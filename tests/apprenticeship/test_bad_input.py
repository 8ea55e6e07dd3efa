"""Bad-input corpus (issue 7): every nasty value through every field of every apprenticeship form
(POST, as the role that may use it) and every query-string parameter of the lists and of the
calculator (GET). Never a 500 (the test client re-raises any exception); on a refusal, nothing is
saved (row counts, audit events and the contract itself unchanged)."""

from __future__ import annotations

from datetime import date

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from apprenticeship.models import AidRequest, Apprentice, Contract, Payment, Statement, Trade, TrainingYear
from core.models import AuditEvent
from tests.bad_input import NASTY  # noqa: E402  (one corpus for the three apps)

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


def _state(contract=None):
    counts = tuple(m.objects.count() for m in MODELS)
    if contract is None:
        return counts
    return counts, model_to_dict(Contract.objects.get(pk=contract.pk))


class Corpus:
    def __init__(self):
        self.cases = 0
        self.failures = []

    def post(self, client, url, base, field, value, contract=None):
        data = {**base, field: value}
        self.cases += 1
        before = _state(contract)
        try:
            response = client.post(url, data)
        except Exception as exc:  # noqa: BLE001 — the test client re-raises what would be a 500
            self.failures.append((url, field, value[:20], repr(exc)[:200]))
            return
        if response.status_code >= 500:
            self.failures.append((url, field, value[:20], response.status_code))
        elif response.status_code != 302 and _state(contract) != before:
            self.failures.append((url, field, value[:20], "saved on refusal"))

    def get(self, client, url, params, field, value):
        self.cases += 1
        try:
            response = client.get(url, {**params, field: value})
        except Exception as exc:  # noqa: BLE001
            self.failures.append((url, field, value[:20], repr(exc)[:200]))
            return
        if response.status_code >= 500:
            self.failures.append((url, field, value[:20], response.status_code))


@pytest.fixture
def corpus():
    return Corpus()


def test_contract_forms(corpus, client_for, staff_a, school_a, employer_a):
    client = client_for(staff_a)
    base = contract_post(school_a, employer_a)
    base["national_id"] = "2008031099999"
    for field in CREATE_FIELDS:
        for value in NASTY:
            corpus.post(client, reverse("apprenticeship:contract_create"), base, field, value)
            Contract.objects.filter(apprentice__national_id=base["national_id"]).delete()  # an accepted one
            Apprentice.objects.filter(national_id=base["national_id"]).delete()
    draft = ContractFactory(employer=employer_a, school=school_a, status="registered")
    update = {k: v for k, v in contract_post(school_a, employer_a).items() if k in UPDATE_FIELDS}
    for field in UPDATE_FIELDS:
        for value in NASTY:
            corpus.post(
                client, reverse("apprenticeship:contract_update", args=[draft.pk]), update, field, value, contract=draft
            )
    assert corpus.failures == []
    assert corpus.cases == len(NASTY) * (len(CREATE_FIELDS) + len(UPDATE_FIELDS))


def test_contract_actions(corpus, client_for, staff_a, employer_user, school_a, employer_a):
    clients = {"staff": client_for(staff_a), "employer": client_for(employer_user)}
    # a DAP: its rate moves after the PII (seed 002), so a valid PII notification is accepted
    contract = ContractFactory(
        employer=employer_a, school=school_a, start_date=date(2025, 9, 1), trade=Trade.objects.get(code="DAP-BOUL")
    )
    for name, (base, role) in ACTIONS.items():
        url = reverse(f"apprenticeship:{name}", args=[contract.pk])
        for field in base:
            for value in NASTY:
                corpus.post(clients[role], url, base, field, value, contract=contract)
                Contract.objects.filter(pk=contract.pk).update(status="active", ended_on=None)  # undo a valid end
        if name == "aid_prepare":
            for field in base:
                for value in NASTY:
                    corpus.get(clients[role], url, base, field, value)
    assert corpus.failures == []
    assert corpus.cases == len(NASTY) * (sum(len(p) for p, _ in ACTIONS.values()) + 2)


def test_calculator_and_lists(corpus, client, client_for, officer, staff_a, employer_user, school_a, employer_a):
    ContractFactory.create_batch(3, employer=employer_a, school=school_a)
    assert Trade.objects.filter(code="DT-ELTE").exists()
    for field in CALCULATOR:
        for value in NASTY:
            corpus.get(client, reverse("apprenticeship:calculator"), CALCULATOR, field, value)
    for user in (officer, staff_a, employer_user):
        user_client = client_for(user)
        for field in LIST_PARAMS:
            for value in NASTY:
                corpus.get(user_client, reverse("apprenticeship:contract_list"), {}, field, value)
    for value in NASTY:
        corpus.get(client_for(officer), reverse("apprenticeship:arrears"), {}, "page", value)
    assert corpus.failures == []
    assert corpus.cases == len(NASTY) * (len(CALCULATOR) + 3 * len(LIST_PARAMS) + 1)


def test_the_corpus_covers_every_field_of_the_contract_form():
    """The create corpus sends its nasty values through every field the contract form has (a field
    added to the form without a corpus entry would go untested)."""
    from apprenticeship.forms import ContractForm

    assert set(CREATE_FIELDS) == set(ContractForm.base_fields)
    assert set(UPDATE_FIELDS) < set(CREATE_FIELDS)
