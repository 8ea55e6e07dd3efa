"""The load test's bookkeeping (`manage.py loadtest`): what the clients saw, what the database
holds afterwards, and the checks that find a lost update. Pure data and functions, so that the
checker itself is tested without a server (tests/core/test_loadtest.py).

A state-changing request is recorded as a `Sent`: its kind (the journal action it should write),
the object it aimed at (`key`), the value it tried to write and whether the answer said it was
done (True), refused (False) or could not tell (None: a redirect that follows both "done" and
"done already"). The database is read back as `Event`s, one per journal event (or history row)
written during the run, with the state before and after and the value written. Then:

1. every accepted request has exactly one event, and no event lacks a request: per (kind, key),
   accepted ≤ events ≤ accepted + undecided;
2. the events of one object form a chain: each starts from the state the previous one left
   (a second "validate" from "submitted" after the first wrote "validated" is a lost update), the
   first from the state before the run, and the object's final state is the last one's;
3. every value written was sent by some client;
4. a burst of N concurrent creations leaves N rows whose sum is the sum sent.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

UNKNOWN = object()  # a state the checker was not told (no chain check from it)


@dataclass(frozen=True)
class Sent:
    kind: str
    key: str
    value: str | None
    done: bool | None


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    key: str
    before: object = UNKNOWN
    after: object = UNKNOWN
    value: str | None = None


@dataclass
class Answer:
    """One HTTP answer as the client saw it (for the table)."""

    kind: str
    status: int
    seconds: float
    url: str


def find_lost_updates(
    *, sent: list[Sent], events: list[Event], initial: dict[str, object], final: dict[str, object]
) -> list[str]:
    """Every discrepancy between what the clients were told and what the database holds."""
    problems: list[str] = []
    accepted = Counter((s.kind, s.key) for s in sent if s.done is True)
    undecided = Counter((s.kind, s.key) for s in sent if s.done is None)
    journal = Counter((e.kind, e.key) for e in events)
    for kind, key in sorted(set(accepted) | set(undecided) | set(journal)):
        low, high, seen = accepted[kind, key], accepted[kind, key] + undecided[kind, key], journal[kind, key]
        if not low <= seen <= high:
            told = f"{low} accepted" + (f" + {undecided[kind, key]} undecided" if undecided[kind, key] else "")
            problems.append(f"{kind} {key}: {told}, {seen} in the journal")

    by_key: dict[str, list[Event]] = defaultdict(list)
    for event in sorted(events, key=lambda e: e.id):
        by_key[event.key].append(event)
    for key, chain in sorted(by_key.items()):
        state = initial.get(key, UNKNOWN)
        for event in chain:
            if state is not UNKNOWN and event.before is not UNKNOWN and event.before != state:
                problems.append(
                    f"lost update on {key}: event #{event.id} ({event.kind}) starts from {event.before!r}, "
                    f"but {state!r} had been written before it"
                )
            if event.after is not UNKNOWN:
                state = event.after
        if key in final and state is not UNKNOWN and final[key] != state:
            problems.append(f"lost update on {key}: the database holds {final[key]!r}, the journal ends at {state!r}")

    values_sent: dict[tuple[str, str], set] = defaultdict(set)
    for s in sent:
        if s.done is not False and s.value is not None:
            values_sent[s.kind, s.key].add(s.value)
    for event in events:
        if event.value is not None and event.value not in values_sent[event.kind, event.key]:
            problems.append(f"{event.kind} {event.key}: event #{event.id} wrote {event.value!r}, which no client sent")
    return problems


def check_burst(*, label: str, sent: list[Sent], rows: dict[str, str]) -> list[str]:
    """N creations fired at once, each on its own key: N rows, and the sum of the amounts sent.
    `rows` maps each key to the amount the database holds (absent: no row)."""
    from decimal import Decimal

    done = [s for s in sent if s.done]
    problems = []
    created = {s.key for s in done} & set(rows)
    if len(created) != len(done) or len({s.key for s in done}) != len(done):
        problems.append(f"{label}: {len(done)} accepted, {len(created)} rows")
    total_sent = sum((Decimal(s.value) for s in done), Decimal(0))
    total_rows = sum((Decimal(rows[s.key]) for s in done if s.key in rows), Decimal(0))
    if total_sent != total_rows:
        problems.append(f"{label}: {total_sent} sent, {total_rows} recorded")
    return problems


def check_exactly_one(*, label: str, events: list[Event], final: object, expected: object) -> list[str]:
    """K clients raced on one transition: one event, and the object in the state it leads to."""
    problems = []
    if len(events) != 1:
        problems.append(f"{label}: {len(events)} journal events for one transition")
    if final != expected:
        problems.append(f"{label}: the object is {final!r}, not {expected!r}")
    return problems


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def table(answers: list[Answer], seconds: float) -> list[str]:
    """Requests, per kind, status codes, p50/p95 latency, requests per second."""
    lines = [f"{'kind':<28} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8}  status codes"]
    kinds: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        kinds[answer.kind].append(answer)
    for kind in sorted(kinds):
        group = kinds[kind]
        times = [a.seconds * 1000 for a in group]
        codes = ", ".join(f"{code}×{n}" for code, n in sorted(Counter(a.status for a in group).items()))
        lines.append(f"{kind:<28} {len(group):>9} {percentile(times, 50):>8.0f} {percentile(times, 95):>8.0f}  {codes}")
    times = [a.seconds * 1000 for a in answers]
    codes = ", ".join(f"{code}×{n}" for code, n in sorted(Counter(a.status for a in answers).items()))
    lines.append(f"{'all':<28} {len(answers):>9} {percentile(times, 50):>8.0f} {percentile(times, 95):>8.0f}  {codes}")
    lines.append(f"{len(answers) / seconds if seconds else 0:.1f} requests/s over {seconds:.0f} s")
    return lines
