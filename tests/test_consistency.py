"""Architecture rules that every app must keep (STYLE: tests/test_consistency.py)."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

PROJECT_APPS = ("core", "apprenticeship", "lycee_aid", "bts_fees", "api")
NO_HISTORY = {
    "core.AuditEvent",
    "core.BackgroundJob",
    "core.BackgroundJobPart",
    "api.IdempotentReply",
}  # append-only itself; technical progress record


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


def _po_entries(path):
    """(msgid, msgstr, fuzzy) for every entry of a .po file (simple reader: no plural forms needed)."""
    entries, msgid, msgstr, fuzzy, current, context = [], None, None, False, None, None

    def flush():
        if msgid is not None:
            entries.append((msgid, msgstr or "", fuzzy, context))

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgctxt "):
            flush()
            msgid, msgstr, current, context = None, None, "ctxt", line[9:-1]
        elif line.startswith("msgid "):
            if current != "ctxt":
                flush()
                context = None
            msgid, msgstr, current = line[7:-1], None, "id"
        elif line.startswith("msgid_plural "):
            current = "plural"
        elif line.startswith("msgstr "):
            msgstr, current = line[8:-1], "str"
        elif line.startswith("msgstr["):  # plural forms: every form must be translated
            form = line.split(" ", 1)[1][1:-1]
            msgstr = form if msgstr is None else (msgstr if msgstr and form else "")
            current = "str"
        elif line.startswith('"') and current == "id":
            msgid += line[1:-1]
        elif line.startswith('"') and current == "str":
            msgstr += line[1:-1]
        elif not line:
            flush()
            msgid, msgstr, fuzzy, current, context = None, None, False, None, None
    return entries


def test_english_translation_is_complete():
    from django.conf import settings

    catalogues = sorted(settings.BASE_DIR.glob("*/locale/en/LC_MESSAGES/django.po")) + sorted(
        settings.BASE_DIR.glob("locale/en/LC_MESSAGES/django.po")
    )
    assert catalogues, "no English catalogue found"
    missing = []
    for path in catalogues:
        for msgid, msgstr, fuzzy, _context in _po_entries(path):
            if msgid and (not msgstr or fuzzy):
                missing.append(f"{path.relative_to(settings.BASE_DIR)}: {msgid[:70]}")
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_project_catalogues_do_not_override_an_app_translation():
    """Project catalogues (LOCALE_PATHS, core) win over the apps': the same French must read the same."""
    from django.conf import settings

    base = settings.BASE_DIR
    project = {}
    for path in [base / "locale/en/LC_MESSAGES/django.po", base / "core/locale/en/LC_MESSAGES/django.po"]:
        for msgid, msgstr, _fuzzy, context in _po_entries(path):
            if msgid:
                project[(context, msgid)] = msgstr
    conflicts = []
    for app in ("apprenticeship", "lycee_aid", "bts_fees"):
        path = base / app / "locale/en/LC_MESSAGES/django.po"
        if not path.exists():
            continue
        for msgid, msgstr, _fuzzy, context in _po_entries(path):
            theirs = project.get((context, msgid))
            if msgid and theirs is not None and theirs != msgstr:
                conflicts.append(f"{app}: {msgid!r} is {msgstr!r} there but {theirs!r} in the project catalogue")
    assert not conflicts, "\n".join(conflicts) + "\n(use pgettext with a context in core)"
