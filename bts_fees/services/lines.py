"""Adding and removing the lines of a declaration (one member, one act, one date, a quantity)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import User
from core.services import audit_record

from .. import permissions, rules
from ..enums import (
    ActUnit,
    AuditAction,
    BodyKind,
)
from ..models import (
    Act,
    Appointment,
    ConflictDeclaration,
    Declaration,
    DeclarationLine,
    ExamPaper,
    Programme,
)
from ..selectors.line_rules import (
    accreditation_error,
    coordinator_error,
    paid_once_error,
    paper_check,
)
from ..selectors.pricing import Pricer
from ..selectors.quantities import (
    cap_message,
    curriculum_hours,
    daily_max_check,
    quantity_check,
    quantity_check_whole,
)
from .base import declaration_lock, declaration_require_editable, person_lock


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
    declaration = declaration_lock(declaration.pk)
    body = declaration.body
    permissions.require_school(actor, body.school_id)
    declaration_require_editable(declaration)
    quantity = quantity_check(quantity)
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
    quantity_check_whole(act, quantity)
    coordinator = coordinator_error(body, appointment)
    if coordinator:
        raise ValidationError({"appointment": coordinator})
    if not (declaration.period_start <= act_date <= declaration.period_end):
        raise ValidationError({"act_date": _("La date de l'acte doit se situer dans la période de la déclaration.")})
    if not (appointment.valid_from <= act_date <= appointment.valid_until):
        raise ValidationError({"act_date": _("À cette date, la personne n'était pas nommée dans cette instance.")})
    accreditation = accreditation_error(body, act_date)
    if accreditation:
        raise ValidationError({"act_date": accreditation})
    # One person's lines are added one at a time (acts paid once, per-day maximum across bodies).
    person_lock(appointment.person)
    lines = declaration.lines.all()
    if act.unit in (ActUnit.YEAR, ActUnit.SEMESTER):
        if quantity != 1:
            raise ValidationError({"quantity": _("Cette indemnité est forfaitaire : la quantité est 1.")})
        if lines.filter(appointment=appointment, act=act).exists():
            raise ValidationError({"act": _("Cette indemnité forfaitaire est déjà déclarée pour ce membre.")})
    once = paid_once_error(declaration=declaration, appointment=appointment, act=act)
    if once:
        raise ValidationError({"act": once})
    daily_max_check(act=act, person=appointment.person, day=act_date, quantity=quantity)
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
        total, member = curriculum_hours(body, appointment.person_id)
        check = rules.curriculum_hours_check(
            phase=body.phase, total_so_far=total, member_so_far=member, requested=quantity
        )
        if not check.allowed:
            raise ValidationError({"quantity": cap_message(check, _("heures"))})
    # BTS-6: admission exam.
    paper = paper_check(declaration=declaration, appointment=appointment, act=act, paper=paper, quantity=quantity)
    if act.code == "ADM_QUESTIONNAIRE":
        papers = declaration.papers or rules.MAX_ADMISSION_PAPERS
        done = sum(lines.filter(act=act).values_list("quantity", flat=True), Decimal(0))
        if done + quantity > papers:
            raise ValidationError(
                {
                    "quantity": ngettext(
                        "Un questionnaire par épreuve, %(n)s épreuve au plus (BTS-6).",
                        "Un questionnaire par épreuve, %(n)s épreuves au plus (BTS-6).",
                        papers,
                    )
                    % {"n": papers}
                }
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
                    "appointment": _("Un surveillant par 10 candidats : %(allowed)s pour %(candidates)s (BTS-6).")
                    % {
                        "allowed": ngettext("%(n)s surveillant", "%(n)s surveillants", allowed) % {"n": allowed},
                        "candidates": ngettext("%(c)s candidat", "%(c)s candidats", declaration.candidates)
                        % {"c": declaration.candidates},
                    }
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
    audit_record(actor=actor, action=AuditAction.DECLARATION_ADD_LINE, obj=declaration, after=_line_audit(line))
    return line


@transaction.atomic
def declaration_remove_line(*, actor: User, line: DeclarationLine) -> None:
    declaration = declaration_lock(line.declaration_id)
    permissions.require_school(actor, declaration.body.school_id)
    declaration_require_editable(declaration)
    line = (
        DeclarationLine.objects.select_related("appointment__person", "act")
        .filter(pk=line.pk, declaration=declaration)
        .first()
    )
    if line is None:
        return
    before = _line_audit(line)
    line.delete()
    audit_record(actor=actor, action=AuditAction.DECLARATION_REMOVE_LINE, obj=declaration, before=before)
