"""External lecturers: their contracts (BTS-8, the ministry's signature), their lessons at the rate
of their category (BTS-5), and the declarations of incompatibility (BTS-9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.models import User
from core.services import audit_record

from .. import permissions, rules
from ..enums import (
    AuditAction,
    LecturerCategory,
)
from ..models import (
    AcademicYear,
    Act,
    ConflictDeclaration,
    LecturerContract,
    LessonRecord,
    Person,
    Programme,
)
from ..selectors.pricing import Pricer, rates_in_force
from ..selectors.quantities import (
    cap_message,
    daily_message,
    person_rows,
)
from .base import person_lock

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
    permissions.require_school(actor, programme.school_id)
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
    audit_record(actor=actor, action=AuditAction.CONTRACT_CREATE, obj=contract, after={"rate_code": rate_code})
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
    permissions.require_school(actor, contract.programme.school_id)
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
        action=AuditAction.CONTRACT_RECORD_MINISTRY_SIGNATURE,
        obj=contract,
        before=before,
        after={
            "ministry_signature_date": ministry_signature_date.isoformat() if ministry_signature_date else None,
            "ministry_exception_reason": reason,
        },
        reason=reason,
    )
    return contract


@transaction.atomic
def lesson_record(
    *, actor: User, contract: LecturerContract, lesson_date: date, lessons: int, evaluation: bool = False
) -> LessonRecord:
    """Record lessons; refused beyond 252 a year across programmes, or 20 a semester for a guest
    lecturer, who never evaluates (BTS-4); before the ministry's signature without a documented
    exception (seed 004, II.4); beyond the act's per-day maximum for the person."""
    contract = LecturerContract.objects.select_related("academic_year", "person", "programme").get(pk=contract.pk)
    permissions.require_school(actor, contract.programme.school_id)
    # Lock every row of this lecturer: two entries at once cannot both pass the cap.
    person_lock(contract.person)
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
            contract__person__in=person_rows(contract.person),
            contract__academic_year=year,
            contract__category=contract.category,
        )
        year_so_far = sum(same.values_list("lessons", flat=True))
        semester_so_far = sum(same.filter(semester=semester).values_list("lessons", flat=True))
        check = rules.lessons_check(
            category=contract.category, year_so_far=year_so_far, semester_so_far=semester_so_far, requested=lessons
        )
        if not check.allowed:
            raise ValidationError({"lessons": cap_message(check, _("leçons"))})
    act = Act.objects.filter(code=contract.rate_code).first()
    if act is None:
        raise ValidationError({"lesson_date": _("Le taux de ce contrat est introuvable dans le barème.")})
    if act.daily_max is not None:
        so_far = Decimal(
            sum(
                LessonRecord.objects.filter(
                    contract__person__in=person_rows(contract.person), lesson_date=lesson_date
                ).values_list("lessons", flat=True)
            )
        )
        if so_far + lessons > act.daily_max:
            raise ValidationError(
                {
                    "lessons": daily_message(
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
        action=AuditAction.LESSON_RECORD,
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
    permissions.require_school(actor, programme.school_id)
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
    audit_record(actor=actor, action=AuditAction.CONFLICT_DECLARE, obj=conflict)
    return conflict
