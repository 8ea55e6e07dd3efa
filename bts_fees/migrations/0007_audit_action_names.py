"""The journal's events of bts_fees filed under `bts_fees.<use case>`, the names of its
`enums.AuditAction` (the same shape in every app)."""

from django.db import migrations

from core.migration_ops import rename_audit_actions

RENAMES = {
    "bts_programme_create": "bts_fees.programme_create",
    "bts_person_create": "bts_fees.person_create",
    "bts_person_update": "bts_fees.person_update",
    "bts_body_create": "bts_fees.body_create",
    "bts_proposals_sent": "bts_fees.body_record_proposals",
    "bts_appointment_create": "bts_fees.appointment_create",
    "bts_appointment_order": "bts_fees.appointment_record_order",
    "bts_declaration_create": "bts_fees.declaration_create",
    "bts_declaration_add_line": "bts_fees.declaration_add_line",
    "bts_declaration_remove_line": "bts_fees.declaration_remove_line",
    "bts_exam_paper_record": "bts_fees.exam_paper_record",
    "bts_declaration_attach_sheet": "bts_fees.declaration_attach_sheet",
    "bts_declaration_submit": "bts_fees.declaration_submit",
    "bts_declaration_validate": "bts_fees.declaration_validate",
    "bts_declaration_reject": "bts_fees.declaration_reject",
    "bts_declaration_reopen": "bts_fees.declaration_reopen",
    "bts_contract_create": "bts_fees.contract_create",
    "bts_contract_ministry_signature": "bts_fees.contract_record_ministry_signature",
    "bts_lesson_record": "bts_fees.lesson_record",
    "bts_conflict_declare": "bts_fees.conflict_declare",
    "bts_statement_issue": "bts_fees.statement_issue",
}


class Migration(migrations.Migration):
    dependencies = [("bts_fees", "0006_issued_statements"), ("core", "0005_backgroundjob_kind_parts")]

    operations = [rename_audit_actions(RENAMES)]
