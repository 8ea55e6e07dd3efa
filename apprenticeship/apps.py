"""The apprenticeship app: Luxembourg apprentice indemnities and the employer's aid."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprenticeshipConfig(AppConfig):
    name = "apprenticeship"
    verbose_name = _("apprentissage")
