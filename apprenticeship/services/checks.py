"""The contract checks of APP-8 (age, approval of the employer, dates) and the validation of the
fields of a contract before it is saved."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import rules
from ..enums import ContractCheck, ContractStatus
from ..models import (
    Apprentice,
    Approval,
    Contract,
    Employer,
)
from .base import _d

# -- contract checks (APP-8) ---------------------------------------------------------------------


def employer_is_approved(*, employer: Employer, trade, on: date) -> bool:
    return (
        Approval.objects.filter(employer=employer, trade=trade, granted_on__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .exists()
    )


def contract_checks(contract: Contract) -> dict[str, str]:
    """The APP-8 checks this contract fails, as {check: French explanation} (empty: all pass)."""
    failures: dict[str, str] = {}
    entry_year = max(rules.school_year_of(contract.start_date), 1)  # a start typed as 01/01/0001
    birth = contract.apprentice.birth_date
    if not rules.meets_minimum_age(birth, entry_year):
        failures[ContractCheck.MINIMUM_AGE] = _(
            "L'apprenti aura %(age)s ans au 1er septembre %(y)s ; il doit avoir au moins 15 ans révolus à cette date."
        ) % {"age": rules.age_on(birth, date(entry_year, 9, 1)), "y": entry_year}
    if not contract.signed_on:
        failures[ContractCheck.WRITTEN_CONTRACT] = _("La date de signature du contrat écrit n'est pas renseignée.")
    if contract.trade_id and not employer_is_approved(
        employer=contract.employer, trade=contract.trade, on=contract.start_date
    ):
        failures[ContractCheck.APPROVAL] = _("%(e)s n'est pas agréé pour le métier « %(t)s » au %(d)s.") % {
            "e": contract.employer,
            "t": contract.trade.name,
            "d": _d(contract.start_date),
        }
    if not (contract.chamber_registered_on and contract.chamber_reference):
        failures[ContractCheck.CHAMBER_REGISTRATION] = _(
            "L'enregistrement auprès de la chambre professionnelle (date et numéro) n'est pas renseigné."
        )
    if not (contract.tutor_name and contract.tutor_qualification):
        failures[ContractCheck.TUTOR] = _("Le tuteur et sa qualification ne sont pas renseignés.")
    return failures


# Checks that refuse the registration itself (nothing is saved); the others keep it as a draft.
BLOCKING_CHECKS = {ContractCheck.MINIMUM_AGE: "birth_date", ContractCheck.APPROVAL: "employer"}
CHECK_FIELDS = {
    ContractCheck.MINIMUM_AGE: "birth_date",
    ContractCheck.APPROVAL: "employer",
    ContractCheck.WRITTEN_CONTRACT: "signed_on",
    ContractCheck.CHAMBER_REGISTRATION: "chamber_reference",
    ContractCheck.TUTOR: "tutor_qualification",
}

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


def _snapshot(contract: Contract) -> dict:
    return {
        "status": contract.status,
        "start_date": contract.start_date.isoformat() if contract.start_date else None,
        "end_date": contract.end_date.isoformat() if contract.end_date else None,
        "trade": contract.trade.code if contract.trade_id else None,
        "formation": contract.formation_id,
        "employer": contract.employer_id,
        "school": contract.school_id,
        "is_adult": contract.is_adult,
        "pii_notified_on": contract.pii_notified_on.isoformat() if contract.pii_notified_on else None,
        "ended_on": contract.ended_on.isoformat() if contract.ended_on else None,
    }


def _validate_contract(contract: Contract) -> None:
    """Field checks and the blocking APP-8 checks; raises one ValidationError per field."""
    errors: dict[str, list[str]] = {}
    for name in ("start_date", "signed_on", "chamber_registered_on"):  # the end is bounded by the duration
        value = getattr(contract, name)
        if value and not rules.CONTRACT_DATE_MIN <= value <= rules.CONTRACT_DATE_MAX:
            errors.setdefault(name, []).append(
                _("Saisissez une date comprise entre le %(a)s et le %(b)s.")
                % {"a": _d(rules.CONTRACT_DATE_MIN), "b": _d(rules.CONTRACT_DATE_MAX)}
            )
    if not errors and contract.start_date and contract.end_date and contract.end_date <= contract.start_date:
        errors.setdefault("end_date", []).append(_("La date de fin doit être postérieure à la date de début."))
    if bool(contract.trade_id) == bool(contract.formation_id):
        errors.setdefault("trade", []).append(_("Indiquez soit un métier, soit une formation transfrontalière."))
    elif contract.first_training_year > contract.duration_years:
        errors.setdefault("first_training_year", []).append(
            _("« %(p)s » se prépare en %(n)s ans : l'année de formation %(y)s n'existe pas.")
            % {"p": contract.programme, "n": contract.duration_years, "y": contract.first_training_year}
        )
    elif not errors:
        # APP-8: the contract lasts what the training lasts (seed 002, « durée de formation »).
        maximum = rules.contract_max_end(
            contract.start_date, duration=contract.duration_years, first_training_year=contract.first_training_year
        )
        if contract.end_date > maximum:
            errors.setdefault("end_date", []).append(
                ngettext(
                    "« %(p)s » se prépare en %(n)s an : un contrat commençant le %(s)s en année de formation "
                    "%(y)s se termine au plus tard le %(m)s.",
                    "« %(p)s » se prépare en %(n)s ans : un contrat commençant le %(s)s en année de formation "
                    "%(y)s se termine au plus tard le %(m)s.",
                    contract.duration_years,
                )
                % {
                    "p": contract.programme,
                    "n": contract.duration_years,
                    "s": _d(contract.start_date),
                    "y": contract.first_training_year,
                    "m": _d(maximum),
                }
            )
    if contract.signed_on and contract.start_date and contract.signed_on > contract.start_date:
        errors.setdefault("signed_on", []).append(_("Le contrat doit être signé au plus tard le jour de son début."))
    if not errors:
        failures = contract_checks(contract)
        for check, fieldname in BLOCKING_CHECKS.items():
            if check in failures:
                errors.setdefault(fieldname, []).append(failures[check])
    if errors:
        raise ValidationError(errors)


def _registered_status(contract: Contract) -> str:
    return ContractStatus.REGISTERED if not contract_checks(contract) else ContractStatus.DRAFT


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
