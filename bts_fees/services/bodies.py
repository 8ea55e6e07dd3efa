"""Programmes, people and bodies (groups, committees, juries): their creation and the proposals
of appointments (BTS-7)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import School, User
from core.services import audit_record

from .. import permissions
from ..enums import (
    AuditAction,
    BodyKind,
    CurriculumPhase,
)
from ..models import (
    AcademicYear,
    Body,
    Person,
    Programme,
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
    permissions.require_school(actor, school.pk)
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
    audit_record(actor=actor, action=AuditAction.PROGRAMME_CREATE, obj=programme, after={"code": programme.code})
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
    permissions.require_school(actor, school.pk)
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
        action=AuditAction.PERSON_UPDATE if before is not None else AuditAction.PERSON_CREATE,
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
    permissions.require_school(actor, school.pk)
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
    audit_record(actor=actor, action=AuditAction.BODY_CREATE, obj=body)
    return body


@transaction.atomic
def body_record_proposals(*, actor: User, body: Body, sent_on: date) -> Body:
    """BTS-7: the lycée records the date it sent its proposals for appointment."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    permissions.require_school(actor, body.school_id)
    before = body.proposals_sent_on.isoformat() if body.proposals_sent_on else None
    body.proposals_sent_on = sent_on
    body.full_clean()
    body.save()
    audit_record(
        actor=actor,
        action=AuditAction.BODY_RECORD_PROPOSALS,
        obj=body,
        before={"proposals_sent_on": before},
        after={"proposals_sent_on": sent_on.isoformat()},
    )
    return body
