"""Migration operations shared by the apps for effective-dated reference data (CORE-2).

`PeriodsWithoutOverlap(model, key)` does, for one series model:
1. ends each period the day before the next one of its series where they overlap (data written
   before end dates were enforced: "the latest valid_from wins" becomes explicit end dates, so
   every figure stays the same);
2. on PostgreSQL, adds an exclusion constraint so that the database itself refuses two
   overlapping periods of the same series (btree_gist gives equality on the key columns).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import migrations


def _close_overlaps(model_name: str, key_columns: tuple[str, ...]):
    app_label, name = model_name.split(".")

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, name)
        series: dict[tuple, list] = {}
        for row in model._default_manager.order_by("valid_from"):
            series.setdefault(tuple(getattr(row, column) for column in key_columns), []).append(row)
        for rows in series.values():
            for current, following in zip(rows, rows[1:], strict=False):
                end = following.valid_from - timedelta(days=1)
                if current.valid_until is None or current.valid_until > end:
                    current.valid_until = end
                    current.save(update_fields=["valid_until"])

    return forwards


def _exclusion(table: str, key_columns: tuple[str, ...]):
    name = f"{table}_no_overlap"
    columns = "".join(f"{column} WITH =, " for column in key_columns)
    create = (
        f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
        f"({columns}daterange(valid_from, valid_until, '[]') WITH &&)"
    )
    drop = f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            if key_columns:
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
            schema_editor.execute(create)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return forwards, backwards


def periods_without_overlap(model_name: str, table: str, key_columns: tuple[str, ...] = ()) -> list:
    """The operations for one effective-dated model: explicit end dates, then the constraint.

    `key_columns` are the columns (attribute names) that identify a series, e.g. ("trade_id",
    "training_year"); none for a single series such as the index.
    """
    forwards, backwards = _exclusion(table, key_columns)
    return [
        migrations.RunPython(_close_overlaps(model_name, key_columns), migrations.RunPython.noop),
        migrations.RunPython(forwards, backwards),
    ]


# -- audit action names ------------------------------------------------------------------------


def rename_audit_actions(renames: dict[str, str]) -> migrations.RunPython:
    """Rename the action of the journal's events (`old → new`, and back when unapplied).

    The journal is append-only: the code refuses any update, and on PostgreSQL a trigger refuses it
    in the database. Renaming an action is the one change allowed, done here only: it changes the
    name under which an event is filed, never what happened, who did it, when, or the figures. The
    trigger is switched off for the statement and on again in the same transaction."""

    def run(schema_editor, mapping: dict[str, str]) -> None:
        postgres = schema_editor.connection.vendor == "postgresql"
        with schema_editor.connection.cursor() as cursor:
            if postgres:
                cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
            for old, new in mapping.items():
                cursor.execute("UPDATE core_auditevent SET action = %s WHERE action = %s", [new, old])
            if postgres:
                cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")

    def forwards(apps, schema_editor):
        run(schema_editor, renames)

    def backwards(apps, schema_editor):
        run(schema_editor, {new: old for old, new in renames.items()})

    return migrations.RunPython(forwards, backwards)
