"""`Authorization: Token <key>`: the key's user, as if signed in, with exactly their scope."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken
from .services import key_digest

KEYWORD = "Token"
# The last use is written at most once a minute: a script calling every second writes nothing more.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("En-tête Authorization invalide : « Token <clé> » attendu."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Clé d'API invalide.")) from None
        token = (
            ApiToken.objects.select_related("user").filter(key_digest=key_digest(key), revoked_at__isnull=True).first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Clé d'API invalide ou révoquée."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                _("Clé d'API expirée le %(d)s : créez-en une nouvelle sur la page « Accès à l'API ».")
                % {"d": timezone.localtime(token.expires_at).strftime("%d/%m/%Y")}
            )
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            # .update(): a technical timestamp, left out of the token's history on purpose.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD
