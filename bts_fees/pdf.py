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


def render_statement(statement) -> bytes:
    """The statement per person and academic year (the benchmark passes an unsaved one)."""
    return render_pdf(
        "bts_fees/statement_pdf.html",
        {"statement": statement},
        reference=statement.reference,
        title=_("Relevé des indemnités BTS"),
    )


def statement_response(statement):
    return pdf_response(render_statement(statement), filename=f"releve-{statement.reference}")
