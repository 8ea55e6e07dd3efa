"""Frozen statements as read: the parameters a statement would be issued with, whether a stored one
holds today's figures, whether it can be shown, and its comparison with today's computation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import ngettext

from core.rules import ZERO

from .. import rules
from ..enums import ContractStatus
from ..models import Contract, Statement
from .schedule import Schedule, current_month, schedule_compute


def statement_parameters(contract: Contract, schedule: Schedule) -> dict:
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


def statement_same_figures(statement: Statement, parameters: dict, schedule: Schedule) -> bool:
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
