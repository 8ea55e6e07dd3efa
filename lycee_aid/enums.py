"""Every state and kind of the lycee_aid app (TextChoices: no state is a bare string)."""

from enum import StrEnum

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


class AuditAction(StrEnum):
    """The name of each event this app writes to the journal: `lycee_aid.<use case>` (the service
    that writes it, or the event a use case records besides its own)."""

    CAMPAIGN_STALE = "lycee_aid.campaign_stale"
    SCHOOL_YEAR_OPEN = "lycee_aid.school_year_open"
    CPI_VALUE_RECORD = "lycee_aid.cpi_value_record"
    FORFAITS_CONFIRM = "lycee_aid.forfaits_confirm"
    FORMATIONS_IMPORT = "lycee_aid.formations_import"
    SITUATION_SET = "lycee_aid.situation_set"
    ENROLMENTS_SAVE = "lycee_aid.enrolments_save"
    CAMPAIGN_RUN = "lycee_aid.campaign_run"
    CAMPAIGN_VOTE = "lycee_aid.campaign_vote"
    CAMPAIGN_NOTIFY = "lycee_aid.campaign_notify"
    DOTATION_MARK_PAID = "lycee_aid.dotation_mark_paid"
    CAMPAIGN_PAID = "lycee_aid.campaign_paid"
    SUPPLEMENTARY_REQUEST_SUBMIT = "lycee_aid.supplementary_request_submit"
    SUPPLEMENTARY_REQUEST_DECIDE = "lycee_aid.supplementary_request_decide"
    USAGE_REPORT_SUBMIT = "lycee_aid.usage_report_submit"
    CPGE_AID_REQUEST_SUBMIT = "lycee_aid.cpge_aid_request_submit"
