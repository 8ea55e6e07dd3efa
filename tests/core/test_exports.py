"""CSV and XLSX exports as French spreadsheets open them (core.exports)."""

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from core.exports import sheet_name, to_csv, to_xlsx

HEADERS = ["référence", "montant", "date", "déposée le", "enquête", "élèves", "note"]
ROWS = [
    # What django-tables2 hands over: Decimals, ISO dates, "True"/"False" from a BooleanColumn.
    ["ARE-1", Decimal("6908.00"), "2026-07-08", datetime(2026, 7, 8, 14, 5), "True", 36, '=HYPERLINK("http://x")'],
    ["ARE-2", Decimal("-12.5"), date(2026, 1, 31), "", False, 0, "-12,50"],
]


def test_csv_opens_in_a_french_spreadsheet():
    content = to_csv(HEADERS, ROWS)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel reads the accents
    lines = content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Référence;Montant;Date;Déposée le;Enquête;Élèves;Note"  # sentence case
    # 6908.00 → 6908,00 (decimal comma, no grouping); ISO date → 08/07/2026; True → oui;
    # the formula is neutralised by a leading quote (doubled quotes: CSV quoting).
    assert lines[1] == 'ARE-1;6908,00;08/07/2026;08/07/2026 14:05;oui;36;"\'=HYPERLINK(""http://x"")"'
    # A negative amount is a number, not a formula; an empty cell stays empty; False → non.
    assert lines[2] == "ARE-2;-12,5;31/01/2026;;non;0;-12,50"


def test_xlsx_has_real_numbers_and_dates_a_named_sheet_and_a_frozen_header():
    workbook = load_workbook(io.BytesIO(to_xlsx(HEADERS, ROWS, sheet="campagne-are-2026-2027")))
    sheet = workbook.active
    assert sheet.title == "Campagne are 2026 2027"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Référence", "Montant", "Date", "Déposée le", "Enquête", "Élèves", "Note"]
    amount, day, at, survey, pupils, note = (sheet.cell(2, k) for k in range(2, 8))
    assert amount.value == 6908 and amount.data_type == "n" and amount.number_format == "#,##0.00"
    assert day.value == datetime(2026, 7, 8) and day.is_date and day.number_format == "DD/MM/YYYY"
    assert at.value == datetime(2026, 7, 8, 14, 5) and at.number_format == "DD/MM/YYYY HH:MM"
    assert survey.value == "oui" and pupils.value == 36 and pupils.data_type == "n"
    assert note.value == '\'=HYPERLINK("http://x")' and note.data_type == "s"  # never a live formula
    assert sheet.cell(3, 2).value == Decimal("-12.5") or sheet.cell(3, 2).value == -12.5
    # Widths fit the longest cell: « Déposée le » column holds « 08/07/2026 14:05 » (16 characters).
    assert sheet.column_dimensions["D"].width == 18
    assert sheet.column_dimensions["A"].width == len("Référence") + 2


def test_sheet_names_are_valid_for_excel():
    assert sheet_name("a/b:c*d?[e]" + "x" * 40) == "A b c d e " + "x" * 21
    assert len(sheet_name("x" * 40)) == 31
    assert sheet_name("") == "Export"
