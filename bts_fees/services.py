"""Use cases of the bts_fees app: one function per use case, keyword-only, in a transaction,
with the permission check, the state check, a row lock and one audit event per transition."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.enums import Scheme
from core.models import LuxIndex, School, User
from core.rules import value_in_force
from core.selectors import is_admin, is_lycee_staff, is_officer
from core.services import audit_record

from . import notices, rules
from .enums import (
    ActUnit,
    BodyKind,
    CurriculumPhase,
    DeclarationStatus,
    LecturerCategory,
    MemberRole,
    PaidOnce,
    PaperKind,
    StatementLineKind,
)
from .models import (
    AcademicYear,
    Act,
    ActRate,
    Appointment,
    Body,
    ConflictDeclaration,
    Declaration,
    DeclarationLine,
    ExamPaper,
    LecturerContract,
    LessonRecord,
    Person,
    Programme,
    Statement,
    StatementLine,
)

MAX_QUANTITY = Decimal("9999")
MAX_SHEET_BYTES = 10 * 1024 * 1024
# Attendance sheets are recognised by their first bytes, never by their name or declared type.
SHEET_SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)


# -- permissions ---------------------------------------------------------------------------------


def can_manage_school(user: User, school_id: int) -> bool:
    """Lycée staff of that lycée (or an administrator) record its BTS data."""
    if is_admin(user):
        return True
    return is_lycee_staff(user) and user.schools.filter(pk=school_id).exists()


def _require_school(user: User, school_id: int) -> None:
    if not can_manage_school(user, school_id):
        raise PermissionDenied(_("Vous ne pouvez pas modifier les données de ce lycée."))


def _require_officer(user: User) -> None:
    if not is_officer(user, Scheme.BTS_FEES):
        raise PermissionDenied(_("Seuls les agents du ministère peuvent prendre cette décision."))


def _status_audit(actor, obj, before: str, after: str, action: str, reason: str = ""):
    audit_record(actor=actor, action=action, obj=obj, before={"status": before}, after={"status": after}, reason=reason)


# -- pricing: CORE-1 / CORE-2 / BTS-1 --------------------------------------------------------------


@dataclass(frozen=True)
class Price:
    rate_at_100: Decimal
    index_value: Decimal
    unit_amount: Decimal
    line_amount: Decimal


class Pricer:
    """Prices acts on their dates from the rates and indices loaded once (no query per line)."""

    def __init__(self, act_ids):
        self.rates = defaultdict(list)
        for rate in ActRate.objects.filter(act_id__in=set(act_ids)):
            self.rates[rate.act_id].append((rate.valid_from, rate.valid_until, rate))
        self.indices = LuxIndex.objects.periods("value")

    def price(self, *, act_id: int, on: date, quantity, field: str = "act_date") -> Price:
        rate = value_in_force(self.rates.get(act_id, []), on)
        if rate is None:
            raise ValidationError(
                {field: _("Aucun taux n'est en vigueur pour cet acte le %(d)s.") % {"d": on.strftime("%d/%m/%Y")}}
            )
        index = value_in_force(self.indices, on)
        if index is None:
            raise ValidationError(
                {field: _("Aucun nombre indice n'est en vigueur le %(d)s.") % {"d": on.strftime("%d/%m/%Y")}}
            )
        return Price(
            rate_at_100=rate.rate_at_100,
            index_value=index,
            unit_amount=rules.unit_amount(rate.rate_at_100, index),
            line_amount=rules.line_amount(rate.rate_at_100, index, quantity),
        )


def rates_in_force(on: date) -> dict[str, Decimal]:
    """Act code → rate at index 100 in force on a date (none for an act whose rate has ended)."""
    return dict(
        ActRate.objects.in_force(on=on).order_by("act__code", "valid_from").values_list("act__code", "rate_at_100")
    )


# -- programmes, people, bodies, appointments -----------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: User,
    school: School,
    code: str,
    title: str,
    accredited_from: date | None = None,
    accredited_until: date | None = None,
    admissibility_notified_on: date | None = None,
) -> Programme:
    _require_school(actor, school.pk)
    programme = Programme(
        school=school,
        code=code,
        title=title,
        accredited_from=accredited_from,
        accredited_until=accredited_until,
        admissibility_notified_on=admissibility_notified_on,
    )
    programme.full_clean()
    programme.save()
    audit_record(actor=actor, action="bts_programme_create", obj=programme, after={"code": programme.code})
    return programme


PERSON_FIELDS = (
    "last_name",
    "first_name",
    "email",
    "clq_level",
    "regulated_level",
    "is_director",
    "national_or_benelux_diploma",
    "has_diploma",
    "has_registry_entry",
    "has_authorisation",
)


@transaction.atomic
def person_save(*, actor: User, school: School, person: Person | None = None, **fields) -> Person:
    """Create a person of a lycée, or update one (locked while updated)."""
    _require_school(actor, school.pk)
    before = None
    if person is None:
        person = Person(school=school)
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.school_id != school.pk:
            raise PermissionDenied
        before = _person_snapshot(person)
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])
    person.full_clean()
    person.save()
    audit_record(
        actor=actor,
        action="bts_person_update" if before is not None else "bts_person_create",
        obj=person,
        before=before,
        after=_person_snapshot(person),
    )
    return person


def _person_snapshot(person: Person) -> dict:
    return {name: getattr(person, name) for name in PERSON_FIELDS}


@transaction.atomic
def body_create(
    *,
    actor: User,
    school: School,
    academic_year: AcademicYear,
    kind: str,
    programme: Programme | None = None,
    label: str = "",
    phase: str = "",
    mandate_ends: bool = False,
) -> Body:
    _require_school(actor, school.pk)
    if programme is not None and programme.school_id != school.pk:
        raise ValidationError({"programme": _("Ce programme n'appartient pas à ce lycée.")})
    if (
        kind == BodyKind.LITIGATION_COMMITTEE
        and Body.objects.filter(school=school, academic_year=academic_year, kind=kind, label=label).exists()
    ):
        raise ValidationError(
            {"kind": _("La commission des litiges de ce lycée existe déjà pour cette année d'études.")}
        )
    body = Body(
        school=school,
        programme=programme,
        academic_year=academic_year,
        kind=kind,
        label=label,
        phase=phase or CurriculumPhase.NONE,
        mandate_ends=mandate_ends,
    )
    body.full_clean()
    body.save()
    audit_record(actor=actor, action="bts_body_create", obj=body)
    return body


@transaction.atomic
def body_record_proposals(*, actor: User, body: Body, sent_on: date) -> Body:
    """BTS-7: the lycée records the date it sent its proposals for appointment."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    _require_school(actor, body.school_id)
    before = body.proposals_sent_on.isoformat() if body.proposals_sent_on else None
    body.proposals_sent_on = sent_on
    body.full_clean()
    body.save()
    audit_record(
        actor=actor,
        action="bts_proposals_sent",
        obj=body,
        before={"proposals_sent_on": before},
        after={"proposals_sent_on": sent_on.isoformat()},
    )
    return body


def body_kind_is_thesis(kind: str) -> bool:
    return kind == BodyKind.THESIS_COMMITTEE


# Bodies whose complete composition is a condition of their sitting (seed 004, I.6 and I.8): a
# declaration of theirs is submitted only when the body is complete.
COMPLETE_TO_SIT = (BodyKind.THESIS_COMMITTEE, BodyKind.LITIGATION_COMMITTEE)


def composition_problems(body: Body, *, complete: bool, extra_role: str = "") -> list[str]:
    """BTS-3 breaches of a body's appointments (with one more member of `extra_role`, when given)."""
    appointments = list(body.appointments.select_related("person"))
    counts = Counter(a.role for a in appointments)
    if extra_role:
        counts[extra_role] += 1
    promoter_teaches = any(a.role == MemberRole.PROMOTER and a.teaches_in_programme for a in appointments)
    breaches = rules.composition_breaches(body.kind, counts, complete=complete, promoter_teaches=promoter_teaches)
    messages = composition_messages(body.kind, breaches)
    if complete and body.kind == BodyKind.LITIGATION_COMMITTEE:
        messages += [
            _director_message(a.person) for a in appointments if a.role == MemberRole.DIRECTION and a.person.is_director
        ]
    return messages


def _director_message(person: Person) -> str:
    return _(
        "%(p)s est le directeur du lycée : la direction est représentée à la commission des litiges par un autre "
        "de ses membres (BTS-3)."
    ) % {"p": person}


def composition_messages(kind: str, breaches) -> list[str]:
    messages = []
    for breach in breaches:
        role = MemberRole(breach.role).label if breach.role in MemberRole.values else ""
        if breach.code == "role_not_allowed":
            messages.append(_("La fonction « %(role)s » n'existe pas dans cette instance.") % {"role": role})
        elif breach.code == "too_many" and breach.role == "staff_seats":
            messages.append(
                _("La commission des litiges compte %(n)s membres du personnel au plus.") % {"n": breach.limit}
            )
        elif breach.role == "staff_seats":
            messages.append(
                _(
                    "La commission des litiges compte %(n)s membres du personnel du lycée (BTS-3) ; elle en a %(actual)s."
                )
                % {"n": breach.limit, "actual": breach.actual}
            )
        elif breach.code == "too_few" and body_kind_is_thesis(kind) and breach.role == MemberRole.TEACHER:
            messages.append(
                _(
                    "La commission pour le travail de fin d'études doit compter au moins un membre du corps "
                    "enseignant du programme ; le promoteur peut l'être (BTS-3)."
                )
            )
        elif breach.code == "too_many":
            messages.append(
                _("Cette instance compte au plus %(n)s « %(role)s » (BTS-3) ; elle en aurait %(actual)s.")
                % {"n": breach.limit, "role": role, "actual": breach.actual}
            )
        elif breach.role:
            messages.append(
                _("Cette instance doit compter au moins %(n)s « %(role)s » (BTS-3).")
                % {"n": breach.limit, "role": role}
            )
        else:
            messages.append(_("Cette instance doit compter au moins %(n)s membres (BTS-3).") % {"n": breach.limit})
    return messages


@transaction.atomic
def appointment_create(
    *,
    actor: User,
    body: Body,
    person: Person,
    role: str,
    valid_from: date,
    valid_until: date | None = None,
    proposed_on: date | None = None,
    order_reference: str = "",
    order_date: date | None = None,
    teaches_in_programme: bool = False,
) -> Appointment:
    """Propose or record an appointment; the body is locked so that two additions cannot both
    take the last seat (BTS-3)."""
    body = Body.objects.select_for_update().select_related("academic_year").get(pk=body.pk)
    _require_school(actor, body.school_id)
    if person.school_id != body.school_id:
        raise ValidationError({"person": _("Cette personne n'est pas enregistrée dans ce lycée.")})
    person = Person.objects.get(pk=person.pk)
    if body.kind == BodyKind.LITIGATION_COMMITTEE and role == MemberRole.DIRECTION and person.is_director:
        raise ValidationError({"person": _director_message(person)})
    if valid_until is None:
        valid_until = (
            rules.coordinator_term_end(valid_from) if role == MemberRole.COORDINATOR else body.academic_year.end_date
        )
    if bool(order_reference) != bool(order_date):
        raise ValidationError(
            {"order_reference": _("Indiquez à la fois la référence et la date de l'arrêté ministériel.")}
        )
    messages = composition_problems(body, complete=False, extra_role=role)
    if messages:
        raise ValidationError({"role": messages})
    if body.appointments.filter(person=person).exists():
        raise ValidationError({"person": _("Cette personne est déjà nommée dans cette instance.")})
    appointment = Appointment(
        body=body,
        person=person,
        role=role,
        valid_from=valid_from,
        valid_until=valid_until,
        proposed_on=proposed_on,
        order_reference=order_reference,
        order_date=order_date,
        teaches_in_programme=bool(teaches_in_programme),
    )
    appointment.full_clean()
    appointment.save()
    audit_record(actor=actor, action="bts_appointment_create", obj=appointment, after={"role": role})
    return appointment


@transaction.atomic
def appointment_record_order(
    *, actor: User, appointment: Appointment, order_reference: str, order_date: date
) -> Appointment:
    """BTS-2: record the ministerial order that appoints a proposed member."""
    appointment = Appointment.objects.select_for_update().select_related("body").get(pk=appointment.pk)
    _require_school(actor, appointment.body.school_id)
    if not order_reference or not order_date:
        raise ValidationError(
            {"order_reference": _("Indiquez à la fois la référence et la date de l'arrêté ministériel.")}
        )
    appointment.order_reference, appointment.order_date = order_reference, order_date
    appointment.full_clean()
    appointment.save()
    audit_record(
        actor=actor, action="bts_appointment_order", obj=appointment, after={"order_reference": order_reference}
    )
    return appointment


# -- declarations ------------------------------------------------------------------------------


@transaction.atomic
def declaration_create(
    *,
    actor: User,
    body: Body,
    period_label: str,
    period_start: date,
    period_end: date,
    candidates: int | None = None,
    papers: int | None = None,
) -> Declaration:
    _require_school(actor, body.school_id)
    year = body.academic_year
    errors = {}
    if period_end < period_start:
        errors["period_end"] = _("La fin de la période précède son début.")
    elif not (year.contains(period_start) and year.contains(period_end)):
        errors["period_start"] = _("La période doit se situer dans l'année d'études %(y)s.") % {"y": year.label}
    if papers is not None and papers > rules.MAX_ADMISSION_PAPERS:
        errors["papers"] = _("L'examen d'admission comporte deux épreuves au plus (BTS-6).")
    if errors:
        raise ValidationError(errors)
    if Declaration.objects.filter(body=body, period_start=period_start, period_end=period_end).exists():
        raise ValidationError({"period_start": _("Une déclaration existe déjà pour cette instance et cette période.")})
    declaration = Declaration(
        body=body,
        period_label=period_label,
        period_start=period_start,
        period_end=period_end,
        candidates=candidates,
        papers=papers,
    )
    declaration.full_clean()
    declaration.save()
    audit_record(actor=actor, action="bts_declaration_create", obj=declaration, after={"status": declaration.status})
    return declaration


def _lock_declaration(declaration_id: int) -> Declaration:
    return Declaration.objects.select_for_update().select_related("body", "body__academic_year").get(pk=declaration_id)


def _require_editable(declaration: Declaration) -> None:
    if not declaration.is_editable:
        raise ValidationError(
            _("Cette déclaration est %(s)s : elle ne peut plus être modifiée.")
            % {"s": declaration.get_status_display()}
        )


def _check_quantity(quantity) -> Decimal:
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


def _curriculum_hours(body: Body, person_id: int) -> tuple[Decimal, Decimal]:
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


def _cap_message(check: rules.CapCheck, unit: str) -> str:
    scope = {
        "total": _("pour l'ensemble du groupe"),
        "member": _("par membre"),
        "year": _("par année d'études"),
        "semester": _("par semestre"),
    }.get(check.scope, "")
    return _("Plafond de %(cap)s %(unit)s %(scope)s dépassé (BTS-4) : il reste %(left)s %(unit)s.") % {
        "cap": _fmt(check.cap),
        "unit": unit,
        "scope": scope,
        "left": _fmt(check.remaining),
    }


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"
    return text.replace(".", ",")


# -- units and plausibility (each act carries its unit; a per-day maximum per person) ----------


def unit_count(unit: str, value) -> str:
    """A quantity with its unit, in words: « 3 réunions », « 1,5 heure », « 2 dossiers »."""
    value = Decimal(value)
    text, n = _fmt(value), int(value)
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


def _check_whole(act: Act, quantity: Decimal, field: str = "quantity") -> None:
    """A quantity that counts things (dossiers, meetings, candidates…) is a whole number."""
    if not rules.quantity_is_whole(act.unit, quantity):
        raise ValidationError(
            {
                field: _("Cet acte se compte en %(unit)s : la quantité est un nombre entier.")
                % {"unit": unit_name(act.unit)}
            }
        )


def _same_person(person: Person):
    """The person's rows across lycées (same e-mail address): one human for the caps and limits."""
    if person.email:
        return Person.objects.filter(email__iexact=person.email)
    return Person.objects.filter(pk=person.pk)


def _lock_person(person: Person) -> None:
    """Lock every row of this person: two entries at once cannot both pass a limit."""
    list(_same_person(person).select_for_update().order_by("pk").values_list("pk", flat=True))


def _daily_message(*, unit: str, daily_max: Decimal, so_far: Decimal, day: date, recorded: bool = False) -> str:
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


def _check_daily_max(*, act: Act, person: Person, day: date, quantity: Decimal) -> None:
    """Plausibility: one person's quantity of an act on one day, across lines and declarations."""
    if act.daily_max is None:
        return
    so_far = sum(
        DeclarationLine.objects.filter(appointment__person__in=_same_person(person), act=act, act_date=day).values_list(
            "quantity", flat=True
        ),
        Decimal(0),
    )
    if so_far + quantity > act.daily_max:
        raise ValidationError(
            {"quantity": _daily_message(unit=act.unit, daily_max=act.daily_max, so_far=so_far, day=day)}
        )


# -- rules of seed 004 that a line must keep (checked when added and again at submission) ------

CORRECTION_ACTS = ("ADM_CORRECTION_2H", "ADM_CORRECTION_3H", "ADM_CORRECTION_OVER_3H")
INTERVIEW_ACT = "ADM_ORAL"
PAPER_ACTS = (*CORRECTION_ACTS, INTERVIEW_ACT)


def _coordinator_error(body: Body, appointment: Appointment) -> str:
    """Seed 004, I.1: the coordinator is paid as a curriculum-group member only for accreditation work."""
    if (
        body.kind == BodyKind.CURRICULUM_GROUP
        and appointment.role == MemberRole.COORDINATOR
        and not rules.coordinator_paid_in_phase(body.phase)
    ):
        return _(
            "Le coordinateur n'est indemnisé comme membre du groupe curriculaire que pour les travaux "
            "d'accréditation initiale et de réaccréditation, jamais pendant le fonctionnement du programme."
        )
    return ""


def _accreditation_error(body: Body, act_date: date) -> str:
    """Seed 004, I.2 b: accreditation work within 24 months of the notification of admissibility."""
    if body.kind != BodyKind.CURRICULUM_GROUP or body.phase != CurriculumPhase.ACCREDITATION:
        return ""
    notified = body.programme.admissibility_notified_on if body.programme_id else None
    if notified is None:
        return _(
            "Indiquez d'abord la date de notification de la recevabilité du programme : les travaux "
            "d'accréditation sont limités à 24 mois à compter de cette date."
        )
    end = rules.accreditation_work_end(notified)
    if not notified <= act_date <= end:
        return _(
            "Les travaux d'accréditation sont limités à 24 mois à compter de la notification de la "
            "recevabilité : du %(start)s au %(end)s."
        ) % {"start": notified.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
    return ""


def _paid_once_error(*, declaration: Declaration, appointment: Appointment, act: Act) -> str:
    """Acts paid once (seed 004): the admission committee's final deliberation once a year per member,
    the exam board's deliberation once per session; never again in another declaration of the body."""
    if not act.paid_once:
        return ""
    same = DeclarationLine.objects.filter(appointment=appointment, act=act).select_related("declaration")
    return _paid_once_message(act, declaration, list(same.order_by("declaration_id", "pk")))


def _paid_once_message(act: Act, declaration: Declaration, others: list[DeclarationLine]) -> str:
    """The refusal when one of `others` (lines of the same member and act) already pays it."""
    if act.paid_once == PaidOnce.SESSION:  # the sessions whose periods overlap this one
        others = [
            o
            for o in others
            if o.declaration.period_start <= declaration.period_end
            and o.declaration.period_end >= declaration.period_start
        ]
    if not others:
        return ""
    other = others[0]
    if other.declaration_id == declaration.pk:
        return _("Cette indemnité est unique : elle figure déjà pour ce membre dans cette déclaration.")
    values = {"ref": other.declaration.reference, "period": other.declaration.period_label}
    if act.paid_once == PaidOnce.ACADEMIC_YEAR:
        return (
            _(
                "Cette indemnité est payée une seule fois par année d'études et par membre : elle figure déjà "
                "pour ce membre dans la déclaration %(ref)s (%(period)s)."
            )
            % values
        )
    return (
        _(
            "Cette indemnité est payée une seule fois par session et par membre : elle figure déjà pour ce "
            "membre dans la déclaration %(ref)s (%(period)s), dont la période recouvre celle-ci."
        )
        % values
    )


def _paid_once_problems(declaration: Declaration, lines: list[DeclarationLine]) -> dict[int, str]:
    """Line id → refusal, for the lines of `declaration` paid twice (one query for all of them)."""
    once = [line for line in lines if line.act.paid_once]
    if not once:
        return {}
    related = defaultdict(list)
    for other in (
        DeclarationLine.objects.filter(
            appointment_id__in={line.appointment_id for line in once}, act_id__in={line.act_id for line in once}
        )
        .select_related("declaration")
        .order_by("declaration_id", "pk")
    ):
        related[(other.appointment_id, other.act_id)].append(other)
    problems = {}
    for line in once:
        others = [o for o in related[(line.appointment_id, line.act_id)] if o.pk != line.pk]
        message = _paid_once_message(line.act, declaration, others)
        if message:
            problems[line.pk] = message
    return problems


def _check_paper(*, declaration: Declaration, appointment: Appointment, act: Act, paper, quantity: Decimal):
    """BTS-6: corrections come from the paper's first marks; an interview is two examiners, once."""
    if act.code not in PAPER_ACTS:
        if paper is not None:
            raise ValidationError({"paper": _("Seules les corrections et les entretiens se rapportent à une épreuve.")})
        return None
    if paper is None:
        raise ValidationError({"paper": _("Choisissez l'épreuve à laquelle cet acte se rapporte (BTS-6).")})
    paper = ExamPaper.objects.filter(pk=paper.pk, declaration=declaration).first()
    if paper is None:
        raise ValidationError({"paper": _("Cette épreuve n'appartient pas à cette déclaration.")})
    if act.code == INTERVIEW_ACT:
        if paper.kind != PaperKind.INTERVIEW:
            raise ValidationError(
                {
                    "paper": _(
                        "L'épreuve n° %(n)s est écrite : la présence à un entretien se déclare sur une épreuve "
                        "remplacée par un entretien."
                    )
                    % {"n": paper.number}
                }
            )
        examiners = set(paper.lines.filter(act__code=INTERVIEW_ACT).values_list("appointment_id", flat=True))
        if appointment.pk in examiners:
            raise ValidationError(
                {
                    "appointment": _(
                        "Cet examinateur est déjà déclaré pour l'entretien de l'épreuve n° %(n)s : un entretien "
                        "se déclare une fois par examinateur."
                    )
                    % {"n": paper.number}
                }
            )
        if len(examiners) >= rules.INTERVIEW_EXAMINERS:
            raise ValidationError(
                {
                    "appointment": _(
                        "L'entretien qui remplace l'épreuve n° %(n)s se tient devant deux examinateurs, déjà "
                        "déclarés (BTS-6)."
                    )
                    % {"n": paper.number}
                }
            )
        return paper
    if paper.kind != PaperKind.WRITTEN:
        raise ValidationError(
            {
                "paper": _("L'épreuve n° %(n)s est remplacée par un entretien : elle n'a pas de correction écrite.")
                % {"n": paper.number}
            }
        )
    if not paper.first_marks:
        raise ValidationError(
            {
                "paper": _(
                    "Enregistrez d'abord les notes de première correction de l'épreuve n° %(n)s : les corrections "
                    "payées en découlent (BTS-6)."
                )
                % {"n": paper.number}
            }
        )
    corrections = paper.lines.filter(act__code__in=CORRECTION_ACTS)
    done = sum(corrections.values_list("quantity", flat=True), Decimal(0))
    payable = paper.payable_corrections
    if done + quantity > payable:
        raise ValidationError(
            {
                "quantity": _(
                    "Épreuve n° %(n)s : %(payable)s au plus pour %(copies)s (une par copie, et une deuxième pour "
                    "chaque note de 8,5 à 9,9 ; BTS-6). Déjà déclaré : %(done)s ; il reste %(left)s."
                )
                % {
                    "n": paper.number,
                    "payable": ngettext("%(k)s correction", "%(k)s corrections", payable) % {"k": payable},
                    "copies": ngettext("%(k)s copie", "%(k)s copies", len(paper.first_marks))
                    % {"k": len(paper.first_marks)},
                    "done": _fmt(done),
                    "left": _fmt(max(payable - done, Decimal(0))),
                }
            }
        )
    mine = sum(corrections.filter(appointment=appointment).values_list("quantity", flat=True), Decimal(0))
    if mine + quantity > len(paper.first_marks):
        raise ValidationError(
            {
                "quantity": _(
                    "Un correcteur corrige chaque copie une fois au plus : %(copies)s pour l'épreuve n° %(n)s, "
                    "dont %(mine)s déjà déclarées pour ce correcteur."
                )
                % {
                    "copies": ngettext("%(k)s copie", "%(k)s copies", len(paper.first_marks))
                    % {"k": len(paper.first_marks)},
                    "n": paper.number,
                    "mine": _fmt(mine),
                }
            }
        )
    return paper


def _line_audit(line: DeclarationLine) -> dict:
    return {
        "line": line.pk,
        "person": str(line.appointment.person),
        "act": line.act.code,
        "act_date": line.act_date.isoformat(),
        "quantity": str(line.quantity),
        "line_amount": str(line.line_amount),
    }


@transaction.atomic
def declaration_add_line(
    *,
    actor: User,
    declaration: Declaration,
    appointment: Appointment,
    act: Act,
    act_date: date,
    quantity,
    student: str = "",
    paper: ExamPaper | None = None,
) -> DeclarationLine:
    """Add a member's act to a declaration, with every check of seed 004 (BTS-2, -3, -4, -6, -9,
    acts paid once, the coordinator's phases, the unit of the act and its per-day maximum)."""
    declaration = _lock_declaration(declaration.pk)
    body = declaration.body
    _require_school(actor, body.school_id)
    _require_editable(declaration)
    quantity = _check_quantity(quantity)
    act = Act.objects.get(pk=act.pk)
    appointment = Appointment.objects.select_related("person").get(pk=appointment.pk)
    # BTS-2: only a person appointed by ministerial order to this body for this academic year.
    if appointment.body_id != body.pk or not appointment.is_appointed:
        raise ValidationError(
            {
                "appointment": _(
                    "Seules les personnes nommées par arrêté ministériel dans cette instance peuvent être déclarées."
                )
            }
        )
    if act.body_kind != body.kind or appointment.role not in (act.allowed_roles or []):
        raise ValidationError(
            {
                "act": _("Cet acte n'est pas ouvert à la fonction « %(role)s » dans cette instance.")
                % {"role": appointment.get_role_display()}
            }
        )
    _check_whole(act, quantity)
    coordinator = _coordinator_error(body, appointment)
    if coordinator:
        raise ValidationError({"appointment": coordinator})
    if not (declaration.period_start <= act_date <= declaration.period_end):
        raise ValidationError({"act_date": _("La date de l'acte doit se situer dans la période de la déclaration.")})
    if not (appointment.valid_from <= act_date <= appointment.valid_until):
        raise ValidationError({"act_date": _("À cette date, la personne n'était pas nommée dans cette instance.")})
    accreditation = _accreditation_error(body, act_date)
    if accreditation:
        raise ValidationError({"act_date": accreditation})
    # One person's lines are added one at a time (acts paid once, per-day maximum across bodies).
    _lock_person(appointment.person)
    lines = declaration.lines.all()
    if act.unit in (ActUnit.YEAR, ActUnit.SEMESTER):
        if quantity != 1:
            raise ValidationError({"quantity": _("Cette indemnité est forfaitaire : la quantité est 1.")})
        if lines.filter(appointment=appointment, act=act).exists():
            raise ValidationError({"act": _("Cette indemnité forfaitaire est déjà déclarée pour ce membre.")})
    once = _paid_once_error(declaration=declaration, appointment=appointment, act=act)
    if once:
        raise ValidationError({"act": once})
    _check_daily_max(act=act, person=appointment.person, day=act_date, quantity=quantity)
    # BTS-9: a member related to a student is excluded from that student's decisions.
    if (
        student
        and ConflictDeclaration.objects.filter(
            person_id=appointment.person_id, programme_id=body.programme_id, student__iexact=student.strip()
        ).exists()
    ):
        raise ValidationError(
            {
                "student": _(
                    "Ce membre a déclaré un lien de parenté avec cet étudiant : il ne peut pas participer aux décisions le concernant."
                )
            }
        )
    # BTS-4: curriculum-group caps, the programme row locked so that two entries cannot both pass.
    if body.kind == BodyKind.CURRICULUM_GROUP and act.unit == ActUnit.HOUR:
        if body.programme_id:
            Programme.objects.select_for_update().filter(pk=body.programme_id).first()
        total, member = _curriculum_hours(body, appointment.person_id)
        check = rules.curriculum_hours_check(
            phase=body.phase, total_so_far=total, member_so_far=member, requested=quantity
        )
        if not check.allowed:
            raise ValidationError({"quantity": _cap_message(check, _("heures"))})
    # BTS-6: admission exam.
    paper = _check_paper(declaration=declaration, appointment=appointment, act=act, paper=paper, quantity=quantity)
    if act.code == "ADM_QUESTIONNAIRE":
        papers = declaration.papers or rules.MAX_ADMISSION_PAPERS
        done = sum(lines.filter(act=act).values_list("quantity", flat=True), Decimal(0))
        if done + quantity > papers:
            raise ValidationError(
                {"quantity": _("Un questionnaire par épreuve, %(n)s épreuve(s) au plus (BTS-6).") % {"n": papers}}
            )
    if act.code == "ADM_INVIGILATION":
        if declaration.candidates is None:
            raise ValidationError({"act": _("Indiquez d'abord le nombre de candidats de la déclaration.")})
        allowed = rules.invigilators_required(declaration.candidates)
        invigilators = set(lines.filter(act=act, act_date=act_date).values_list("appointment_id", flat=True)) | {
            appointment.pk
        }
        if len(invigilators) > allowed:
            raise ValidationError(
                {
                    "appointment": _(
                        "Un surveillant par 10 candidats : %(n)s surveillant(s) pour %(c)s candidats (BTS-6)."
                    )
                    % {"n": allowed, "c": declaration.candidates}
                }
            )
    price = Pricer([act.pk]).price(act_id=act.pk, on=act_date, quantity=quantity)
    line = DeclarationLine(
        declaration=declaration,
        appointment=appointment,
        act=act,
        act_date=act_date,
        quantity=quantity,
        student=student.strip(),
        paper=paper,
        rate_at_100=price.rate_at_100,
        index_value=price.index_value,
        unit_amount=price.unit_amount,
        line_amount=price.line_amount,
    )
    line.full_clean()
    line.save()
    audit_record(actor=actor, action="bts_declaration_add_line", obj=declaration, after=_line_audit(line))
    return line


@transaction.atomic
def declaration_remove_line(*, actor: User, line: DeclarationLine) -> None:
    declaration = _lock_declaration(line.declaration_id)
    _require_school(actor, declaration.body.school_id)
    _require_editable(declaration)
    line = (
        DeclarationLine.objects.select_related("appointment__person", "act")
        .filter(pk=line.pk, declaration=declaration)
        .first()
    )
    if line is None:
        return
    before = _line_audit(line)
    line.delete()
    audit_record(actor=actor, action="bts_declaration_remove_line", obj=declaration, before=before)


# -- admission exam papers (BTS-6) ----------------------------------------------------------------


def parse_marks(marks) -> list[str]:
    """The first marks of a paper, as stored: texts with a point ("8.5"). ValidationError naming the
    values that are not marks out of 20."""
    if isinstance(marks, str):
        marks = [m for m in re.split(r"[;\s]+", marks) if m]
    parsed, bad = [], []
    for mark in marks:
        try:
            parsed.append(rules.parse_mark(mark))
        except ValueError:
            bad.append(str(mark)[:20])
    if bad:
        raise ValidationError(
            {
                "first_marks": ngettext(
                    "Ceci n'est pas une note sur 20 : %(v)s. Saisissez des notes de 0 à 20 (8,5 par exemple).",
                    "Ce ne sont pas des notes sur 20 : %(v)s. Saisissez des notes de 0 à 20 (8,5 par exemple).",
                    len(bad),
                )
                % {"v": " ; ".join(f"« {value} »" for value in bad[:5])}
            }
        )
    return [f"{mark.normalize():f}" if mark == mark.to_integral() else str(mark) for mark in parsed]


@transaction.atomic
def exam_paper_record(*, actor: User, declaration: Declaration, number: int, kind: str, first_marks) -> ExamPaper:
    """BTS-6: record (or correct) a paper of the admission exam with the candidates' first marks.

    The corrections paid for it follow from these marks (`rules.payable_corrections`): marks that
    would pay fewer corrections than those already declared for the paper are refused.
    """
    declaration = _lock_declaration(declaration.pk)
    _require_school(actor, declaration.body.school_id)
    _require_editable(declaration)
    if declaration.body.kind != BodyKind.ADMISSION_COMMITTEE:
        raise ValidationError(_("Seule une déclaration de la commission d'admission comporte des épreuves."))
    papers = declaration.papers or rules.MAX_ADMISSION_PAPERS
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= papers:
        raise ValidationError(
            {
                "number": ngettext("L'examen compte %(n)s épreuve.", "L'examen compte %(n)s épreuves.", papers)
                % {"n": papers}
            }
        )
    if kind not in PaperKind.values:
        raise ValidationError({"kind": _("Choisissez la nature de l'épreuve.")})
    marks = parse_marks(first_marks)
    if declaration.candidates is not None and len(marks) > declaration.candidates:
        raise ValidationError(
            {
                "first_marks": _("Une note par candidat : %(n)s notes saisies pour %(c)s candidats.")
                % {"n": len(marks), "c": declaration.candidates}
            }
        )
    paper = ExamPaper.objects.filter(declaration=declaration, number=number).first()
    before = None
    if paper is None:
        paper = ExamPaper(declaration=declaration, number=number)
    else:
        before = {"kind": paper.kind, "first_marks": list(paper.first_marks)}
    paper.kind, paper.first_marks = kind, marks
    if paper.pk:
        corrections = sum(
            paper.lines.filter(act__code__in=CORRECTION_ACTS).values_list("quantity", flat=True), Decimal(0)
        )
        if corrections > paper.payable_corrections:
            raise ValidationError(
                {
                    "first_marks": _(
                        "Ces notes donnent %(payable)s corrections payables, mais %(done)s sont déjà déclarées pour "
                        "cette épreuve : retirez d'abord les lignes en trop."
                    )
                    % {"payable": paper.payable_corrections, "done": _fmt(corrections)}
                }
            )
        if kind != PaperKind.INTERVIEW and paper.lines.filter(act__code=INTERVIEW_ACT).exists():
            raise ValidationError({"kind": _("Des examinateurs sont déjà déclarés pour l'entretien de cette épreuve.")})
    paper.full_clean()
    paper.save()
    audit_record(
        actor=actor,
        action="bts_exam_paper_record",
        obj=declaration,
        before=before,
        after={"paper": number, "kind": kind, "first_marks": marks, "payable_corrections": paper.payable_corrections},
    )
    return paper


def detect_sheet_type(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of an attendance sheet from its first bytes, or None."""
    for signature, extension, content_type in SHEET_SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    return None


def check_sheet(upload) -> tuple[str, str]:
    """BTS-10: a PDF, PNG or JPEG file of at most 10 Mo, checked by its content."""
    if upload is None:
        raise ValidationError({"attendance_sheet": _("Joignez la liste de présence.")})
    if upload.size > MAX_SHEET_BYTES:
        raise ValidationError({"attendance_sheet": _("Le fichier dépasse 10 Mo.")})
    if upload.size == 0:
        raise ValidationError({"attendance_sheet": _("Le fichier est vide.")})
    upload.seek(0)
    detected = detect_sheet_type(upload.read(16))
    upload.seek(0)
    if detected is None:
        raise ValidationError({"attendance_sheet": _("La liste de présence doit être un fichier PDF, PNG ou JPEG.")})
    return detected


@transaction.atomic
def declaration_attach_sheet(*, actor: User, declaration: Declaration, upload) -> Declaration:
    declaration = _lock_declaration(declaration.pk)
    _require_school(actor, declaration.body.school_id)
    _require_editable(declaration)
    extension, content_type = check_sheet(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    old = declaration.attendance_sheet.name if declaration.attendance_sheet else ""
    original = (upload.name or "liste").rsplit("/", 1)[-1][:150]
    declaration.attendance_sheet.save(f"sheet.{extension}", upload, save=False)
    declaration.attendance_sheet_name = original
    declaration.attendance_sheet_type = content_type
    declaration.attendance_sheet_sha256 = digest.hexdigest()
    declaration.save()
    audit_record(
        actor=actor,
        action="bts_declaration_attach_sheet",
        obj=declaration,
        before={"attendance_sheet": old},
        after={"attendance_sheet": declaration.attendance_sheet.name, "sha256": declaration.attendance_sheet_sha256},
    )
    if old:
        transaction.on_commit(lambda: declaration.attendance_sheet.storage.delete(old))
    return declaration


def submission_problems(declaration: Declaration) -> list[str]:
    """What prevents submitting this declaration (empty when it can be submitted).

    The rules checked when each line was added are checked again here, on the lines as they are:
    a line entered before a rule existed, or a body changed since, cannot slip through.
    """
    problems = []
    lines = list(declaration.lines.select_related("appointment", "appointment__person", "act"))
    if not lines:
        problems.append(_("La déclaration ne comporte aucune ligne."))
    if not declaration.attendance_sheet:
        problems.append(_("La liste de présence est obligatoire : joignez-la avant de soumettre."))
    body = declaration.body
    problems += composition_problems(body, complete=body.kind in COMPLETE_TO_SIT)
    for line in lines:
        if not line.appointment.is_appointed:
            problems.append(_("%(p)s n'est pas nommé par arrêté ministériel.") % {"p": line.appointment.person})
    paid_twice = _paid_once_problems(declaration, lines)
    for line in lines:
        person = line.appointment.person
        for message in (
            _coordinator_error(body, line.appointment),
            _accreditation_error(body, line.act_date),
            paid_twice.get(line.pk, ""),
        ):
            if message:
                problems.append(f"{person} — {line.act} — {line.act_date:%d/%m/%Y} : {message}")
    if body.kind == BodyKind.EXAM_BOARD:
        present = defaultdict(set)
        for line in lines:
            present[line.act_date].add(line.appointment_id)
        for day, members in sorted(present.items()):
            if not rules.quorum_met(body.kind, len(members)):
                problems.append(
                    _("Le %(d)s, %(n)s membre(s) seulement : le quorum de %(q)s n'est pas atteint (BTS-3).")
                    % {"d": day.strftime("%d/%m/%Y"), "n": len(members), "q": rules.QUORUM[body.kind]}
                )
    if body.kind == BodyKind.LITIGATION_COMMITTEE:
        problems += _litigation_problems(lines)
    return problems


def _litigation_problems(lines) -> list[str]:
    """BTS-3: each decision of the litigation committee needs 3 voting members (the secretary does not vote)."""
    by_day = defaultdict(list)
    for line in lines:
        by_day[line.act_date].append(line)
    problems = []
    for day, day_lines in sorted(by_day.items()):
        decisions = int(max(line.quantity for line in day_lines))
        voters = defaultdict(Decimal)
        for line in day_lines:
            if line.appointment.role in rules.LITIGATION_VOTING_ROLES:
                voters[line.appointment_id] += line.quantity
        if not rules.litigation_decisions_valid(list(voters.values()), decisions):
            problems.append(
                _(
                    "Le %(d)s, %(decisions)s pour %(members)s : une décision de la commission des litiges n'est "
                    "acquise que si trois membres au moins s'y rallient ; le secrétaire ne vote pas (BTS-3)."
                )
                % {
                    "d": day.strftime("%d/%m/%Y"),
                    "decisions": ngettext("%(n)s décision", "%(n)s décisions", decisions) % {"n": decisions},
                    "members": ngettext("%(n)s membre votant", "%(n)s membres votants", len(voters))
                    % {"n": len(voters)},
                }
            )
    return problems


def _reprice(declaration: Declaration, actor: User) -> Decimal:
    """Price every line at the rate and index in force on its act's date (CORE-2) and store it,
    with a historical record of each line (simple-history: a plain bulk_update leaves none)."""
    lines = list(declaration.lines.all())
    pricer = Pricer([line.act_id for line in lines])
    total = Decimal("0.00")
    for line in lines:
        price = pricer.price(act_id=line.act_id, on=line.act_date, quantity=line.quantity)
        line.rate_at_100, line.index_value = price.rate_at_100, price.index_value
        line.unit_amount, line.line_amount = price.unit_amount, price.line_amount
        total += price.line_amount
    if lines:
        bulk_update_with_history(
            lines,
            DeclarationLine,
            ["rate_at_100", "index_value", "unit_amount", "line_amount"],
            default_user=actor,
            default_change_reason=f"montants recalculés ({declaration.reference})",
        )
    return total


@transaction.atomic
def declaration_submit(*, actor: User, declaration: Declaration) -> Declaration:
    """BTS-10: the lycée submits the body's declaration in one batch with its attendance sheet."""
    declaration = _lock_declaration(declaration.pk)
    _require_school(actor, declaration.body.school_id)
    if not declaration.is_editable:
        raise ValidationError(
            _("Cette déclaration est %(s)s : elle ne peut pas être soumise.") % {"s": declaration.get_status_display()}
        )
    problems = submission_problems(declaration)
    if problems:
        raise ValidationError(problems)
    before = declaration.status
    declaration.total_amount = _reprice(declaration, actor)
    declaration.status = DeclarationStatus.SUBMITTED
    declaration.submitted_at, declaration.submitted_by = timezone.now(), actor
    declaration.save()
    _status_audit(actor, declaration, before, declaration.status, "bts_declaration_submit")
    return declaration


@transaction.atomic
def declaration_validate(*, actor: User, declaration: Declaration) -> Declaration:
    """BTS-10: an officer validates; each line is frozen at the index in force on its act's date."""
    _require_officer(actor)
    declaration = _lock_declaration(declaration.pk)
    if declaration.status != DeclarationStatus.SUBMITTED:
        raise ValidationError(
            _("Seule une déclaration soumise peut être validée ; celle-ci est %(s)s.")
            % {"s": declaration.get_status_display()}
        )
    before = declaration.status
    declaration.total_amount = _reprice(declaration, actor)
    declaration.status = DeclarationStatus.VALIDATED
    declaration.decided_at, declaration.decided_by, declaration.reason = timezone.now(), actor, ""
    declaration.save()
    _status_audit(actor, declaration, before, declaration.status, "bts_declaration_validate")
    notices.declaration_decided(declaration)
    return declaration


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Indiquez le motif (5 caractères au moins).")})
    return reason


@transaction.atomic
def declaration_reject(*, actor: User, declaration: Declaration, reason: str) -> Declaration:
    _require_officer(actor)
    reason = _reason(reason)
    declaration = _lock_declaration(declaration.pk)
    if declaration.status != DeclarationStatus.SUBMITTED:
        raise ValidationError(
            _("Seule une déclaration soumise peut être rejetée ; celle-ci est %(s)s.")
            % {"s": declaration.get_status_display()}
        )
    before = declaration.status
    declaration.status = DeclarationStatus.REJECTED
    declaration.decided_at, declaration.decided_by, declaration.reason = timezone.now(), actor, reason
    declaration.save()
    _status_audit(actor, declaration, before, declaration.status, "bts_declaration_reject", reason)
    notices.declaration_decided(declaration)
    return declaration


@transaction.atomic
def declaration_reopen(*, actor: User, declaration: Declaration, reason: str) -> Declaration:
    """An officer reopens a validated declaration with a written reason (recorded)."""
    _require_officer(actor)
    reason = _reason(reason)
    declaration = _lock_declaration(declaration.pk)
    if declaration.status != DeclarationStatus.VALIDATED:
        raise ValidationError(
            _("Seule une déclaration validée peut être rouverte ; celle-ci est %(s)s.")
            % {"s": declaration.get_status_display()}
        )
    before = declaration.status
    declaration.status = DeclarationStatus.REOPENED
    declaration.reason = reason
    declaration.save()
    _status_audit(actor, declaration, before, declaration.status, "bts_declaration_reopen", reason)
    return declaration


def declarations_validate_bulk(*, actor: User, declaration_ids) -> tuple[list[Declaration], list[str]]:
    """Validate several declarations, each in its own transaction: one failure stops no other."""
    _require_officer(actor)
    done, errors = [], []
    for declaration in Declaration.objects.filter(pk__in=list(declaration_ids)).order_by("pk"):
        try:
            done.append(declaration_validate(actor=actor, declaration=declaration))
        except ValidationError as exc:
            errors.append(f"{declaration.reference} : {' '.join(exc.messages)}")
    return done, errors


# -- external lecturers ------------------------------------------------------------------------

CATEGORY_RATE_CODE = {
    LecturerCategory.GUEST_LECTURER: "GUEST_LECTURE",
    LecturerCategory.AUXILIARY_COLLABORATOR: "AUXILIARY_HOUR",
}


@transaction.atomic
def contract_create(
    *,
    actor: User,
    person: Person,
    programme: Programme,
    academic_year: AcademicYear,
    category: str,
    subject: str,
    signature_date: date,
    start_date: date,
    subject_linked: bool = True,
    ministry_signature_date: date | None = None,
    ministry_exception_reason: str = "",
) -> LecturerContract:
    """BTS-8: signature not after the start; one contract per programme; documents on file. The
    ministry's signature (before the first lesson, save a documented exception) may come later."""
    _require_school(actor, programme.school_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    errors = {}
    ministry_exception_reason = (ministry_exception_reason or "").strip()
    if ministry_exception_reason and len(ministry_exception_reason) < MIN_EXCEPTION_REASON:
        errors["ministry_exception_reason"] = _exception_reason_message()
    if person.school_id != programme.school_id:
        errors["person"] = _("Cette personne n'est pas enregistrée dans ce lycée.")
    if not rules.contract_dates_valid(signature_date=signature_date, start_date=start_date):
        errors["signature_date"] = _(
            "La date de signature ne peut en aucun cas être postérieure au début du contrat (BTS-8)."
        )
    if not academic_year.contains(start_date):
        errors["start_date"] = _("Le début du contrat doit se situer dans l'année d'études %(y)s.") % {
            "y": academic_year.label
        }
    if LecturerContract.objects.filter(person=person, programme=programme, academic_year=academic_year).exists():
        errors["programme"] = _(
            "Un contrat existe déjà pour cette personne et ce programme cette année (un contrat par programme)."
        )
    rate_code = CATEGORY_RATE_CODE.get(category, "")
    if category == LecturerCategory.EXTERNAL_LECTURER:
        if person.clq_level is None and not person.regulated_level:
            errors["person"] = _(
                "Indiquez le niveau CLQ du diplôme ou le niveau de l'autorisation d'exercer de la personne."
            )
        elif not person.documents_complete:
            errors["person"] = _(
                "Pièces manquantes au dossier : le diplôme et son inscription au registre des titres (sauf diplôme national ou Benelux), ou l'autorisation d'exercer."
            )
        else:
            rate_code = rules.lecturer_rate_code(
                clq_level=person.clq_level,
                regulated_level=person.regulated_level or None,
                subject_linked=subject_linked,
                rates=rates_in_force(start_date) or None,
            )
    if errors:
        raise ValidationError(errors)
    contract = LecturerContract(
        person=person,
        programme=programme,
        academic_year=academic_year,
        category=category,
        subject=subject,
        subject_linked=subject_linked,
        signature_date=signature_date,
        start_date=start_date,
        ministry_signature_date=ministry_signature_date,
        ministry_exception_reason=ministry_exception_reason,
        rate_code=rate_code,
    )
    contract.full_clean()
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:
        raise ValidationError(
            {"programme": _("Un contrat existe déjà pour cette personne et ce programme cette année.")}
        )
    audit_record(actor=actor, action="bts_contract_create", obj=contract, after={"rate_code": rate_code})
    return contract


MIN_EXCEPTION_REASON = 10


def _exception_reason_message() -> str:
    return _("Motivez le cas exceptionnel en une phrase (10 caractères au moins).")


@transaction.atomic
def contract_record_ministry_signature(
    *,
    actor: User,
    contract: LecturerContract,
    ministry_signature_date: date | None,
    ministry_exception_reason: str = "",
) -> LecturerContract:
    """Seed 004, II.4: record the date the minister's representative signed the contract, or the
    documented exception that allows lessons before that signature."""
    contract = LecturerContract.objects.select_for_update().select_related("programme").get(pk=contract.pk)
    _require_school(actor, contract.programme.school_id)
    reason = (ministry_exception_reason or "").strip()
    if ministry_signature_date is None and not reason:
        raise ValidationError(
            {
                "ministry_signature_date": _(
                    "Indiquez la date de signature du représentant du ministre, ou motivez le cas exceptionnel."
                )
            }
        )
    if reason and len(reason) < MIN_EXCEPTION_REASON:
        raise ValidationError({"ministry_exception_reason": _exception_reason_message()})
    before = {
        "ministry_signature_date": contract.ministry_signature_date.isoformat()
        if contract.ministry_signature_date
        else None,
        "ministry_exception_reason": contract.ministry_exception_reason,
    }
    contract.ministry_signature_date, contract.ministry_exception_reason = ministry_signature_date, reason
    contract.full_clean()
    contract.save()
    audit_record(
        actor=actor,
        action="bts_contract_ministry_signature",
        obj=contract,
        before=before,
        after={
            "ministry_signature_date": ministry_signature_date.isoformat() if ministry_signature_date else None,
            "ministry_exception_reason": reason,
        },
        reason=reason,
    )
    return contract


def _same_lecturer(person: Person):
    """The person's rows across lycées (same e-mail address), for the caps across programmes."""
    return _same_person(person)


@transaction.atomic
def lesson_record(
    *, actor: User, contract: LecturerContract, lesson_date: date, lessons: int, evaluation: bool = False
) -> LessonRecord:
    """Record lessons; refused beyond 252 a year across programmes, or 20 a semester for a guest
    lecturer, who never evaluates (BTS-4); before the ministry's signature without a documented
    exception (seed 004, II.4); beyond the act's per-day maximum for the person."""
    contract = LecturerContract.objects.select_related("academic_year", "person", "programme").get(pk=contract.pk)
    _require_school(actor, contract.programme.school_id)
    # Lock every row of this lecturer: two entries at once cannot both pass the cap.
    _lock_person(contract.person)
    year = contract.academic_year
    if isinstance(lessons, bool) or not isinstance(lessons, int) or lessons <= 0:
        raise ValidationError({"lessons": _("Le nombre de leçons doit être un entier positif.")})
    if lessons > 50:
        raise ValidationError({"lessons": _("Au plus 50 leçons par relevé journalier.")})
    if not year.contains(lesson_date) or lesson_date < contract.start_date:
        raise ValidationError(
            {"lesson_date": _("La date doit se situer entre le début du contrat et la fin de l'année d'études.")}
        )
    if not rules.lesson_allowed_by_ministry_signature(
        lesson_date=lesson_date,
        ministry_signature_date=contract.ministry_signature_date,
        exception_recorded=bool(contract.ministry_exception_reason),
    ):
        if contract.ministry_signature_date is None:
            message = _(
                "Le contrat n'est pas encore signé par le représentant du ministre : aucune leçon ne peut être "
                "enregistrée avant cette signature, sauf cas exceptionnel dûment motivé et enregistré sur le contrat."
            )
        else:
            message = _(
                "Le représentant du ministre a signé le contrat le %(d)s : il doit l'avoir signé avant le jour de "
                "la leçon, sauf cas exceptionnel dûment motivé et enregistré sur le contrat."
            ) % {"d": contract.ministry_signature_date.strftime("%d/%m/%Y")}
        raise ValidationError({"lesson_date": message})
    if evaluation and contract.category == LecturerCategory.GUEST_LECTURER:
        raise ValidationError(
            {"evaluation": _("Un conférencier spécialisé ne participe pas à l'évaluation des étudiants (BTS-4).")}
        )
    semester = year.semester_of(lesson_date)
    if contract.category in (LecturerCategory.EXTERNAL_LECTURER, LecturerCategory.GUEST_LECTURER):
        same = LessonRecord.objects.filter(
            contract__person__in=_same_lecturer(contract.person),
            contract__academic_year=year,
            contract__category=contract.category,
        )
        year_so_far = sum(same.values_list("lessons", flat=True))
        semester_so_far = sum(same.filter(semester=semester).values_list("lessons", flat=True))
        check = rules.lessons_check(
            category=contract.category, year_so_far=year_so_far, semester_so_far=semester_so_far, requested=lessons
        )
        if not check.allowed:
            raise ValidationError({"lessons": _cap_message(check, _("leçons"))})
    act = Act.objects.filter(code=contract.rate_code).first()
    if act is None:
        raise ValidationError({"lesson_date": _("Le taux de ce contrat est introuvable dans le barème.")})
    if act.daily_max is not None:
        so_far = Decimal(
            sum(
                LessonRecord.objects.filter(
                    contract__person__in=_same_lecturer(contract.person), lesson_date=lesson_date
                ).values_list("lessons", flat=True)
            )
        )
        if so_far + lessons > act.daily_max:
            raise ValidationError(
                {
                    "lessons": _daily_message(
                        unit=act.unit, daily_max=act.daily_max, so_far=so_far, day=lesson_date, recorded=True
                    )
                }
            )
    price = Pricer([act.pk]).price(act_id=act.pk, on=lesson_date, quantity=lessons, field="lesson_date")
    record = LessonRecord(
        contract=contract,
        lesson_date=lesson_date,
        lessons=lessons,
        semester=semester,
        evaluation=evaluation,
        rate_at_100=price.rate_at_100,
        index_value=price.index_value,
        unit_amount=price.unit_amount,
        line_amount=price.line_amount,
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action="bts_lesson_record",
        obj=contract,
        after={
            "lesson_record": record.pk,
            "lesson_date": lesson_date.isoformat(),
            "lessons": lessons,
            "line_amount": str(record.line_amount),
        },
    )
    return record


@transaction.atomic
def conflict_declare(
    *, actor: User, person: Person, programme: Programme, student: str, relationship: str, declared_on: date
) -> ConflictDeclaration:
    """BTS-9: record a member's relationship with a student of the programme."""
    _require_school(actor, programme.school_id)
    if person.school_id != programme.school_id:
        raise ValidationError({"person": _("Cette personne n'est pas enregistrée dans ce lycée.")})
    student = (student or "").strip()
    if ConflictDeclaration.objects.filter(person=person, programme=programme, student__iexact=student).exists():
        raise ValidationError({"student": _("Ce lien est déjà déclaré.")})
    conflict = ConflictDeclaration(
        person=person, programme=programme, student=student, relationship=relationship, declared_on=declared_on
    )
    conflict.full_clean()
    conflict.save()
    audit_record(actor=actor, action="bts_conflict_declare", obj=conflict)
    return conflict


# -- statement per person and academic year (issued, frozen) --------------------------------------


def _require_person_scope(user: User, person: Person) -> None:
    """Officers of the scheme, or the staff of the person's lycée."""
    if not (is_officer(user, Scheme.BTS_FEES) or can_manage_school(user, person.school_id)):
        raise PermissionDenied(_("Vous ne pouvez pas émettre le relevé de cette personne."))


def statement_rows(person: Person, academic_year: AcademicYear) -> list[StatementLine]:
    """The figures a statement would hold now (unsaved lines): the acts of validated declarations,
    at the amounts frozen at validation, then the lessons recorded, at the amounts of their date."""
    rows = []
    lines = (
        DeclarationLine.objects.filter(
            appointment__person=person,
            declaration__status=DeclarationStatus.VALIDATED,
            declaration__body__academic_year=academic_year,
        )
        .select_related("act", "declaration")
        .order_by("act_date", "pk")
    )
    for line in lines:
        rows.append(
            StatementLine(
                kind=StatementLineKind.ACT,
                source_reference=line.declaration.reference,
                act_code=line.act.code,
                act_label=str(line.act)[:420],
                unit=line.act.unit,
                act_date=line.act_date,
                quantity=line.quantity,
                rate_at_100=line.rate_at_100,
                index_value=line.index_value,
                unit_amount=line.unit_amount,
                line_amount=line.line_amount,
            )
        )
    lessons = list(
        LessonRecord.objects.filter(contract__person=person, contract__academic_year=academic_year)
        .select_related("contract__programme")
        .order_by("lesson_date", "pk")
    )
    acts = {act.code: act for act in Act.objects.filter(code__in={r.contract.rate_code for r in lessons})}
    for record in lessons:
        act = acts.get(record.contract.rate_code)
        rows.append(
            StatementLine(
                kind=StatementLineKind.LESSON,
                source_reference=record.contract.programme.code,
                act_code=record.contract.rate_code,
                act_label=(str(act) if act else record.contract.rate_code)[:420],
                unit=act.unit if act else ActUnit.LESSON,
                act_date=record.lesson_date,
                quantity=Decimal(record.lessons),
                rate_at_100=record.rate_at_100,
                index_value=record.index_value,
                unit_amount=record.unit_amount,
                line_amount=record.line_amount,
            )
        )
    for position, row in enumerate(rows, start=1):
        row.position = position
    return rows


def _statement_parameters(person: Person, academic_year: AcademicYear, rows: list[StatementLine]) -> dict:
    """The parameters used, with their sources, stored with an issued statement."""
    indices = sorted({row.index_value for row in rows})
    index_rows = LuxIndex.objects.filter(value__in=indices).order_by("valid_from")
    used_rates = {(row.act_code, row.rate_at_100) for row in rows}
    rate_rows = [
        rate
        for rate in ActRate.objects.filter(act__code__in={code for code, _rate in used_rates})
        .select_related("act")
        .order_by("act__code", "valid_from")
        if (rate.act.code, rate.rate_at_100) in used_rates
    ]
    return {
        "person": str(person),
        "school": person.school.name,
        "academic_year": academic_year.label,
        "index": [
            {
                "value": str(r.value),
                "valid_from": r.valid_from.isoformat(),
                "valid_until": r.valid_until.isoformat() if r.valid_until else None,
                "source": r.source,
            }
            for r in index_rows
        ],
        "rates": [
            {
                "act": r.act.code,
                "rate_at_100": str(r.rate_at_100),
                "valid_from": r.valid_from.isoformat(),
                "valid_until": r.valid_until.isoformat() if r.valid_until else None,
                "source": r.source,
            }
            for r in rate_rows
        ],
        "declarations": sorted({row.source_reference for row in rows if row.kind == StatementLineKind.ACT}),
    }


def _row_key(row: StatementLine) -> tuple:
    return (
        row.kind,
        row.source_reference,
        row.act_code,
        row.act_label,
        row.act_date,
        Decimal(row.quantity),
        Decimal(row.index_value),
        Decimal(row.unit_amount),
        Decimal(row.line_amount),
    )


@transaction.atomic
def statement_issue(*, actor: User, person: Person, academic_year: AcademicYear) -> Statement:
    """Issue the statement of a person's fees for an academic year: its lines and the parameters
    used are stored and never recomputed; its PDF is rendered from that copy. A new issue after a
    change makes a new reference; issuing again with nothing changed (a double submit) returns the
    statement already issued."""
    person = Person.objects.select_for_update().select_related("school").get(pk=person.pk)
    _require_person_scope(actor, person)
    rows = statement_rows(person, academic_year)
    if not rows:
        raise ValidationError(
            _("Aucune indemnité validée ni leçon enregistrée pour %(p)s en %(y)s : il n'y a pas de relevé à émettre.")
            % {"p": person, "y": academic_year.label}
        )
    parameters = _statement_parameters(person, academic_year, rows)
    issued = Statement.objects.filter(person=person, academic_year=academic_year)
    latest = issued.order_by("-number").first()
    if (
        latest is not None
        and latest.parameters == parameters
        and [_row_key(line) for line in latest.lines.order_by("position")] == [_row_key(row) for row in rows]
    ):
        return latest  # nothing changed since the last statement (double submit): no new one
    number = (latest.number if latest else 0) + 1
    lines_total = sum((r.line_amount for r in rows if r.kind == StatementLineKind.ACT), Decimal("0.00"))
    lessons_total = sum((r.line_amount for r in rows if r.kind == StatementLineKind.LESSON), Decimal("0.00"))
    statement = Statement(
        reference=f"BTS-R{person.pk:06d}-{academic_year.label}-{number:02d}",
        person=person,
        academic_year=academic_year,
        number=number,
        issued_at=timezone.now(),
        issued_by=actor,
        parameters=parameters,
        lines_total_amount=lines_total,
        lessons_total_amount=lessons_total,
        total_amount=lines_total + lessons_total,
    )
    statement.full_clean()
    statement.save()
    for row in rows:  # positions are numbered here: the database keeps them unique
        row.statement = statement
        row.full_clean(validate_unique=False, validate_constraints=False)
    bulk_create_with_history(rows, StatementLine, default_user=actor)
    audit_record(
        actor=actor,
        action="bts_statement_issue",
        obj=statement,
        after={"person": str(person), "academic_year": academic_year.label, "total": str(statement.total_amount)},
    )
    return statement
