"""Use cases of the API's own data: creating and revoking personal keys (journalled)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from core.selectors import is_admin, is_officer
from core.services import audit_record

from .enums import AuditAction
from .models import ApiToken

MAX_ACTIVE_TOKENS = 10


def token_lifetime(user: User) -> timedelta:
    """How long a new key of `user` works. Officers and administrators sign in with a second factor
    (TOTP); a key replaces both factors, so theirs last API_TOKEN_DAYS_SECOND_FACTOR days (30), the
    others API_TOKEN_DAYS (365)."""
    if is_officer(user) or is_admin(user):
        return timedelta(days=settings.API_TOKEN_DAYS_SECOND_FACTOR)
    return timedelta(days=settings.API_TOKEN_DAYS)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user, name: str = "") -> tuple[ApiToken, str]:
    """A new key for `user` (by themselves, or by an administrator's command). Returns the token
    and the key in clear, which is shown once and never stored."""
    if actor is not None and actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError(_("Ce compte est désactivé : il ne peut pas recevoir de clé d'API."))
    name = (name or "").strip()[:100] or _("clé du %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")}
    User.objects.select_for_update().get(pk=user.pk)  # serialise two creations by one user
    now = timezone.now()
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {"name": _("Vous avez déjà %(n)d clés actives : révoquez-en une d'abord.") % {"n": MAX_ACTIVE_TOKENS}}
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:8], key_digest=key_digest(key), expires_at=now + token_lifetime(user)
    )
    audit_record(
        actor=actor or user,
        action=AuditAction.API_TOKEN_CREATE,
        obj=token,
        after={"name": name, "user": user.username, "expires_at": token.expires_at.isoformat()},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a key: it is refused from the next request on. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action=AuditAction.API_TOKEN_REVOKE, obj=token, before={"revoked": False}, after={"revoked": True}
    )
    return token
