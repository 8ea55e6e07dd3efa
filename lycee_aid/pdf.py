"""PDF documents of the ARE, rendered from the stored (frozen) figures through core.pdf.

Each function returns the PDF bytes; the views and jobs wrap or store them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.pdf import figures_width, render_pdf
from core.templatetags.bareme import eur

from .models import Dotation, SupplementaryRequest, UsageReport

SCHEME = "lycee_aid"


def school_address(school) -> list[str]:
    """The addressee lines under a lycée's name: its UAI and its town."""
    return [f"UAI {school.code}", school.city or ""]


def render_notification(dotation: Dotation, lines: list | None = None) -> bytes:
    """The notification of a voted dotation: forfaits and arrêté, per envelope the formations and
    counts, gross, carry-over deducted, amount due, standing-committee reference. `lines` defaults
    to the dotation's frozen lines (the benchmark passes those of an unsaved one)."""
    if lines is None:
        lines = list(dotation.lines.all())
    pre_lines = [line for line in lines if line.envelope == "pre_bac"]
    post_lines = [line for line in lines if line.envelope == "post_bac"]
    return render_pdf(
        "lycee_aid/pdf/notification.html",
        {
            "dotation": dotation,
            "year": dotation.school_year,
            "school": dotation.school,
            "pre_lines": pre_lines,
            "post_lines": post_lines,
            "school_address": school_address(dotation.school),
            "columns": _notification_columns(dotation, pre_lines, post_lines),
        },
        reference=dotation.reference,
        title=_("Notification de la dotation ARE %(y)s") % {"y": dotation.school_year.label},
        scheme=SCHEME,
        document_date=dotation.notified_at or dotation.standing_committee_date,
    )


def _notification_columns(dotation: Dotation, pre_lines: list, post_lines: list) -> dict:
    """Widths of the notification's figure columns (fixed table layout), from the figures printed
    in them: the formation title takes the rest of the line. Headers are at least as wide as their
    longest word in French (« Effectif n-1 » and « Code diplôme » on one line, as before)."""
    d, lines = dotation, pre_lines + post_lines
    return {
        "nsf": figures_width([line.nsf_code for line in lines], minimum_mm=9),
        "code": figures_width([line.diploma_code for line in lines], minimum_mm=26),
        "count": figures_width([line.enrolments for line in pre_lines], minimum_mm=21),
        "forfait": figures_width([eur(line.forfait_amount) for line in pre_lines], minimum_mm=16),
        "amount": figures_width(
            [eur(line.gross_amount) for line in pre_lines]
            + [eur(d.pre_bac_gross_amount), f"− {eur(d.carryover_pre_bac_amount)}", eur(d.pre_bac_due_amount)],
            minimum_mm=17,
        ),
        "post": figures_width(
            [line.enrolments for line in post_lines]
            + [d.scholarship_holders, eur(d.post_bac_gross_amount), f"− {eur(d.carryover_post_bac_amount)}"]
            + [eur(d.post_bac_due_amount)],
            minimum_mm=21,
        ),
    }


def render_campaign(year, dotations, totals) -> bytes:
    """The campaign summary: every lycée of the (filtered) table and the totals per académie."""
    return render_pdf(
        "lycee_aid/pdf/campaign.html",
        {"year": year, "dotations": dotations, "totals": totals},
        reference=f"ARE-CAMPAGNE-{year.label}",
        title=_("Campagne ARE %(y)s — récapitulatif") % {"y": year.label},
        scheme=SCHEME,
    )


def render_supplementary_decision(req: SupplementaryRequest, lines: list | None = None) -> bytes:
    if lines is None:
        lines = list(req.lines.select_related("formation"))
    return render_pdf(
        "lycee_aid/pdf/supplementary_decision.html",
        {"req": req, "lines": lines, "school_address": school_address(req.school)},
        reference=req.reference,
        title=_("Décision sur la demande de dotation complémentaire ARE %(y)s") % {"y": req.school_year.label},
        scheme=SCHEME,
        document_date=req.decided_at,
    )


def render_usage_report(report: UsageReport, lines: list | None = None) -> bytes:
    if lines is None:
        lines = list(report.lines.select_related("formation"))
    return render_pdf(
        "lycee_aid/pdf/usage_report.html",
        {"report": report, "lines": lines},
        reference=report.reference,
        title=_("Compte rendu d'utilisation de l'ARE %(y)s") % {"y": report.school_year.label},
        scheme=SCHEME,
        document_date=report.submitted_at,
    )
