"""Officers maintain the reference data here (trades, rates, CIG formations, employers and their
approvals), with its history. Contracts are handled in the application's screens."""

from django.contrib import admin

from core.admin import BaremeAdmin, BaremeInline, EffectiveDatedAdmin, EffectiveDatedInline, FrozenAdmin

from .enums import ReformStatus
from .models import (
    AidRequest,
    Apprentice,
    Approval,
    Contract,
    CrossBorderFormation,
    CrossBorderRate,
    Employer,
    Payment,
    ReformRate,
    ReformScenario,
    ReformSimulation,
    Statement,
    StatementLine,
    Trade,
    TradeRate,
    TrainingYear,
)


class TradeRateInline(EffectiveDatedInline):
    model = TradeRate
    extra = 0
    fields = ["training_year", "rate_before_pii", "rate_after_pii", "valid_from", "valid_until", "is_demo", "source"]


@admin.register(Trade)
class TradeAdmin(BaremeAdmin):
    list_display = ["code", "name", "diploma", "duration_years", "sector"]
    list_filter = ["diploma", "sector"]
    search_fields = ["code", "name"]
    inlines = [TradeRateInline]


@admin.register(TradeRate)
class TradeRateAdmin(EffectiveDatedAdmin):
    list_display = [
        "trade",
        "training_year",
        "rate_before_pii",
        "rate_after_pii",
        "valid_from",
        "valid_until",
        "source",
    ]
    list_filter = ["trade__diploma", "is_demo"]
    list_select_related = ["trade"]


class CrossBorderRateInline(EffectiveDatedInline):
    model = CrossBorderRate
    extra = 0
    fields = ["training_year", "amount_at_100", "valid_from", "valid_until", "source"]


@admin.register(CrossBorderFormation)
class CrossBorderFormationAdmin(BaremeAdmin):
    list_display = ["title", "level", "duration_years", "offered_from", "offered_until"]
    list_filter = ["level"]
    search_fields = ["title"]
    inlines = [CrossBorderRateInline]


@admin.register(CrossBorderRate)
class CrossBorderRateAdmin(EffectiveDatedAdmin):
    list_display = ["formation", "training_year", "amount_at_100", "valid_from", "valid_until", "source"]
    list_select_related = ["formation"]


class ApprovalInline(BaremeInline):
    model = Approval


@admin.register(Employer)
class EmployerAdmin(BaremeAdmin):
    list_display = ["name", "registration_number"]
    search_fields = ["name", "registration_number"]
    filter_horizontal = ["accounts"]
    inlines = [ApprovalInline]


@admin.register(Approval)
class ApprovalAdmin(BaremeAdmin):
    list_display = ["employer", "trade", "reference", "granted_on", "valid_until"]
    list_select_related = ["employer", "trade"]


@admin.register(Apprentice)
class ApprenticeAdmin(FrozenAdmin):
    """Apprentices are registered and corrected with their contract (contract_register/update)."""

    list_display = ["last_name", "first_name", "birth_date"]
    search_fields = ["last_name", "first_name"]


@admin.register(Contract)
class ContractAdmin(FrozenAdmin):
    list_display = ["reference", "apprentice", "employer", "school", "trade", "formation", "status", "start_date"]
    list_filter = ["status"]
    list_select_related = ["apprentice", "employer", "school", "trade", "formation"]
    search_fields = ["reference", "apprentice__last_name"]


for model in (TrainingYear, Payment, Statement, StatementLine, AidRequest):
    admin.site.register(model, FrozenAdmin)


# -- reform scenarios: drafts are entered here; adoption goes through its service (journal) -------


class ReformRateInline(BaremeInline):
    model = ReformRate
    extra = 0
    fields = ["programme", "duration_years", "training_year", "basis", "value_before_pii", "value_after_pii"]

    def _draft(self, obj) -> bool:
        return obj is None or obj.status == ReformStatus.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


@admin.register(ReformScenario)
class ReformScenarioAdmin(BaremeAdmin):
    """A draft is edited freely (it changes no amount); an adopted scenario is read-only: its
    rates are reference data now, changed only as effective-dated periods."""

    list_display = ["name", "status", "effective_from", "difference_payer", "trainer_bonus_amount"]
    list_filter = ["status"]
    fields = [
        "name",
        "effective_from",
        "legal_source",
        "keep_higher",
        "difference_payer",
        "trainer_bonus_amount",
    ]
    inlines = [ReformRateInline]

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.status == ReformStatus.DRAFT) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.status == ReformStatus.DRAFT) and super().has_delete_permission(request, obj)


admin.site.register(ReformSimulation, FrozenAdmin)
