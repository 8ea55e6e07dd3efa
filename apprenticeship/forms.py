"""Forms: they parse and show errors; the checks themselves live in the services and rules."""

from __future__ import annotations

import re
from datetime import date

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import StrictIntegerField, StrictModelChoiceField, french_date_field

from . import rules, selectors
from .enums import ContractStatus
from .models import CrossBorderFormation, Trade

_MONTH = re.compile(r"^\s*(?:([0-9]{4})-([0-9]{1,2})|([0-9]{1,2})/([0-9]{4}))\s*$", re.ASCII)


class MonthField(forms.CharField):
    """A month as « 2026-07 » (the browser's month picker) or « 07/2026 »."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-07"})
    default_error_messages = {"invalid": _("Saisissez un mois valide (aaaa-mm), par exemple 2026-07.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = _MONTH.match(value)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        year, month = int(year), int(month)
        if not (1 <= month <= 12 and 1990 <= year <= 2100):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return date(year, month, 1)

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, date) else value


class _Helper:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ContractForm(_Helper, forms.Form):
    last_name = forms.CharField(label=_("Nom de l'apprenti"), max_length=100)
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    birth_date = french_date_field(_("Date de naissance"))
    national_id = forms.RegexField(
        label=_("Matricule national"),
        regex=r"^[0-9]{13}$",
        error_messages={"invalid": _("Le matricule national compte 13 chiffres.")},
    )
    school = StrictModelChoiceField(label=_("Lycée"), queryset=None)
    employer = StrictModelChoiceField(label=_("Employeur"), queryset=None)
    trade = StrictModelChoiceField(
        label=_("Métier (apprentissage luxembourgeois)"), queryset=Trade.objects.all(), required=False
    )
    formation = StrictModelChoiceField(
        label=_("ou formation transfrontalière (CIG)"), queryset=CrossBorderFormation.objects.all(), required=False
    )
    first_training_year = forms.TypedChoiceField(
        label=_("Année de formation au début du contrat"),
        choices=[(i, str(i)) for i in range(1, 5)],
        coerce=int,
        initial=1,
    )
    start_date = french_date_field(_("Début du contrat"))
    end_date = french_date_field(_("Fin du contrat"))
    signed_on = french_date_field(_("Contrat écrit signé le"), required=False)
    tutor_name = forms.CharField(label=_("Tuteur"), max_length=200)
    tutor_qualification = forms.CharField(label=_("Qualification du tuteur"), max_length=200)
    chamber_registered_on = french_date_field(_("Enregistré à la chambre professionnelle le"), required=False)
    chamber_reference = forms.CharField(label=_("Numéro d'enregistrement à la chambre"), max_length=50, required=False)
    is_adult = forms.BooleanField(label=_("Apprenti adulte (droit au SSM complet)"), required=False)

    APPRENTICE_FIELDS = ("last_name", "first_name", "birth_date", "national_id")

    def __init__(self, *args, user, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = selectors.school_list_for_registration(user)
        self.fields["employer"].queryset = selectors.employer_list(user)
        if contract is not None:  # the apprentice is not changed once registered
            for name in self.APPRENTICE_FIELDS:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if bool(data.get("trade")) == bool(data.get("formation")):
            self.add_error("trade", _("Choisissez soit un métier, soit une formation transfrontalière."))
        return data

    def contract_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.APPRENTICE_FIELDS}


class ContractEndForm(_Helper, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Issue"), choices=[(ContractStatus.COMPLETED, _("achevé")), (ContractStatus.TERMINATED, _("résilié"))]
    )
    ended_on = french_date_field(_("Date de fin effective"))
    reason = forms.CharField(
        label=_("Motif (obligatoire en cas de résiliation)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _school_year_choices(contract) -> list[tuple[int, str]]:
    return [(y, rules.school_year_label(y)) for y in selectors.contract_school_years(contract)]


class TrainingYearForm(_Helper, forms.Form):
    school_year = forms.TypedChoiceField(label=_("Année scolaire"), coerce=int, choices=[])
    training_year = StrictIntegerField(label=_("Année de formation"), min_value=1, max_value=9)
    repeated = forms.BooleanField(label=_("Année redoublée"), required=False)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = _school_year_choices(contract)


class PiiForm(_Helper, forms.Form):
    notified_on = french_date_field(_("Réussite du PII notifiée le"), required=False)


class StatementPeriodForm(_Helper, forms.Form):
    """The months a statement PDF covers (blank: from the first month to the current one)."""

    du = MonthField(label=_("Du mois"), required=False)
    au = MonthField(label=_("Au mois"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            self.add_error("au", _("Le dernier mois de la période précède le premier."))
        return data


class PaymentForm(_Helper, forms.Form):
    month = MonthField(label=_("Mois"))
    paid_amount = forms.CharField(label=_("Montant brut versé (€)"), max_length=20)


class SelectSomeDisabled(forms.Select):
    """A select whose options in `disabled_values` are shown but cannot be chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled_values: set = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


def _aid_year_label(year: rules.AidYear, today: date, prepared: bool) -> str:
    """The year, what can be done and until when (APP-7), as the selector shows it."""
    values = {"y": year.label, "d": year.deadline.strftime("%d/%m/%Y"), "o": year.opens_on.strftime("%d/%m/%Y")}
    if not year.has_ended(today):
        return str(_("%(y)s — pas encore terminée : demande possible à partir du %(o)s")) % values
    if not year.requestable(today):
        return str(_("%(y)s — forclose depuis le %(d)s")) % values
    if prepared:
        return str(_("%(y)s — demande préparée, à introduire avant le %(d)s")) % values
    return str(_("%(y)s — à introduire avant le %(d)s")) % values


class AidYearForm(_Helper, forms.Form):
    """The apprenticeship year whose aid is shown: every year of the contract up to the current
    one, with what can be done and until when; only the years that can be requested today
    (ended, not time-barred: APP-6/APP-7) can be chosen."""

    school_year = forms.TypedChoiceField(
        label=_("Année d'apprentissage"),
        coerce=int,
        choices=[],
        widget=SelectSomeDisabled,
        error_messages={"invalid_choice": _("Choisissez une des années d'apprentissage du contrat.")},
    )

    def __init__(self, *args, years: list[rules.AidYear], today: date, prepared: set[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years, self.today = {y.school_year: y for y in years}, today
        field = self.fields["school_year"]
        field.choices = [(y.school_year, _aid_year_label(y, today, y.school_year in prepared)) for y in years]
        field.widget.disabled_values = {y.school_year for y in years if not y.requestable(today)}

    def clean_school_year(self):
        value = self.cleaned_data["school_year"]
        error = selectors.aid_year_error(self.years[value], self.today)
        if error:
            raise ValidationError(error)
        return value


class AidRequestForm(AidYearForm):
    """The request of the year shown (carried as a hidden field, checked again)."""

    social_charges_amount = forms.CharField(
        label=_("Part patronale des charges sociales (€)"), max_length=20, initial="0,00"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].widget = forms.HiddenInput()


class CalculatorForm(forms.Form):
    """The public calculator's query string, validated (never a 500 on a bad one)."""

    KIND_TRADE, KIND_FORMATION = "trade", "formation"
    kind = forms.ChoiceField(
        label=_("Apprentissage"),
        choices=[(KIND_TRADE, _("au Luxembourg (métier)")), (KIND_FORMATION, _("transfrontalier (formation CIG)"))],
        initial=KIND_TRADE,
        widget=forms.RadioSelect,
    )
    trade = StrictModelChoiceField(
        label=_("Métier"),
        queryset=Trade.objects.all(),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": _("Ce métier ne figure pas dans le barème.")},
    )
    formation = StrictModelChoiceField(
        label=_("Formation transfrontalière"),
        queryset=CrossBorderFormation.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("Cette formation ne figure pas dans le barème.")},
    )
    training_year = forms.TypedChoiceField(
        label=_("Année de formation"),
        choices=[(i, str(i)) for i in range(1, 5)],
        coerce=int,
        initial=1,
        error_messages={"invalid_choice": _("Choisissez une année de formation entre 1 et 4.")},
    )
    month = MonthField(label=_("Mois"))
    pii = forms.BooleanField(
        label=_("PII réussi (majoration à partir du mois suivant la notification)"), required=False
    )
    adult = forms.BooleanField(label=_("Apprenti adulte"), required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        programme = data.get("trade") if kind == self.KIND_TRADE else data.get("formation")
        if kind == self.KIND_TRADE and not data.get("trade") and "trade" not in self.errors:
            self.add_error("trade", _("Choisissez un métier."))
        if kind == self.KIND_FORMATION and not data.get("formation") and "formation" not in self.errors:
            self.add_error("formation", _("Choisissez une formation."))
        year = data.get("training_year")
        if programme and year and year > programme.duration_years:
            self.add_error(
                "training_year",
                _("« %(p)s » se prépare en %(n)s ans : l'année de formation %(y)s n'existe pas.")
                % {"p": programme, "n": programme.duration_years, "y": year},
            )
        return data
