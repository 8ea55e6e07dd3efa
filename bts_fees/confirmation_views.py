"""After what cannot be undone, a page that says what was done and what happens next (the shared
`core/confirmation.html`): a declaration submitted, declarations validated in bulk. Each page reads
its figures again from the database, scoped to the user, and leads elsewhere when there is nothing
to confirm (the declaration is no longer submitted, none of the declarations is validated)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from core.enums import Scheme
from core.selectors import is_officer
from core.templatetags.bareme import eur

from . import selectors
from .enums import DeclarationStatus
from .models import DeclarationLine


def submitted_url(declaration) -> str:
    return reverse("bts_fees:declaration_submitted", args=[declaration.pk])


def validated_url(declaration_ids) -> str:
    return reverse("bts_fees:declarations_validated") + "?" + urlencode({"ids": list(declaration_ids)}, doseq=True)


@require_GET
def declaration_submitted(request, pk):
    declaration = selectors.declaration_get(request.user, pk)
    if declaration.status != DeclarationStatus.SUBMITTED:
        return redirect("bts_fees:declaration_detail", pk=declaration.pk)
    # Summed in Python: SQLite sums decimals as floats.
    amounts = list(declaration.lines.values_list("line_amount", flat=True))
    total = sum(amounts, Decimal("0.00"))
    detail = reverse("bts_fees:declaration_detail", args=[declaration.pk])
    context = {
        "title": _("Déclaration soumise au ministère"),
        "panel": [
            _("Référence : %(r)s") % {"r": declaration.reference},
            ngettext("%(n)d ligne, %(a)s au total", "%(n)d lignes, %(a)s au total", len(amounts))
            % {"n": len(amounts), "a": eur(total)},
        ],
        "next_steps": [
            _(
                "Un agent du ministère, chargé des indemnités BTS, examine la déclaration et sa liste de "
                "présence. Il la valide, ce qui arrête les montants au nombre indice en vigueur à la date "
                "de chaque acte (BTS-10), ou la rejette avec un motif."
            ),
            _("La déclaration n'est plus modifiable tant qu'elle est soumise."),
            _(
                "À la décision, un courriel est envoyé à la personne qui a soumis la déclaration et au "
                "personnel du lycée. Une déclaration rejetée revient sur votre page d'accueil, avec son "
                "motif, pour être corrigée et soumise de nouveau."
            ),
        ],
        "links": [
            (_("Voir la déclaration"), detail),
            (_("Télécharger la déclaration (PDF)"), reverse("bts_fees:declaration_pdf", args=[declaration.pk])),
        ],
        "crumbs": [
            (_("Indemnités BTS"), reverse("bts_fees:declaration_list")),
            (declaration.reference, detail),
            (_("Déclaration soumise"), None),
        ],
    }
    return render(request, "core/confirmation.html", context)


@require_GET
def declarations_validated(request):
    if not is_officer(request.user, Scheme.BTS_FEES):
        raise PermissionDenied
    ids = [int(value) for value in request.GET.getlist("ids") if value.isdigit() and len(value) < 12]
    declarations = list(
        selectors.declaration_list(request.user).filter(pk__in=ids, status=DeclarationStatus.VALIDATED).order_by("pk")
    )
    if not declarations:
        return redirect("bts_fees:declaration_list")
    # Summed in Python: SQLite sums decimals as floats.
    amounts = dict.fromkeys((d.pk for d in declarations), Decimal("0.00"))
    for declaration_id, amount in DeclarationLine.objects.filter(declaration__in=list(amounts)).values_list(
        "declaration_id", "line_amount"
    ):
        amounts[declaration_id] += amount
    for declaration in declarations:
        declaration.amount = amounts[declaration.pk]
    total = sum(amounts.values(), Decimal("0.00"))
    context = {
        "title": ngettext("%(n)d déclaration validée", "%(n)d déclarations validées", len(declarations))
        % {"n": len(declarations)},
        "panel": [_("Montants arrêtés : %(a)s au total") % {"a": eur(total)}],
        "declarations": declarations,
        "next_steps": [
            _(
                "Les montants sont arrêtés au nombre indice en vigueur à la date de chaque acte (BTS-10) : "
                "un nouvel indice ne les change plus."
            ),
            _("Chaque lycée concerné reçoit un courriel annonçant la validation de sa déclaration."),
            _("Les montants validés figurent dans la synthèse annuelle, par programme et par lycée, pour le paiement."),
            _("Une déclaration validée ne peut plus qu'être rouverte, avec un motif, depuis sa page."),
        ],
        "links": [
            (_("Déclarations encore à valider"), reverse("bts_fees:declaration_list") + "?status=submitted"),
            (_("Synthèse annuelle"), reverse("bts_fees:summary")),
        ],
        "crumbs": [(_("Indemnités BTS"), reverse("bts_fees:declaration_list")), (_("Déclarations validées"), None)],
    }
    return render(request, "bts_fees/declarations_validated.html", context)
