"""Reference data and demo data of the apprenticeship app (called by `manage.py bareme_init`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from core import demo as core_demo
from core.models import School, User

REFERENCE_FIXTURES = (
    "apprenticeship__trade",
    "apprenticeship__traderate",
    "apprenticeship__crossborderformation",
    "apprenticeship__crossborderrate",
)

EMPLOYERS = [
    (
        "Boulangerie Hoffmann SARL",
        "B123456",
        "12, rue de Bonnevoie, L-1260 Luxembourg",
        "employeur.a",
        ["CCP-BOUL", "DAP-BOUL", "CCP-VENTE"],
    ),
    (
        "Électricité Klein SA",
        "B654321",
        "5, route d'Ettelbruck, L-9230 Diekirch",
        "employeur.b",
        ["DAP-ELEC", "DT-ELTE"],
    ),
]


def load_reference(stdout) -> None:
    """Trades and their rates (seed 002), cross-border formations and amounts (seeds 000, 001)."""
    from .models import CrossBorderFormation, Trade

    if not Trade.objects.exists() and not CrossBorderFormation.objects.exists():
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)
        stdout.write("  apprentissage : métiers, taux et formations transfrontalières chargés")


def _employers():
    from .models import Approval, Employer, Trade

    result = {}
    for name, rcs, address, username, trades in EMPLOYERS:
        employer, _ = Employer.objects.get_or_create(
            name=name, defaults={"registration_number": rcs, "address": address}
        )
        user = User.objects.filter(username=username).first()
        if user:
            employer.accounts.add(user)
        for code in trades:
            Approval.objects.get_or_create(
                employer=employer,
                trade=Trade.objects.get(code=code),
                defaults={"reference": f"AGR-{code}-{employer.pk:03d}", "granted_on": date(2020, 1, 1)},
            )
        result[username] = employer
    return result


def load_demo(stdout) -> None:
    """Six contracts covering CCP, DAP with PII mid-year, DT 4th year, an adult apprentice, a
    cross-border BTS and a start on the 15th; payments with a shortfall; a statement issued before
    the last index; aid requests. Everything goes through the services (audit journal)."""
    from . import selectors, services
    from .models import Contract, CrossBorderFormation, Trade

    employers = _employers()
    # The bill of February 2026 as a draft reform scenario, to simulate (idempotent; changes nothing).
    from .reforms.demo import february_2026_bill

    february_2026_bill()
    if Contract.objects.exists():
        return
    staff = {
        code: User.objects.get(username=u)
        for code, u in ((core_demo.LU_BONNEVOIE, "lycee.bonnevoie"), (core_demo.LU_ETTELBRUCK, "lycee.ettelbruck"))
    }
    a, b = employers["employeur.a"], employers["employeur.b"]
    rows = [
        # school, employer, last, first, birth, nid, trade/formation, start, end, extra
        (
            core_demo.LU_BONNEVOIE,
            a,
            "Muller",
            "Léa",
            date(2009, 5, 14),
            "2009051412301",
            "CCP-BOUL",
            date(2025, 9, 1),
            date(2028, 7, 15),
            {},
        ),
        (
            core_demo.LU_BONNEVOIE,
            a,
            "Schmit",
            "Tom",
            date(2008, 2, 2),
            "2008020223402",
            "DAP-BOUL",
            date(2024, 9, 1),
            date(2027, 7, 15),
            {},
        ),
        (
            core_demo.LU_BONNEVOIE,
            a,
            "Reuter",
            "Mia",
            date(2009, 11, 3),
            "2009110334503",
            "CCP-VENTE",
            date(2025, 10, 15),
            date(2028, 7, 15),
            {},
        ),
        (
            core_demo.LU_ETTELBRUCK,
            b,
            "Wagner",
            "Paul",
            date(2005, 6, 20),
            "2005062045604",
            "DT-ELTE",
            date(2023, 9, 1),
            date(2026, 7, 15),
            {"first_training_year": 2},
        ),
        (
            core_demo.LU_ETTELBRUCK,
            b,
            "Da Silva",
            "Carlos",
            date(1994, 3, 8),
            "1994030856705",
            "DAP-ELEC",
            date(2025, 9, 1),
            date(2028, 7, 15),
            {"is_adult": True},
        ),
        (
            core_demo.LU_ETTELBRUCK,
            b,
            "Martin",
            "Julie",
            date(2005, 1, 12),
            "2005011267806",
            "BTS Électrotechnique",
            date(2024, 9, 1),
            date(2026, 8, 31),
            {},
        ),
    ]
    contracts = []
    for code, employer, last, first, birth, nid, programme, start, end, extra in rows:
        trade = Trade.objects.filter(code=programme).first()
        formation = None if trade else CrossBorderFormation.objects.get(title=programme)
        contract = services.contract_register(
            actor=staff[code],
            last_name=last,
            first_name=first,
            birth_date=birth,
            national_id=nid,
            employer=employer,
            school=School.objects.get(code=code),
            trade=trade,
            formation=formation,
            tutor_name="Jean Hoffmann" if employer is a else "Sophie Klein",
            tutor_qualification="Maître artisan boulanger-pâtissier" if employer is a else "Maître électricien",
            signed_on=date(start.year, start.month, 1).replace(day=1)
            if start.day > 1
            else date(start.year, start.month - 1, 1),
            start_date=start,
            end_date=end,
            chamber_registered_on=date(start.year, start.month, 1)
            if start.day > 1
            else date(start.year, start.month - 1, 15),
            chamber_reference=f"CH-{start.year}-{len(contracts) + 101}",
            **extra,
        )
        contracts.append(services.contract_activate(actor=staff[code], contract=contract))
    ccp, dap, vente, dt, adult, bts = contracts

    # A draft: the chamber registration is missing, so it cannot be put in progress (APP-8).
    services.contract_register(
        actor=staff[core_demo.LU_BONNEVOIE],
        last_name="Kayser",
        first_name="Noah",
        birth_date=date(2011, 3, 1),
        national_id="2011030178907",
        employer=a,
        school=School.objects.get(code=core_demo.LU_BONNEVOIE),
        trade=Trade.objects.get(code="DAP-BOUL"),
        tutor_name="Jean Hoffmann",
        tutor_qualification="Maître artisan boulanger-pâtissier",
        signed_on=date(2026, 7, 1),
        start_date=date(2026, 9, 1),
        end_date=date(2029, 7, 15),
    )

    # DAP: PII success notified on 12/02/2026, the increase is due from March 2026 (APP-3);
    # the employer kept paying the former amount in March and April: flagged (APP-9).
    services.pii_record(actor=staff[core_demo.LU_BONNEVOIE], contract=dap, notified_on=date(2026, 2, 12))
    employer_a = User.objects.get(username="employeur.a")
    schedule = selectors.schedule_compute(contract=dap)
    for line in schedule.lines:  # months already due only (APP-9)
        if date(2025, 9, 1) <= line.month <= min(date(2026, 4, 1), selectors.current_month()):
            paid = line.due_amount if not line.pii else Decimal("1081.50")
            services.payment_record(actor=employer_a, contract=dap, month=line.month, paid_amount=paid)
    services.training_year_record(actor=staff[core_demo.LU_BONNEVOIE], contract=dap, school_year=2025, training_year=2)

    # DT 4th year: a statement issued on 15/05/2026, before the index 992,24 applicable from
    # 01/06/2026 was entered; the screens show the arrears it created for June and July 2026.
    employer_b = User.objects.get(username="employeur.b")
    services.statement_issue(actor=employer_b, contract=dt, known_on=date(2026, 5, 15))
    services.statement_issue(actor=employer_b, contract=bts)

    # Aid requests for the apprenticeship year that can be requested today, if any: ended (or the
    # contract ended within it) and not time-barred (APP-6/APP-7; 2025-2026 until 30/06/2027).
    today = timezone.localdate()
    for actor, contract, charges in ((employer_a, ccp, "0"), (employer_b, adult, "1250,00")):
        year = selectors.aid_default_year(
            years=selectors.aid_years(contract=contract, today=today), today=today, prepared=set()
        )
        if year is not None:
            services.aid_request_prepare(
                actor=actor, contract=contract, school_year=year, social_charges_amount=charges
            )
    del vente
    stdout.write(
        "  apprentissage : employeurs, agréments, 7 contrats, versements, relevés et demandes d'aide prêts, "
        "projet de réforme de février 2026"
    )
