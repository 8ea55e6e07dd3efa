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
    """open → computed (⇄ stale when an input changes) → voted → notified → paid.

    « À recalculer »: enrolments, a situation, a carry-over, the forfaits or the formation list
    changed after the computation; the vote is refused until the campaign is computed again, so
    that the figures voted are the figures reviewed."""

    OPEN = "open", _("non calculée")
    COMPUTED = "computed", _("calculée")
    STALE = "stale", _("à recalculer")
    VOTED = "voted", _("votée")
    NOTIFIED = "notified", _("notifiée")
    PAID = "paid", _("versée")


# From the vote on, the dotations of the year are frozen.
VOTED_STATUSES = frozenset({CampaignStatus.VOTED, CampaignStatus.NOTIFIED, CampaignStatus.PAID})


class DotationStatus(models.TextChoices):
    COMPUTED = "computed", _("calculée")
    VOTED = "voted", _("votée")
    NOTIFIED = "notified", _("notifiée")
    PAID = "paid", _("versée")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("déposée")
    ACCEPTED = "accepted", _("acceptée")
    REJECTED = "rejected", _("rejetée")


class CpgeRefusal(models.TextChoices):
    """ARE-10: why a CPGE request gets no aid (the values of lycee_aid.rules.CPGE_*)."""

    NOT_SECOND_YEAR = "not_second_year", _("l'élève n'est pas en deuxième année de CPGE")
    QUOTIENT_ABOVE_CEILING = "quotient_above_ceiling", _("quotient familial supérieur au plafond de 10 140 €")
    # Only for a 0 € request recorded before reasons were kept, that neither reason explains.
    UNEXPLAINED = "unexplained", _("aide nulle enregistrée avant que son motif ne soit conservé")


class CarryOverOrigin(models.TextChoices):
    ENTERED = "entered", _("saisi par la Région")
    USAGE_REPORT = "usage_report", _("compte rendu d'utilisation")


class EquipmentType(models.TextChoices):
    """ARE-9: the equipment types of seed 003 (« Les types d'équipements »)."""

    REPRESENTATION = "representation", _("vêtements de représentation")
    PROTECTION = "protection", _("vêtements et équipements de protection individuelle")
    TOOLS = "tools", _("matériel, outillage et instruments")
    IT_DOCUMENTS = "it_documents", _("consommables informatiques et documents techniques")
