"""PDFs of the ARE carry the figures shown on screen, from the frozen records."""

import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from lycee_aid import services
from lycee_aid.enums import EquipmentType
from lycee_aid.models import Dotation, SchoolYear
from tests.core.test_views import pdf_text
from tests.utils import html

from .test_views import job_result

pytestmark = pytest.mark.django_db


def amounts(text: str) -> list[str]:
    return re.findall(r"\d{1,3}(?: \d{3})*,\d{2} €", text)


def test_notification_pdf_matches_the_screen(client_for, are_staff_a, voted, lycee_a):
    client = client_for(are_staff_a)
    dotation = Dotation.objects.get(school=lycee_a)
    screen = html(client.get(reverse("lycee_aid:dotation_detail", args=[dotation.pk])))
    response = client.get(reverse("lycee_aid:dotation_pdf", args=[dotation.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for figure in ("6 732,00 €", "2 114,00 €", "8 846,00 €", "1 296,00 €", "5 436,00 €", "151,00 €", "54,00 €"):
        assert figure in screen and figure in text, figure
    for words in (
        "CP 2023-300",
        "2023-087",
        "Lycée A",
        "0750001A",
        "2023-2024",
        "ARE-2023-2024-0750001A",
        "Page 1 / 1",
    ):
        assert words in text, words
    screen_figures = set(amounts(screen.split("<h2")[1] if "<h2" in screen else screen))
    assert screen_figures <= set(amounts(text))


def test_notification_pdf_is_frozen_after_a_forfait_change(client_for, are_staff_a, voted, lycee_a):
    dotation = Dotation.objects.get(school=lycee_a)
    before = pdf_text(client_for(are_staff_a).get(reverse("lycee_aid:dotation_pdf", args=[dotation.pk])).content)
    SchoolYear.objects.filter(pk=voted.pk).update(forfait_amount=D("999"))  # reference data moves on
    after = pdf_text(client_for(are_staff_a).get(reverse("lycee_aid:dotation_pdf", args=[dotation.pk])).content)
    assert "8 846,00 €" in after and "999" not in after
    assert amounts(before) == amounts(after)


@pytest.mark.jobs
def test_campaign_pdf_carries_the_totals_of_the_table(
    client_for, are_officer, voted, django_capture_on_commit_callbacks
):
    client = client_for(are_officer)
    screen = html(client.get(reverse("lycee_aid:campaign", args=[voted.pk])))
    url = reverse("lycee_aid:campaign_pdf", args=[voted.pk])
    text = pdf_text(job_result(client, django_capture_on_commit_callbacks, url))
    for figure in ("10 658,00 €", "8 846,00 €", "1 812,00 €"):
        assert figure in screen and figure in text
    assert "Paris" in text and "Créteil" in text
    filtered = pdf_text(job_result(client, django_capture_on_commit_callbacks, url, "?academy=paris"))
    assert "8 846,00 €" in filtered and "1 812,00 €" not in filtered


def test_decision_and_usage_report_pdfs(client_for, are_officer, are_staff_a, voted, formations, lycee_a):
    req = services.supplementary_request_submit(
        actor=are_staff_a, school=lycee_a, school_year=voted, justification="x", lines=[(formations["cap"].pk, 6)]
    )
    services.supplementary_request_decide(actor=are_officer, request=req, accept=True)
    text = pdf_text(client_for(are_staff_a).get(reverse("lycee_aid:request_pdf", args=[req.pk])).content)
    assert "906,00 €" in text and "CUISINE (CAP)" in text and "acceptée" in text
    report = services.usage_report_submit(
        actor=are_staff_a,
        school=lycee_a,
        school_year=voted,
        lines=[services.UsageLineInput(formations["cap"].pk, 30, D("4000.50"), (EquipmentType.TOOLS,))],
    )
    text = pdf_text(client_for(are_staff_a).get(reverse("lycee_aid:report_pdf", args=[report.pk])).content)
    # received pré-bac 6 732 + supplementary 906 = 7 638; spent 4 000,50 → 3 637,50 carried over
    assert "7 638,00 €" in text and "4 000,50 €" in text and "3 637,50 €" in text
    assert date.today().strftime("%d/%m/%Y") in text


def test_the_benchs_notification_of_a_computed_dotation_carries_its_formations(computed, lycee_a):
    # The bench year is computed, never voted: its dotations have no lines of their own, and the
    # bench's notifications (bulk and full-scale scenarios) printed « Aucun effectif. » instead of
    # the formations until they were read from the enrolments.
    from lycee_aid import bench

    dotation = Dotation.objects.get(school=lycee_a, school_year=computed)
    assert not dotation.lines.exists()
    text = pdf_text(bench.render_notification(dotation.pk))
    for title in ("3EME PREPA-METIERS", "CUISINE (CAP)", "ELECTROTECHNIQUE (BTS)"):
        assert title in text
    assert "Aucun effectif." not in text
