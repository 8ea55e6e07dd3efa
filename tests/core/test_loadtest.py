"""The load test's checker (core/loadtest.py), fed outcomes made by hand: it must find a lost
update when there is one, and stay quiet when there is none. No server, no database."""

from __future__ import annotations

from core.loadtest import UNKNOWN, Answer, Event, Sent, check_burst, check_exactly_one, find_lost_updates, table

PAY = "apprenticeship.payment_record"
VALIDATE = "bts_fees.declaration_validate"
SUBMIT = "bts_fees.declaration_submit"
PAID = "lycee_aid.dotation_mark_paid"


def test_two_racing_payments_written_one_after_the_other_are_no_lost_update():
    sent = [Sent(PAY, "payment:1:2026-03", "200.00", True), Sent(PAY, "payment:1:2026-03", "300.00", True)]
    events = [
        Event(11, PAY, "payment:1:2026-03", "100.00", "200.00", "200.00"),
        Event(12, PAY, "payment:1:2026-03", "200.00", "300.00", "300.00"),
    ]
    problems = find_lost_updates(
        sent=sent, events=events, initial={"payment:1:2026-03": "100.00"}, final={"payment:1:2026-03": "300.00"}
    )
    assert problems == []


def test_a_write_computed_from_a_stale_read_is_a_lost_update():
    """Both clients read 100,00 and wrote: the second event starts from 100,00 although 200,00 had
    been written before it (what an update without a row lock gives)."""
    sent = [Sent(PAY, "payment:1:2026-03", "200.00", True), Sent(PAY, "payment:1:2026-03", "300.00", True)]
    events = [
        Event(11, PAY, "payment:1:2026-03", "100.00", "200.00", "200.00"),
        Event(12, PAY, "payment:1:2026-03", "100.00", "300.00", "300.00"),
    ]
    problems = find_lost_updates(
        sent=sent, events=events, initial={"payment:1:2026-03": "100.00"}, final={"payment:1:2026-03": "300.00"}
    )
    assert problems == [
        "lost update on payment:1:2026-03: event #12 (apprenticeship.payment_record) starts from '100.00', "
        "but '200.00' had been written before it"
    ]


def test_an_accepted_write_missing_from_the_journal_is_reported():
    sent = [Sent(PAY, "payment:1:2026-04", "200.00", True), Sent(PAY, "payment:1:2026-04", "300.00", True)]
    events = [Event(11, PAY, "payment:1:2026-04", None, "300.00", "300.00")]
    problems = find_lost_updates(
        sent=sent, events=events, initial={"payment:1:2026-04": None}, final={"payment:1:2026-04": "300.00"}
    )
    assert problems == ["apprenticeship.payment_record payment:1:2026-04: 2 accepted, 1 in the journal"]


def test_a_row_that_differs_from_the_last_journal_event_is_reported():
    sent = [Sent(PAY, "payment:2:2026-01", "250.00", True)]
    events = [Event(20, PAY, "payment:2:2026-01", None, "250.00", "250.00")]
    problems = find_lost_updates(
        sent=sent, events=events, initial={"payment:2:2026-01": None}, final={"payment:2:2026-01": "1.00"}
    )
    assert problems == ["lost update on payment:2:2026-01: the database holds '1.00', the journal ends at '250.00'"]


def test_a_value_no_client_sent_is_reported():
    sent = [Sent(PAY, "payment:2:2026-02", "250.00", True)]
    events = [Event(21, PAY, "payment:2:2026-02", None, "999.99", "999.99")]
    problems = find_lost_updates(
        sent=sent, events=events, initial={"payment:2:2026-02": None}, final={"payment:2:2026-02": "999.99"}
    )
    assert problems == [
        "apprenticeship.payment_record payment:2:2026-02: event #21 wrote '999.99', which no client sent"
    ]


def test_a_declaration_validated_twice_by_racing_officers_is_reported():
    """K officers clicked "validate" at once; two transitions went through from "submitted"."""
    sent = [Sent(VALIDATE, "declaration:5", "validated", True)] * 2 + [
        Sent(VALIDATE, "declaration:5", "validated", False)
    ]
    events = [
        Event(30, VALIDATE, "declaration:5", "submitted", "validated", "validated"),
        Event(31, VALIDATE, "declaration:5", "submitted", "validated", "validated"),
    ]
    problems = find_lost_updates(
        sent=sent, events=events, initial={"declaration:5": "submitted"}, final={"declaration:5": "validated"}
    )
    assert len(problems) == 1 and problems[0].startswith("lost update on declaration:5: event #31")
    assert check_exactly_one(label="race", events=events, final="validated", expected="validated") == [
        "race: 2 journal events for one transition"
    ]


def test_one_validation_among_racing_officers_is_clean():
    sent = [Sent(SUBMIT, "declaration:5", "submitted", True), Sent(VALIDATE, "declaration:5", "validated", True)]
    sent += [Sent(VALIDATE, "declaration:5", "validated", False)] * 29
    events = [
        Event(29, SUBMIT, "declaration:5", "reopened", "submitted", "submitted"),
        Event(30, VALIDATE, "declaration:5", "submitted", "validated", "validated"),
    ]
    problems = find_lost_updates(
        sent=sent, events=events, initial={"declaration:5": "reopened"}, final={"declaration:5": "validated"}
    )
    assert problems == []
    assert check_exactly_one(label="race", events=events[1:], final="validated", expected="validated") == []


def test_an_accepted_transition_the_journal_does_not_have_is_reported():
    """The client was told "validated" but no event was written (and the state did not move)."""
    sent = [Sent(VALIDATE, "declaration:6", "validated", True)]
    problems = find_lost_updates(
        sent=sent, events=[], initial={"declaration:6": "submitted"}, final={"declaration:6": "submitted"}
    )
    assert problems == ["bts_fees.declaration_validate declaration:6: 1 accepted, 0 in the journal"]


def test_undecided_answers_bound_the_journal_from_above():
    """Mark paid answers a redirect both when it pays and when it was paid already: three such
    answers allow one event; two events from "notified" are a double payment."""
    sent = [Sent(PAID, "dotation:9", f"M-{n}", None) for n in range(3)]
    one = [Event(40, PAID, "dotation:9", "notified", "paid", "M-1")]
    initial, final = {"dotation:9": "notified"}, {"dotation:9": "paid"}
    assert find_lost_updates(sent=sent, events=one, initial=initial, final=final) == []
    two = one + [Event(41, PAID, "dotation:9", "notified", "paid", "M-2")]
    assert find_lost_updates(sent=sent, events=two, initial=initial, final=final) == [
        "lost update on dotation:9: event #41 (lycee_aid.dotation_mark_paid) starts from 'notified', "
        "but 'paid' had been written before it"
    ]
    four = two + [Event(42, PAID, "dotation:9", UNKNOWN, "paid", "M-0"), Event(43, PAID, "dotation:9")]
    assert "lycee_aid.dotation_mark_paid dotation:9: 0 accepted + 3 undecided, 4 in the journal" in find_lost_updates(
        sent=sent, events=four, initial=initial, final=final
    )


def test_a_burst_of_creations_leaves_as_many_rows_and_the_sum_sent():
    # 3 payments sent at once: 400,01 + 400,02 + 400,03 = 1 200,06
    sent = [Sent(PAY, f"payment:1:2026-0{m}", f"400.0{m}", True) for m in (1, 2, 3)]
    rows = {"payment:1:2026-01": "400.01", "payment:1:2026-02": "400.02", "payment:1:2026-03": "400.03"}
    assert check_burst(label="burst", sent=sent, rows=rows) == []
    lost = {k: v for k, v in rows.items() if k != "payment:1:2026-02"}
    assert check_burst(label="burst", sent=sent, rows=lost) == [
        "burst: 3 accepted, 2 rows",
        "burst: 1200.06 sent, 800.04 recorded",
    ]
    rewritten = rows | {"payment:1:2026-03": "1.00"}  # 400,01 + 400,02 + 1,00 = 801,03
    assert check_burst(label="burst", sent=sent, rows=rewritten) == ["burst: 1200.06 sent, 801.03 recorded"]


def test_the_table_counts_each_kind_and_status():
    answers = [Answer("read: page", 200, 0.1, "GET /"), Answer("read: page", 200, 0.3, "GET /")]
    answers += [Answer("transition: payment", 302, 0.2, "POST /x"), Answer("transition: payment", 500, 0.4, "POST /x")]
    lines = table(answers, 2.0)
    # 100 and 300 ms: median 200; 95th percentile, interpolated between them, 100 + 0,95 × 200 = 290
    assert lines[1].split() == ["read:", "page", "2", "200", "290", "200×2"]
    assert lines[2].split()[-2:] == ["302×1,", "500×1"]
    assert lines[-1] == "2.0 requests/s over 2 s"
