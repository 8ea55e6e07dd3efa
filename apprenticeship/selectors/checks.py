"""The contract checks of APP-8 (age, approval of the employer, dates) and the validation of the
fields of a contract before it is saved: reads and checks that change nothing."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.wording import day_label

from .. import rules
from ..enums import ContractCheck, ContractStatus
from ..models import Approval, Contract, Employer


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
            "d": day_label(contract.start_date),
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


def contract_validate(contract: Contract) -> None:
    """Field checks and the blocking APP-8 checks; raises one ValidationError per field."""
    errors: dict[str, list[str]] = {}
    for name in ("start_date", "signed_on", "chamber_registered_on"):  # the end is bounded by the duration
        value = getattr(contract, name)
        if value and not rules.CONTRACT_DATE_MIN <= value <= rules.CONTRACT_DATE_MAX:
            errors.setdefault(name, []).append(
                _("Saisissez une date comprise entre le %(a)s et le %(b)s.")
                % {"a": day_label(rules.CONTRACT_DATE_MIN), "b": day_label(rules.CONTRACT_DATE_MAX)}
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
                    "s": day_label(contract.start_date),
                    "y": contract.first_training_year,
                    "m": day_label(maximum),
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


def contract_registered_status(contract: Contract) -> str:
    return ContractStatus.REGISTERED if not contract_checks(contract) else ContractStatus.DRAFT
