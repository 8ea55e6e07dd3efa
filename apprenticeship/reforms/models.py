"""A reform scenario and its parameter rows. A draft changes no amount shown anywhere: only its
adoption (`services.reform_adopt`) writes effective-dated reference data."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import DifferencePayer, ReformBasis, ReformProgramme, ReformStatus


class ReformScenario(models.Model):
    """A named set of reformed rates with its effective date (possibly retroactive), its legal
    source, the rule "keep the higher of the current and the reformed amount", who pays the
    difference, and the yearly bonus per contract for the persons who train the apprentice."""

    name = models.CharField(_("intitulé"), max_length=200, unique=True)
    status = models.CharField(_("statut"), max_length=10, choices=ReformStatus.choices, default=ReformStatus.DRAFT)
    effective_from = models.DateField(
        _("applicable à partir du"), help_text=_("Premier jour d'un mois ; la date peut être antérieure au vote.")
    )
    legal_source = models.CharField(_("source juridique"), max_length=300)
    keep_higher = models.BooleanField(
        _("maintien du montant actuel s'il est plus élevé"),
        default=True,
    )
    difference_payer = models.CharField(
        _("différence à la charge de"), max_length=10, choices=DifferencePayer.choices, default=DifferencePayer.STATE
    )
    trainer_bonus_amount = models.DecimalField(
        _("prime annuelle des formateurs par contrat"), max_digits=12, decimal_places=2, default=0
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    adopted_at = models.DateTimeField(_("adopté le"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopté par"),
    )
    # The rates in force the day before the effective date, kept at adoption: the State's share of
    # the arrears is the reformed amount minus what these rates give.
    former_rates = models.JSONField(_("taux antérieurs"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scénario de réforme")
        verbose_name_plural = _("scénarios de réforme")
        ordering = ["-effective_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trainer_bonus_amount__gte=0),
                name="reformscenario_bonus_non_negative",
                violation_error_message=_("Le montant ne peut pas être négatif."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == ReformStatus.DRAFT

    def clean(self):
        super().clean()
        if self.effective_from and self.effective_from.day != 1:
            raise ValidationError({"effective_from": _("La date d'effet doit être le premier jour d'un mois.")})


class ReformRate(models.Model):
    """One reformed rate: for a programme (diploma or cross-border), a duration (empty: any) and a
    training year, the rate before and after the PII, as a % of the unqualified SSM or at index 100."""

    scenario = models.ForeignKey(
        ReformScenario, on_delete=models.CASCADE, related_name="rates", verbose_name=_("scénario")
    )
    programme = models.CharField(_("formation"), max_length=12, choices=ReformProgramme.choices)
    duration_years = models.PositiveSmallIntegerField(
        _("durée (années)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Vide : quelle que soit la durée."),
    )
    training_year = models.PositiveSmallIntegerField(
        _("année de formation"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    basis = models.CharField(_("base"), max_length=12, choices=ReformBasis.choices, default=ReformBasis.SSM_PERCENT)
    value_before_pii = models.DecimalField(_("avant PII"), max_digits=10, decimal_places=4)
    value_after_pii = models.DecimalField(_("après PII"), max_digits=10, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("taux d'un scénario de réforme")
        verbose_name_plural = _("taux des scénarios de réforme")
        ordering = ["scenario", "programme", "duration_years", "training_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "programme", "duration_years", "training_year"],
                name="reformrate_one_per_case",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=models.Q(value_before_pii__gt=0, value_after_pii__gte=models.F("value_before_pii")),
                name="reformrate_values_valid",
                violation_error_message=_("Les valeurs doivent être positives, celle après PII au moins égale."),
            ),
            models.CheckConstraint(
                condition=~models.Q(basis="ssm_percent") | models.Q(value_after_pii__lte=100),
                name="reformrate_percent_at_most_100",
                violation_error_message=_("Un taux ne peut dépasser 100 % du SSM."),
            ),
        ]

    def __str__(self):
        duration = f" {self.duration_years} ans" if self.duration_years else ""
        return f"{self.programme}{duration} {self.training_year} : {self.value_before_pii} / {self.value_after_pii}"

    def clean(self):
        super().clean()
        if self.training_year and self.duration_years and self.training_year > self.duration_years:
            raise ValidationError({"training_year": _("L'année de formation dépasse la durée.")})


class ReformSimulation(models.Model):
    """The result of one simulation of a scenario over the caseload (totals only; the per-contract
    detail is the job's downloadable file)."""

    scenario = models.ForeignKey(
        ReformScenario, on_delete=models.CASCADE, related_name="simulations", verbose_name=_("scénario")
    )
    run_at = models.DateTimeField(_("calculée le"), auto_now_add=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("demandée par")
    )
    contracts = models.PositiveIntegerField(_("contrats simulés"), default=0)
    skipped = models.PositiveIntegerField(_("contrats non calculables"), default=0)
    current_amount = models.DecimalField(_("indemnités actuelles"), max_digits=14, decimal_places=2, default=0)
    reformed_amount = models.DecimalField(_("indemnités réformées"), max_digits=14, decimal_places=2, default=0)
    difference_amount = models.DecimalField(_("différence"), max_digits=14, decimal_places=2, default=0)
    state_amount = models.DecimalField(_("à la charge de l'État"), max_digits=14, decimal_places=2, default=0)
    employer_amount = models.DecimalField(_("à la charge des employeurs"), max_digits=14, decimal_places=2, default=0)
    bonus_amount = models.DecimalField(_("primes des formateurs"), max_digits=14, decimal_places=2, default=0)
    totals = models.JSONField(_("totaux"), default=dict)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("simulation d'une réforme")
        verbose_name_plural = _("simulations de réformes")
        ordering = ["-run_at", "-id"]

    def __str__(self):
        return f"{self.scenario} — {self.run_at:%d/%m/%Y %H:%M}"
