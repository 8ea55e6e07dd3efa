"""BTS declarations through the API: lycée staff create them, add lines, attach the attendance sheet
and submit; BTS officers validate or reject them, one or many. Same forms, selectors and services as
the pages. A transition asked again once done (a retried submit or validate) answers the declaration
as it is and does nothing twice."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from bts_fees import selectors, services
from bts_fees.enums import DeclarationStatus
from bts_fees.filters import DeclarationFilter
from bts_fees.forms import BulkValidateForm, DeclarationForm, LineForm, ReasonForm, SheetForm
from core.enums import Scheme
from core.selectors import is_lycee_staff, is_officer

from .. import serializers as s
from ..base import ApiListView, ApiView

TAG = ["BTS"]


def declaration_data(declaration) -> dict:
    lines = list(selectors.declaration_line_list(declaration))
    return s.DeclarationDetailSerializer(declaration, context={"lines": lines}).data


def _require_staff(user):
    if not is_lycee_staff(user):
        raise PermissionDenied


class DeclarationListView(ApiListView):
    filterset_class = DeclarationFilter
    serializer_class = s.DeclarationSerializer

    def get_queryset(self):
        return selectors.declaration_list(self.request.user)

    @extend_schema(tags=TAG, summary="Déclarations (lycée : les siennes ; officiers BTS : toutes)")
    def get(self, request):
        return self.list(request)

    @extend_schema(
        tags=TAG,
        summary="Créer une déclaration (personnel du lycée)",
        request=s.DeclarationCreateSerializer,
        responses={201: s.DeclarationDetailSerializer},
    )
    def post(self, request):
        _require_staff(request.user)
        data = self.bind(DeclarationForm, request.data, user=request.user)
        declaration = services.declaration_create(actor=request.user, **data)
        return Response(declaration_data(selectors.declaration_get(request.user, declaration.pk)), status=201)


class DeclarationDetailView(ApiView):
    @extend_schema(tags=TAG, summary="Une déclaration et ses lignes", responses=s.DeclarationDetailSerializer)
    def get(self, request, pk):
        return Response(declaration_data(selectors.declaration_get(request.user, pk)))


class LineView(ApiView):
    @extend_schema(
        tags=TAG,
        summary="Ajouter une ligne (un membre, un acte, une date, une quantité)",
        description="Tous les contrôles du vademecum (BTS-2 à BTS-9) : une ligne refusée l'est avec le motif.",
        request=s.LineCreateSerializer,
        responses={201: s.DeclarationDetailSerializer},
    )
    def post(self, request, pk):
        declaration = selectors.declaration_get(request.user, pk)
        data = self.bind(LineForm, request.data, declaration=declaration)
        services.declaration_add_line(actor=request.user, declaration=declaration, **data)
        return Response(declaration_data(selectors.declaration_get(request.user, pk)), status=201)


class SheetView(ApiView):
    @extend_schema(
        tags=TAG,
        summary="Joindre la liste de présence",
        request={"multipart/form-data": s.SheetUploadSerializer},
        responses=s.DeclarationDetailSerializer,
    )
    def post(self, request, pk):
        declaration = selectors.declaration_get(request.user, pk)
        data = self.bind(SheetForm, {}, files=request.FILES)
        services.declaration_attach_sheet(actor=request.user, declaration=declaration, upload=data["attendance_sheet"])
        return Response(declaration_data(selectors.declaration_get(request.user, pk)))


def transition(request, pk, service, target: str, **kwargs):
    """Run a state transition once: asked again when already done, it changes nothing (no second
    journal event) and answers the declaration as it is; two at once, the row lock lets one through."""
    declaration = selectors.declaration_get(request.user, pk)
    if declaration.status != target:
        try:
            service(actor=request.user, declaration=declaration, **kwargs)
        except DjangoValidationError:
            declaration = selectors.declaration_get(request.user, pk)
            if declaration.status != target:
                raise
    return Response(declaration_data(selectors.declaration_get(request.user, pk)))


class SubmitView(ApiView):
    @extend_schema(tags=TAG, summary="Soumettre au ministère", request=None, responses=s.DeclarationDetailSerializer)
    def post(self, request, pk):
        return transition(request, pk, services.declaration_submit, DeclarationStatus.SUBMITTED)


class ValidateView(ApiView):
    @extend_schema(tags=TAG, summary="Valider (officier BTS)", request=None, responses=s.DeclarationDetailSerializer)
    def post(self, request, pk):
        return transition(request, pk, services.declaration_validate, DeclarationStatus.VALIDATED)


class RejectView(ApiView):
    @extend_schema(
        tags=TAG,
        summary="Rejeter avec un motif (officier BTS)",
        request=s.ReasonSerializer,
        responses=s.DeclarationDetailSerializer,
    )
    def post(self, request, pk):
        declaration = selectors.declaration_get(request.user, pk)
        if not is_officer(request.user, Scheme.BTS_FEES):
            raise PermissionDenied
        reason = self.bind(ReasonForm, request.data)["reason"]
        return transition(
            request, declaration.pk, services.declaration_reject, DeclarationStatus.REJECTED, reason=reason
        )


class BulkValidateView(ApiView):
    @extend_schema(
        tags=TAG,
        summary="Valider plusieurs déclarations (officier BTS)",
        operation_id="bts_declarations_validate_many",
        description="Chacune dans sa propre transaction : un refus n'arrête pas les autres.",
        request=s.BulkValidateSerializer,
        responses=s.BulkValidateResultSerializer,
    )
    def post(self, request):
        if not is_officer(request.user, Scheme.BTS_FEES):
            raise PermissionDenied
        ids = self.bind(BulkValidateForm, request.data, user=request.user)["ids"]
        done, errors = services.declarations_validate_bulk(actor=request.user, declaration_ids=ids)
        return Response(s.BulkValidateResultSerializer({"validated": [d.pk for d in done], "errors": errors}).data)
