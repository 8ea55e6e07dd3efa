"""The journal's events of apprenticeship filed under `apprenticeship.<use case>`, the names of its
`enums.AuditAction` (the same shape in every app)."""

from django.db import migrations

from core.migration_ops import rename_audit_actions

RENAMES = {
    "contract_register": "apprenticeship.contract_register",
    "contract_update": "apprenticeship.contract_update",
    "contract_activate": "apprenticeship.contract_activate",
    "contract_end": "apprenticeship.contract_end",
    "training_year_record": "apprenticeship.training_year_record",
    "pii_record": "apprenticeship.pii_record",
    "payment_record": "apprenticeship.payment_record",
    "statement_issue": "apprenticeship.statement_issue",
    "aid_request_prepare": "apprenticeship.aid_request_prepare",
}


class Migration(migrations.Migration):
    dependencies = [("apprenticeship", "0005_reform_scenarios"), ("core", "0005_backgroundjob_kind_parts")]

    operations = [rename_audit_actions(RENAMES)]
