"""Output shapes of the API (and the request bodies the schema documents).

Serializers here only *present* what selectors and services return: amounts as strings with two
decimals, months YYYY-MM, ISO dates. Input is validated by the apps' own forms (api.base.bind),
so the API and the pages accept and refuse the same things with the same messages.
"""

from __future__ import annotations

from rest_framework import serializers

from .fields import Amount, Decimal2, Decimal4, MonthField

# -- reference data (public) ---------------------------------------------------------------------


class IndexSerializer(serializers.Serializer):
    on = serializers.DateField()
    index = Decimal2(source="value")
    valid_from = serializers.DateField()
    source = serializers.CharField()


class SsmSerializer(serializers.Serializer):
    on = serializers.DateField()
    ssm_at_100 = Decimal2(source="amount_at_100")
    index = Decimal2()
    ssm = Amount(source="amount")
    source = serializers.CharField(source="ssm_source")
    valid_from = serializers.DateField(source="ssm_valid_from")
    index_valid_from = serializers.DateField()


class StepSerializer(serializers.Serializer):
    label = serializers.CharField()
    formula = serializers.CharField(allow_blank=True)
    value = serializers.CharField(help_text="le résultat de l'étape, tel que calculé")

    def to_representation(self, instance):
        return {"label": instance.label, "formula": instance.formula, "value": str(instance.value)}


class CalculationSerializer(serializers.Serializer):
    month = MonthField()
    programme = serializers.CharField()
    diploma = serializers.CharField()
    training_year = serializers.IntegerField()
    pii = serializers.BooleanField()
    adult = serializers.BooleanField()
    amount = Amount(help_text="ce qui est dû à l'apprenti pour le mois (le SSM pour un apprenti adulte)")
    monthly_indemnity = Amount(source="monthly_amount")
    index = Decimal2(source="ssm.index")
    ssm = Amount(source="ssm.amount")
    ssm_at_100 = Decimal2(source="ssm.amount_at_100")
    rate_percent = Decimal2(allow_null=True)
    amount_at_100 = Decimal4(allow_null=True)
    adult_reimbursement = Amount(source="reimbursement_amount", allow_null=True)
    rate_source = serializers.CharField()
    rate_is_demo = serializers.BooleanField()
    steps = StepSerializer(many=True)


class FormationRateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="formation.pk")
    title = serializers.CharField(source="formation.title")
    level = serializers.CharField(source="formation.level")
    duration_years = serializers.IntegerField(source="formation.duration_years")
    training_year = serializers.IntegerField()
    rate_at_100 = Decimal4(source="amount_at_100")
    amount = Amount()
    index = Decimal2()
    valid_from = serializers.DateField()
    source = serializers.CharField()


class BtsRateSerializer(serializers.Serializer):
    code = serializers.CharField(source="act.code")
    section = serializers.CharField(source="act.section")
    label = serializers.CharField(source="act.label")
    detail = serializers.CharField(source="act.detail")
    unit = serializers.CharField(source="act.unit")
    rate_at_100 = Decimal4()
    amount = Amount()
    index = Decimal2()
    valid_from = serializers.DateField()
    source = serializers.CharField()


# -- the caller ----------------------------------------------------------------------------------


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    schemes = serializers.ListField(child=serializers.CharField())
    schools = serializers.ListField(child=serializers.CharField(), help_text="codes des établissements rattachés")
    employers = serializers.ListField(child=serializers.CharField(), help_text="entreprises dont le compte relève")
