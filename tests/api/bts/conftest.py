"""The BTS fixtures of the app's tests (their `year` is an academic year, not the ARE's school year)."""

from tests.bts_fees.conftest import (  # noqa: F401
    bts_reference,
    exam_board_a,
    exam_board_b,
    fresh_filter_choices,
    programme_a,
    programme_b,
    submitted_a,
    year,
)
