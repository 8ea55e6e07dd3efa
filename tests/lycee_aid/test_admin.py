"""A voted dotation cannot be rewritten from the admin (the probe's 999 999 € seen by lycée staff)."""

from decimal import Decimal

import pytest

from core.enums import Scheme
from lycee_aid.models import Dotation
from tests.admin_checks import admin_officer, journal_count, post_change, post_delete, post_revert

pytestmark = pytest.mark.django_db


def test_voted_dotation_cannot_be_reverted_changed_or_deleted(client_for, voted, lycee_a):
    dotation = Dotation.objects.get(school=lycee_a, school_year=voted)
    assert dotation.history.count() >= 2  # computed, then voted
    figures = (dotation.status, dotation.pre_bac_due_amount, dotation.total_due_amount)
    client = client_for(admin_officer(Scheme.LYCEE_AID))
    before = journal_count()
    response = post_revert(client, dotation, total_due_amount="999999.00", pre_bac_due_amount="999999.00")
    assert response.status_code == 403
    assert post_change(client, dotation, total_due_amount="999999.00").status_code == 403
    assert post_delete(client, dotation).status_code == 403
    dotation.refresh_from_db()
    assert (dotation.status, dotation.pre_bac_due_amount, dotation.total_due_amount) == figures
    assert dotation.total_due_amount != Decimal("999999.00")
    assert journal_count() == before
