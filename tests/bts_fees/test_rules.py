"""Pure rules of bts_fees with the figures of seed 004 (no database)."""

from datetime import date
from decimal import Decimal as D

import pytest

from bts_fees import rules

# -- BTS-1 / CORE-1: every act of seed 004 at the index 944,43 -------------------------------


@pytest.mark.parametrize(
    ("rate", "index", "quantity", "expected"),
    [
        ("7.82", "944.43", 1, "73.85"),  # seed 004 / docs/rules.md: deliberation
        ("35.19", "944.43", 1, "332.34"),  # seed 004 / docs/rules.md: promoter
        ("21.52", "944.43", 1, "203.24"),  # exam board, commissioner
        ("8.32", "944.43", 2, "157.16"),  # questionnaires, 2 papers: 78,58 × 2
        ("1.57", "944.43", 3, "44.49"),  # invigilation, 3 hours: 14,83 × 3
        ("0.76", "944.43", 25, "179.50"),  # correction of 25 candidates: 7,18 × 25 (not 179,44)
        ("20.86", "944.43", 4, "788.04"),  # tutor, 4 students: 197,01 × 4
        ("7.82", "944.43", 3, "221.55"),  # unit rounded first: 73,85 × 3, not 221,56
        ("7.82", "968.04", 1, "75.70"),
        ("35.19", "921.40", 1, "324.24"),
        ("0.50", "101.00", 1, "0.51"),  # 0,505 → 0,51: half up, not half even
        ("7.82", "944.43", 0, "0.00"),
    ],
)
def test_line_amount(rate, index, quantity, expected):
    assert rules.line_amount(D(rate), D(index), quantity) == D(expected)


def test_line_amount_refuses_a_negative_quantity_and_floats():
    with pytest.raises(ValueError):
        rules.line_amount(D("7.82"), D("944.43"), -1)
    with pytest.raises(TypeError):
        rules.line_amount(7.82, D("944.43"), 1)


def test_unit_amount_is_rounded_to_the_cent():
    assert rules.unit_amount(D("0.76"), D("944.43")) == D("7.18")


# -- BTS-5: external lecturers' rate per lesson ----------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"clq_level": 8}, "12.07"),
        ({"clq_level": 7}, "12.07"),
        ({"clq_level": 6}, "10.07"),
        ({"clq_level": 5}, "7.68"),
        ({"clq_level": 4}, "6.28"),
        ({"clq_level": 1}, "6.28"),
        ({"regulated_level": "e"}, "12.07"),
        ({"regulated_level": "d"}, "10.07"),
        ({"regulated_level": "c"}, "7.68"),
        ({"regulated_level": "b"}, "6.28"),
        ({"regulated_level": "a"}, "6.28"),
        ({"clq_level": 5, "regulated_level": "d"}, "10.07"),  # best of the two
        ({"clq_level": 7, "regulated_level": "a"}, "12.07"),
        ({"clq_level": 8, "subject_linked": False}, "6.28"),  # no direct link with the subject
        ({"regulated_level": "e", "subject_linked": False}, "6.28"),
    ],
)
def test_lecturer_rate_at_100(kwargs, expected):
    assert rules.lecturer_rate_at_100(**kwargs) == D(expected)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"clq_level": 7}, "113.99"),
        ({"clq_level": 6}, "95.10"),
        ({"clq_level": 5}, "72.53"),
        ({"clq_level": 3}, "59.31"),
    ],
)
def test_lecturer_lesson_at_944_43(kwargs, expected):
    assert rules.line_amount(rules.lecturer_rate_at_100(**kwargs), D("944.43"), 1) == D(expected)


def test_lecturer_rate_uses_the_table_in_force():
    table = dict(rules.SEED_004_LECTURER_RATES, LECT_CLQ_6=D("10.50"))
    assert rules.lecturer_rate_at_100(clq_level=6, rates=table) == D("10.50")


@pytest.mark.parametrize(
    "kwargs", [{}, {"clq_level": 0}, {"clq_level": 9}, {"regulated_level": "f"}, {"clq_level": True}]
)
def test_lecturer_rate_bad_input(kwargs):
    with pytest.raises(ValueError):
        rules.lecturer_rate_at_100(**kwargs)


# -- BTS-6 admission exam -----------------------------------------------------------------------


@pytest.mark.parametrize(("candidates", "expected"), [(0, 0), (1, 1), (10, 1), (11, 2), (20, 2), (21, 3), (95, 10)])
def test_invigilators_required(candidates, expected):
    assert rules.invigilators_required(candidates) == expected


@pytest.mark.parametrize("bad", [-1, True, "10"])
def test_invigilators_bad_input(bad):
    with pytest.raises(ValueError):
        rules.invigilators_required(bad)


@pytest.mark.parametrize(
    ("mark", "expected"),
    [
        ("8.4", False),
        ("8.49", False),
        ("8.5", True),
        ("9", True),
        ("9.9", True),
        ("9.91", False),
        ("10", False),
        (0, False),
    ],
)
def test_second_correction_required(mark, expected):
    assert rules.second_correction_required(D(mark) if isinstance(mark, str) else mark) is expected


def test_second_correction_bad_mark():
    with pytest.raises(ValueError):
        rules.second_correction_required(D("21"))


# -- BTS-3 compositions ---------------------------------------------------------------------------


def codes(breaches):
    return sorted((b.code, b.role) for b in breaches)


def test_curriculum_group_five_teachers_pass_six_fail():
    counts = {"direction": 1, "coordinator": 1, "teacher": 5, "professional": 5}
    assert rules.composition_breaches("curriculum_group", counts, complete=True) == []
    assert codes(rules.composition_breaches("curriculum_group", {**counts, "teacher": 6})) == [("too_many", "teacher")]
    assert codes(rules.composition_breaches("curriculum_group", {**counts, "professional": 6})) == [
        ("too_many", "professional")
    ]


def test_admission_committee_is_exactly_five():
    full = {"commissioner": 1, "direction": 1, "teacher": 3}
    assert rules.composition_breaches("admission_committee", full, complete=True) == []
    assert codes(rules.composition_breaches("admission_committee", {**full, "teacher": 4})) == [("too_many", "teacher")]
    assert codes(rules.composition_breaches("admission_committee", {**full, "teacher": 2}, complete=True)) == [
        ("too_few", "teacher")
    ]
    # while appointing, an incomplete committee is not an error
    assert rules.composition_breaches("admission_committee", {"teacher": 2}) == []
    assert codes(rules.composition_breaches("admission_committee", {"professional": 1})) == [
        ("role_not_allowed", "professional")
    ]


def test_vae_and_exam_board():
    assert (
        rules.composition_breaches("vae_committee", {"direction": 1, "teacher": 2, "professional": 2}, complete=True)
        == []
    )
    board = {"commissioner": 1, "direction": 1, "coordinator": 1, "teacher": 4}
    assert rules.composition_breaches("exam_board", board, complete=True) == []
    assert codes(rules.composition_breaches("exam_board", {**board, "teacher": 5})) == [("too_many", "teacher")]


def test_thesis_committee_needs_two_with_promoter_and_teacher():
    assert rules.composition_breaches("thesis_committee", {"promoter": 1, "teacher": 1}, complete=True) == []
    assert codes(rules.composition_breaches("thesis_committee", {"promoter": 1}, complete=True)) == [
        ("too_few", ""),
        ("too_few", "teacher"),
    ]
    assert codes(rules.composition_breaches("thesis_committee", {"promoter": 2, "teacher": 1})) == [
        ("too_many", "promoter")
    ]


def test_litigation_committee_four_staff_at_least_two_outside_bts():
    ok = {"direction": 1, "staff": 2, "staff_outside_bts": 2, "substitute": 5, "secretary": 1}
    assert rules.composition_breaches("litigation_committee", ok, complete=True) == []
    assert ("too_many", "staff") in codes(rules.composition_breaches("litigation_committee", {**ok, "staff": 3}))
    assert ("too_many", "staff_seats") in codes(
        rules.composition_breaches("litigation_committee", {**ok, "staff_outside_bts": 3})
    )
    assert ("too_few", "staff_outside_bts") in codes(
        rules.composition_breaches("litigation_committee", {**ok, "staff_outside_bts": 1}, complete=True)
    )


@pytest.mark.parametrize(
    ("kind", "present", "expected"),
    [
        ("exam_board", 3, False),
        ("exam_board", 4, True),
        ("litigation_committee", 2, False),
        ("litigation_committee", 3, True),
    ],
)
def test_quorum(kind, present, expected):
    assert rules.quorum_met(kind, present) is expected


# -- BTS-4 caps --------------------------------------------------------------------------------


def test_curriculum_member_cap_120_exactly_passes_one_more_fails():
    at_cap = rules.curriculum_hours_check(phase="accreditation", total_so_far=200, member_so_far=100, requested=20)
    assert at_cap.allowed and at_cap.remaining == D(20)
    over = rules.curriculum_hours_check(phase="accreditation", total_so_far=200, member_so_far=100, requested=21)
    assert not over.allowed
    assert (over.scope, over.cap, over.remaining) == ("member", D(120), D(20))


def test_curriculum_total_cap_320():
    ok = rules.curriculum_hours_check(phase="reaccreditation", total_so_far=300, member_so_far=0, requested=20)
    assert ok.allowed
    over = rules.curriculum_hours_check(phase="reaccreditation", total_so_far=300, member_so_far=0, requested=D("20.5"))
    assert not over.allowed and (over.scope, over.remaining) == ("total", D(20))


def test_curriculum_operation_cap_100_per_year_without_member_cap():
    assert rules.curriculum_hours_check(phase="operation", total_so_far=0, member_so_far=0, requested=100).allowed
    over = rules.curriculum_hours_check(phase="operation", total_so_far=60, member_so_far=60, requested=41)
    assert not over.allowed and (over.scope, over.remaining) == ("total", D(40))


def test_curriculum_check_bad_input():
    with pytest.raises(ValueError):
        rules.curriculum_hours_check(phase="operation", total_so_far=0, member_so_far=0, requested=-1)
    with pytest.raises(ValueError):
        rules.curriculum_hours_check(phase="", total_so_far=0, member_so_far=0, requested=1)


def test_external_lecturer_252_lessons_a_year():
    assert rules.lessons_check(category="external_lecturer", year_so_far=250, semester_so_far=0, requested=2).allowed
    over = rules.lessons_check(category="external_lecturer", year_so_far=252, semester_so_far=0, requested=1)
    assert not over.allowed and (over.cap, over.remaining) == (D(252), D(0))


def test_guest_lecturer_20_lessons_a_semester():
    assert rules.lessons_check(category="guest_lecturer", year_so_far=40, semester_so_far=18, requested=2).allowed
    over = rules.lessons_check(category="guest_lecturer", year_so_far=40, semester_so_far=18, requested=3)
    assert not over.allowed and (over.scope, over.remaining) == ("semester", D(2))


def test_auxiliary_collaborator_has_no_cap():
    assert rules.lessons_check(
        category="auxiliary_collaborator", year_so_far=999, semester_so_far=999, requested=5
    ).allowed


# -- BTS-7 deadlines -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "mandate_ends", "expected"),
    [
        ("litigation_committee", True, date(2024, 9, 15)),
        ("litigation_committee", False, None),
        ("exam_board", False, date(2024, 10, 15)),
        ("curriculum_group", False, date(2024, 10, 15)),
        ("reasonable_accommodation", False, None),
    ],
)
def test_proposal_deadline(kind, mandate_ends, expected):
    assert rules.proposal_deadline(kind, 2024, litigation_mandate_ends=mandate_ends) == expected


@pytest.mark.parametrize(
    ("start", "end"), [(date(2024, 9, 15), date(2026, 9, 14)), (date(2024, 2, 29), date(2026, 2, 27))]
)
def test_coordinator_is_appointed_for_24_months(start, end):
    assert rules.coordinator_term_end(start) == end


# -- BTS-8 contracts ---------------------------------------------------------------------------


def test_contract_signature_not_after_start():
    assert rules.contract_dates_valid(signature_date=date(2024, 9, 15), start_date=date(2024, 9, 15))
    assert not rules.contract_dates_valid(signature_date=date(2024, 9, 16), start_date=date(2024, 9, 15))


@pytest.mark.parametrize(
    ("diploma", "registry", "national", "authorisation", "expected"),
    [
        (True, True, False, False, True),
        (True, False, True, False, True),  # national or Benelux diploma: no registry entry needed
        (True, False, False, False, False),
        (False, False, False, True, True),
        (False, True, False, False, False),
    ],
)
def test_documents_complete(diploma, registry, national, authorisation, expected):
    assert (
        rules.documents_complete(
            has_diploma=diploma,
            has_registry_entry=registry,
            national_or_benelux=national,
            has_authorisation=authorisation,
        )
        is expected
    )


# -- BTS-6 payable corrections (docs/rules.md "Rules API additions") ----------------------------------------


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ([], 0),
        (["12"], 1),
        (["8,5"], 2),  # 8,5 inclusive: a second correction
        (["9,9"], 2),  # 9,9 inclusive
        (["8,49", "9,91", "10"], 3),  # just outside the range: one correction each
        ([D("8.5"), D("9"), 9, "14,25"], 7),  # Decimal, int and text mixed: 4 + 3 second corrections
        # 10 candidates, 1 paper, first marks 4 to 15 with three between 8,5 and 9,9: 13 corrections,
        # never the 30 once accepted for 10 candidates (20 at most even if every mark needed two).
        (["4", "6,5", "8", "8,5", "9", "9,5", "11", "12", "13,5", "15"], 13),
        (["9"] * 10, 20),
        (["0", "20"], 2),  # the bounds of the scale
    ],
)
def test_payable_corrections(marks, expected):
    assert rules.payable_corrections(marks) == expected


@pytest.mark.parametrize("bad", [["21"], ["-1"], ["abc"], [""], ["1e1"], ["８"], ["1_0"], [9.5], [True], ["8,555"]])
def test_payable_corrections_refuses_what_is_not_a_mark(bad):
    with pytest.raises(ValueError):
        rules.payable_corrections(bad)


def test_payable_corrections_wants_a_list_of_marks_not_one_text():
    with pytest.raises(ValueError):
        rules.payable_corrections("8,5")


@pytest.mark.parametrize(("text", "expected"), [("8,5", D("8.5")), (" 9.9 ", D("9.9")), ("20", D("20")), (0, D(0))])
def test_parse_mark(text, expected):
    assert rules.parse_mark(text) == expected


# -- BTS-3 clarified (docs/rules.md "Clarifications": thesis and litigation committees) ----------------------


def test_thesis_committee_promoter_may_be_the_programme_teacher():
    """Seed 004, I.6: ≥ 2 members including the promoter, ≥ 1 of whom teaches in the programme."""
    pair = {"promoter": 1, "professional": 1}
    assert rules.composition_breaches("thesis_committee", pair, complete=True, promoter_teaches=True) == []
    assert codes(rules.composition_breaches("thesis_committee", pair, complete=True)) == [("too_few", "teacher")]
    # the promoter alone is not a committee, even when teaching
    assert codes(
        rules.composition_breaches("thesis_committee", {"promoter": 1}, complete=True, promoter_teaches=True)
    ) == [("too_few", "")]


@pytest.mark.parametrize(
    ("voters", "decisions", "expected"),
    [
        ([1, 1, 1], 1, True),  # three members rally to the decision
        ([1, 1], 1, False),  # two are not enough, whatever the secretary
        ([2, 2, 2], 2, True),
        ([2, 2, 1, 1], 2, True),  # 6 participations: two decisions of three members each
        ([2, 2, 1], 2, False),  # 5 participations for two decisions: one had only two members
        ([], 0, True),
    ],
)
def test_litigation_decisions_need_three_members(voters, decisions, expected):
    assert rules.litigation_decisions_valid(voters, decisions) is expected


# -- coordinator and accreditation window (seed 004, I.1 and I.2 b) --------------------------------


@pytest.mark.parametrize(
    ("phase", "paid"), [("accreditation", True), ("reaccreditation", True), ("operation", False), ("", False)]
)
def test_coordinator_paid_only_for_accreditation_work(phase, paid):
    assert rules.coordinator_paid_in_phase(phase) is paid


@pytest.mark.parametrize(
    ("notified", "last_day"), [(date(2024, 2, 1), date(2026, 1, 31)), (date(2024, 10, 15), date(2026, 10, 14))]
)
def test_accreditation_work_is_limited_to_24_months(notified, last_day):
    assert rules.accreditation_work_end(notified) == last_day


# -- plausibility -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "quantity", "expected"),
    [
        ("file", "2.50", False),
        ("file", "2", True),
        ("file", "2.00", True),
        ("hour", "2.50", True),
        ("meeting", 1, True),
    ],
)
def test_quantity_is_whole_where_the_act_counts_things(unit, quantity, expected):
    assert rules.quantity_is_whole(unit, D(str(quantity))) is expected


def test_daily_remaining_never_negative():
    assert rules.daily_remaining(daily_max=D(3), so_far=D(1)) == D(2)
    assert rules.daily_remaining(daily_max=D(3), so_far=D(5)) == D(0)


# -- lecturer contract: the ministry signs before the first lesson (seed 004, II.4) -----------------


@pytest.mark.parametrize(
    ("signed", "exception", "expected"),
    [
        (date(2024, 9, 30), False, True),  # signed the day before
        (date(2024, 10, 1), False, False),  # signed the day of the lesson: not "avant le premier jour"
        (None, False, False),
        (None, True, True),  # documented exception
        (date(2024, 10, 5), True, True),
    ],
)
def test_lesson_needs_the_ministry_signature_before_its_day(signed, exception, expected):
    assert (
        rules.lesson_allowed_by_ministry_signature(
            lesson_date=date(2024, 10, 1), ministry_signature_date=signed, exception_recorded=exception
        )
        is expected
    )
