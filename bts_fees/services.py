"""Use cases of the bts_fees app: one function per use case, keyword-only, in a transaction,
with the permission check, the state check, a row lock and one audit event per transition."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.enums import Scheme
from core.models import LuxIndex, School, User
from core.rules import value_in_force
from core.selectors import is_admin, is_lycee_staff, is_officer
from core.services import audit_record

from . import rules
from .enums import (
    ActUnit,
    BodyKind,
    CurriculumPhase,
    DeclarationStatus,
    LecturerCategory,
    MemberRole,
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
    LecturerContract,
    LessonRecord,
    Person,
    Programme,
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
    *, actor: User, school: School, code: str, title: str, accredited_from=None, accredited_until=None
) -> Programme:
    _require_school(actor, school.pk)
    programme = Programme(
        school=school, code=code, title=title, accredited_from=accredited_from, accredited_until=accredited_until
    )
    programme.full_clean()
    programme.save()
    return programme


PERSON_FIELDS = (
    "last_name",
    "first_name",
    "email",
    "clq_level",
    "regulated_level",
    "national_or_benelux_diploma",
    "has_diploma",
    "has_registry_entry",
    "has_authorisation",
)


@transaction.atomic
def person_save(*, actor: User, school: School, person: Person | None = None, **fields) -> Person:
    """Create a person of a lycée, or update one (locked while updated)."""
    _require_school(actor, school.pk)
    if person is None:
        person = Person(school=school)
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.school_id != school.pk:
            raise PermissionDenied
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])
    person.full_clean()
    person.save()
    return person


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
) -> Appointment:
    """Propose or record an appointment; the body is locked so that two additions cannot both
    take the last seat (BTS-3)."""
    body = Body.objects.select_for_update().select_related("academic_year").get(pk=body.pk)
    _require_school(actor, body.school_id)
    if person.school_id != body.school_id:
        raise ValidationError({"person": _("Cette personne n'est pas enregistrée dans ce lycée.")})
    if valid_until is None:
        valid_until = (
            rules.coordinator_term_end(valid_from) if role == MemberRole.COORDINATOR else body.academic_year.end_date
        )
    if bool(order_reference) != bool(order_date):
        raise ValidationError(
            {"order_reference": _("Indiquez à la fois la référence et la date de l'arrêté ministériel.")}
        )
    counts = Counter(body.appointments.values_list("role", flat=True))
    counts[role] += 1
    messages = composition_messages(body.kind, rules.composition_breaches(body.kind, counts))
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
) -> DeclarationLine:
    """Add a member's act to a declaration, with every check of seed 004 (BTS-2, -3, -4, -6, -9)."""
    declaration = _lock_declaration(declaration.pk)
    body = declaration.body
    _require_school(actor, body.school_id)
    _require_editable(declaration)
    quantity = _check_quantity(quantity)
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
    if not (declaration.period_start <= act_date <= declaration.period_end):
        raise ValidationError({"act_date": _("La date de l'acte doit se situer dans la période de la déclaration.")})
    if not (appointment.valid_from <= act_date <= appointment.valid_until):
        raise ValidationError({"act_date": _("À cette date, la personne n'était pas nommée dans cette instance.")})
    lines = declaration.lines.all()
    if act.unit in (ActUnit.YEAR, ActUnit.SEMESTER):
        if quantity != 1:
            raise ValidationError({"quantity": _("Cette indemnité est forfaitaire : la quantité est 1.")})
        if lines.filter(appointment=appointment, act=act).exists():
            raise ValidationError({"act": _("Cette indemnité forfaitaire est déjà déclarée pour ce membre.")})
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
        rate_at_100=price.rate_at_100,
        index_value=price.index_value,
        unit_amount=price.unit_amount,
        line_amount=price.line_amount,
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def declaration_remove_line(*, actor: User, line: DeclarationLine) -> None:
    declaration = _lock_declaration(line.declaration_id)
    _require_school(actor, declaration.body.school_id)
    _require_editable(declaration)
    DeclarationLine.objects.filter(pk=line.pk, declaration=declaration).delete()


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
    """What prevents submitting this declaration (empty when it can be submitted)."""
    problems = []
    lines = list(declaration.lines.select_related("appointment", "act"))
    if not lines:
        problems.append(_("La déclaration ne comporte aucune ligne."))
    if not declaration.attendance_sheet:
        problems.append(_("La liste de présence est obligatoire : joignez-la avant de soumettre."))
    body = declaration.body
    counts = Counter(body.appointments.values_list("role", flat=True))
    problems += composition_messages(body.kind, rules.composition_breaches(body.kind, counts))
    for line in lines:
        if not line.appointment.is_appointed:
            problems.append(_("%(p)s n'est pas nommé par arrêté ministériel.") % {"p": line.appointment.person})
    if body.kind in rules.QUORUM:
        present = defaultdict(set)
        for line in lines:
            present[line.act_date].add(line.appointment_id)
        for day, members in sorted(present.items()):
            if not rules.quorum_met(body.kind, len(members)):
                problems.append(
                    _("Le %(d)s, %(n)s membre(s) seulement : le quorum de %(q)s n'est pas atteint (BTS-3).")
                    % {"d": day.strftime("%d/%m/%Y"), "n": len(members), "q": rules.QUORUM[body.kind]}
                )
    return problems


def _reprice(declaration: Declaration) -> Decimal:
    """Price every line at the rate and index in force on its act's date (CORE-2) and store it."""
    lines = list(declaration.lines.all())
    pricer = Pricer([line.act_id for line in lines])
    total = Decimal("0.00")
    for line in lines:
        price = pricer.price(act_id=line.act_id, on=line.act_date, quantity=line.quantity)
        line.rate_at_100, line.index_value = price.rate_at_100, price.index_value
        line.unit_amount, line.line_amount = price.unit_amount, price.line_amount
        total += price.line_amount
    DeclarationLine.objects.bulk_update(lines, ["rate_at_100", "index_value", "unit_amount", "line_amount"])
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
    declaration.total_amount = _reprice(declaration)
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
    declaration.total_amount = _reprice(declaration)
    declaration.status = DeclarationStatus.VALIDATED
    declaration.decided_at, declaration.decided_by, declaration.reason = timezone.now(), actor, ""
    declaration.save()
    _status_audit(actor, declaration, before, declaration.status, "bts_declaration_validate")
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
) -> LecturerContract:
    """BTS-8: signature not after the start; one contract per programme; documents on file."""
    _require_school(actor, programme.school_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    errors = {}
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


def _same_lecturer(person: Person):
    """The person's rows across lycées (same e-mail address), for the caps across programmes."""
    if person.email:
        return Person.objects.filter(email__iexact=person.email)
    return Person.objects.filter(pk=person.pk)


@transaction.atomic
def lesson_record(
    *, actor: User, contract: LecturerContract, lesson_date: date, lessons: int, evaluation: bool = False
) -> LessonRecord:
    """Record lessons; refused beyond 252 a year across programmes, or 20 a semester for a guest
    lecturer, who never evaluates (BTS-4)."""
    contract = LecturerContract.objects.select_related("academic_year", "person", "programme").get(pk=contract.pk)
    _require_school(actor, contract.programme.school_id)
    # Lock every row of this lecturer: two entries at once cannot both pass the cap.
    list(_same_lecturer(contract.person).select_for_update().order_by("pk").values_list("pk", flat=True))
    year = contract.academic_year
    if isinstance(lessons, bool) or not isinstance(lessons, int) or lessons <= 0:
        raise ValidationError({"lessons": _("Le nombre de leçons doit être un entier positif.")})
    if lessons > 50:
        raise ValidationError({"lessons": _("Au plus 50 leçons par relevé journalier.")})
    if not year.contains(lesson_date) or lesson_date < contract.start_date:
        raise ValidationError(
            {"lesson_date": _("La date doit se situer entre le début du contrat et la fin de l'année d'études.")}
        )
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
