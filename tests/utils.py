"""Helpers every app's tests share: the text of a page, the journal's events of an object."""

from __future__ import annotations

import html as htmllib

from core.models import AuditEvent


def html(response) -> str:
    """A page's HTML with entities decoded and the French spaces (narrow, no-break) made plain."""
    return htmllib.unescape(response.content.decode()).replace("\u00a0", " ").replace("\u202f", " ")


def events(action: str) -> int:
    """How many events of this action the journal holds."""
    return AuditEvent.objects.filter(action=action).count()


def audit_count(obj, action: str) -> int:
    """How many events of this action the journal holds about this object."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action).count()
