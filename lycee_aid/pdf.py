"""PDF documents of the ARE, rendered from the stored (frozen) figures through core.pdf."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.pdf import render_pdf

from .models import Dotation, SupplementaryRequest, UsageReport


def notification_pdf(dotation: Dotation) -> bytes:
    """The notification of a voted dotation: forfaits and arrêté, per envelope the formations and
    counts, gross, carry-over deducted, amount due, standing-committee reference."""
    return notification_pdf_for(dotation, list(dotation.lines.all()))


def notification_pdf_for(dotation: Dotation, lines: list) -> bytes:
    """Render the notification from a dotation and its (frozen) lines, already fetched."""
    return render_pdf(
        "lycee_aid/pdf/notification.html",
        {
            "dotation": dotation,
            "year": dotation.school_year,
            "school": dotation.school,
            "pre_lines": [line for line in lines if line.envelope == "pre_bac"],
            "post_lines": [line for line in lines if line.envelope == "post_bac"],
        },
        reference=dotation.reference,
        title=_("Notification de la dotation ARE %(y)s") % {"y": dotation.school_year.label},
    )


def campaign_pdf(year, dotations, totals) -> bytes:
    return render_pdf(
        "lycee_aid/pdf/campaign.html",
        {"year": year, "dotations": dotations, "totals": totals},
        reference=f"ARE-CAMPAGNE-{year.label}",
        title=_("Campagne ARE %(y)s — récapitulatif") % {"y": year.label},
    )


def supplementary_decision_pdf(req: SupplementaryRequest) -> bytes:
    return render_pdf(
        "lycee_aid/pdf/supplementary_decision.html",
        {"req": req, "lines": list(req.lines.select_related("formation"))},
        reference=req.reference,
        title=_("Décision sur la demande de dotation complémentaire ARE"),
    )


def usage_report_pdf(report: UsageReport) -> bytes:
    return render_pdf(
        "lycee_aid/pdf/usage_report.html",
        {"report": report, "lines": list(report.lines.select_related("formation"))},
        reference=report.reference,
        title=_("Compte rendu d'utilisation de l'ARE %(y)s") % {"y": report.school_year.label},
    )
