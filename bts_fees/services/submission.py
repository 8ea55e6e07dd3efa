"""The attendance sheet, and a declaration's way to payment: submission in one batch, validation
or rejection by the ministry, reopening with a reason (BTS-10)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from core.models import User
from core.services import audit_record
from core.uploads import UploadRefused, check_size

from .. import notices, permissions, rules
from ..enums import (
    AuditAction,
    BodyKind,
    DeclarationStatus,
)
from ..models import (
    Declaration,
    DeclarationLine,
)
from .appointments import COMPLETE_TO_SIT, composition_problems
from .base import MAX_SHEET_BYTES, SHEET_SIGNATURES, _status_audit
from .declarations import _lock_declaration, _require_editable
from .line_rules import _accreditation_error, _coordinator_error, _paid_once_problems
from .pricing import Pricer


def detect_sheet_type(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of an attendance sheet from its first bytes, or None."""
    for signature, extension, content_type in SHEET_SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    return None


def check_sheet(upload) -> tuple[str, str]:
    """BTS-10: a PDF, PNG or JPEG file of at most 10 Mo, checked by its content."""
    if upload is None:
        raise ValidationError({"attendance_sheet": _("Joignez la liste de présence.")})
    try:
        check_size(upload.size, MAX_SHEET_BYTES)
    except UploadRefused as exc:
        raise ValidationError({"attendance_sheet": exc.message}) from None
    upload.seek(0)
    detected = detect_sheet_type(upload.read(16))
    upload.seek(0)
    if detected is None:
        raise ValidationError({"attendance_sheet": _("La liste de présence doit être un fichier PDF, PNG ou JPEG.")})
    return detected


@transaction.atomic
def declaration_attach_sheet(*, actor: User, declaration: Declaration, upload) -> Declaration:
    declaration = _lock_declaration(declaration.pk)
    permissions.require_school(actor, declaration.body.school_id)
    _require_editable(declaration)
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


def submission_problems(declaration: Declaration) -> list[str]:
    """What prevents submitting this declaration (empty when it can be submitted).

    The rules checked when each line was added are checked again here, on the lines as they are:
    a line entered before a rule existed, or a body changed since, cannot slip through.
    """
    problems = []
    lines = list(declaration.lines.select_related("appointment", "appointment__person", "act"))
    if not lines:
        problems.append(_("La déclaration ne comporte aucune ligne."))
    if not declaration.attendance_sheet:
        problems.append(_("La liste de présence est obligatoire : joignez-la avant de soumettre."))
    body = declaration.body
    problems += composition_problems(body, complete=body.kind in COMPLETE_TO_SIT)
    for line in lines:
        if not line.appointment.is_appointed:
            problems.append(_("%(p)s n'est pas nommé par arrêté ministériel.") % {"p": line.appointment.person})
    paid_twice = _paid_once_problems(declaration, lines)
    for line in lines:
        person = line.appointment.person
        for message in (
            _coordinator_error(body, line.appointment),
            _accreditation_error(body, line.act_date),
            paid_twice.get(line.pk, ""),
        ):
            if message:
                problems.append(f"{person} — {line.act} — {line.act_date:%d/%m/%Y} : {message}")
    if body.kind == BodyKind.EXAM_BOARD:
        present = defaultdict(set)
        for line in lines:
            present[line.act_date].add(line.appointment_id)
        for day, members in sorted(present.items()):
            if not rules.quorum_met(body.kind, len(members)):
                problems.append(
                    ngettext(
                        "Le %(d)s, %(n)s membre seulement : le quorum de %(q)s n'est pas atteint (BTS-3).",
                        "Le %(d)s, %(n)s membres seulement : le quorum de %(q)s n'est pas atteint (BTS-3).",
                        len(members),
                    )
                    % {"d": day.strftime("%d/%m/%Y"), "n": len(members), "q": rules.QUORUM[body.kind]}
                )
    if body.kind == BodyKind.LITIGATION_COMMITTEE:
        problems += _litigation_problems(lines)
    return problems


def _litigation_problems(lines) -> list[str]:
    """BTS-3: each decision of the litigation committee needs 3 voting members (the secretary does not vote)."""
    by_day = defaultdict(list)
    for line in lines:
        by_day[line.act_date].append(line)
    problems = []
    for day, day_lines in sorted(by_day.items()):
        decisions = int(max(line.quantity for line in day_lines))
        voters = defaultdict(Decimal)
        for line in day_lines:
            if line.appointment.role in rules.LITIGATION_VOTING_ROLES:
                voters[line.appointment_id] += line.quantity
        if not rules.litigation_decisions_valid(list(voters.values()), decisions):
            problems.append(
                _(
                    "Le %(d)s, %(decisions)s pour %(members)s : une décision de la commission des litiges n'est "
                    "acquise que si trois membres au moins s'y rallient ; le secrétaire ne vote pas (BTS-3)."
                )
                % {
                    "d": day.strftime("%d/%m/%Y"),
                    "decisions": ngettext("%(n)s décision", "%(n)s décisions", decisions) % {"n": decisions},
                    "members": ngettext("%(n)s membre votant", "%(n)s membres votants", len(voters))
                    % {"n": len(voters)},
                }
            )
    return problems


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
    declaration = _lock_declaration(declaration.pk)
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
    _status_audit(actor, declaration, before, declaration.status, AuditAction.DECLARATION_SUBMIT)
    return declaration


@transaction.atomic
def declaration_validate(*, actor: User, declaration: Declaration) -> Declaration:
    """BTS-10: an officer validates; each line is frozen at the index in force on its act's date."""
    permissions.require_officer(actor)
    declaration = _lock_declaration(declaration.pk)
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
    _status_audit(actor, declaration, before, declaration.status, AuditAction.DECLARATION_VALIDATE)
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
    declaration = _lock_declaration(declaration.pk)
    if declaration.status != DeclarationStatus.SUBMITTED:
        raise ValidationError(
            _("Seule une déclaration soumise peut être rejetée ; celle-ci est %(s)s.")
            % {"s": declaration.get_status_display()}
        )
    before = declaration.status
    declaration.status = DeclarationStatus.REJECTED
    declaration.decided_at, declaration.decided_by, declaration.reason = timezone.now(), actor, reason
    declaration.save()
    _status_audit(actor, declaration, before, declaration.status, AuditAction.DECLARATION_REJECT, reason)
    notices.declaration_decided(declaration)
    return declaration


@transaction.atomic
def declaration_reopen(*, actor: User, declaration: Declaration, reason: str) -> Declaration:
    """An officer reopens a validated declaration with a written reason (recorded)."""
    permissions.require_officer(actor)
    reason = _reason(reason)
    declaration = _lock_declaration(declaration.pk)
    if declaration.status != DeclarationStatus.VALIDATED:
        raise ValidationError(
            _("Seule une déclaration validée peut être rouverte ; celle-ci est %(s)s.")
            % {"s": declaration.get_status_display()}
        )
    before = declaration.status
    declaration.status = DeclarationStatus.REOPENED
    declaration.reason = reason
    declaration.save()
    _status_audit(actor, declaration, before, declaration.status, AuditAction.DECLARATION_REOPEN, reason)
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
