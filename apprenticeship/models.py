"""Apprenticeship contracts and their reference data (docs/rules.md "apprenticeship")."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import EffectiveDated, School

from .enums import ContractStatus, Diploma, FormationLevel, Sector


def _non_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0}),
        name=name,
        violation_error_message=_("Le montant ne peut pas être négatif."),
    )


class Employer(models.Model):
    """A company that trains apprentices; `accounts` are the employer users who see its contracts."""

    name = models.CharField(_("raison sociale"), max_length=200, unique=True)
    registration_number = models.CharField(_("numéro RCS"), max_length=30, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="employers", blank=True, verbose_name=_("comptes employeur")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employeur")
        verbose_name_plural = _("employeurs")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Trade(models.Model):
    """A Luxembourg trade (métier) prepared by apprenticeship."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("intitulé"), max_length=200)
    diploma = models.CharField(_("diplôme"), max_length=3, choices=Diploma.choices)
    duration_years = models.PositiveSmallIntegerField(
        _("durée (années)"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("métier")
        verbose_name_plural = _("métiers")
        ordering = ["diploma", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_years__gte=1, duration_years__lte=4),
                name="trade_duration_1_to_4",
                violation_error_message=_("La durée doit être comprise entre 1 et 4 ans."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.diploma})"


class TradeRate(EffectiveDated):
    """APP-1: indemnity rate (% of the unqualified SSM) of a trade for a training year, before and
    after the PII success (APP-3), effective-dated, with its source."""

    trade = models.ForeignKey(Trade, on_delete=models.PROTECT, related_name="rates", verbose_name=_("métier"))
    training_year = models.PositiveSmallIntegerField(
        _("année de formation"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    rate_before_pii = models.DecimalField(_("taux avant PII (%)"), max_digits=5, decimal_places=2)
    rate_after_pii = models.DecimalField(_("taux après PII (%)"), max_digits=5, decimal_places=2)
    is_demo = models.BooleanField(
        _("taux de démonstration"),
        default=False,
        help_text=_("Valeur choisie dans la fourchette du barème, à remplacer par le taux du règlement grand-ducal."),
    )

    period_key = ("trade", "training_year")

    history = HistoricalRecords()

    class Meta(EffectiveDated.Meta):
        verbose_name = _("taux d'indemnité d'un métier")
        verbose_name_plural = _("taux d'indemnité des métiers")
        ordering = ["trade", "training_year", "-valid_from"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(fields=["trade", "training_year", "valid_from"], name="traderate_one_per_date"),
            models.CheckConstraint(
                condition=models.Q(rate_before_pii__gt=0, rate_before_pii__lte=100)
                & models.Q(rate_after_pii__gte=models.F("rate_before_pii"), rate_after_pii__lte=100),
                name="traderate_rates_valid",
                violation_error_message=_(
                    "Les taux doivent être compris entre 0 et 100 %, le taux après PII au moins égal au taux avant PII."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.trade.code} {self.training_year} : {self.rate_before_pii} / {self.rate_after_pii} %"

    def clean(self):
        super().clean()
        if self.trade_id and self.training_year and self.training_year > self.trade.duration_years:
            raise ValidationError(
                {"training_year": _("Ce métier se prépare en %(n)s ans.") % {"n": self.trade.duration_years}}
            )


class Approval(models.Model):
    """An employer's approval (agrément) to train apprentices in a trade (APP-8)."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("employeur")
    )
    trade = models.ForeignKey(Trade, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("métier"))
    reference = models.CharField(_("référence de l'agrément"), max_length=50)
    granted_on = models.DateField(_("accordé le"))
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agrément")
        verbose_name_plural = _("agréments")
        ordering = ["employer", "trade"]

    def __str__(self):
        return f"{self.employer} — {self.trade.code} ({self.reference})"

    def clean(self):
        super().clean()
        if self.valid_until and self.granted_on and self.valid_until < self.granted_on:
            raise ValidationError({"valid_until": _("La date de fin précède la date d'octroi.")})


class Apprentice(models.Model):
    last_name = models.CharField(_("nom"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"))
    national_id = models.CharField(
        _("matricule national"),
        max_length=13,
        unique=True,
        validators=[RegexValidator(r"^\d{13}$", _("Le matricule national compte 13 chiffres."))],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("apprenti")
        verbose_name_plural = _("apprentis")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"


class CrossBorderFormation(models.Model):
    """A French formation offered in cross-border apprenticeship (CIG France–Luxembourg)."""

    title = models.CharField(_("intitulé"), max_length=250, unique=True)
    level = models.CharField(_("niveau"), max_length=3, choices=FormationLevel.choices)
    duration_years = models.PositiveSmallIntegerField(
        _("durée (années)"), validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    offered_from = models.DateField(_("proposée à partir du"))
    offered_until = models.DateField(_("proposée jusqu'au"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("formation transfrontalière")
        verbose_name_plural = _("formations transfrontalières")
        ordering = ["level", "title"]

    def __str__(self):
        return self.title


class CrossBorderRate(EffectiveDated):
    """APP-5: indemnity of a cross-border formation at index 100 for a training year."""

    formation = models.ForeignKey(
        CrossBorderFormation, on_delete=models.PROTECT, related_name="rates", verbose_name=_("formation")
    )
    training_year = models.PositiveSmallIntegerField(
        _("année de formation"), validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    amount_at_100 = models.DecimalField(_("indemnité au nombre indice 100"), max_digits=10, decimal_places=4)

    period_key = ("formation", "training_year")

    history = HistoricalRecords()

    class Meta(EffectiveDated.Meta):
        verbose_name = _("indemnité d'une formation transfrontalière")
        verbose_name_plural = _("indemnités des formations transfrontalières")
        ordering = ["formation", "training_year", "-valid_from"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(
                fields=["formation", "training_year", "valid_from"], name="crossborderrate_one_per_date"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_at_100__gt=0),
                name="crossborderrate_amount_positive",
                violation_error_message=_("Le montant doit être positif."),
            ),
        ]

    def __str__(self):
        return f"{self.formation} — {self.training_year} : {self.amount_at_100}"


class ContractQuerySet(models.QuerySet):
    """`deferred_pages()`: a slice (a page of a list) reads the ids of the page first, in a
    subquery that needs no join, then the rows with what the list shows (at regional scale: page 1 000 of
    100 000 contracts would otherwise join 50 000 rows only to skip them). Still one query."""

    _deferred_pages = False

    def deferred_pages(self):
        clone = self._chain()
        clone._deferred_pages = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._deferred_pages = self._deferred_pages
        return clone

    def __getitem__(self, k):
        if not (self._deferred_pages and isinstance(k, slice) and self._result_cache is None):
            return super().__getitem__(k)
        ids = self.values("pk")
        ids._deferred_pages = False
        ids = ids[k]
        page = self.model._default_manager.filter(pk__in=ids)
        page.query.select_related = self.query.select_related
        page.query.deferred_loading = self.query.deferred_loading
        page.query.order_by = self.query.order_by
        page.query.default_ordering = self.query.default_ordering
        return page


class Contract(models.Model):
    reference = models.CharField(_("référence"), max_length=20, unique=True, editable=False)
    apprentice = models.ForeignKey(
        Apprentice, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("apprenti")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("employeur")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="apprenticeships", verbose_name=_("lycée")
    )
    trade = models.ForeignKey(
        Trade, on_delete=models.PROTECT, null=True, blank=True, related_name="contracts", verbose_name=_("métier")
    )
    formation = models.ForeignKey(
        CrossBorderFormation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("formation transfrontalière"),
    )
    tutor_name = models.CharField(_("tuteur"), max_length=200, blank=True)
    tutor_qualification = models.CharField(_("qualification du tuteur"), max_length=200, blank=True)
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    first_training_year = models.PositiveSmallIntegerField(
        _("année de formation au début"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    chamber_registered_on = models.DateField(_("enregistré à la chambre le"), null=True, blank=True)
    chamber_reference = models.CharField(_("numéro d'enregistrement à la chambre"), max_length=50, blank=True)
    is_adult = models.BooleanField(_("apprenti adulte"), default=False)
    pii_notified_on = models.DateField(_("réussite du PII notifiée le"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    ended_on = models.DateField(_("terminé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = ContractQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contrat d'apprentissage")
        verbose_name_plural = _("contrats d'apprentissage")
        ordering = ["-start_date", "reference"]
        indexes = [
            # The order of the lists, for everyone and per employer, carrying the columns of the
            # usual filters (school year, status): pages and counts read the index only, at any scale.
            models.Index(fields=["-start_date", "reference", "end_date", "status"], name="contract_list_order"),
            models.Index(
                fields=["employer", "-start_date", "reference", "end_date", "status"], name="contract_employer_order"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="contract_end_after_start",
                violation_error_message=_("La date de fin doit être postérieure à la date de début."),
            ),
            models.CheckConstraint(
                condition=(models.Q(trade__isnull=False) & models.Q(formation__isnull=True))
                | (models.Q(trade__isnull=True) & models.Q(formation__isnull=False)),
                name="contract_trade_xor_formation",
                violation_error_message=_("Indiquez soit un métier, soit une formation transfrontalière."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.apprentice}"

    @property
    def is_cross_border(self) -> bool:
        return self.formation_id is not None

    @property
    def programme(self):
        return self.trade or self.formation

    @property
    def duration_years(self) -> int:
        return self.programme.duration_years

    @property
    def aid_diploma(self) -> str:
        return "CROSS_BORDER" if self.is_cross_border else self.trade.diploma

    @property
    def effective_end(self):
        """The last day paid: the end date, or the day the contract ended early."""
        return min(self.end_date, self.ended_on) if self.ended_on else self.end_date


class TrainingYear(models.Model):
    """The training year of a contract in a school year (a repeated year is recorded as such)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="training_years", verbose_name=_("contrat")
    )
    school_year = models.PositiveSmallIntegerField(_("année scolaire (première année civile)"))
    training_year = models.PositiveSmallIntegerField(
        _("année de formation"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    repeated = models.BooleanField(_("année redoublée"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("année de formation")
        verbose_name_plural = _("années de formation")
        ordering = ["contract", "school_year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "school_year"], name="trainingyear_one_per_school_year")
        ]

    def __str__(self):
        return f"{self.contract.reference} {self.school_year}-{self.school_year + 1} : {self.training_year}"


class Payment(models.Model):
    """What the employer actually paid for a month (APP-9), with the amount due as computed when
    it was recorded (frozen: a later index shows as a difference, not as a rewrite)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments", verbose_name=_("contrat"))
    month = models.DateField(_("mois"))
    paid_amount = models.DecimalField(_("montant versé"), max_digits=12, decimal_places=2)
    due_amount = models.DecimalField(_("montant dû lors de la saisie"), max_digits=12, decimal_places=2)
    index = models.DecimalField(_("nombre indice appliqué"), max_digits=7, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("saisi par")
    )
    recorded_at = models.DateTimeField(_("saisi le"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("versement")
        verbose_name_plural = _("versements")
        ordering = ["contract", "month"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "month"], name="payment_one_per_month"),
            _non_negative("paid_amount", "payment_paid_amount_non_negative"),
            _non_negative("due_amount", "payment_due_amount_non_negative"),
        ]

    def __str__(self):
        return f"{self.contract.reference} {self.month:%m/%Y} : {self.paid_amount}"


class Statement(models.Model):
    """An issued schedule statement: its lines and parameters are frozen when issued (pretix)."""

    reference = models.CharField(_("référence"), max_length=30, unique=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="statements", verbose_name=_("contrat")
    )
    issued_at = models.DateTimeField(_("émis le"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("émis par")
    )
    parameters = models.JSONField(_("paramètres appliqués"), default=dict)
    total_due_amount = models.DecimalField(_("total dû"), max_digits=12, decimal_places=2)
    total_reimbursement_amount = models.DecimalField(_("total remboursé par l'État"), max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relevé émis")
        verbose_name_plural = _("relevés émis")
        ordering = ["-issued_at", "-id"]
        constraints = [
            _non_negative("total_due_amount", "statement_total_due_non_negative"),
            _non_negative("total_reimbursement_amount", "statement_total_reimbursement_non_negative"),
        ]

    def __str__(self):
        return self.reference


class StatementLine(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("relevé"))
    month = models.DateField(_("mois"))
    days_covered = models.PositiveSmallIntegerField(_("jours couverts"))
    days_in_month = models.PositiveSmallIntegerField(_("jours du mois"))
    training_year = models.PositiveSmallIntegerField(_("année de formation"))
    index = models.DecimalField(_("nombre indice"), max_digits=7, decimal_places=2)
    ssm_at_100 = models.DecimalField(_("SSM au nombre indice 100"), max_digits=8, decimal_places=2)
    ssm_amount = models.DecimalField(_("SSM"), max_digits=12, decimal_places=2)
    rate_percent = models.DecimalField(_("taux (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount_at_100 = models.DecimalField(
        _("indemnité au nombre indice 100"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    pii = models.BooleanField(_("majoration PII"))
    monthly_amount = models.DecimalField(_("indemnité mensuelle"), max_digits=12, decimal_places=2)
    standard_amount = models.DecimalField(_("indemnité du mois"), max_digits=12, decimal_places=2)
    reimbursement_amount = models.DecimalField(_("remboursement de l'État"), max_digits=12, decimal_places=2)
    due_amount = models.DecimalField(_("montant dû"), max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne de relevé")
        verbose_name_plural = _("lignes de relevé")
        ordering = ["statement", "month"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "month"], name="statementline_one_per_month"),
            _non_negative("due_amount", "statementline_due_non_negative"),
            _non_negative("standard_amount", "statementline_standard_non_negative"),
            _non_negative("monthly_amount", "statementline_monthly_non_negative"),
            _non_negative("reimbursement_amount", "statementline_reimbursement_non_negative"),
            _non_negative("ssm_amount", "statementline_ssm_non_negative"),
        ]

    def __str__(self):
        return f"{self.statement_id} {self.month:%m/%Y}"

    @property
    def prorated(self) -> bool:
        return self.days_covered != self.days_in_month


class AidRequest(models.Model):
    """APP-6 / APP-7: the employer aid for one apprenticeship year, as prepared (frozen)."""

    reference = models.CharField(_("référence"), max_length=30, unique=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="aid_requests", verbose_name=_("contrat")
    )
    school_year = models.PositiveSmallIntegerField(_("année d'apprentissage (première année civile)"))
    diploma = models.CharField(_("régime"), max_length=12)
    months = models.PositiveSmallIntegerField(_("mois couverts"))
    gross_amount = models.DecimalField(_("indemnités brutes de l'année"), max_digits=12, decimal_places=2)
    aid_percent = models.DecimalField(_("taux de l'aide (%)"), max_digits=5, decimal_places=2)
    aid_amount = models.DecimalField(_("aide de promotion"), max_digits=12, decimal_places=2)
    social_charges_amount = models.DecimalField(
        _("part patronale des charges sociales déclarée"), max_digits=12, decimal_places=2
    )
    total_amount = models.DecimalField(_("total demandé"), max_digits=12, decimal_places=2)
    deadline = models.DateField(_("date de forclusion"))
    prepared_at = models.DateTimeField(_("préparée le"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("préparée par")
    )
    lines = models.JSONField(_("détail mensuel"), default=list)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demande d'aide de promotion de l'apprentissage")
        verbose_name_plural = _("demandes d'aide de promotion de l'apprentissage")
        ordering = ["-prepared_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "school_year"], name="aidrequest_one_per_year"),
            _non_negative("gross_amount", "aidrequest_gross_non_negative"),
            _non_negative("aid_amount", "aidrequest_aid_non_negative"),
            _non_negative("social_charges_amount", "aidrequest_charges_non_negative"),
            _non_negative("total_amount", "aidrequest_total_non_negative"),
        ]

    def __str__(self):
        return self.reference

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}-{self.school_year + 1}"


# Reform scenarios live in their own module of the app; imported here so Django registers them.
from .reforms.models import ReformRate, ReformScenario, ReformSimulation  # noqa: E402

__all__ = [
    "AidRequest",
    "Apprentice",
    "Approval",
    "Contract",
    "CrossBorderFormation",
    "CrossBorderRate",
    "Employer",
    "Payment",
    "ReformRate",
    "ReformScenario",
    "ReformSimulation",
    "Statement",
    "StatementLine",
    "Trade",
    "TradeRate",
    "TrainingYear",
]
