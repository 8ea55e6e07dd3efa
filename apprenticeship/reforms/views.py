"""Thin views of reform scenarios (officers of the apprenticeship scheme only)."""

from __future__ import annotations

from decimal import Decimal

import tablib
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.tables import neutralise_formula
from core.views import job_redirect

from .. import permissions as app_permissions
from . import selectors, services

LIST_CRUMB = gettext_lazy("Réformes")
GROUP_LABELS = {
    "month": gettext_lazy("Par mois"),
    "diploma": gettext_lazy("Par diplôme"),
    "trade": gettext_lazy("Par métier ou formation"),
    "school": gettext_lazy("Par lycée"),
    "employer": gettext_lazy("Par employeur"),
}
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHART_WIDTH, CHART_HEIGHT = 720, 200
SHOWN_ROWS = 50  # per group on the page (the largest differences first); the exports hold every row


def _officer(request) -> None:
    if not app_permissions.is_apprenticeship_officer(request.user):
        raise PermissionDenied


def _crumbs(*items):
    return [(LIST_CRUMB, reverse("apprenticeship:reform_list")), *items]


def _rows(entries: list[dict]) -> list[dict]:
    """Stored totals (strings) as Decimals for the page and the exports."""
    rows = []
    for entry in entries:
        row = {"key": entry["key"], "label": entry["label"], "contracts": entry["contracts"]}
        for name in services.FIGURES:
            row[name] = Decimal(entry[name])
        row["cost"] = row["state"] + row["bonus"]
        rows.append(row)
    return rows


def _chart(months: list[dict]) -> list[dict]:
    """Bars of the State's monthly cost (its share of the difference and the bonus), scaled to the
    chart's height: geometry only, the amounts shown come from the totals."""
    if not months:
        return []
    top = max((m["cost"] for m in months), default=Decimal(0)) or Decimal(1)
    width = CHART_WIDTH / len(months)
    bars = []
    for i, month in enumerate(months):
        height = float(max(month["cost"], Decimal(0)) / top) * (CHART_HEIGHT - 20)
        bars.append(
            {
                "x": round(i * width + 1, 1),
                "y": round(CHART_HEIGHT - height, 1),
                "width": round(max(width - 2, 1), 1),
                "height": round(height, 1),
                "month": month,
            }
        )
    return bars


@require_GET
def reform_list(request):
    _officer(request)
    scenarios = selectors.scenarios_for(request.user).prefetch_related("simulations")
    return render(
        request,
        "apprenticeship/reform_list.html",
        {"scenarios": scenarios, "crumbs": [(LIST_CRUMB, None)]},
    )


@require_GET
def reform_detail(request, pk):
    _officer(request)
    scenario = selectors.scenario_for(request.user, pk)
    simulation = selectors.latest_simulation(scenario)
    groups = []
    months = []
    if simulation:
        for group, label in GROUP_LABELS.items():
            rows = _rows(simulation.totals.get(group, []))
            if group == "month":
                months = rows
            groups.append(
                {
                    "key": group,
                    "label": label,
                    "rows": rows if group == "month" else rows[:SHOWN_ROWS],
                    "count": len(rows),
                }
            )
    context = {
        "scenario": scenario,
        "rates": list(scenario.rates.all()),
        "simulation": simulation,
        "groups": groups,
        "bars": _chart(months),
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "shown_rows": SHOWN_ROWS,
        "crumbs": _crumbs((scenario.name, None)),
    }
    return render(request, "apprenticeship/reform_detail.html", context)


@require_POST
def reform_simulate(request, pk):
    _officer(request)
    scenario = selectors.scenario_for(request.user, pk)
    return job_redirect(request, services.simulation_start(actor=request.user, scenario=scenario))


@require_GET
def reform_export(request, pk, group, fmt):
    """The totals of the latest simulation, one table per group, as CSV or XLSX (whitelisted)."""
    _officer(request)
    scenario = selectors.scenario_for(request.user, pk)
    simulation = selectors.latest_simulation(scenario)
    if simulation is None or group not in GROUP_LABELS or fmt not in EXPORT_FORMATS:
        raise Http404(_("Export introuvable."))
    dataset = tablib.Dataset(
        headers=[
            str(GROUP_LABELS[group]),
            _("contrats"),
            _("indemnités actuelles"),
            _("indemnités réformées"),
            _("différence"),
            _("à la charge de l'État"),
            _("à la charge des employeurs"),
            _("primes des formateurs"),
        ]
    )
    for row in _rows(simulation.totals.get(group, [])):
        dataset.append([neutralise_formula(row["label"]), row["contracts"], *(row[name] for name in services.FIGURES)])
    content = dataset.export(fmt)
    response = HttpResponse(content, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="simulation-{scenario.pk}-{group}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
def reform_adopt(request, pk):
    """The recap of the figures, then the officer's confirmation."""
    _officer(request)
    scenario = selectors.scenario_for(request.user, pk)
    simulation = selectors.latest_simulation(scenario)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Cochez la case de confirmation pour adopter le scénario.")
        else:
            try:
                written = services.reform_adopt(actor=request.user, scenario=scenario)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request,
                    _(
                        "Scénario adopté : %(n)d taux appliqués à partir du %(d)s. Les relevés déjà émis restent "
                        "inchangés ; les arriérés figurent sur la page des arriérés."
                    )
                    % {"n": written, "d": scenario.effective_from.strftime("%d/%m/%Y")},
                )
                return redirect("apprenticeship:reform_detail", scenario.pk)
    context = {
        "scenario": scenario,
        "simulation": simulation,
        "error": error,
        "crumbs": _crumbs(
            (scenario.name, reverse("apprenticeship:reform_detail", args=[scenario.pk])), (_("Adoption"), None)
        ),
    }
    return render(request, "apprenticeship/reform_adopt.html", context, status=400 if error else 200)
