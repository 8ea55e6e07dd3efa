"""Notices of the BTS fees: the lycée hears of the decision on its declaration."""

from __future__ import annotations

from django.urls import reverse

from core.enums import Role
from core.models import User
from core.notices import absolute, recipients_of, send_notice

from .enums import DeclarationStatus


def declaration_decided(declaration) -> None:
    """To whoever submitted the declaration and the staff of its lycée: validated, or rejected
    with the reason."""
    staff = User.objects.filter(role=Role.LYCEE_STAFF, schools=declaration.body.school_id)
    to = recipients_of([declaration.submitted_by, *staff])
    rejected = declaration.status == DeclarationStatus.REJECTED
    subject = (
        f"Déclaration {declaration.reference} rejetée" if rejected else f"Déclaration {declaration.reference} validée"
    )
    send_notice(
        to=to,
        subject=subject,
        template="bts_fees/notices/declaration_decided.txt",
        context={
            "declaration": declaration,
            "rejected": rejected,
            "link": absolute(reverse("bts_fees:declaration_detail", args=[declaration.pk])),
        },
    )
