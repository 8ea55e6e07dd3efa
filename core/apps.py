"""The core app: what the three schemes share."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("socle commun")

    def ready(self):
        from .converters import register

        register()
