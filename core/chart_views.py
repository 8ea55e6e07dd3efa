"""Charts of the reference data: the index and the SSM over time (with their data tables)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .charts import Chart, Series
from .models import LuxIndex, SocialMinimumWage
from .rules import index_amount, value_in_force


def history_charts() -> list[Chart]:
    """One point per date on which the index or the SSM changed (CORE-2); the SSM in force is the
    SSM at index 100 brought to the index in force (CORE-3). Two queries."""
    index_periods = LuxIndex.objects.periods("value")
    ssm_periods = SocialMinimumWage.objects.periods("amount_at_100")
    dates = sorted({vf for vf, _vu, _v in index_periods} | {vf for vf, _vu, _v in ssm_periods})
    labels = [d.strftime("%d/%m/%Y") for d in dates]
    indices = [value_in_force(index_periods, d) for d in dates]
    ssm_at_100 = [value_in_force(ssm_periods, d) for d in dates]
    ssm = [None if (s is None or i is None) else index_amount(s, i) for s, i in zip(ssm_at_100, indices, strict=True)]
    return [
        Chart(
            id="index-history",
            title=_("Nombre indice applicable"),
            kind="stepped",
            labels=labels,
            series=[Series(_("Nombre indice"), indices)],
            unit="",
            label_heading=_("Applicable à partir du"),
        ),
        Chart(
            id="ssm-history",
            title=_("Salaire social minimum mensuel non qualifié"),
            kind="stepped",
            labels=labels,
            series=[
                Series(_("Au nombre indice 100"), ssm_at_100, table_only=True),
                Series(_("À l'indice applicable"), ssm),
            ],
            label_heading=_("Applicable à partir du"),
            description=_(
                "Le montant applicable est le montant au nombre indice 100 multiplié par l'indice, arrondi au centime."
            ),
        ),
    ]


def reference_history(request):
    title = _("Évolution du nombre indice et du salaire social minimum")
    context = {
        "title": title,
        "charts": history_charts(),
        "crumbs": [(_("Barèmes en vigueur"), reverse("core:reference_rates")), (title, None)],
        "intro": _("Chaque point est une date à laquelle l'indice ou le salaire social minimum a changé."),
    }
    return render(request, "core/chart_page.html", context)
