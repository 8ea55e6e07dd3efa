"""The ARE demo data tells a coherent story under the rules (lycee_aid/demo.py)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from core import demo as core_demo
from core.models import School, User
from lycee_aid import services
from lycee_aid.enums import CampaignStatus, CpgeRefusal, DotationStatus
from lycee_aid.models import CpgeAidRequest, Dotation, DotationLine, SchoolSituation, SchoolYear


@pytest.fixture
def demo(db):
    call_command("bareme_init", "--demo", verbosity=0)


def test_the_2023_campaign_is_voted_notified_with_exact_rates(demo, client):
    y2023 = SchoolYear.objects.get(start_year=2023)
    assert y2023.campaign_status == CampaignStatus.NOTIFIED
    assert set(Dotation.objects.filter(school_year=y2023).values_list("status", flat=True)) == {DotationStatus.NOTIFIED}
    # ARE-5: every demo situation holds the académie's count and the enrolments, none a typed rate
    assert not SchoolSituation.objects.filter(scholarship_count__isnull=True).exists()
    assert not SchoolSituation.objects.exclude(legacy_scholarship_rate=None).exists()
    paris = Dotation.objects.get(school__code=core_demo.PARIS_LP, school_year=y2023)
    # pré-bac (30 + 18 + 48) × 151 + 24 × 54 = 15 792 − 320 = 15 472;
    # post-bac (28 + 35) × 270 / 600 = 28,35 → 28 × 151 = 4 228; total 19 700
    assert (paris.scholarship_count, paris.school_enrolments, paris.scholarship_holders) == (270, 600, 28)
    assert (paris.pre_bac_due_amount, paris.post_bac_due_amount, paris.total_due_amount) == (
        D("15472.00"),
        D("4228.00"),
        D("19700.00"),
    )
    # the voted lines add up to the voted pré-bac gross
    assert sum(
        DotationLine.objects.filter(dotation=paris).exclude(gross_amount=None).values_list("gross_amount", flat=True)
    ) == D("15792.00")
    client.force_login(User.objects.get(username="lycee.paris"))
    page = client.get(reverse("lycee_aid:dotation_detail", args=[paris.pk])).content.decode()
    assert "270 boursiers / 600 élèves" in page


def test_the_cpge_requests_say_what_is_paid_and_why_not(demo):
    requests = {r.pupil_last_name: r for r in CpgeAidRequest.objects.all()}
    # 2024-2025 forfait 319 €: 3 × 319 = 957; five competitions are paid three: 957; QF 11 850 > 10 140: 0
    assert (requests["Moreau"].aid_amount, requests["Moreau"].competitions_paid) == (D("957.00"), 3)
    assert (requests["Lefèvre"].aid_amount, requests["Lefèvre"].competitions_paid) == (D("957.00"), 3)
    assert (requests["Garnier"].aid_amount, requests["Garnier"].refusal_reason) == (
        D("0.00"),
        CpgeRefusal.QUOTIENT_ABOVE_CEILING,
    )


def test_the_2024_campaign_can_be_run_and_voted_as_the_browser_journey_does(demo):
    agent = User.objects.get(username="agent")
    y2024 = SchoolYear.objects.get(start_year=2024)
    assert y2024.campaign_status == CampaignStatus.OPEN
    services.campaign_run(actor=agent, school_year=y2024)
    paris = Dotation.objects.get(school__code=core_demo.PARIS_LP, school_year=y2024)
    # pré-bac 102 × 157 + 26 × 56 = 17 470 − 5 042 = 12 428; post-bac (30 + 37) × 270 / 600 = 30,15
    # → 30 × 157 = 4 710 − 2 328 = 2 382; total 14 810 (carry-overs from the 2023-2024 usage report)
    assert (paris.pre_bac_due_amount, paris.post_bac_due_amount, paris.total_due_amount) == (
        D("12428.00"),
        D("2382.00"),
        D("14810.00"),
    )
    services.campaign_vote(actor=agent, school_year=y2024, reference="CP 2024-211", voted_on=date(2024, 7, 4))
    assert DotationLine.objects.filter(dotation__school_year=y2024).exists()
    assert School.objects.filter(code=core_demo.VERSAILLES_LPO).exists()
    lpo = Dotation.objects.get(school__code=core_demo.VERSAILLES_LPO, school_year=y2024)
    assert lpo.total_due_amount == D("0.00") and not lpo.survey_answered  # did not answer the surveys
