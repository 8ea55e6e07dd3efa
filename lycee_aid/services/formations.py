"""The list of eligible formations of a year, imported from the annex of the deliberation (ARE-1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.models import User
from core.services import audit_record

from .. import permissions
from ..enums import (
    AuditAction,
)
from ..models import (
    EligibleFormation,
    SchoolYear,
)
from ..parsing import parse_annex
from .base import BATCH, lock_year, mark_stale, refuse_if_voted

# -- eligible formations (ARE-1) ---------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    ignored_lines: int

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


_FORMATION_FIELDS = ("level", "grouping_level", "nsf_code", "diploma_type", "title")


@transaction.atomic
def formations_import(*, actor: User | None, school_year: SchoolYear, text: str) -> ImportReport:
    """Import the yearly annex of eligible formations (tab-separated, as published in seed 003).

    All or nothing: a faulty row is reported with its line number and nothing is imported.
    Importing the same list again changes nothing; another year's list is never touched.
    """
    permissions.require_officer(actor)
    year = lock_year(school_year)
    refuse_if_voted(year, _("la liste des formations"))
    parsed = parse_annex(text)
    if parsed.errors:
        raise ValidationError(parsed.errors)
    existing = {f.diploma_code: f for f in EligibleFormation.objects.filter(school_year=year)}
    to_create, to_update, unchanged = [], [], 0
    for row in parsed.rows:
        values = {
            "level": row.level,
            "grouping_level": row.grouping_level,
            "nsf_code": row.nsf_code,
            "diploma_type": row.diploma_type,
            "title": row.title,
        }
        current = existing.get(row.diploma_code)
        if current is None:
            to_create.append(
                EligibleFormation(school_year=year, diploma_code=row.diploma_code, source_line=row.line, **values)
            )
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            to_update.append(current)
        else:
            unchanged += 1
    if to_create:
        bulk_create_with_history(to_create, EligibleFormation, batch_size=BATCH, default_user=actor)
    if to_update:
        bulk_update_with_history(
            to_update, EligibleFormation, list(_FORMATION_FIELDS), batch_size=BATCH, default_user=actor
        )
    report = ImportReport(
        created=len(to_create), updated=len(to_update), unchanged=unchanged, ignored_lines=parsed.ignored_lines
    )
    if to_create or to_update:
        mark_stale(year, actor=actor, cause="formations")
        audit_record(
            actor=actor,
            action=AuditAction.FORMATIONS_IMPORT,
            obj=year,
            after={"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
        )
    return report
