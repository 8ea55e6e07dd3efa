"""Reference data and demo data of the lycee_aid app (called by `manage.py bareme_init`).

Reference: the forfaits 2023-2024 (arrêté 2023-087: 151 / 54 / CPGE 308) and the published
2024-2025 ones (157 / 56 / CPGE 319), the two CPI values of the arrêté, and the 2023-2024 list of
eligible formations imported from the annex of seed 003 by the same service officers use.

Demo: the six French demo lycées (each with the académie's scholarship count and its enrolments
n-1: ARE-5, exact rates) with their 2023-2024 campaign computed, voted and notified, a usage
report, a pending supplementary request, three CPGE requests (one of five competitions, paid three;
one refused for its family quotient), and the 2024-2025 campaign ready to be run in the browser
(Lycée polyvalent Parc des Loges did not answer the survey).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command

from core import demo as core
from core.models import School, User

ANNEX = Path(__file__).resolve().parent / "data" / "are_2023-2024_annexe.txt"

# UAI → ((académie's scholarship count, lycée's enrolments n-1), survey answered,
#        {diploma code: first-year enrolments n-1}). ARE-5: the rate is count / enrolments, exact:
# 270 / 600 = 0,45; 84 / 420 = 0,2; 495 / 900 = 0,55; 0 / 150; 133 / 380 = 0,35; 360 / 1 200 = 0,3.
DEMO_LYCEES = {
    core.PARIS_LP: (
        (270, 600),
        True,
        {"67010031": 24, "50022139": 30, "50022141": 18, "40033404": 48, "32033422": 28, "32031213": 35},
    ),
    core.PARIS_PRIVATE: ((84, 420), True, {"40031211": 60, "43033402": 32, "32031212": 30}),
    core.CRETEIL_LP: (
        (495, 900),
        True,
        {"67010031": 36, "50025524": 24, "40020008": 72, "40025222": 48, "32025520": 30, "32025014": 24},
    ),
    core.CRETEIL_EREA: ((0, 150), True, {"50022139": 12, "50023224": 16, "50023447": 10}),
    core.VERSAILLES_AGRI: ((133, 380), True, {"50321405": 20, "40321404": 36, "43321005": 28, "32321401": 24}),
    core.VERSAILLES_LPO: ((360, 1200), False, {"40025408": 24, "43020010": 64, "32025001": 30}),
}
# Carry-overs held at the start of 2023-2024 (UAI, envelope, amount).
DEMO_CARRYOVERS = [
    (core.PARIS_LP, "pre_bac", "320.00"),
    (core.CRETEIL_LP, "post_bac", "5000.00"),  # more than its post-bac dotation: that envelope gets 0
]


def load_reference(stdout) -> None:
    from .models import CpiValue, EligibleFormation, SchoolYear
    from .services import formations_import

    if not SchoolYear.objects.exists():
        call_command("loaddata", "lycee_aid__schoolyear", verbosity=0)
        stdout.write("  lycee_aid : forfaits 2023-2024 et 2024-2025 chargés")
    if not CpiValue.objects.exists():
        call_command("loaddata", "lycee_aid__cpivalue", verbosity=0)
    year = SchoolYear.objects.get(start_year=2023)
    if not EligibleFormation.objects.filter(school_year=year).exists():
        report = formations_import(actor=None, school_year=year, text=ANNEX.read_text(encoding="utf-8"))
        stdout.write(f"  lycee_aid : {report.created} formations éligibles 2023-2024 importées (annexe du seed 003)")


def load_demo(stdout) -> None:
    from . import services
    from .enums import CampaignStatus, EquipmentType
    from .models import EligibleFormation, Enrolment, SchoolYear

    year_2023 = SchoolYear.objects.get(start_year=2023)
    year_2024 = SchoolYear.objects.get(start_year=2024)
    if year_2023.campaign_status != CampaignStatus.OPEN or Enrolment.objects.exists():
        return
    agent = User.objects.get(username="agent")
    staff_paris = User.objects.get(username="lycee.paris")
    staff_creteil = User.objects.get(username="lycee.creteil")
    schools = {s.code: s for s in School.objects.filter(code__in=DEMO_LYCEES)}
    if not EligibleFormation.objects.filter(school_year=year_2024).exists():
        # Demo only: the 2024-2025 list is taken to be the same as the 2023-2024 annex.
        services.formations_import(actor=agent, school_year=year_2024, text=ANNEX.read_text(encoding="utf-8"))

    for year, growth in ((year_2023, 0), (year_2024, 2)):
        formations = dict(EligibleFormation.objects.filter(school_year=year).values_list("diploma_code", "pk"))
        for code, ((scholarship_count, school_enrolments), survey, counts) in DEMO_LYCEES.items():
            carry = {e: Decimal(a) for c, e, a in DEMO_CARRYOVERS if c == code and year == year_2023}
            services.situation_set(
                actor=agent,
                school=schools[code],
                school_year=year,
                scholarship_count=scholarship_count,
                school_enrolments=school_enrolments,
                survey_answered=survey,
                carryover_pre_bac=carry.get("pre_bac", Decimal("0")),
                carryover_post_bac=carry.get("post_bac", Decimal("0")),
            )
            services.enrolments_save(
                actor=agent,
                school=schools[code],
                school_year=year,
                counts={formations[c]: n + growth for c, n in counts.items()},
            )

    services.campaign_run(actor=agent, school_year=year_2023)
    services.campaign_vote(actor=agent, school_year=year_2023, reference="CP 2023-184", voted_on=date(2023, 7, 5))
    services.campaign_notify(actor=agent, school_year=year_2023)

    f2023 = dict(EligibleFormation.objects.filter(school_year=year_2023).values_list("diploma_code", "pk"))
    services.usage_report_submit(
        actor=staff_paris,
        school=schools[core.PARIS_LP],
        school_year=year_2023,
        lines=[
            services.UsageLineInput(
                f2023["50022139"], 30, Decimal("3950.00"), (EquipmentType.PROTECTION, EquipmentType.TOOLS)
            ),
            services.UsageLineInput(f2023["40033404"], 48, Decimal("6800.00"), (EquipmentType.REPRESENTATION,)),
            services.UsageLineInput(
                f2023["32033422"], 14, Decimal("1900.00"), (EquipmentType.REPRESENTATION,), non_scholarship_equipped=1
            ),
        ],
    )
    services.supplementary_request_submit(
        actor=staff_creteil,
        school=schools[core.CRETEIL_LP],
        school_year=year_2023,
        justification="Ouverture à la rentrée 2023 d'une seconde division de CAP électricien (12 élèves).",
        lines=[(f2023["50025524"], 12)],
    )
    # ARE-10 (forfait 2024-2025: 319 €): three competitions paid 957 €; five are paid three, 957 €;
    # a family quotient above 10 140 € gets nothing, and says so.
    for last, first, born, quotient, competitions in (
        ("Moreau", "Inès", date(2005, 2, 14), "8450", 3),
        ("Lefèvre", "Tom", date(2005, 10, 2), "6200", 5),
        ("Garnier", "Lucie", date(2005, 4, 21), "11850", 2),
    ):
        services.cpge_aid_request_submit(
            actor=staff_paris,
            school=schools[core.PARIS_LP],
            school_year=year_2024,
            pupil_last_name=last,
            pupil_first_name=first,
            pupil_birth_date=born,
            second_year=True,
            family_quotient=Decimal(quotient),
            competitions=competitions,
        )
    stdout.write("  lycee_aid : campagne 2023-2024 votée et notifiée ; campagne 2024-2025 prête à être calculée")
