"""After a contract is closed, a page that says what was done and what happens next (the shared
`core/confirmation.html`): the schedule stops, and the window of the employer's aid request for the
apprenticeship year of the end (APP-6/APP-7). Read again from the database; a contract that is not
closed leads back to its page."""

from __future__ import annotations

from datetime import timedelta

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import rules, selectors
from .enums import ContractStatus


def _d(day) -> str:
    return day.strftime("%d/%m/%Y")


@require_GET
def contract_ended(request, pk):
    contract = selectors.contract_get(request.user, pk)
    if contract.status not in (ContractStatus.COMPLETED, ContractStatus.TERMINATED) or not contract.ended_on:
        return redirect("apprenticeship:contract_detail", pk=contract.pk)
    ended_on = contract.ended_on
    aid = rules.aid_year(rules.school_year_of(ended_on), contract_end=ended_on)
    detail = reverse("apprenticeship:contract_detail", args=[contract.pk])
    context = {
        "title": _("Contrat clôturé"),
        "panel": [
            _("Référence : %(r)s") % {"r": contract.reference},
            _("%(o)s le %(d)s") % {"o": contract.get_status_display().capitalize(), "d": _d(ended_on)},
        ],
        "next_steps": [
            _(
                "L'échéancier s'arrête le %(d)s : le dernier mois est indemnisé au prorata des jours, les mois "
                "suivants sont retirés."
            )
            % {"d": _d(ended_on)},
            _("Les indemnités dues et pas encore versées restent dans les arriérés jusqu'à leur versement."),
            _(
                "L'employeur peut demander l'aide à l'apprentissage de l'année %(y)s à partir du %(o)s et "
                "jusqu'au %(l)s inclus ; à partir du %(f)s, la demande est forclose (APP-7)."
            )
            % {
                "y": aid.label,
                "o": _d(aid.opens_on),
                "l": _d(aid.deadline - timedelta(days=1)),
                "f": _d(aid.deadline),
            },
        ],
        "links": [(_("Voir le contrat"), detail)],
        "crumbs": [
            (_("Contrats d'apprentissage"), reverse("apprenticeship:contract_list")),
            (contract.reference, detail),
            (_("Contrat clôturé"), None),
        ],
    }
    return render(request, "core/confirmation.html", context)
