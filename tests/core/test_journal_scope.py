"""An officer reads the journal of the schemes they follow (and of shared data) only, on the page,
in its export and in the admin; the admin lists no record of another scheme."""

import pytest
from django.urls import reverse

from core.enums import Role, Scheme
from core.models import AuditEvent
from core.services import audit_record
from tests.admin_checks import admin_officer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _Obj:
    """A stand-in object of a given app for audit_record (only its _meta and pk are read)."""

    def __init__(self, label, pk, text):
        app_label, model_name = label.split(".")
        self._meta = type("Meta", (), {"app_label": app_label, "label_lower": label})()
        self.pk, self.text = pk, text

    def __str__(self):
        return self.text


@pytest.fixture
def events(db):
    audit_record(
        actor=None,
        action="apprenticeship.contract_register",
        obj=_Obj("apprenticeship.contract", 1, "Contrat de Jean Apprenti"),
    )
    audit_record(actor=None, action="lycee_aid.campaign_run", obj=_Obj("lycee_aid.schoolyear", 2, "ARE 2025-2026"))
    audit_record(
        actor=None, action="bts_fees.declaration_create", obj=_Obj("bts_fees.declaration", 3, "Déclaration BTS")
    )
    audit_record(actor=None, action="core.reference_period_save", obj=_Obj("core.luxindex", 4, "Indice 968,04"))


def test_events_carry_the_scheme_of_their_object(events):
    assert list(AuditEvent.objects.order_by("id").values_list("scheme", flat=True)) == [
        "apprenticeship",
        "lycee_aid",
        "bts_fees",
        "",
    ]


def test_bts_officer_reads_only_bts_and_shared_events(client_for, events):
    officer = UserFactory(username="agent.bts", role=Role.OFFICER, schemes=[Scheme.BTS_FEES])
    client = client_for(officer)
    page = client.get(reverse("core:journal")).content.decode()
    assert "Déclaration BTS" in page and "Indice 968,04" in page
    assert "Jean Apprenti" not in page and "ARE 2025-2026" not in page
    export = client.get(reverse("core:journal"), {"_export": "csv"}).content.decode("utf-8-sig")
    assert "Déclaration BTS" in export
    assert "Jean Apprenti" not in export and "ARE 2025-2026" not in export


def test_administrator_reads_every_event(client_for, admin_user, events):
    page = client_for(admin_user).get(reverse("core:journal")).content.decode()
    assert all(text in page for text in ("Jean Apprenti", "ARE 2025-2026", "Déclaration BTS", "Indice 968,04"))


def test_admin_of_another_scheme_is_closed_to_an_officer(client_for, events):
    client = client_for(admin_officer(Scheme.BTS_FEES))
    assert client.get("/admin/apprenticeship/contract/").status_code == 403
    assert client.get("/admin/lycee_aid/dotation/").status_code == 403
    assert client.get("/admin/bts_fees/declaration/").status_code == 200
    index = client.get("/admin/").content.decode()
    assert "/admin/bts_fees/" in index and "/admin/apprenticeship/" not in index
    journal = client.get("/admin/core/auditevent/")
    assert journal.status_code in (200, 403)
    if journal.status_code == 200:
        assert "Jean Apprenti" not in journal.content.decode()
