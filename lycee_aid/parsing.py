"""Reading the files officers and lycées give us: the annex of eligible formations (seed 003, as
tab-separated text with page headers and prose around it) and the enrolment uploads (CSV/XLSX).

Pure parsing: no database. Each problem is one French message naming its line; the services
import nothing when there is one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.forms import parse_decimal
from core.uploads import TableLimits, UploadRefused, read_table

from .enums import FormationLevel
from .rules import eligible_specialty

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_ROWS = 5000

_LEVELS = {
    "infra v.": FormationLevel.INFRA_V,
    "infra v": FormationLevel.INFRA_V,
    "pre bac": FormationLevel.PRE_BAC,
    "pre-bac": FormationLevel.PRE_BAC,
    "post bac": FormationLevel.POST_BAC,
    "post-bac": FormationLevel.POST_BAC,
}
# Extraction artefacts of the published PDF (a glyph read as a subscript "2"): Ê and Ô.
_ARTEFACTS = {"V <sub>2</sub> TEMENT": "VÊTEMENT", "DIPL <sub>2</sub> ME": "DIPLÔME"}
_TAG = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    """Lowercase, accents removed, spaces collapsed: for comparing headers and levels."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text).strip().lower()


def clean_title(title: str) -> str:
    for wrong, right in _ARTEFACTS.items():
        title = title.replace(wrong, right)
    return re.sub(r"\s+", " ", _TAG.sub("", title)).strip()


@dataclass(frozen=True)
class AnnexRow:
    line: int
    level: str
    grouping_level: int
    nsf_code: str
    diploma_code: str
    diploma_type: str
    title: str


@dataclass
class AnnexParse:
    rows: list[AnnexRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored_lines: int = 0  # prose, page headers, tables other than the annex
    header_lines: int = 0


def parse_annex(text: str) -> AnnexParse:
    """ARE-1: the annex « Liste des formations relevant des spécialités éligibles ».

    A data row is a tab-separated line whose first cell is a level (Infra V., PRE BAC, POST BAC),
    with 6 cells: level, grouping level, NSF specialty, 8-digit diploma code, diploma type, title.
    Lines without a tab (titles, page headers, prose) and tab lines before the table's header
    (the CPI table of the arrêté) are ignored and counted. After the header, a tab line that is not
    a valid row is an error.
    """
    result = AnnexParse()
    in_table = False
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if "\t" not in line:
            result.ignored_lines += 1 if line.strip() else 0
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        first = _plain(cells[0])
        if first == "niveau":
            in_table = True
            result.header_lines += 1
            continue
        level = _LEVELS.get(first)
        if level is None:
            if in_table and any(cells):
                result.errors.append(
                    _("Ligne %(n)d : niveau « %(v)s » inconnu (attendu : Infra V., PRE BAC ou POST BAC).")
                    % {"n": number, "v": cells[0][:40]}
                )
            else:
                result.ignored_lines += 1
            continue
        in_table = True
        if len(cells) != 6:
            result.errors.append(
                _("Ligne %(n)d : 6 colonnes séparées par des tabulations sont attendues, %(k)d trouvées.")
                % {"n": number, "k": len(cells)}
            )
            continue
        _level, grouping, nsf, code, diploma_type, title = cells
        problems = []
        if not (grouping.isdigit() and 1 <= int(grouping) <= 9):
            problems.append(_("niveau de regroupement « %(v)s » invalide") % {"v": grouping[:20]})
        if not (len(nsf) == 3 and nsf.isdigit()):
            problems.append(_("spécialité NSF « %(v)s » invalide (3 chiffres)") % {"v": nsf[:20]})
        elif not eligible_specialty(nsf, prepa_metiers=level == FormationLevel.INFRA_V):
            problems.append(_("spécialité NSF %(v)s non éligible à l'ARE") % {"v": nsf})
        if not (len(code) == 8 and code.isdigit()):
            problems.append(_("code diplôme « %(v)s » invalide (8 chiffres)") % {"v": code[:20]})
        elif code in seen:
            problems.append(_("code diplôme %(v)s déjà présent ligne %(m)d") % {"v": code, "m": seen[code]})
        title = clean_title(title)
        if not title or not diploma_type:
            problems.append(_("type ou libellé du diplôme manquant"))
        if len(title) > 300 or len(diploma_type) > 120:
            problems.append(_("libellé trop long"))
        if problems:
            result.errors.append(_("Ligne %(n)d : %(p)s.") % {"n": number, "p": " ; ".join(problems)})
            continue
        seen[code] = number
        result.rows.append(
            AnnexRow(
                line=number,
                level=level,
                grouping_level=int(grouping),
                nsf_code=nsf,
                diploma_code=code,
                diploma_type=diploma_type,
                title=title,
            )
        )
    if not result.rows and not result.errors:
        result.errors.append(
            _("Le fichier ne contient aucune ligne de formation (colonnes séparées par des tabulations).")
        )
    return result


# -- enrolment uploads -----------------------------------------------------------------------

ENROLMENT_HEADER = ["uai", "code_diplome", "effectif"]


@dataclass(frozen=True)
class EnrolmentRow:
    line: int
    uai: str
    diploma_code: str
    count: int


class UploadError(Exception):
    """The whole file is refused (format, size, header); `messages` are shown to the user."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


ENROLMENT_LIMITS = TableLimits(max_bytes=MAX_UPLOAD_BYTES, max_rows=MAX_UPLOAD_ROWS, max_columns=20)


def _read_rows(name: str, content: bytes) -> list[list[str]]:
    try:
        return read_table(name, content, ENROLMENT_LIMITS)
    except UploadRefused as exc:
        raise UploadError([exc.message]) from None


def parse_enrolment_upload(name: str, content: bytes) -> tuple[list[EnrolmentRow], list[str]]:
    """Rows of an enrolment upload and the problems found (one message per faulty line).

    Columns: uai, code_diplome, effectif. Raises UploadError when the file as a whole is refused.
    """
    rows = _read_rows(name, content)
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        raise UploadError([_("Le fichier est vide.")])
    header = [_plain(c).replace(" ", "_") for c in rows[0] if c != ""]
    if header != ENROLMENT_HEADER:
        raise UploadError(
            [
                _("L'en-tête attendu est « %(expected)s » ; le fichier contient « %(found)s ».")
                % {"expected": ";".join(ENROLMENT_HEADER), "found": ";".join(rows[0])[:120]}
            ]
        )
    if len(rows) - 1 > MAX_UPLOAD_ROWS:
        raise UploadError([_("Le fichier contient plus de %(n)d lignes.") % {"n": MAX_UPLOAD_ROWS}])
    return parse_enrolment_rows(rows[1:], first_line=2)


def parse_enrolment_rows(rows: list[list[str]], *, first_line: int) -> tuple[list[EnrolmentRow], list[str]]:
    """The rows of an upload after its header (or of the JSON API), as text cells: the same checks
    and messages whichever way they came. `first_line` is the number of the first row in messages."""
    result, errors = [], []
    for number, row in enumerate(rows, start=first_line):
        cells = (row + ["", "", ""])[:3]
        uai, code, raw_count = cells
        if len([c for c in row if c != ""]) > 3:
            errors.append(_("Ligne %(n)d : 3 colonnes attendues.") % {"n": number})
            continue
        try:
            count = parse_decimal(raw_count)
            valid = count == count.to_integral_value() and count >= 0 and count <= 100000
        except ValueError:
            valid = False
        if not valid:
            errors.append(
                _("Ligne %(n)d : l'effectif « %(v)s » n'est pas un nombre entier positif ou nul.")
                % {"n": number, "v": raw_count[:20]}
            )
            continue
        result.append(EnrolmentRow(line=number, uai=uai.upper(), diploma_code=code, count=int(count)))
    return result, errors
