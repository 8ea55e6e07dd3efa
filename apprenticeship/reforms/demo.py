"""The bill presented on 6 and 9 February 2026 by the Luxembourg minister of Education, as a draft
scenario (demo data: a bill, not a law; an officer adopts it once voted)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from ..enums import DifferencePayer, ReformBasis, ReformProgramme, ReformStatus
from .models import ReformRate, ReformScenario

BILL_NAME = "Projet de loi de février 2026 — harmonisation des indemnités d'apprentissage"
BILL_SOURCE = (
    "Projet de loi présenté les 6 et 9 février 2026 par le ministre de l'Éducation nationale "
    "(rétroactif au 1er janvier 2026 une fois voté)"
)
# (programme, duration or None for any, training year, % before the PII, % after the PII)
BILL_RATES = [
    (ReformProgramme.CCP, 2, 1, "45", "45"),
    (ReformProgramme.CCP, 2, 2, "60", "60"),
    (ReformProgramme.CROSS_BORDER, 2, 1, "45", "45"),
    (ReformProgramme.CROSS_BORDER, 2, 2, "60", "60"),
    (ReformProgramme.CCP, 3, 1, "45", "45"),
    (ReformProgramme.CCP, 3, 2, "50", "50"),
    (ReformProgramme.CCP, 3, 3, "60", "60"),
    *((ReformProgramme.DAP, None, year, "45", "60") for year in (1, 2, 3)),
    *((ReformProgramme.DT, None, year, "45", "60") for year in (1, 2, 3, 4)),
]


@transaction.atomic
def february_2026_bill(*, name: str = BILL_NAME) -> ReformScenario:
    """Create (or return) the bill as a draft scenario: State pays the difference, higher current
    amounts kept, 750 € a year per contract for the trainers, from 1 January 2026."""
    scenario, created = ReformScenario.objects.get_or_create(
        name=name,
        defaults={
            "status": ReformStatus.DRAFT,
            "effective_from": date(2026, 1, 1),
            "legal_source": BILL_SOURCE,
            "keep_higher": True,
            "difference_payer": DifferencePayer.STATE,
            "trainer_bonus_amount": Decimal("750.00"),
        },
    )
    if created:
        ReformRate.objects.bulk_create(
            ReformRate(
                scenario=scenario,
                programme=programme,
                duration_years=duration,
                training_year=year,
                basis=ReformBasis.SSM_PERCENT,
                value_before_pii=Decimal(before),
                value_after_pii=Decimal(after),
            )
            for programme, duration, year, before, after in BILL_RATES
        )
    return scenario
