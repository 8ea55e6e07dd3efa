"""Check your answers before a declaration is submitted: its lines, their total and the attendance
sheet, with what the ministry does next. The confirmation posts to `declaration_submit`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.selectors import is_lycee_staff

from . import selectors, services


@require_GET
def declaration_submit_check(request, pk):
    declaration = selectors.declaration_get(request.user, pk)
    if not (is_lycee_staff(request.user) and services.can_manage_school(request.user, declaration.body.school_id)):
        raise PermissionDenied
    if not declaration.is_editable:
        return redirect("bts_fees:declaration_detail", pk=declaration.pk)
    lines = list(selectors.declaration_lines(declaration))
    context = {
        "declaration": declaration,
        "lines": lines,
        "total": sum((line.line_amount for line in lines), 0),
        "problems": services.submission_problems(declaration),
        "crumbs": [
            (_("Indemnités BTS"), reverse("bts_fees:declaration_list")),
            (declaration.reference, reverse("bts_fees:declaration_detail", args=[declaration.pk])),
            (_("Vérifier avant de soumettre"), None),
        ],
    }
    return render(request, "bts_fees/declaration_submit_check.html", context)
