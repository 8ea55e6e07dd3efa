"""Output shapes of the API (and the request bodies the schema documents).

Serializers here only *present* what selectors and services return: amounts as strings with two
decimals, months YYYY-MM, ISO dates. Input is validated by the apps' own forms (api.base.bind),
so the API and the pages accept and refuse the same things with the same messages.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
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


# -- apprenticeship ------------------------------------------------------------------------------


def masked_national_id(value: str) -> str:
    """The national identifier as lists show it (core's `masked` filter): the last four digits."""
    from core.templatetags.bareme import masked

    return masked(value)


class ContractSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    apprentice = serializers.SerializerMethodField()
    apprentice_national_id = serializers.SerializerMethodField(help_text="masqué : seuls les 4 derniers chiffres")
    employer = serializers.CharField(source="employer.name")
    school = serializers.CharField(source="school.name")
    trade = serializers.CharField(source="trade.code", allow_null=True, default=None)
    formation = serializers.IntegerField(source="formation_id", allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()

    def get_apprentice(self, contract) -> str:
        return f"{contract.apprentice.last_name.upper()} {contract.apprentice.first_name}"

    def get_apprentice_national_id(self, contract) -> str:
        return masked_national_id(contract.apprentice.national_id)


class ContractDetailSerializer(ContractSerializer):
    school_id = serializers.IntegerField()
    employer_id = serializers.IntegerField()
    first_training_year = serializers.IntegerField()
    is_adult = serializers.BooleanField()
    pii_notified_on = serializers.DateField(allow_null=True)
    signed_on = serializers.DateField(allow_null=True)
    chamber_registered_on = serializers.DateField(allow_null=True)
    chamber_reference = serializers.CharField()
    tutor_name = serializers.CharField()
    ended_on = serializers.DateField(allow_null=True)
    checks = serializers.SerializerMethodField(help_text="contrôles APP-8 non satisfaits : {contrôle: message}")

    def get_checks(self, contract) -> dict[str, str]:
        return {str(k): str(v) for k, v in self.context["checks"].items()}


class ContractCreateSerializer(serializers.Serializer):
    """The registration form of the pages (same checks, same messages)."""

    last_name = serializers.CharField(max_length=100)
    first_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField()
    national_id = serializers.RegexField(r"^\d{13}$")
    school = serializers.IntegerField()
    employer = serializers.IntegerField()
    trade = serializers.IntegerField(required=False, help_text="identifiant du métier (ou formation)")
    formation = serializers.IntegerField(required=False)
    first_training_year = serializers.IntegerField(min_value=1, max_value=4)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    signed_on = serializers.DateField(required=False)
    tutor_name = serializers.CharField(max_length=200)
    tutor_qualification = serializers.CharField(max_length=200)
    chamber_registered_on = serializers.DateField(required=False)
    chamber_reference = serializers.CharField(max_length=50, required=False)
    is_adult = serializers.BooleanField(required=False)


class ScheduleMonthSerializer(serializers.Serializer):
    month = MonthField(source="line.month")
    training_year = serializers.IntegerField(source="line.training_year")
    days_covered = serializers.IntegerField(source="line.days_covered")
    days_in_month = serializers.IntegerField(source="line.days_in_month")
    index = Decimal2(source="line.index")
    ssm_at_100 = Decimal2(source="line.ssm_at_100")
    ssm = Amount(source="line.ssm")
    rate_percent = Decimal2(source="line.rate_percent", allow_null=True)
    amount_at_100 = Decimal4(source="line.amount_at_100", allow_null=True)
    pii = serializers.BooleanField(source="line.pii")
    adult = serializers.BooleanField(source="line.adult")
    monthly_amount = Amount(source="line.monthly_amount", help_text="indemnité d'un mois complet")
    standard_amount = Amount(source="line.standard_amount", help_text="indemnité des jours couverts (APP-4)")
    adult_reimbursement = Amount(source="line.reimbursement_amount")
    amount = Amount(source="line.due_amount", help_text="ce que l'employeur doit à l'apprenti pour le mois")
    issued_amount = Amount(source="issued_due", allow_null=True, help_text="selon le dernier relevé émis")
    paid_amount = Amount(source="paid", allow_null=True)
    difference = Amount(allow_null=True, help_text="calcul actuel − dernier relevé (arriérés), mois échus")
    shortfall = Amount(allow_null=True, help_text="reste dû sur un versement inférieur au minimum (APP-9)")
    due = serializers.BooleanField(help_text="mois échu")


class ScheduleSerializer(serializers.Serializer):
    contract = serializers.IntegerField()
    error = serializers.CharField(allow_blank=True)
    total_amount = Amount()
    total_adult_reimbursement = Amount()
    months = ScheduleMonthSerializer(many=True)


class StatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    contract = serializers.IntegerField(source="contract_id")
    issued_at = serializers.DateTimeField()
    total_due_amount = Amount()
    total_reimbursement_amount = Amount()


class PaymentSerializer(serializers.Serializer):
    month = MonthField()
    paid_amount = Amount()
    due_amount = Amount(help_text="montant dû calculé lors de la saisie")
    index = Decimal2()
    recorded_at = serializers.DateTimeField()


class PaymentCreateSerializer(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="AAAA-MM")
    paid_amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True)


# -- ARE (lycee_aid) -----------------------------------------------------------------------------


class EnrolmentSerializer(serializers.Serializer):
    formation = serializers.IntegerField(source="pk")
    diploma_code = serializers.CharField()
    nsf_code = serializers.CharField()
    level = serializers.CharField()
    title = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="effectif de première année n-1 (null : non saisi)")


class EnrolmentsSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    uai = serializers.CharField()
    school_year = serializers.CharField()
    changed = serializers.IntegerField(required=False, help_text="lignes modifiées par la requête")
    enrolments = EnrolmentSerializer(many=True)


class EnrolmentRowSerializer(serializers.Serializer):
    uai = serializers.CharField(required=False, help_text="UAI du lycée (celui de l'adresse par défaut)")
    diploma_code = serializers.CharField(help_text="code diplôme à 8 chiffres de la liste des formations éligibles")
    count = serializers.IntegerField(min_value=0, help_text="effectif de première année n-1")


class EnrolmentsPutSerializer(serializers.Serializer):
    enrolments = EnrolmentRowSerializer(many=True)


class DotationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    school = serializers.IntegerField(source="school_id")
    uai = serializers.CharField(source="school.code")
    school_name = serializers.CharField(source="school.name")
    school_year = serializers.CharField(source="school_year.label")
    status = serializers.CharField()
    survey_answered = serializers.BooleanField()
    prepa_metiers_count = serializers.IntegerField()
    pre_bac_count = serializers.IntegerField()
    post_bac_count = serializers.IntegerField()
    scholarship_holders = serializers.IntegerField()
    pre_bac_gross_amount = Amount()
    post_bac_gross_amount = Amount()
    carryover_pre_bac_amount = Amount()
    carryover_post_bac_amount = Amount()
    pre_bac_due_amount = Amount()
    post_bac_due_amount = Amount()
    total_due_amount = Amount()
    standing_committee_reference = serializers.CharField()


class CampaignTotalsSerializer(serializers.Serializer):
    pre_bac_gross_amount = Amount()
    post_bac_gross_amount = Amount()
    pre_bac_due_amount = Amount()
    post_bac_due_amount = Amount()
    total_due_amount = Amount()


class CampaignAcademySerializer(CampaignTotalsSerializer):
    academy = serializers.CharField()


class CampaignSerializer(serializers.Serializer):
    school_year = serializers.CharField()
    status = serializers.CharField()
    computed_at = serializers.DateTimeField(allow_null=True)
    standing_committee_reference = serializers.CharField()
    dotations = serializers.IntegerField()
    academies = CampaignAcademySerializer(many=True)
    total = CampaignTotalsSerializer()


# -- BTS -----------------------------------------------------------------------------------------


class DeclarationLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    appointment = serializers.IntegerField(source="appointment_id")
    person = serializers.CharField(source="appointment.person")
    act = serializers.CharField(source="act.code")
    act_date = serializers.DateField()
    quantity = Decimal2()
    student = serializers.CharField()
    rate_at_100 = Decimal4()
    index = Decimal2(source="index_value")
    unit_amount = Amount()
    line_amount = Amount()


class DeclarationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    body = serializers.IntegerField(source="body_id")
    body_kind = serializers.CharField(source="body.kind")
    school = serializers.IntegerField(source="body.school_id")
    academic_year = serializers.CharField(source="body.academic_year.label")
    period_label = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    candidates = serializers.IntegerField(allow_null=True)
    papers = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    attendance_sheet = serializers.SerializerMethodField(help_text="nom du fichier joint (vide : aucun)")
    total_amount = Amount(allow_null=True, help_text="arrêté à la soumission puis à la validation")
    reason = serializers.CharField()

    def get_attendance_sheet(self, declaration) -> str:
        return declaration.attendance_sheet_name if declaration.attendance_sheet else ""


class DeclarationDetailSerializer(DeclarationSerializer):
    lines = serializers.SerializerMethodField()

    @extend_schema_field(DeclarationLineSerializer(many=True))
    def get_lines(self, declaration):
        return DeclarationLineSerializer(self.context["lines"], many=True).data


class DeclarationCreateSerializer(serializers.Serializer):
    body = serializers.IntegerField(help_text="identifiant de l'instance")
    period_label = serializers.CharField(max_length=100)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    candidates = serializers.IntegerField(required=False, min_value=0)
    papers = serializers.IntegerField(required=False, min_value=1, max_value=2)


class LineCreateSerializer(serializers.Serializer):
    appointment = serializers.IntegerField(help_text="nomination du membre dans l'instance")
    act = serializers.IntegerField(help_text="identifiant de l'acte")
    act_date = serializers.DateField()
    quantity = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=True)
    student = serializers.CharField(required=False, max_length=150)
    paper = serializers.IntegerField(required=False)


class SheetUploadSerializer(serializers.Serializer):
    attendance_sheet = serializers.FileField(help_text="PDF, PNG ou JPEG, 10 Mo au plus")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class BulkValidateSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField())


class BulkValidateResultSerializer(serializers.Serializer):
    validated = serializers.ListField(child=serializers.IntegerField())
    errors = serializers.ListField(child=serializers.CharField())
