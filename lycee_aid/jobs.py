"""Background jobs of the ARE (core.jobs): the bulk documents that would not fit in a request.

A job is a function `f(*, job, progress, **kwargs) -> (filename, bytes)` or a `FanOutJob` (one part
per lycée, spread over every worker); either sees only what the officer who started it
(`job.owner`) may see: it goes through the same selectors as the views.
"""

from __future__ import annotations

from core.jobs import FanOutJob

from .enums import DotationStatus
from .filters import CampaignFilter
from .models import SchoolYear


class NotificationsZip(FanOutJob):
    """Every voted notification of the year, as one ZIP: one part per lycée, rendered and stored by
    whichever worker takes it (every worker of every host), retried alone if it fails; the ZIP is
    assembled once every notification is stored. The officer follows the count of PDFs done."""

    def _dotations(self, job, school_year_id):
        from .selectors import dotation_list

        year = SchoolYear.objects.get(pk=school_year_id)
        return year, dotation_list(job.owner, school_year=year).exclude(status=DotationStatus.COMPUTED)

    def parts(self, *, job, school_year_id: int):
        _year, dotations = self._dotations(job, school_year_id)
        return [
            (str(pk), code) for pk, code in dotations.order_by("school__code", "pk").values_list("pk", "school__code")
        ]

    def render_part(self, *, job, key: str, school_year_id: int):
        from .pdf import render_notification

        year, dotations = self._dotations(job, school_year_id)
        dotation = dotations.get(pk=int(key))  # still visible to the officer who asked
        return notification_filename(year, dotation.school.code), render_notification(dotation)

    def result_name(self, *, job, school_year_id: int):
        return f"notifications-are-{SchoolYear.objects.get(pk=school_year_id).label}.zip"


# Jobs queued before the notifications were split per lycée name the former function.
notifications_zip_job = NotificationsZip


def notification_filename(year: SchoolYear, school_code: str) -> str:
    return f"notification-ARE-{year.label}-{school_code}.pdf"


def campaign_pdf_job(*, job, progress, school_year_id: int, filters: dict):
    """The campaign summary PDF (every lycée of the filtered table, totals per académie)."""
    from . import pdf, selectors

    user = job.owner
    year = selectors.school_year_get(user, school_year_id)
    filterset = CampaignFilter(filters, queryset=selectors.dotation_list(user, school_year=year))
    dotations = (
        filterset.qs.order_by("school__academy", "school__name") if filterset.is_valid() else filterset.queryset.none()
    )
    rows = list(dotations)
    progress(0, 1)
    content = pdf.render_campaign(year, rows, selectors.campaign_totals(dotations))
    progress(1, 1)
    return f"campagne-are-{year.label}.pdf", content
