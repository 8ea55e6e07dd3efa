"""Apprenticeship contracts through the API: the same selectors and services as the pages.

Employers read their contracts, schedules and statements and record payments; lycée staff
register contracts of their schools; apprenticeship officers see everything.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework.response import Response

from apprenticeship import permissions, selectors, services
from apprenticeship.filters import ContractFilter
from apprenticeship.forms import ContractForm, PaymentForm
from core.selectors import is_lycee_staff

from .. import serializers as s
from ..base import ApiListView, ApiView

TAG = ["apprentissage"]


class ApiContractFilter(ContractFilter):
    """The list page's filters; the school year's type stated for the schema (a method filter)."""

    @extend_schema_field(OpenApiTypes.INT)
    def filter_school_year(self, queryset, name, value):
        return super().filter_school_year(queryset, name, value)


class ContractListView(ApiListView):
    """Contracts the key's user sees, filtered as the list page filters them."""

    filterset_class = ApiContractFilter
    serializer_class = s.ContractSerializer

    def get_queryset(self):
        return selectors.contract_list(self.request.user)

    @extend_schema(tags=TAG, summary="Contrats d'apprentissage")
    def get(self, request):
        return self.list(request)

    @extend_schema(
        tags=TAG,
        summary="Enregistrer un contrat (personnel du lycée)",
        request=s.ContractCreateSerializer,
        responses={201: s.ContractDetailSerializer},
    )
    def post(self, request):
        if not (is_lycee_staff(request.user) or permissions.is_apprenticeship_officer(request.user)):
            raise PermissionDenied
        data = self.bind(ContractForm, request.data, user=request.user)
        contract = services.contract_register(actor=request.user, **data)
        return Response(contract_detail(selectors.contract_get(request.user, contract.pk)), status=201)


def contract_detail(contract) -> dict:
    return s.ContractDetailSerializer(contract, context={"checks": selectors.contract_checks(contract)}).data


class ContractDetailView(ApiView):
    @extend_schema(tags=TAG, summary="Un contrat", responses=s.ContractDetailSerializer)
    def get(self, request, pk):
        return Response(contract_detail(selectors.contract_get(request.user, pk)))


class ScheduleView(ApiView):
    @extend_schema(
        tags=TAG,
        summary="Échéancier mensuel d'un contrat",
        description="Chaque mois du contrat : nombre indice, SSM, taux, montant dû, à côté du dernier relevé "
        "et des versements enregistrés (arriérés des mois échus).",
        responses=s.ScheduleSerializer,
    )
    def get(self, request, pk):
        contract = selectors.contract_get(request.user, pk)
        schedule = selectors.schedule_compute(contract=contract)
        comparison = selectors.schedule_compare(contract=contract, schedule=schedule)
        data = {
            "contract": contract.pk,
            "error": schedule.error,
            "total_amount": schedule.total_due,
            "total_adult_reimbursement": schedule.total_reimbursement,
            "months": comparison.rows,
        }
        return Response(s.ScheduleSerializer(data).data)


class StatementListView(ApiView):
    @extend_schema(tags=TAG, summary="Relevés émis pour un contrat", responses=s.StatementSerializer(many=True))
    def get(self, request, pk):
        contract = selectors.contract_get(request.user, pk)
        statements = selectors.statement_list(request.user).filter(contract=contract).order_by("-issued_at", "-pk")
        return Response(s.StatementSerializer(statements, many=True).data)


class PaymentView(ApiView):
    @extend_schema(tags=TAG, summary="Versements enregistrés", responses=s.PaymentSerializer(many=True))
    def get(self, request, pk):
        contract = selectors.contract_get(request.user, pk)
        payments = sorted(selectors.payment_list(contract).values(), key=lambda p: p.month)
        return Response(s.PaymentSerializer(payments, many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Enregistrer un versement (employeur)",
        description="APP-9 : le montant versé pour un mois échu ; un versement inférieur au minimum fait "
        "apparaître le reste dû. Renvoyer le même versement ne change rien.",
        request=s.PaymentCreateSerializer,
        responses={201: s.PaymentSerializer},
    )
    def post(self, request, pk):
        contract = selectors.contract_get(request.user, pk)
        data = self.bind(PaymentForm, request.data)
        payment = services.payment_record(actor=request.user, contract=contract, **data)
        return Response(s.PaymentSerializer(payment).data, status=201)
