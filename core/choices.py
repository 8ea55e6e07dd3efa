"""The filter-choices cache: reference lists (lycées, trades, programmes, years) that a list's
filter form offers, read once and kept in the process for a minute, so that the hot list pages run
no query for their filter form.

Each app makes one `ChoicesCache` with the models whose rows appear in its choices. A save or a
delete of one of them clears the cache once the transaction commits: cleared before, a concurrent
request could read the list without the new row and keep it for a minute; and a transaction that is
rolled back leaves the cache as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models.signals import post_delete, post_save

CHOICES_TTL = 60.0


class ChoicesCache:
    instances: list[ChoicesCache] = []  # every cache of the process (tests start each from empty)

    def __init__(self, name: str, models: Iterable[type], ttl: float = CHOICES_TTL):
        ChoicesCache.instances.append(self)
        self.name = name
        self.ttl = ttl
        self._entries: dict[str, tuple[float, list]] = {}
        for model in models:
            uid = f"{name}_choices_{model._meta.label_lower}"
            post_save.connect(self._changed, sender=model, dispatch_uid=uid, weak=False)
            post_delete.connect(self._changed, sender=model, dispatch_uid=f"{uid}_del", weak=False)

    def get(self, key: str, load: Callable[[], list]) -> list:
        """The list under `key`, loaded by `load()` when absent or older than the time to live."""
        hit = self._entries.get(key)
        now = time.monotonic()
        if hit is None or now - hit[0] > self.ttl:
            hit = (now, load())
            self._entries[key] = hit
        return hit[1]

    def clear(self, **kwargs) -> None:
        self._entries.clear()

    def _changed(self, **kwargs) -> None:
        transaction.on_commit(self._entries.clear)
