"""Pure rules of the BTS fees (docs/rules.md "bts_fees", seed 004: vademecum BTS, version of 15 September 2023).

No Django import: plain `Decimal`, `int`, `date` and frozen dataclasses in and out. Rates in force
are arguments (the seed-004 values are only the defaults of `lecturer_rate_at_100`, whose signature
is fixed by the Rules API). Every rounding goes through `core.rules`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.rules import index_amount, round_cent, to_decimal

# -- CORE-1 applied to an act ------------------------------------------------------------------


def unit_amount(rate_at_100, index) -> Decimal:
    """CORE-1: the unit value of an act at the index in force, rounded to the cent."""
    return index_amount(rate_at_100, index)


def line_amount(rate_at_100, index, quantity) -> Decimal:
    """CORE-1 / BTS-1: unit value rounded to the cent first, then × quantity, rounded.

    Seed 004 check: deliberation 7,82 at 944,43 → 73,85 €; promoter 35,19 → 332,34 €.
    """
    quantity = to_decimal(quantity)
    if quantity < 0:
        raise ValueError("quantity must not be negative")
    return round_cent(unit_amount(rate_at_100, index) * quantity)


# -- BTS-5 external lecturers' rate per lesson -------------------------------------------------

# Seed 004, section II.1 (rates per lesson at index 100). Keys are the act codes of the catalogue.
SEED_004_LECTURER_RATES: dict[str, Decimal] = {
    "LECT_CLQ_7_8": Decimal("12.07"),
    "LECT_CLQ_6": Decimal("10.07"),
    "LECT_CLQ_5": Decimal("7.68"),
    "LECT_CLQ_BELOW_5": Decimal("6.28"),
    "LECT_REG_E": Decimal("12.07"),
    "LECT_REG_D": Decimal("10.07"),
    "LECT_REG_C": Decimal("7.68"),
    "LECT_REG_AB": Decimal("6.28"),
    "LECT_NO_LINK": Decimal("6.28"),
}


def clq_rate_code(clq_level: int) -> str:
    """BTS-5, 1°: the rate category of a diploma by its CLQ level (1 to 8)."""
    if isinstance(clq_level, bool) or not isinstance(clq_level, int) or not 1 <= clq_level <= 8:
        raise ValueError("clq_level must be an integer from 1 to 8")
    if clq_level >= 7:
        return "LECT_CLQ_7_8"
    return {6: "LECT_CLQ_6", 5: "LECT_CLQ_5"}.get(clq_level, "LECT_CLQ_BELOW_5")


def regulated_rate_code(regulated_level: str) -> str:
    """BTS-5, 2°: the rate category of an authorisation to practise (art. 11 a) to e))."""
    level = (regulated_level or "").strip().lower()
    if level not in ("a", "b", "c", "d", "e"):
        raise ValueError("regulated_level must be one of a, b, c, d, e")
    return {"e": "LECT_REG_E", "d": "LECT_REG_D", "c": "LECT_REG_C"}.get(level, "LECT_REG_AB")


def lecturer_rate_code(
    *,
    clq_level: int | None = None,
    regulated_level: str | None = None,
    subject_linked: bool = True,
    rates: Mapping[str, Decimal] | None = None,
) -> str:
    """BTS-5: the act code of the lesson rate; the better of diploma and authorisation.

    Without a direct link between the qualification and the subject taught: 6,28 (LECT_NO_LINK).
    """
    rates = SEED_004_LECTURER_RATES if rates is None else rates
    if not subject_linked:
        return "LECT_NO_LINK"
    codes = []
    if clq_level is not None:
        codes.append(clq_rate_code(clq_level))
    if regulated_level:
        codes.append(regulated_rate_code(regulated_level))
    if not codes:
        raise ValueError("a CLQ level or a regulated-profession level is required")
    return max(codes, key=lambda code: to_decimal(rates[code]))


def lecturer_rate_at_100(
    *,
    clq_level: int | None = None,
    regulated_level: str | None = None,
    subject_linked: bool = True,
    rates: Mapping[str, Decimal] | None = None,
) -> Decimal:
    """BTS-5 (seed 004, II.1): rate per lesson at index 100 of an external lecturer.

    CLQ 7–8 12,07; CLQ 6 10,07; CLQ 5 7,68; below 5 6,28; regulated profession art. 11 e) 12,07,
    d) 10,07, c) 7,68, a)–b) 6,28; no direct link with the subject 6,28. Best of the two.
    `rates` is the table in force (act code → rate); seed-004 values by default.
    """
    rates = SEED_004_LECTURER_RATES if rates is None else rates
    code = lecturer_rate_code(
        clq_level=clq_level, regulated_level=regulated_level, subject_linked=subject_linked, rates=rates
    )
    return to_decimal(rates[code])


# -- BTS-6 admission exam ----------------------------------------------------------------------

MAX_ADMISSION_PAPERS = 2
INTERVIEW_EXAMINERS = 2  # "Une épreuve peut être remplacée par un entretien devant deux examinateurs."
CANDIDATES_PER_INVIGILATOR = 10
SECOND_CORRECTION_LOW = Decimal("8.5")
SECOND_CORRECTION_HIGH = Decimal("9.9")


def invigilators_required(candidates: int) -> int:
    """BTS-6: one invigilator per 10 candidates, rounded up (seed 004, I.3 b)."""
    if isinstance(candidates, bool) or not isinstance(candidates, int) or candidates < 0:
        raise ValueError("candidates must be a non-negative integer")
    return -(-candidates // CANDIDATES_PER_INVIGILATOR)


MARK_MIN, MARK_MAX = Decimal("0"), Decimal("20")
_MARK_TEXT = re.compile(r"^[0-9]{1,2}(?:[.,][0-9]{1,2})?$")


def parse_mark(mark) -> Decimal:
    """A first mark out of 20 (seed 004, I.3 b): a Decimal, an int or a text such as "8,5".

    Only digits and one decimal separator (two decimals at most) are read from a text, so that
    "1e1", "８" or "1_0" are refused; a float is refused (never exact). ValueError otherwise.
    """
    if isinstance(mark, (bool, float)):
        raise ValueError("a mark is a Decimal, an int or a text, never a float or a bool")
    if isinstance(mark, str):
        text = mark.strip()
        if not _MARK_TEXT.match(text):
            raise ValueError(f"not a mark: {mark!r}")
        value = Decimal(text.replace(",", "."))
    elif isinstance(mark, (int, Decimal)):
        value = Decimal(mark)
    else:
        raise ValueError(f"not a mark: {mark!r}")
    if not value.is_finite() or not MARK_MIN <= value <= MARK_MAX:
        raise ValueError("a mark is between 0 and 20")
    return value


def second_correction_required(mark) -> bool:
    """BTS-6: a second correction when the mark is between 8,5 and 9,9 inclusive (out of 20)."""
    mark = to_decimal(mark)
    if not MARK_MIN <= mark <= MARK_MAX:
        raise ValueError("a mark is between 0 and 20")
    return SECOND_CORRECTION_LOW <= mark <= SECOND_CORRECTION_HIGH


def payable_corrections(first_marks) -> int:
    """BTS-6 (seed 004, I.3 b): "Une seule correction est prévue par épreuve. Une deuxième correction
    est requise si la note est comprise entre 8,5 et 9,9."

    `first_marks` are the candidates' first marks for one paper (Decimal, int or text such as
    "8,5", on 0–20): one correction per candidate, plus a second correction for each first mark
    between 8,5 and 9,9 inclusive. Ten candidates with three marks in that range: 13.
    ValueError for a mark that is not one (out of range, a float, "abc").
    """
    if isinstance(first_marks, (str, bytes)):
        raise ValueError("first_marks is a list of marks, not one text")
    marks = [parse_mark(mark) for mark in first_marks]
    return len(marks) + sum(1 for mark in marks if second_correction_required(mark))


# -- BTS-3 compositions ------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleLimit:
    minimum: int
    maximum: int | None  # None: no upper limit


# Seed 004, section I. Roles absent from a body's table are not allowed on it.
COMPOSITIONS: dict[str, dict[str, RoleLimit]] = {
    # 1 direction member (chair) + the coordinator (secretary) + ≤ 5 teachers + ≤ 5 professionals
    "curriculum_group": {
        "direction": RoleLimit(1, 1),
        "coordinator": RoleLimit(1, 1),
        "teacher": RoleLimit(0, 5),
        "professional": RoleLimit(0, 5),
    },
    # 5: the government commissioner (chair), 1 direction member, 3 teachers
    "admission_committee": {
        "commissioner": RoleLimit(1, 1),
        "direction": RoleLimit(1, 1),
        "teacher": RoleLimit(3, 3),
    },
    # 5: a direction member (chair), 2 teachers, 2 professionals
    "vae_committee": {
        "direction": RoleLimit(1, 1),
        "teacher": RoleLimit(2, 2),
        "professional": RoleLimit(2, 2),
    },
    # 7: the commissioner (chair), 1 direction member, the coordinator, 4 teachers
    "exam_board": {
        "commissioner": RoleLimit(1, 1),
        "direction": RoleLimit(1, 1),
        "coordinator": RoleLimit(1, 1),
        "teacher": RoleLimit(4, 4),
    },
    # ≥ 2 members including the promoter, ≥ 1 of whom teaches in the programme (the promoter may
    # be that teacher: checked on the whole body, see `composition_breaches`)
    "thesis_committee": {
        "promoter": RoleLimit(1, 1),
        "teacher": RoleLimit(0, None),
        "professional": RoleLimit(0, None),
    },
    # per lycée, 5: a direction member (not the director), 4 staff of whom ≥ 2 teach outside BTS;
    # a substitute for each member; a secretary
    "litigation_committee": {
        "direction": RoleLimit(1, 1),
        "staff": RoleLimit(0, 2),
        "staff_outside_bts": RoleLimit(2, 4),
        "substitute": RoleLimit(0, 5),
        "secretary": RoleLimit(1, 1),
    },
    # national committee (article 18 of the 2023 law): the programme's coordinator is added
    "reasonable_accommodation": {
        "member": RoleLimit(0, None),
        "coordinator": RoleLimit(0, 1),
        "secretary": RoleLimit(0, None),
        "external_expert": RoleLimit(0, None),
    },
    "external_tutor": {"tutor": RoleLimit(0, None)},
}

# Litigation committee: the four staff members (staff + staff outside BTS) are exactly 4.
LITIGATION_STAFF_SEATS = 4


@dataclass(frozen=True)
class CompositionBreach:
    """One way a body's composition breaks BTS-3. `role` is "" for a rule on the whole body."""

    code: str  # "role_not_allowed" | "too_many" | "too_few"
    role: str
    limit: int
    actual: int


def composition_breaches(
    kind: str, role_counts: Mapping[str, int], *, complete: bool = False, promoter_teaches: bool = False
) -> list[CompositionBreach]:
    """BTS-3: what is wrong with these appointments for a body of this kind.

    With `complete=False` (while appointing) only maxima and unknown roles count; with
    `complete=True` the minima too (a body ready to sit). `promoter_teaches`: the thesis
    committee's promoter teaches in the programme (seed 004, I.6: "au moins un membre doit faire
    partie du corps enseignant du programme" — the promoter may be that member).
    """
    table = COMPOSITIONS[kind]
    breaches = []
    for role, count in role_counts.items():
        if count and role not in table:
            breaches.append(CompositionBreach("role_not_allowed", role, 0, count))
    for role, limit in table.items():
        count = role_counts.get(role, 0)
        if limit.maximum is not None and count > limit.maximum:
            breaches.append(CompositionBreach("too_many", role, limit.maximum, count))
        if complete and count < limit.minimum:
            breaches.append(CompositionBreach("too_few", role, limit.minimum, count))
    if kind == "litigation_committee":
        seats = role_counts.get("staff", 0) + role_counts.get("staff_outside_bts", 0)
        if seats > LITIGATION_STAFF_SEATS:
            breaches.append(CompositionBreach("too_many", "staff_seats", LITIGATION_STAFF_SEATS, seats))
        if complete and seats < LITIGATION_STAFF_SEATS:
            breaches.append(CompositionBreach("too_few", "staff_seats", LITIGATION_STAFF_SEATS, seats))
    if kind == "thesis_committee" and complete:
        total = sum(role_counts.values())
        if total < 2:
            breaches.append(CompositionBreach("too_few", "", 2, total))
        teachers = role_counts.get("teacher", 0) + (1 if promoter_teaches and role_counts.get("promoter") else 0)
        if teachers < 1:
            breaches.append(CompositionBreach("too_few", "teacher", 1, teachers))
    return breaches


# Quorum of a sitting (BTS-3): exam board deliberates validly with ≥ 4 present; the litigation
# committee's decisions need ≥ 3 members (voting members: its secretary does not vote).
QUORUM = {"exam_board": 4, "litigation_committee": 3}
LITIGATION_VOTING_ROLES = frozenset({"direction", "staff", "staff_outside_bts", "substitute"})


def quorum_met(kind: str, present: int) -> bool:
    """BTS-3: whether a sitting of this body with `present` members is valid."""
    return present >= QUORUM.get(kind, 0)


def litigation_decisions_valid(voter_decisions, decisions: int) -> bool:
    """BTS-3 (seed 004, I.8): "Les décisions de la commission des litiges ne sont acquises que si
    trois membres au moins s'y rallient."

    `voter_decisions` are the numbers of decisions each voting member took part in on one day
    (the secretary is not a voting member); `decisions` is the number of decisions taken that day.
    Each decision needs 3 members: at least 3 voting members present, and enough participations
    (3 × decisions) for every decision to have 3 of them.
    """
    counts = [int(n) for n in voter_decisions if n]
    if decisions <= 0:
        return True
    return len(counts) >= QUORUM["litigation_committee"] and sum(counts) >= QUORUM["litigation_committee"] * decisions


# -- BTS-4 caps --------------------------------------------------------------------------------

CURRICULUM_TOTAL_CAP = {"accreditation": Decimal("320"), "reaccreditation": Decimal("320"), "operation": Decimal("100")}
CURRICULUM_MEMBER_CAP = {"accreditation": Decimal("120"), "reaccreditation": Decimal("120")}
LECTURER_YEAR_CAP = 252
GUEST_SEMESTER_CAP = 20


@dataclass(frozen=True)
class CapCheck:
    """Outcome of a cap check: `remaining` is what is still allowed before the new quantity."""

    allowed: bool
    cap: Decimal
    remaining: Decimal
    scope: str  # "total" | "member" | "year" | "semester" | ""


def _tightest(checks: list[CapCheck]) -> CapCheck:
    refused = [c for c in checks if not c.allowed]
    pool = refused or checks
    return min(pool, key=lambda c: c.remaining)


def curriculum_hours_check(*, phase: str, total_so_far, member_so_far, requested) -> CapCheck:
    """BTS-4 (seed 004, I.2): curriculum-group hours.

    Accreditation (within 24 months) and re-accreditation (last two operating years): ≤ 320 h in
    total and ≤ 120 h per member. Operation: ≤ 100 h per academic year for the group.
    Exactly at the cap passes; one hour more is refused.
    """
    total_so_far, member_so_far, requested = (to_decimal(v) for v in (total_so_far, member_so_far, requested))
    if requested < 0:
        raise ValueError("requested hours must not be negative")
    if phase not in CURRICULUM_TOTAL_CAP:
        raise ValueError(f"unknown curriculum phase: {phase!r}")
    total_cap = CURRICULUM_TOTAL_CAP[phase]
    checks = [
        CapCheck(total_so_far + requested <= total_cap, total_cap, max(total_cap - total_so_far, Decimal(0)), "total")
    ]
    member_cap = CURRICULUM_MEMBER_CAP.get(phase)
    if member_cap is not None:
        checks.append(
            CapCheck(
                member_so_far + requested <= member_cap,
                member_cap,
                max(member_cap - member_so_far, Decimal(0)),
                "member",
            )
        )
    return _tightest(checks)


def lessons_check(*, category: str, year_so_far: int, semester_so_far: int, requested: int) -> CapCheck:
    """BTS-4 (seed 004, II.1–2): an external lecturer ≤ 252 lessons per academic year across all
    programmes; a guest lecturer ≤ 20 lessons per semester. Auxiliary collaborators: no cap.
    """
    if requested < 0:
        raise ValueError("requested lessons must not be negative")
    if category == "external_lecturer":
        cap = Decimal(LECTURER_YEAR_CAP)
        return CapCheck(year_so_far + requested <= cap, cap, max(cap - year_so_far, Decimal(0)), "year")
    if category == "guest_lecturer":
        cap = Decimal(GUEST_SEMESTER_CAP)
        return CapCheck(semester_so_far + requested <= cap, cap, max(cap - semester_so_far, Decimal(0)), "semester")
    return CapCheck(True, Decimal(0), Decimal(0), "")


# -- BTS-7 appointment deadlines ---------------------------------------------------------------


def proposal_deadline(kind: str, academic_year_start: int, *, litigation_mandate_ends: bool = True) -> date | None:
    """BTS-7 (seed 004, I): proposals are due by 15 September for the litigation committee (in the
    years its mandate ends) and by 15 October for the other bodies. None: no proposal is due
    (litigation committee in mid-mandate; the national reasonable-accommodation committee)."""
    if kind == "reasonable_accommodation":
        return None
    if kind == "litigation_committee":
        return date(academic_year_start, 9, 15) if litigation_mandate_ends else None
    return date(academic_year_start, 10, 15)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError("invalid date")  # pragma: no cover


ACCREDITATION_WORK_MONTHS = 24


def accreditation_work_end(admissibility_notified_on: date) -> date:
    """Seed 004, I.2 b: the curriculum group's accreditation work "est limitée à 24 mois à compter
    de la date de notification de la recevabilité" (last day included)."""
    return add_months(admissibility_notified_on, ACCREDITATION_WORK_MONTHS) - timedelta(days=1)


def coordinator_paid_in_phase(phase: str) -> bool:
    """Seed 004, I.1: the coordinator is paid as a curriculum-group member only "pour les travaux
    liés à l'accréditation initiale et à la réaccréditation", never for the operating phase."""
    return phase in ("accreditation", "reaccreditation")


def coordinator_term_end(start: date) -> date:
    """BTS-7: the coordinator is appointed for 24 months (last day included)."""
    return add_months(start, 24) - timedelta(days=1)


LITIGATION_MANDATE_YEARS = 3


# -- plausibility of a quantity ----------------------------------------------------------------

# Units that count things (candidates, papers, dossiers, students, decisions, meetings, lessons,
# flat-rate years and semesters): their quantity is a whole number. Hours may be fractional.
FRACTIONAL_UNITS = frozenset({"hour"})


def quantity_is_whole(unit: str, quantity) -> bool:
    """Whether the quantity suits the unit: a whole number where the act counts things."""
    quantity = to_decimal(quantity)
    return unit in FRACTIONAL_UNITS or quantity == quantity.to_integral_value()


def daily_remaining(*, daily_max, so_far) -> Decimal:
    """What one person may still declare of an act on one day (never negative)."""
    return max(to_decimal(daily_max) - to_decimal(so_far), Decimal(0))


# -- BTS-8 lecturer contracts ------------------------------------------------------------------


def contract_dates_valid(*, signature_date: date, start_date: date) -> bool:
    """BTS-8: the signature may in no case be later than the start of the contract."""
    return signature_date <= start_date


def lesson_allowed_by_ministry_signature(
    *, lesson_date: date, ministry_signature_date: date | None, exception_recorded: bool
) -> bool:
    """Seed 004, II.4 remarks: "Sauf cas exceptionnels dûment motivés, le contrat doit être signé par
    le représentant du ministre avant le premier jour de la prestation." A lesson is paid only when
    the ministry signed before its day, unless the exception is recorded on the contract."""
    if exception_recorded:
        return True
    return ministry_signature_date is not None and ministry_signature_date < lesson_date


def documents_complete(
    *,
    has_diploma: bool,
    has_registry_entry: bool,
    national_or_benelux: bool,
    has_authorisation: bool,
) -> bool:
    """BTS-8 (seed 004, II.4): the diploma and its registry entry (not needed for a national or
    Benelux diploma), or the authorisation to practise a regulated profession."""
    diploma_ok = has_diploma and (has_registry_entry or national_or_benelux)
    return diploma_ok or has_authorisation
