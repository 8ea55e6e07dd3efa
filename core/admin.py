"""Admin building blocks: every change the admin still allows is journaled; frozen, validated and
business records are read-only there (they change only through the services, which lock, check
and journal); history is shown, never reverted; an officer sees only the schemes they follow."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .enums import AuditAction, Scheme
from .models import AuditEvent, LuxIndex, School, SocialMinimumWage, User
from .selectors import audit_events_for, is_officer
from .services import audit_record, effective_dated_save, scheme_of


def _value(value):
    return value if isinstance(value, (int, bool, type(None))) else str(value)


# Never copied into the journal.
_SECRET_FIELDS = {"password"}


def _concrete_field(obj, name):
    """The stored field `name` of `obj`, or None for a form-only or many-to-many field."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete and not field.many_to_many else None


def _snapshot(obj, names) -> dict:
    """The concrete field values of `obj` among `names`, as JSON-friendly values."""
    data = {}
    for name in names:
        if name in _SECRET_FIELDS:
            continue
        field = _concrete_field(obj, name)
        if field is not None:
            data[name] = _value(field.value_from_object(obj))
    return data


class BaremeAdmin(SimpleHistoryAdmin):
    """The base of every admin page of the product.

    - History is shown, never reverted: simple-history's form view saves the old version whole
      (with no lock, no check and no journal) even when its button is hidden, so a POST to it is
      refused here whatever the settings say.
    - Deletion is refused: business records are ended or corrected through their services.
    - Every remaining add or change writes an AuditEvent (`core.admin_add` / `core.admin_change`).
    - An officer lists and opens only the records of the schemes they follow (administrators: all).
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return False

    # -- scope by scheme -----------------------------------------------------------------------

    def admin_scheme(self) -> str:
        return scheme_of(self.model)

    def in_scope(self, request) -> bool:
        scheme = self.admin_scheme()
        return is_officer(request.user, scheme or None)

    def has_module_permission(self, request):
        return self.in_scope(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.in_scope(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self.in_scope(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self.in_scope(request) and super().has_change_permission(request, obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if self.in_scope(request) else qs.none()

    # -- journal -------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        names = list(form.changed_data) if change else [f.name for f in obj._meta.concrete_fields]
        before = _snapshot(type(obj)._default_manager.get(pk=obj.pk), names) if change else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditAction.ADMIN_CHANGE if change else AuditAction.ADMIN_ADD,
            obj=obj,
            before=before,
            after=_snapshot(obj, names),
            reason=str(_("Modifié dans l'administration.")),
        )

    def save_formset(self, request, form, formset, change):
        changed = [(obj, names) for obj, names in getattr(formset, "changed_objects", [])]
        befores = {
            obj.pk: _snapshot(type(obj)._default_manager.get(pk=obj.pk), names) for obj, names in changed if obj.pk
        }
        super().save_formset(request, form, formset, change)
        for obj, names in changed:
            audit_record(
                actor=request.user,
                action=AuditAction.ADMIN_CHANGE,
                obj=obj,
                before=befores.get(obj.pk),
                after=_snapshot(obj, names),
                reason=str(_("Modifié dans l'administration.")),
            )
        for obj in getattr(formset, "new_objects", []):
            audit_record(
                actor=request.user,
                action=AuditAction.ADMIN_ADD,
                obj=obj,
                after=_snapshot(obj, [f.name for f in obj._meta.concrete_fields]),
                reason=str(_("Ajouté dans l'administration.")),
            )


class FrozenAdmin(BaremeAdmin):
    """Records that change only through the services (contracts, payments, declarations, voted
    dotations, issued statements…): listed and shown, never added, changed or deleted here."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BaremeInline(admin.TabularInline):
    """Inline rows are never deleted from the admin either (their changes are journaled by the parent)."""

    extra = 0
    can_delete = False


class FrozenInline(BaremeInline):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EffectiveDatedAdmin(BaremeAdmin):
    """Reference data valid over periods: saved only through `core.services.effective_dated_save`,
    which fits the period into its series (CORE-2: no overlap), locks it and writes the journal."""

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        for note in effective_dated_save(actor=request.user, instance=obj):
            self.message_user(request, note, messages.INFO)


class EffectiveDatedInline(FrozenInline):
    """The periods of a series, listed under their parent; they are entered on their own page,
    where each new period is fitted into the series."""

    show_change_link = True


class UserAdminForm(forms.ModelForm):
    schemes = forms.MultipleChoiceField(
        label=_("dispositifs suivis"), choices=Scheme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = User
        fields = ["username", "role", "schools", "schemes"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, BaremeAdmin):
    form = UserAdminForm
    list_display = ["username", "last_name", "first_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    filter_horizontal = ["schools", "groups", "user_permissions"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Rôle et périmètre"), {"fields": ["role", "schools", "schemes"]}),
    ]
    actions = ["issue_second_factor_link"]

    @admin.action(description=_("Émettre un lien d'enrôlement du second facteur"))
    def issue_second_factor_link(self, request, queryset):
        from .two_factor import enrolment_link_issue

        for user in queryset:
            link = request.build_absolute_uri(enrolment_link_issue(actor=request.user, user=user))
            self.message_user(
                request,
                _("Lien d'enrôlement de %(user)s, à lui transmettre par un autre canal que son mot de passe : %(link)s")
                % {"user": user.username, "link": link},
                messages.INFO,
            )


@admin.register(School)
class SchoolAdmin(BaremeAdmin):
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

    list_display = ["at", "actor", "action", "scheme", "object_type", "object_repr"]
    list_filter = ["scheme", "action", "object_type"]
    search_fields = ["object_repr", "reason"]

    def get_queryset(self, request):
        """An officer reads the events of the schemes they follow, as on the journal page."""
        return audit_events_for(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
