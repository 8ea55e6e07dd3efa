"""The Django admin of core: accounts, schools, effective-dated reference data, the journal (read-only)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .enums import Scheme
from .models import AuditEvent, LuxIndex, School, SocialMinimumWage, User
from .services import effective_dated_save


class EffectiveDatedAdmin(SimpleHistoryAdmin):
    """Reference data valid over periods: saved through `core.services.effective_dated_save`, which
    fits the period into its series (CORE-2: no overlap), locks it and writes the journal."""

    def save_model(self, request, obj, form, change):
        for note in effective_dated_save(actor=request.user, instance=obj):
            self.message_user(request, note, messages.INFO)


class EffectiveDatedInline(admin.TabularInline):
    """The periods of a series, listed under their parent; they are entered on their own page,
    where each new period is fitted into the series."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class UserAdminForm(forms.ModelForm):
    schemes = forms.MultipleChoiceField(
        label=_("dispositifs suivis"), choices=Scheme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = User
        fields = ["username", "role", "schools", "schemes"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    form = UserAdminForm
    list_display = ["username", "last_name", "first_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    filter_horizontal = ["schools", "groups", "user_permissions"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Rôle et périmètre"), {"fields": ["role", "schools", "schemes"]}),
    ]


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "country", "sector", "academy", "city"]
    list_filter = ["country", "sector", "academy"]
    search_fields = ["code", "name", "city"]


@admin.register(LuxIndex)
class LuxIndexAdmin(EffectiveDatedAdmin):
    list_display = ["valid_from", "value", "valid_until", "source"]
    date_hierarchy = "valid_from"


@admin.register(SocialMinimumWage)
class SocialMinimumWageAdmin(EffectiveDatedAdmin):
    list_display = ["valid_from", "amount_at_100", "valid_until", "source"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the journal is append-only."""

    list_display = ["at", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
