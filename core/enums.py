"""The states and kinds of core (roles, schemes, countries, académies) and `AuditAction`, the names of core's journal events."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    LYCEE_STAFF = "lycee_staff", _("personnel de lycée")
    OFFICER = "officer", _("agent du ministère ou de la Région")
    EMPLOYER = "employer", _("employeur")
    ADMIN = "admin", _("administrateur")


class Scheme(models.TextChoices):
    APPRENTICESHIP = "apprenticeship", _("apprentissage")
    LYCEE_AID = "lycee_aid", _("aide régionale à l'équipement")
    BTS_FEES = "bts_fees", _("indemnités BTS")


class Country(models.TextChoices):
    FRANCE = "FR", _("France")
    LUXEMBOURG = "LU", _("Luxembourg")


class SchoolSector(models.TextChoices):
    PUBLIC_EPLE = "public_eple", _("lycée public (EPLE)")
    EREA = "erea", _("EREA")
    AGRICULTURAL = "agricultural", _("lycée agricole public")
    PRIVATE_CONTRACT = "private_contract", _("lycée privé sous contrat d'association")
    LU_PUBLIC = "lu_public", _("lycée public luxembourgeois")
    LU_PRIVATE = "lu_private", _("lycée privé luxembourgeois")


class Academy(models.TextChoices):
    PARIS = "paris", _("Paris")
    CRETEIL = "creteil", _("Créteil")
    VERSAILLES = "versailles", _("Versailles")


class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("background job", "en attente")
    RUNNING = "running", pgettext_lazy("background job", "en cours")
    DONE = "done", pgettext_lazy("background job", "terminé")
    FAILED = "failed", pgettext_lazy("background job", "échoué")


class AuditAction(StrEnum):
    """The name of each event this app writes to the journal: `core.<use case>` (the service
    that writes it, or the event a use case records besides its own)."""

    REFERENCE_PERIOD_END = "core.reference_period_end"
    REFERENCE_PERIOD_SAVE = "core.reference_period_save"
    ADMIN_ADD = "core.admin_add"
    ADMIN_CHANGE = "core.admin_change"
    SECOND_FACTOR_LINK_ISSUE = "core.second_factor_link_issue"
