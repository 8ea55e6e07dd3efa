"""PDF documents of the bts_fees app, rendered through core.pdf from stored (frozen) figures.

Each function returns the PDF bytes; the views wrap them with `core.pdf.pdf_response`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from core.pdf import figures_width, render_pdf
from core.templatetags.bareme import eur, num

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


def _statement_columns(statement, act_lines: list, lesson_lines: list) -> dict:
    """Widths of the statement's columns of figures, dates and references (fixed table layout, 8 pt
    with 1 mm of padding each side), from what is printed in them; the act and the programme take
    the rest of the line. Each is at least as wide as its French header."""

    def width(texts, minimum_mm, maximum_mm=60.0, bold=False):
        return figures_width(texts, minimum_mm=minimum_mm, maximum_mm=maximum_mm, size_pt=8, padding_mm=2, bold=bold)

    lines = act_lines + lesson_lines
    return {
        "reference": width([line.source_reference for line in act_lines], 21, maximum_mm=45),
        "date": width([f"{line.act_date:%d/%m/%Y}" for line in lines], 10),
        "quantity": width([num(line.quantity, 2) for line in act_lines], 8),
        "lessons": width([num(line.quantity, 0) for line in lesson_lines], 14),
        "index": width([num(line.index_value, 2) for line in lines], 12),
        "unit": width([eur(line.unit_amount) for line in lines], 16),
        "amount": width(
            [eur(line.line_amount) for line in lines]
            + [eur(statement.lines_total_amount), eur(statement.lessons_total_amount)],
            17,
            bold=True,  # the sub-totals
        ),
    }


def render_statement(statement, lines: list | None = None) -> bytes:
    """The statement per person and academic year, from its stored lines and parameters (the
    benchmark passes an unsaved one): identical after a new index or a reopened declaration."""
    from .enums import StatementLineKind

    if lines is None:
        lines = list(statement.lines.all())
    act_lines = [line for line in lines if line.kind == StatementLineKind.ACT]
    lesson_lines = [line for line in lines if line.kind == StatementLineKind.LESSON]
    context = {
        "statement": statement,
        "act_lines": act_lines,
        "lesson_lines": lesson_lines,
        "addressee_lines": [(statement.parameters or {}).get("school", "")],
        "columns": _statement_columns(statement, act_lines, lesson_lines),
    }
    return render_pdf(
        "bts_fees/statement_pdf.html",
        context,
        reference=statement.reference,
        title=_("Relevé des indemnités BTS %(y)s") % {"y": statement.parameters.get("academic_year", "")},
        scheme=SCHEME,
        document_date=statement.issued_at,
    )
