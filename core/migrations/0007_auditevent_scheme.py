from django.db import migrations, models

SCHEMES = ("apprenticeship", "lycee_aid", "bts_fees")
TRIGGER = "core_auditevent_append_only"


def backfill(apps, schema_editor):
    """Each event's scheme is the app of its object. The journal refuses UPDATE on PostgreSQL
    (append-only trigger): it is lifted for this one backfill, inside the migration's transaction."""
    AuditEvent = apps.get_model("core", "AuditEvent")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE core_auditevent DISABLE TRIGGER {TRIGGER}")
    for scheme in SCHEMES:
        AuditEvent.objects.filter(object_type__startswith=f"{scheme}.").update(scheme=scheme)
    if postgres:
        schema_editor.execute(f"ALTER TABLE core_auditevent ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_auditevent_channel")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="scheme",
            field=models.CharField(
                blank=True,
                choices=[
                    ("apprenticeship", "apprentissage"),
                    ("lycee_aid", "aide régionale à l'équipement"),
                    ("bts_fees", "indemnités BTS"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="dispositif",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
