"""What the regional equipment aid (ARE) asks of the user, for the home page (see `core.todo`).

Officers of the Région: the next step of each campaign not yet paid (forfaits, computation, vote,
notification, payment) and the supplementary requests to decide. Staff of a French lycée: the
enrolments n-1 to enter or check before the campaign is voted, and the use report of a notified
dotation.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.selectors import is_lycee_staff
from core.todo import TodoItem

from . import permissions, selectors
from .enums import CampaignStatus, DotationStatus, RequestStatus
from .models import Dotation, Enrolment, SchoolYear


def _scheme() -> str:
    return _("ARE")


def campaign_item(year: SchoolYear, notified_unpaid: int) -> TodoItem | None:
    """The next step of a campaign, for the officers; None when nothing is left to do."""
    url = reverse("lycee_aid:campaign", args=[year.pk])
    y = year.label
    status = year.campaign_status
    if not year.forfaits_confirmed:
        return TodoItem(
            _scheme(),
            _("Année %(y)s : forfaits de l'arrêté à saisir et à confirmer.") % {"y": y},
            reverse("lycee_aid:forfaits", args=[year.pk]),
            _("Saisir les forfaits"),
            key=f"are-forfaits-{year.pk}",
        )
    steps = {
        CampaignStatus.OPEN: (_("Campagne %(y)s à calculer."), _("Calculer la campagne")),
        CampaignStatus.STALE: (
            _("Campagne %(y)s à recalculer : une donnée a changé depuis le calcul."),
            _("Recalculer la campagne"),
        ),
        CampaignStatus.COMPUTED: (_("Campagne %(y)s calculée, à faire voter."), _("Voter la campagne")),
        CampaignStatus.VOTED: (
            _("Campagne %(y)s votée, dotations à notifier aux lycées."),
            _("Notifier les dotations"),
        ),
    }
    if status in steps:
        text, action = steps[status]
        return TodoItem(_scheme(), text % {"y": y}, url, action, key=f"are-campaign-{year.pk}")
    if status == CampaignStatus.NOTIFIED and notified_unpaid:
        text = ngettext(
            "Campagne %(y)s : %(n)d dotation notifiée à marquer comme versée.",
            "Campagne %(y)s : %(n)d dotations notifiées à marquer comme versées.",
            notified_unpaid,
        ) % {"y": y, "n": notified_unpaid}
        return TodoItem(
            _scheme(), text, url, _("Voir les dotations"), count=notified_unpaid, key=f"are-campaign-{year.pk}"
        )
    return None


def officer_items(user) -> list[TodoItem]:
    years = list(selectors.school_year_list(user).exclude(campaign_status=CampaignStatus.PAID))
    unpaid = dict(
        Dotation.objects.filter(school_year__in=years, status=DotationStatus.NOTIFIED, total_due_amount__gt=0)
        .values_list("school_year")
        .annotate(n=Count("pk"))
        .values_list("school_year", "n")
    )
    items = [item for year in years if (item := campaign_item(year, unpaid.get(year.pk, 0)))]
    pending = selectors.supplementary_request_list(user).filter(status=RequestStatus.SUBMITTED).count()
    if pending:
        items.append(
            TodoItem(
                _scheme(),
                ngettext(
                    "%(n)d demande complémentaire à instruire.",
                    "%(n)d demandes complémentaires à instruire.",
                    pending,
                )
                % {"n": pending},
                reverse("lycee_aid:request_list") + "?status=submitted",
                _("Instruire les demandes"),
                count=pending,
                key="are-requests",
            )
        )
    return items


def staff_items(user) -> list[TodoItem]:
    lycees = list(selectors.lycee_list(user))
    if not lycees:
        return []
    items = []
    year = selectors.school_year_current(user)
    if year is not None and not year.is_voted:
        counts = dict(
            Enrolment.objects.filter(school__in=lycees, formation__school_year=year, first_year_count__gt=0)
            .values_list("school")
            .annotate(n=Count("pk"))
            .values_list("school", "n")
        )
        for lycee in lycees:
            n = counts.get(lycee.pk, 0)
            if n:
                text = ngettext(
                    "%(l)s — effectifs n-1 %(y)s : %(n)d formation saisie, à vérifier avant le vote de la campagne.",
                    "%(l)s — effectifs n-1 %(y)s : %(n)d formations saisies, à vérifier avant le vote de la campagne.",
                    n,
                ) % {"l": lycee.name, "y": year.label, "n": n}
            else:
                text = _("%(l)s — effectifs n-1 %(y)s à saisir avant le calcul de la campagne.") % {
                    "l": lycee.name,
                    "y": year.label,
                }
            items.append(
                TodoItem(
                    _scheme(),
                    text,
                    reverse("lycee_aid:enrolments_edit", args=[year.pk, lycee.pk]),
                    _("Saisir les effectifs") if not n else _("Vérifier les effectifs"),
                    count=n,
                    key=f"are-enrolments-{lycee.pk}",
                )
            )
    reported = set(selectors.usage_report_list(user).values_list("school_id", "school_year_id"))
    for dotation in selectors.dotation_list(user).filter(
        status__in=(DotationStatus.NOTIFIED, DotationStatus.PAID), total_due_amount__gt=0
    ):
        if (dotation.school_id, dotation.school_year_id) in reported:
            continue
        items.append(
            TodoItem(
                _scheme(),
                _("%(l)s — compte rendu d'utilisation de la dotation %(y)s à déposer.")
                % {"y": dotation.school_year.label, "l": dotation.school.name},
                reverse("lycee_aid:report_create", args=[dotation.school_year_id, dotation.school_id]),
                _("Déposer le compte rendu"),
                amount=dotation.total_due_amount,
                key=f"are-report-{dotation.pk}",
            )
        )
    return items


def todo(user, today: date) -> list[TodoItem]:
    if permissions.is_are_officer(user):
        return officer_items(user)
    if is_lycee_staff(user):
        return staff_items(user)
    return []
