"""The admin's promises, for every model registered: history never reverted, nothing deleted, every
remaining change journaled, reference periods saved through `effective_dated_save`."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.admin import AuditEventAdmin, BaremeAdmin
from core.models import AuditEvent, LuxIndex, School
from tests.admin_checks import post_change, post_delete, post_revert

pytestmark = pytest.mark.django_db


def test_every_registered_admin_is_a_bareme_admin():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("auth", "django_tasks_database", "django_otp", "otp_totp", "axes"):
            continue
        assert isinstance(model_admin, (BaremeAdmin, AuditEventAdmin)), model


def test_no_admin_deletes_anything(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, BaremeAdmin):
            assert not model_admin.has_delete_permission(request), model
            assert model_admin.revert_disabled(request), model


def test_school_change_is_journaled_and_delete_refused(client_for, admin_user, school_a):
    client = client_for(admin_user)
    response = post_change(client, school_a, name="Lycée A renommé", city="Esch")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="core.admin_change")
    assert event.actor == admin_user
    assert event.object_id == str(school_a.pk)
    assert event.before == {"name": "Lycée A", "city": ""}
    assert event.after == {"name": "Lycée A renommé", "city": "Esch"}
    assert post_delete(client, school_a).status_code == 403
    assert School.objects.filter(pk=school_a.pk).exists()


def test_school_revert_refused(client_for, admin_user, school_a):
    school_a.name = "Lycée A renommé"
    school_a.save()
    assert post_revert(client_for(admin_user), school_a, name="Lycée A").status_code == 403
    school_a.refresh_from_db()
    assert school_a.name == "Lycée A renommé"


def test_index_added_in_admin_is_fitted_and_journaled_once(client_for, admin_user, reference):
    last = LuxIndex.objects.order_by("-valid_from").first()
    client = client_for(admin_user)
    response = client.post(
        "/admin/core/luxindex/add/",
        {"valid_from": "2030-01-01", "valid_until": "", "value": "1100.00", "source": "Test"},
    )
    assert response.status_code == 302
    new = LuxIndex.objects.get(valid_from=date(2030, 1, 1))
    assert new.value == Decimal("1100.00")
    last.refresh_from_db()
    assert last.valid_until == date(2029, 12, 31)  # the period it starts within ends the day before
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["core.reference_period_end", "core.reference_period_save"]
