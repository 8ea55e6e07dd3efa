"""Row locks: two concurrent state changes on one contract never collide (PostgreSQL only)."""

import threading

import pytest
from django.db import connection

from apprenticeship import services
from apprenticeship.models import Contract

from .factories import ContractFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_statements_get_distinct_numbers_and_one_activation(app_reference, officer, employer_a):
    contract = ContractFactory(employer=employer_a, status="registered")
    errors, barrier = [], threading.Barrier(2)

    def issue():
        try:
            barrier.wait()
            services.statement_issue(actor=officer, contract=contract)
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    def activate():
        try:
            barrier.wait()
            services.contract_activate(actor=officer, contract=contract)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    for target in (issue, issue):
        barrier.reset()
        threads = [threading.Thread(target=target) for _ in range(2)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    assert errors == []
    assert sorted(contract.statements.values_list("reference", flat=True)) == [
        f"REL-{contract.reference[4:]}-0{i}" for i in range(1, 5)
    ]
    barrier.reset()
    threads = [threading.Thread(target=activate) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(errors) == 1  # the second one finds the contract already active
    assert Contract.objects.get(pk=contract.pk).status == "active"
    assert contract.payments.count() == 0
