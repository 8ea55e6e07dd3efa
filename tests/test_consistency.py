"""Architecture rules that every app must keep (STYLE: tests/test_consistency.py)."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

PROJECT_APPS = ("core", "apprenticeship", "lycee_aid", "bts_fees")
NO_HISTORY = {"core.AuditEvent"}  # append-only itself


def project_models():
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def test_no_missing_migration(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        pytest.fail(f"missing migration: {out.getvalue()} ({exc})")


def test_every_amount_field_is_decimal():
    for model in project_models():
        for field in model._meta.get_fields():
            assert not isinstance(field, models.FloatField), f"{model.__name__}.{field.name} is a float"
            if getattr(field, "concrete", False) and ("amount" in field.name or field.name.endswith("_at_100")):
                assert isinstance(field, models.DecimalField), f"{model.__name__}.{field.name} must be a DecimalField"


def test_every_business_model_keeps_its_history():
    for model in project_models():
        label = f"{model._meta.app_label}.{model.__name__}"
        if label in NO_HISTORY:
            continue
        assert hasattr(model, "history"), f"{label} has no history (simple_history.HistoricalRecords)"


def test_no_foreign_key_sets_null_on_financial_data():
    """A deleted parent must never silently orphan money: PROTECT or CASCADE, chosen on purpose."""
    for model in project_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and not field.auto_created:
                assert field.remote_field.on_delete in (models.PROTECT, models.CASCADE, models.RESTRICT), (
                    f"{model.__name__}.{field.name}"
                )


def test_reference_and_demo_data_load_on_an_empty_database(db):
    out = StringIO()
    call_command("bareme_init", "--demo", stdout=out)
    call_command("bareme_init", "--demo", stdout=out)  # idempotent
    from core.models import LuxIndex, User

    assert LuxIndex.objects.count() == 7
    assert User.objects.filter(username="agent").count() == 1
