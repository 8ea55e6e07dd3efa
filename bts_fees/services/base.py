"""What every bts_fees use case shares: the limits of what may be typed or uploaded, and the
journal entry of a status change."""

from __future__ import annotations

from decimal import Decimal

from core.services import audit_record

MAX_QUANTITY = Decimal("9999")
MAX_SHEET_BYTES = 10 * 1024 * 1024
# Attendance sheets are recognised by their first bytes, never by their name or declared type.
SHEET_SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)


def _status_audit(actor, obj, before: str, after: str, action: str, reason: str = ""):
    audit_record(actor=actor, action=action, obj=obj, before={"status": before}, after={"status": after}, reason=reason)
