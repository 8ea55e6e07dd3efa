"""Check your answers before a contract is closed: the outcome, the date, and what the schedule
becomes (the last month paid, prorated, and the months that fall away). The confirmation posts
to `contract_end`."""

from __future__ import annotations

from copy import copy
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions, selectors
from .enums import ContractStatus
from .forms import ContractEndForm
from .views import contract_page


@require_POST
def contract_end_check(request, pk):
    contract = selectors.contract_get(request.user, pk)
    if not permissions.can_edit_contract(request.user, contract):
        raise PermissionDenied
    form = ContractEndForm(request.POST)
    if not form.is_valid() or contract.status != ContractStatus.ACTIVE:
        if form.is_valid():
            form.add_error(None, _("Seul un contrat en cours peut être clôturé."))
        return contract_page(request, contract, status=400, end_form=form)
    data = form.cleaned_data
    ended = copy(contract)
    ended.ended_on = data["ended_on"]
    before = selectors.schedule_compute(contract=contract)
    after = selectors.schedule_compute(contract=ended)
    kept = {line.month for line in after.lines}
    context = {
        "contract": contract,
        "data": data,
        "outcome": dict(form.fields["outcome"].choices)[data["outcome"]],
        "error": after.error,
        "last": after.lines[-1] if after.lines else None,
        "total": sum((line.due_amount for line in after.lines), Decimal("0.00")),
        "dropped": [line for line in before.lines if line.month not in kept],
        "crumbs": [
            (_("Contrats d'apprentissage"), reverse("apprenticeship:contract_list")),
            (contract.reference, reverse("apprenticeship:contract_detail", args=[contract.pk])),
            (_("Vérifier avant de clôturer"), None),
        ],
    }
    return render(request, "apprenticeship/contract_end_check.html", context)
