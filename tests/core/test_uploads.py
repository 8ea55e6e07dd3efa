"""Uploaded tables cannot exhaust memory: small crafted XLSX files that inflate or declare a huge
sheet are refused from the archive's directory and the sheet's first bytes, before openpyxl."""

import io
import zipfile
from unittest import mock

import pytest
from openpyxl import Workbook

from core.uploads import MAX_XLSX_UNCOMPRESSED, TableLimits, UploadRefused, declared_dimension, read_table

LIMITS = TableLimits(max_bytes=2 * 1024 * 1024, max_rows=5000, max_columns=20)


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(content: bytes, name: str, change) -> bytes:
    """The same archive with member `name` replaced by change(old_bytes)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member.filename, change(data) if member.filename == name else data)
        if name not in source.namelist():
            target.writestr(name, change(b""))
    return buffer.getvalue()


def test_a_plain_workbook_is_read():
    content = xlsx([["uai", "code_diplome", "effectif"], ["0750001A", "50022139", 24]])
    assert read_table("e.xlsx", content, LIMITS) == [
        ["uai", "code_diplome", "effectif"],
        ["0750001A", "50022139", "24"],
    ]


def test_shared_strings_bomb_is_refused_before_openpyxl():
    # 30 Mo of one repeated string compress to about 30 Ko: the archive's directory says 30 Mo.
    content = xlsx([["uai", "code_diplome", "effectif"], ["0750001A", "50022139", 24]])
    bomb = b'<sst count="1" uniqueCount="1"><si><t>' + b"A" * (30 * 1024 * 1024) + b"</t></si></sst>"
    content = rewrite(content, "xl/sharedStrings.xml", lambda old: bomb)
    assert len(content) < 200 * 1024
    with mock.patch("openpyxl.load_workbook") as load, pytest.raises(UploadRefused) as exc:
        read_table("e.xlsx", content, LIMITS)
    load.assert_not_called()
    assert "Une fois décompressé, le fichier XLSX dépasserait 20 Mo" in exc.value.message
    assert MAX_XLSX_UNCOMPRESSED == 20 * 1024 * 1024


def test_declared_dimension_of_a_whole_sheet_is_refused_before_openpyxl():
    content = xlsx([["uai", "code_diplome", "effectif"], ["0750001A", "50022139", 24]])
    content = rewrite(
        content,
        "xl/worksheets/sheet1.xml",
        lambda old: old.replace(b'<dimension ref="A1:C2" />', b'<dimension ref="A1:XFD1048576" />'),
    )
    assert len(content) < 10 * 1024
    with mock.patch("openpyxl.load_workbook") as load, pytest.raises(UploadRefused) as exc:
        read_table("e.xlsx", content, LIMITS)
    load.assert_not_called()
    assert exc.value.message.startswith("La feuille déclare 1048576 lignes et 16384 colonnes")


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        (b'<worksheet><dimension ref="A1:C12"/>', (12, 3)),
        (b'<x:dimension ref="B2:XFD1048576"/>', (1048576, 16384)),
        (b'<dimension ref="A1"/>', (1, 1)),
        (b"<sheetData/>", None),
    ],
)
def test_declared_dimension(xml, expected):
    assert declared_dimension(xml) == expected


def test_rows_beyond_the_cap_are_refused():
    limits = TableLimits(max_bytes=2 * 1024 * 1024, max_rows=50, max_columns=20)
    content = xlsx([["uai", "code_diplome", "effectif"]] + [["0750001A", str(n), 1] for n in range(60)])
    with pytest.raises(UploadRefused) as exc:
        read_table("e.xlsx", content, limits)
    assert exc.value.message.startswith("La feuille déclare 61 lignes et 3 colonnes")
    # A sheet that declares no dimension is still read no further than the cap.
    content = rewrite(content, "xl/worksheets/sheet1.xml", lambda old: old.replace(b'<dimension ref="A1:C61" />', b""))
    with pytest.raises(UploadRefused) as exc:
        read_table("e.xlsx", content, limits)
    assert exc.value.message == "Le fichier contient plus de 50 lignes."
    csv = b"uai;code_diplome;effectif\n" + b"0750001A;1;1\n" * 51
    with pytest.raises(UploadRefused) as exc:
        read_table("e.csv", csv, limits)
    assert exc.value.message == "Le fichier contient plus de 50 lignes."


def test_columns_beyond_the_cap_are_refused():
    content = xlsx([["uai", "code_diplome", "effectif"] + ["x"] * 30])
    with pytest.raises(UploadRefused) as exc:
        read_table("e.xlsx", content, TableLimits(max_bytes=2 * 1024 * 1024, max_rows=50, max_columns=20))
    assert exc.value.message.startswith("La feuille déclare 1 lignes et 33 colonnes")
    csv = ("uai;" + ";".join(["x"] * 30) + "\n").encode()
    with pytest.raises(UploadRefused) as exc:
        read_table("e.csv", csv, LIMITS)
    assert exc.value.message == "Ligne 1 : plus de 20 colonnes ; un import n'en accepte pas davantage."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("e.csv", b"", "Le fichier est vide."),
        ("e.csv", b"x" * (2 * 1024 * 1024 + 1), "Le fichier dépasse la taille maximale de 2 Mo."),
        ("e.xlsx", b"PK\x03\x04 not really", "Le fichier XLSX est illisible ou endommagé."),
        ("e.csv", b"a;b\x00;c", "Le fichier n'est pas un texte lisible (UTF-8 attendu)."),
        ("e.ods", b"anything", "Format non pris en charge : déposez un fichier .csv ou .xlsx."),
    ],
)
def test_bad_files(name, content, message):
    with pytest.raises(UploadRefused) as exc:
        read_table(name, content, LIMITS)
    assert exc.value.message == message
