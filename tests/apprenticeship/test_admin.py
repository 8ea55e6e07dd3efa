"""The admin never rewrites an apprenticeship payment, contract or apprentice: history is shown,
not reverted, and business records are neither changed nor deleted there."""

from datetime import date
from decimal import Decimal

import pytest

from apprenticeship.models import Contract, Payment
from core.enums import Scheme
from tests.admin_checks import admin_officer, journal_count, post_change, post_delete, post_revert

from .factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(app_reference, employer_a):
    contract = ContractFactory(employer=employer_a)
    officer = admin_officer(Scheme.APPRENTICESHIP)
    # September 2025 paid 1 081,50 as due (the figures the probe rewrote to 1,00 and 99 999,99).
    return Payment.objects.create(
        contract=contract,
        month=date(2025, 9, 1),
        paid_amount=Decimal("1081.50"),
        due_amount=Decimal("1081.50"),
        index=Decimal("968.04"),
        recorded_by=officer,
    )


def test_revert_form_cannot_rewrite_a_payment(client_for, payment):
    client = client_for(admin_officer(Scheme.APPRENTICESHIP))
    before = journal_count()
    response = post_revert(client, payment, paid_amount="1.00", due_amount="99999.99")
    assert response.status_code == 403
    payment.refresh_from_db()
    assert (payment.paid_amount, payment.due_amount) == (Decimal("1081.50"), Decimal("1081.50"))
    assert payment.history.count() == 1
    assert journal_count() == before


def test_revert_form_is_shown_read_only(client_for, payment):
    opts = payment._meta
    version = payment.history.first()
    response = client_for(admin_officer(Scheme.APPRENTICESHIP)).get(
        f"/admin/{opts.app_label}/{opts.model_name}/{payment.pk}/history/{version.history_id}/"
    )
    assert response.status_code == 200
    assert b'name="_save"' not in response.content


def test_change_and_delete_views_refuse_a_payment_and_a_contract(client_for, payment):
    client = client_for(admin_officer(Scheme.APPRENTICESHIP))
    assert post_change(client, payment, paid_amount="1.00").status_code == 403
    assert post_delete(client, payment).status_code == 403
    assert post_delete(client, payment.contract).status_code == 403
    assert post_change(client, payment.contract.apprentice, birth_date="2001-01-01").status_code == 403
    payment.refresh_from_db()
    assert payment.paid_amount == Decimal("1081.50")
    assert Contract.objects.filter(pk=payment.contract_id).exists()
    assert payment.contract.apprentice.birth_date == date(2008, 3, 10)
