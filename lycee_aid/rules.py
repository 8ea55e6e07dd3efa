"""Pure rules of the Île-de-France equipment aid (ARE), seed 003 and SPEC "lycee_aid".

No Django import: plain Decimal / int / bool in, plain values or frozen dataclasses out. The
parameters in force (forfaits, rates, carry-overs) are arguments, never looked up here.

Every rounding goes through `core.rules.round_cent` (ROUND_HALF_UP). Rounding to the euro or to
the unit is `round_cent(x / 100) * 100`, which is exact in Decimal and keeps one rounding helper.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.rules import HUNDRED, round_cent, to_decimal

ZERO = Decimal("0")
ONE = Decimal("1")

# ARE-10: the regional family quotient ceiling and the cap on competitions (arrêté 2023-087, annex I, 3).
CPGE_FAMILY_QUOTIENT_CEILING = Decimal("10140")
CPGE_MAX_COMPETITIONS = 3

# ARE-1: eligible NSF specialties of services (seed 003, « Domaines technico-professionnels des services »).
_SERVICE_SPECIALTIES = frozenset({"311", "312", "321", "322", "323", "330", "331", "334", "336", "343", "344"})


def _round_unit(value: Decimal) -> Decimal:
    """Half up to the unit, through the one rounding helper (151,495 → 151; 12,5 → 13)."""
    return round_cent(value / HUNDRED) * HUNDRED


def cpi_evolution_percent(december_n1, december_n2) -> Decimal:
    """ARE-3: evolution of the CPI from December n-2 to December n-1, in %, to 2 decimals.

    Seed 003, annex I, 1: ((114,18 / 107,4) − 1) × 100 = 6,31 %. Both values must belong to the
    same INSEE series and base; the caller checks that (the values carry no series here).
    """
    n1, n2 = to_decimal(december_n1), to_decimal(december_n2)
    if n1 <= 0 or n2 <= 0:
        raise ValueError("CPI values are positive")
    return round_cent((n1 / n2 - ONE) * HUNDRED)


def indexed_forfait(previous, evolution_percent) -> Decimal:
    """ARE-3: previous forfait × (1 + evolution / 100), rounded to the euro (half up).

    Seed 003: « En cas d'indice négatif, les montants de l'aide de l'année précédente seront
    reconduits » — a negative evolution keeps the previous amount.
    """
    previous, evolution = to_decimal(previous), to_decimal(evolution_percent)
    if previous < 0:
        raise ValueError("a forfait is never negative")
    if evolution < 0:
        return previous
    return _round_unit(previous * (ONE + evolution / HUNDRED))


def _rate(scholarship_rate) -> Decimal:
    rate = to_decimal(scholarship_rate)
    if not (ZERO <= rate <= ONE):
        raise ValueError("the scholarship rate is a fraction between 0 and 1")
    return rate


def scholarship_holders(first_year_students: int, scholarship_rate) -> int:
    """ARE-5: round_half_up(first-year post-bac students n-1 × the lycée's scholarship rate).

    Seed 003, note 1: the rate is the latest scholarship count of the académie over the lycée's
    enrolments n-1. 25 students at 0,5 → 12,5 → 13 scholarship holders (half up, not half even).
    """
    if isinstance(first_year_students, bool) or not isinstance(first_year_students, int) or first_year_students < 0:
        raise ValueError("a number of students is a non-negative integer")
    return int(_round_unit(first_year_students * _rate(scholarship_rate)))


@dataclass(frozen=True)
class Dotation:
    """ARE-4..7: the initial dotation of one lycée for one school year, per envelope."""

    scholarship_holders: int
    pre_bac_gross: Decimal
    post_bac_gross: Decimal
    pre_bac_due: Decimal
    post_bac_due: Decimal
    total_due: Decimal

    def __post_init__(self):
        for value in (self.pre_bac_gross, self.post_bac_gross, self.pre_bac_due, self.post_bac_due):
            if value < 0:
                raise ValueError("a dotation is never negative")
        if self.total_due != self.pre_bac_due + self.post_bac_due:
            raise ValueError("the total is the sum of the two envelopes")


def _count(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} is a non-negative integer")
    return value


def initial_dotation(
    *,
    prepa_metiers: int,
    pre_bac: int,
    post_bac: int,
    scholarship_rate,
    forfait,
    forfait_prepa_metiers,
    carryover_pre_bac,
    carryover_post_bac,
    survey_answered: bool,
) -> Dotation:
    """The initial dotation (seed 003, « Modalités de calcul et d'attribution de la dotation »).

    - ARE-4 pré-bac gross = pre_bac × forfait + prepa_metiers × forfait_prepa_metiers;
    - ARE-5 post-bac gross = scholarship_holders(post_bac, rate) × forfait;
    - ARE-6 each envelope's carry-over is deducted from that envelope only (not fungible); an
      envelope whose carry-over exceeds its gross gets 0, never a negative amount;
    - ARE-7 a lycée that did not answer the regional surveys gets nothing (the gross figures
      are still given, for the record).
    """
    forfait, forfait_prepa = round_cent(forfait), round_cent(forfait_prepa_metiers)
    carry_pre, carry_post = round_cent(carryover_pre_bac), round_cent(carryover_post_bac)
    if min(forfait, forfait_prepa, carry_pre, carry_post) < 0:
        raise ValueError("forfaits and carry-overs are never negative")
    holders = scholarship_holders(_count(post_bac, "post_bac"), scholarship_rate)
    pre_gross = round_cent(
        _count(pre_bac, "pre_bac") * forfait + _count(prepa_metiers, "prepa_metiers") * forfait_prepa
    )
    post_gross = round_cent(holders * forfait)
    if survey_answered:
        pre_due = max(pre_gross - carry_pre, ZERO)
        post_due = max(post_gross - carry_post, ZERO)
    else:
        pre_due = post_due = round_cent(ZERO)
    return Dotation(
        scholarship_holders=holders,
        pre_bac_gross=pre_gross,
        post_bac_gross=post_gross,
        pre_bac_due=round_cent(pre_due),
        post_bac_due=round_cent(post_due),
        total_due=round_cent(pre_due + post_due),
    )


def supplementary_amount(additional: int, forfait) -> Decimal:
    """ARE-8: a supplementary dotation line = additional pupils (or scholarship holders) × forfait."""
    return round_cent(_count(additional, "additional") * round_cent(forfait))


def remaining_carryover(*, received, carryover, spent) -> Decimal:
    """ARE-9: what remains of an envelope at year end becomes next year's carry-over (never < 0).

    Available = dotations received for the year + the carry-over still held from the previous year.
    """
    available = round_cent(received) + round_cent(carryover)
    return max(available - round_cent(spent), round_cent(ZERO))


def cpge_competition_aid(
    family_quotient, competitions: int, forfait, *, quotient_ceiling=CPGE_FAMILY_QUOTIENT_CEILING
) -> Decimal:
    """ARE-10: forfait × competitions (at most 3) when the regional family quotient ≤ 10 140 €; else 0.

    Seed 003, arrêté 2023-087, annex I, 3 (308 € per competition in 2023-2024). The pupil must be in
    the second year of CPGE: the caller gives 0 otherwise.
    """
    quotient = to_decimal(family_quotient)
    if quotient < 0:
        raise ValueError("a family quotient is never negative")
    count = _count(competitions, "competitions")
    if quotient > to_decimal(quotient_ceiling):
        return round_cent(ZERO)
    return round_cent(min(count, CPGE_MAX_COMPETITIONS) * round_cent(forfait))


def eligible_specialty(nsf_code: str, *, prepa_metiers: bool = False, st2s: bool = False) -> bool:
    """ARE-1: is an NSF specialty eligible? (seed 003, « Les formations éligibles »).

    100 only for the 3e prépa-métiers; 134; every production group 20–25 (NSF 200–259); services
    311, 312, 321, 322, 323, 330, 331 (except ST2S), 334, 336, 343, 344.
    """
    code = str(nsf_code).strip()
    if len(code) != 3 or not code.isdigit():
        return False
    if code == "100":
        return prepa_metiers
    if code == "134":
        return True
    if 200 <= int(code) <= 259:
        return True
    if code == "331" and st2s:
        return False
    return code in _SERVICE_SPECIALTIES
