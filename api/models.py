"""Personal API keys and the replies kept for idempotent retries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ApiToken(models.Model):
    """A personal key: it acts as its user, with exactly that user's scope.

    Only a SHA-256 digest of the key is stored (the key itself is shown once, when created): a
    leaked database gives no usable key. The key is 256 random bits, so a plain digest is enough
    (no slow password hash is needed against guessing) and lets a request find its token by index.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("utilisateur"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(_("début de la clé"), max_length=8)
    key_digest = models.CharField(_("empreinte de la clé"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    # Every key ends (`services.token_lifetime`): shorter for accounts whose sign-in needs a second
    # factor, since a key stands in for both factors.
    expires_at = models.DateTimeField(_("expire le"))

    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class IdempotentReply(models.Model):
    """The first answer to a change sent with an `Idempotency-Key`: a retry gets it again, and
    nothing is done twice. Kept per token (two clients may use the same key). A technical record."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="api_idempotentreply_token_key")]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"
