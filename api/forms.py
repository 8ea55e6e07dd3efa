"""Query-string forms of the API where the pages have none (a date "on"); the rest reuses the apps' forms."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import french_date_field


class OnDateForm(forms.Form):
    on = french_date_field(_("Date"), required=False)

    def clean_on(self):
        value = self.cleaned_data.get("on") or timezone.localdate()
        if not (date(1990, 1, 1) <= value <= date(2100, 12, 31)):
            raise forms.ValidationError(_("Choisissez une date entre 1990 et 2100."))
        return value
