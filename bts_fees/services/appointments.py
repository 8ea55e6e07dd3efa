"""The composition of a body (BTS-3) and the appointments by ministerial order (BTS-2)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import User
from core.services import audit_record

from .. import permissions, rules
from ..enums import (
    AuditAction,
    BodyKind,
    MemberRole,
)
from ..models import (
    Appointment,
    Body,
    Person,
)


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
    permissions.require_school(actor, body.school_id)
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
    audit_record(actor=actor, action=AuditAction.APPOINTMENT_CREATE, obj=appointment, after={"role": role})
    return appointment


@transaction.atomic
def appointment_record_order(
    *, actor: User, appointment: Appointment, order_reference: str, order_date: date
) -> Appointment:
    """BTS-2: record the ministerial order that appoints a proposed member."""
    appointment = Appointment.objects.select_for_update().select_related("body").get(pk=appointment.pk)
    permissions.require_school(actor, appointment.body.school_id)
    if not order_reference or not order_date:
        raise ValidationError(
            {"order_reference": _("Indiquez à la fois la référence et la date de l'arrêté ministériel.")}
        )
    appointment.order_reference, appointment.order_date = order_reference, order_date
    appointment.full_clean()
    appointment.save()
    audit_record(
        actor=actor,
        action=AuditAction.APPOINTMENT_RECORD_ORDER,
        obj=appointment,
        after={"order_reference": order_reference},
    )
    return appointment
