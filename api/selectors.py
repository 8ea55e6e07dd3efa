"""The user's own API keys (nobody else's, administrators included: they use the Django admin)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from .models import ApiToken


def api_tokens_for(user):
    if not (user and user.is_authenticated):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def api_token_get(user, pk) -> ApiToken:
    try:
        return api_tokens_for(user).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Clé introuvable.")) from None
