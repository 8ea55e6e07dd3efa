"""PDF documents of the apprenticeship app, always rendered from the frozen records."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.pdf import render_pdf

from .models import AidRequest, Statement


def statement_pdf(statement: Statement) -> bytes:
    """The schedule statement, from its stored lines and parameters (identical after a new index).
    A statement issued on contract dates typed in error is refused (ValidationError), not rendered
    for minutes."""
    from .services import statement_oversized

    error = statement_oversized(statement)
    if error:
        raise ValidationError(error)
    return render_statement(statement, list(statement.lines.all()))


def render_statement(statement: Statement, lines: list) -> bytes:
    """Render a statement with the given lines (the benchmark passes an unsaved one)."""
    return render_pdf(
        "apprenticeship/statement_pdf.html",
        {"statement": statement, "contract": statement.contract, "lines": lines},
        reference=statement.reference,
        title=_("Relevé des indemnités d'apprentissage"),
    )


def aid_request_pdf(aid: AidRequest) -> bytes:
    return render_pdf(
        "apprenticeship/aid_pdf.html",
        {"aid": aid, "contract": aid.contract},
        reference=aid.reference,
        title=_("Aide de promotion de l'apprentissage — récapitulatif"),
    )
