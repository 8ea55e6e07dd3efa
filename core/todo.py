"""The to-do list of the home page: what needs the user's action and by when.

Each domain app has a `todo` module with `todo(user, today) -> list[TodoItem]` that returns only
what the user works on (their schemes, their schools, their company); this module gathers the
items and orders them: what is late first, then by due date, then what has no date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import import_module

from django.utils import timezone

DOMAIN_APPS = ("apprenticeship", "lycee_aid", "bts_fees")

# Within this many days a due date is shown as close (and ordered with what is late).
SOON_DAYS = 30


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: a sentence (already translated, with its count), where to do it, by when."""

    scheme: str  # label of the scheme, shown as a tag
    text: str
    url: str
    action: str  # label of the link
    due: date | None = None
    detail: str = ""  # e.g. the reason of a rejection
    amount: Decimal | None = None
    count: int | None = None
    key: str = ""  # stable identifier for tests and anchors (e.g. "bts-rejected-5")
    today: date | None = None
    urgent: bool = False  # owed already (e.g. arrears): listed with what is late

    @property
    def days_left(self) -> int | None:
        if self.due is None or self.today is None:
            return None
        return (self.due - self.today).days

    @property
    def days_overdue(self) -> int:
        days = self.days_left
        return -days if days is not None and days < 0 else 0

    @property
    def late(self) -> bool:
        days = self.days_left
        return days is not None and days < 0

    @property
    def soon(self) -> bool:
        days = self.days_left
        return days is not None and 0 <= days <= SOON_DAYS


def sort_key(item: TodoItem):
    """Late or urgent first, then by due date, then what has no date."""
    return (0 if (item.late or item.urgent) else 1, item.due or date.max, item.key)


def todo_for(user, today: date | None = None) -> list[TodoItem]:
    """Every app's items for `user`, what is late or due soonest first."""
    today = today or timezone.localdate()
    items: list[TodoItem] = []
    for app in DOMAIN_APPS:
        items.extend(import_module(f"{app}.todo").todo(user, today))
    return sorted(items, key=sort_key)
