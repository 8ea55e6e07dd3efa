"""Charts of the apprenticeship app: arrears by month, an apprentice's indemnity over the contract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.charts import Chart, Series
from core.selectors import is_employer

from . import permissions, selectors

ZERO = Decimal("0.00")


def _crumbs(*items):
    return [(_("Contrats d'apprentissage"), reverse("apprenticeship:contract_list")), *items]


def arrears_by_month(overview: list[dict]) -> Chart:
    """Per month already due: the differences with the latest statements and the shortfalls of
    recorded payments (APP-9), summed over the contracts of `selectors.arrears_overview`."""
    differences: dict[date, Decimal] = {}
    shortfalls: dict[date, Decimal] = {}
    for entry in overview:
        for row in entry["months"]:
            differences[row.line.month] = differences.get(row.line.month, ZERO) + (row.difference or ZERO)
            shortfalls[row.line.month] = shortfalls.get(row.line.month, ZERO) + (row.shortfall or ZERO)
    months = sorted(differences)
    return Chart(
        id="arrears-by-month",
        title=_("Arriérés par mois"),
        kind="bar",
        stacked=True,
        labels=[date_format(m, "F Y") for m in months],
        series=[
            Series(_("Écart avec le dernier relevé émis"), [differences[m] for m in months]),
            Series(_("Insuffisance des versements"), [shortfalls[m] for m in months]),
        ],
        label_heading=_("Mois"),
    )


@require_GET
def arrears_chart(request):
    if not (permissions.is_apprenticeship_officer(request.user) or is_employer(request.user)):
        raise PermissionDenied
    title = _("Arriérés en graphique")
    context = {
        "title": title,
        "charts": [arrears_by_month(selectors.arrears_overview(user=request.user))],
        "crumbs": _crumbs((_("Arriérés et écarts"), reverse("apprenticeship:arrears")), (title, None)),
        "intro": _("Mois déjà échus des contrats ayant un relevé émis ou un versement enregistré."),
    }
    return render(request, "core/chart_page.html", context)


def indemnity_over_contract(schedule: selectors.Schedule) -> Chart:
    """The amount due each month (APP-1 to APP-5), and the standard indemnity when it differs
    (an adult apprentice is due the SSM, APP-2)."""
    lines = schedule.lines
    series = [Series(_("Indemnité due"), [line.due_amount for line in lines])]
    if any(line.standard_amount != line.due_amount for line in lines):
        series.append(Series(_("Indemnité standard"), [line.standard_amount for line in lines]))
    return Chart(
        id="indemnity-over-contract",
        title=_("Indemnité mois par mois"),
        kind="stepped",
        labels=[date_format(line.month, "F Y") for line in lines],
        series=series,
        label_heading=_("Mois"),
    )


@require_GET
def contract_chart(request, pk):
    contract = selectors.contract_get(request.user, pk)
    schedule = selectors.schedule_compute(contract=contract)
    title = _("Indemnité sur la durée du contrat %(r)s") % {"r": contract.reference}
    detail = reverse("apprenticeship:contract_detail", args=[contract.pk])
    context = {
        "title": title,
        "intro": schedule.error,
        "charts": [] if schedule.error else [indemnity_over_contract(schedule)],
        "crumbs": _crumbs((contract.reference, detail), (_("Graphique"), None)),
        "back_url": detail,
        "back_label": _("Revenir au contrat"),
    }
    return render(request, "core/chart_page.html", context)
