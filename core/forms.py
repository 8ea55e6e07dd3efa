from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def french_date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": _("Saisissez une date valide (jj/mm/aaaa).")},
        **kwargs,
    )


class ReferenceDateForm(forms.Form):
    """The date at which the public page shows the reference values in force."""

    date = french_date_field(_("Date"), required=False)

    def clean_date(self):
        value = self.cleaned_data.get("date")
        if value and not (date(1990, 1, 1) <= value <= date(2100, 12, 31)):
            raise forms.ValidationError(_("Choisissez une date entre 1990 et 2100."))
        return value
