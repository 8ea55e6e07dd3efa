"""Reading uploaded tables without letting a file exhaust memory or time.

An XLSX file is a ZIP archive: 1,5 MB of shared strings can inflate to 1,5 GB, and a 1,6 KB sheet
can declare `A1:XFD1048576`, which openpyxl pads row by row. So, before openpyxl sees a byte: the
archive's member count and *uncompressed* sizes are checked (read from its directory, nothing
inflated), and each sheet's declared dimension is read from the first kilobytes of its XML. Then the
workbook is opened in streaming mode (`read_only=True`) and read within explicit row and column caps.
CSV text is decoded once (the upload itself is capped in size) and read within the same caps.

Every refusal is an `UploadRefused` carrying one French sentence for the person who sent the file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# A real enrolment or attendance workbook is a few hundred kilobytes once inflated.
MAX_XLSX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_XLSX_MEMBERS = 200
# Bytes of a sheet's XML read to find its <dimension> (it comes right after the sheet properties).
_DIMENSION_PROBE = 4096
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_CELL_TEXT_MAX = 1000


class UploadRefused(Exception):
    """The whole file is refused; `message` is shown to the person who sent it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TableLimits:
    max_bytes: int
    max_rows: int
    max_columns: int


def size_label(size: int) -> str:
    """ "2 Mo" for a whole number of megabytes (as the forms' help texts say), else Django's format."""
    if size % (1024 * 1024) == 0:
        return _("%(n)d Mo") % {"n": size // (1024 * 1024)}
    return filesizeformat(size)


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise UploadRefused(_("Le fichier dépasse la taille maximale de %(max)s.") % {"max": size_label(max_bytes)})
    if size == 0:
        raise UploadRefused(_("Le fichier est vide."))


def read_upload(upload, max_bytes: int) -> bytes:
    """The content of an uploaded file, refused before reading when it is too large."""
    check_size(upload.size, max_bytes)
    content = upload.read(max_bytes + 1)
    check_size(len(content), max_bytes)
    return content


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def declared_dimension(xml_start: bytes) -> tuple[int, int] | None:
    """(rows, columns) a sheet declares in its <dimension ref="A1:C12"/>, or None when absent."""
    match = _DIMENSION.search(xml_start)
    if match is None:
        return None
    first_col, first_row, last_col, last_row = match.groups()
    col = last_col or first_col or "A"
    row = last_row or first_row or b"1"
    col = col.decode() if isinstance(col, bytes) else col
    return int(row), _column_number(col)


def check_xlsx(content: bytes, limits: TableLimits) -> None:
    """Refuse an XLSX archive that would inflate too much or declares too large a sheet."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise UploadRefused(_("Le fichier XLSX est illisible ou endommagé.")) from None
    if len(members) > MAX_XLSX_MEMBERS:
        raise UploadRefused(_("Le fichier XLSX contient trop d'éléments pour un tableau d'import."))
    if sum(member.file_size for member in members) > MAX_XLSX_UNCOMPRESSED:
        raise UploadRefused(
            _("Une fois décompressé, le fichier XLSX dépasserait %(max)s : enregistrez un tableau plus petit.")
            % {"max": size_label(MAX_XLSX_UNCOMPRESSED)}
        )
    for member in members:
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        try:
            with archive.open(member) as stream:
                start = stream.read(_DIMENSION_PROBE)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
            raise UploadRefused(_("Le fichier XLSX est illisible ou endommagé.")) from None
        dimension = declared_dimension(start)
        if dimension is None:
            continue
        rows, columns = dimension
        if rows > limits.max_rows + 1 or columns > limits.max_columns:
            raise UploadRefused(
                _(
                    "La feuille déclare %(rows)s lignes et %(cols)s colonnes ; un import en accepte au plus "
                    "%(max_rows)s lignes et %(max_cols)s colonnes. Copiez le tableau seul dans une nouvelle feuille."
                )
                % {
                    "rows": rows,
                    "cols": columns,
                    "max_rows": limits.max_rows + 1,
                    "max_cols": limits.max_columns,
                }
            )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()[:_CELL_TEXT_MAX]


def _too_many_rows(limits: TableLimits) -> UploadRefused:
    return UploadRefused(
        ngettext(
            "Le fichier contient plus de %(n)d ligne.",
            "Le fichier contient plus de %(n)d lignes.",
            limits.max_rows,
        )
        % {"n": limits.max_rows}
    )


def _too_many_columns(limits: TableLimits, line: int) -> UploadRefused:
    return UploadRefused(
        _("Ligne %(line)d : plus de %(n)d colonnes ; un import n'en accepte pas davantage.")
        % {"line": line, "n": limits.max_columns}
    )


def read_xlsx(content: bytes, limits: TableLimits) -> list[list[str]]:
    check_xlsx(content, limits)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise UploadRefused(_("Le fichier XLSX est illisible ou endommagé.")) from None
    try:
        if not workbook.worksheets:
            raise UploadRefused(_("Le fichier XLSX ne contient aucune feuille."))
        sheet = workbook.worksheets[0]
        rows = []
        # One column beyond the cap tells a too-wide sheet from a full one.
        for row in sheet.iter_rows(max_row=limits.max_rows + 2, max_col=limits.max_columns + 1, values_only=True):
            cells = [_cell_text(v) for v in row]
            if len(cells) > limits.max_columns and cells[limits.max_columns]:
                raise _too_many_columns(limits, len(rows) + 1)
            cells = cells[: limits.max_columns]
            while cells and cells[-1] == "":
                cells.pop()  # read-only mode pads every row to the columns asked for
            rows.append(cells)
        if len(rows) > limits.max_rows + 1:
            raise _too_many_rows(limits)
        return rows
    except UploadRefused:
        raise
    except Exception:
        raise UploadRefused(_("Le fichier XLSX est illisible ou endommagé.")) from None
    finally:
        workbook.close()


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as spreadsheets save CSV in France."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise UploadRefused(_("Le fichier n'est pas un texte lisible (UTF-8 attendu).")) from None
    if "\x00" in text:
        raise UploadRefused(_("Le fichier n'est pas un texte lisible (UTF-8 attendu)."))
    return text


def read_csv(content: bytes, limits: TableLimits) -> list[list[str]]:
    text = decode_text(content)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max((";", ",", "\t"), key=first.count)
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if len(rows) > limits.max_rows:
                raise _too_many_rows(limits)
            if len(row) > limits.max_columns and any(c.strip() for c in row[limits.max_columns :]):
                raise _too_many_columns(limits, len(rows) + 1)
            rows.append([c.strip()[:_CELL_TEXT_MAX] for c in row[: limits.max_columns]])
    except csv.Error:
        raise UploadRefused(_("Le fichier CSV est mal formé (guillemets ou séparateurs).")) from None
    return rows


def read_table(name: str, content: bytes, limits: TableLimits) -> list[list[str]]:
    """The rows of an uploaded .xlsx or .csv/.txt table (first sheet), as stripped text cells."""
    check_size(len(content), limits.max_bytes)
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return read_xlsx(content, limits)
    if lowered.endswith((".csv", ".txt")):
        return read_csv(content, limits)
    raise UploadRefused(_("Format non pris en charge : déposez un fichier .csv ou .xlsx."))
