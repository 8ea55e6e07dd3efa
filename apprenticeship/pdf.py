"""PDF documents of the apprenticeship app, always rendered from the frozen records.

Each function returns the PDF bytes; the views wrap them with `core.pdf.pdf_response`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import render_pdf

from . import rules
from .models import AidRequest, Statement
from .selectors import payment_list

SCHEME = "apprenticeship"


def employer_address(employer) -> list[str]:
    """The addressee lines under the employer's name: its address as typed, one line per line."""
    return [line.strip() for line in (employer.address or "").splitlines() if line.strip()]


def statement_period(lines: list, today: date | None = None) -> tuple[date, date] | None:
    """The default period of a statement: its months already due (up to the current month)."""
    if not lines:
        return None
    months = sorted(line.month for line in lines)
    today = today or timezone.localdate()
    current = date(today.year, today.month, 1)
    return months[0], max(months[0], min(months[-1], current))


def render_statement(
    statement: Statement,
    lines: list | None = None,
    *,
    first: date | None = None,
    last: date | None = None,
    paid_by_month: dict[date, Decimal] | None = None,
) -> bytes:
    """The schedule statement over [first, last] (default: the months already due), from its
    stored lines and parameters (identical after a new index), with per month what was paid
    (recorded payments) and what remains owed, and the totals of the period.

    `lines` defaults to the statement's stored lines and `paid_by_month` to the contract's recorded
    payments (the benchmark passes an unsaved statement). A statement issued on contract dates
    typed in error is refused (ValidationError), not rendered for minutes."""
    if lines is None:
        from .selectors import statement_oversized

        error = statement_oversized(statement)
        if error:
            raise ValidationError(error)
        lines = list(statement.lines.all())
        if paid_by_month is None:
            paid_by_month = {month: p.paid_amount for month, p in payment_list(statement.contract).items()}
    default = statement_period(lines) or (first or last, last or first)
    first, last = first or default[0], last or default[1]
    balance = rules.period_balance(lines, paid_by_month or {}, first=first, last=last) if first and last else None
    return render_pdf(
        "apprenticeship/statement_pdf.html",
        {"statement": statement, "contract": statement.contract, "balance": balance},
        reference=statement.reference,
        title=_("Relevé des indemnités d'apprentissage"),
        scheme=SCHEME,
        document_date=statement.issued_at,
    )


def render_aid_request(aid: AidRequest) -> bytes:
    """The employer's aid summary for one apprenticeship year (figures stored on the request)."""
    return render_pdf(
        "apprenticeship/aid_pdf.html",
        {"aid": aid, "contract": aid.contract, "employer_address": employer_address(aid.contract.employer)},
        reference=aid.reference,
        title=_("Aide de promotion de l'apprentissage — récapitulatif %(y)s") % {"y": aid.school_year_label},
        scheme=SCHEME,
        document_date=aid.prepared_at,
    )
