"""Every state and kind of the lycee_aid app (STYLE: no magic strings for states)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FormationLevel(models.TextChoices):
    """Level of an eligible formation as printed in the annex of seed 003 (column « Niveau »)."""

    INFRA_V = "infra_v", _("Infra V (3e prépa-métiers)")
    PRE_BAC = "pre_bac", _("pré-bac")
    POST_BAC = "post_bac", _("post-bac")


class Envelope(models.TextChoices):
    """ARE-6: the two envelopes, which are not fungible (3e prépa-métiers belong to pré-bac)."""

    PRE_BAC = "pre_bac", _("pré-bac (dont 3e prépa-métiers)")
    POST_BAC = "post_bac", _("post-bac")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("non calculée")
    COMPUTED = "computed", _("calculée")
    VOTED = "voted", _("votée")


class DotationStatus(models.TextChoices):
    COMPUTED = "computed", _("calculée")
    VOTED = "voted", _("votée")
    NOTIFIED = "notified", _("notifiée")
    PAID = "paid", _("versée")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("déposée")
    ACCEPTED = "accepted", _("acceptée")
    REJECTED = "rejected", _("rejetée")


class CarryOverOrigin(models.TextChoices):
    ENTERED = "entered", _("saisi par la Région")
    USAGE_REPORT = "usage_report", _("compte rendu d'utilisation")


class EquipmentType(models.TextChoices):
    """ARE-9: the equipment types of seed 003 (« Les types d'équipements »)."""

    REPRESENTATION = "representation", _("vêtements de représentation")
    PROTECTION = "protection", _("vêtements et équipements de protection individuelle")
    TOOLS = "tools", _("matériel, outillage et instruments")
    IT_DOCUMENTS = "it_documents", _("consommables informatiques et documents techniques")
