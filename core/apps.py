"""The core app: what the three schemes share."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("socle commun")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .context_processors import remember_staff_countries
        from .converters import register

        register()

        user_logged_in.connect(remember_staff_countries, dispatch_uid="core.remember_staff_countries")
