"""A validated BTS declaration cannot be put back to draft from the admin, nor a lecturer's contract
deleted with its lessons."""

from datetime import date

import pytest

from bts_fees import services
from bts_fees.models import Declaration, LecturerContract
from core.enums import Scheme
from tests.admin_checks import admin_officer, journal_count, post_change, post_delete, post_revert

from .factories import make_person

pytestmark = pytest.mark.django_db


def test_validated_declaration_stays_validated(client_for, submitted_a, officer):
    validated = services.declaration_validate(actor=officer, declaration=submitted_a)
    status, total = validated.status, validated.total_amount
    client = client_for(admin_officer(Scheme.BTS_FEES))
    before = journal_count()
    # The first version in the history is the draft: reverting to it is what the probe did.
    assert post_revert(client, validated).status_code == 403
    assert post_change(client, validated, status="draft").status_code == 403
    assert post_delete(client, validated).status_code == 403
    validated.refresh_from_db()
    assert (validated.status, validated.total_amount) == (status, total)
    assert Declaration.objects.filter(pk=validated.pk).exists()
    assert journal_count() == before


def test_lecturer_contract_cannot_be_deleted(client_for, programme_a, year, staff_a):
    contract = services.contract_create(
        actor=staff_a,
        person=make_person(programme_a.school, clq_level=7, has_diploma=True, national_or_benelux_diploma=True),
        programme=programme_a,
        academic_year=year,
        category="external_lecturer",
        subject="Réseaux",
        signature_date=date(2024, 9, 20),
        start_date=date(2024, 10, 1),
        ministry_signature_date=date(2024, 9, 25),
    )
    client = client_for(admin_officer(Scheme.BTS_FEES))
    assert post_delete(client, contract).status_code == 403
    assert post_revert(client, contract, subject="Autre").status_code == 403
    assert LecturerContract.objects.get(pk=contract.pk).subject == "Réseaux"
