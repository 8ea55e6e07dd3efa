"""Notices of the ARE: each lycée hears that its dotation is notified."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse

from core.enums import Role
from core.models import User
from core.notices import absolute, send_notice

from .models import Dotation


def dotations_notified(dotations) -> None:
    """One notice per lycée with an account: its dotation, the amount and where to find the PDF."""
    dotations = list(Dotation.objects.filter(pk__in=[d.pk for d in dotations]).select_related("school", "school_year"))
    by_school = defaultdict(set)
    links = User.schools.through.objects.filter(
        school_id__in=[d.school_id for d in dotations], user__role=Role.LYCEE_STAFF, user__is_active=True
    )
    for school_id, email in links.values_list("school_id", "user__email"):
        if email:
            by_school[school_id].add(email)
    for dotation in dotations:
        to = sorted(by_school.get(dotation.school_id, ()))
        if not to:
            continue
        send_notice(
            to=to,
            subject=f"Dotation ARE {dotation.school_year.label} notifiée",
            template="lycee_aid/notices/dotation_notified.txt",
            context={
                "dotation": dotation,
                "link": absolute(reverse("lycee_aid:dotation_detail", args=[dotation.pk])),
                "pdf": absolute(reverse("lycee_aid:dotation_pdf", args=[dotation.pk])),
            },
        )
