"""Every error as JSON, never a 500 for bad input.

The services raise Django's exceptions (`ValidationError` with French messages per field,
`PermissionDenied`, `Http404`); the API answers them as DRF would its own: 400
`{"field": ["message"], ...}` (messages not tied to a field under `non_field_errors`), 403, 404.
Messages are in the request's language (`Accept-Language`, French by default): the base view
activates it before anything runs.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.selectors import ReferenceDataMissing

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as {"field": ["message"]}; `__all__` and unnamed ones as non_field_errors."""
    if hasattr(exc, "error_dict"):
        detail: dict[str, list[str]] = {}
        for field, errors in exc.error_dict.items():
            key = NON_FIELD if field in (None, "__all__") else field
            detail.setdefault(key, []).extend(str(m) for e in errors for m in e.messages)
        return detail
    return {NON_FIELD: [str(m) for m in exc.messages]}


def form_errors(form) -> dict[str, list[str]]:
    detail: dict[str, list[str]] = {}
    for field, errors in form.errors.items():
        key = NON_FIELD if field == "__all__" else field
        detail.setdefault(key, []).extend(str(m) for m in errors)
    return detail


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    elif isinstance(exc, ReferenceDataMissing):
        exc = exceptions.ValidationError({NON_FIELD: [str(exc)]})
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    return drf_exception_handler(exc, context)
