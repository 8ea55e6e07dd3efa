"""Background jobs of the ARE (core.jobs): the bulk documents that would not fit in a request.

Each job function is `f(*, job, progress, **kwargs) -> (filename, bytes)` and sees only what the
officer who started it (`job.owner`) may see: it goes through the same selectors as the views.
"""

from __future__ import annotations

from .filters import CampaignFilter
from .models import SchoolYear


def notifications_zip_job(*, job, progress, school_year_id: int):
    """Every voted notification of the year, one PDF per lycée, in one ZIP (progress per PDF)."""
    from . import services

    year = SchoolYear.objects.get(pk=school_year_id)
    content = services.notifications_zip(user=job.owner, school_year=year, progress=progress)
    return f"notifications-are-{year.label}.zip", content


def campaign_pdf_job(*, job, progress, school_year_id: int, filters: dict):
    """The campaign summary PDF (every lycée of the filtered table, totals per académie)."""
    from . import pdf, selectors

    user = job.owner
    year = selectors.school_year_get(user, school_year_id)
    filterset = CampaignFilter(filters, queryset=selectors.dotations_for(user, school_year=year))
    dotations = (
        filterset.qs.order_by("school__academy", "school__name") if filterset.is_valid() else filterset.queryset.none()
    )
    rows = list(dotations)
    progress(0, 1)
    content = pdf.campaign_pdf(year, rows, selectors.campaign_totals(dotations))
    progress(1, 1)
    return f"campagne-are-{year.label}.pdf", content
