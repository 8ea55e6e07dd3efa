"""CSV and XLSX files that French spreadsheets open as they are, by double-click.

CSV as Excel and LibreOffice expect it in a French locale: `;` between cells, UTF-8 with a byte
order mark (without it Excel reads the accents as Windows-1252), decimal comma without grouping,
dates JJ/MM/AAAA, booleans « oui »/« non ». XLSX with real numbers and dates carrying a number
format (not text), a named sheet, headers in sentence case, a frozen header row and columns as
wide as their content. In both, a text a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?[\d\s\u00a0\u202f.,]+(\s?[€%])?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
_FRENCH_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")

MONEY_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
SHEET_NAME_MAX = 31  # Excel refuses longer sheet names
WIDTH_MAX = 60


def neutralise_formula(value):
    """Prefix with a quote any text a spreadsheet would run as a formula (= + - @).

    Plain numbers such as "-12,50" are left alone: they are values, not formulas.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def typed(value):
    """A cell's value as a spreadsheet type: Decimal/int, date, datetime (local, naive), bool, or text.

    Table columns export dates as ISO text and booleans as "True"/"False" (django-tables2): those
    are read back into their type so that both formats can write them the French way.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (Decimal, int)):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    text = str(value)
    if text in ("True", "False"):
        return text == "True"
    if _ISO_DATE.match(text):
        return date.fromisoformat(text)
    if _ISO_DATETIME.match(text):
        return typed(datetime.fromisoformat(text.replace("Z", "+00:00")))
    match = _FRENCH_DATE.match(text)
    if match:
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return text
    return text


def sentence_case(header) -> str:
    text = str(header or "").strip()
    return text[:1].upper() + text[1:]


def csv_cell(value) -> str:
    value = typed(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return neutralise_formula(value)


def to_csv(headers, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_formula(sentence_case(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def sheet_name(name: str) -> str:
    """A valid Excel sheet name from an export name: « campagne-are » → « Campagne are »."""
    text = re.sub(r"[\[\]:*?/\\']", " ", str(name or "")).replace("-", " ").replace("_", " ")
    text = sentence_case(re.sub(r"\s+", " ", text).strip()) or "Export"
    return text[:SHEET_NAME_MAX]


def to_xlsx(headers, rows, *, sheet: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet_name(sheet)
    header_row = [neutralise_formula(sentence_case(h)) for h in headers]
    worksheet.append(header_row)
    widths = [len(h) for h in header_row]
    for row in rows:
        values = []
        for k, cell in enumerate(row):
            value = typed(cell)
            if isinstance(value, bool):
                value = "oui" if value else "non"
            elif isinstance(value, str):
                value = neutralise_formula(value)
            values.append(value)
            if k < len(widths):
                widths[k] = max(widths[k], len(csv_cell(value)) + (3 if isinstance(value, Decimal) else 0))
        worksheet.append(values)
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in worksheet.iter_rows(min_row=2):
        for cell in row:
            value = cell.value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, Decimal):
                places = max(2, -value.as_tuple().exponent) if isinstance(value.as_tuple().exponent, int) else 2
                cell.number_format = MONEY_FORMAT if places == 2 else "#,##0." + "0" * places
            elif isinstance(value, int):
                cell.number_format = INTEGER_FORMAT
    for k, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(k)].width = min(WIDTH_MAX, width + 2)
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_export_job(*, job, progress, view: str, path: str, query: dict, url_kwargs: dict, export_format: str):
    """A large CSV/XLSX export of a `FilteredTableView`, as the job's owner would get it from the page.

    The view itself scopes (its selector, with `request.user` = the owner), filters and builds the
    table: the rows are those the owner sees today, not those of whoever runs the worker.
    """
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.utils.module_loading import import_string

    request = RequestFactory().get(path, query)
    request.user = job.owner
    instance = import_string(view)()
    instance.setup(request, **url_kwargs)
    if hasattr(instance, "has_role") and not instance.has_role(job.owner):
        raise PermissionDenied
    instance.filterset = instance.get_filterset(instance.get_filterset_class())
    if instance.filterset.is_valid() or not instance.get_strict():
        instance.object_list = instance.filterset.qs
    else:
        instance.object_list = instance.filterset.queryset.none()
    progress(0, 1)
    exporter = instance.export_class(
        export_format=export_format,
        table=instance.get_table(**instance.get_table_kwargs()),
        exclude_columns=instance.exclude_columns,
        dataset_kwargs=instance.get_dataset_kwargs(),
    )
    content = exporter.export()
    progress(1, 1)
    return instance.get_export_filename(export_format), content
