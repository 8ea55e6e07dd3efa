"""Quantities of a declaration as read and checked, changing nothing: a quantity typed, its unit in
words, the caps of a curriculum group and the per-day maximum of a person (BTS-4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import rules
from ..enums import ActUnit, BodyKind, CurriculumPhase, DeclarationStatus
from ..models import Act, Body, DeclarationLine, Person

MAX_QUANTITY = Decimal("9999")


def quantity_check(quantity) -> Decimal:
    try:
        quantity = Decimal(str(quantity))
    except (InvalidOperation, ValueError):
        raise ValidationError({"quantity": _("Saisissez un nombre.")}) from None
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError({"quantity": _("La quantité doit être supérieure à zéro.")})
    if quantity > MAX_QUANTITY:
        raise ValidationError({"quantity": _("La quantité ne peut pas dépasser 9 999.")})
    if quantity != quantity.quantize(Decimal("0.01")):
        raise ValidationError({"quantity": _("La quantité a au plus deux décimales.")})
    return quantity


def curriculum_hours(body: Body, person_id: int) -> tuple[Decimal, Decimal]:
    """Hours already declared for a curriculum group: (group total, this member) for the cap."""
    if body.phase == CurriculumPhase.OPERATION:
        scope = DeclarationLine.objects.filter(declaration__body=body)
    else:  # accreditation (24 months) or re-accreditation (last two operating years): every year of the phase
        scope = DeclarationLine.objects.filter(
            declaration__body__programme_id=body.programme_id,
            declaration__body__kind=BodyKind.CURRICULUM_GROUP,
            declaration__body__phase=body.phase,
        )
    scope = scope.filter(act__unit=ActUnit.HOUR).exclude(declaration__status=DeclarationStatus.REJECTED)
    total, member = Decimal(0), Decimal(0)
    for quantity, line_person in scope.values_list("quantity", "appointment__person_id"):
        total += quantity
        if line_person == person_id:
            member += quantity
    return total, member


def cap_message(check: rules.CapCheck, unit: str) -> str:
    scope = {
        "total": _("pour l'ensemble du groupe"),
        "member": _("par membre"),
        "year": _("par année d'études"),
        "semester": _("par semestre"),
    }.get(check.scope, "")
    return _("Plafond de %(cap)s %(unit)s %(scope)s dépassé (BTS-4) : il reste %(left)s %(unit)s.") % {
        "cap": decimal_text(check.cap),
        "unit": unit,
        "scope": scope,
        "left": decimal_text(check.remaining),
    }


def decimal_text(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"
    return text.replace(".", ",")


def unit_count(unit: str, value) -> str:
    """A quantity with its unit, in words: « 3 réunions », « 1,5 heure », « 2 dossiers »."""
    value = Decimal(value)
    text, n = decimal_text(value), int(value)
    forms = {
        ActUnit.HOUR: lambda: ngettext("%(n)s heure", "%(n)s heures", n),
        ActUnit.CANDIDATE: lambda: ngettext("%(n)s candidat", "%(n)s candidats", n),
        ActUnit.PAPER: lambda: ngettext("%(n)s épreuve", "%(n)s épreuves", n),
        ActUnit.FILE: lambda: ngettext("%(n)s dossier", "%(n)s dossiers", n),
        ActUnit.STUDENT: lambda: ngettext("%(n)s étudiant", "%(n)s étudiants", n),
        ActUnit.DECISION: lambda: ngettext("%(n)s décision", "%(n)s décisions", n),
        ActUnit.MEETING: lambda: ngettext("%(n)s réunion", "%(n)s réunions", n),
        ActUnit.YEAR: lambda: ngettext("%(n)s indemnité annuelle", "%(n)s indemnités annuelles", n),
        ActUnit.SEMESTER: lambda: ngettext("%(n)s indemnité semestrielle", "%(n)s indemnités semestrielles", n),
        ActUnit.LESSON: lambda: ngettext("%(n)s leçon", "%(n)s leçons", n),
    }
    form = forms.get(unit, lambda: ngettext("%(n)s unité", "%(n)s unités", n))
    return form() % {"n": text}


def unit_name(unit: str) -> str:
    """What an act counts, in the plural: « heures », « dossiers »…"""
    return {
        ActUnit.HOUR: _("heures"),
        ActUnit.CANDIDATE: _("candidats"),
        ActUnit.PAPER: _("épreuves"),
        ActUnit.FILE: _("dossiers"),
        ActUnit.STUDENT: _("étudiants"),
        ActUnit.DECISION: _("décisions"),
        ActUnit.MEETING: _("réunions"),
        ActUnit.YEAR: _("indemnités annuelles"),
        ActUnit.SEMESTER: _("indemnités semestrielles"),
        ActUnit.LESSON: _("leçons"),
    }.get(unit, _("unités"))


def quantity_check_whole(act: Act, quantity: Decimal, field: str = "quantity") -> None:
    """A quantity that counts things (dossiers, meetings, candidates…) is a whole number."""
    if not rules.quantity_is_whole(act.unit, quantity):
        raise ValidationError(
            {
                field: _("Cet acte se compte en %(unit)s : la quantité est un nombre entier.")
                % {"unit": unit_name(act.unit)}
            }
        )


def person_rows(person: Person):
    """The person's rows across lycées (same e-mail address): one human for the caps and limits."""
    if person.email:
        return Person.objects.filter(email__iexact=person.email)
    return Person.objects.filter(pk=person.pk)


def daily_message(*, unit: str, daily_max: Decimal, so_far: Decimal, day: date, recorded: bool = False) -> str:
    limit = unit_count(unit, daily_max)
    if not so_far:
        return _("Au plus %(max)s par jour et par personne pour cet acte (contrôle de plausibilité).") % {"max": limit}
    message = (
        _(
            "Au plus %(max)s par jour et par personne pour cet acte (contrôle de plausibilité). "
            "Déjà enregistré pour cette personne le %(d)s : %(done)s ; il reste %(left)s."
        )
        if recorded
        else _(
            "Au plus %(max)s par jour et par personne pour cet acte (contrôle de plausibilité). "
            "Déjà déclaré pour cette personne le %(d)s : %(done)s ; il reste %(left)s."
        )
    )
    return message % {
        "max": limit,
        "d": day.strftime("%d/%m/%Y"),
        "done": unit_count(unit, so_far),
        "left": unit_count(unit, rules.daily_remaining(daily_max=daily_max, so_far=so_far)),
    }


def daily_max_check(*, act: Act, person: Person, day: date, quantity: Decimal) -> None:
    """Plausibility: one person's quantity of an act on one day, across lines and declarations."""
    if act.daily_max is None:
        return
    so_far = sum(
        DeclarationLine.objects.filter(appointment__person__in=person_rows(person), act=act, act_date=day).values_list(
            "quantity", flat=True
        ),
        Decimal(0),
    )
    if so_far + quantity > act.daily_max:
        raise ValidationError(
            {"quantity": daily_message(unit=act.unit, daily_max=act.daily_max, so_far=so_far, day=day)}
        )
