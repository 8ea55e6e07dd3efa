"""E-mail notices to the people a decision concerns (console backend unless configured).

A notice is sent once the transaction that made the decision commits (never for a decision that
rolls back), in French, from the instance's contact address; a failure to send is logged and
never undoes the decision.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def recipients_of(users) -> list[str]:
    return sorted({u.email for u in users if u is not None and u.is_active and u.email})


def absolute(path: str) -> str:
    """A link for an e-mail: the path on this instance's address (setting SITE_URL)."""
    return f"{settings.SITE_URL}{path}"


def send_notice(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Queue the notice `template` (a text template) for `to`, sent after the commit."""
    to = sorted(set(to))
    if not to:
        return

    def send():
        with translation.override("fr"):
            body = render_to_string(template, {**context, "contact_email": settings.CONTACT_EMAIL})
        try:
            send_mail(f"[Barème] {subject}", body, settings.CONTACT_EMAIL, to)
        except OSError:
            logger.exception("Notice %s not sent to %s", template, to)

    transaction.on_commit(send)
