"""PDF documents of the bts_fees app, rendered through core.pdf from stored (frozen) figures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.pdf import pdf_response, render_pdf


def rate_table_response(context: dict):
    on = context["on"]
    pdf = render_pdf(
        "bts_fees/rate_table_pdf.html", context, reference=f"BTS-T-{on:%Y%m%d}", title=_("Barème des indemnités BTS")
    )
    return pdf_response(pdf, filename=f"bareme-bts-{on:%Y-%m-%d}")


def declaration_response(declaration, lines):
    """The declaration of a body: members, acts, dates, quantities, unit amounts at the index of
    each act (stored on the lines), totals, attendance-sheet reference, status and validator."""
    context = {"declaration": declaration, "lines": lines, "total": sum((line.line_amount for line in lines), 0)}
    pdf = render_pdf(
        "bts_fees/declaration_pdf.html",
        context,
        reference=declaration.reference,
        title=_("Déclaration d'indemnités BTS"),
    )
    return pdf_response(pdf, filename=f"declaration-{declaration.reference}")


def render_statement(statement, lines) -> bytes:
    """The statement per person and academic year, from its stored lines and parameters (the
    benchmark passes an unsaved one): identical after a new index or a reopened declaration."""
    from .enums import StatementLineKind

    context = {
        "statement": statement,
        "act_lines": [line for line in lines if line.kind == StatementLineKind.ACT],
        "lesson_lines": [line for line in lines if line.kind == StatementLineKind.LESSON],
    }
    return render_pdf(
        "bts_fees/statement_pdf.html", context, reference=statement.reference, title=_("Relevé des indemnités BTS")
    )


def statement_response(statement):
    """An issued statement as a PDF attachment, rendered from its stored copy."""
    return pdf_response(
        render_statement(statement, list(statement.lines.all())), filename=f"releve-{statement.reference}"
    )
