"""Charts of the BTS fees: spending by programme and academic year (with its data table)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.charts import Chart, Series
from core.enums import Scheme
from core.selectors import is_lycee_staff, is_officer

from . import selectors
from .enums import DeclarationStatus
from .models import LessonRecord

ZERO = Decimal("0.00")


def spending(user) -> Chart:
    """Validated declarations (amounts frozen at validation, BTS-10) and recorded lessons, per
    programme and academic year, summed in Python (Decimal). Two queries whatever the volume."""
    amounts: dict[tuple[str, str], Decimal] = {}
    validated = (
        selectors.declaration_list(user)
        .filter(status=DeclarationStatus.VALIDATED)
        .order_by()
        .values_list("body__academic_year__label", "body__programme__title", "body__school__name", "total_amount")
    )
    for year, programme, school, amount in validated:
        key = (year, programme or _("%(s)s (commun au lycée)") % {"s": school})
        amounts[key] = amounts.get(key, ZERO) + (amount or ZERO)
    lessons = (
        LessonRecord.objects.filter(contract__in=selectors.contract_list(user))
        .order_by()
        .values_list("contract__academic_year__label", "contract__programme__title", "line_amount")
    )
    for year, programme, amount in lessons:
        amounts[(year, programme)] = amounts.get((year, programme), ZERO) + amount
    years = sorted({year for year, _p in amounts})
    programmes = sorted({programme for _y, programme in amounts})
    return Chart(
        id="bts-spending",
        title=_("Indemnités BTS par programme et par année d'études"),
        kind="bar",
        labels=years,
        series=[Series(p, [amounts.get((y, p), ZERO) for y in years]) for p in programmes],
        label_heading=_("Année d'études"),
        description=_("Déclarations validées et leçons enregistrées."),
    )


@require_GET
def spending_chart(request):
    if not (is_officer(request.user, Scheme.BTS_FEES) or is_lycee_staff(request.user)):
        raise PermissionDenied
    title = _("Indemnités BTS en graphique")
    summary = reverse("bts_fees:summary")
    context = {
        "title": title,
        "charts": [spending(request.user)],
        "crumbs": [
            (_("Indemnités BTS"), reverse("bts_fees:declaration_list")),
            (_("Synthèse annuelle"), summary),
            (_("Graphique"), None),
        ],
        "back_url": summary,
        "back_label": _("Revenir à la synthèse annuelle"),
    }
    return render(request, "core/chart_page.html", context)
