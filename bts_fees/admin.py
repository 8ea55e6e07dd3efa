"""Django admin of bts_fees: officers maintain the act catalogue and its effective-dated rates here.

Declarations are read-only in the admin: their state changes only through the services.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import EffectiveDatedAdmin, EffectiveDatedInline

from .models import (
    AcademicYear,
    Act,
    ActRate,
    Appointment,
    Body,
    ConflictDeclaration,
    Declaration,
    DeclarationLine,
    ExamPaper,
    LecturerContract,
    Person,
    Programme,
    Statement,
    StatementLine,
)


class ActRateInline(EffectiveDatedInline):
    model = ActRate
    fields = ["valid_from", "valid_until", "rate_at_100", "source"]


@admin.register(Act)
class ActAdmin(SimpleHistoryAdmin):
    list_display = ["code", "section", "body_kind", "label", "detail", "unit", "daily_max", "paid_once"]
    list_filter = ["section", "body_kind"]
    search_fields = ["code", "label"]
    inlines = [ActRateInline]


@admin.register(ActRate)
class ActRateAdmin(EffectiveDatedAdmin):
    list_display = ["act", "valid_from", "valid_until", "rate_at_100"]
    list_filter = ["act__section"]


@admin.register(AcademicYear)
class AcademicYearAdmin(SimpleHistoryAdmin):
    list_display = ["label", "start_date", "second_semester_from", "end_date"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "school", "admissibility_notified_on", "accredited_from", "accredited_until"]
    list_filter = ["school"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "school", "clq_level", "regulated_level"]
    search_fields = ["last_name", "first_name", "email"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "label", "programme", "school", "academic_year"]
    list_filter = ["kind", "academic_year", "school"]


@admin.register(Appointment)
class AppointmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "body", "role", "order_reference", "order_date"]
    list_select_related = ["person", "body", "body__academic_year", "body__programme", "body__school"]


class DeclarationLineInline(admin.TabularInline):
    model = DeclarationLine
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in DeclarationLine._meta.fields]


class ExamPaperInline(admin.TabularInline):
    model = ExamPaper
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in ExamPaper._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Declaration)
class DeclarationAdmin(SimpleHistoryAdmin):
    list_display = ["id", "body", "period_label", "status", "total_amount"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Declaration._meta.fields]
    inlines = [ExamPaperInline, DeclarationLineInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LecturerContract)
class LecturerContractAdmin(SimpleHistoryAdmin):
    list_display = ["person", "programme", "academic_year", "category", "start_date"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "programme", "student", "relationship", "declared_on"]


class StatementLineInline(admin.TabularInline):
    model = StatementLine
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in StatementLine._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    """Issued statements are frozen: read-only in the admin (issued only through the service)."""

    list_display = ["reference", "person", "academic_year", "issued_at", "total_amount"]
    readonly_fields = [f.name for f in Statement._meta.fields]
    inlines = [StatementLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
