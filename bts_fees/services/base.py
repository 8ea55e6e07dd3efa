"""The plumbing the bts_fees use cases share (no use case lives here): a declaration or a person
locked for a change, a declaration refused once it cannot be edited, and the journal entry of a
status change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.services import audit_record

from ..models import Declaration, Person
from ..selectors.quantities import person_rows


def status_audit(actor, obj, before: str, after: str, action: str, reason: str = ""):
    audit_record(actor=actor, action=action, obj=obj, before={"status": before}, after={"status": after}, reason=reason)


def declaration_lock(declaration_id: int) -> Declaration:
    return Declaration.objects.select_for_update().select_related("body", "body__academic_year").get(pk=declaration_id)


def declaration_require_editable(declaration: Declaration) -> None:
    if not declaration.is_editable:
        raise ValidationError(
            _("Cette déclaration est %(s)s : elle ne peut plus être modifiée.")
            % {"s": declaration.get_status_display()}
        )


def person_lock(person: Person) -> None:
    """Lock every row of this person: two entries at once cannot both pass a limit."""
    list(person_rows(person).select_for_update().order_by("pk").values_list("pk", flat=True))
