"""Charts with their data table (WCAG: the figures are never only in a picture).

A `Chart` holds its labels and series; `config()` is what `static/js/charts.js` draws with
Chart.js (passed to the page with `json_script`: no inline script, CSP `script-src 'self'`),
and `rows()` is the same data as a table for screen readers and for anyone who prefers to read.
Amounts travel as strings (exact Decimals); the browser converts them for drawing only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Series:
    label: str
    values: list
    table_only: bool = False  # shown in the table, not drawn (a scale too far from the others)


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # "bar", "line" or "stepped"
    labels: list[str]
    series: list[Series] = field(default_factory=list)
    unit: str = "€"  # "€" formats as money in the table and the tooltips; "" as a plain number
    stacked: bool = False
    description: str = ""
    label_heading: str = ""

    def config(self) -> dict:
        return {
            "type": self.kind,
            "title": self.title,
            "unit": self.unit,
            "stacked": self.stacked,
            "labels": [str(label) for label in self.labels],
            "datasets": [
                {"label": str(s.label), "data": [None if v is None else str(v) for v in s.values]}
                for s in self.series
                if not s.table_only
            ],
        }

    def rows(self) -> list[tuple[str, list]]:
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"

    @property
    def is_money(self) -> bool:
        return self.unit == "€"

    @property
    def is_empty(self) -> bool:
        return not self.labels or all(v in (None, 0, Decimal("0")) for s in self.series for v in s.values)
