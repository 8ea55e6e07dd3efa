"""Mark a notified dotation paid: a recap of what is paid (check your answers), the date of the
transfer and the reference of the payment order, then a page saying what happens next."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.templatetags.bareme import eur
from core.web import apply_errors, require_role

from . import permissions, selectors, services
from .enums import DotationStatus
from .forms import DotationPaymentForm
from .models import Dotation
from .views import year_crumbs


def _crumbs(request, dotation, label):
    return year_crumbs(
        request,
        dotation.school_year,
        (dotation.school.name, reverse("lycee_aid:dotation_detail", args=[dotation.pk])),
        (label, None),
    )


def dotation_paid(request, pk):
    """GET: the recap and the form; POST: record the payment, then the confirmation page."""
    require_role(request.user, officer=permissions.SCHEME)
    dotation = selectors.dotation_get(request.user, pk)
    if dotation.status == DotationStatus.PAID:
        return redirect("lycee_aid:dotation_paid_done", dotation.pk)
    form = DotationPaymentForm(request.POST or None, initial={"payment_date": timezone.localdate()})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.dotation_mark_paid(actor=request.user, dotation=dotation, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("lycee_aid:dotation_paid_done", dotation.pk)
    if request.method == "POST":
        status = 400
    context = {
        "dotation": dotation,
        "form": form,
        "can_pay": dotation.status == DotationStatus.NOTIFIED,
        "crumbs": _crumbs(request, dotation, _("Marquer comme versée")),
    }
    return render(request, "lycee_aid/dotation_paid.html", context, status=status)


def dotation_paid_done(request, pk):
    """What was recorded and what happens next (the other dotations of the campaign still to pay)."""
    require_role(request.user, officer=permissions.SCHEME)
    dotation = selectors.dotation_get(request.user, pk)
    if dotation.status != DotationStatus.PAID:
        return redirect("lycee_aid:dotation_detail", dotation.pk)
    unpaid = (
        Dotation.objects.filter(
            school_year_id=dotation.school_year_id, status=DotationStatus.NOTIFIED, total_due_amount__gt=0
        )
        .select_related("school")
        .order_by("school__name")
    )
    context = {
        "title": _("Versement enregistré"),
        "panel": [
            _("%(a)s versés à %(s)s par virement du %(d)s, mandat %(r)s")
            % {
                "a": eur(dotation.total_due_amount),
                "s": dotation.school.name,
                "d": dotation.payment_date.strftime("%d/%m/%Y") if dotation.payment_date else "—",
                "r": dotation.payment_reference or "—",
            },
        ],
        "dotation": dotation,
        "year": dotation.school_year,
        "unpaid": list(unpaid),
        "links": [(_("Voir la campagne"), reverse("lycee_aid:campaign", args=[dotation.school_year_id]))],
        "crumbs": _crumbs(request, dotation, _("Versement enregistré")),
    }
    return render(request, "lycee_aid/dotation_paid_done.html", context)
