"""PDF documents of the ARE, rendered from the stored (frozen) figures through core.pdf."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.pdf import render_pdf

from .models import Dotation


def notification_pdf(dotation: Dotation) -> bytes:
    lines = list(dotation.lines.all())
    return render_pdf(
        "lycee_aid/pdf/notification.html",
        {"dotation": dotation, "year": dotation.school_year, "school": dotation.school, "lines": lines},
        reference=dotation.reference,
        title=_("Notification de la dotation ARE %(y)s") % {"y": dotation.school_year.label},
    )
