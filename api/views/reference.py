"""Public reference data: index and SSM in force, the calculator, cross-border formations, BTS rates."""

from __future__ import annotations

from types import SimpleNamespace

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from apprenticeship import rules as apprenticeship_rules
from apprenticeship import selectors as apprenticeship_selectors
from apprenticeship.forms import CalculatorForm
from bts_fees import selectors as bts_selectors
from core import selectors as core_selectors

from .. import serializers as s
from ..base import PublicApiView
from ..errors import NON_FIELD
from ..forms import OnDateForm

ON = OpenApiParameter("on", str, description="date (AAAA-MM-JJ) ; aujourd'hui par défaut", required=False)


class IndexView(PublicApiView):
    @extend_schema(tags=["référence"], parameters=[ON], responses=s.IndexSerializer, summary="Nombre indice en vigueur")
    def get(self, request):
        on = self.bind(OnDateForm, request.query_params)["on"]
        row = core_selectors.index_in_force(on)
        data = {"on": on, "value": row.value, "valid_from": row.valid_from, "source": row.source}
        return Response(s.IndexSerializer(data).data)


class SsmView(PublicApiView):
    @extend_schema(
        tags=["référence"], parameters=[ON], responses=s.SsmSerializer, summary="Salaire social minimum en vigueur"
    )
    def get(self, request):
        on = self.bind(OnDateForm, request.query_params)["on"]
        return Response(s.SsmSerializer(core_selectors.ssm_in_force(on)).data)


class CalculatorView(PublicApiView):
    @extend_schema(
        tags=["apprentissage"],
        summary="Calculateur de l'indemnité d'apprentissage",
        description="Le montant dû pour un mois complet, étape par étape, comme la page du calculateur.",
        parameters=[
            OpenApiParameter("trade", str, description="code du métier (ou `formation`)"),
            OpenApiParameter("formation", int, description="identifiant de la formation transfrontalière"),
            OpenApiParameter("training_year", int, required=True, description="année de formation (1 à 4)"),
            OpenApiParameter("month", str, required=True, description="mois AAAA-MM"),
            OpenApiParameter("pii", bool, description="PII réussi"),
            OpenApiParameter("adult", bool, description="apprenti adulte"),
        ],
        responses=s.CalculationSerializer,
    )
    def get(self, request):
        query = request.query_params.copy()
        query["kind"] = (
            CalculatorForm.KIND_FORMATION
            if query.get("formation") and not query.get("trade")
            else CalculatorForm.KIND_TRADE
        )
        data = self.bind(CalculatorForm, query)
        calculation = apprenticeship_selectors.calculator_compute(
            month=data["month"],
            training_year=data["training_year"],
            trade=data["trade"] if data["kind"] == CalculatorForm.KIND_TRADE else None,
            formation=data["formation"] if data["kind"] == CalculatorForm.KIND_FORMATION else None,
            pii=data["pii"],
            adult=data["adult"],
        )
        payload = SimpleNamespace(
            **{f: getattr(calculation, f) for f in calculation.__dataclass_fields__},
            amount=calculation.adult_amount if calculation.adult else calculation.monthly_amount,
            steps=apprenticeship_selectors.calculator_steps(calculation),
        )
        return Response(s.CalculationSerializer(payload).data)


class CrossBorderFormationsView(PublicApiView):
    @extend_schema(
        tags=["apprentissage"],
        summary="Formations transfrontalières et leur indemnité",
        description="Une ligne par formation proposée à la date et par année de formation (APP-5).",
        parameters=[ON],
        responses=s.FormationRateSerializer(many=True),
    )
    def get(self, request):
        on = self.bind(OnDateForm, request.query_params)["on"]
        index = core_selectors.index_in_force(on)
        rows = [
            SimpleNamespace(
                formation=rate.formation,
                training_year=rate.training_year,
                amount_at_100=rate.amount_at_100,
                amount=apprenticeship_rules.cross_border_indemnity(rate.amount_at_100, index.value),
                index=index.value,
                valid_from=rate.valid_from,
                source=rate.source,
            )
            for rate in apprenticeship_selectors.formation_rates_in_force(on)
        ]
        return Response(s.FormationRateSerializer(rows, many=True).data)


class BtsRatesView(PublicApiView):
    @extend_schema(
        tags=["BTS"],
        summary="Taux des actes BTS",
        description="Chaque acte avec son taux au nombre indice 100 en vigueur et sa valeur à l'indice (BTS-1).",
        parameters=[ON],
        responses=s.BtsRateSerializer(many=True),
    )
    def get(self, request):
        on = self.bind(OnDateForm, request.query_params)["on"]
        table = bts_selectors.rate_table(on)
        if table["index"] is None:
            raise exceptions.ValidationError({NON_FIELD: [table["missing"]]})
        rows = [
            SimpleNamespace(
                act=row.act,
                rate_at_100=row.rate_at_100,
                amount=row.amount,
                index=table["index"].value,
                valid_from=row.valid_from,
                source=row.source,
            )
            for row in table["juries"] + table["external"]
            if row.rate_at_100 is not None
        ]
        return Response(s.BtsRateSerializer(rows, many=True).data)
