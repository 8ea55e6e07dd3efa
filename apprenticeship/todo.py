"""What the apprenticeship scheme asks of the user, for the home page (see `core.todo`).

Employers: the arrears they owe (APP-9), the months to record after their last recorded payment,
the aid requests to introduce before forclusion (APP-7). Lycée staff of a Luxembourg lycée: the
contracts left as drafts. Officers: the contracts with arrears.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.selectors import is_employer, is_lycee_staff
from core.todo import TodoItem

from . import permissions, selectors
from .enums import ContractStatus

# Beyond this many drafts, one item with the count replaces the list.
MAX_LISTED = 5


def _scheme() -> str:
    return _("Apprentissage")


def _month_label(month: date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _add_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def arrears_items(user, today: date) -> list[TodoItem]:
    """APP-9: per contract (employer) or in total (officer), the arrears owed on the months due."""
    from .selectors import arrears_overview

    owing = [row for row in arrears_overview(user=user) if row["difference"] + row["shortfall"] > 0]
    if not owing:
        return []
    url = reverse("apprenticeship:arrears")
    if not is_employer(user):
        total = sum((row["difference"] + row["shortfall"] for row in owing), Decimal("0.00"))
        text = ngettext(
            "%(n)d contrat présente des arriérés d'indemnité.",
            "%(n)d contrats présentent des arriérés d'indemnité.",
            len(owing),
        ) % {"n": len(owing)}
        return [
            TodoItem(_scheme(), text, url, _("Voir les arriérés"), amount=total, count=len(owing), key="app-arrears")
        ]
    items = []
    for row in owing:
        contract = row["contract"]
        months = len(row["months"])
        items.append(
            TodoItem(
                _scheme(),
                _("Arriérés d'indemnité dus à %(a)s (contrat %(r)s).")
                % {"a": contract.apprentice, "r": contract.reference},
                url,
                _("Voir le détail des arriérés"),
                detail=ngettext(
                    "Sur %(n)d mois échu : à verser à l'apprenti puis à enregistrer.",
                    "Sur %(n)d mois échus : à verser à l'apprenti puis à enregistrer.",
                    months,
                )
                % {"n": months},
                amount=row["difference"] + row["shortfall"],
                count=months,
                key=f"app-arrears-{contract.pk}",
                urgent=True,
            )
        )
    return items


def payment_items(user, contracts, today: date) -> list[TodoItem]:
    """The months ended since the last payment the employer recorded (an employer that records
    its payments is reminded of the following months), up to the end of the contract."""
    last_month = date(today.year, today.month, 1)  # the current month is not over: not yet to record
    items = []
    for contract in contracts:
        recorded = [p.month for p in contract.payments.all()]
        if not recorded:
            continue
        end = contract.effective_end
        month, missing = _add_month(max(recorded)), []
        while month < last_month and month <= end:
            missing.append(month)
            month = _add_month(month)
        if not missing:
            continue
        text = ngettext(
            "%(n)d versement à enregistrer pour %(a)s (contrat %(r)s).",
            "%(n)d versements à enregistrer pour %(a)s (contrat %(r)s).",
            len(missing),
        ) % {"n": len(missing), "a": contract.apprentice, "r": contract.reference}
        detail = _("De %(first)s à %(last)s.") % {
            "first": _month_label(missing[0]),
            "last": _month_label(missing[-1]),
        }
        if len(missing) == 1:
            detail = _("Mois de %(m)s.") % {"m": _month_label(missing[0])}
        url = reverse("apprenticeship:contract_detail", args=[contract.pk]) + "#record-payment"
        items.append(
            TodoItem(
                _scheme(),
                text,
                url,
                _("Enregistrer un versement"),
                detail=detail,
                count=len(missing),
                key=f"app-payments-{contract.pk}",
            )
        )
    return items


def aid_items(contracts, today: date) -> list[TodoItem]:
    """APP-7: one item per contract whose aid of a year can be requested and is not prepared yet."""
    items = []
    for entry in selectors.aid_deadlines(contracts, today):
        for contract in entry["contracts"]:
            url = reverse("apprenticeship:aid_prepare", args=[contract.pk]) + f"?school_year={entry['school_year']}"
            items.append(
                TodoItem(
                    _scheme(),
                    _("Demande d'aide de promotion %(y)s à introduire pour %(a)s (contrat %(r)s).")
                    % {"y": entry["label"], "a": contract.apprentice, "r": contract.reference},
                    url,
                    _("Préparer la demande"),
                    due=entry["deadline"],
                    detail=_("Passé cette date, la demande est forclose."),
                    key=f"app-aid-{contract.pk}-{entry['school_year']}",
                    today=today,
                )
            )
    return items


def draft_items(user, today: date) -> list[TodoItem]:
    drafts = list(
        selectors.contract_list(user).filter(status=ContractStatus.DRAFT).order_by("start_date")[: MAX_LISTED + 1]
    )
    if len(drafts) > MAX_LISTED:
        count = selectors.contract_list(user).filter(status=ContractStatus.DRAFT).count()
        text = ngettext(
            "%(n)d contrat en brouillon à compléter.", "%(n)d contrats en brouillon à compléter.", count
        ) % {"n": count}
        url = reverse("apprenticeship:contract_list") + "?status=draft"
        return [TodoItem(_scheme(), text, url, _("Voir les brouillons"), count=count, key="app-drafts")]
    return [
        TodoItem(
            _scheme(),
            _("Contrat %(r)s de %(a)s en brouillon : conditions à compléter avant sa mise en cours.")
            % {"r": c.reference, "a": c.apprentice},
            reverse("apprenticeship:contract_detail", args=[c.pk]),
            _("Compléter le contrat"),
            due=c.start_date,
            detail=_("Début du contrat prévu le %(d)s.") % {"d": f"{c.start_date:%d/%m/%Y}"},
            key=f"app-draft-{c.pk}",
            today=today,
        )
        for c in drafts
    ]


def todo(user, today: date) -> list[TodoItem]:
    if is_employer(user):
        contracts = list(
            selectors.contract_list(user)
            .exclude(status=ContractStatus.DRAFT)
            .prefetch_related("payments", "aid_requests")
            .order_by("start_date", "reference")
        )
        return (
            arrears_items(user, today)
            + payment_items(user, contracts, today)
            + aid_items(selectors.contract_list(user), today)
        )
    if permissions.is_apprenticeship_officer(user):
        return arrears_items(user, today)
    if is_lycee_staff(user) and selectors.works_in_apprenticeship(user):
        return draft_items(user, today)
    return []
