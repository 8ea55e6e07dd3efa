"""The plumbing the apprenticeship use cases share (no use case lives here): the contract locked
for a change, its snapshot for the journal, an amount typed by a user."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.rules import to_decimal

from ..models import Contract


def contract_snapshot(contract: Contract) -> dict:
    return {
        "status": contract.status,
        "start_date": contract.start_date.isoformat() if contract.start_date else None,
        "end_date": contract.end_date.isoformat() if contract.end_date else None,
        "trade": contract.trade.code if contract.trade_id else None,
        "formation": contract.formation_id,
        "employer": contract.employer_id,
        "school": contract.school_id,
        "is_adult": contract.is_adult,
        "pii_notified_on": contract.pii_notified_on.isoformat() if contract.pii_notified_on else None,
        "ended_on": contract.ended_on.isoformat() if contract.ended_on else None,
    }


def contract_lock(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("apprentice", "employer", "trade", "formation")
        .get(pk=contract.pk)
    )


_AMOUNT = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?", re.ASCII)


MAX_AMOUNT = Decimal("9999999999.99")


def parse_amount(value, field: str) -> Decimal:
    """An amount typed by a user: digits, optionally a sign and a decimal comma or point (spaces
    between thousands allowed). No exponent, hexadecimal, NaN or infinity (Python's Decimal would accept them all)."""
    invalid = ValidationError({field: _("Saisissez un montant en euros.")})
    if isinstance(value, str):
        value = value.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        if not _AMOUNT.fullmatch(value):
            raise invalid
    try:
        amount = to_decimal(value)
    except (TypeError, ArithmeticError, ValueError):
        raise invalid from None
    if not amount.is_finite():
        raise invalid
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError({field: _("Ce montant est trop élevé.")})
    return amount
