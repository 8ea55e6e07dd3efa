"""Charts of the ARE: the campaign by académie and envelope (with its data table)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.charts import Chart, Series

from . import permissions, selectors


def campaign_by_academy(totals: selectors.CampaignTotals) -> Chart:
    """The amounts allotted per académie, pré-bac and post-bac envelopes stacked (ARE-4..6)."""
    academies = list(totals.rows)
    return Chart(
        id="campaign-by-academy",
        title=_("Dotations attribuées par académie et par enveloppe"),
        kind="bar",
        stacked=True,
        labels=academies,
        series=[
            Series(_("Enveloppe pré-bac"), [totals.rows[a]["pre_bac_due_amount"] for a in academies]),
            Series(_("Enveloppe post-bac"), [totals.rows[a]["post_bac_due_amount"] for a in academies]),
        ],
        label_heading=_("Académie"),
    )


@require_GET
def campaign_chart(request, pk):
    if not permissions.is_are_officer(request.user):
        raise PermissionDenied
    year = selectors.school_year_get(request.user, pk)
    totals = selectors.campaign_totals(selectors.campaign_dotations(request.user, school_year_pk=year.pk))
    campaign = reverse("lycee_aid:campaign", args=[year.pk])
    title = _("Campagne %(y)s en graphique") % {"y": year.label}
    context = {
        "title": title,
        "charts": [campaign_by_academy(totals)],
        "crumbs": [
            (_("Aide régionale à l'équipement"), reverse("lycee_aid:year_list")),
            (year.label, reverse("lycee_aid:year_detail", args=[year.pk])),
            (_("Campagne"), campaign),
            (_("Graphique"), None),
        ],
        "back_url": campaign,
        "back_label": _("Revenir au tableau de la campagne"),
    }
    return render(request, "core/chart_page.html", context)
