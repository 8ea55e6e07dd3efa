"""After what cannot be undone, a page that says what was done and what happens next (the shared
`core/confirmation.html`): the standing committee's vote recorded, the dotations notified. Each page
reads its figures again from the database and leads back to the year when there is nothing to
confirm. The payment of a dotation has its own (`payment_views.dotation_paid_done`)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from core.templatetags.bareme import eur
from core.web import require_role

from . import permissions, selectors
from .enums import CampaignStatus, DotationStatus
from .views import year_crumbs


@require_GET
def campaign_voted(request, pk):
    require_role(request.user, officer=permissions.SCHEME)
    year = selectors.school_year_get(request.user, pk)
    if not year.is_voted:
        return redirect("lycee_aid:year_detail", year.pk)
    totals = selectors.campaign_totals(selectors.dotation_list(request.user, school_year=year))
    year_url = reverse("lycee_aid:year_detail", args=[year.pk])
    context = {
        "title": _("Vote de la commission permanente enregistré"),
        "panel": [
            _("Délibération %(r)s du %(d)s")
            % {"r": year.standing_committee_reference, "d": year.standing_committee_date.strftime("%d/%m/%Y")},
            ngettext("%(n)d dotation, %(a)s au total", "%(n)d dotations, %(a)s au total", totals.count)
            % {"n": totals.count, "a": eur(totals.total.get("total_due_amount"))},
        ],
        "next_steps": [
            _("Les dotations et leurs lignes par formation sont figées : un recalcul n'est plus possible."),
            _(
                "Étape suivante : notifier les dotations aux lycées, depuis la page de l'année. Chaque lycée "
                "reçoit alors un courriel et trouve sa notification en PDF dans l'application."
            ),
        ],
        "links": [
            (_("Notifier depuis la page de l'année"), year_url),
            (_("Tableau de la campagne"), reverse("lycee_aid:campaign", args=[year.pk])),
        ],
        "crumbs": year_crumbs(request, year, (_("Vote enregistré"), None)),
    }
    return render(request, "core/confirmation.html", context)


@require_GET
def campaign_notified(request, pk):
    require_role(request.user, officer=permissions.SCHEME)
    year = selectors.school_year_get(request.user, pk)
    if year.campaign_status not in (CampaignStatus.NOTIFIED, CampaignStatus.PAID):
        return redirect("lycee_aid:year_detail", year.pk)
    dotations = selectors.dotation_list(request.user, school_year=year).filter(
        status__in=(DotationStatus.NOTIFIED, DotationStatus.PAID)
    )
    totals = selectors.campaign_totals(dotations)
    context = {
        "title": ngettext("%(n)d dotation notifiée aux lycées", "%(n)d dotations notifiées aux lycées", totals.count)
        % {"n": totals.count},
        "panel": [
            _("Campagne ARE %(y)s, %(a)s au total") % {"y": year.label, "a": eur(totals.total.get("total_due_amount"))}
        ],
        "next_steps": [
            _(
                "Le personnel de chaque lycée qui a un compte a reçu un courriel avec le montant de sa "
                "dotation et le lien vers sa notification en PDF."
            ),
            _("Toutes les notifications s'obtiennent en un seul fichier ZIP depuis la page de l'année."),
            _(
                "Une fois le virement fait, marquez chaque dotation comme versée, avec la date du virement et "
                "la référence du mandat : la campagne passe à l’état « versée » quand toutes le sont."
            ),
        ],
        "links": [
            (_("Tableau de la campagne"), reverse("lycee_aid:campaign", args=[year.pk])),
            (_("Page de l'année"), reverse("lycee_aid:year_detail", args=[year.pk])),
        ],
        "crumbs": year_crumbs(request, year, (_("Dotations notifiées"), None)),
    }
    return render(request, "core/confirmation.html", context)
