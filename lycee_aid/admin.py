"""Django admin of the ARE: reference data editable, computed and certified records read-only
(they change only through the services, which check, lock and journal)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SchoolYear)
class SchoolYearAdmin(ReadOnlyAdmin):
    list_display = [
        "start_year",
        "forfait_amount",
        "forfait_prepa_metiers_amount",
        "forfait_cpge_amount",
        "order_reference",
        "campaign_status",
    ]


@admin.register(CpiValue)
class CpiValueAdmin(ReadOnlyAdmin):
    list_display = ["series_id", "base", "month", "value"]
    list_filter = ["series_id", "base"]


@admin.register(EligibleFormation)
class EligibleFormationAdmin(ReadOnlyAdmin):
    list_display = ["school_year", "level", "nsf_code", "diploma_code", "title"]
    list_filter = ["school_year", "level"]
    search_fields = ["diploma_code", "title", "nsf_code"]


@admin.register(SchoolSituation)
class SchoolSituationAdmin(ReadOnlyAdmin):
    list_display = ["school", "school_year", "scholarship_count", "school_enrolments", "survey_answered"]
    list_select_related = ["school", "school_year"]


@admin.register(CarryOver)
class CarryOverAdmin(ReadOnlyAdmin):
    list_display = ["school", "school_year", "envelope", "amount", "origin"]
    list_select_related = ["school", "school_year"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["school", "formation", "first_year_count"]
    list_select_related = ["school", "formation"]
    search_fields = ["school__code", "formation__diploma_code"]


class DotationLineInline(admin.TabularInline):
    model = DotationLine
    extra = 0
    can_delete = False
    fields = ["envelope", "nsf_code", "diploma_code", "title", "enrolments", "forfait_amount", "gross_amount"]
    readonly_fields = fields


@admin.register(Dotation)
class DotationAdmin(ReadOnlyAdmin):
    list_display = ["school", "school_year", "status", "pre_bac_due_amount", "post_bac_due_amount", "total_due_amount"]
    list_filter = ["school_year", "status"]
    list_select_related = ["school", "school_year"]
    inlines = [DotationLineInline]


@admin.register(SupplementaryRequest)
class SupplementaryRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "school", "school_year", "status", "total_amount"]
    list_select_related = ["school", "school_year"]


@admin.register(UsageReport)
class UsageReportAdmin(ReadOnlyAdmin):
    list_display = ["school", "school_year", "remaining_pre_bac_amount", "remaining_post_bac_amount"]
    list_select_related = ["school", "school_year"]


@admin.register(CpgeAidRequest)
class CpgeAidRequestAdmin(ReadOnlyAdmin):
    list_display = ["pupil_last_name", "school", "school_year", "aid_amount"]
    list_select_related = ["school", "school_year"]
