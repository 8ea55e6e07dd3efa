"""Use cases of the apprenticeship app (HackSoft: one function per use case, `<entity>_<verb>`).

Each state change is atomic, checks the permission and the state, locks the row it changes, and
writes one audit event. Business errors are `ValidationError`s in French, per field where possible.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.rules import to_decimal
from core.services import audit_record

from . import rules, selectors
from .enums import ContractCheck, ContractStatus
from .models import (
    AidRequest,
    Apprentice,
    Approval,
    Contract,
    Employer,
    Payment,
    Statement,
    StatementLine,
    TrainingYear,
)

ZERO = Decimal("0.00")


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def _month_label(month: date) -> str:
    return date_format(month, "F Y")


# -- schedule (APP-1 … APP-5) --------------------------------------------------------------------


@dataclass
class Schedule:
    """The current computation of a contract, month by month, with its totals."""

    lines: list[rules.ScheduleLine] = field(default_factory=list)
    error: str = ""

    @property
    def total_due(self) -> Decimal:
        return sum((line.due_amount for line in self.lines), ZERO)

    @property
    def total_standard(self) -> Decimal:
        return sum((line.standard_amount for line in self.lines), ZERO)

    @property
    def total_reimbursement(self) -> Decimal:
        return sum((line.reimbursement_amount for line in self.lines), ZERO)

    def line_for(self, month: date) -> rules.ScheduleLine | None:
        return next((line for line in self.lines if line.month == month), None)


def _missing_message(exc: rules.MissingParameter) -> str:
    what = {
        "index": _("aucun nombre indice n'est en vigueur"),
        "ssm": _("aucun salaire social minimum n'est en vigueur"),
        "rate": _("aucun taux n'est en vigueur pour l'année de formation %(y)s") % {"y": exc.training_year},
        "amount": _("aucune indemnité n'est en vigueur pour l'année de formation %(y)s") % {"y": exc.training_year},
    }[exc.what]
    return _("Calcul impossible pour %(m)s : %(what)s. Un agent doit compléter les barèmes.") % {
        "m": _month_label(exc.month),
        "what": what,
    }


def contract_dates_error(contract: Contract) -> str:
    """Why a stored contract's dates cannot be computed on ("" when they can).

    Dates are bounded when a contract is registered or updated (APP-8, `rules.contract_max_end`);
    a contract stored before that may run to 31/12/9999. Nothing is computed for it (no schedule,
    statement, payment or aid): computing would only produce thousands of meaningless lines."""
    start, end = contract.start_date, contract.effective_end
    if not rules.CONTRACT_DATE_MIN <= start <= rules.CONTRACT_DATE_MAX:
        return _(
            "Calcul refusé : le contrat commence le %(s)s, en dehors des dates possibles (du %(a)s au %(b)s). "
            "Ses dates doivent être corrigées avant tout calcul."
        ) % {"s": _d(start), "a": _d(rules.CONTRACT_DATE_MIN), "b": _d(rules.CONTRACT_DATE_MAX)}
    duration, first = contract.duration_years, contract.first_training_year
    if not rules.contract_dates_computable(start, end, duration=duration, first_training_year=first):
        maximum = rules.contract_max_end(start, duration=duration, first_training_year=first)
        return _(
            "Calcul refusé : le contrat court du %(s)s au %(e)s, au-delà de ce que permet la durée de formation "
            "(fin au plus tard le %(m)s). Ses dates doivent être corrigées, ou sa fin effective enregistrée, "
            "avant tout calcul."
        ) % {"s": _d(start), "e": _d(end), "m": _d(maximum)}
    return ""


def contract_school_years(contract: Contract) -> list[int]:
    """The school years (by their first calendar year) a contract runs in; none when its dates
    cannot be computed on."""
    if contract_dates_error(contract):
        return []
    return list(range(rules.school_year_of(contract.start_date), rules.school_year_of(contract.effective_end) + 1))


def schedule_compute(*, contract: Contract, histories: dict | None = None, rates: dict | None = None) -> Schedule:
    """The monthly schedule of a contract from its start to its (effective) end.

    Index and SSM histories are loaded once (two queries) and each month is resolved in Python
    with `core.rules.value_in_force` (CORE-2, CORE-3); pass `histories`/`rates` to share them
    across many contracts. Dates beyond what the training allows are refused (`contract_dates_error`).
    """
    error = contract_dates_error(contract)
    if error:
        return Schedule(error=error)
    histories = histories or selectors.parameter_histories()
    rates = rates or selectors.rate_histories([contract])
    recorded = {ty.school_year: ty.training_year for ty in contract.training_years.all()}
    years = rules.training_years(
        start=contract.start_date,
        end=contract.effective_end,
        first_training_year=contract.first_training_year,
        duration=contract.duration_years,
        recorded=recorded,
    )
    kwargs = {}
    if contract.trade_id:
        kwargs["rate_periods"] = rates["trades"].get(contract.trade_id, {})
    else:
        kwargs["amount_periods"] = rates["formations"].get(contract.formation_id, {})
    try:
        lines = rules.schedule_lines(
            start=contract.start_date,
            end=contract.effective_end,
            training_year_by_school_year=years,
            index_periods=histories["index"],
            ssm_periods=histories["ssm"],
            pii_notified_on=contract.pii_notified_on,
            adult=contract.is_adult,
            **kwargs,
        )
    except rules.MissingParameter as exc:
        return Schedule(error=_missing_message(exc))
    return Schedule(lines=lines)


@dataclass
class ScheduleRow:
    """One month on screen: the current computation beside the frozen figures (statement, payment)."""

    line: rules.ScheduleLine
    issued_due: Decimal | None = None  # as in the latest issued statement
    paid: Decimal | None = None
    recorded_due: Decimal | None = None  # due as computed when the payment was recorded
    due: bool = True  # a month already due (up to the current one) of a contract that is not a draft

    @property
    def difference(self) -> Decimal | None:
        """Current computation − figure of the latest statement (arrears after a new index), for
        a month already due only: a month to come is not owed yet (APP-9 as clarified)."""
        if not self.due or self.issued_due is None:
            return None
        return self.line.due_amount - self.issued_due

    @property
    def shortfall(self) -> Decimal | None:
        """APP-9: what is still owed when less than the minimum indemnity was paid (months due)."""
        if not self.due or self.paid is None:
            return None
        return max(self.line.due_amount - self.paid, ZERO)


@dataclass
class Comparison:
    rows: list[ScheduleRow]
    statement: Statement | None
    due_until: date | None = None  # the last month whose arrears count (None: none, a draft)

    @property
    def total_difference(self) -> Decimal:
        return sum((r.difference for r in self.rows if r.difference is not None), ZERO)

    @property
    def total_shortfall(self) -> Decimal:
        return sum((r.shortfall for r in self.rows if r.shortfall is not None), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum((r.paid for r in self.rows if r.paid is not None), ZERO)

    @property
    def months_short(self) -> int:
        return sum(1 for r in self.rows if r.shortfall)


def current_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return date(today.year, today.month, 1)


def schedule_compare(*, contract: Contract, schedule: Schedule, today: date | None = None) -> Comparison:
    """Put the frozen figures beside the current computation (uses prefetched relations if any).

    Arrears (differences with the latest statement, shortfalls of recorded payments) concern the
    months already due, up to the current one, of a contract that is registered, active or ended;
    never months to come, never a draft (APP-9 as clarified)."""
    due_until = None if contract.status == ContractStatus.DRAFT else current_month(today)
    statements = sorted(contract.statements.all(), key=lambda s: (s.issued_at, s.id))
    latest = statements[-1] if statements else None
    issued = {line.month: line.due_amount for line in latest.lines.all()} if latest else {}
    payments = {p.month: p for p in contract.payments.all()}
    rows = []
    for line in schedule.lines:
        payment = payments.get(line.month)
        rows.append(
            ScheduleRow(
                line=line,
                issued_due=issued.get(line.month),
                paid=payment.paid_amount if payment else None,
                recorded_due=payment.due_amount if payment else None,
                due=due_until is not None and line.month <= due_until,
            )
        )
    return Comparison(rows=rows, statement=latest, due_until=due_until)


def arrears_overview(*, user) -> list[dict]:
    """Per contract with frozen figures (drafts excluded): the difference between the current
    computation and the latest statement, and the arrears owed on recorded payments (APP-9), over
    the months already due. Set-based: histories and rates are loaded once for all contracts."""
    contracts = list(selectors.contracts_with_frozen_figures(user))
    histories = selectors.parameter_histories()
    rates = selectors.rate_histories(contracts)
    today = timezone.localdate()
    result = []
    for contract in contracts:
        schedule = schedule_compute(contract=contract, histories=histories, rates=rates)
        comparison = schedule_compare(contract=contract, schedule=schedule, today=today)
        months = [r for r in comparison.rows if (r.difference or r.shortfall)]
        result.append(
            {
                "contract": contract,
                "error": schedule.error,
                "statement": comparison.statement,
                "difference": comparison.total_difference,
                "shortfall": comparison.total_shortfall,
                "months": months,
            }
        )
    result.sort(key=lambda r: (-(r["difference"] + r["shortfall"]), r["contract"].reference))
    return result


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
    if not selectors.registration_schools(actor).filter(pk=school.pk).exists():
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
    _validate_contract(contract)
    contract.apprentice = _apprentice_get_or_create(
        last_name=last_name, first_name=first_name, birth_date=birth_date, national_id=national_id
    )
    contract.reference = f"TMP-{uuid.uuid4().hex[:12]}"
    contract.status = _registered_status(contract)
    contract.full_clean(exclude=["reference"])
    contract.save()
    contract.reference = f"APP-{contract.start_date.year}-{contract.pk:05d}"
    contract.save(update_fields=["reference"])
    audit_record(actor=actor, action="contract_register", obj=contract, after=_snapshot(contract))
    return contract


def _lock(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("apprentice", "employer", "trade", "formation")
        .get(pk=contract.pk)
    )


@transaction.atomic
def contract_update(*, actor, contract: Contract, **changes) -> Contract:
    """Complete or correct a contract that is not active yet (draft or registered)."""
    contract = _lock(contract)
    if not selectors.can_edit_contract(actor, contract):
        raise PermissionDenied
    if contract.status not in (ContractStatus.DRAFT, ContractStatus.REGISTERED):
        raise ValidationError(_("Un contrat en cours ou terminé ne se modifie plus."))
    unknown = set(changes) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if "school" in changes and not selectors.registration_schools(actor).filter(pk=changes["school"].pk).exists():
        raise PermissionDenied
    before = _snapshot(contract)
    for name, value in changes.items():
        setattr(contract, name, value)
    _validate_contract(contract)
    contract.status = _registered_status(contract)
    contract.full_clean()
    contract.save()
    audit_record(actor=actor, action="contract_update", obj=contract, before=before, after=_snapshot(contract))
    return contract


@transaction.atomic
def contract_activate(*, actor, contract: Contract) -> Contract:
    """registered → active, only when every APP-8 check passes (the error says which fails)."""
    contract = _lock(contract)
    if not selectors.can_edit_contract(actor, contract):
        raise PermissionDenied
    if contract.status not in (ContractStatus.DRAFT, ContractStatus.REGISTERED):
        raise ValidationError(_("Seul un contrat enregistré peut être mis en cours."))
    failures = contract_checks(contract)
    if failures:
        raise ValidationError(
            [_("Le contrat ne peut pas être mis en cours : %(why)s") % {"why": why} for why in failures.values()]
        )
    before = _snapshot(contract)
    contract.status = ContractStatus.ACTIVE
    contract.save(update_fields=["status"])
    audit_record(actor=actor, action="contract_activate", obj=contract, before=before, after=_snapshot(contract))
    return contract


@transaction.atomic
def contract_end(*, actor, contract: Contract, outcome: str, ended_on: date, reason: str = "") -> Contract:
    """active → completed (diploma prepared to its end) or terminated (early end, with a reason)."""
    contract = _lock(contract)
    if not selectors.can_edit_contract(actor, contract):
        raise PermissionDenied
    if contract.status != ContractStatus.ACTIVE:
        raise ValidationError(_("Seul un contrat en cours peut être clôturé."))
    if outcome not in (ContractStatus.COMPLETED, ContractStatus.TERMINATED):
        raise ValidationError({"outcome": _("Choisissez « achevé » ou « résilié ».")})
    if not (contract.start_date <= ended_on <= contract.end_date):
        raise ValidationError(
            {
                "ended_on": _("La date doit être comprise entre le %(s)s et le %(e)s.")
                % {"s": _d(contract.start_date), "e": _d(contract.end_date)}
            }
        )
    if outcome == ContractStatus.TERMINATED and not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la résiliation.")})
    before = _snapshot(contract)
    contract.status, contract.ended_on = outcome, ended_on
    contract.save(update_fields=["status", "ended_on"])
    audit_record(
        actor=actor, action="contract_end", obj=contract, before=before, after=_snapshot(contract), reason=reason
    )
    return contract


@transaction.atomic
def training_year_record(
    *, actor, contract: Contract, school_year: int, training_year: int, repeated: bool = False
) -> TrainingYear:
    """Record the training year of a school year (a repeated year is recorded as such)."""
    contract = _lock(contract)
    if not selectors.can_edit_contract(actor, contract):
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
        action="training_year_record",
        obj=contract,
        before=before,
        after={"school_year": school_year, "training_year": training_year, "repeated": repeated},
    )
    return record


@transaction.atomic
def pii_record(*, actor, contract: Contract, notified_on: date | None) -> Contract:
    """Record (or clear) the notification of the PII success; the increase applies from the
    first day of the following month (APP-3)."""
    contract = _lock(contract)
    if not selectors.can_edit_contract(actor, contract):
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
                % {"s": _d(contract.start_date), "e": _d(contract.effective_end)}
            }
        )
    if contract.pii_notified_on == notified_on:  # the same notification again (double submit): no change
        return contract
    before = _snapshot(contract)
    contract.pii_notified_on = notified_on
    contract.save(update_fields=["pii_notified_on"])
    audit_record(actor=actor, action="pii_record", obj=contract, before=before, after=_snapshot(contract))
    return contract


_AMOUNT = re.compile(r"-?\d+(?:[.,]\d+)?")
MAX_AMOUNT = Decimal("9999999999.99")


def _amount(value, field: str) -> Decimal:
    """An amount typed by a user: digits, optionally a sign and a decimal comma or point (spaces
    between thousands allowed). No exponent, hexadecimal, NaN or infinity (issue 7)."""
    invalid = ValidationError({field: _("Saisissez un montant en euros.")})
    if isinstance(value, str):
        value = value.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        if not _AMOUNT.fullmatch(value):
            raise invalid
    try:
        amount = to_decimal(value)
    except (TypeError, ArithmeticError, ValueError):
        raise invalid from None
    if not amount.is_finite():
        raise invalid
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError({field: _("Ce montant est trop élevé.")})
    return amount


# -- payments (APP-9) ----------------------------------------------------------------------------


@transaction.atomic
def payment_record(*, actor, contract: Contract, month: date, paid_amount) -> Payment:
    """Record what the employer paid for a month, with the amount due computed now (frozen)."""
    contract = _lock(contract)
    if not selectors.can_record_payments(actor, contract):
        raise PermissionDenied
    if contract.status == ContractStatus.DRAFT:
        raise ValidationError(
            _(
                "Le contrat %(r)s est encore un brouillon : les versements s'enregistrent une fois le contrat enregistré."
            )
            % {"r": contract.reference}
        )
    paid = _amount(paid_amount, "paid_amount")
    if paid < 0:
        raise ValidationError({"paid_amount": _("Le montant versé ne peut pas être négatif.")})
    if paid != paid.quantize(Decimal("0.01")):
        raise ValidationError({"paid_amount": _("Le montant se saisit au centime près.")})
    month = date(month.year, month.month, 1)
    schedule = schedule_compute(contract=contract)
    if schedule.error:
        raise ValidationError(schedule.error)
    line = schedule.line_for(month)
    if line is None:
        raise ValidationError(
            {
                "month": _("%(m)s est en dehors du contrat (du %(s)s au %(e)s).")
                % {"m": _month_label(month), "s": _d(contract.start_date), "e": _d(contract.effective_end)}
            }
        )
    if month > current_month():
        raise ValidationError(
            {
                "month": _(
                    "Le mois de %(m)s n'est pas encore échu : un versement s'enregistre pour un mois du contrat "
                    "jusqu'au mois en cours (%(c)s)."
                )
                % {"m": _month_label(month), "c": _month_label(current_month())}
            }
        )
    payment = Payment.objects.select_for_update().filter(contract=contract, month=month).first()
    if payment and (payment.paid_amount, payment.due_amount) == (paid, line.due_amount):
        return payment  # recorded already (double submit): no change, no audit event
    before = {"paid_amount": str(payment.paid_amount)} if payment else None
    payment = payment or Payment(contract=contract, month=month)
    payment.paid_amount, payment.due_amount, payment.index, payment.recorded_by = (
        paid,
        line.due_amount,
        line.index,
        actor,
    )
    payment.full_clean()
    payment.save()
    audit_record(
        actor=actor,
        action="payment_record",
        obj=contract,
        before=before,
        after={"month": month.isoformat(), "paid_amount": str(paid), "due_amount": str(line.due_amount)},
    )
    return payment


# -- frozen statements ---------------------------------------------------------------------------


def _parameters(contract: Contract, schedule: Schedule) -> dict:
    """The parameters used, with their sources, stored with an issued statement."""
    from core.models import LuxIndex, SocialMinimumWage

    indices = sorted({line.index for line in schedule.lines})
    ssms = sorted({line.ssm_at_100 for line in schedule.lines})
    index_rows = LuxIndex.objects.filter(value__in=indices).order_by("valid_from")
    ssm_rows = SocialMinimumWage.objects.filter(amount_at_100__in=ssms).order_by("valid_from")
    rate_sources: list[str] = []
    if contract.trade_id:
        rate_sources = sorted(set(contract.trade.rates.values_list("source", flat=True)))
    else:
        rate_sources = sorted(set(contract.formation.rates.values_list("source", flat=True)))
    return {
        "index": [
            {"value": str(r.value), "valid_from": r.valid_from.isoformat(), "source": r.source} for r in index_rows
        ],
        "ssm": [
            {"amount_at_100": str(r.amount_at_100), "valid_from": r.valid_from.isoformat(), "source": r.source}
            for r in ssm_rows
        ],
        "rate_sources": rate_sources,
        "programme": str(contract.programme),
        "adult": contract.is_adult,
        "pii_notified_on": contract.pii_notified_on.isoformat() if contract.pii_notified_on else None,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.effective_end.isoformat(),
    }


def _same_figures(statement: Statement, parameters: dict, schedule: Schedule) -> bool:
    """The statement holds exactly the figures that would be issued now."""
    if statement.parameters != parameters or statement.total_due_amount != schedule.total_due:
        return False
    stored = list(statement.lines.values_list("month", "due_amount", "standard_amount", "reimbursement_amount"))
    return stored == [
        (line.month, line.due_amount, line.standard_amount, line.reimbursement_amount) for line in schedule.lines
    ]


def statement_oversized(statement: Statement) -> str:
    """Why a stored statement is not shown ("" when it is): issued on contract dates typed in error
    (before they were bounded), it has more lines than any contract can have; rendering it would
    take minutes and gigabytes for figures that mean nothing."""
    count = statement.lines.count()
    if count <= rules.MAX_SCHEDULE_MONTHS:
        return ""
    return ngettext(
        "Ce relevé compte %(n)s ligne, plus qu'aucun contrat ne peut en avoir (%(max)s mois au plus) : il a été "
        "émis sur des dates de contrat erronées et n'est pas affiché. Les dates du contrat doivent être corrigées, "
        "puis un nouveau relevé émis.",
        "Ce relevé compte %(n)s lignes, plus qu'aucun contrat ne peut en avoir (%(max)s mois au plus) : il a été "
        "émis sur des dates de contrat erronées et n'est pas affiché. Les dates du contrat doivent être corrigées, "
        "puis un nouveau relevé émis.",
        count,
    ) % {"n": count, "max": rules.MAX_SCHEDULE_MONTHS}


@dataclass
class StatementComparison:
    """An issued statement beside the current computation: the difference on the months already
    due is owed now (arrears, APP-9 as clarified); on the months to come it is paid as they fall
    due. `error` says why the statement is not shown (issued on dates typed in error)."""

    schedule: Schedule
    rows: list = field(default_factory=list)  # (statement line, current due or None, difference or None)
    due_until: date | None = None
    error: str = ""

    @property
    def difference_due(self) -> Decimal:
        return sum(
            (d for line, _now, d in self.rows if d is not None and self.due_until and line.month <= self.due_until),
            ZERO,
        )

    @property
    def difference_total(self) -> Decimal:
        return sum((d for _line, _now, d in self.rows if d is not None), ZERO)

    @property
    def difference_to_come(self) -> Decimal:
        return self.difference_total - self.difference_due


def statement_compare(*, statement: Statement, contract: Contract, today: date | None = None) -> StatementComparison:
    schedule = schedule_compute(contract=contract)
    error = statement_oversized(statement)
    if error:
        return StatementComparison(schedule=schedule, error=error)
    current = {line.month: line.due_amount for line in schedule.lines}
    rows = []
    for line in statement.lines.all():
        now = current.get(line.month)
        rows.append((line, now, None if now is None else now - line.due_amount))
    due_until = None if contract.status == ContractStatus.DRAFT else current_month(today)
    return StatementComparison(schedule=schedule, rows=rows, due_until=due_until)


def _as_known_on(periods: list, known_on: date) -> list:
    """Periods as they were known on a day: later ones were not published, the one then in force
    had no end yet."""
    return [
        (start, None if (end is None or end >= known_on) else end, value)
        for start, end, value in periods
        if start <= known_on
    ]


@transaction.atomic
def statement_issue(*, actor, contract: Contract, known_on: date | None = None) -> Statement:
    """Issue the schedule statement: its lines and parameters are stored and never recomputed.

    `known_on` (demo data only) issues it as on that day, with the index and SSM applicable then.
    """
    contract = _lock(contract)
    if not (selectors.contracts_for(actor).filter(pk=contract.pk).exists()):
        raise PermissionDenied
    if contract.status == ContractStatus.DRAFT:
        raise ValidationError(
            _(
                "Le contrat %(r)s est encore un brouillon : un relevé ne peut être émis qu'une fois le contrat "
                "enregistré (conditions d'exercice remplies)."
            )
            % {"r": contract.reference}
        )
    histories = None
    if known_on is not None:
        histories = {kind: _as_known_on(periods, known_on) for kind, periods in selectors.parameter_histories().items()}
    schedule = schedule_compute(contract=contract, histories=histories)
    if schedule.error:
        raise ValidationError(schedule.error)
    parameters = _parameters(contract, schedule)
    latest = contract.statements.order_by("-issued_at", "-id").first()
    if known_on is None and latest and _same_figures(latest, parameters, schedule):
        return latest  # nothing changed since the last statement (double submit): no new one
    number = contract.statements.count() + 1
    statement = Statement(
        reference=f"REL-{contract.reference[4:]}-{number:02d}",
        contract=contract,
        issued_at=timezone.now() if known_on is None else timezone.make_aware(datetime.combine(known_on, time(12))),
        issued_by=actor,
        parameters=parameters,
        total_due_amount=schedule.total_due,
        total_reimbursement_amount=schedule.total_reimbursement,
    )
    statement.full_clean()
    statement.save()
    StatementLine.objects.bulk_create(
        [
            StatementLine(
                statement=statement,
                month=line.month,
                days_covered=line.days_covered,
                days_in_month=line.days_in_month,
                training_year=line.training_year,
                index=line.index,
                ssm_at_100=line.ssm_at_100,
                ssm_amount=line.ssm,
                rate_percent=line.rate_percent,
                amount_at_100=line.amount_at_100,
                pii=line.pii,
                monthly_amount=line.monthly_amount,
                standard_amount=line.standard_amount,
                reimbursement_amount=line.reimbursement_amount,
                due_amount=line.due_amount,
            )
            for line in schedule.lines
        ]
    )
    audit_record(
        actor=actor,
        action="statement_issue",
        obj=statement,
        after={"contract": contract.reference, "total_due": str(statement.total_due_amount)},
    )
    return statement


# -- employer aid (APP-6, APP-7) -----------------------------------------------------------------


@dataclass(frozen=True)
class AidPreview:
    school_year: int
    months: int
    gross: Decimal
    aid: Decimal
    percent: Decimal
    deadline: date
    days_left: int
    lines: list

    @property
    def school_year_label(self) -> str:
        return rules.school_year_label(self.school_year)


def aid_years(*, contract: Contract, today: date | None = None) -> list[rules.AidYear]:
    """The apprenticeship years of a contract up to the current one, each with its APP-7 window
    (ended or not, deadline); none for a draft or for dates that cannot be computed on."""
    today = today or timezone.localdate()
    if contract.status == ContractStatus.DRAFT:
        return []
    current = rules.school_year_of(today)
    return [
        rules.aid_year(year, contract_end=contract.effective_end)
        for year in contract_school_years(contract)
        if year <= current
    ]


def aid_default_year(*, years: list[rules.AidYear], today: date, prepared: set[int]) -> int | None:
    """The year the aid page opens on: the first that can be requested and has no request yet
    (the nearest deadline), else the first that can be requested; None when none can."""
    requestable = [y.school_year for y in years if y.requestable(today)]
    return next((y for y in requestable if y not in prepared), requestable[0] if requestable else None)


def aid_year_error(aid_year: rules.AidYear, today: date) -> str:
    """Why the aid of this year cannot be requested today ("" when it can): APP-6/APP-7 as
    clarified, a year that has ended (or a contract that ended within it), before the deadline."""
    if not aid_year.has_ended(today):
        return _(
            "L'année d'apprentissage %(y)s n'est pas terminée : la demande pourra être introduite à partir du "
            "%(o)s, et avant le %(d)s."
        ) % {"y": aid_year.label, "o": _d(aid_year.opens_on), "d": _d(aid_year.deadline)}
    if not aid_year.requestable(today):
        return _(
            "Délai dépassé : la demande pour l'année %(y)s devait être introduite avant le %(d)s ; elle est forclose."
        ) % {"y": aid_year.label, "d": _d(aid_year.deadline)}
    return ""


def aid_request_premature(aid: AidRequest) -> str:
    """Why a stored request cannot be relied on ("" when it can): prepared before its year (or
    the contract within it) had ended, by the former rules, its amounts include months to come."""
    window = rules.aid_year(aid.school_year, contract_end=aid.contract.effective_end)
    prepared_on = timezone.localdate(aid.prepared_at)
    if window.has_ended(prepared_on):
        return ""
    return _(
        "Cette demande a été préparée le %(p)s, avant la fin de l'année d'apprentissage %(y)s : ses montants "
        "comprennent des mois qui n'étaient pas encore échus. Préparez-la de nouveau à partir du %(o)s, avant le "
        "%(d)s."
    ) % {"p": _d(prepared_on), "y": window.label, "o": _d(window.opens_on), "d": _d(window.deadline)}


def _aid_year_check(contract: Contract, school_year: int, today: date) -> rules.AidYear:
    if contract.status == ContractStatus.DRAFT:
        raise ValidationError(
            _(
                "Le contrat %(r)s est encore un brouillon : l'aide de promotion ne se demande que pour un contrat "
                "enregistré."
            )
            % {"r": contract.reference}
        )
    error = contract_dates_error(contract)
    if error:
        raise ValidationError(error)
    years = contract_school_years(contract)
    if school_year not in years:
        raise ValidationError(
            {
                "school_year": _("Le contrat couvre les années d'apprentissage %(a)s à %(b)s.")
                % {"a": rules.school_year_label(years[0]), "b": rules.school_year_label(years[-1])}
            }
        )
    aid_year = rules.aid_year(school_year, contract_end=contract.effective_end)
    error = aid_year_error(aid_year, today)
    if error:
        raise ValidationError({"school_year": error})
    return aid_year


def aid_preview(*, contract: Contract, school_year: int, today: date | None = None) -> AidPreview:
    """APP-6 for one apprenticeship year of a contract, with its APP-7 deadline. The year must
    have ended (or the contract within it) and its deadline not have passed."""
    today = today or timezone.localdate()
    aid_year = _aid_year_check(contract, school_year, today)
    schedule = schedule_compute(contract=contract)
    if schedule.error:
        raise ValidationError(schedule.error)
    lines = [line for line in schedule.lines if rules.school_year_of(line.month) == school_year]
    gross, aid = rules.aid_for_year(lines, school_year=school_year, diploma=contract.aid_diploma)
    deadline = aid_year.deadline
    return AidPreview(
        school_year=school_year,
        months=len(lines),
        gross=gross,
        aid=aid,
        percent=rules.EMPLOYER_AID_PERCENT[contract.aid_diploma],
        deadline=deadline,
        days_left=(deadline - today).days,
        lines=lines,
    )


@transaction.atomic
def aid_request_prepare(*, actor, contract: Contract, school_year: int, social_charges_amount) -> AidRequest:
    """Prepare (or prepare again) the aid request of an apprenticeship year: the figures are frozen.
    Only for a year that has ended (or a contract that ended within it); after the deadline the
    request is time-barred (APP-6/APP-7 as clarified) and cannot be prepared."""
    contract = _lock(contract)
    if not selectors.can_record_payments(actor, contract):
        raise PermissionDenied
    charges = _amount(social_charges_amount, "social_charges_amount")
    if charges < 0:
        raise ValidationError({"social_charges_amount": _("Le montant ne peut pas être négatif.")})
    today = timezone.localdate()
    preview = aid_preview(contract=contract, school_year=school_year, today=today)
    request = AidRequest.objects.select_for_update().filter(contract=contract, school_year=school_year).first()
    if (
        request
        and request.social_charges_amount == charges
        and (request.months, request.gross_amount, request.aid_amount) == (preview.months, preview.gross, preview.aid)
    ):
        return request  # prepared already with these figures (double submit): no change, no audit event
    before = {"total": str(request.total_amount)} if request else None
    request = request or AidRequest(
        contract=contract, school_year=school_year, reference=f"AIDE-{contract.reference[4:]}-{school_year}"
    )
    request.diploma = contract.aid_diploma
    request.months = preview.months
    request.gross_amount = preview.gross
    request.aid_percent = preview.percent
    request.aid_amount = preview.aid
    request.social_charges_amount = charges
    request.total_amount = preview.aid + charges
    request.deadline = preview.deadline
    request.prepared_at = timezone.now()
    request.prepared_by = actor
    request.lines = [
        {"month": line.month.isoformat(), "standard_amount": str(line.standard_amount), "index": str(line.index)}
        for line in preview.lines
    ]
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="aid_request_prepare",
        obj=request,
        before=before,
        after={"total": str(request.total_amount)},
    )
    return request


# -- public calculator ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Calculation:
    """The computation of the public calculator, step by step, with its sources."""

    month: date
    ssm: object  # core.selectors.SsmInForce
    programme: str
    diploma: str
    training_year: int
    rate_percent: Decimal | None
    rate_source: str
    rate_is_demo: bool
    amount_at_100: Decimal | None
    pii: bool
    monthly_amount: Decimal
    adult: bool
    adult_amount: Decimal | None
    reimbursement_amount: Decimal | None


def calculator_compute(*, month: date, training_year: int, trade=None, formation=None, pii=False, adult=False):
    """APP-1/APP-2/APP-5 for one month: the figures the public calculator explains.

    Raises ValidationError (French) when a parameter is not in force on the first day of the month.
    """
    from core.selectors import ReferenceDataMissing, ssm_in_force

    try:
        ssm = ssm_in_force(month)
    except ReferenceDataMissing as exc:
        raise ValidationError({"month": str(exc)}) from None
    rate_percent = amount_at_100 = None
    if trade is not None:
        row = selectors.trade_rate_in_force(trade, training_year, month)
        if row is None:
            raise ValidationError(
                {"month": _("Aucun taux n'est en vigueur pour ce métier et cette année le %(d)s.") % {"d": _d(month)}}
            )
        rate_percent = row.rate_after_pii if pii else row.rate_before_pii
        monthly = rules.monthly_indemnity(ssm.amount, rate_percent)
        source, is_demo, programme, diploma = row.source, row.is_demo, str(trade), trade.diploma
    else:
        row = selectors.cross_border_rate_in_force(formation, training_year, month)
        if row is None:
            raise ValidationError(
                {
                    "month": _("Aucune indemnité n'est en vigueur pour cette formation et cette année le %(d)s.")
                    % {"d": _d(month)}
                }
            )
        amount_at_100 = row.amount_at_100
        monthly = rules.cross_border_indemnity(amount_at_100, ssm.index)
        source, is_demo, programme, pii = row.source, False, str(formation), False
        diploma = formation.level
    adult_amount = reimbursement = None
    if adult:
        adult_amount = max(ssm.amount, monthly)
        reimbursement = rules.adult_reimbursement(ssm.amount, monthly)
    return Calculation(
        month=month,
        ssm=ssm,
        programme=programme,
        diploma=diploma,
        training_year=training_year,
        rate_percent=rate_percent,
        rate_source=source,
        rate_is_demo=is_demo,
        amount_at_100=amount_at_100,
        pii=pii,
        monthly_amount=monthly,
        adult=adult,
        adult_amount=adult_amount,
        reimbursement_amount=reimbursement,
    )
