"""View building blocks shared by the three apps: access by role, scoped filtered tables."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .selectors import is_employer, is_lycee_staff, is_officer
from .tables import SafeExportMixin, SafeRequestConfig


class RoleRequiredMixin:
    """Allow only some roles. `officer_scheme` restricts officers to those of one scheme.

    Objects are still scoped by the app's selectors: a role check is never enough on its own.
    """

    allow_officer = False
    allow_staff = False
    allow_employer = False
    officer_scheme: str | None = None

    def has_role(self, user) -> bool:
        return (
            (self.allow_officer and is_officer(user, self.officer_scheme))
            or (self.allow_staff and is_lycee_staff(user))
            or (self.allow_employer and is_employer(user))
        )

    def dispatch(self, request, *args, **kwargs):
        if not self.has_role(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FilteredTableView(SafeExportMixin, SingleTableMixin, FilterView):
    """A scoped, filtered, sortable, paginated and exportable list.

    Subclasses set `table_class`, `filterset_class`, `template_name` and implement
    `get_queryset()` through the app's selector (never `Model.objects`).
    """

    table_pagination = {"per_page": 50}
    paginate_by = None  # TRAPS: paginate_by on a FilterView counts twice; table_pagination counts once
    strict = False

    def get_table(self, **kwargs):
        """As SingleTableMixin.get_table, with `page` and `per_page` read strictly."""
        table_class = self.get_table_class()
        table = table_class(data=self.get_table_data(), **kwargs)
        return SafeRequestConfig(self.request, paginate=self.get_table_pagination(table)).configure(table)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs
