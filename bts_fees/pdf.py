"""PDF documents of the bts_fees app, rendered through core.pdf from stored (frozen) figures.

Each function returns the PDF bytes; the views wrap them with `core.pdf.pdf_response`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from core.pdf import render_pdf

SCHEME = "bts_fees"


def rate_table_reference(on) -> str:
    return f"BTS-T-{on:%Y%m%d}"


def render_rate_table(context: dict) -> bytes:
    """The public rate table in force on `context["on"]` (context of `selectors.rate_table`)."""
    return render_pdf(
        "bts_fees/rate_table_pdf.html",
        context,
        reference=rate_table_reference(context["on"]),
        title=_("Barème des indemnités BTS"),
        scheme=SCHEME,
        document_date=context["on"],
    )


def render_declaration(declaration, lines: list | None = None) -> bytes:
    """The declaration of a body: members, acts, dates, quantities, unit amounts at the index of
    each act (stored on the lines), totals, attendance-sheet reference, status and validator."""
    if lines is None:
        from .selectors import declaration_line_list

        lines = list(declaration_line_list(declaration))
    context = {
        "declaration": declaration,
        "lines": lines,
        "total": sum((line.line_amount for line in lines), Decimal("0.00")),
    }
    return render_pdf(
        "bts_fees/declaration_pdf.html",
        context,
        reference=declaration.reference,
        title=_("Déclaration d'indemnités BTS"),
        scheme=SCHEME,
    )


def render_statement(statement, lines: list | None = None) -> bytes:
    """The statement per person and academic year, from its stored lines and parameters (the
    benchmark passes an unsaved one): identical after a new index or a reopened declaration."""
    from .enums import StatementLineKind

    if lines is None:
        lines = list(statement.lines.all())
    context = {
        "statement": statement,
        "act_lines": [line for line in lines if line.kind == StatementLineKind.ACT],
        "lesson_lines": [line for line in lines if line.kind == StatementLineKind.LESSON],
        "addressee_lines": [(statement.parameters or {}).get("school", "")],
    }
    return render_pdf(
        "bts_fees/statement_pdf.html",
        context,
        reference=statement.reference,
        title=_("Relevé des indemnités BTS %(y)s") % {"y": statement.parameters.get("academic_year", "")},
        scheme=SCHEME,
        document_date=statement.issued_at,
    )
