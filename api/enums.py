"""The names of the journal events the API app writes: `api.<use case>`."""

from enum import StrEnum


class AuditAction(StrEnum):
    API_TOKEN_CREATE = "api.api_token_create"  # noqa: S105 (an event name, not a password)
    API_TOKEN_REVOKE = "api.api_token_revoke"  # noqa: S105
