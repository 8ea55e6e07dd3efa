"""A lycée's enrolments of the previous year, typed on the page or uploaded (ARE-4, ARE-5)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.models import School, User
from core.services import audit_record

from .. import permissions
from ..enums import (
    AuditAction,
)
from ..models import (
    EligibleFormation,
    Enrolment,
    SchoolYear,
)
from ..parsing import MAX_UPLOAD_ROWS, UploadError, parse_enrolment_rows, parse_enrolment_upload
from ..selectors.figures import enrolments_fingerprint
from .base import BATCH, lock_year, mark_stale, refuse_if_voted

# -- enrolments n-1 (ARE-4, ARE-5) ---------------------------------------------------------------


def _save_enrolments(*, actor, school, year, counts: dict[int, int]) -> int:
    existing = {e.formation_id: e for e in Enrolment.objects.filter(school=school, formation__school_year=year)}
    to_create, to_update = [], []
    for formation_id, count in counts.items():
        row = existing.get(formation_id)
        if row is None:
            if count:
                to_create.append(Enrolment(school=school, formation_id=formation_id, first_year_count=count))
        elif row.first_year_count != count:
            row.first_year_count = count
            row.updated_at = timezone.now()
            to_update.append(row)
    if to_create:
        bulk_create_with_history(to_create, Enrolment, batch_size=BATCH, default_user=actor)
    if to_update:
        bulk_update_with_history(
            to_update, Enrolment, ["first_year_count", "updated_at"], batch_size=BATCH, default_user=actor
        )
    changed = len(to_create) + len(to_update)
    if changed:
        mark_stale(year, actor=actor, cause=f"enrolments {school.code}")
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENTS_SAVE,
            obj=school,
            after={"school_year": year.label, "changed": changed},
        )
    return changed


def _check_enrolment_window(school: School, year: SchoolYear) -> SchoolYear:
    # Serialise the edits of one lycée (two staff saving at once): lock the lycée's row. Then lock
    # the year, as the vote and the campaign do: an edit either comes before the vote (and makes a
    # computed campaign « à recalculer ») or after it (and is refused), never in between.
    School.objects.select_for_update().get(pk=school.pk)
    year = lock_year(year)
    refuse_if_voted(year, _("l'effectif"))
    return year


@transaction.atomic
def enrolments_save(
    *, actor: User, school: School, school_year: SchoolYear, counts: dict[int, int], fingerprint: str | None = None
) -> int:
    """Record a lycée's first-year enrolments n-1 (form). Returns the number of lines changed."""
    permissions.require_school(actor, school)
    year = _check_enrolment_window(school, school_year)
    if fingerprint is not None and fingerprint != enrolments_fingerprint(school, year):
        raise ValidationError(
            _(
                "Les effectifs ont été modifiés par une autre personne depuis l'ouverture de cette page. "
                "Rechargez la page et saisissez à nouveau vos modifications."
            )
        )
    eligible = set(EligibleFormation.objects.filter(school_year=year).values_list("pk", flat=True))
    errors = []
    for formation_id, count in counts.items():
        if formation_id not in eligible:
            errors.append(_("Une formation saisie n'est pas éligible pour l'année %(y)s.") % {"y": year.label})
        elif isinstance(count, bool) or not isinstance(count, int) or count < 0:
            errors.append(_("Un effectif doit être un nombre entier positif ou nul."))
    if errors:
        raise ValidationError(sorted(set(errors)))
    return _save_enrolments(actor=actor, school=school, year=year, counts=counts)


@transaction.atomic
def enrolments_upload(*, actor: User, school: School, school_year: SchoolYear, name: str, content: bytes) -> int:
    """Record enrolments from a CSV/XLSX file: all or nothing, one French message per faulty row.

    Formations absent from the file are left as they are.
    """
    permissions.require_school(actor, school)
    year = _check_enrolment_window(school, school_year)
    try:
        rows, errors = parse_enrolment_upload(name, content)
    except UploadError as exc:
        raise ValidationError(exc.messages)
    return _enrolment_rows_save(actor=actor, school=school, year=year, rows=rows, errors=errors)


@transaction.atomic
def enrolments_put(*, actor: User, school: School, school_year: SchoolYear, rows: list[list[str]]) -> int:
    """The JSON API's enrolments: rows of text cells (UAI, diploma code, count) checked as an upload's
    rows, row n being « Ligne n » in the messages; all or nothing, formations absent left as they are."""
    permissions.require_school(actor, school)
    year = _check_enrolment_window(school, school_year)
    if len(rows) > MAX_UPLOAD_ROWS:
        raise ValidationError(_("La requête contient plus de %(n)d lignes.") % {"n": MAX_UPLOAD_ROWS})
    parsed, errors = parse_enrolment_rows(rows, first_line=1)
    return _enrolment_rows_save(actor=actor, school=school, year=year, rows=parsed, errors=errors)


def _enrolment_rows_save(*, actor: User, school: School, year: SchoolYear, rows, errors: list[str]) -> int:
    formations = dict(EligibleFormation.objects.filter(school_year=year).values_list("diploma_code", "pk"))
    counts: dict[int, int] = {}
    seen: dict[str, int] = {}
    for row in rows:
        if row.uai != school.code.upper():
            errors.append(
                _("Ligne %(n)d : l'UAI %(u)s n'est pas celle de votre lycée (%(s)s).")
                % {"n": row.line, "u": row.uai or "—", "s": school.code}
            )
        elif row.diploma_code not in formations:
            errors.append(
                _("Ligne %(n)d : le code diplôme « %(c)s » ne figure pas dans la liste des formations éligibles %(y)s.")
                % {"n": row.line, "c": row.diploma_code[:20], "y": year.label}
            )
        elif row.diploma_code in seen:
            errors.append(
                _("Ligne %(n)d : le code diplôme %(c)s figure déjà ligne %(m)d.")
                % {"n": row.line, "c": row.diploma_code, "m": seen[row.diploma_code]}
            )
        else:
            seen[row.diploma_code] = row.line
            counts[formations[row.diploma_code]] = row.count
    if errors:
        errors.sort(key=lambda m: int(m.split(" ")[1]) if m.split(" ")[1].isdigit() else 0)
        raise ValidationError(errors)
    if not counts:
        raise ValidationError(_("Le fichier ne contient aucune ligne d'effectif."))
    return _save_enrolments(actor=actor, school=school, year=year, counts=counts)
