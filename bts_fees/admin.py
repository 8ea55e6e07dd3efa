"""Django admin of bts_fees: officers maintain the act catalogue, its effective-dated rates and the
academic years here. Everything the services create (programmes, people, bodies, appointments,
declarations, lecturer contracts, conflicts, statements) is read-only in the admin: it changes only
through the services, which check, lock and journal.
"""

from django.contrib import admin

from core.admin import BaremeAdmin, EffectiveDatedAdmin, EffectiveDatedInline, FrozenAdmin, FrozenInline

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
class ActAdmin(BaremeAdmin):
    list_display = ["code", "section", "body_kind", "label", "detail", "unit", "daily_max", "paid_once"]
    list_filter = ["section", "body_kind"]
    search_fields = ["code", "label"]
    inlines = [ActRateInline]


@admin.register(ActRate)
class ActRateAdmin(EffectiveDatedAdmin):
    list_display = ["act", "valid_from", "valid_until", "rate_at_100"]
    list_filter = ["act__section"]


@admin.register(AcademicYear)
class AcademicYearAdmin(BaremeAdmin):
    list_display = ["label", "start_date", "second_semester_from", "end_date"]


@admin.register(Programme)
class ProgrammeAdmin(FrozenAdmin):
    list_display = ["code", "title", "school", "admissibility_notified_on", "accredited_from", "accredited_until"]
    list_filter = ["school"]


@admin.register(Person)
class PersonAdmin(FrozenAdmin):
    list_display = ["last_name", "first_name", "school", "clq_level", "regulated_level"]
    search_fields = ["last_name", "first_name", "email"]


@admin.register(Body)
class BodyAdmin(FrozenAdmin):
    list_display = ["kind", "label", "programme", "school", "academic_year"]
    list_filter = ["kind", "academic_year", "school"]


@admin.register(Appointment)
class AppointmentAdmin(FrozenAdmin):
    list_display = ["person", "body", "role", "order_reference", "order_date"]
    list_select_related = ["person", "body", "body__academic_year", "body__programme", "body__school"]


class DeclarationLineInline(FrozenInline):
    model = DeclarationLine
    readonly_fields = [f.name for f in DeclarationLine._meta.fields]


class ExamPaperInline(FrozenInline):
    model = ExamPaper
    readonly_fields = [f.name for f in ExamPaper._meta.fields]


@admin.register(Declaration)
class DeclarationAdmin(FrozenAdmin):
    list_display = ["id", "body", "period_label", "status", "total_amount"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Declaration._meta.fields]
    inlines = [ExamPaperInline, DeclarationLineInline]


@admin.register(LecturerContract)
class LecturerContractAdmin(FrozenAdmin):
    list_display = ["person", "programme", "academic_year", "category", "start_date"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(FrozenAdmin):
    list_display = ["person", "programme", "student", "relationship", "declared_on"]


class StatementLineInline(FrozenInline):
    model = StatementLine
    readonly_fields = [f.name for f in StatementLine._meta.fields]


@admin.register(Statement)
class StatementAdmin(FrozenAdmin):
    """Issued statements are frozen: read-only in the admin (issued only through the service)."""

    list_display = ["reference", "person", "academic_year", "issued_at", "total_amount"]
    readonly_fields = [f.name for f in Statement._meta.fields]
    inlines = [StatementLineInline]
