"""ARE Île-de-France (seed 003): school years and forfaits, eligible formations, enrolments n-1,
scholarship rates and carry-overs, dotations with their frozen lines, supplementary requests,
usage reports and CPGE competition-fee aid."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import School

from .enums import (
    CampaignStatus,
    CarryOverOrigin,
    DotationStatus,
    Envelope,
    EquipmentType,
    FormationLevel,
    RequestStatus,
)

DEFAULT_CPI_SERIES = "001763862"
DEFAULT_CPI_BASE = "2015"


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


def non_negative(field: str, name: str):
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0}) | models.Q(**{f"{field}__isnull": True}),
        name=name,
        violation_error_message=_("Un montant ne peut pas être négatif."),
    )


class SchoolYear(models.Model):
    """A school year of the scheme with the forfaits of its arrêté and its campaign (ARE-2, ARE-3)."""

    start_year = models.PositiveSmallIntegerField(
        _("année de rentrée"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    forfait_amount = money(
        _("forfait par élève de première année (pré-bac et boursier post-bac)"), null=True, blank=True
    )
    forfait_prepa_metiers_amount = money(_("forfait par élève de 3e prépa-métiers"), null=True, blank=True)
    forfait_cpge_amount = money(_("forfait CPGE par concours"), null=True, blank=True)
    cpi_evolution_percent = models.DecimalField(
        _("évolution de l'indice des prix (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    order_reference = models.CharField(_("arrêté fixant les forfaits"), max_length=60, blank=True)
    order_date = models.DateField(_("date de l'arrêté"), null=True, blank=True)
    forfaits_confirmed_at = models.DateTimeField(_("forfaits confirmés le"), null=True, blank=True)
    campaign_status = models.CharField(
        _("état de la campagne"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    campaign_computed_at = models.DateTimeField(_("campagne calculée le"), null=True, blank=True)
    standing_committee_reference = models.CharField(
        _("délibération de la commission permanente"), max_length=60, blank=True
    )
    standing_committee_date = models.DateField(_("date du vote"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("année scolaire")
        verbose_name_plural = _("années scolaires")
        ordering = ["-start_year"]
        constraints = [
            non_negative("forfait_amount", "schoolyear_forfait_non_negative"),
            non_negative("forfait_prepa_metiers_amount", "schoolyear_forfait_prepa_non_negative"),
            non_negative("forfait_cpge_amount", "schoolyear_forfait_cpge_non_negative"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def forfaits_confirmed(self) -> bool:
        return self.forfaits_confirmed_at is not None

    @property
    def is_voted(self) -> bool:
        return self.campaign_status == CampaignStatus.VOTED


class CpiValue(models.Model):
    """A monthly consumer price index value with its INSEE series and base (ARE-3)."""

    series_id = models.CharField(_("identifiant INSEE de la série"), max_length=20)
    base = models.CharField(_("base"), max_length=10)
    month = models.DateField(_("mois"), help_text=_("Premier jour du mois."))
    value = models.DecimalField(_("valeur"), max_digits=8, decimal_places=3)
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indice des prix à la consommation")
        verbose_name_plural = _("indices des prix à la consommation")
        ordering = ["series_id", "base", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["series_id", "base", "month"], name="cpivalue_one_per_month"),
            models.CheckConstraint(
                condition=models.Q(value__gt=0),
                name="cpivalue_positive",
                violation_error_message=_("L'indice doit être positif."),
            ),
        ]

    def __str__(self):
        return f"{self.series_id} base {self.base} {self.month:%m/%Y} : {self.value}"


class EligibleFormation(models.Model):
    """A formation of the yearly annex of eligible formations (ARE-1)."""

    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("année scolaire"), on_delete=models.PROTECT, related_name="formations"
    )
    level = models.CharField(_("niveau"), max_length=20, choices=FormationLevel.choices)
    grouping_level = models.PositiveSmallIntegerField(_("niveau de regroupement"))
    nsf_code = models.CharField(_("spécialité NSF"), max_length=3)
    diploma_code = models.CharField(_("code diplôme"), max_length=8)
    diploma_type = models.CharField(_("type de diplôme"), max_length=120)
    title = models.CharField(_("libellé"), max_length=300)
    source_line = models.PositiveIntegerField(_("ligne du fichier importé"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("formation éligible")
        verbose_name_plural = _("formations éligibles")
        ordering = ["school_year", "level", "nsf_code", "diploma_code"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "diploma_code"], name="formation_one_code_per_year"),
        ]

    def __str__(self):
        return f"{self.diploma_code} {self.title}"

    @property
    def envelope(self) -> str:
        return Envelope.POST_BAC if self.level == FormationLevel.POST_BAC else Envelope.PRE_BAC

    @property
    def is_prepa_metiers(self) -> bool:
        return self.level == FormationLevel.INFRA_V


class SchoolSituation(models.Model):
    """A lycée's scholarship rate and survey answer for a school year (ARE-5, ARE-7)."""

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("année scolaire"), on_delete=models.PROTECT)
    scholarship_rate = models.DecimalField(
        _("taux de boursiers"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        help_text=_("Fraction entre 0 et 1 : derniers effectifs boursiers / effectifs n-1."),
    )
    survey_answered = models.BooleanField(_("a répondu aux enquêtes régionales"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("situation du lycée")
        verbose_name_plural = _("situations des lycées")
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="situation_one_per_school_year"),
            models.CheckConstraint(
                condition=models.Q(scholarship_rate__gte=0, scholarship_rate__lte=1),
                name="situation_rate_between_0_and_1",
                violation_error_message=_("Le taux de boursiers est une fraction comprise entre 0 et 1."),
            ),
        ]

    def __str__(self):
        return f"{self.school} {self.school_year}"


class CarryOver(models.Model):
    """Carry-over (reliquat) held by a lycée, deducted from that envelope of `school_year` (ARE-6, ARE-9)."""

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(
        SchoolYear,
        verbose_name=_("année scolaire de déduction"),
        on_delete=models.PROTECT,
        related_name="carryovers",
    )
    envelope = models.CharField(_("enveloppe"), max_length=20, choices=Envelope.choices)
    amount = money(_("montant du reliquat"))
    origin = models.CharField(_("origine"), max_length=20, choices=CarryOverOrigin.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reliquat")
        verbose_name_plural = _("reliquats")
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "envelope"], name="carryover_one_per_envelope"),
            non_negative("amount", "carryover_amount_non_negative"),
        ]

    def __str__(self):
        return f"{self.school} {self.school_year} {self.get_envelope_display()} {self.amount}"


class Enrolment(models.Model):
    """First-year enrolments n-1 of a lycée in an eligible formation (ARE-4, ARE-5)."""

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="+")
    formation = models.ForeignKey(
        EligibleFormation, verbose_name=_("formation"), on_delete=models.PROTECT, related_name="enrolments"
    )
    first_year_count = models.PositiveIntegerField(_("effectif de première année n-1"))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("effectif n-1")
        verbose_name_plural = _("effectifs n-1")
        constraints = [
            models.UniqueConstraint(fields=["school", "formation"], name="enrolment_one_per_formation"),
        ]

    def __str__(self):
        return f"{self.school} {self.formation.diploma_code} : {self.first_year_count}"


class Dotation(models.Model):
    """The initial dotation of a lycée, frozen with the parameters used (ARE-4..7).

    Its lines (DotationLine) are written once per campaign run with the dotation and never edited;
    a re-run of a campaign that is not voted yet replaces them. The history of the dotation records
    each computation (totals, counts, forfaits, rate, carry-overs).
    """

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("année scolaire"), on_delete=models.PROTECT, related_name="dotations"
    )
    status = models.CharField(_("état"), max_length=20, choices=DotationStatus.choices, default=DotationStatus.COMPUTED)
    forfait_amount = money(_("forfait par élève"))
    forfait_prepa_metiers_amount = money(_("forfait 3e prépa-métiers"))
    scholarship_rate = models.DecimalField(_("taux de boursiers"), max_digits=5, decimal_places=4)
    survey_answered = models.BooleanField(_("a répondu aux enquêtes régionales"))
    prepa_metiers_count = models.PositiveIntegerField(_("élèves de 3e prépa-métiers"))
    pre_bac_count = models.PositiveIntegerField(_("élèves pré-bac de première année"))
    post_bac_count = models.PositiveIntegerField(_("élèves post-bac de première année"))
    scholarship_holders = models.PositiveIntegerField(_("boursiers post-bac retenus"))
    pre_bac_gross_amount = money(_("dotation pré-bac calculée"))
    post_bac_gross_amount = money(_("dotation post-bac calculée"))
    carryover_pre_bac_amount = money(_("reliquat pré-bac déduit"))
    carryover_post_bac_amount = money(_("reliquat post-bac déduit"))
    pre_bac_due_amount = money(_("dotation pré-bac attribuée"))
    post_bac_due_amount = money(_("dotation post-bac attribuée"))
    total_due_amount = money(_("dotation totale attribuée"))
    computed_at = models.DateTimeField(_("calculée le"))
    standing_committee_reference = models.CharField(
        _("délibération de la commission permanente"), max_length=60, blank=True
    )
    standing_committee_date = models.DateField(_("date du vote"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notifiée le"), null=True, blank=True)
    paid_at = models.DateTimeField(_("versée le"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dotation")
        verbose_name_plural = _("dotations")
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="dotation_one_per_school_year"),
            non_negative("pre_bac_gross_amount", "dotation_pre_gross_non_negative"),
            non_negative("post_bac_gross_amount", "dotation_post_gross_non_negative"),
            non_negative("carryover_pre_bac_amount", "dotation_carry_pre_non_negative"),
            non_negative("carryover_post_bac_amount", "dotation_carry_post_non_negative"),
            non_negative("pre_bac_due_amount", "dotation_pre_due_non_negative"),
            non_negative("post_bac_due_amount", "dotation_post_due_non_negative"),
            non_negative("total_due_amount", "dotation_total_non_negative"),
            non_negative("forfait_amount", "dotation_forfait_non_negative"),
            non_negative("forfait_prepa_metiers_amount", "dotation_forfait_prepa_non_negative"),
        ]

    def __str__(self):
        return f"{self.school} {self.school_year}"

    @property
    def reference(self) -> str:
        return f"ARE-{self.school_year.label}-{self.school.code}"


class DotationLine(models.Model):
    """One formation of a dotation, frozen at computation (code, title, enrolments, forfait).

    Created in bulk with its dotation (TRAPS: bulk_create leaves no history row); lines are never
    updated, so the dotation's own history dates every computation they belong to.
    """

    dotation = models.ForeignKey(Dotation, verbose_name=_("dotation"), on_delete=models.CASCADE, related_name="lines")
    formation = models.ForeignKey(
        EligibleFormation, verbose_name=_("formation"), on_delete=models.PROTECT, related_name="+"
    )
    envelope = models.CharField(_("enveloppe"), max_length=20, choices=Envelope.choices)
    level = models.CharField(_("niveau"), max_length=20, choices=FormationLevel.choices)
    nsf_code = models.CharField(_("spécialité NSF"), max_length=3)
    diploma_code = models.CharField(_("code diplôme"), max_length=8)
    title = models.CharField(_("libellé"), max_length=300)
    enrolments = models.PositiveIntegerField(_("effectif n-1"))
    forfait_amount = money(_("forfait"))
    gross_amount = money(
        _("montant calculé"),
        null=True,
        blank=True,
        help_text=_("Vide en post-bac : le calcul porte sur les boursiers."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne de dotation")
        verbose_name_plural = _("lignes de dotation")
        ordering = ["envelope", "level", "nsf_code", "diploma_code"]
        constraints = [
            non_negative("gross_amount", "dotationline_amount_non_negative"),
            non_negative("forfait_amount", "dotationline_forfait_non_negative"),
        ]

    def __str__(self):
        return f"{self.diploma_code} {self.enrolments}"


class SupplementaryRequest(models.Model):
    """A lycée's written request for a supplementary dotation (ARE-8)."""

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("année scolaire"), on_delete=models.PROTECT)
    status = models.CharField(_("état"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    justification = models.TextField(_("motif de la demande"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposée par"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("déposée le"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    forfait_amount = money(_("forfait appliqué"), null=True, blank=True)
    forfait_prepa_metiers_amount = money(_("forfait 3e prépa-métiers appliqué"), null=True, blank=True)
    pre_bac_amount = money(_("montant pré-bac accordé"), null=True, blank=True)
    post_bac_amount = money(_("montant post-bac accordé"), null=True, blank=True)
    total_amount = money(_("montant total accordé"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demande de dotation complémentaire")
        verbose_name_plural = _("demandes de dotation complémentaire")
        ordering = ["-submitted_at"]
        constraints = [
            non_negative("pre_bac_amount", "supplementary_pre_non_negative"),
            non_negative("post_bac_amount", "supplementary_post_non_negative"),
            non_negative("total_amount", "supplementary_total_non_negative"),
            non_negative("forfait_amount", "supplementary_forfait_non_negative"),
            non_negative("forfait_prepa_metiers_amount", "supplementary_forfait_prepa_non_negative"),
        ]

    def __str__(self):
        return f"DC-{self.pk} {self.school}"

    @property
    def reference(self) -> str:
        return f"ARE-DC-{self.school_year.label}-{self.pk}"


class SupplementaryRequestLine(models.Model):
    """Per eligible formation, the additional pupils (pré-bac) or scholarship holders (post-bac)."""

    request = models.ForeignKey(
        SupplementaryRequest, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="lines"
    )
    formation = models.ForeignKey(
        EligibleFormation, verbose_name=_("formation"), on_delete=models.PROTECT, related_name="+"
    )
    additional_count = models.PositiveIntegerField(_("effectif supplémentaire"))
    amount = money(_("montant accordé"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne de demande complémentaire")
        verbose_name_plural = _("lignes de demande complémentaire")
        constraints = [
            models.UniqueConstraint(fields=["request", "formation"], name="supplementary_line_one_per_formation"),
            non_negative("amount", "supplementary_line_non_negative"),
            models.CheckConstraint(
                condition=models.Q(additional_count__gt=0),
                name="supplementary_line_positive",
                violation_error_message=_("L'effectif supplémentaire doit être positif."),
            ),
        ]

    def __str__(self):
        return f"{self.formation.diploma_code} +{self.additional_count}"


class UsageReport(models.Model):
    """Year-end usage report of a lycée (ARE-9), frozen at submission."""

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("année scolaire"), on_delete=models.PROTECT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposé par"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("déposé le"))
    received_pre_bac_amount = money(_("dotations pré-bac reçues"))
    received_post_bac_amount = money(_("dotations post-bac reçues"))
    carryover_pre_bac_amount = money(_("reliquat pré-bac de l'année antérieure"))
    carryover_post_bac_amount = money(_("reliquat post-bac de l'année antérieure"))
    spent_pre_bac_amount = money(_("dépenses pré-bac"))
    spent_post_bac_amount = money(_("dépenses post-bac"))
    remaining_pre_bac_amount = money(_("reliquat pré-bac reporté"))
    remaining_post_bac_amount = money(_("reliquat post-bac reporté"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compte rendu d'utilisation")
        verbose_name_plural = _("comptes rendus d'utilisation")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="usagereport_one_per_school_year"),
            *[
                non_negative(f"{name}_amount", f"usagereport_{name}_non_negative")
                for name in (
                    "received_pre_bac",
                    "received_post_bac",
                    "carryover_pre_bac",
                    "carryover_post_bac",
                    "spent_pre_bac",
                    "spent_post_bac",
                    "remaining_pre_bac",
                    "remaining_post_bac",
                )
            ],
        ]

    def __str__(self):
        return f"CR {self.school} {self.school_year}"

    @property
    def reference(self) -> str:
        return f"ARE-CR-{self.school_year.label}-{self.school.code}"


class UsageReportLine(models.Model):
    """Per formation: pupils equipped, amount spent and equipment types (ARE-9)."""

    report = models.ForeignKey(
        UsageReport, verbose_name=_("compte rendu"), on_delete=models.CASCADE, related_name="lines"
    )
    formation = models.ForeignKey(
        EligibleFormation, verbose_name=_("formation"), on_delete=models.PROTECT, related_name="+"
    )
    pupils_equipped = models.PositiveIntegerField(_("élèves équipés"))
    non_scholarship_equipped = models.PositiveIntegerField(
        _("dont non boursiers équipés sur décision du chef d'établissement"), default=0
    )
    spent_amount = money(_("montant des achats"))
    equipment_types = models.JSONField(_("types d'équipements"), default=list)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne de compte rendu")
        verbose_name_plural = _("lignes de compte rendu")
        constraints = [
            models.UniqueConstraint(fields=["report", "formation"], name="usagereport_line_one_per_formation"),
            non_negative("spent_amount", "usagereport_line_spent_non_negative"),
        ]

    def __str__(self):
        return f"{self.formation.diploma_code} {self.spent_amount}"

    @property
    def equipment_labels(self) -> list[str]:
        labels = dict(EquipmentType.choices)
        return [str(labels.get(t, t)) for t in self.equipment_types]


class CpgeAidRequest(models.Model):
    """CPGE competition-fee aid for one pupil (ARE-10), amount frozen at submission."""

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("année scolaire"), on_delete=models.PROTECT)
    pupil_last_name = models.CharField(_("nom de l'élève"), max_length=100)
    pupil_first_name = models.CharField(_("prénom de l'élève"), max_length=100)
    second_year = models.BooleanField(_("en deuxième année de CPGE"))
    family_quotient_amount = money(_("quotient familial régional annuel"))
    competitions = models.PositiveSmallIntegerField(_("nombre de concours présentés"))
    forfait_amount = money(_("forfait par concours"))
    aid_amount = money(_("aide accordée"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposée par"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("déposée le"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aide aux frais de concours CPGE")
        verbose_name_plural = _("aides aux frais de concours CPGE")
        ordering = ["-submitted_at"]
        constraints = [
            non_negative("family_quotient_amount", "cpge_quotient_non_negative"),
            non_negative("forfait_amount", "cpge_forfait_non_negative"),
            non_negative("aid_amount", "cpge_aid_non_negative"),
        ]

    def __str__(self):
        return f"{self.pupil_last_name} {self.pupil_first_name} ({self.school})"
