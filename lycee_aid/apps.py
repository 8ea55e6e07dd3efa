"""The lycee_aid app: the Île-de-France equipment aid (ARE) for lycées."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LyceeAidConfig(AppConfig):
    name = "lycee_aid"
    verbose_name = _("aide régionale à l'équipement (ARE)")
