"""Architecture rules that every app must keep (the same rooms, names and guarantees in every app)."""

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


# -- the three apps have one shape ---------------------------------------------------------------

SCHEME_APPS = ("apprenticeship", "lycee_aid", "bts_fees")
# The rooms of an app (docs/architecture.md): a module, or a package for the services.
ROOMS = (
    "models",
    "enums",
    "rules",
    "permissions",
    "selectors",
    "services",
    "forms",
    "filters",
    "tables",
    "views",
    "urls",
    "admin",
    "pdf",
    "demo",
    "bench",
)


def _app_dir(app):
    from django.conf import settings

    return settings.BASE_DIR / app


def _service_modules(app):
    """(module name, parsed source) of every module of the app's services package."""
    import ast

    package = _app_dir(app) / "services"
    return [
        (f"{app}.services.{path.stem}", ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(package.glob("*.py"))
    ]


def test_every_app_has_the_same_rooms():
    for app in SCHEME_APPS:
        root = _app_dir(app)
        missing = [
            room for room in ROOMS if not ((root / f"{room}.py").exists() or (root / room / "__init__.py").exists())
        ]
        assert not missing, f"{app} lacks {missing}"
        assert (root / "services" / "__init__.py").exists(), f"{app}: the services are a package"


def test_every_service_module_is_small_and_says_what_lives_there():
    import ast

    for app in SCHEME_APPS:
        for name, tree in _service_modules(app):
            path = _app_dir(app) / "services" / f"{name.rsplit('.', 1)[1]}.py"
            assert len(path.read_text(encoding="utf-8").splitlines()) <= 300, f"{name} is over 300 lines"
            assert ast.get_docstring(tree), f"{name} has no opening comment"


# The modules of a services package that hold no use case: the plumbing its use cases share
# (locks, journal snapshots, the set-based SQL of the ARE campaign). Their functions are helpers,
# public so that no module imports another's private name; no use case may live there.
PLUMBING = {"base", "campaign_sql"}
# A use case that is not one transaction, on purpose: each declaration is validated in its own
# transaction, so that one refusal stops no other.
NOT_ATOMIC = {"bts_fees.services.submission.declarations_validate_bulk"}


def test_every_public_service_is_an_atomic_keyword_only_use_case():
    """Every public function of a services package (outside its plumbing) is a use case: it takes
    keywords only, among them the `actor`, runs in one transaction and says what it returns.
    Reads and checks that change nothing live in the selectors, pure computations in the rules."""
    import ast

    problems = []
    for app in SCHEME_APPS:
        for name, tree in _service_modules(app):
            functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
            for node in functions:
                atomic = "transaction.atomic" in {ast.unparse(d) for d in node.decorator_list}
                if name.rsplit(".", 1)[1] in PLUMBING:
                    if atomic:
                        problems.append(f"{name}.{node.name}: a use case in the plumbing module")
                    continue
                if node.args.args or node.args.posonlyargs or node.args.vararg:
                    problems.append(f"{name}.{node.name}: positional parameters")
                if "actor" not in {a.arg for a in node.args.kwonlyargs}:
                    problems.append(f"{name}.{node.name}: no keyword-only `actor` (a read? it belongs in selectors)")
                if not atomic and f"{name}.{node.name}" not in NOT_ATOMIC:
                    problems.append(f"{name}.{node.name}: not @transaction.atomic")
                if node.returns is None:
                    problems.append(f"{name}.{node.name}: no return type")
    assert not problems, "\n".join(problems)


def test_every_public_service_is_reachable_from_the_package():
    """`from <app> import services; services.x(...)` keeps working whatever module x lives in."""
    import importlib

    for app in SCHEME_APPS:
        package = importlib.import_module(f"{app}.services")
        for name, tree in _service_modules(app):
            if name.rsplit(".", 1)[1] in PLUMBING:
                continue
            for node in tree.body:
                if hasattr(node, "name") and not node.name.startswith("_"):
                    assert getattr(package, node.name, None) is not None, f"{app}.services lacks {node.name}"


def test_audit_actions_are_one_enumeration_per_app_named_after_the_app():
    import importlib

    for app in (*SCHEME_APPS, "core"):
        actions = importlib.import_module(f"{app}.enums").AuditAction
        assert all(action.value.startswith(f"{app}.") for action in actions), app
    import ast

    bare = []
    for app in SCHEME_APPS:
        for name, tree in _service_modules(app):
            for node in ast.walk(tree):
                strings = [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                if isinstance(node, ast.keyword) and node.arg == "action" and strings:
                    bare.append(f"{name}: {ast.unparse(node)}")
    assert not bare, "audit actions written as bare strings:\n" + "\n".join(bare)


# Writes that skip django-simple-history on purpose, each with its reason: anything else written
# by a service goes through `save()` or `bulk_*_with_history`, so that every audited model's
# changes keep their history.
SET_BASED_WRITES = {
    # Lines frozen with their statement, written once, never changed: the statement's history and
    # its journal event record them.
    ("apprenticeship.services.statements", "StatementLine.objects.bulk_create("),
    ("lycee_aid.services.requests", "SupplementaryRequestLine.objects.bulk_create("),
    ("lycee_aid.services.requests", "SupplementaryRequestLine.objects.bulk_update("),
    ("lycee_aid.services.reports", "UsageReportLine.objects.bulk_create("),
    # The campaign and the vote write the history rows of the dotations themselves, in SQL.
    ("lycee_aid.services.campaign", "Dotation.objects.bulk_create("),
    ("lycee_aid.services.decisions", "Dotation.objects.filter(school_year=year).update("),
}


def test_every_audited_write_keeps_its_history():
    import re

    from django.conf import settings

    found = set()
    for app in SCHEME_APPS:
        for path in sorted((settings.BASE_DIR / app / "services").glob("*.py")):
            source = path.read_text(encoding="utf-8")
            for match in re.finditer(
                r"\w+\.objects\.(?:[\w().=, ]*?)\.?\b(?:bulk_create|bulk_update|update)\(", source
            ):
                found.add((f"{app}.services.{path.stem}", match.group(0)))
    assert found == SET_BASED_WRITES


def _project_sources():
    """(dotted module name, parsed source) of every Python module of the project's apps and tests,
    migrations aside."""
    import ast

    from django.conf import settings

    base = settings.BASE_DIR
    for folder in (*PROJECT_APPS, "tests"):
        for path in sorted((base / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(base).with_suffix("").parts)
            yield module, path, ast.parse(path.read_text(encoding="utf-8"))


def test_no_module_imports_another_modules_private_name():
    """A name that starts with an underscore is private to its module: what two modules share is
    public, in the module that owns it (a package's plumbing module, core, or tests/utils.py)."""
    import ast

    found = []
    for module, _path, tree in _project_sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private:
                    found.append(f"{module}:{node.lineno} imports {', '.join(private)} from {node.module or '.'}")
    assert not found, "\n".join(found)


def test_every_module_says_what_lives_there():
    """Each module opens with a comment (docstring) saying what lives there; an empty package
    marker (`__init__.py` with no code) needs none."""
    import ast

    missing = [module for module, _path, tree in _project_sources() if tree.body and not ast.get_docstring(tree)]
    assert not missing, "modules without an opening comment:\n" + "\n".join(missing)
