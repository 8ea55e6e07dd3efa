"""What every admin regression test needs: an officer with the demo's permissions, and the POSTs
that used to rewrite frozen records (simple-history's revert form, the delete view)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.urls import reverse

from core.enums import Role
from core.models import AuditEvent

from .factories import UserFactory


def admin_officer(*schemes, username="agent.admin"):
    """An officer with the admin permissions the demo gives the "Agents" group (view, add, change,
    delete on every model of the three apps and on the shared reference data)."""
    user = UserFactory(username=username, role=Role.OFFICER, schemes=list(schemes), is_staff=True)
    group, _ = Group.objects.get_or_create(name="Agents")
    group.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label__in=["apprenticeship", "lycee_aid", "bts_fees"])
            | Q(content_type__app_label="core", content_type__model__in=["luxindex", "socialminimumwage", "school"])
        )
    )
    user.groups.add(group)
    return user


def _form_data(obj, changes) -> dict:
    data = {}
    for name, value in {**model_to_dict(obj), **changes}.items():
        if isinstance(value, FieldFile):
            continue  # a stored file is not sent back (the test client would open it)
        if value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = getattr(value, "pk", value)
    return data


def post_revert(client, obj, **changes):
    """POST simple-history's revert form of `obj`'s first version with `changes` on top."""
    opts = obj._meta
    version = obj.history.order_by("history_id").first()
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id])
    return client.post(url, _form_data(obj, changes))


def post_change(client, obj, **changes):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return client.post(url, _form_data(obj, changes))


def post_delete(client, obj):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    return client.post(url, {"post": "yes"})


def journal_count() -> int:
    return AuditEvent.objects.count()
