"""Lists become cards on a phone: every cell of a django-tables2 list carries its column's header
(`data-label`), whether the row is rendered by the table template or written in Python and
labelled by the `card_labels` filter."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from core.templatetags.bareme import card_labels

ROW = re.compile(r"<tr[ >].*?</tr>", re.S)
CELL = re.compile(r"<td([^>]*)>")


def _table(*headers):
    return SimpleNamespace(columns=[SimpleNamespace(header=h) for h in headers])


def test_card_labels_labels_each_cell_in_column_order_and_escapes():
    rows = '<tr><td>a</td><td class="num">b</td><td>c</td></tr>\n<tr><td>d</td><td>e</td><td>f</td></tr>'
    html = card_labels(rows, _table("référence", 'Montant "€"', ""))
    assert html.count('data-label="Référence"') == 2
    assert html.count('data-label="Montant &quot;€&quot;"') == 2
    assert '<td class="num"' not in html and '<td data-label="Montant &quot;€&quot;" class="num">b</td>' in html
    assert html.count("<td>c</td>") == 1 and html.count("<td>f</td>") == 1  # no header, no label


def test_a_spanning_cell_keeps_no_label():
    html = card_labels('<tr><td colspan="3">Aucun élément</td></tr>', _table("A", "B", "C"))
    assert html == '<tr><td colspan="3">Aucun élément</td></tr>'


def labelled_rows(html):
    """For each row of the page's list (in the `table-cards` wrapper): whether each cell is labelled."""
    html = html[html.index('class="table-container table-responsive table-cards"') :]
    body = html[html.index("<tbody") : html.index("</tbody>")]
    rows = ROW.findall(body)
    assert rows, "no row in the list"
    return [[("data-label=" in attrs) for attrs in CELL.findall(row)] for row in rows]


@pytest.mark.django_db
def test_the_journal_list_labels_every_cell(client_for, admin_user):
    from core.enums import AuditAction
    from core.services import audit_record

    audit_record(actor=admin_user, action=next(iter(AuditAction)), obj=admin_user, after={"x": 1})
    html = client_for(admin_user).get(reverse("core:journal")).content.decode()
    assert 'class="table-container table-responsive table-cards"' in html
    for cells in labelled_rows(html):
        assert all(cells), cells
