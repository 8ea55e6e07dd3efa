"""The effect of a new index or act rate on BTS figures, before it is saved (BTS-1, BTS-10).

Lines of declarations not yet validated are priced again when they are submitted and validated:
they change. Validated lines, recorded lessons and issued statements are frozen at the amounts
of their date: they do not change, and the preview says how many of them the new period covers.
Four queries whatever the number of lines; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.enums import Scheme
from core.models import LuxIndex
from core.reference import Impact, simulated_periods
from core.rules import value_in_force
from core.selectors import is_officer

from . import rules, selectors
from .enums import DeclarationStatus
from .models import Act, ActRate, DeclarationLine, LessonRecord, Statement, StatementLine

ZERO = Decimal("0.00")


@dataclass
class LineChange:
    line: DeclarationLine
    before: Decimal | None  # None: no rate or index in force before the change
    after: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.after or ZERO) - (self.before or ZERO)


def _amount(rate_periods, index_periods, on: date, quantity) -> Decimal | None:
    rate = value_in_force(rate_periods, on)
    index = value_in_force(index_periods, on)
    if rate is None or index is None:
        return None
    return rules.line_amount(rate, index, quantity)


def lines_preview(*, user, start: date, end: date | None, act_id: int | None, index_periods=None, rate_periods=None):
    """(changes per declaration, frozen counts) for the acts dated within [start, end] (of one act
    when `act_id`), in the declarations the user may see."""
    dated = Q(act_date__gte=start) & (Q(act_date__lte=end) if end else Q())
    lines = DeclarationLine.objects.filter(dated, declaration__in=selectors.declaration_list(user))
    if act_id is not None:
        lines = lines.filter(act_id=act_id)
    lines = list(lines.select_related("act", "declaration__body", "appointment__person").order_by("act_date", "pk"))
    current_index = LuxIndex.objects.periods("value")
    rates: dict[int, list] = {}
    for row in ActRate.objects.filter(act_id__in={line.act_id for line in lines}):
        rates.setdefault(row.act_id, []).append((row.valid_from, row.valid_until, row.rate_at_100))
    by_declaration: dict[int, dict] = {}
    frozen_lines = 0
    for line in lines:
        if line.declaration.status == DeclarationStatus.VALIDATED:
            frozen_lines += 1
            continue
        old_rates = rates.get(line.act_id, [])
        before = _amount(old_rates, current_index, line.act_date, line.quantity)
        after = _amount(
            rate_periods if rate_periods is not None else old_rates,
            index_periods if index_periods is not None else current_index,
            line.act_date,
            line.quantity,
        )
        if before != after:
            entry = by_declaration.setdefault(line.declaration_id, {"declaration": line.declaration, "lines": []})
            entry["lines"].append(LineChange(line=line, before=before, after=after))
    for entry in by_declaration.values():
        entry["difference"] = sum((c.difference for c in entry["lines"]), ZERO)
    lessons = LessonRecord.objects.filter(
        Q(lesson_date__gte=start) & (Q(lesson_date__lte=end) if end else Q()),
        contract__in=selectors.contract_list(user),
    )
    statements = Statement.objects.filter(pk__in=_statements_covering(user, start, end, act_id))
    if act_id is not None:
        lessons = lessons.filter(contract__rate_code__in=Act.objects.filter(pk=act_id).values("code"))
    frozen = _frozen_sentence(frozen_lines, lessons.count(), statements.count())
    return list(by_declaration.values()), frozen


def _frozen_sentence(lines: int, lessons: int, statements: int) -> str:
    parts = [
        ngettext("%(n)d ligne de déclaration validée", "%(n)d lignes de déclarations validées", lines) % {"n": lines},
        ngettext("%(n)d relevé de leçons", "%(n)d relevés de leçons", lessons) % {"n": lessons},
        ngettext("%(n)d relevé émis", "%(n)d relevés émis", statements) % {"n": statements},
    ]
    return _("Restent inchangés, car figés aux montants de leur date : %(parts)s.") % {"parts": ", ".join(parts)}


def _statements_covering(user, start, end, act_id):
    lines = StatementLine.objects.filter(
        Q(act_date__gte=start) & (Q(act_date__lte=end) if end else Q()),
        statement__in=selectors.statement_list(user),
    )
    if act_id is not None:
        lines = lines.filter(act_code__in=Act.objects.filter(pk=act_id).values("code"))
    return lines.values("statement_id")


def _impact(changes, frozen) -> Impact:
    return Impact(
        title=_("Indemnités BTS : lignes de déclaration"),
        template="bts_fees/_impact_lines.html",
        context={
            "changes": changes,
            "frozen": frozen,
            "total_difference": sum((entry["difference"] for entry in changes), ZERO),
        },
    )


def _span(instance, periods) -> tuple[date, date | None]:
    until = next(vu for vf, vu, _v in periods if vf == instance.valid_from)
    return instance.valid_from, until


def index_impacts(user, instance) -> list[Impact]:
    if not is_officer(user, Scheme.BTS_FEES):
        return []
    periods = simulated_periods(instance, lambda row: row.value)
    start, end = _span(instance, periods)
    return [_impact(*lines_preview(user=user, start=start, end=end, act_id=None, index_periods=periods))]


def act_rate_impacts(user, instance) -> list[Impact]:
    periods = simulated_periods(instance, lambda row: row.rate_at_100)
    start, end = _span(instance, periods)
    return [_impact(*lines_preview(user=user, start=start, end=end, act_id=instance.act_id, rate_periods=periods))]
