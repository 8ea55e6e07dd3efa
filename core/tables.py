"""Table base classes: Bootstrap 5 tables, CSV/XLSX exports that never carry live formulas."""

from __future__ import annotations

import copy
import re

import django_tables2 as tables
from django_tables2 import RequestConfig
from django_tables2.export.export import TableExport
from django_tables2.export.views import ExportMixin

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?[\d\s\u00a0\u202f.,]+(\s?[€%])?$")


def neutralise_formula(value):
    """Prefix with a quote any text a spreadsheet would run as a formula (= + - @).

    Plain numbers such as "-12,50" are left alone: they are values, not formulas.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


# Lists show at most this many rows a page; more goes through the export.
MAX_PER_PAGE = 100
_POSITIVE = re.compile(r"[0-9]{1,9}", re.ASCII)


def _positive(text) -> int | None:
    return int(text) if isinstance(text, str) and _POSITIVE.fullmatch(text) and int(text) > 0 else None


class SafeRequestConfig(RequestConfig):
    """RequestConfig reading `page` and `per_page` strictly: `per_page` within 1..MAX_PER_PAGE
    (`-1` raised EmptyPage), a page of ASCII digits (else the first page)."""

    def configure(self, table):
        query = self.request.GET
        per_page_name, page_name = table.prefixed_per_page_field, table.prefixed_page_field
        if per_page_name in query or page_name in query:
            query = query.copy()
            per_page = _positive(query.get(per_page_name))
            query.pop(per_page_name, None)
            if per_page is not None:
                query[per_page_name] = str(min(per_page, MAX_PER_PAGE))
            if _positive(query.get(page_name)) is None:
                query.pop(page_name, None)
            request = copy.copy(self.request)
            request.GET = query
            self.request = request
        return super().configure(table)


class SafeTableExport(TableExport):
    """TableExport whose every cell has been neutralised (a spreadsheet runs a cell such as =HYPERLINK(…) as a formula).

    Only CSV and XLSX are offered, so only they are served: any other `?_export=` shows the page."""

    ALLOWED = (TableExport.CSV, TableExport.XLSX)

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in cls.ALLOWED

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        rows = [tuple(neutralise_formula(cell) for cell in row) for row in dataset]
        headers = [neutralise_formula(h) for h in (dataset.headers or [])]
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)
        return dataset


class SafeExportMixin(ExportMixin):
    export_class = SafeTableExport
    export_formats = SafeTableExport.ALLOWED
    export_name = "export"


class BaseTable(tables.Table):
    """Every list of the product: sortable, paginated by the view, exportable."""

    class Meta:
        template_name = "django_tables2/bootstrap5-responsive.html"
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Aucun élément ne correspond à ces critères."


class AuditEventTable(BaseTable):
    at = tables.DateTimeColumn(verbose_name="Date", format="d/m/Y H:i:s")
    actor = tables.Column(verbose_name="Auteur", accessor="actor__username", default="—")
    action = tables.Column(verbose_name="Action")
    object_repr = tables.Column(verbose_name="Objet")
    reason = tables.Column(verbose_name="Motif", default="")
    change = tables.Column(verbose_name="Modification", empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        from .models import AuditEvent

        model = AuditEvent
        fields = ["at", "actor", "action", "object_type", "object_repr", "change", "reason"]

    def render_change(self, record):
        before, after = record.before or {}, record.after or {}
        keys = sorted(set(before) | set(after))
        return "; ".join(f"{k} : {before.get(k, '—')} → {after.get(k, '—')}" for k in keys) or "—"

    def value_change(self, record):
        return self.render_change(record)
