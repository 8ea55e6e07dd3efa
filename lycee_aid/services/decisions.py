"""What follows the campaign: the vote of the standing committee (dotations frozen), the
notification to the lycées and the payment."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from core.models import User
from core.services import audit_record

from .. import notices, permissions
from ..enums import (
    AuditAction,
    CampaignStatus,
    DotationStatus,
)
from ..models import (
    Dotation,
    SchoolYear,
)
from .base import BATCH, lock_year
from .campaign_sql import cents, counts_mismatch_sql, dotations_history_insert, lines_insert_sql


@transaction.atomic
def campaign_vote(
    *,
    actor: User | None,
    school_year: SchoolYear,
    reference: str,
    voted_on: date,
    computed_at: datetime | None = None,
) -> SchoolYear:
    """Record the standing committee's vote: the dotations of the year are frozen (ARE-4..7).

    Refused unless the campaign is computed and unchanged since (« à recalculer » is refused), and,
    with `computed_at` (the computation whose totals the officer was shown), unless it is that one.
    The vote checks, in one aggregate, that the enrolments still give each dotation's counts, then
    writes, set-based and once:
    - every dotation's status and the deliberation (one UPDATE), with a history row each
      (INSERT … SELECT, reason "campaign_vote");
    - every formation line from the enrolments (one INSERT … SELECT, `lines_insert_sql`): the
      figures the dotation's detail showed, since no input changed since the computation.
    """
    permissions.require_officer(actor)
    year = lock_year(school_year)
    if year.is_voted:
        raise ValidationError(
            _("La campagne %(y)s a déjà été votée (délibération %(r)s).")
            % {"y": year.label, "r": year.standing_committee_reference}
        )
    if year.campaign_status == CampaignStatus.STALE:
        raise ValidationError(
            _(
                "Des effectifs, une situation de lycée, un reliquat, les forfaits ou la liste des formations ont "
                "changé depuis le calcul de la campagne : recalculez la campagne et vérifiez ses totaux avant "
                "d'enregistrer le vote."
            )
        )
    if year.campaign_status != CampaignStatus.COMPUTED:
        raise ValidationError(_("Calculez la campagne avant d'enregistrer le vote."))
    if computed_at is not None and computed_at != year.campaign_computed_at:
        raise ValidationError(
            _(
                "La campagne a été recalculée depuis l'affichage des totaux (le %(d)s) : vérifiez les nouveaux "
                "totaux avant d'enregistrer le vote."
            )
            % {"d": timezone.localtime(year.campaign_computed_at).strftime("%d/%m/%Y %H:%M")}
        )
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Indiquez la référence de la délibération.")})
    if voted_on is None or voted_on > timezone.localdate():
        raise ValidationError({"voted_on": _("La date du vote ne peut pas être dans le futur.")})
    with connection.cursor() as cursor:
        cursor.execute(counts_mismatch_sql(), [year.pk, year.pk])
        mismatched = cursor.fetchall()
    if mismatched:
        raise ValidationError(
            ngettext(
                "Les effectifs d'une dotation ne correspondent plus à son calcul : recalculez la campagne avant "
                "d'enregistrer le vote.",
                "Les effectifs de %(n)d dotations ne correspondent plus à leur calcul : recalculez la campagne "
                "avant d'enregistrer le vote.",
                len(mismatched),
            )
            % {"n": len(mismatched)}
        )
    now = timezone.now()
    voted = Dotation.objects.filter(school_year=year).update(
        status=DotationStatus.VOTED, standing_committee_reference=reference, standing_committee_date=voted_on
    )
    dotations_history_insert(year, history_type="~", actor=actor, now=now, reason="campaign_vote")
    prepa_cents, forfait_cents = cents(year.forfait_prepa_metiers_amount), cents(year.forfait_amount)
    with connection.cursor() as cursor:
        cursor.execute(lines_insert_sql(), [prepa_cents, forfait_cents, prepa_cents, forfait_cents, year.pk])
        lines = cursor.rowcount
    year.campaign_status = CampaignStatus.VOTED
    year.standing_committee_reference = reference
    year.standing_committee_date = voted_on
    year.full_clean()
    year.save()
    audit_record(
        actor=actor,
        action=AuditAction.CAMPAIGN_VOTE,
        obj=year,
        before={"status": CampaignStatus.COMPUTED},
        after={
            "status": CampaignStatus.VOTED,
            "reference": reference,
            "date": voted_on.isoformat(),
            "dotations": voted,
            "lines": lines,
        },
    )
    return year


@transaction.atomic
def campaign_notify(*, actor: User | None, school_year: SchoolYear) -> int:
    """Mark every voted dotation of the year as notified (the lycées see their notification PDF);
    the campaign is « notifiée »."""
    permissions.require_officer(actor)
    year = lock_year(school_year)
    if not year.is_voted:
        raise ValidationError(_("La campagne doit être votée avant d'être notifiée."))
    now = timezone.now()
    dotations = list(Dotation.objects.select_for_update().filter(school_year=year, status=DotationStatus.VOTED))
    if not dotations:  # already notified (a second click, or a colleague at the same time): no second event
        raise ValidationError(_("Les dotations votées de %(y)s sont déjà toutes notifiées.") % {"y": year.label})
    for d in dotations:
        d.status, d.notified_at = DotationStatus.NOTIFIED, now
    bulk_update_with_history(
        dotations,
        Dotation,
        ["status", "notified_at"],
        batch_size=BATCH,
        default_user=actor,
        default_change_reason="notify",
    )
    before = year.campaign_status
    year.campaign_status = CampaignStatus.NOTIFIED
    year.save(update_fields=["campaign_status"])
    audit_record(
        actor=actor,
        action=AuditAction.CAMPAIGN_NOTIFY,
        obj=year,
        before={"status": before},
        after={"status": year.campaign_status, "notified": len(dotations)},
    )
    notices.dotations_notified(dotations)
    return len(dotations)


@transaction.atomic
def dotation_mark_paid(
    *, actor: User | None, dotation: Dotation, payment_date: date | None = None, payment_reference: str = ""
) -> Dotation:
    """Record the payment of a notified dotation (date of the transfer and reference of the payment
    order when given); when every dotation of the year with an amount due is paid, the campaign is
    « versée » (a 0 € dotation has nothing to pay)."""
    permissions.require_officer(actor)
    payment_reference = (payment_reference or "").strip()
    if payment_date is not None and payment_date > timezone.localdate():
        raise ValidationError({"payment_date": _("La date du virement ne peut pas être dans le futur.")})
    if payment_date is not None and dotation.notified_at and payment_date < timezone.localdate(dotation.notified_at):
        raise ValidationError(
            {
                "payment_date": _("La date du virement ne peut pas précéder la notification du %(d)s.")
                % {"d": f"{timezone.localdate(dotation.notified_at):%d/%m/%Y}"}
            }
        )
    # The year first, as the vote and the notification lock it: two payments of the same year are
    # serialised, so the last one sees every other and marks the campaign paid, once.
    year = lock_year(dotation.school_year)
    d = Dotation.objects.select_for_update().get(pk=dotation.pk)
    if d.status != DotationStatus.NOTIFIED:
        raise ValidationError(_("Seule une dotation notifiée peut être marquée comme versée."))
    d.status, d.paid_at = DotationStatus.PAID, timezone.now()
    d.payment_date, d.payment_reference = payment_date, payment_reference
    d.save(update_fields=["status", "paid_at", "payment_date", "payment_reference"])
    after = {"status": "paid"}
    if payment_date is not None:
        after["payment_date"] = payment_date.isoformat()
    if payment_reference:
        after["payment_reference"] = payment_reference
    audit_record(actor=actor, action=AuditAction.DOTATION_MARK_PAID, obj=d, before={"status": "notified"}, after=after)
    unpaid = Dotation.objects.filter(school_year=year, total_due_amount__gt=0).exclude(status=DotationStatus.PAID)
    if year.campaign_status == CampaignStatus.NOTIFIED and not unpaid.exists():
        year.campaign_status = CampaignStatus.PAID
        year.save(update_fields=["campaign_status"])
        audit_record(
            actor=actor,
            action=AuditAction.CAMPAIGN_PAID,
            obj=year,
            before={"status": CampaignStatus.NOTIFIED},
            after={"status": CampaignStatus.PAID},
        )
    return d
