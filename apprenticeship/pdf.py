"""PDF documents of the apprenticeship app, always rendered from the frozen records.

Each function returns the PDF bytes; the views wrap them with `core.pdf.pdf_response`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.pdf import render_pdf

from .models import AidRequest, Statement


def render_statement(statement: Statement, lines: list | None = None) -> bytes:
    """The schedule statement, from its stored lines and parameters (identical after a new index).

    `lines` defaults to the statement's stored lines (the benchmark passes those of an unsaved
    one). A statement issued on contract dates typed in error is refused (ValidationError), not
    rendered for minutes."""
    if lines is None:
        from .services import statement_oversized

        error = statement_oversized(statement)
        if error:
            raise ValidationError(error)
        lines = list(statement.lines.all())
    return render_pdf(
        "apprenticeship/statement_pdf.html",
        {"statement": statement, "contract": statement.contract, "lines": lines},
        reference=statement.reference,
        title=_("Relevé des indemnités d'apprentissage"),
    )


def render_aid_request(aid: AidRequest) -> bytes:
    """The employer's aid summary for one apprenticeship year (figures stored on the request)."""
    return render_pdf(
        "apprenticeship/aid_pdf.html",
        {"aid": aid, "contract": aid.contract},
        reference=aid.reference,
        title=_("Aide de promotion de l'apprentissage — récapitulatif"),
    )
