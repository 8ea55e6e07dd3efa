"""View building blocks shared by the three apps: access by role, scoped filtered tables."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import ngettext
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .selectors import is_employer, is_lycee_staff, is_officer
from .tables import SafeExportMixin


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

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def render_to_response(self, context, **kwargs):
        """An export of more rows than `EXPORT_SYNC_MAX_ROWS` is built by a background job (the same
        view, scoped and filtered for the same user, run by a worker): the officer follows it on the
        job's page instead of waiting on a request that a proxy would cut."""
        export_format = self.request.GET.get(self.export_trigger_param)
        table = context.get("table")
        if (
            self.export_class.is_valid_format(export_format)
            and table is not None
            and len(table.data) > settings.EXPORT_SYNC_MAX_ROWS
        ):
            from .jobs import job_start
            from .views import job_redirect

            job = job_start(
                owner=self.request.user,
                label=ngettext(
                    "Export %(f)s « %(n)s » (%(c)s ligne)", "Export %(f)s « %(n)s » (%(c)s lignes)", len(table.data)
                )
                % {"f": export_format.upper(), "n": self.export_name, "c": len(table.data)},
                func="core.exports.table_export_job",
                kwargs={
                    "view": f"{type(self).__module__}.{type(self).__qualname__}",
                    "path": self.request.path,
                    "query": {k: self.request.GET.getlist(k) for k in self.request.GET},
                    "url_kwargs": dict(self.kwargs),
                    "export_format": export_format,
                },
            )
            return job_redirect(self.request, job)
        return super().render_to_response(context, **kwargs)
