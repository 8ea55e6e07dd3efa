"""The attendance sheet attached, and a declaration's way to payment: submission in one batch,
validation or rejection by the ministry, reopening with a reason (BTS-10). What stops a submission
is read in `selectors.declarations`."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.models import User
from core.services import audit_record

from .. import notices, permissions
from ..enums import (
    AuditAction,
    DeclarationStatus,
)
from ..models import (
    Declaration,
    DeclarationLine,
)
from ..selectors.declarations import (
    check_sheet,
    submission_problems,
)
from ..selectors.pricing import Pricer
from .base import declaration_lock, declaration_require_editable, status_audit


@transaction.atomic
def declaration_attach_sheet(*, actor: User, declaration: Declaration, upload) -> Declaration:
    declaration = declaration_lock(declaration.pk)
    permissions.require_school(actor, declaration.body.school_id)
    declaration_require_editable(declaration)
    extension, content_type = check_sheet(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    old = declaration.attendance_sheet.name if declaration.attendance_sheet else ""
    original = (upload.name or "liste").rsplit("/", 1)[-1][:150]
    declaration.attendance_sheet.save(f"sheet.{extension}", upload, save=False)
    declaration.attendance_sheet_name = original
    declaration.attendance_sheet_type = content_type
    declaration.attendance_sheet_sha256 = digest.hexdigest()
    declaration.save()
    audit_record(
        actor=actor,
        action=AuditAction.DECLARATION_ATTACH_SHEET,
        obj=declaration,
        before={"attendance_sheet": old},
        after={"attendance_sheet": declaration.attendance_sheet.name, "sha256": declaration.attendance_sheet_sha256},
    )
    if old:
        transaction.on_commit(lambda: declaration.attendance_sheet.storage.delete(old))
    return declaration


def _reprice(declaration: Declaration, actor: User) -> Decimal:
    """Price every line at the rate and index in force on its act's date (CORE-2) and store it,
    with a historical record of each line (simple-history: a plain bulk_update leaves none)."""
    lines = list(declaration.lines.all())
    pricer = Pricer([line.act_id for line in lines])
    total = Decimal("0.00")
    for line in lines:
        price = pricer.price(act_id=line.act_id, on=line.act_date, quantity=line.quantity)
        line.rate_at_100, line.index_value = price.rate_at_100, price.index_value
        line.unit_amount, line.line_amount = price.unit_amount, price.line_amount
        total += price.line_amount
    if lines:
        bulk_update_with_history(
            lines,
            DeclarationLine,
            ["rate_at_100", "index_value", "unit_amount", "line_amount"],
            default_user=actor,
            default_change_reason=f"montants recalculés ({declaration.reference})",
        )
    return total


@transaction.atomic
def declaration_submit(*, actor: User, declaration: Declaration) -> Declaration:
    """BTS-10: the lycée submits the body's declaration in one batch with its attendance sheet."""
    declaration = declaration_lock(declaration.pk)
    permissions.require_school(actor, declaration.body.school_id)
    if not declaration.is_editable:
        raise ValidationError(
            _("Cette déclaration est %(s)s : elle ne peut pas être soumise.") % {"s": declaration.get_status_display()}
        )
    problems = submission_problems(declaration)
    if problems:
        raise ValidationError(problems)
    before = declaration.status
    declaration.total_amount = _reprice(declaration, actor)
    declaration.status = DeclarationStatus.SUBMITTED
    declaration.submitted_at, declaration.submitted_by = timezone.now(), actor
    declaration.save()
    status_audit(actor, declaration, before, declaration.status, AuditAction.DECLARATION_SUBMIT)
    return declaration


@transaction.atomic
def declaration_validate(*, actor: User, declaration: Declaration) -> Declaration:
    """BTS-10: an officer validates; each line is frozen at the index in force on its act's date."""
    permissions.require_officer(actor)
    declaration = declaration_lock(declaration.pk)
    if declaration.status != DeclarationStatus.SUBMITTED:
        raise ValidationError(
            _("Seule une déclaration soumise peut être validée ; celle-ci est %(s)s.")
            % {"s": declaration.get_status_display()}
        )
    before = declaration.status
    declaration.total_amount = _reprice(declaration, actor)
    declaration.status = DeclarationStatus.VALIDATED
    declaration.decided_at, declaration.decided_by, declaration.reason = timezone.now(), actor, ""
    declaration.save()
    status_audit(actor, declaration, before, declaration.status, AuditAction.DECLARATION_VALIDATE)
    notices.declaration_decided(declaration)
    return declaration


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Indiquez le motif (5 caractères au moins).")})
    return reason


@transaction.atomic
def declaration_reject(*, actor: User, declaration: Declaration, reason: str) -> Declaration:
    permissions.require_officer(actor)
    reason = _reason(reason)
    declaration = declaration_lock(declaration.pk)
    if declaration.status != DeclarationStatus.SUBMITTED:
        raise ValidationError(
            _("Seule une déclaration soumise peut être rejetée ; celle-ci est %(s)s.")
            % {"s": declaration.get_status_display()}
        )
    before = declaration.status
    declaration.status = DeclarationStatus.REJECTED
    declaration.decided_at, declaration.decided_by, declaration.reason = timezone.now(), actor, reason
    declaration.save()
    status_audit(actor, declaration, before, declaration.status, AuditAction.DECLARATION_REJECT, reason)
    notices.declaration_decided(declaration)
    return declaration


@transaction.atomic
def declaration_reopen(*, actor: User, declaration: Declaration, reason: str) -> Declaration:
    """An officer reopens a validated declaration with a written reason (recorded)."""
    permissions.require_officer(actor)
    reason = _reason(reason)
    declaration = declaration_lock(declaration.pk)
    if declaration.status != DeclarationStatus.VALIDATED:
        raise ValidationError(
            _("Seule une déclaration validée peut être rouverte ; celle-ci est %(s)s.")
            % {"s": declaration.get_status_display()}
        )
    before = declaration.status
    declaration.status = DeclarationStatus.REOPENED
    declaration.reason = reason
    declaration.save()
    status_audit(actor, declaration, before, declaration.status, AuditAction.DECLARATION_REOPEN, reason)
    return declaration


def declarations_validate_bulk(*, actor: User, declaration_ids) -> tuple[list[Declaration], list[str]]:
    """Validate several declarations, each in its own transaction: one failure stops no other."""
    permissions.require_officer(actor)
    done, errors = [], []
    for declaration in Declaration.objects.filter(pk__in=list(declaration_ids)).order_by("pk"):
        try:
            done.append(declaration_validate(actor=actor, declaration=declaration))
        except ValidationError as exc:
            errors.append(f"{declaration.reference} : {' '.join(exc.messages)}")
    return done, errors
