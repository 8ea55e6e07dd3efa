"""View building blocks shared by the three apps: access by role, scoped filtered tables."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import ngettext
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .tables import SafeExportMixin, SafeRequestConfig
from .web import require_role


class RoleRequiredMixin:
    """Allow only some roles. `officer_scheme` restricts officers to those of one scheme.

    Objects are still scoped by the app's selectors: a role check is never enough on its own.
    """

    allow_officer = False
    allow_staff = False
    allow_employer = False
    officer_scheme: str | None = None

    def dispatch(self, request, *args, **kwargs):
        require_role(
            request.user,
            officer=(self.officer_scheme or True) if self.allow_officer else False,
            staff=self.allow_staff,
            employer=self.allow_employer,
        )
        return super().dispatch(request, *args, **kwargs)


class FilteredTableView(SafeExportMixin, SingleTableMixin, FilterView):
    """A scoped, filtered, sortable, paginated and exportable list.

    Subclasses set `table_class`, `filterset_class`, `template_name` and implement
    `get_queryset()` through the app's selector (never `Model.objects`).
    """

    table_pagination = {"per_page": 50}
    paginate_by = None  # set, the FilterView would paginate (and count) the rows a second time
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
