"""Core use cases: the audit journal and effective-dated reference data."""

from __future__ import annotations

from datetime import timedelta

from django.db import models, transaction
from django.utils.translation import gettext as _

from .channel import current_channel
from .enums import AuditAction, Scheme
from .models import AuditEvent, EffectiveDated, User


def scheme_of(model_or_obj) -> str:
    """The scheme a model belongs to (its app), or "" for shared data (schools, index, SSM…)."""
    label = model_or_obj._meta.app_label
    return label if label in Scheme.values else ""


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one business event. Call it inside the service's transaction, after the change.

    The event belongs to the scheme of its object's app: only that scheme's officers read it."""
    return AuditEvent.objects.create(
        scheme=scheme_of(obj),
        actor=actor if (actor is not None and actor.pk) else None,
        action=str(action),  # the enumeration's value, `<app>.<use case>`
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        reason=reason,
        channel=current_channel(),
    )


# -- effective-dated reference data (CORE-2) ---------------------------------------------------


@transaction.atomic
def effective_dated_save(*, actor: User | None, instance: EffectiveDated) -> list[str]:
    """Save a period of a series of reference data (an index, an SSM, a rate…) and fit it in.

    The periods of a series never overlap: the period this one starts within ends the day
    before, and an open end stops the day before the next period. Everything else that would
    overlap is refused by `clean()` (ValidationError on the field). Returns what was adjusted,
    as French sentences for the officer.
    """
    model = type(instance)
    # Lock the series so that two officers entering values at once cannot both fit them in.
    list(instance.series().select_for_update().values_list("pk", flat=True))
    before = None
    if instance.pk:
        previous_state = model._default_manager.filter(pk=instance.pk).first()
        before = _period_snapshot(previous_state) if previous_state else None
    instance.full_clean()
    until, to_end = instance.fit()
    notes = []
    if to_end is not None:
        ended = to_end.valid_until
        to_end.valid_until = instance.valid_from - timedelta(days=1)
        to_end.save(update_fields=["valid_until"])
        audit_record(
            actor=actor,
            action=AuditAction.REFERENCE_PERIOD_END,
            obj=to_end,
            before={"valid_until": ended.isoformat() if ended else None},
            after={"valid_until": to_end.valid_until.isoformat()},
        )
        notes.append(
            _("La période commencée le %(start)s prend fin le %(end)s.")
            % {"start": to_end.valid_from.strftime("%d/%m/%Y"), "end": to_end.valid_until.strftime("%d/%m/%Y")}
        )
    if until != instance.valid_until:
        instance.valid_until = until
        notes.append(
            _("Cette période prend fin le %(end)s, la veille de la période suivante.")
            % {"end": until.strftime("%d/%m/%Y")}
        )
    instance.save()
    audit_record(
        actor=actor,
        action=AuditAction.REFERENCE_PERIOD_SAVE,
        obj=instance,
        before=before,
        after=_period_snapshot(instance),
    )
    return notes


def _period_snapshot(instance: EffectiveDated) -> dict:
    data = {"valid_from": instance.valid_from.isoformat(), "valid_until": None, "source": instance.source}
    if instance.valid_until:
        data["valid_until"] = instance.valid_until.isoformat()
    for field in instance._meta.concrete_fields:
        if field.name not in ("id", "valid_from", "valid_until", "source"):
            value = field.value_from_object(instance)
            data[field.name] = value if isinstance(value, (int, bool, type(None))) else str(value)
    return data
