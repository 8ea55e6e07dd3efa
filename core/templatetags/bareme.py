"""Display helpers. They format values already rounded by the rules; they never round."""

import re
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language

register = template.Library()


def _number(value, decimals: int) -> str:
    if value is None or value == "":
        return "—"
    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


@register.filter
def eur(value):
    """2771.33 → « 2 771,33 € » (French) or « €2,771.33 » (English)."""
    text = _number(value, 2)
    if text == "—":
        return text
    if (get_language() or "fr").startswith("en"):
        return f"€{text}" if not text.startswith("-") else f"-€{text[1:]}"
    return f"{text}\u00a0€"


@register.filter
def num(value, decimals=2):
    """A number with the locale's separators and a fixed number of decimals."""
    return _number(value, int(decimals))


@register.filter
def pct(value, decimals=2):
    text = _number(value, int(decimals))
    return text if text == "—" else f"{text}\u00a0%"


@register.filter
def masked(value, visible=4):
    """Mask an identifier except its last characters (national identifiers in lists)."""
    if not value:
        return ""
    value = str(value)
    visible = int(visible)
    return "•" * max(len(value) - visible, 0) + value[-visible:]


@register.filter
def cssstr(value):
    """Escape a value for a CSS string inside <style> (margin boxes of PDFs)."""
    from django.utils.safestring import mark_safe

    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return mark_safe(text)  # noqa: S308 — escaped for CSS above


_ROW_OR_CELL = re.compile(r"<tr\b|<td(?![^>]*\bcolspan=)(?=[\s>])")


@register.filter
def card_labels(rows, table):
    """Rows written in Python (`body_rows`, `body_html`) with each `<td>` labelled by its column's
    header (`data-label`), as templates/django_tables2/bootstrap5-responsive.html labels the others:
    a phone shows each row as a card. The cells were escaped by format_html, so every `<td` of the
    markup is a cell of ours; a cell spanning columns (the empty list's) keeps no label."""
    headers = [escape(capfirst(str(column.header or ""))) for column in table.columns]
    index = -1

    def label(match):
        nonlocal index
        if match.group() == "<tr":
            index = -1
            return "<tr"
        index += 1
        if index < len(headers) and headers[index]:
            return f'<td data-label="{headers[index]}"'
        return "<td"

    return mark_safe(_ROW_OR_CELL.sub(label, str(rows)))  # noqa: S308 — rows already safe; labels escaped
