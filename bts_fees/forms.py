"""Forms of the bts_fees app. They parse and check input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import StrictDecimalField, StrictIntegerField, StrictModelChoiceField, french_date_field

from . import selectors
from .enums import (
    ActUnit,
    BodyKind,
    CurriculumPhase,
    LecturerCategory,
    MemberRole,
    PaperKind,
    RegulatedLevel,
    Relationship,
)
from .models import Act
from .rules import COMPOSITIONS, MAX_ADMISSION_PAPERS

REQUIRED = {"required": _("Ce champ est obligatoire.")}


class SchoolChoiceMixin:
    def _school_field(self, user):
        schools = selectors.school_list(user)
        self.fields["school"] = StrictModelChoiceField(label=_("Lycée"), queryset=schools, error_messages=REQUIRED)
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()


class ProgrammeForm(SchoolChoiceMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    accredited_from = french_date_field(_("Accrédité à partir du"), required=False)
    accredited_until = french_date_field(_("Accrédité jusqu'au"), required=False)
    admissibility_notified_on = french_date_field(
        _("Recevabilité notifiée le"),
        required=False,
        help_text=_("Nouveau programme : les travaux d'accréditation sont limités à 24 mois à compter de cette date."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._school_field(user)


class PersonForm(SchoolChoiceMixin, forms.Form):
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    email = forms.EmailField(label=_("Courriel"), required=False)
    clq_level = StrictIntegerField(
        label=_("Niveau CLQ du diplôme"),
        required=False,
        min_value=1,
        max_value=8,
        help_text=_("Cadre luxembourgeois des qualifications, de 1 à 8."),
    )
    regulated_level = forms.ChoiceField(
        label=_("Autorisation d'exercer (profession réglementée)"), choices=RegulatedLevel.choices, required=False
    )
    is_director = forms.BooleanField(label=_("Directeur du lycée"), required=False)
    national_or_benelux_diploma = forms.BooleanField(label=_("Diplôme national ou Benelux"), required=False)
    has_diploma = forms.BooleanField(label=_("Diplôme au dossier"), required=False)
    has_registry_entry = forms.BooleanField(label=_("Inscription au registre des titres au dossier"), required=False)
    has_authorisation = forms.BooleanField(label=_("Autorisation d'exercer au dossier"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._school_field(user)


class BodyForm(SchoolChoiceMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type d'instance"), choices=BodyKind.choices)
    programme = StrictModelChoiceField(label=_("Programme"), queryset=None, required=False)
    academic_year = StrictModelChoiceField(label=_("Année d'études"), queryset=None)
    label = forms.CharField(label=_("Précision"), max_length=100, required=False)
    phase = forms.ChoiceField(label=_("Phase (groupe curriculaire)"), choices=CurriculumPhase.choices, required=False)
    mandate_ends = forms.BooleanField(label=_("Mandat arrivant à échéance (commission des litiges)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._school_field(user)
        self.fields["programme"].queryset = selectors.programme_list(user)
        self.fields["academic_year"].queryset = selectors.academic_year_list()
        self.fields["academic_year"].initial = selectors.academic_year_current()


class AppointmentForm(forms.Form):
    person = StrictModelChoiceField(label=_("Personne"), queryset=None)
    role = forms.ChoiceField(label=_("Fonction"), choices=())
    valid_from = french_date_field(_("Nommé du"))
    valid_until = french_date_field(
        _("au"), required=False, help_text=_("Vide : fin de l'année d'études (24 mois pour le coordinateur).")
    )
    proposed_on = french_date_field(_("Proposé le"), required=False)
    order_reference = forms.CharField(label=_("Référence de l'arrêté"), max_length=60, required=False)
    order_date = french_date_field(_("Date de l'arrêté"), required=False)
    teaches_in_programme = forms.BooleanField(
        label=_("Le promoteur enseigne dans le programme"),
        required=False,
        help_text=_("La commission compte au moins un enseignant du programme ; le promoteur peut l'être."),
    )

    def __init__(self, *args, user, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.person_list(user).filter(school=body.school_id)
        self.fields["role"].choices = [(r, MemberRole(r).label) for r in COMPOSITIONS[body.kind]]
        self.fields["valid_from"].initial = body.academic_year.start_date
        if body.kind != BodyKind.THESIS_COMMITTEE:
            del self.fields["teaches_in_programme"]


class OrderForm(forms.Form):
    order_reference = forms.CharField(label=_("Référence de l'arrêté"), max_length=60)
    order_date = french_date_field(_("Date de l'arrêté"))


class ProposalsForm(forms.Form):
    sent_on = french_date_field(_("Propositions envoyées le"))


class DeclarationForm(forms.Form):
    body = StrictModelChoiceField(label=_("Instance"), queryset=None)
    period_label = forms.CharField(
        label=_("Période"), max_length=100, help_text=_("Par exemple : semestre d'hiver 2024-2025.")
    )
    period_start = french_date_field(_("Du"))
    period_end = french_date_field(_("Au"))
    candidates = StrictIntegerField(
        label=_("Candidats"), required=False, min_value=0, max_value=10000, help_text=_("Commission d'admission.")
    )
    papers = StrictIntegerField(
        label=_("Épreuves"), required=False, min_value=1, max_value=2, help_text=_("Deux épreuves au plus.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = selectors.body_list(user)


class LineForm(forms.Form):
    appointment = StrictModelChoiceField(
        label=_("Membre"),
        queryset=None,
        error_messages={"invalid_choice": _("Ce membre n'est pas nommé dans cette instance.")},
    )
    act = StrictModelChoiceField(label=_("Acte"), queryset=None)
    act_date = french_date_field(_("Date de l'acte"))
    quantity = StrictDecimalField(
        label=_("Quantité"),
        min_value=Decimal("0.01"),
        max_value=Decimal("9999"),
        max_digits=6,
        decimal_places=2,
        initial=1,
        localize=True,
        error_messages={
            "min_value": _("La quantité doit être supérieure à zéro."),
            "max_value": _("La quantité ne peut pas dépasser 9 999."),
            "max_digits": _("La quantité ne peut pas dépasser 9 999."),
            "max_whole_digits": _("La quantité ne peut pas dépasser 9 999."),
            "max_decimal_places": _("La quantité a au plus deux décimales."),
            "invalid": _("Saisissez un nombre."),
        },
    )
    student = forms.CharField(
        label=_("Étudiant concerné"),
        max_length=150,
        required=False,
        help_text=_("Pour les actes qui concernent un étudiant."),
    )

    paper = StrictModelChoiceField(
        label=_("Épreuve"),
        queryset=None,
        required=False,
        help_text=_("Corrections et entretiens : l'épreuve à laquelle l'acte se rapporte."),
        error_messages={"invalid_choice": _("Cette épreuve n'appartient pas à cette déclaration.")},
    )

    def __init__(self, *args, declaration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appointment"].queryset = selectors.appointment_list_members(declaration)
        self.fields["appointment"].label_from_instance = lambda a: f"{a.person} — {a.get_role_display()}"
        self.fields["act"].queryset = selectors.acts_for_body(declaration.body)
        self.fields["act"].label_from_instance = _act_label
        if declaration.body.kind == BodyKind.ADMISSION_COMMITTEE:
            self.fields["paper"].queryset = declaration.exam_papers.all()
        else:
            del self.fields["paper"]


def _act_label(act: Act) -> str:
    roles = ", ".join(str(MemberRole(r).label) for r in act.allowed_roles if r in MemberRole.values)
    label = f"{act} — {roles}" if roles else str(act)
    if act.unit in (ActUnit.YEAR, ActUnit.SEMESTER):  # flat rate: the quantity is 1
        return label
    return f"{label} ({_('en %(unit)s') % {'unit': selectors.unit_name(act.unit)}})"


class ExamPaperForm(forms.Form):
    """BTS-6: a paper of the admission exam and the candidates' first marks."""

    number = forms.TypedChoiceField(label=_("Épreuve n°"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Nature"), choices=PaperKind.choices, initial=PaperKind.WRITTEN)
    first_marks = forms.CharField(
        label=_("Notes de première correction"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Une note sur 20 par candidat, séparées par des points-virgules ou des retours à la ligne "
            "(par exemple : 12 ; 8,5 ; 9,9). Une deuxième correction est payée pour chaque note de 8,5 à 9,9."
        ),
    )

    def __init__(self, *args, declaration, **kwargs):
        super().__init__(*args, **kwargs)
        papers = declaration.papers or MAX_ADMISSION_PAPERS
        self.fields["number"].choices = [(n, str(n)) for n in range(1, papers + 1)]

    def clean_first_marks(self):
        try:
            return selectors.parse_marks(self.cleaned_data["first_marks"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["first_marks"]) from None


class SheetForm(forms.Form):
    attendance_sheet = forms.FileField(
        label=_("Liste de présence"),
        help_text=_("Fichier PDF, PNG ou JPEG, 10 Mo au plus."),
        error_messages={"required": _("Joignez la liste de présence."), "empty": _("Le fichier est vide.")},
    )

    def clean_attendance_sheet(self):
        upload = self.cleaned_data["attendance_sheet"]
        try:
            selectors.check_sheet(upload)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["attendance_sheet"]) from None
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class BulkValidateForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(
        coerce=int, choices=(), error_messages={"required": _("Cochez au moins une déclaration.")}
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, pk) for pk in selectors.declaration_list(user).values_list("pk", flat=True)]


class ContractForm(forms.Form):
    person = StrictModelChoiceField(label=_("Personne"), queryset=None)
    programme = StrictModelChoiceField(label=_("Programme"), queryset=None)
    academic_year = StrictModelChoiceField(label=_("Année d'études"), queryset=None)
    category = forms.ChoiceField(label=_("Catégorie"), choices=LecturerCategory.choices)
    subject = forms.CharField(label=_("Matière(s) enseignée(s)"), max_length=200)
    subject_linked = forms.BooleanField(
        label=_("Lien direct entre la qualification et la matière"), required=False, initial=True
    )
    signature_date = french_date_field(_("Date de signature"))
    start_date = french_date_field(_("Début du contrat (première prestation)"))
    ministry_signature_date = french_date_field(
        _("Signé par le représentant du ministre le"),
        required=False,
        help_text=_("Avant le premier jour de la prestation, sauf cas exceptionnel dûment motivé."),
    )
    ministry_exception_reason = forms.CharField(
        label=_("Cas exceptionnel (motivation)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.person_list(user)
        self.fields["programme"].queryset = selectors.programme_list(user)
        self.fields["academic_year"].queryset = selectors.academic_year_list()
        self.fields["academic_year"].initial = selectors.academic_year_current()


class LessonForm(forms.Form):
    lesson_date = french_date_field(_("Date"))
    lessons = StrictIntegerField(
        label=_("Leçons (ou heures)"),
        min_value=1,
        max_value=50,
        error_messages={
            "min_value": _("Le nombre de leçons doit être un entier positif."),
            "max_value": _("Au plus 50 leçons par relevé journalier."),
            "invalid": _("Saisissez un nombre entier."),
        },
    )
    evaluation = forms.BooleanField(label=_("Participation à l'évaluation des étudiants"), required=False)


class MinistrySignatureForm(forms.Form):
    """Seed 004, II.4: the minister's representative signs before the first lesson, save a documented exception."""

    ministry_signature_date = french_date_field(_("Signé par le représentant du ministre le"), required=False)
    ministry_exception_reason = forms.CharField(
        label=_("Cas exceptionnel (motivation)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seul un cas exceptionnel dûment motivé permet des leçons avant cette signature."),
    )


class ConflictForm(forms.Form):
    person = StrictModelChoiceField(label=_("Membre"), queryset=None)
    programme = StrictModelChoiceField(label=_("Programme"), queryset=None)
    student = forms.CharField(label=_("Étudiant"), max_length=150)
    relationship = forms.ChoiceField(label=_("Lien"), choices=Relationship.choices)
    declared_on = french_date_field(_("Déclaré le"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.person_list(user)
        self.fields["programme"].queryset = selectors.programme_list(user)


class YearForm(forms.Form):
    academic_year = StrictModelChoiceField(label=_("Année d'études"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].queryset = selectors.academic_year_list()
