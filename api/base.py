"""The base of every API view: language, journal channel, idempotency, input through the UI's forms."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.channel import API, channel_scope

from .errors import NON_FIELD, form_errors
from .models import ApiToken, IdempotentReply
from .pagination import IdCursorPagination

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


def request_language(request) -> str:
    """The first supported language of Accept-Language; French when none (the UI's default)."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header[:200]):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def form_data(data):
    """A JSON object or a query string as a form's data: scalars as the text a form would receive
    (so that a number or a boolean goes through the same parsing as typed text), a list of scalars
    as a repeated field, null as absent. A nested value or a body that is not an object is refused
    at its field, never a 500."""
    if isinstance(data, QueryDict):
        return data
    if not isinstance(data, dict):
        raise exceptions.ValidationError({NON_FIELD: [_("Le corps de la requête doit être un objet JSON.")]})
    flat, errors = MultiValueDict(), {}
    scalar = (str, int, float, bool)
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, scalar):
            flat[name] = _text(value)
        elif isinstance(value, list) and all(isinstance(v, scalar) for v in value):
            flat.setlist(name, [_text(v) for v in value])
        else:
            errors[name] = [_("Une valeur simple (texte, nombre ou booléen) est attendue.")]
    if errors:
        raise exceptions.ValidationError(errors)
    return flat


class _Replay(Exception):
    def __init__(self, reply: IdempotentReply):
        self.reply = reply


class ApiView(APIView):
    """Runs the view in the request's language and on the "api" channel of the journal.

    A change sent with an `Idempotency-Key` header is done once per token and key: its first
    successful answer is stored and a retry gets it again (header `Idempotent-Replayed: true`)
    without running anything. A failed answer is not stored, so a corrected retry may use the same key.
    """

    def dispatch(self, request, *args, **kwargs):
        with translation.override(request_language(request)), channel_scope(API):
            response = super().dispatch(request, *args, **kwargs)
            response["Content-Language"] = translation.get_language()
            return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.idempotency_key = None
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None or request.method not in UNSAFE or not isinstance(request.auth, ApiToken):
            return
        if not key.strip() or len(key) > MAX_KEY_LENGTH:
            raise exceptions.ValidationError(
                {IDEMPOTENCY_HEADER: [_("La clé d'idempotence compte de 1 à 200 caractères.")]}
            )
        reply = IdempotentReply.objects.filter(token=request.auth, key=key).first()
        if reply is not None:
            if (reply.method, reply.path) != (request.method, request.path):
                raise exceptions.ValidationError(
                    {IDEMPOTENCY_HEADER: [_("Cette clé d'idempotence a déjà servi pour une autre requête.")]}
                )
            raise _Replay(reply)
        self.idempotency_key = key

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            response = Response(exc.reply.body, status=exc.reply.status)
            response["Idempotent-Replayed"] = "true"
            return response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(self, "idempotency_key", None)
        if key and 200 <= response.status_code < 300:
            body = json.loads(JSONRenderer().render(response.data) or b"null")
            try:
                with transaction.atomic():
                    IdempotentReply.objects.create(
                        token=request.auth,
                        key=key,
                        method=request.method,
                        path=request.path[:500],
                        status=response.status_code,
                        body=body,
                    )
            except IntegrityError:
                pass  # two retries at once: the transitions are idempotent themselves
        return response

    # -- input, validated by the same forms as the pages (same checks, same messages) ----------

    def bind(self, form_class, data, files=None, **kwargs):
        """`form_class` bound to `data` and valid, or a 400 with its field errors."""
        form = form_class(data=form_data(data), files=files, **kwargs)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        return form.cleaned_data


class ApiListView(ApiView, ListModelMixin, GenericAPIView):
    """A scoped list: the selector's queryset, the page's filters (django-filter), a cursor."""

    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]


class PublicApiView(ApiView):
    """Reference data anyone may read, without a key."""

    permission_classes = [AllowAny]
