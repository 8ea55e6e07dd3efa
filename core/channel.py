"""Through which door a change came in: the web pages ("ui", the default) or the JSON API ("api").

The journal records it on every `AuditEvent` without each service having to be told: the API's
views run their service calls inside `channel_scope("api")`, and `core.services.audit_record`
reads the current value. A context variable (not a thread-local) so that it also holds in
asynchronous code and never leaks from one request to the next.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

UI = "ui"
API = "api"

_channel: ContextVar[str] = ContextVar("bareme_channel", default=UI)


def current_channel() -> str:
    return _channel.get()


@contextmanager
def channel_scope(channel: str):
    token = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(token)
