"""Pure rules of the Île-de-France equipment aid (ARE), seed 003 and docs/rules.md "lycee_aid".

No Django import: plain Decimal / int / bool in, plain values or frozen dataclasses out. The
parameters in force (forfaits, rates, carry-overs) are arguments, never looked up here.

Every rounding of money goes through `core.rules.round_cent` (ROUND_HALF_UP). Rounding to the euro
or to the unit is `round_cent(x / 100) * 100`, which is exact in Decimal and keeps one rounding
helper. The one exception is the number of scholarship holders (ARE-5): it rounds an exact
`Fraction` (the scholarship rate is count / enrolments, which no decimal holds), and a Fraction is
rounded half up exactly by `_round_half_up` below, never through a float or a truncated decimal.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from core.rules import HUNDRED, ZERO, round_cent, to_decimal

ONE = Decimal("1")

# ARE-10: the regional family quotient ceiling and the cap on competitions (arrêté 2023-087, annex I, 3).
CPGE_FAMILY_QUOTIENT_CEILING = Decimal("10140")
CPGE_MAX_COMPETITIONS = 3
# ARE-10: why a CPGE request gets nothing (the values of lycee_aid.enums.CpgeRefusal).
CPGE_NOT_SECOND_YEAR = "not_second_year"
CPGE_QUOTIENT_ABOVE_CEILING = "quotient_above_ceiling"

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


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def scholarship_rate(scholarship_count: int, enrolments: int) -> Fraction:
    """ARE-5, exact: the académie's latest scholarship count over the lycée's enrolments n-1.

    Seed 003, note 1: « Ce taux est calculé à partir des derniers effectifs boursiers communiqués
    par les services académiques lors du calcul de la dotation, rapportés aux effectifs n-1 de
    l'établissement. » 5 / 60 is 1/12 exactly, where a typed 0,0833 is already wrong.
    """
    if not (_is_count(scholarship_count) and _is_count(enrolments)):
        raise ValueError("a scholarship count and enrolments are integers")
    if enrolments <= 0:
        raise ValueError("the enrolments of the lycée are positive")
    if not (0 <= scholarship_count <= enrolments):
        raise ValueError("the scholarship count lies between 0 and the enrolments")
    return Fraction(scholarship_count, enrolments)


def _rate(scholarship_rate) -> Fraction:
    """A rate as an exact Fraction: a Fraction as it is, a Decimal (or int, str) exactly."""
    rate = scholarship_rate if isinstance(scholarship_rate, Fraction) else Fraction(to_decimal(scholarship_rate))
    if not (0 <= rate <= 1):
        raise ValueError("the scholarship rate is a fraction between 0 and 1")
    return rate


def _round_half_up(value: Fraction) -> int:
    """Half up to the unit, exactly (2,5 → 3; 2,499 → 2). `value` is never negative here."""
    return math.floor(value + Fraction(1, 2))


def scholarship_holders(first_year_students: int, scholarship_rate) -> int:
    """ARE-5: round_half_up(first-year post-bac students n-1 × the lycée's scholarship rate).

    The rate is a Fraction (`scholarship_rate(count, enrolments)`) or a Decimal; the product is
    exact and rounded half up: 30 × 5/60 = 2,5 → 3; 25 × 0,5 = 12,5 → 13 (not half even).
    """
    if not _is_count(first_year_students) or first_year_students < 0:
        raise ValueError("a number of students is a non-negative integer")
    return _round_half_up(first_year_students * _rate(scholarship_rate))


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
    - ARE-5 post-bac gross = scholarship_holders(post_bac, rate) × forfait, where the rate is the
      exact Fraction of `scholarship_rate(count, enrolments)` (a Decimal is accepted too);
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


def formation_amount(enrolments: int, forfait) -> Decimal:
    """ARE-4: one pré-bac formation line of a dotation = first-year enrolments n-1 × forfait.

    The lines add up to the pré-bac gross of `initial_dotation` (each is exact: an integer count
    times a forfait in cents)."""
    return round_cent(_count(enrolments, "enrolments") * round_cent(forfait))


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


@dataclass(frozen=True)
class CpgeAid:
    """ARE-10: what a CPGE request is paid, how many competitions that covers, and why it is 0 €."""

    amount: Decimal
    competitions_paid: int
    refusal: str | None

    def __post_init__(self):
        if self.amount < 0 or not (0 <= self.competitions_paid <= CPGE_MAX_COMPETITIONS):
            raise ValueError("an aid is never negative and covers at most three competitions")
        if (self.amount == 0) != (self.refusal is not None):
            raise ValueError("a 0 € aid always has a reason, and a paid aid none")


def cpge_aid(*, second_year: bool, family_quotient, competitions: int, forfait) -> CpgeAid:
    """ARE-10, with its reasons: forfait × competitions within the limit of three per pupil, for a
    second-year CPGE pupil whose regional family quotient is ≤ 10 140 €.

    Arrêté 2023-087, annex I, 3: « 308 € par concours dans la limite de trois concours par élève en
    2ème année de CPGE dont le quotient familial régional annuel est inférieur ou égal à 10 140 € ».
    Five competitions are paid three (3 × 308 = 924 €). When nothing is due, `refusal` says why:
    not a second-year pupil (checked first, as the arrêté names it first), or the quotient above
    the ceiling.
    """
    count = _count(competitions, "competitions")
    if count < 1:
        raise ValueError("a request covers at least one competition")
    if round_cent(forfait) <= 0 or to_decimal(family_quotient) < 0:
        raise ValueError("the forfait is positive and a family quotient never negative")
    if not second_year:
        return CpgeAid(amount=round_cent(ZERO), competitions_paid=0, refusal=CPGE_NOT_SECOND_YEAR)
    if to_decimal(family_quotient) > CPGE_FAMILY_QUOTIENT_CEILING:
        return CpgeAid(amount=round_cent(ZERO), competitions_paid=0, refusal=CPGE_QUOTIENT_ABOVE_CEILING)
    return CpgeAid(
        amount=cpge_competition_aid(family_quotient, count, forfait),
        competitions_paid=min(count, CPGE_MAX_COMPETITIONS),
        refusal=None,
    )


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


def normalised_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’.]+", " ", text.casefold()).strip()


def pupil_key(last_name: str, first_name: str, birth_date: date | None) -> str:
    """A pupil's identity for « one request per pupil and school year »: names without case,
    accents or punctuation, and the birth date (« MARTIN Lea » is « Martin Léa »)."""
    born = birth_date.isoformat() if birth_date else ""
    return f"{normalised_name(last_name)}|{normalised_name(first_name)}|{born}"[:220]
