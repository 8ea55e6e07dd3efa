"""ARE forfaits entered in the reference-data pages (see `core.reference`).

The forfaits belong to a school year and its arrêté (ARE-2), not to an effective-dated series:
they are confirmed through `services.forfaits_confirm`, which refuses a voted year, makes a
computed campaign « à recalculer » and writes the journal.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.enums import Scheme
from core.reference import ReferenceKind

from . import selectors, services
from .forms import ForfaitsForm
from .impact import forfait_impacts


class ForfaitEntryForm(ForfaitsForm):
    school_year = forms.ModelChoiceField(
        label=_("Année scolaire"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choisissez une année scolaire de la liste.")},
    )
    field_order = ["school_year"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("cpi_evolution_percent")
        self.fields["school_year"].queryset = selectors.school_year_list(user)
        self.fields["school_year"].label_from_instance = lambda year: year.label
        self.order_fields(["school_year"])

    def clean_school_year(self):
        year = self.cleaned_data["school_year"]
        if year.is_voted:
            raise forms.ValidationError(
                _("La campagne %(y)s est votée : ses forfaits ne peuvent plus être modifiés.") % {"y": year.label}
            )
        return year


class ForfaitKind(ReferenceKind):
    def __init__(self):
        self.key, self.schemes = "forfaits-are", (Scheme.LYCEE_AID,)
        self.label = _("Forfaits de l'aide régionale à l'équipement (ARE)")
        self.help_text = _("Forfaits d'une année scolaire fixés par arrêté, avec sa référence et sa date.")

    def form(self, user, data=None, initial=None):
        return ForfaitEntryForm(data, user=user, initial=initial)

    def preview(self, user, form):
        data = form.cleaned_data
        return [], forfait_impacts(
            user, data["school_year"], data["forfait_amount"], data["forfait_prepa_metiers_amount"]
        )

    def save(self, user, form):
        data = dict(form.cleaned_data)
        year = data.pop("school_year")
        services.forfaits_confirm(
            actor=user, school_year=year, cpi_evolution_percent=year.cpi_evolution_percent, **data
        )
        return []


KINDS = [ForfaitKind()]
