"""The bts_fees app: fees of Luxembourg BTS bodies and external lecturers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BtsFeesConfig(AppConfig):
    name = "bts_fees"
    verbose_name = _("indemnités BTS")
