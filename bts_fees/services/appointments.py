"""Appointments to a body, within its composition (BTS-3, checked in `selectors.declarations`), and
their ministerial order (BTS-2)."""

from __future__ import annotations

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
from ..selectors.declarations import (
    composition_problems,
    director_message,
)


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
        raise ValidationError({"person": director_message(person)})
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
