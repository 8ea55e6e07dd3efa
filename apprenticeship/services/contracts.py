"""Use cases of a contract's life: register, update, activate, end; its training years and the
notification of its PII (APP-3)."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import audit_record
from core.wording import day_label

from .. import permissions, rules, selectors
from ..enums import AuditAction, ContractStatus
from ..models import (
    Apprentice,
    Contract,
    Employer,
    TrainingYear,
)
from ..selectors.checks import contract_checks, contract_registered_status, contract_validate
from .base import contract_lock, contract_snapshot


@transaction.atomic
def contract_register(
    *,
    actor,
    last_name: str,
    first_name: str,
    birth_date: date,
    national_id: str,
    employer: Employer,
    school,
    start_date: date,
    end_date: date,
    trade=None,
    formation=None,
    tutor_name: str = "",
    tutor_qualification: str = "",
    signed_on: date | None = None,
    first_training_year: int = 1,
    chamber_registered_on: date | None = None,
    chamber_reference: str = "",
    is_adult: bool = False,
) -> Contract:
    """Register a contract for one of the actor's schools. Age, approval, dates and training year
    are checked first (APP-8): a failure saves nothing. Complete contracts are « enregistré »,
    the others stay « brouillon » until the missing items are entered."""
    if not selectors.school_list_for_registration(actor).filter(pk=school.pk).exists():
        raise PermissionDenied
    apprentice_probe = Apprentice(birth_date=birth_date)
    contract = Contract(
        apprentice=apprentice_probe,
        employer=employer,
        school=school,
        trade=trade,
        formation=formation,
        tutor_name=tutor_name,
        tutor_qualification=tutor_qualification,
        signed_on=signed_on,
        start_date=start_date,
        end_date=end_date,
        first_training_year=first_training_year,
        chamber_registered_on=chamber_registered_on,
        chamber_reference=chamber_reference,
        is_adult=is_adult,
    )
    contract_validate(contract)
    contract.apprentice = _apprentice_get_or_create(
        last_name=last_name, first_name=first_name, birth_date=birth_date, national_id=national_id
    )
    contract.reference = f"TMP-{uuid.uuid4().hex[:12]}"
    contract.status = contract_registered_status(contract)
    contract.full_clean(exclude=["reference"])
    contract.save()
    contract.reference = f"APP-{contract.start_date.year}-{contract.pk:05d}"
    contract.save(update_fields=["reference"])
    audit_record(actor=actor, action=AuditAction.CONTRACT_REGISTER, obj=contract, after=contract_snapshot(contract))
    return contract


@transaction.atomic
def contract_update(*, actor, contract: Contract, **changes) -> Contract:
    """Complete or correct a contract that is not active yet (draft or registered)."""
    contract = contract_lock(contract)
    if not permissions.can_edit_contract(actor, contract):
        raise PermissionDenied
    if contract.status not in (ContractStatus.DRAFT, ContractStatus.REGISTERED):
        raise ValidationError(_("Un contrat en cours ou terminé ne se modifie plus."))
    unknown = set(changes) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if (
        "school" in changes
        and not selectors.school_list_for_registration(actor).filter(pk=changes["school"].pk).exists()
    ):
        raise PermissionDenied
    before = contract_snapshot(contract)
    for name, value in changes.items():
        setattr(contract, name, value)
    contract_validate(contract)
    contract.status = contract_registered_status(contract)
    contract.full_clean()
    contract.save()
    audit_record(
        actor=actor, action=AuditAction.CONTRACT_UPDATE, obj=contract, before=before, after=contract_snapshot(contract)
    )
    return contract


@transaction.atomic
def contract_activate(*, actor, contract: Contract) -> Contract:
    """registered → active, only when every APP-8 check passes (the error says which fails)."""
    contract = contract_lock(contract)
    if not permissions.can_edit_contract(actor, contract):
        raise PermissionDenied
    if contract.status not in (ContractStatus.DRAFT, ContractStatus.REGISTERED):
        raise ValidationError(_("Seul un contrat enregistré peut être mis en cours."))
    failures = contract_checks(contract)
    if failures:
        raise ValidationError(
            [_("Le contrat ne peut pas être mis en cours : %(why)s") % {"why": why} for why in failures.values()]
        )
    before = contract_snapshot(contract)
    contract.status = ContractStatus.ACTIVE
    contract.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.CONTRACT_ACTIVATE,
        obj=contract,
        before=before,
        after=contract_snapshot(contract),
    )
    return contract


@transaction.atomic
def contract_end(*, actor, contract: Contract, outcome: str, ended_on: date, reason: str = "") -> Contract:
    """active → completed (diploma prepared to its end) or terminated (early end, with a reason)."""
    contract = contract_lock(contract)
    if not permissions.can_edit_contract(actor, contract):
        raise PermissionDenied
    if contract.status != ContractStatus.ACTIVE:
        raise ValidationError(_("Seul un contrat en cours peut être clôturé."))
    if outcome not in (ContractStatus.COMPLETED, ContractStatus.TERMINATED):
        raise ValidationError({"outcome": _("Choisissez « achevé » ou « résilié ».")})
    if not (contract.start_date <= ended_on <= contract.end_date):
        raise ValidationError(
            {
                "ended_on": _("La date doit être comprise entre le %(s)s et le %(e)s.")
                % {"s": day_label(contract.start_date), "e": day_label(contract.end_date)}
            }
        )
    if outcome == ContractStatus.TERMINATED and not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la résiliation.")})
    before = contract_snapshot(contract)
    contract.status, contract.ended_on = outcome, ended_on
    contract.save(update_fields=["status", "ended_on"])
    audit_record(
        actor=actor,
        action=AuditAction.CONTRACT_END,
        obj=contract,
        before=before,
        after=contract_snapshot(contract),
        reason=reason,
    )
    return contract


@transaction.atomic
def training_year_record(
    *, actor, contract: Contract, school_year: int, training_year: int, repeated: bool = False
) -> TrainingYear:
    """Record the training year of a school year (a repeated year is recorded as such)."""
    contract = contract_lock(contract)
    if not permissions.can_edit_contract(actor, contract):
        raise PermissionDenied
    first, last = rules.school_year_of(contract.start_date), rules.school_year_of(contract.effective_end)
    if not first <= school_year <= last:
        raise ValidationError(
            {
                "school_year": _("Le contrat couvre les années scolaires %(a)s à %(b)s.")
                % {"a": rules.school_year_label(first), "b": rules.school_year_label(last)}
            }
        )
    if not 1 <= training_year <= contract.duration_years:
        raise ValidationError(
            {
                "training_year": _("« %(p)s » se prépare en %(n)s ans : l'année de formation %(y)s n'existe pas.")
                % {"p": contract.programme, "n": contract.duration_years, "y": training_year}
            }
        )
    record = TrainingYear.objects.select_for_update().filter(contract=contract, school_year=school_year).first()
    if record and (record.training_year, record.repeated) == (training_year, repeated):
        return record  # recorded already (double submit): no change, no audit event
    before = {"training_year": record.training_year, "repeated": record.repeated} if record else None
    record = record or TrainingYear(contract=contract, school_year=school_year)
    record.training_year, record.repeated = training_year, repeated
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action=AuditAction.TRAINING_YEAR_RECORD,
        obj=contract,
        before=before,
        after={"school_year": school_year, "training_year": training_year, "repeated": repeated},
    )
    return record


@transaction.atomic
def pii_record(*, actor, contract: Contract, notified_on: date | None) -> Contract:
    """Record (or clear) the notification of the PII success; the increase applies from the
    first day of the following month (APP-3)."""
    contract = contract_lock(contract)
    if not permissions.can_edit_contract(actor, contract):
        raise PermissionDenied
    if notified_on and not selectors.has_pii_rate(contract):
        if contract.is_cross_border:
            message = _(
                "La formation transfrontalière « %(p)s » n'a pas de taux majoré après la réussite du PII : "
                "la notification ne change pas l'indemnité et n'est pas enregistrée."
            )
        else:
            message = _(
                "Le métier « %(p)s » n'a pas de taux majoré après la réussite du PII (même taux avant et après "
                "pour chaque année de formation) : la notification ne change pas l'indemnité et n'est pas "
                "enregistrée."
            )
        raise ValidationError({"notified_on": message % {"p": contract.programme}})
    if notified_on and not (contract.start_date <= notified_on <= contract.effective_end):
        raise ValidationError(
            {
                "notified_on": _("La date de notification doit se situer pendant le contrat, du %(s)s au %(e)s.")
                % {"s": day_label(contract.start_date), "e": day_label(contract.effective_end)}
            }
        )
    if contract.pii_notified_on == notified_on:  # the same notification again (double submit): no change
        return contract
    before = contract_snapshot(contract)
    contract.pii_notified_on = notified_on
    contract.save(update_fields=["pii_notified_on"])
    audit_record(
        actor=actor, action=AuditAction.PII_RECORD, obj=contract, before=before, after=contract_snapshot(contract)
    )
    return contract


CONTRACT_FIELDS = (
    "employer",
    "school",
    "trade",
    "formation",
    "tutor_name",
    "tutor_qualification",
    "signed_on",
    "start_date",
    "end_date",
    "first_training_year",
    "chamber_registered_on",
    "chamber_reference",
    "is_adult",
)


def _apprentice_get_or_create(*, last_name: str, first_name: str, birth_date: date, national_id: str) -> Apprentice:
    existing = Apprentice.objects.filter(national_id=national_id).first()
    if existing:
        if existing.birth_date != birth_date or existing.last_name.casefold() != last_name.strip().casefold():
            raise ValidationError(
                {
                    "national_id": _(
                        "Ce matricule est déjà enregistré pour un autre apprenti (nom ou date de naissance différents)."
                    )
                }
            )
        return existing
    apprentice = Apprentice(
        last_name=last_name.strip(), first_name=first_name.strip(), birth_date=birth_date, national_id=national_id
    )
    apprentice.full_clean()
    apprentice.save()
    return apprentice
