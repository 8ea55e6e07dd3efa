"""Forms of the ARE. They parse and check the shape of the input; the services apply the rules."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StrictDecimalField, StrictIntegerField, french_date_field
from core.uploads import UploadRefused, check_size, decode_text, read_upload

from .enums import EquipmentType
from .models import DEFAULT_CPI_BASE, DEFAULT_CPI_SERIES
from .parsing import MAX_UPLOAD_BYTES

INT_ERRORS = {
    "invalid": _("Saisissez un nombre entier."),
    "min_value": _("La valeur doit être positive ou nulle."),
    "max_value": _("La valeur est trop grande."),
}
MONEY_ERRORS = {
    "invalid": _("Saisissez un montant (par exemple 151 ou 151,50)."),
    "min_value": _("Le montant doit être positif ou nul."),
    "max_decimal_places": _("Deux décimales au plus."),
    "max_digits": _("Le montant est trop grand."),
    "max_whole_digits": _("Le montant est trop grand."),
}


def count_field(label="", required=False, min_value=0):
    return StrictIntegerField(
        label=label, required=required, min_value=min_value, max_value=100000, error_messages=INT_ERRORS
    )


def money_field(label, required=True):
    return StrictDecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        error_messages=MONEY_ERRORS,
    )


class PlainForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class SchoolYearForm(PlainForm):
    start_year = StrictIntegerField(
        label=_("Année de rentrée"),
        min_value=2000,
        max_value=2100,
        help_text=_("Par exemple 2024 pour l'année scolaire 2024-2025."),
        error_messages={
            **INT_ERRORS,
            "min_value": _("Année entre 2000 et 2100."),
            "max_value": _("Année entre 2000 et 2100."),
        },
    )


class FormationsImportForm(PlainForm):
    file = forms.FileField(
        label=_("Fichier de l'annexe (texte, colonnes séparées par des tabulations)"),
        required=False,
        help_text=_("Le texte peut contenir les en-têtes de page et le texte autour du tableau : ils sont ignorés."),
    )
    text = forms.CharField(
        label=_("Ou collez le texte de l'annexe"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            try:
                data["text"] = decode_text(read_upload(upload, MAX_UPLOAD_BYTES))
            except UploadRefused as exc:
                raise forms.ValidationError(exc.message) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Déposez un fichier ou collez le texte de l'annexe."))
        return data


class CpiValueForm(PlainForm):
    series_id = forms.CharField(label=_("Identifiant INSEE de la série"), max_length=20, initial=DEFAULT_CPI_SERIES)
    base = forms.CharField(label=_("Base"), max_length=10, initial=DEFAULT_CPI_BASE)
    month = french_date_field(_("Mois (n'importe quel jour du mois)"))
    value = StrictDecimalField(
        label=_("Valeur"),
        min_value=Decimal("0.001"),
        max_digits=8,
        decimal_places=3,
        localize=True,
        error_messages=MONEY_ERRORS,
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)


class CpiChoiceForm(forms.Form):
    series_id = forms.CharField(label=_("Série"), max_length=20, initial=DEFAULT_CPI_SERIES, required=False)
    base = forms.CharField(label=_("Base"), max_length=10, initial=DEFAULT_CPI_BASE, required=False)


class ForfaitsForm(PlainForm):
    forfait_amount = money_field(_("Forfait par élève de première année (€)"))
    forfait_prepa_metiers_amount = money_field(_("Forfait par élève de 3e prépa-métiers (€)"))
    forfait_cpge_amount = money_field(_("Forfait CPGE par concours (€)"), required=False)
    cpi_evolution_percent = StrictDecimalField(
        label=_("Évolution de l'indice retenue (%)"),
        required=False,
        max_digits=6,
        decimal_places=2,
        localize=True,
        error_messages=MONEY_ERRORS,
    )
    order_reference = forms.CharField(label=_("Référence de l'arrêté"), max_length=60)
    order_date = french_date_field(_("Date de l'arrêté"), required=False)


class SituationForm(PlainForm):
    # ARE-5: the two counts, never a typed rate (the rate is their exact quotient).
    scholarship_count = count_field(label=_("Effectif boursier communiqué par l'académie"))
    school_enrolments = count_field(
        label=_("Effectifs n-1 de l'établissement"),
        min_value=1,
    )
    survey_answered = forms.BooleanField(label=_("A répondu aux enquêtes régionales"), required=False)
    carryover_pre_bac = money_field(_("Reliquat pré-bac de l'année précédente (€)"))
    carryover_post_bac = money_field(_("Reliquat post-bac de l'année précédente (€)"))


class EnrolmentsForm(forms.Form):
    """One integer field per eligible formation shown (`f_<id>`), plus the fingerprint of what was read."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, formations, counts, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for formation in formations:
            name = f"f_{formation.pk}"
            self.fields[name] = count_field(label=f"{formation.diploma_code} {formation.title}")
            self.initial.setdefault(name, counts.get(formation.pk, 0))
            self.rows.append((formation, name))

    def bound_rows(self):
        return [(formation, self[name]) for formation, name in self.rows]

    def counts(self) -> dict[int, int]:
        return {formation.pk: self.cleaned_data.get(name) or 0 for formation, name in self.rows}


class UploadForm(PlainForm):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"), help_text=_("2 Mo au plus. Colonnes : uai, code_diplome, effectif.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size, MAX_UPLOAD_BYTES)
        except UploadRefused as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


class VoteForm(PlainForm):
    reference = forms.CharField(label=_("Référence de la délibération de la commission permanente"), max_length=60)
    voted_on = french_date_field(_("Date du vote"))
    # The computation whose totals the page showed: a vote after a recomputation is refused.
    computed_at = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def clean_computed_at(self):
        from datetime import datetime

        value = self.cleaned_data["computed_at"]
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise forms.ValidationError(_("Rechargez la page du vote."))
        return parsed


class SupplementaryRequestForm(PlainForm):
    """Up to 6 lines: formation (eligible that year) and additional pupils or scholarship holders."""

    LINES = 6
    justification = forms.CharField(
        label=_("Motif de la demande"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Expliquez la raison de la demande.")},
    )

    def __init__(self, *args, formations, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [
            (f.pk, f"{f.nsf_code} · {f.diploma_code} · {f.title} ({f.get_level_display()})") for f in formations
        ]
        for i in range(self.LINES):
            self.fields[f"formation_{i}"] = forms.TypedChoiceField(
                label=_("Formation (code NSF et intitulé)"),
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"count_{i}"] = count_field(
                label=_("Élèves supplémentaires (pré-bac) ou boursiers supplémentaires (post-bac)"), min_value=1
            )

    def line_pairs(self):
        return [(self[f"formation_{i}"], self[f"count_{i}"]) for i in range(self.LINES)]

    def clean(self):
        data = super().clean()
        lines = []
        for i in range(self.LINES):
            formation, count = data.get(f"formation_{i}"), data.get(f"count_{i}")
            if formation and not count:
                self.add_error(f"count_{i}", _("Indiquez l'effectif supplémentaire."))
            elif count and not formation:
                self.add_error(f"formation_{i}", _("Choisissez la formation."))
            elif formation and count:
                lines.append((formation, count))
        if not lines and not self.errors:
            raise forms.ValidationError(_("Indiquez au moins une formation."))
        data["lines"] = lines
        return data


class DecisionForm(PlainForm):
    decision = forms.ChoiceField(
        label=_("Décision"), choices=[("accept", _("Accepter")), ("reject", _("Rejeter"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Motif (obligatoire en cas de rejet)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )


class UsageReportForm(forms.Form):
    """Per formation of the lycée: pupils equipped, amount spent, equipment types (and, post-bac,
    non-scholarship pupils equipped on the head's decision)."""

    def __init__(self, *args, formations, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for f in formations:
            p = f"r{f.pk}_"
            self.fields[p + "pupils"] = count_field(label=_("Élèves équipés"))
            self.fields[p + "spent"] = money_field(_("Montant des achats (€)"), required=False)
            self.fields[p + "types"] = forms.MultipleChoiceField(
                label=_("Types d'équipements"),
                choices=EquipmentType.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            if f.envelope == "post_bac":
                self.fields[p + "non_scholarship"] = count_field(
                    label=_("Dont non boursiers (décision du chef d'établissement)")
                )
            self.rows.append((f, p))

    def bound_rows(self):
        return [
            (
                f,
                self[p + "pupils"],
                self[p + "spent"],
                self[p + "types"],
                self[p + "non_scholarship"] if f.envelope == "post_bac" else None,
            )
            for f, p in self.rows
        ]

    def lines(self):
        from .services import UsageLineInput

        result = []
        for f, p in self.rows:
            pupils = self.cleaned_data.get(p + "pupils") or 0
            spent = self.cleaned_data.get(p + "spent") or Decimal("0")
            types = tuple(self.cleaned_data.get(p + "types") or ())
            non = self.cleaned_data.get(p + "non_scholarship") or 0
            if pupils or spent or types or non:
                result.append(UsageLineInput(f.pk, pupils, spent, types, non))
        return result


class CpgeAidForm(PlainForm):
    pupil_last_name = forms.CharField(label=_("Nom de l'élève"), max_length=100)
    pupil_first_name = forms.CharField(label=_("Prénom de l'élève"), max_length=100)
    # ARE-10: one request per pupil and school year; the birth date tells namesakes apart.
    pupil_birth_date = french_date_field(_("Date de naissance de l'élève"))
    second_year = forms.BooleanField(label=_("L'élève est en deuxième année de CPGE"), required=False)
    family_quotient = money_field(_("Quotient familial régional annuel (€)"))
    competitions = count_field(label=_("Nombre de concours présentés"), required=True, min_value=1)


class DotationPaymentForm(PlainForm):
    """What the paying agent checks and records before a dotation is marked paid."""

    payment_date = french_date_field(_("Date du virement"))
    payment_reference = forms.CharField(
        label=_("Référence du mandat de paiement"),
        max_length=60,
        help_text=_("Telle qu'elle figure dans le logiciel comptable de la Région."),
    )
