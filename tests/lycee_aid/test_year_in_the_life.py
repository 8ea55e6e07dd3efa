"""A year in the life of the ARE (seed 003), 2023-2024 and the start of 2024-2025, through the
services and pages the officers and the lycées use. Every amount is checked to the cent against a
figure computed by hand in the comments.

The cast:
- Lycée Jean Jaurès (Paris, L1): 3e prépa-métiers, two CAP, a bac pro, a BTS; 75 scholarship holders
  out of 900 pupils (rate 1/12 exactly, the 0,0833 an officer used to type); 320 € of pré-bac
  carried over from 2022-2023.
- Lycée Voltaire (Créteil, L2): a CAP and a BTS, 7 scholarship holders out of 20 (7/20); 2 500 € of
  post-bac carried over, more than its post-bac dotation.
- Lycée Hoche (Versailles, L3): did not answer the regional surveys.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.enums import Role
from lycee_aid import selectors, services
from lycee_aid.enums import CampaignStatus, CpgeRefusal, DotationStatus, EquipmentType
from lycee_aid.models import CarryOver, Dotation, DotationLine, EligibleFormation, SchoolYear
from tests.factories import SchoolFactory, UserFactory
from tests.utils import html

from .conftest import SEED_ANNEX

pytestmark = pytest.mark.django_db

PREPA, CUISINE, PATISSIER, BACPRO_HOTEL, BTS_ELEC = "67010031", "50022139", "50022141", "40033404", "32025520"


def _status(year) -> str:
    year.refresh_from_db()
    return year.campaign_status


def _money(d: Dotation):
    return (d.pre_bac_gross_amount, d.pre_bac_due_amount, d.post_bac_gross_amount, d.post_bac_due_amount)


def test_a_year_in_the_life(client_for):  # noqa: PLR0915 — one story, told in order
    officer = UserFactory(username="agent.region", role=Role.OFFICER, schemes=["lycee_aid"])
    l1 = SchoolFactory(code="0750001A", name="Lycée Jean Jaurès", country="FR", academy="paris")
    l2 = SchoolFactory(code="0940002B", name="Lycée Voltaire", country="FR", academy="creteil")
    l3 = SchoolFactory(code="0780003C", name="Lycée Hoche", country="FR", academy="versailles")
    staff1 = UserFactory(username="staff.jaures", role=Role.LYCEE_STAFF, schools=[l1])
    staff2 = UserFactory(username="staff.voltaire", role=Role.LYCEE_STAFF, schools=[l2])
    staff3 = UserFactory(username="staff.hoche", role=Role.LYCEE_STAFF, schools=[l3])

    # -- 1. Forfaits 2023-2024 by CPI indexation (ARE-2, ARE-3; arrêté 2023-087) ---------------
    SchoolYear.objects.create(
        start_year=2022,
        forfait_amount=D("142"),
        forfait_prepa_metiers_amount=D("51"),
        forfait_cpge_amount=D("290"),
        order_reference="2022-045",
        forfaits_confirmed_at="2022-03-01T00:00Z",
    )
    for month, value in ((date(2021, 12, 1), "107.4"), (date(2022, 12, 1), "114.18")):
        services.cpi_value_record(
            actor=officer, series_id="001763862", base="2015", month=month, value=D(value), source="INSEE"
        )
    y2023 = services.school_year_open(actor=officer, start_year=2023)
    proposal = selectors.forfaits_propose(actor=officer, school_year=y2023)
    # ((114,18 / 107,4) − 1) × 100 = 6,3128… → 6,31 %; 142 × 1,0631 = 150,96 → 151;
    # 51 × 1,0631 = 54,22 → 54; 290 × 1,0631 = 308,30 → 308 (the seed's 151 / 54 / 308)
    assert proposal.evolution_percent == D("6.31")
    assert (proposal.forfait, proposal.forfait_prepa_metiers, proposal.forfait_cpge) == (D("151"), D("54"), D("308"))
    services.forfaits_confirm(
        actor=officer,
        school_year=y2023,
        forfait_amount=proposal.forfait,
        forfait_prepa_metiers_amount=proposal.forfait_prepa_metiers,
        forfait_cpge_amount=proposal.forfait_cpge,
        order_reference="2023-087",
        order_date=date(2023, 3, 17),
        cpi_evolution_percent=proposal.evolution_percent,
    )
    assert services.formations_import(actor=officer, school_year=y2023, text=SEED_ANNEX.read_text()).created == 222
    f23 = dict(EligibleFormation.objects.filter(school_year=y2023).values_list("diploma_code", "pk"))

    # -- 2. Enrolments n-1, situations, carry-overs (ARE-4..7) ----------------------------------
    services.enrolments_save(
        actor=staff1,
        school=l1,
        school_year=y2023,
        counts={f23[PREPA]: 24, f23[CUISINE]: 30, f23[PATISSIER]: 18, f23[BACPRO_HOTEL]: 48, f23[BTS_ELEC]: 30},
    )
    services.enrolments_upload(
        actor=staff2,
        school=l2,
        school_year=y2023,
        name="effectifs.csv",
        content=f"uai;code_diplome;effectif\n{l2.code};{CUISINE};12\n{l2.code};{BTS_ELEC};40\n".encode(),
    )
    services.enrolments_save(actor=staff3, school=l3, school_year=y2023, counts={f23[CUISINE]: 20, f23[BTS_ELEC]: 10})
    for school, count, enrolments, survey, carry_pre, carry_post in (
        (l1, 75, 900, True, "320", "0"),
        (l2, 7, 20, True, "0", "2500"),
        (l3, None, None, False, "0", "0"),  # no survey answer: no count needed, nothing is due
    ):
        services.situation_set(
            actor=officer,
            school=school,
            school_year=y2023,
            scholarship_count=count,
            school_enrolments=enrolments,
            survey_answered=survey,
            carryover_pre_bac=D(carry_pre),
            carryover_post_bac=D(carry_post),
        )

    # -- 3. The campaign, a late correction, the campaign again (ARE-4..7, stale rule) ----------
    services.campaign_run(actor=officer, school_year=y2023)
    assert _status(y2023) == CampaignStatus.COMPUTED
    d1 = Dotation.objects.get(school=l1, school_year=y2023)
    # L1 pré-bac: (30 + 18 + 48) × 151 + 24 × 54 = 14 496 + 1 296 = 15 792 − 320 carried over = 15 472
    # L1 post-bac: 30 × 75/900 = 2,5 → 3 holders (the typed 0,0833 gave 2,499 → 2) × 151 = 453
    assert (d1.scholarship_holders, *_money(d1)) == (3, D("15792.00"), D("15472.00"), D("453.00"), D("453.00"))
    # The pâtisserie class had 20 pupils, not 18: the lycée corrects it after the computation.
    services.enrolments_save(actor=staff1, school=l1, school_year=y2023, counts={f23[PATISSIER]: 20})
    assert _status(y2023) == CampaignStatus.STALE
    with pytest.raises(ValidationError, match="recalculez la campagne"):
        services.campaign_vote(actor=officer, school_year=y2023, reference="CP 2023-184", voted_on=date(2023, 7, 5))
    result = services.campaign_run(actor=officer, school_year=y2023)

    d1, d2, d3 = (Dotation.objects.get(school=s, school_year=y2023) for s in (l1, l2, l3))
    # L1 pré-bac: (30 + 20 + 48) × 151 + 24 × 54 = 14 798 + 1 296 = 16 094 − 320 = 15 774; post-bac 453
    assert (d1.scholarship_holders, *_money(d1)) == (3, D("16094.00"), D("15774.00"), D("453.00"), D("453.00"))
    assert d1.total_due_amount == D("16227.00")  # 15 774 + 453
    # L2 pré-bac: 12 × 151 = 1 812; post-bac 40 × 7/20 = 14 holders × 151 = 2 114, but 2 500 carried
    # over exceed it: 0 (never negative), and the 386 left over are not taken from pré-bac.
    assert (d2.scholarship_holders, *_money(d2)) == (14, D("1812.00"), D("1812.00"), D("2114.00"), D("0.00"))
    assert d2.total_due_amount == D("1812.00")
    # L3: 20 × 151 = 3 020 computed for the record; no survey answer, nothing due.
    assert (d3.pre_bac_gross_amount, d3.total_due_amount, d3.survey_answered) == (D("3020.00"), D("0.00"), False)
    assert result.total_due == D("18039.00")  # 16 227 + 1 812 + 0
    # Before the vote the detail is read from the enrolments, and nothing is written per formation.
    assert not DotationLine.objects.exists()
    shown = {line.diploma_code: line.gross_amount for line in selectors.dotation_line_list(d1)}
    assert shown == {
        PREPA: D("1296.00"),  # 24 × 54
        CUISINE: D("4530.00"),  # 30 × 151
        PATISSIER: D("3020.00"),  # 20 × 151
        BACPRO_HOTEL: D("7248.00"),  # 48 × 151
        BTS_ELEC: None,  # post-bac: computed on scholarship holders
    }

    # -- 4. The vote shows what is voted, then freezes it -------------------------------------
    page = html(client_for(officer).get(reverse("lycee_aid:campaign_vote", args=[y2023.pk])))
    # pré-bac due 15 774 + 1 812 + 0 = 17 586; post-bac due 453 + 0 + 0 = 453; 18 039 in all
    for figure in ("17 586,00 €", "453,00 €", "18 039,00 €", "16 227,00 €", "1 812,00 €", "3 dotations"):
        assert figure in page, figure
    services.campaign_vote(actor=officer, school_year=y2023, reference="CP 2023-184", voted_on=date(2023, 7, 5))
    assert _status(y2023) == CampaignStatus.VOTED
    voted = {
        line.diploma_code: (line.enrolments, line.gross_amount) for line in DotationLine.objects.filter(dotation=d1)
    }
    assert voted == {
        PREPA: (24, D("1296.00")),
        CUISINE: (30, D("4530.00")),
        PATISSIER: (20, D("3020.00")),
        BACPRO_HOTEL: (48, D("7248.00")),
        BTS_ELEC: (30, None),
    }
    assert sum(a for _n, a in voted.values() if a is not None) == D("16094.00")  # = L1's pré-bac gross
    with pytest.raises(ValidationError):  # frozen
        services.enrolments_save(actor=staff1, school=l1, school_year=y2023, counts={f23[CUISINE]: 31})

    # -- 5. Notification and payment ----------------------------------------------------------
    assert services.campaign_notify(actor=officer, school_year=y2023) == 3
    assert _status(y2023) == CampaignStatus.NOTIFIED
    services.dotation_mark_paid(actor=officer, dotation=d1)
    assert _status(y2023) == CampaignStatus.NOTIFIED  # L2 is not paid yet
    services.dotation_mark_paid(actor=officer, dotation=d2)
    assert _status(y2023) == CampaignStatus.PAID  # L3 has nothing to pay (0 €)
    assert Dotation.objects.get(pk=d3.pk).status == DotationStatus.NOTIFIED

    # -- 6. A supplementary request (ARE-8) ---------------------------------------------------
    req = services.supplementary_request_submit(
        actor=staff1,
        school=l1,
        school_year=y2023,
        justification="Ouverture d'une seconde division de CAP cuisine et deux boursiers de plus en BTS.",
        lines=[(f23[CUISINE], 6), (f23[BTS_ELEC], 2)],
    )
    with pytest.raises(ValidationError, match="figure déjà dans la demande"):
        services.supplementary_request_submit(
            actor=staff1, school=l1, school_year=y2023, justification="Encore.", lines=[(f23[CUISINE], 6)]
        )
    req = services.supplementary_request_decide(actor=officer, request=req, accept=True)
    # pré-bac 6 × 151 = 906; post-bac 2 × 151 = 302; 1 208 in all
    assert (req.pre_bac_amount, req.post_bac_amount, req.total_amount) == (D("906.00"), D("302.00"), D("1208.00"))

    # -- 7. CPGE competition-fee aid (ARE-10) -------------------------------------------------
    def cpge(last, first, born, *, second=True, quotient="8450", competitions=5):
        return services.cpge_aid_request_submit(
            actor=staff1,
            school=l1,
            school_year=y2023,
            pupil_last_name=last,
            pupil_first_name=first,
            pupil_birth_date=born,
            second_year=second,
            family_quotient=D(quotient),
            competitions=competitions,
        )

    ines = cpge("Moreau", "Inès", date(2004, 2, 14))
    assert (ines.aid_amount, ines.competitions_paid) == (D("924.00"), 3)  # 5 competitions, 3 paid × 308
    with pytest.raises(ValidationError, match="une seule demande par élève"):
        cpge("MOREAU", "Ines", date(2004, 2, 14), competitions=3)
    hugo = cpge("Petit", "Hugo", date(2004, 9, 3), quotient="12000")
    assert (hugo.aid_amount, hugo.refusal_reason) == (D("0.00"), CpgeRefusal.QUOTIENT_ABOVE_CEILING)
    lina = cpge("Roux", "Lina", date(2005, 6, 30), second=False, competitions=2)
    assert (lina.aid_amount, lina.refusal_reason) == (D("0.00"), CpgeRefusal.NOT_SECOND_YEAR)

    # -- 8. The usage report; what remains becomes the 2024-2025 carry-over (ARE-9) ----------
    report = services.usage_report_submit(
        actor=staff1,
        school=l1,
        school_year=y2023,
        lines=[
            services.UsageLineInput(f23[CUISINE], 36, D("4000.00"), (EquipmentType.TOOLS, EquipmentType.PROTECTION)),
            services.UsageLineInput(f23[PATISSIER], 20, D("3100.50"), (EquipmentType.TOOLS,)),
            services.UsageLineInput(f23[BACPRO_HOTEL], 48, D("7000.00"), (EquipmentType.REPRESENTATION,)),
            services.UsageLineInput(
                f23[BTS_ELEC], 6, D("700.00"), (EquipmentType.IT_DOCUMENTS,), non_scholarship_equipped=1
            ),
        ],
    )
    # received pré-bac 15 774 + 906 = 16 680, post-bac 453 + 302 = 755; held 320 / 0
    # spent pré-bac 4 000 + 3 100,50 + 7 000 = 14 100,50; post-bac 700
    # remaining pré-bac 16 680 + 320 − 14 100,50 = 2 899,50; post-bac 755 − 700 = 55,00
    assert (report.received_pre_bac_amount, report.received_post_bac_amount) == (D("16680.00"), D("755.00"))
    assert (report.spent_pre_bac_amount, report.spent_post_bac_amount) == (D("14100.50"), D("700.00"))
    assert (report.remaining_pre_bac_amount, report.remaining_post_bac_amount) == (D("2899.50"), D("55.00"))
    y2024 = SchoolYear.objects.get(start_year=2024)
    carried = dict(CarryOver.objects.filter(school=l1, school_year=y2024).values_list("envelope", "amount"))
    assert carried == {"pre_bac": D("2899.50"), "post_bac": D("55.00")}

    # -- 9. 2024-2025: new forfaits, the carry-overs deducted ----------------------------------
    services.cpi_value_record(
        actor=officer, series_id="001763862", base="2015", month=date(2023, 12, 1), value=D("118.39")
    )
    proposal = selectors.forfaits_propose(actor=officer, school_year=y2024)
    # (118,39 / 114,18 − 1) × 100 = 3,687… → 3,69 %; 151 × 1,0369 = 156,57 → 157;
    # 54 × 1,0369 = 55,99 → 56; 308 × 1,0369 = 319,37 → 319 (the published 2024-2025 forfaits)
    assert proposal.evolution_percent == D("3.69")
    assert (proposal.forfait, proposal.forfait_prepa_metiers, proposal.forfait_cpge) == (D("157"), D("56"), D("319"))
    services.forfaits_confirm(
        actor=officer,
        school_year=y2024,
        forfait_amount=proposal.forfait,
        forfait_prepa_metiers_amount=proposal.forfait_prepa_metiers,
        forfait_cpge_amount=proposal.forfait_cpge,
        order_reference="2024-012",
        order_date=date(2024, 3, 8),
        cpi_evolution_percent=proposal.evolution_percent,
    )
    services.formations_import(actor=officer, school_year=y2024, text=SEED_ANNEX.read_text())
    f24 = dict(EligibleFormation.objects.filter(school_year=y2024).values_list("diploma_code", "pk"))
    services.enrolments_save(
        actor=staff1, school=l1, school_year=y2024, counts={f24[CUISINE]: 32, f24[BACPRO_HOTEL]: 50, f24[BTS_ELEC]: 30}
    )
    services.situation_set(
        actor=officer,
        school=l1,
        school_year=y2024,
        scholarship_count=80,
        school_enrolments=960,  # 1/12 again
        survey_answered=True,
        carryover_pre_bac=D("2899.50"),  # as carried by the usage report: unchanged
        carryover_post_bac=D("55.00"),
    )
    services.campaign_run(actor=officer, school_year=y2024)
    e1 = Dotation.objects.get(school=l1, school_year=y2024)
    # pré-bac (32 + 50) × 157 = 12 874 − 2 899,50 = 9 974,50; post-bac 30 × 80/960 = 2,5 → 3 × 157 = 471 − 55 = 416
    assert (e1.scholarship_holders, *_money(e1)) == (3, D("12874.00"), D("9974.50"), D("471.00"), D("416.00"))
    assert e1.total_due_amount == D("10390.50")
    assert set(
        Dotation.objects.filter(school_year=y2024).exclude(school=l1).values_list("total_due_amount", flat=True)
    ) == {
        D("0.00")  # L2 and L3 have no 2024-2025 situation yet: no survey answer recorded, nothing due
    }
