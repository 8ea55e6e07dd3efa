"""The shared tables: schools, users and their roles, effective-dated reference data (index, SSM), the
append-only journal `AuditEvent`, background jobs."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .enums import Academy, Country, JobStatus, Role, Scheme, SchoolSector
from .rules import periods_overlap


class EffectiveDatedQuerySet(models.QuerySet):
    """Reference data valid over a period (each value is valid from a date; the one in force on a date is looked up, never hard-coded).

    The queryset side of `core.rules.value_in_force`: both apply CORE-2 with end dates, so a
    lookup in SQL and a lookup in memory over `periods()` always agree.
    """

    def in_force(self, *, on: date):
        """Rows whose period contains `on`, the latest start first (CORE-2)."""
        return (
            self.filter(valid_from__lte=on)
            .filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on))
            .order_by("-valid_from")
        )

    def current(self, *, on: date):
        """The row in force on `on`, or None when no period contains it (never an ended row)."""
        return self.in_force(on=on).first()

    def periods(self, value: str) -> list[tuple[date, date | None, object]]:
        """(valid_from, valid_until, value) triples for `core.rules.value_in_force`, in one query."""
        return list(self.values_list("valid_from", "valid_until", value))


class EffectiveDated(models.Model):
    """A value of a series valid from `valid_from` to `valid_until` inclusive (None: open-ended).

    `period_key` names the fields that identify a series (a trade and a training year, an act…);
    the periods of one series never overlap (CORE-2). `core.services.effective_dated_save` fits a
    new period into its series: the period it starts within ends the day before, and an open end
    stops the day before the next period. `clean()` refuses what fitting cannot resolve.
    """

    valid_from = models.DateField(_("applicable à partir du"))
    valid_until = models.DateField(_("applicable jusqu'au"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    period_key: tuple[str, ...] = ()

    objects = EffectiveDatedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_period_ordered",
                violation_error_message=_("La date de fin précède la date de début."),
            ),
        ]

    def series(self) -> models.QuerySet:
        """The other periods of the same series (empty while the key is incomplete)."""
        key = {}
        for name in self.period_key:
            attname = self._meta.get_field(name).attname
            if getattr(self, attname) is None:
                return type(self)._default_manager.none()
            key[attname] = getattr(self, attname)
        return type(self)._default_manager.filter(**key).exclude(pk=self.pk)

    def fit(self) -> tuple[date | None, EffectiveDated | None]:
        """How this period fits into its series: (its end, the earlier period to end the day before).

        An open end stops the day before the next period of the series; an earlier period that
        contains this start ends the day before it (the usual publication of a new value).
        """
        until = self.valid_until
        if until is None:
            following = self.series().filter(valid_from__gt=self.valid_from).order_by("valid_from").first()
            if following is not None:
                until = following.valid_from - timedelta(days=1)
        previous = self.series().filter(valid_from__lt=self.valid_from).order_by("-valid_from").first()
        if previous is not None and (previous.valid_until is None or previous.valid_until >= self.valid_from):
            return until, previous
        return until, None

    def clean(self):
        super().clean()
        if self.valid_from is None:
            return
        if self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("La date de fin précède la date de début.")})
        until, to_end = self.fit()
        for other in self.series():
            other_until = (
                self.valid_from - timedelta(days=1) if (to_end and other.pk == to_end.pk) else other.valid_until
            )
            if periods_overlap(self.valid_from, until, other.valid_from, other_until):
                raise ValidationError(
                    {
                        "valid_from": _(
                            "Cette période chevauche celle qui s'applique du %(start)s au %(end)s ; "
                            "modifiez l'une des deux dates."
                        )
                        % {
                            "start": other.valid_from.strftime("%d/%m/%Y"),
                            "end": other_until.strftime("%d/%m/%Y") if other_until else _("(sans fin)"),
                        }
                    }
                )


class School(models.Model):
    code = models.CharField(
        _("identifiant"),
        max_length=20,
        unique=True,
        help_text=_("UAI pour la France, code du lycée pour le Luxembourg."),
    )
    name = models.CharField(pgettext_lazy("school", "nom"), max_length=200)
    country = models.CharField(_("pays"), max_length=2, choices=Country.choices)
    sector = models.CharField(_("secteur"), max_length=30, choices=SchoolSector.choices)
    academy = models.CharField(_("académie"), max_length=20, choices=Academy.choices, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(country="FR") | ~models.Q(academy=""),
                name="school_french_has_academy",
                violation_error_message=_("Un lycée français doit avoir une académie."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class User(AbstractUser):
    """An account with one role and its scope (schools for lycée staff, schemes for officers).

    Employers are attached to their company by the apprenticeship app (Employer.accounts).
    """

    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.LYCEE_STAFF)
    schools = models.ManyToManyField(School, verbose_name=_("établissements"), blank=True, related_name="staff")
    schemes = models.JSONField(
        _("dispositifs suivis"), default=list, blank=True, help_text=_("Pour un agent : les dispositifs qu'il gère.")
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")

    def clean(self):
        super().clean()
        unknown = set(self.schemes or []) - set(Scheme.values)
        if unknown:
            raise ValidationError({"schemes": _("Dispositif inconnu : %(s)s") % {"s": ", ".join(sorted(unknown))}})


class LuxIndex(EffectiveDated):
    """Luxembourg index (cote d'application) with its application date (CORE-2)."""

    value = models.DecimalField(_("nombre indice"), max_digits=7, decimal_places=2)

    history = HistoricalRecords()

    class Meta(EffectiveDated.Meta):
        verbose_name = _("nombre indice")
        verbose_name_plural = _("nombres indices")
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(fields=["valid_from"], name="luxindex_one_per_date"),
            models.CheckConstraint(
                condition=models.Q(value__gt=100),
                name="luxindex_value_above_100",
                violation_error_message=_("Le nombre indice doit être supérieur à 100."),
            ),
        ]

    def __str__(self):
        return f"{self.value} ({self.valid_from:%d/%m/%Y})"


class SocialMinimumWage(EffectiveDated):
    """Unqualified monthly social minimum wage (18+) at index 100 (CORE-3)."""

    amount_at_100 = models.DecimalField(_("montant au nombre indice 100"), max_digits=8, decimal_places=2)

    history = HistoricalRecords()

    class Meta(EffectiveDated.Meta):
        verbose_name = _("salaire social minimum (non qualifié, indice 100)")
        verbose_name_plural = _("salaires sociaux minimums (non qualifiés, indice 100)")
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(fields=["valid_from"], name="ssm_one_per_date"),
            models.CheckConstraint(
                condition=models.Q(amount_at_100__gt=0),
                name="ssm_amount_positive",
                violation_error_message=_("Le montant doit être positif."),
            ),
        ]

    def __str__(self):
        return f"{self.amount_at_100} ({self.valid_from:%d/%m/%Y})"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit journal is append-only")

    def delete(self):
        raise PermissionError("the audit journal is append-only")


class AuditEvent(models.Model):
    """Append-only journal of business events (one per state transition), written by services."""

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("auteur"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("type d'objet"), max_length=100)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64)
    object_repr = models.CharField(_("objet"), max_length=300)
    before = models.JSONField(_("avant"), null=True, blank=True)
    after = models.JSONField(_("après"), null=True, blank=True)
    reason = models.TextField(_("motif"), blank=True)
    # The web pages or the JSON API (core.channel): the same event, whichever door it came through.
    channel = models.CharField(
        _("canal"), max_length=10, choices=[("ui", _("interface web")), ("api", _("API"))], default="ui"
    )

    # The scheme whose officers may read the event (the app of its object); "" for shared data
    # (schools, index, SSM), which every officer reads.
    scheme = models.CharField(_("dispositif"), max_length=20, choices=Scheme.choices, blank=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal des événements")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="auditevent_object_idx")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit journal is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit journal is append-only")


class BackgroundJob(models.Model):
    """Progress and result of a long task run outside the web request (bulk PDFs, large exports).

    A technical record: it has no history of its own (progress would flood it); the business
    events the job causes are written in the journal by the services it calls. A job made of
    parts (one document per lycée…) has one `BackgroundJobPart` per part, each run by any worker.
    """

    PENDING = (JobStatus.QUEUED, JobStatus.RUNNING)

    owner = models.ForeignKey(User, verbose_name=_("demandé par"), on_delete=models.PROTECT, related_name="jobs")
    label = models.CharField(pgettext_lazy("background job", "libellé"), max_length=200)
    func = models.CharField(pgettext_lazy("background job", "fonction"), max_length=200)
    kwargs = models.JSONField(_("paramètres"), default=dict, blank=True)
    # What the job produces (function and parameters): one pending job per owner and kind.
    kind = models.CharField(pgettext_lazy("background job", "nature"), max_length=200, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("fait"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    result = models.FileField(_("résultat"), upload_to="jobs/%Y/%m/", blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    started_at = models.DateTimeField(pgettext_lazy("background job", "commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(pgettext_lazy("background job", "terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("tâche de fond")
        verbose_name_plural = _("tâches de fond")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind"],
                condition=models.Q(status__in=["queued", "running"]) & ~models.Q(kind=""),
                name="core_backgroundjob_one_pending_per_kind",
                violation_error_message=_("Une tâche identique est déjà en attente ou en cours."),
            )
        ]

    def __str__(self):
        return self.label

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


class BackgroundJobPart(models.Model):
    """One independent piece of a job (one lycée's notification), rendered and stored by whichever
    worker takes it, retried alone if it fails; the job assembles the parts once all are done."""

    job = models.ForeignKey(
        BackgroundJob, verbose_name=_("tâche de fond"), on_delete=models.CASCADE, related_name="parts"
    )
    key = models.CharField(_("clé"), max_length=64)
    label = models.CharField(pgettext_lazy("background job", "libellé"), max_length=200)
    status = models.CharField(_("état"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    filename = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    result = models.FileField(_("résultat"), upload_to="jobs/parts/%Y/%m/", blank=True)
    error = models.TextField(_("erreur"), blank=True)
    worker = models.CharField(_("processus"), max_length=100, blank=True)
    started_at = models.DateTimeField(pgettext_lazy("background job", "commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(pgettext_lazy("background job", "terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("partie de tâche de fond")
        verbose_name_plural = _("parties de tâches de fond")
        ordering = ["job", "id"]
        constraints = [models.UniqueConstraint(fields=["job", "key"], name="core_backgroundjobpart_unique_key")]
        indexes = [models.Index(fields=["job", "status"], name="core_bgjobpart_job_status")]

    def __str__(self):
        return f"{self.job_id}/{self.key}"
