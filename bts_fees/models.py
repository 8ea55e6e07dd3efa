"""BTS programmes, bodies and appointments, act catalogue, fee declarations, lecturers (seed 004)."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import EffectiveDated, School, User

from . import rules
from .enums import (
    ActSection,
    ActUnit,
    BodyKind,
    CurriculumPhase,
    DeclarationStatus,
    LecturerCategory,
    MemberRole,
    PaidOnce,
    PaperKind,
    RegulatedLevel,
    Relationship,
    StatementLineKind,
)


def _non_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0}) | models.Q(**{f"{field}__isnull": True}),
        name=name,
        violation_error_message=_("Le montant ne peut pas être négatif."),
    )


class AcademicYear(models.Model):
    """An academic year (année d'études), e.g. 2024-2025, with its two semesters."""

    label = models.CharField(_("année d'études"), max_length=9, unique=True)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    second_semester_from = models.DateField(_("début du second semestre"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("année d'études")
        verbose_name_plural = _("années d'études")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lt=models.F("second_semester_from"))
                & models.Q(second_semester_from__lte=models.F("end_date")),
                name="academicyear_dates_in_order",
                violation_error_message=_("Les dates de l'année d'études ne sont pas dans l'ordre."),
            )
        ]

    def __str__(self):
        return self.label

    def contains(self, day) -> bool:
        return self.start_date <= day <= self.end_date

    def semester_of(self, day) -> int:
        return 1 if day < self.second_semester_from else 2


class Programme(models.Model):
    """A BTS programme of study offered by a Luxembourg lycée."""

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="bts_programmes")
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("intitulé"), max_length=200)
    accredited_from = models.DateField(_("accrédité à partir du"), null=True, blank=True)
    accredited_until = models.DateField(_("accrédité jusqu'au"), null=True, blank=True)
    admissibility_notified_on = models.DateField(
        _("recevabilité notifiée le"),
        null=True,
        blank=True,
        help_text=_(
            "Accréditation d'un nouveau programme : les travaux du groupe curriculaire sont limités à 24 mois "
            "à compter de cette notification."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme BTS")
        verbose_name_plural = _("programmes BTS")
        ordering = ["school__name", "title"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="programme_code_unique_per_school")]

    def __str__(self):
        return f"{self.title} ({self.code})"

    def clean(self):
        super().clean()
        if self.accredited_from and self.accredited_until and self.accredited_until < self.accredited_from:
            raise ValidationError({"accredited_until": _("La fin de l'accréditation précède son début.")})


class Person(models.Model):
    """A member of a body or an external lecturer, recorded by a lycée."""

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="bts_people")
    last_name = models.CharField(_("nom"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=100)
    email = models.EmailField(_("courriel"), blank=True)
    clq_level = models.PositiveSmallIntegerField(
        _("niveau CLQ du diplôme"),
        null=True,
        blank=True,
        help_text=_("Cadre luxembourgeois des qualifications, 1 à 8."),
    )
    regulated_level = models.CharField(
        _("autorisation d'exercer (profession réglementée)"),
        max_length=1,
        choices=RegulatedLevel.choices,
        blank=True,
    )
    is_director = models.BooleanField(
        _("directeur du lycée"),
        default=False,
        help_text=_("Le directeur ne peut pas représenter la direction à la commission des litiges."),
    )
    national_or_benelux_diploma = models.BooleanField(_("diplôme national ou Benelux"), default=False)
    has_diploma = models.BooleanField(_("diplôme au dossier"), default=False)
    has_registry_entry = models.BooleanField(_("inscription au registre des titres au dossier"), default=False)
    has_authorisation = models.BooleanField(_("autorisation d'exercer au dossier"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clq_level__isnull=True) | models.Q(clq_level__gte=1, clq_level__lte=8),
                name="person_clq_level_1_to_8",
                violation_error_message=_("Le niveau CLQ est compris entre 1 et 8."),
            )
        ]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"

    @property
    def documents_complete(self) -> bool:
        """BTS-8: diploma and registry entry (unless national/Benelux), or authorisation."""
        return rules.documents_complete(
            has_diploma=self.has_diploma,
            has_registry_entry=self.has_registry_entry,
            national_or_benelux=self.national_or_benelux_diploma,
            has_authorisation=self.has_authorisation,
        )


class Body(models.Model):
    """A group, committee or jury of a programme (or of the lycée) for one academic year."""

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="bts_bodies")
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        help_text=_("Vide pour la commission des litiges, qui est commune au lycée."),
    )
    academic_year = models.ForeignKey(AcademicYear, verbose_name=_("année d'études"), on_delete=models.PROTECT)
    kind = models.CharField(_("type d'instance"), max_length=30, choices=BodyKind.choices)
    label = models.CharField(_("précision"), max_length=100, blank=True)
    phase = models.CharField(
        _("phase (groupe curriculaire)"), max_length=20, choices=CurriculumPhase.choices, blank=True, default=""
    )
    mandate_ends = models.BooleanField(
        _("mandat arrivant à échéance"),
        default=False,
        help_text=_("Commission des litiges : le mandat de trois ans prend fin cette année d'études."),
    )
    proposals_sent_on = models.DateField(_("propositions de nomination envoyées le"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instance")
        verbose_name_plural = _("instances")
        ordering = ["-academic_year__start_date", "school__name", "kind", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "programme", "academic_year", "kind", "label"], name="body_unique_per_year"
            ),
        ]

    def __str__(self):
        parts = [self.get_kind_display()]
        if self.label:
            parts.append(self.label)
        parts.append(str(self.programme.code) if self.programme_id else self.school.name)
        parts.append(str(self.academic_year))
        return " — ".join(str(p) for p in parts)

    @property
    def proposal_deadline(self):
        """BTS-7."""
        return rules.proposal_deadline(
            self.kind, self.academic_year.start_date.year, litigation_mandate_ends=self.mandate_ends
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == BodyKind.LITIGATION_COMMITTEE and self.programme_id:
            errors["programme"] = _("La commission des litiges est commune au lycée : ne choisissez pas de programme.")
        if self.kind not in (BodyKind.LITIGATION_COMMITTEE, "") and not self.programme_id:
            errors["programme"] = _("Choisissez le programme de cette instance.")
        if self.programme_id and self.school_id and self.programme.school_id != self.school_id:
            errors["programme"] = _("Ce programme n'appartient pas à ce lycée.")
        if self.kind == BodyKind.CURRICULUM_GROUP and not self.phase:
            errors["phase"] = _("Indiquez la phase des travaux du groupe curriculaire.")
        if self.kind != BodyKind.CURRICULUM_GROUP and self.phase:
            errors["phase"] = _("La phase ne concerne que le groupe curriculaire.")
        if errors:
            raise ValidationError(errors)


class Appointment(models.Model):
    """Appointment of a person to a body by ministerial order (arrêté), or its pending proposal."""

    body = models.ForeignKey(Body, verbose_name=_("instance"), on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.PROTECT, related_name="appointments"
    )
    role = models.CharField(_("fonction"), max_length=30, choices=MemberRole.choices)
    teaches_in_programme = models.BooleanField(
        _("enseigne dans le programme"),
        default=False,
        help_text=_("Promoteur qui fait partie du corps enseignant du programme (commission pour le TFE)."),
    )
    valid_from = models.DateField(_("du"))
    valid_until = models.DateField(_("au"))
    proposed_on = models.DateField(_("proposé le"), null=True, blank=True)
    order_reference = models.CharField(_("référence de l'arrêté"), max_length=60, blank=True)
    order_date = models.DateField(_("date de l'arrêté"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["body", "role", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "person"], name="appointment_once_per_body"),
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("valid_until")),
                name="appointment_period_in_order",
                violation_error_message=_("La fin de la nomination précède son début."),
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}"

    def clean(self):
        super().clean()
        if self.teaches_in_programme and self.role != MemberRole.PROMOTER:
            raise ValidationError(
                {"teaches_in_programme": _("Cette case ne concerne que le promoteur : un enseignant l'est déjà.")}
            )

    @property
    def teaches(self) -> bool:
        """Part of the programme's teaching staff: a teacher, or a promoter who teaches in it."""
        return self.role == MemberRole.TEACHER or (self.role == MemberRole.PROMOTER and self.teaches_in_programme)

    @property
    def is_appointed(self) -> bool:
        """BTS-2: appointed once the ministerial order is issued (reference and date)."""
        return bool(self.order_reference and self.order_date)


class Act(models.Model):
    """An act of the rate table of seed 004 (section I.10 or section II)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    section = models.CharField(_("section"), max_length=10, choices=ActSection.choices)
    body_kind = models.CharField(_("instance"), max_length=30, choices=BodyKind.choices, blank=True)
    label = models.CharField(_("acte"), max_length=200)
    detail = models.CharField(_("détail"), max_length=200, blank=True)
    unit = models.CharField(_("unité"), max_length=12, choices=ActUnit.choices)
    allowed_roles = models.JSONField(_("fonctions autorisées"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    daily_max = models.DecimalField(
        _("maximum par jour et par personne"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Contrôle de plausibilité, dans l'unité de l'acte, toutes déclarations confondues."),
    )
    paid_once = models.CharField(
        _("indemnité unique"), max_length=20, choices=PaidOnce.choices, blank=True, default=PaidOnce.NO
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acte")
        verbose_name_plural = _("actes")
        ordering = ["section", "position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_max__isnull=True) | models.Q(daily_max__gt=0),
                name="act_daily_max_positive",
                violation_error_message=_("Le maximum par jour doit être positif."),
            )
        ]

    def __str__(self):
        if self.detail:
            return f"{self.label} ({self.detail})"
        return self.label

    @property
    def counts_things(self) -> bool:
        """Whether the quantity is a whole number (everything but hours)."""
        return self.unit not in rules.FRACTIONAL_UNITS

    def clean(self):
        super().clean()
        unknown = set(self.allowed_roles or []) - set(MemberRole.values)
        if unknown:
            raise ValidationError({"allowed_roles": _("Fonction inconnue : %(r)s") % {"r": ", ".join(sorted(unknown))}})


class ActRate(EffectiveDated):
    """Rate of an act at index 100, effective-dated (BTS-1)."""

    act = models.ForeignKey(Act, verbose_name=_("acte"), on_delete=models.PROTECT, related_name="rates")
    rate_at_100 = models.DecimalField(_("taux au nombre indice 100"), max_digits=9, decimal_places=4)

    period_key = ("act",)

    history = HistoricalRecords()

    class Meta(EffectiveDated.Meta):
        verbose_name = _("taux d'un acte")
        verbose_name_plural = _("taux des actes")
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(fields=["act", "valid_from"], name="actrate_one_per_date"),
            models.CheckConstraint(
                condition=models.Q(rate_at_100__gte=0),
                name="actrate_rate_non_negative",
                violation_error_message=_("Le taux ne peut pas être négatif."),
            ),
        ]

    def __str__(self):
        return f"{self.act.code} {self.rate_at_100} ({self.valid_from:%d/%m/%Y})"


def attendance_sheet_path(instance, filename):
    """Private storage (MEDIA_ROOT is never served): a random name, the detected extension."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"bts_fees/attendance/{uuid.uuid4().hex}.{extension}"


class Declaration(models.Model):
    """The fee declaration of one body for one period, submitted in one batch (BTS-10)."""

    body = models.ForeignKey(Body, verbose_name=_("instance"), on_delete=models.PROTECT, related_name="declarations")
    period_label = models.CharField(_("période"), max_length=100)
    period_start = models.DateField(_("du"))
    period_end = models.DateField(_("au"))
    candidates = models.PositiveIntegerField(
        _("candidats"), null=True, blank=True, help_text=_("Commission d'admission : nombre de candidats.")
    )
    papers = models.PositiveSmallIntegerField(
        _("épreuves"), null=True, blank=True, help_text=_("Commission d'admission : deux épreuves au plus.")
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=DeclarationStatus.choices, default=DeclarationStatus.DRAFT
    )
    attendance_sheet = models.FileField(_("liste de présence"), upload_to=attendance_sheet_path, blank=True)
    attendance_sheet_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    attendance_sheet_type = models.CharField(_("type du fichier"), max_length=40, blank=True)
    attendance_sheet_sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, verbose_name=_("soumise par"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("décision par"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("motif"), blank=True)
    total_amount = models.DecimalField(_("montant total"), max_digits=12, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("déclaration")
        verbose_name_plural = _("déclarations")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "period_start", "period_end"], name="declaration_one_per_period"),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="declaration_period_in_order",
                violation_error_message=_("La fin de la période précède son début."),
            ),
            _non_negative("total_amount", "declaration_total_amount_non_negative"),
        ]

    def __str__(self):
        return f"{self.reference} — {self.body.get_kind_display()} — {self.period_label}"

    @property
    def reference(self) -> str:
        return f"BTS-D{self.pk or 0:06d}"

    @property
    def is_editable(self) -> bool:
        return self.status in (DeclarationStatus.DRAFT, DeclarationStatus.REJECTED, DeclarationStatus.REOPENED)

    @property
    def is_frozen(self) -> bool:
        return self.status == DeclarationStatus.VALIDATED


class ExamPaper(models.Model):
    """A paper of an admission exam with the candidates' first marks (BTS-6): the corrections paid
    for it follow from those marks (`rules.payable_corrections`)."""

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("déclaration"), on_delete=models.CASCADE, related_name="exam_papers"
    )
    number = models.PositiveSmallIntegerField(_("épreuve n°"))
    kind = models.CharField(_("nature"), max_length=12, choices=PaperKind.choices, default=PaperKind.WRITTEN)
    first_marks = models.JSONField(
        _("notes de première correction"),
        default=list,
        blank=True,
        help_text=_("Une note sur 20 par candidat, telle que notée à la première correction."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("épreuve d'admission")
        verbose_name_plural = _("épreuves d'admission")
        ordering = ["declaration", "number"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "number"], name="exampaper_one_per_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=rules.MAX_ADMISSION_PAPERS),
                name="exampaper_number_1_or_2",
                violation_error_message=_("L'examen d'admission comporte deux épreuves au plus."),
            ),
        ]

    def __str__(self):
        return _("Épreuve n° %(n)s (%(kind)s)") % {"n": self.number, "kind": self.get_kind_display()}

    @property
    def payable_corrections(self) -> int:
        """BTS-6: one correction per candidate, a second one for each first mark of 8,5 to 9,9."""
        if self.kind != PaperKind.WRITTEN:
            return 0
        return rules.payable_corrections(self.first_marks)

    @property
    def second_corrections(self) -> int:
        return self.payable_corrections - len(self.first_marks) if self.kind == PaperKind.WRITTEN else 0


class DeclarationLine(models.Model):
    """One act of one appointed member; index and unit amount are frozen at validation (BTS-10)."""

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("déclaration"), on_delete=models.CASCADE, related_name="lines"
    )
    appointment = models.ForeignKey(
        Appointment, verbose_name=_("membre"), on_delete=models.PROTECT, related_name="lines"
    )
    act = models.ForeignKey(Act, verbose_name=_("acte"), on_delete=models.PROTECT, related_name="+")
    act_date = models.DateField(_("date de l'acte"))
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2)
    student = models.CharField(_("étudiant concerné"), max_length=150, blank=True)
    paper = models.ForeignKey(
        ExamPaper,
        verbose_name=_("épreuve"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lines",
        help_text=_("Commission d'admission : l'épreuve corrigée ou l'entretien."),
    )
    rate_at_100 = models.DecimalField(_("taux au nombre indice 100"), max_digits=9, decimal_places=4)
    index_value = models.DecimalField(_("nombre indice appliqué"), max_digits=7, decimal_places=2)
    unit_amount = models.DecimalField(_("montant unitaire"), max_digits=12, decimal_places=2)
    line_amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne de déclaration")
        verbose_name_plural = _("lignes de déclaration")
        ordering = ["act_date", "appointment__person__last_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0),
                name="declarationline_quantity_positive",
                violation_error_message=_("La quantité doit être positive."),
            ),
            _non_negative("unit_amount", "declarationline_unit_amount_non_negative"),
            _non_negative("line_amount", "declarationline_line_amount_non_negative"),
            _non_negative("rate_at_100", "declarationline_rate_non_negative"),
        ]

    def __str__(self):
        return f"{self.appointment.person} — {self.act.code} — {self.act_date:%d/%m/%Y}"


class LecturerContract(models.Model):
    """A contract with an external lecturer, guest lecturer or auxiliary collaborator (BTS-8)."""

    person = models.ForeignKey(Person, verbose_name=_("personne"), on_delete=models.PROTECT, related_name="contracts")
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="contracts"
    )
    academic_year = models.ForeignKey(AcademicYear, verbose_name=_("année d'études"), on_delete=models.PROTECT)
    category = models.CharField(_("catégorie"), max_length=30, choices=LecturerCategory.choices)
    subject = models.CharField(_("matière(s) enseignée(s)"), max_length=200)
    subject_linked = models.BooleanField(
        _("lien direct entre la qualification et la matière"),
        default=True,
        help_text=_("À défaut de lien direct, l'indemnité est de 6,28 € à l'indice 100 par leçon."),
    )
    signature_date = models.DateField(_("date de signature"))
    start_date = models.DateField(_("début du contrat (première prestation)"))
    ministry_signature_date = models.DateField(
        _("signé par le représentant du ministre le"),
        null=True,
        blank=True,
        help_text=_("À signer avant le premier jour de la prestation, sauf cas exceptionnel dûment motivé."),
    )
    ministry_exception_reason = models.TextField(
        _("cas exceptionnel (motivation)"),
        blank=True,
        help_text=_("Motif qui autorise des leçons avant la signature du représentant du ministre."),
    )
    rate_code = models.CharField(_("catégorie de taux"), max_length=40)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contrat d'intervenant")
        verbose_name_plural = _("contrats d'intervenants")
        ordering = ["-academic_year__start_date", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "academic_year"], name="contract_one_per_programme_and_year"
            ),
            models.CheckConstraint(
                condition=models.Q(signature_date__lte=models.F("start_date")),
                name="contract_signed_before_start",
                violation_error_message=_("La date de signature ne peut pas être postérieure au début du contrat."),
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.programme.code} — {self.academic_year}"


class LessonRecord(models.Model):
    """Lessons given on a date under a contract, with the amount at the index of that date."""

    contract = models.ForeignKey(
        LecturerContract, verbose_name=_("contrat"), on_delete=models.CASCADE, related_name="lessons"
    )
    lesson_date = models.DateField(_("date"))
    lessons = models.PositiveSmallIntegerField(_("leçons (ou heures)"))
    semester = models.PositiveSmallIntegerField(_("semestre"))
    evaluation = models.BooleanField(_("participation à l'évaluation des étudiants"), default=False)
    rate_at_100 = models.DecimalField(_("taux au nombre indice 100"), max_digits=9, decimal_places=4)
    index_value = models.DecimalField(_("nombre indice appliqué"), max_digits=7, decimal_places=2)
    unit_amount = models.DecimalField(_("montant unitaire"), max_digits=12, decimal_places=2)
    line_amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relevé de leçons")
        verbose_name_plural = _("relevés de leçons")
        ordering = ["lesson_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lessons__gt=0),
                name="lessonrecord_lessons_positive",
                violation_error_message=_("Le nombre de leçons doit être positif."),
            ),
            _non_negative("unit_amount", "lessonrecord_unit_amount_non_negative"),
            _non_negative("line_amount", "lessonrecord_line_amount_non_negative"),
        ]

    def __str__(self):
        return f"{self.contract.person} — {self.lesson_date:%d/%m/%Y} — {self.lessons}"


class ConflictDeclaration(models.Model):
    """BTS-9: a member related to a student declares it and is excluded from that student's decisions."""

    person = models.ForeignKey(Person, verbose_name=_("personne"), on_delete=models.PROTECT, related_name="conflicts")
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="conflicts"
    )
    student = models.CharField(_("étudiant"), max_length=150)
    relationship = models.CharField(_("lien"), max_length=20, choices=Relationship.choices)
    declared_on = models.DateField(_("déclaré le"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("déclaration d'incompatibilité")
        verbose_name_plural = _("déclarations d'incompatibilité")
        ordering = ["-declared_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "programme", "student"], name="conflict_once_per_student")
        ]

    def __str__(self):
        return f"{self.person} — {self.student} ({self.get_relationship_display()})"


class Statement(models.Model):
    """An issued statement of a person's fees for an academic year (BTS-10): its lines and the
    parameters used are frozen when issued, and its PDF is always rendered from this stored copy."""

    reference = models.CharField(_("référence"), max_length=40, unique=True)
    person = models.ForeignKey(Person, verbose_name=_("personne"), on_delete=models.PROTECT, related_name="statements")
    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("année d'études"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("numéro d'émission"))
    issued_at = models.DateTimeField(_("émis le"))
    issued_by = models.ForeignKey(User, verbose_name=_("émis par"), on_delete=models.PROTECT, related_name="+")
    parameters = models.JSONField(_("paramètres appliqués"), default=dict)
    lines_total_amount = models.DecimalField(_("sous-total des actes"), max_digits=12, decimal_places=2)
    lessons_total_amount = models.DecimalField(_("sous-total des leçons"), max_digits=12, decimal_places=2)
    total_amount = models.DecimalField(_("total dû"), max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relevé émis")
        verbose_name_plural = _("relevés émis")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "academic_year", "number"], name="bts_statement_number_unique"),
            _non_negative("lines_total_amount", "bts_statement_lines_total_non_negative"),
            _non_negative("lessons_total_amount", "bts_statement_lessons_total_non_negative"),
            _non_negative("total_amount", "bts_statement_total_non_negative"),
        ]

    def __str__(self):
        return self.reference

    @property
    def act_lines(self) -> list:
        return [line for line in self.lines.all() if line.kind == StatementLineKind.ACT]

    @property
    def lesson_lines(self) -> list:
        return [line for line in self.lines.all() if line.kind == StatementLineKind.LESSON]


class StatementLine(models.Model):
    """One frozen line of an issued statement: an act of a validated declaration, or lessons."""

    statement = models.ForeignKey(Statement, verbose_name=_("relevé"), on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("ordre"))
    kind = models.CharField(_("nature"), max_length=10, choices=StatementLineKind.choices)
    source_reference = models.CharField(_("déclaration ou programme"), max_length=60)
    act_code = models.CharField(_("code de l'acte"), max_length=40)
    act_label = models.CharField(_("acte"), max_length=420)
    unit = models.CharField(_("unité"), max_length=12, choices=ActUnit.choices)
    act_date = models.DateField(_("date"))
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2)
    rate_at_100 = models.DecimalField(_("taux au nombre indice 100"), max_digits=9, decimal_places=4)
    index_value = models.DecimalField(_("nombre indice appliqué"), max_digits=7, decimal_places=2)
    unit_amount = models.DecimalField(_("montant unitaire"), max_digits=12, decimal_places=2)
    line_amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne de relevé")
        verbose_name_plural = _("lignes de relevé")
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "position"], name="bts_statementline_one_per_position"),
            _non_negative("unit_amount", "bts_statementline_unit_amount_non_negative"),
            _non_negative("line_amount", "bts_statementline_line_amount_non_negative"),
            _non_negative("rate_at_100", "bts_statementline_rate_non_negative"),
        ]

    def __str__(self):
        return f"{self.statement_id} {self.position}"
