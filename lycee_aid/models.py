"""ARE Île-de-France (seed 003): school years and forfaits, eligible formations, enrolments n-1,
scholarship rates and carry-overs, dotations with their frozen lines, supplementary requests,
usage reports and CPGE competition-fee aid."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import School

from .enums import (
    VOTED_STATUSES,
    CampaignStatus,
    CarryOverOrigin,
    CpgeRefusal,
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
        """Voted, notified or paid: the dotations of the year are frozen."""
        return self.campaign_status in VOTED_STATUSES


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
    """A lycée's scholarship count and enrolments, and its survey answer, for a school year (ARE-5, ARE-7).

    ARE-5 (seed 003, note 1): the rate is the académie's latest scholarship count over the lycée's
    enrolments n-1, kept as the two integers and computed exactly (`rules.scholarship_rate`). A rate
    typed as a rounded decimal before that (`legacy_scholarship_rate`) is kept for the record only:
    no computation reads it, and the next campaign asks for the count and the enrolments.
    """

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("année scolaire"), on_delete=models.PROTECT)
    scholarship_count = models.PositiveIntegerField(
        _("effectif boursier communiqué par l'académie"), null=True, blank=True
    )
    school_enrolments = models.PositiveIntegerField(_("effectifs n-1 de l'établissement"), null=True, blank=True)
    legacy_scholarship_rate = models.DecimalField(
        _("taux de boursiers saisi (ancienne saisie, non utilisé)"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        editable=False,
    )
    survey_answered = models.BooleanField(_("a répondu aux enquêtes régionales"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("situation du lycée")
        verbose_name_plural = _("situations des lycées")
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="situation_one_per_school_year"),
            models.CheckConstraint(
                condition=models.Q(scholarship_count__isnull=True, school_enrolments__isnull=True)
                | models.Q(
                    scholarship_count__isnull=False,
                    school_enrolments__gt=0,
                    scholarship_count__lte=models.F("school_enrolments"),
                ),
                name="situation_scholarship_count_within_enrolments",
                violation_error_message=_(
                    "L'effectif boursier est compris entre 0 et les effectifs n-1 de l'établissement."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.school} {self.school_year}"

    @property
    def scholarship_rate(self) -> Fraction | None:
        """The exact rate (ARE-5), or None when the count and the enrolments are not recorded."""
        if self.scholarship_count is None or not self.school_enrolments:
            return None
        return Fraction(self.scholarship_count, self.school_enrolments)


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

    A computation writes the figures (counts, forfaits, scholarship count and enrolments, carry-overs,
    amounts); until the vote, the detail per formation is read from the enrolments themselves
    (they cannot change without making the campaign « à recalculer »). The vote writes the lines
    (DotationLine) once, from those same enrolments, and they are never edited. The history of the
    dotation records each computation and the vote.

    ARE-5: the rate is `scholarship_count / school_enrolments`, exact. Dotations computed before the
    exact rate carry the typed decimal in `legacy_scholarship_rate` and no count.
    """

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("année scolaire"), on_delete=models.PROTECT, related_name="dotations"
    )
    status = models.CharField(_("état"), max_length=20, choices=DotationStatus.choices, default=DotationStatus.COMPUTED)
    forfait_amount = money(_("forfait par élève"))
    forfait_prepa_metiers_amount = money(_("forfait 3e prépa-métiers"))
    scholarship_count = models.PositiveIntegerField(_("effectif boursier retenu"), null=True, blank=True)
    school_enrolments = models.PositiveIntegerField(
        _("effectifs n-1 de l'établissement retenus"), null=True, blank=True
    )
    legacy_scholarship_rate = models.DecimalField(
        _("taux de boursiers saisi (dotations calculées avant le taux exact)"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
    )
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
    # What the paying agent records when it marks the dotation paid (the date of the transfer and
    # the reference of the payment order), so that a payment can be traced in the accounts.
    payment_date = models.DateField(_("date du virement"), null=True, blank=True)
    payment_reference = models.CharField(_("référence du mandat de paiement"), max_length=60, blank=True)

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

    @property
    def scholarship_rate(self) -> Fraction | Decimal | None:
        """The rate the computation used: exact (count / enrolments), or the typed decimal of a
        dotation computed before exact rates."""
        if self.scholarship_count is not None and self.school_enrolments:
            return Fraction(self.scholarship_count, self.school_enrolments)
        return self.legacy_scholarship_rate

    @property
    def scholarship_rate_shown(self) -> Decimal | None:
        """The rate as a decimal for display only (the template rounds it to 4 places)."""
        rate = self.scholarship_rate
        if isinstance(rate, Fraction):
            return Decimal(rate.numerator) / Decimal(rate.denominator)
        return rate


class DotationLine(models.Model):
    """One formation of a voted dotation, frozen at the vote (code, title, enrolments, forfait).

    Written set-based by the vote (`bulk_create` writes no history row); never updated, so the dotation's own
    history dates the vote they belong to. Before the vote, the same figures are read from the
    enrolments (`selectors.dotation_line_list`), unsaved.
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
    """CPGE competition-fee aid for one pupil (ARE-10), amount frozen at submission.

    One request per pupil and school year, across lycées: `pupil_key` is the pupil's name and
    birth date, normalised (case, accents, spaces), and unique within the year. A request filed
    before the birth date was asked for has none, and a name-only key. A 0 € aid always states
    why (`refusal_reason`); the competitions paid are at most three.
    """

    school = models.ForeignKey(School, verbose_name=_("lycée"), on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("année scolaire"), on_delete=models.PROTECT)
    pupil_last_name = models.CharField(_("nom de l'élève"), max_length=100)
    pupil_first_name = models.CharField(_("prénom de l'élève"), max_length=100)
    pupil_birth_date = models.DateField(_("date de naissance de l'élève"), null=True, blank=True)
    pupil_key = models.CharField(_("identité normalisée de l'élève"), max_length=220, null=True, editable=False)
    second_year = models.BooleanField(_("en deuxième année de CPGE"))
    family_quotient_amount = money(_("quotient familial régional annuel"))
    competitions = models.PositiveSmallIntegerField(_("nombre de concours présentés"))
    competitions_paid = models.PositiveSmallIntegerField(_("concours pris en charge"))
    forfait_amount = money(_("forfait par concours"))
    aid_amount = money(_("aide accordée"))
    refusal_reason = models.CharField(
        _("motif d'une aide nulle"), max_length=30, choices=CpgeRefusal.choices, blank=True
    )
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
            models.UniqueConstraint(
                fields=["school_year", "pupil_key"],
                name="cpge_one_request_per_pupil_and_year",
                violation_error_message=_("Une seule demande par élève et par année scolaire."),
            ),
            models.CheckConstraint(
                condition=models.Q(competitions_paid__lte=3)
                & models.Q(competitions_paid__lte=models.F("competitions")),
                name="cpge_at_most_three_competitions_paid",
                violation_error_message=_("Trois concours au plus sont pris en charge par élève."),
            ),
            models.CheckConstraint(
                condition=models.Q(aid_amount__gt=0, refusal_reason="")
                | (models.Q(aid_amount=0) & ~models.Q(refusal_reason="")),
                name="cpge_zero_aid_has_a_reason",
                violation_error_message=_("Une aide nulle indique toujours son motif."),
            ),
        ]

    def __str__(self):
        return f"{self.pupil_last_name} {self.pupil_first_name} ({self.school})"
