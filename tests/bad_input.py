"""The bad-input harness shared by the three apps: one corpus of nasty values, the rule every
request must keep (never a server error), and hypothesis strategies for property-based cases.

The app corpora (`tests/<app>/test_bad_input.py`) send `NASTY` through every field of their forms
(`post_every_value`) and every query parameter of their pages (`get_every_value`), and collect
what they saw in an `Outcome`; `tests/core/test_fuzz.py` (marker `fuzz`) draws many
more values with hypothesis over every form field of the three apps and the query parameters of
the lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from hypothesis import strategies as st

NASTY = [
    "",
    " ",
    "-1",
    "0",
    "1e9",
    "1e5",
    "1_000",
    "١٢٣",  # Arabic-Indic digits: int() reads 123
    "１２",  # full-width digits
    "NaN",
    "Infinity",
    "1,5",
    "0x10",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "9" * 60,
    "99999999999999999999999",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "\x00",
    "é" * 5000,
    "../../etc/passwd",
]

# Text that looks like numbers and dates, written the ways Python reads more than a person types.
_NUMBERISH = st.from_regex(r"[+\-]?[0-9١٢٣_]{0,12}([.,eE][+\-]?[0-9_]{0,6})?", fullmatch=True)
_DATEISH = st.from_regex(r"[0-9٠-٩]{1,5}[-/][0-9]{1,3}[-/][0-9]{1,5}", fullmatch=True)


def nasty_text():
    """Any value a form field or a query parameter may receive."""
    return st.one_of(
        st.sampled_from(NASTY),
        _NUMBERISH,
        _DATEISH,
        st.text(max_size=30),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
    )


def server_error(response) -> bool:
    return response.status_code >= 500


# -- sending every value into every field ----------------------------------------------------------


@dataclass
class Outcome:
    """What a run of the harness saw: cases sent, refused and accepted, and the failures (a 5xx, an
    exception the test client re-raised for a 500, an answer the page may not give, or data saved
    although the input was refused)."""

    cases: int = 0
    refused: int = 0
    accepted: list[tuple[str, str, str]] = field(default_factory=list)
    failures: list[tuple] = field(default_factory=list)


def post_isolated(client, url, data, *, snapshot, files=None):
    """POST in a savepoint rolled back afterwards, so that an accepted value (a free text such as
    « <script>… » is a valid name, shown escaped) does not change the next case: (response, whether
    the database changed)."""
    with transaction.atomic():
        before = snapshot()
        response = client.post(url, {**data, **(files or {})})
        changed = snapshot() != before
        transaction.set_rollback(True)
    return response, changed


def post_every_value(
    client,
    url: str,
    valid: dict,
    *,
    snapshot: Callable[[], object],
    fields: Iterable[str] | None = None,
    values: Iterable[str] = NASTY,
    label: str = "",
    outcome: Outcome | None = None,
    ok_status: Callable[[int], bool] = lambda status: status < 500,
    refusal_marks: tuple[str, ...] = (),
) -> Outcome:
    """Each value in each field of a valid form payload (the others valid), each case isolated:
    never a server error; refused (any answer but a redirect) → nothing saved and, with
    `refusal_marks`, the page says why; accepted (a redirect) → kept in `outcome.accepted`, for the
    caller to check it is legitimate."""
    outcome = outcome if outcome is not None else Outcome()
    for name in valid if fields is None else fields:
        for value in values:
            outcome.cases += 1
            case = (label or url, name, value[:20])
            try:
                response, changed = post_isolated(client, url, {**valid, name: value}, snapshot=snapshot)
            except Exception as exc:  # noqa: BLE001 — the test client re-raises what would be a 500
                outcome.failures.append((*case, repr(exc)[:300]))
                continue
            if server_error(response) or not ok_status(response.status_code):
                outcome.failures.append((*case, response.status_code))
            elif response.status_code == 302:
                if changed:
                    outcome.accepted.append(case)
            else:
                outcome.refused += 1
                if changed:
                    outcome.failures.append((*case, "saved although refused"))
                page = response.content.decode(errors="replace")
                if refusal_marks and not any(mark in page for mark in refusal_marks):
                    outcome.failures.append((*case, "refused without saying why"))
    return outcome


def send_every_value(
    send: Callable[[str, str], object],
    params: Iterable[str],
    *,
    values: Iterable[str] = NASTY,
    label: str = "",
    outcome: Outcome | None = None,
    ok_status: Callable[[int], bool] = lambda status: status < 500,
) -> Outcome:
    """`send(param, value)` for each value of each parameter (query strings, a POST's URL): never a
    server error, and only answers `ok_status` accepts."""
    outcome = outcome if outcome is not None else Outcome()
    for param in params:
        for value in values:
            outcome.cases += 1
            case = (label, param, value[:20])
            try:
                response = send(param, value)
            except Exception as exc:  # noqa: BLE001 — the test client re-raises what would be a 500
                outcome.failures.append((*case, repr(exc)[:300]))
                continue
            if server_error(response) or not ok_status(response.status_code):
                outcome.failures.append((*case, response.status_code))
    return outcome


def get_every_value(client, url: str, params: Iterable[str], *, base: dict | None = None, **kwargs) -> Outcome:
    """Each value in each query-string parameter of a page (the others as in `base`)."""
    return send_every_value(
        lambda param, value: client.get(url, {**(base or {}), param: value}), params, label=url, **kwargs
    )
