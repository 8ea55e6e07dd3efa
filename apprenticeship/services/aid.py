"""The employer's aid for the promotion of apprenticeship (APP-6, APP-7): the request prepared, its
figures frozen (the years it may be asked for and its preview are read in `selectors.aid`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record

from .. import permissions
from ..enums import AuditAction
from ..models import (
    AidRequest,
    Contract,
)
from ..selectors.aid import aid_preview
from .base import contract_lock, parse_amount

# -- employer aid (APP-6, APP-7) -----------------------------------------------------------------


@transaction.atomic
def aid_request_prepare(*, actor, contract: Contract, school_year: int, social_charges_amount) -> AidRequest:
    """Prepare (or prepare again) the aid request of an apprenticeship year: the figures are frozen.
    Only for a year that has ended (or a contract that ended within it); after the deadline the
    request is time-barred (APP-6/APP-7 as clarified) and cannot be prepared."""
    contract = contract_lock(contract)
    if not permissions.can_record_payments(actor, contract):
        raise PermissionDenied
    charges = parse_amount(social_charges_amount, "social_charges_amount")
    if charges < 0:
        raise ValidationError({"social_charges_amount": _("Le montant ne peut pas être négatif.")})
    today = timezone.localdate()
    preview = aid_preview(contract=contract, school_year=school_year, today=today)
    request = AidRequest.objects.select_for_update().filter(contract=contract, school_year=school_year).first()
    if (
        request
        and request.social_charges_amount == charges
        and (request.months, request.gross_amount, request.aid_amount) == (preview.months, preview.gross, preview.aid)
    ):
        return request  # prepared already with these figures (double submit): no change, no audit event
    before = {"total": str(request.total_amount)} if request else None
    request = request or AidRequest(
        contract=contract, school_year=school_year, reference=f"AIDE-{contract.reference[4:]}-{school_year}"
    )
    request.diploma = contract.aid_diploma
    request.months = preview.months
    request.gross_amount = preview.gross
    request.aid_percent = preview.percent
    request.aid_amount = preview.aid
    request.social_charges_amount = charges
    request.total_amount = preview.aid + charges
    request.deadline = preview.deadline
    request.prepared_at = timezone.now()
    request.prepared_by = actor
    request.lines = [
        {"month": line.month.isoformat(), "standard_amount": str(line.standard_amount), "index": str(line.index)}
        for line in preview.lines
    ]
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action=AuditAction.AID_REQUEST_PREPARE,
        obj=request,
        before=before,
        after={"total": str(request.total_amount)},
    )
    return request
