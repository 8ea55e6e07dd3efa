"""Core use cases: the audit journal."""

from __future__ import annotations

from django.db import models

from .models import AuditEvent, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one business event. Call it inside the service's transaction, after the change."""
    return AuditEvent.objects.create(
        actor=actor if (actor is not None and actor.pk) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        reason=reason,
    )
