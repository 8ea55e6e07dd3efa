"""Django admin of the ARE: reference data editable, computed and certified records read-only
(they change only through the services, which check, lock and journal)."""

from django.contrib import admin

from core.admin import FrozenAdmin, FrozenInline

from .models import (
    CarryOver,
    CpgeAidRequest,
    CpiValue,
    Dotation,
    DotationLine,
    EligibleFormation,
    Enrolment,
    SchoolSituation,
    SchoolYear,
    SupplementaryRequest,
    UsageReport,
)


@admin.register(SchoolYear)
class SchoolYearAdmin(FrozenAdmin):
    list_display = [
        "start_year",
        "forfait_amount",
        "forfait_prepa_metiers_amount",
        "forfait_cpge_amount",
        "order_reference",
        "campaign_status",
    ]


@admin.register(CpiValue)
class CpiValueAdmin(FrozenAdmin):
    list_display = ["series_id", "base", "month", "value"]
    list_filter = ["series_id", "base"]


@admin.register(EligibleFormation)
class EligibleFormationAdmin(FrozenAdmin):
    list_display = ["school_year", "level", "nsf_code", "diploma_code", "title"]
    list_filter = ["school_year", "level"]
    search_fields = ["diploma_code", "title", "nsf_code"]


@admin.register(SchoolSituation)
class SchoolSituationAdmin(FrozenAdmin):
    list_display = ["school", "school_year", "scholarship_count", "school_enrolments", "survey_answered"]
    list_select_related = ["school", "school_year"]


@admin.register(CarryOver)
class CarryOverAdmin(FrozenAdmin):
    list_display = ["school", "school_year", "envelope", "amount", "origin"]
    list_select_related = ["school", "school_year"]


@admin.register(Enrolment)
class EnrolmentAdmin(FrozenAdmin):
    list_display = ["school", "formation", "first_year_count"]
    list_select_related = ["school", "formation"]
    search_fields = ["school__code", "formation__diploma_code"]


class DotationLineInline(FrozenInline):
    model = DotationLine
    fields = ["envelope", "nsf_code", "diploma_code", "title", "enrolments", "forfait_amount", "gross_amount"]
    readonly_fields = fields


@admin.register(Dotation)
class DotationAdmin(FrozenAdmin):
    list_display = ["school", "school_year", "status", "pre_bac_due_amount", "post_bac_due_amount", "total_due_amount"]
    list_filter = ["school_year", "status"]
    list_select_related = ["school", "school_year"]
    inlines = [DotationLineInline]


@admin.register(SupplementaryRequest)
class SupplementaryRequestAdmin(FrozenAdmin):
    list_display = ["pk", "school", "school_year", "status", "total_amount"]
    list_select_related = ["school", "school_year"]


@admin.register(UsageReport)
class UsageReportAdmin(FrozenAdmin):
    list_display = ["school", "school_year", "remaining_pre_bac_amount", "remaining_post_bac_amount"]
    list_select_related = ["school", "school_year"]


@admin.register(CpgeAidRequest)
class CpgeAidRequestAdmin(FrozenAdmin):
    list_display = ["pupil_last_name", "school", "school_year", "aid_amount"]
    list_select_related = ["school", "school_year"]
