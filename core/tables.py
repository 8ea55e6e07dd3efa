"""Table base classes: Bootstrap 5 tables, CSV/XLSX exports that never carry live formulas."""

from __future__ import annotations

import re

import django_tables2 as tables
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


class SafeTableExport(TableExport):
    """TableExport whose every cell has been neutralised (TRAPS: XLSX writes =HYPERLINK live)."""

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
    export_formats = (TableExport.CSV, TableExport.XLSX)
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

    def render_action(self, value):
        from .journal_words import action_label

        return action_label(value)

    def value_action(self, value):
        return self.render_action(value)

    def render_change(self, record):
        before, after = record.before or {}, record.after or {}
        keys = sorted(set(before) | set(after))
        return "; ".join(f"{k} : {before.get(k, '—')} → {after.get(k, '—')}" for k in keys) or "—"

    def value_change(self, record):
        return self.render_change(record)
