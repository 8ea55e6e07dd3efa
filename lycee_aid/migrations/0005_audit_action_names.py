"""The journal's events of lycee_aid filed under `lycee_aid.<use case>`, the names of its
`enums.AuditAction` (the same shape in every app)."""

from django.db import migrations

from core.migration_ops import rename_audit_actions

RENAMES = {
    "lycee_aid.dotation_paid": "lycee_aid.dotation_mark_paid",
}


class Migration(migrations.Migration):
    dependencies = [("lycee_aid", "0004_cpge_one_request_per_pupil"), ("core", "0005_backgroundjob_kind_parts")]

    operations = [rename_audit_actions(RENAMES)]
