"""The bad-input harness shared by the three apps: one corpus of nasty values, the rule every
request must keep (never a server error), and hypothesis strategies for property-based cases.

The app corpora (`tests/<app>/test_bad_input.py`) send `NASTY` through every field of their forms
and every query parameter of their pages; `tests/core/test_fuzz.py` (marker `fuzz`) draws many
more values with hypothesis over every form field of the three apps and the query parameters of
the lists."""

from __future__ import annotations

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
