"""What the BTS fees ask of the user, for the home page (see `core.todo`).

Officers of the ministry: the declarations submitted and waiting for their decision. Staff of a
Luxembourg lycée: the declarations rejected or reopened, with the reason given, the drafts to
submit, and the proposals of appointment to send by their deadline (BTS-7).
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.enums import Scheme
from core.selectors import is_officer
from core.todo import TodoItem

from . import selectors
from .enums import DeclarationStatus


def _scheme() -> str:
    return _("BTS")


def officer_items(user) -> list[TodoItem]:
    submitted = selectors.declaration_list(user).filter(status=DeclarationStatus.SUBMITTED)
    count = submitted.count()
    if not count:
        return []
    text = ngettext(
        "%(n)d déclaration soumise attend votre décision.",
        "%(n)d déclarations soumises attendent votre décision.",
        count,
    ) % {"n": count}
    oldest = submitted.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    detail = _("La plus ancienne a été soumise le %(d)s.") % {"d": f"{oldest:%d/%m/%Y}"} if oldest else ""
    url = reverse("bts_fees:declaration_list") + "?status=submitted"
    return [
        TodoItem(_scheme(), text, url, _("Examiner les déclarations"), detail=detail, count=count, key="bts-submitted")
    ]


def staff_items(user, today: date) -> list[TodoItem]:
    items = []
    returned = selectors.declaration_list(user).filter(
        status__in=(DeclarationStatus.REJECTED, DeclarationStatus.REOPENED)
    )
    for declaration in returned.order_by("decided_at", "pk"):
        if declaration.status == DeclarationStatus.REJECTED:
            text = _("Déclaration %(r)s rejetée (%(b)s) : à corriger puis à soumettre de nouveau.")
        else:
            text = _("Déclaration %(r)s rouverte (%(b)s) : à corriger puis à soumettre de nouveau.")
        reason = declaration.reason.strip()
        items.append(
            TodoItem(
                _scheme(),
                text % {"r": declaration.reference, "b": declaration.body},
                reverse("bts_fees:declaration_detail", args=[declaration.pk]),
                _("Corriger la déclaration"),
                detail=_("Motif : %(m)s") % {"m": reason} if reason else "",
                key=f"bts-returned-{declaration.pk}",
            )
        )
    drafts = selectors.declaration_list(user).filter(status=DeclarationStatus.DRAFT).count()
    if drafts:
        items.append(
            TodoItem(
                _scheme(),
                ngettext(
                    "%(n)d déclaration en brouillon à compléter et à soumettre.",
                    "%(n)d déclarations en brouillon à compléter et à soumettre.",
                    drafts,
                )
                % {"n": drafts},
                reverse("bts_fees:declaration_list") + "?status=draft",
                _("Voir les brouillons"),
                count=drafts,
                key="bts-drafts",
            )
        )
    for row in selectors.proposals_due(user, on=today):
        body = row["body"]
        items.append(
            TodoItem(
                _scheme(),
                _("Propositions de nomination à envoyer au ministre : %(b)s.") % {"b": body},
                reverse("bts_fees:body_detail", args=[body.pk]),
                _("Enregistrer l'envoi des propositions"),
                due=row["deadline"],
                key=f"bts-proposals-{body.pk}",
                today=today,
            )
        )
    return items


def todo(user, today: date) -> list[TodoItem]:
    if is_officer(user, Scheme.BTS_FEES):
        return officer_items(user)
    if selectors.school_list(user).exists():
        return staff_items(user, today)
    return []
