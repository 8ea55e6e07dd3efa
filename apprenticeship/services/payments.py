"""What the employer paid, month by month (APP-9: paying less than due is shown as arrears)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import audit_record
from core.wording import day_label, month_label

from .. import permissions
from ..enums import AuditAction, ContractStatus
from ..models import (
    Contract,
    Payment,
)
from ..selectors.schedule import current_month, schedule_compute
from .base import contract_lock, parse_amount

# -- payments (APP-9) ----------------------------------------------------------------------------


@transaction.atomic
def payment_record(*, actor, contract: Contract, month: date, paid_amount) -> Payment:
    """Record what the employer paid for a month, with the amount due computed now (frozen)."""
    contract = contract_lock(contract)
    if not permissions.can_record_payments(actor, contract):
        raise PermissionDenied
    if contract.status == ContractStatus.DRAFT:
        raise ValidationError(
            _(
                "Le contrat %(r)s est encore un brouillon : les versements s'enregistrent une fois le contrat enregistré."
            )
            % {"r": contract.reference}
        )
    paid = parse_amount(paid_amount, "paid_amount")
    if paid < 0:
        raise ValidationError({"paid_amount": _("Le montant versé ne peut pas être négatif.")})
    if paid != paid.quantize(Decimal("0.01")):
        raise ValidationError({"paid_amount": _("Le montant se saisit au centime près.")})
    month = date(month.year, month.month, 1)
    schedule = schedule_compute(contract=contract)
    if schedule.error:
        raise ValidationError(schedule.error)
    line = schedule.line_for(month)
    if line is None:
        raise ValidationError(
            {
                "month": _("%(m)s est en dehors du contrat (du %(s)s au %(e)s).")
                % {"m": month_label(month), "s": day_label(contract.start_date), "e": day_label(contract.effective_end)}
            }
        )
    if month > current_month():
        raise ValidationError(
            {
                "month": _(
                    "Le mois de %(m)s n'est pas encore échu : un versement s'enregistre pour un mois du contrat "
                    "jusqu'au mois en cours (%(c)s)."
                )
                % {"m": month_label(month), "c": month_label(current_month())}
            }
        )
    payment = Payment.objects.select_for_update().filter(contract=contract, month=month).first()
    if payment and (payment.paid_amount, payment.due_amount) == (paid, line.due_amount):
        return payment  # recorded already (double submit): no change, no audit event
    before = {"paid_amount": str(payment.paid_amount)} if payment else None
    payment = payment or Payment(contract=contract, month=month)
    payment.paid_amount, payment.due_amount, payment.index, payment.recorded_by = (
        paid,
        line.due_amount,
        line.index,
        actor,
    )
    payment.full_clean()
    payment.save()
    audit_record(
        actor=actor,
        action=AuditAction.PAYMENT_RECORD,
        obj=contract,
        before=before,
        after={"month": month.isoformat(), "paid_amount": str(paid), "due_amount": str(line.due_amount)},
    )
    return payment
