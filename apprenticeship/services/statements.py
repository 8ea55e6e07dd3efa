"""Frozen statements: issued once with the parameters in force (their comparison with today's
figures is read in `selectors.statements`)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record

from .. import selectors
from ..enums import AuditAction, ContractStatus
from ..models import (
    Contract,
    Statement,
    StatementLine,
)
from ..selectors.schedule import schedule_compute
from ..selectors.statements import statement_parameters, statement_same_figures
from .base import contract_lock

# -- frozen statements ---------------------------------------------------------------------------


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
    contract = contract_lock(contract)
    if not (selectors.contract_list(actor).filter(pk=contract.pk).exists()):
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
    parameters = statement_parameters(contract, schedule)
    latest = contract.statements.order_by("-issued_at", "-id").first()
    if known_on is None and latest and statement_same_figures(latest, parameters, schedule):
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
        action=AuditAction.STATEMENT_ISSUE,
        obj=statement,
        after={"contract": contract.reference, "total_due": str(statement.total_due_amount)},
    )
    return statement
