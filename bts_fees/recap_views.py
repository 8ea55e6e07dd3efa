"""Check your answers before what cannot be undone: a declaration submitted (its lines, total and
attendance sheet), declarations validated in bulk (each with its amount) or a line removed from a
draft (the line, and the declaration's total before and after). The confirmations post to
`declaration_submit`, `declarations_validate_bulk` and `declaration_remove_line`."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.enums import Scheme
from core.selectors import is_lycee_staff, is_officer

from . import permissions, selectors
from .enums import DeclarationStatus
from .forms import BulkValidateForm
from .models import DeclarationLine


@require_GET
def declaration_submit_check(request, pk):
    declaration = selectors.declaration_get(request.user, pk)
    if not (is_lycee_staff(request.user) and permissions.can_manage_school(request.user, declaration.body.school_id)):
        raise PermissionDenied
    if not declaration.is_editable:
        return redirect("bts_fees:declaration_detail", pk=declaration.pk)
    lines = list(selectors.declaration_line_list(declaration))
    context = {
        "declaration": declaration,
        "lines": lines,
        "total": sum((line.line_amount for line in lines), 0),
        "problems": selectors.submission_problems(declaration),
        "crumbs": [
            (_("Indemnités BTS"), reverse("bts_fees:declaration_list")),
            (declaration.reference, reverse("bts_fees:declaration_detail", args=[declaration.pk])),
            (_("Vérifier avant de soumettre"), None),
        ],
    }
    return render(request, "bts_fees/declaration_submit_check.html", context)


@require_POST
def declarations_validate_check(request):
    """The declarations ticked for validation, with their amounts, before they are validated
    (validating freezes the amounts at the index in force on each act's date: BTS-10)."""
    if not is_officer(request.user, Scheme.BTS_FEES):
        raise PermissionDenied
    form = BulkValidateForm(request.POST, user=request.user)
    next_url = request.POST.get("next", "")
    next_url = next_url if next_url.startswith("/bts/") else reverse("bts_fees:declaration_list")
    if not form.is_valid():
        messages.error(request, _("Cochez au moins une déclaration soumise."))
        return redirect(next_url)
    declarations = list(selectors.declaration_list(request.user).filter(pk__in=form.cleaned_data["ids"]).order_by("pk"))
    amounts: dict[int, Decimal] = {}
    for declaration_id, amount in DeclarationLine.objects.filter(
        declaration__in=[d.pk for d in declarations]
    ).values_list("declaration_id", "line_amount"):
        amounts[declaration_id] = amounts.get(declaration_id, Decimal("0.00")) + amount
    rows = [{"declaration": d, "amount": amounts.get(d.pk, Decimal("0.00"))} for d in declarations]
    context = {
        "rows": rows,
        "submitted": [r for r in rows if r["declaration"].status == DeclarationStatus.SUBMITTED],
        "total": sum(
            (r["amount"] for r in rows if r["declaration"].status == DeclarationStatus.SUBMITTED), Decimal("0.00")
        ),
        "next": next_url,
        "crumbs": [(_("Indemnités BTS"), reverse("bts_fees:declaration_list")), (_("Vérifier avant de valider"), None)],
    }
    return render(request, "bts_fees/declarations_validate_check.html", context)


@require_GET
def declaration_remove_line_check(request, pk, line_pk):
    """The line about to be removed from a draft (act, member, count, amount) and what the
    declaration's total becomes; nothing is removed before the confirmation is posted."""
    declaration = selectors.declaration_get(request.user, pk)
    lines = list(selectors.declaration_line_list(declaration))
    line = next((line for line in lines if line.pk == line_pk), None)
    if line is None:
        raise Http404
    if not (is_lycee_staff(request.user) and permissions.can_manage_school(request.user, declaration.body.school_id)):
        raise PermissionDenied
    if not declaration.is_editable:
        return redirect("bts_fees:declaration_detail", pk=declaration.pk)
    total = sum((each.line_amount for each in lines), Decimal("0.00"))
    context = {
        "declaration": declaration,
        "line": line,
        "total_before": total,
        "total_after": total - line.line_amount,
        "remaining": len(lines) - 1,
        "crumbs": [
            (_("Indemnités BTS"), reverse("bts_fees:declaration_list")),
            (declaration.reference, reverse("bts_fees:declaration_detail", args=[declaration.pk])),
            (_("Vérifier avant de supprimer"), None),
        ],
    }
    return render(request, "bts_fees/declaration_remove_line_check.html", context)
