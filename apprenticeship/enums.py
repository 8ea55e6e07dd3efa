"""Every state and kind of the apprenticeship app (TextChoices: no state is a bare string)."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Diploma(models.TextChoices):
    """Diploma prepared by a Luxembourg trade (seed 002)."""

    CCP = "CCP", _("CCP — certificat de capacité professionnelle")
    DAP = "DAP", _("DAP — diplôme d'aptitude professionnelle")
    DT = "DT", _("DT — diplôme de technicien")


# The aid rule (APP-6) also knows cross-border apprenticeships, which prepare a French diploma.
AID_CROSS_BORDER = "CROSS_BORDER"


class Sector(models.TextChoices):
    CRAFTS = "crafts", _("artisanat")
    TRADE = "trade", _("commerce")
    HORECA = "horeca", _("Horeca")
    INDUSTRY = "industry", _("industrie")
    AGRICULTURE = "agriculture", _("agriculture")
    HEALTH_SOCIAL = "health_social", _("santé et social")


class FormationLevel(models.TextChoices):
    BAC = "BAC", _("bac (niveau 4)")
    BTS = "BTS", _("BTS (niveau 5)")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    REGISTERED = "registered", _("enregistré")
    ACTIVE = "active", _("en cours")
    TERMINATED = "terminated", _("résilié")
    COMPLETED = "completed", _("achevé")


class ContractCheck(models.TextChoices):
    """The checks of APP-8 (seed 002, « Conditions d'exercice »)."""

    MINIMUM_AGE = "minimum_age", _("âge minimal de 15 ans révolus au 1er septembre de l'année d'entrée")
    WRITTEN_CONTRACT = "written_contract", _("contrat écrit et signé")
    APPROVAL = "approval", _("entreprise agréée pour le métier")
    CHAMBER_REGISTRATION = "chamber_registration", _("contrat enregistré auprès de la chambre professionnelle")
    TUTOR = "tutor", _("tuteur qualifié désigné")


class ReformStatus(models.TextChoices):
    """A reform scenario is a draft (simulated, changes nothing) until an officer adopts it."""

    DRAFT = "draft", _("projet")
    ADOPTED = "adopted", _("adopté")


class DifferencePayer(models.TextChoices):
    """Who pays the increase a reform brings to the indemnity."""

    EMPLOYER = "employer", _("l'employeur")
    STATE = "state", _("l'État")


class ReformBasis(models.TextChoices):
    SSM_PERCENT = "ssm_percent", _("% du SSM non qualifié")
    AT_100 = "at_100", _("montant au nombre indice 100")


class ReformProgramme(models.TextChoices):
    """What a reform's rate applies to: a Luxembourg diploma or a cross-border apprenticeship."""

    CCP = "CCP", _("CCP")
    DAP = "DAP", _("DAP")
    DT = "DT", _("DT")
    CROSS_BORDER = "CROSS_BORDER", _("apprentissage transfrontalier")


class AuditAction(StrEnum):
    """The name of each event this app writes to the journal: `apprenticeship.<use case>` (the service
    that writes it, or the event a use case records besides its own)."""

    CONTRACT_REGISTER = "apprenticeship.contract_register"
    CONTRACT_UPDATE = "apprenticeship.contract_update"
    CONTRACT_ACTIVATE = "apprenticeship.contract_activate"
    CONTRACT_END = "apprenticeship.contract_end"
    TRAINING_YEAR_RECORD = "apprenticeship.training_year_record"
    PII_RECORD = "apprenticeship.pii_record"
    PAYMENT_RECORD = "apprenticeship.payment_record"
    STATEMENT_ISSUE = "apprenticeship.statement_issue"
    AID_REQUEST_PREPARE = "apprenticeship.aid_request_prepare"
    REFORM_ADOPT = "apprenticeship.reform_adopt"
