"""Use cases of the ARE (seed 003): one function per use case, in a transaction, with the permission
check, the row lock of what changes, and one audit event per state transition.

Business errors are ValidationError with French messages (per field where possible).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.enums import Country, Scheme
from core.models import School, User
from core.rules import round_cent, to_decimal
from core.selectors import is_officer, schools_for
from core.services import audit_record

from . import notices, rules
from .enums import (
    CampaignStatus,
    CarryOverOrigin,
    CpgeRefusal,
    DotationStatus,
    Envelope,
    EquipmentType,
    FormationLevel,
    RequestStatus,
)
from .models import (
    DEFAULT_CPI_BASE,
    DEFAULT_CPI_SERIES,
    CarryOver,
    CpgeAidRequest,
    CpiValue,
    Dotation,
    DotationLine,
    EligibleFormation,
    Enrolment,
    SchoolSituation,
    SchoolYear,
    SupplementaryRequest,
    SupplementaryRequestLine,
    UsageReport,
    UsageReportLine,
)
from .parsing import UploadError, parse_annex, parse_enrolment_upload

ZERO = Decimal("0.00")
BATCH = 2000
DOTATION_COMPUTED_FIELDS = [
    "status",
    "forfait_amount",
    "forfait_prepa_metiers_amount",
    "scholarship_count",
    "school_enrolments",
    "legacy_scholarship_rate",
    "survey_answered",
    "prepa_metiers_count",
    "pre_bac_count",
    "post_bac_count",
    "scholarship_holders",
    "pre_bac_gross_amount",
    "post_bac_gross_amount",
    "carryover_pre_bac_amount",
    "carryover_post_bac_amount",
    "pre_bac_due_amount",
    "post_bac_due_amount",
    "total_due_amount",
    "computed_at",
]


# -- permission helpers ------------------------------------------------------------------------


def _require_officer(actor: User | None) -> None:
    """Officers of the ARE; `None` is a management command run by an operator."""
    if actor is not None and not is_officer(actor, Scheme.LYCEE_AID):
        raise PermissionDenied


def _require_school(actor: User, school: School) -> None:
    """The actor may act for this French lycée (its staff, or an ARE officer); else it does not exist."""
    if (
        school.country != Country.FRANCE
        or not schools_for(actor, scheme=Scheme.LYCEE_AID).filter(pk=school.pk).exists()
    ):
        raise Http404(_("Établissement introuvable."))


def _lock_year(school_year: SchoolYear) -> SchoolYear:
    return SchoolYear.objects.select_for_update().get(pk=school_year.pk)


def _refuse_if_voted(year: SchoolYear, what: str) -> None:
    if year.is_voted:
        raise ValidationError(
            _("La campagne %(y)s est votée : %(what)s ne peut plus être modifié.") % {"y": year.label, "what": what}
        )


def _mark_stale(year: SchoolYear, *, actor: User | None, cause: str) -> None:
    """An input of a computed campaign changed (enrolments, a situation, a carry-over, the forfaits,
    the formation list): the campaign is « à recalculer » and its vote is refused until it is
    computed again, so that the figures voted are the figures the officers reviewed.

    `year` is locked by the caller (SELECT … FOR UPDATE), as the vote locks it: an edit and a vote
    are serialised, and whichever comes second sees the other's outcome.
    """
    if year.campaign_status != CampaignStatus.COMPUTED:
        return
    year.campaign_status = CampaignStatus.STALE
    year.save(update_fields=["campaign_status"])
    audit_record(
        actor=actor,
        action="lycee_aid.campaign_stale",
        obj=year,
        before={"status": CampaignStatus.COMPUTED},
        after={"status": CampaignStatus.STALE, "cause": cause},
    )


# -- school years, CPI and forfaits (ARE-2, ARE-3) ---------------------------------------------


@transaction.atomic
def school_year_open(*, actor: User | None, start_year: int) -> SchoolYear:
    _require_officer(actor)
    if SchoolYear.objects.filter(start_year=start_year).exists():
        raise ValidationError({"start_year": _("Cette année scolaire existe déjà.")})
    year = SchoolYear(start_year=start_year)
    year.full_clean()
    year.save()
    audit_record(actor=actor, action="lycee_aid.school_year_open", obj=year, after={"start_year": start_year})
    return year


def _school_year_for(start_year: int) -> SchoolYear:
    """The school year beginning in `start_year`, created empty (forfaits to confirm) if needed."""
    year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
    return year


@transaction.atomic
def cpi_value_record(
    *, actor: User | None, series_id: str, base: str, month: date, value, source: str = ""
) -> CpiValue:
    """Record one CPI value with its INSEE series and base (ARE-3). A recorded month is not rewritten."""
    _require_officer(actor)
    series_id, base = series_id.strip(), base.strip()
    month = month.replace(day=1)
    if CpiValue.objects.filter(series_id=series_id, base=base, month=month).exists():
        raise ValidationError(
            {"month": _("Une valeur est déjà enregistrée pour ce mois dans cette série et cette base.")}
        )
    cpi = CpiValue(series_id=series_id, base=base, month=month, value=to_decimal(value), source=source)
    cpi.full_clean()
    cpi.save()
    audit_record(actor=actor, action="lycee_aid.cpi_value_record", obj=cpi, after={"value": str(cpi.value)})
    return cpi


@dataclass(frozen=True)
class ForfaitProposal:
    school_year: SchoolYear
    previous_year: SchoolYear
    december_n1: CpiValue
    december_n2: CpiValue
    evolution_percent: Decimal
    forfait: Decimal
    forfait_prepa_metiers: Decimal
    forfait_cpge: Decimal | None


def _cpi_for(series_id: str, base: str, month: date) -> CpiValue:
    found = CpiValue.objects.filter(series_id=series_id, base=base, month=month).first()
    if found is not None:
        return found
    other = CpiValue.objects.filter(month=month).exclude(series_id=series_id, base=base).first()
    if other is not None:
        raise ValidationError(
            _(
                "La valeur de %(m)s est enregistrée dans la série %(s)s base %(b)s, pas dans la série %(s0)s base "
                "%(b0)s : une évolution ne se calcule qu'entre deux valeurs de la même série et de la même base."
            )
            % {"m": month.strftime("%m/%Y"), "s": other.series_id, "b": other.base, "s0": series_id, "b0": base}
        )
    raise ValidationError(
        _("Aucun indice de %(m)s n'est enregistré pour la série %(s)s base %(b)s.")
        % {"m": month.strftime("%m/%Y"), "s": series_id, "b": base}
    )


def forfaits_propose(
    *, actor: User | None, school_year: SchoolYear, series_id: str = DEFAULT_CPI_SERIES, base: str = DEFAULT_CPI_BASE
) -> ForfaitProposal:
    """ARE-3: the forfaits of `school_year` proposed from the previous year's and the CPI evolution
    between December n-1 and December n-2 of one series and base. Nothing is saved."""
    _require_officer(actor)
    previous = SchoolYear.objects.filter(start_year=school_year.start_year - 1).first()
    if previous is None or not previous.forfaits_confirmed:
        raise ValidationError(
            _("Les forfaits de l'année %(y)s doivent être confirmés avant de proposer ceux de %(n)s.")
            % {"y": f"{school_year.start_year - 1}-{school_year.start_year}", "n": school_year.label}
        )
    december_n1 = _cpi_for(series_id, base, date(school_year.start_year - 1, 12, 1))
    december_n2 = _cpi_for(series_id, base, date(school_year.start_year - 2, 12, 1))
    evolution = rules.cpi_evolution_percent(december_n1.value, december_n2.value)
    cpge = previous.forfait_cpge_amount
    return ForfaitProposal(
        school_year=school_year,
        previous_year=previous,
        december_n1=december_n1,
        december_n2=december_n2,
        evolution_percent=evolution,
        forfait=rules.indexed_forfait(previous.forfait_amount, evolution),
        forfait_prepa_metiers=rules.indexed_forfait(previous.forfait_prepa_metiers_amount, evolution),
        forfait_cpge=None if cpge is None else rules.indexed_forfait(cpge, evolution),
    )


@transaction.atomic
def forfaits_confirm(
    *,
    actor: User | None,
    school_year: SchoolYear,
    forfait_amount,
    forfait_prepa_metiers_amount,
    forfait_cpge_amount,
    order_reference: str,
    order_date: date | None,
    cpi_evolution_percent=None,
) -> SchoolYear:
    """The officer confirms the forfaits of the arrêté (ARE-2, ARE-3); frozen once the campaign is voted."""
    _require_officer(actor)
    year = _lock_year(school_year)
    _refuse_if_voted(year, _("le forfait"))
    before = {
        "forfait": str(year.forfait_amount),
        "prepa": str(year.forfait_prepa_metiers_amount),
        "cpge": str(year.forfait_cpge_amount),
    }
    year.forfait_amount = round_cent(forfait_amount)
    year.forfait_prepa_metiers_amount = round_cent(forfait_prepa_metiers_amount)
    year.forfait_cpge_amount = None if forfait_cpge_amount in (None, "") else round_cent(forfait_cpge_amount)
    year.order_reference = order_reference.strip()
    year.order_date = order_date
    year.cpi_evolution_percent = cpi_evolution_percent
    year.forfaits_confirmed_at = timezone.now()
    if not year.order_reference:
        raise ValidationError({"order_reference": _("Indiquez la référence de l'arrêté.")})
    year.full_clean()
    year.save()
    after = {
        "forfait": str(year.forfait_amount),
        "prepa": str(year.forfait_prepa_metiers_amount),
        "cpge": str(year.forfait_cpge_amount),
    }
    if after != before:
        _mark_stale(year, actor=actor, cause="forfaits")
    audit_record(
        actor=actor,
        action="lycee_aid.forfaits_confirm",
        obj=year,
        before=before,
        after={
            "forfait": str(year.forfait_amount),
            "prepa": str(year.forfait_prepa_metiers_amount),
            "cpge": str(year.forfait_cpge_amount),
            "order": year.order_reference,
        },
    )
    return year


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
    _require_officer(actor)
    year = _lock_year(school_year)
    _refuse_if_voted(year, _("la liste des formations"))
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
        _mark_stale(year, actor=actor, cause="formations")
        audit_record(
            actor=actor,
            action="lycee_aid.formations_import",
            obj=year,
            after={"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
        )
    return report


# -- lycée situation: scholarship count, survey, carry-overs (ARE-5..7) ------------------------


def _scholarship_errors(count, enrolments) -> dict[str, str]:
    """ARE-5: the count and the enrolments come together, as whole numbers, 0 ≤ count ≤ enrolments."""
    for value in (count, enrolments):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            return {"scholarship_count": _("L'effectif boursier et les effectifs sont des nombres entiers positifs.")}
    if count is None and enrolments is None:
        return {}
    if enrolments is None:
        return {"school_enrolments": _("Indiquez les effectifs n-1 de l'établissement.")}
    if count is None:
        return {"scholarship_count": _("Indiquez l'effectif boursier communiqué par l'académie.")}
    if enrolments == 0:
        return {"school_enrolments": _("Les effectifs n-1 de l'établissement doivent être positifs.")}
    if count > enrolments:
        return {
            "scholarship_count": _("L'effectif boursier (%(c)d) dépasse les effectifs n-1 de l'établissement (%(e)d).")
            % {"c": count, "e": enrolments}
        }
    return {}


@transaction.atomic
def situation_set(
    *,
    actor: User | None,
    school: School,
    school_year: SchoolYear,
    scholarship_count: int | None,
    school_enrolments: int | None,
    survey_answered: bool,
    carryover_pre_bac,
    carryover_post_bac,
) -> SchoolSituation:
    """Record a lycée's situation for a year: the académie's latest scholarship count and the
    lycée's enrolments n-1 (ARE-5: the rate is their exact quotient), the survey answer (ARE-7)
    and the carry-overs per envelope (ARE-6). Both counts may be left empty for a lycée without
    post-bac pupils. A change after the campaign was computed makes it « à recalculer »."""
    _require_officer(actor)
    if school.country != Country.FRANCE:
        raise Http404(_("Établissement introuvable."))
    year = _lock_year(school_year)
    _refuse_if_voted(year, _("la situation du lycée"))
    errors = _scholarship_errors(scholarship_count, school_enrolments)
    carry = {Envelope.PRE_BAC: round_cent(carryover_pre_bac), Envelope.POST_BAC: round_cent(carryover_post_bac)}
    for envelope, amount in carry.items():
        if amount < 0:
            errors[f"carryover_{envelope}"] = _("Un reliquat ne peut pas être négatif.")
    if errors:
        raise ValidationError(errors)
    situation = SchoolSituation.objects.select_for_update().filter(school=school, school_year=year).first()
    before = (
        None
        if situation is None
        else {
            "count": situation.scholarship_count,
            "enrolments": situation.school_enrolments,
            "survey": situation.survey_answered,
        }
    )
    situation = situation or SchoolSituation(school=school, school_year=year)
    situation.scholarship_count = scholarship_count
    situation.school_enrolments = school_enrolments
    situation.survey_answered = survey_answered
    after = {"count": scholarship_count, "enrolments": school_enrolments, "survey": survey_answered}
    changed = after != before
    if changed:
        situation.full_clean()
        situation.save()
    current = {c.envelope: c for c in CarryOver.objects.select_for_update().filter(school=school, school_year=year)}
    for envelope, amount in carry.items():
        row = current.get(envelope)
        if row is None and amount == 0:
            continue
        if row is None:
            row = CarryOver(school=school, school_year=year, envelope=envelope)
        elif row.amount == amount:
            continue
        row.amount, row.origin = amount, CarryOverOrigin.ENTERED
        row.full_clean()
        row.save()
        changed = True
    if changed:
        _mark_stale(year, actor=actor, cause=f"situation {school.code}")
        audit_record(
            actor=actor,
            action="lycee_aid.situation_set",
            obj=situation,
            before=before,
            after=after | {"carry": {k: str(v) for k, v in carry.items()}},
        )
    return situation


# -- enrolments n-1 (ARE-4, ARE-5) ---------------------------------------------------------------


def enrolments_fingerprint(school: School, school_year: SchoolYear) -> str:
    """A short digest of a lycée's enrolments: the form sends it back to detect a concurrent edit."""
    rows = Enrolment.objects.filter(school=school, formation__school_year=school_year).order_by("formation_id")
    payload = ";".join(f"{f}:{c}" for f, c in rows.values_list("formation_id", "first_year_count"))
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


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
        _mark_stale(year, actor=actor, cause=f"enrolments {school.code}")
        audit_record(
            actor=actor,
            action="lycee_aid.enrolments_save",
            obj=school,
            after={"school_year": year.label, "changed": changed},
        )
    return changed


def _check_enrolment_window(school: School, year: SchoolYear) -> SchoolYear:
    # Serialise the edits of one lycée (two staff saving at once): lock the lycée's row. Then lock
    # the year, as the vote and the campaign do: an edit either comes before the vote (and makes a
    # computed campaign « à recalculer ») or after it (and is refused), never in between.
    School.objects.select_for_update().get(pk=school.pk)
    year = _lock_year(year)
    _refuse_if_voted(year, _("l'effectif"))
    return year


@transaction.atomic
def enrolments_save(
    *, actor: User, school: School, school_year: SchoolYear, counts: dict[int, int], fingerprint: str | None = None
) -> int:
    """Record a lycée's first-year enrolments n-1 (form). Returns the number of lines changed."""
    _require_school(actor, school)
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
    _require_school(actor, school)
    year = _check_enrolment_window(school, school_year)
    try:
        rows, errors = parse_enrolment_upload(name, content)
    except UploadError as exc:
        raise ValidationError(exc.messages)
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


# -- the campaign (ARE-4..7) ---------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignResult:
    dotations: int
    total_due: Decimal


def _campaign_schools():
    return School.objects.filter(country=Country.FRANCE)


def _dotations_history_insert(
    year: SchoolYear, *, history_type: str, actor: User | None, now, reason: str, computed_at=None
) -> None:
    """One history row per dotation of the year, copied by the database (INSERT … SELECT).

    The same rows as simple-history's `bulk_history_create` (every field, the reason given), in one
    statement whatever the number of lycées: SQLite's parameter limit split the bulk version into
    a statement per ~30 dotations. Columns come from the historical model's _meta. With
    `computed_at`, only the dotations a campaign run stamped then: one that the run left alone (a
    school no longer French, say) gets no history row.
    """
    history = Dotation.history.model._meta
    columns = [f.column for f in history.concrete_fields if not f.name.startswith("history_")]
    quote = connection.ops.quote_name
    copied = ", ".join(quote(c) for c in columns)
    stamp = history.get_field("history_date").get_db_prep_save(now, connection)
    where, params = "school_year_id = %s", [year.pk]
    if computed_at is not None:
        where += " AND computed_at = %s"
        params.append(history.get_field("computed_at").get_db_prep_save(computed_at, connection))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history.db_table)} ({copied}, history_date, history_type, "  # noqa: S608 — names from _meta
            f"history_user_id, history_change_reason) SELECT {copied}, %s, %s, %s, %s "
            f"FROM {quote(Dotation._meta.db_table)} WHERE {where}",
            [stamp, history_type, actor.pk if actor else None, reason, *params],
        )


def _lines_insert_sql() -> str:
    """One INSERT … SELECT writing every frozen line of a voted campaign (ARE-4, ARE-5), set-based.

    One line per dotation of the year and formation with enrolments. Line amount = enrolments ×
    forfait (pré-bac; 3e prépa-métiers at their own forfait), NULL in post-bac (the computation is
    on scholarship holders): the same figures as `rules.formation_amount`, which the dotation's
    detail shows until the vote. The forfaits are bound as integer cents and the product is an
    exact integer in both engines; it is divided by 100 only at the end (PostgreSQL: numeric,
    exact; SQLite: a whole number of euros comes back as an integer, and a cent value is a double
    of at most 12 digits, read back by Django rounded to the cent — exact).
    """
    line, dotation, enrolment = DotationLine._meta.db_table, Dotation._meta.db_table, Enrolment._meta.db_table
    formation = EligibleFormation._meta.db_table
    infra_v, post_bac = FormationLevel.INFRA_V.value, FormationLevel.POST_BAC.value
    # Table names come from _meta and level values from the enums: no user input in the SQL text.
    return (
        f"INSERT INTO {line} (dotation_id, formation_id, envelope, level, nsf_code, diploma_code, title, "  # noqa: S608
        "enrolments, forfait_amount, gross_amount) "
        f"SELECT d.id, f.id, CASE WHEN f.level = '{post_bac}' THEN '{Envelope.POST_BAC.value}' "
        f"ELSE '{Envelope.PRE_BAC.value}' END, f.level, f.nsf_code, f.diploma_code, f.title, e.first_year_count, "
        f"CASE WHEN f.level = '{infra_v}' THEN %s ELSE %s END / 100.0, "
        f"CASE WHEN f.level = '{post_bac}' THEN NULL "
        f"ELSE CAST(e.first_year_count AS BIGINT) * CASE WHEN f.level = '{infra_v}' THEN %s ELSE %s END / 100.0 END "
        f"FROM {enrolment} e "
        f"INNER JOIN {formation} f ON f.id = e.formation_id "
        f"INNER JOIN {dotation} d ON d.school_id = e.school_id AND d.school_year_id = f.school_year_id "
        "WHERE f.school_year_id = %s AND e.first_year_count > 0"
    )


def _counts_mismatch_sql() -> str:
    """The dotations of a year whose counts per level are no longer the enrolments' (one aggregate,
    the campaign's own): none, unless an input changed without making the campaign « à recalculer »
    (a write that bypassed the services). The vote checks it before writing the lines from the same
    enrolments, under the year's lock that every enrolment edit takes."""
    dotation, enrolment, formation = Dotation._meta.db_table, Enrolment._meta.db_table, EligibleFormation._meta.db_table
    sums = ", ".join(
        f"SUM(CASE WHEN f.level = '{level.value}' THEN e.first_year_count ELSE 0 END) AS {alias}"
        for level, alias in (
            (FormationLevel.INFRA_V, "prepa"),
            (FormationLevel.PRE_BAC, "pre"),
            (FormationLevel.POST_BAC, "post"),
        )
    )
    return (
        f"SELECT d.id FROM {dotation} d LEFT JOIN (SELECT e.school_id, {sums} FROM {enrolment} e "  # noqa: S608 — _meta
        f"INNER JOIN {formation} f ON f.id = e.formation_id WHERE f.school_year_id = %s AND e.first_year_count > 0 "
        "GROUP BY e.school_id) s ON s.school_id = d.school_id WHERE d.school_year_id = %s "
        "AND (COALESCE(s.prepa, 0) <> d.prepa_metiers_count OR COALESCE(s.pre, 0) <> d.pre_bac_count "
        "OR COALESCE(s.post, 0) <> d.post_bac_count)"
    )


_PER_DOTATION_FIELDS = [
    "scholarship_count",
    "school_enrolments",
    "survey_answered",
    "prepa_metiers_count",
    "pre_bac_count",
    "post_bac_count",
    "scholarship_holders",
    "pre_bac_gross_amount",
    "post_bac_gross_amount",
    "carryover_pre_bac_amount",
    "carryover_post_bac_amount",
    "pre_bac_due_amount",
    "post_bac_due_amount",
    "total_due_amount",
]
_SHARED_FIELDS = ["status", "forfait_amount", "forfait_prepa_metiers_amount", "legacy_scholarship_rate", "computed_at"]
assert set(_PER_DOTATION_FIELDS) | set(_SHARED_FIELDS) == set(DOTATION_COMPUTED_FIELDS)


def _dotations_update(rows: list[tuple[int, dict]], shared: dict) -> None:
    """Write the computed figures of existing dotations in one statement (`rows`: the dotation's id
    and its `_PER_DOTATION_FIELDS`; `shared`: the `_SHARED_FIELDS`, the same for all). Django's
    bulk_update builds one CASE per field and row, which cost seconds at 1 000 lycées; the history
    rows are written by the caller.

    PostgreSQL: UPDATE … FROM unnest(one array per column): 15 parameters whatever the number of
    lycées (a VALUES list of 15 000 parameters cost three times its execution to bind and parse).
    SQLite (≥ 3.33): UPDATE … FROM (VALUES …), some 2 000 rows per statement.
    """
    meta = Dotation._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in _PER_DOTATION_FIELDS]
    shared_fields = [meta.get_field(name) for name in _SHARED_FIELDS]
    shared_params = [f.get_db_prep_save(shared[f.name], connection) for f in shared_fields]
    table = quote(meta.db_table)
    # Column names and types come from _meta; every value is a bound parameter.
    set_shared = [f"{quote(f.column)} = %s" for f in shared_fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(["%s::bigint[]"] + [f"%s::{f.cast_db_type(connection)}[]" for f in fields])
            names = ", ".join(["id"] + [f"c{i}" for i in range(len(fields))])
            assignments = ", ".join(set_shared + [f"{quote(f.column)} = v.c{i}" for i, f in enumerate(fields)])
            columns = [[pk for pk, _values in rows]] + [[values[f.name] for _pk, values in rows] for f in fields]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v({names}) "  # noqa: S608
                f"WHERE {table}.id = v.id",
                shared_params + columns,
            )
            return
        assignments = ", ".join(set_shared + [f"{quote(f.column)} = v.column{i + 2}" for i, f in enumerate(fields)])
        row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
        # As many rows per statement as 30 000 parameters allow (SQLite's default limit is 32 766).
        per_statement = 30_000 // (len(fields) + 1)
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = list(shared_params)
            for pk, values in chunk:
                params.append(pk)
                params.extend(f.get_db_prep_save(values[f.name], connection) for f in fields)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v "  # noqa: S608
                f"WHERE {table}.id = v.column1",
                params,
            )


def _cents(amount: Decimal) -> int:
    cents = round_cent(amount) * 100
    return int(cents)


def _missing_scholarship_counts(names: list[str]) -> ValidationError:
    shown = ", ".join(names[:10])
    if len(names) > 10:
        shown += " " + ngettext("et %(n)d autre", "et %(n)d autres", len(names) - 10) % {"n": len(names) - 10}
    return ValidationError(
        ngettext(
            "Indiquez l'effectif boursier communiqué par l'académie et les effectifs n-1 du lycée suivant, "
            "qui a des élèves post-bac, avant de calculer la campagne (le taux de boursiers se calcule "
            "exactement à partir de ces deux nombres) : %(schools)s.",
            "Indiquez l'effectif boursier communiqué par l'académie et les effectifs n-1 des %(n)d lycées "
            "suivants, qui ont des élèves post-bac, avant de calculer la campagne (le taux de boursiers se "
            "calcule exactement à partir de ces deux nombres) : %(schools)s.",
            len(names),
        )
        % {"n": len(names), "schools": shown}
    )


@transaction.atomic
def campaign_run(*, actor: User | None, school_year: SchoolYear) -> CampaignResult:
    """Compute the initial dotation of every French lycée for a school year, per envelope.

    Set-based, a fixed number of queries whatever the number of lycées and formations:
    1. one aggregate: Σ first-year enrolments per lycée and level (integers: exact in SQL, also on
       SQLite), the situations and carry-overs of the year;
    2. every dotation computed in Python by `rules.initial_dotation`, with the exact scholarship
       rate of `rules.scholarship_rate` (the amounts come from the pure rules only), written in
       batches with a history row per dotation (reason "campaign_run").

    Nothing is written per formation: until the vote, a dotation's detail is read from the
    enrolments (`selectors.dotation_lines`), and any edit of an input makes the campaign « à
    recalculer » (`_mark_stale`). The vote writes the lines once (`campaign_vote`). A lycée with
    post-bac pupils that answered the surveys needs its scholarship count and enrolments (ARE-5).
    """
    _require_officer(actor)
    year = _lock_year(school_year)
    _refuse_if_voted(year, _("la campagne"))
    if not year.forfaits_confirmed:
        raise ValidationError(
            _("Confirmez les forfaits de l'année %(y)s avant de calculer la campagne.") % {"y": year.label}
        )
    now = timezone.now()
    schools = list(_campaign_schools().order_by("name").values_list("pk", "code", "name"))
    situations = {
        s: (count, enrolments, survey)
        for s, count, enrolments, survey in SchoolSituation.objects.filter(school_year=year).values_list(
            "school_id", "scholarship_count", "school_enrolments", "survey_answered"
        )
    }
    carry: dict[tuple[int, str], Decimal] = {
        (s, e): a
        for s, e, a in CarryOver.objects.filter(school_year=year).values_list("school_id", "envelope", "amount")
    }
    counts_of: dict[int, dict[str, int]] = {}
    for school_id, level, count in (
        Enrolment.objects.filter(formation__school_year=year, first_year_count__gt=0)
        .order_by()
        .values("school_id", "formation__level")
        .annotate(total=Sum("first_year_count"))
        .values_list("school_id", "formation__level", "total")
    ):
        counts_of.setdefault(school_id, {})[level] = int(count)
    missing = [
        f"{name} ({code})"
        for school_id, code, name in schools
        if counts_of.get(school_id, {}).get(FormationLevel.POST_BAC)
        and situations.get(school_id, (None, None, False))[2]
        and situations[school_id][0] is None
    ]
    if missing:
        raise _missing_scholarship_counts(missing)
    existing = dict(Dotation.objects.filter(school_year=year).values_list("school_id", "pk"))

    forfait, forfait_prepa = year.forfait_amount, year.forfait_prepa_metiers_amount
    shared = {
        "status": DotationStatus.COMPUTED,
        "forfait_amount": forfait,
        "forfait_prepa_metiers_amount": forfait_prepa,
        "legacy_scholarship_rate": None,
        "computed_at": now,
    }
    to_create, to_update = [], []
    total = ZERO
    for school_id, _code, _name in schools:
        counts = counts_of.get(school_id, {})
        prepa = counts.get(FormationLevel.INFRA_V, 0)
        pre = counts.get(FormationLevel.PRE_BAC, 0)
        post = counts.get(FormationLevel.POST_BAC, 0)
        scholarship_count, school_enrolments, survey = situations.get(school_id, (None, None, False))
        # No count: no post-bac pupil, or no survey answer (nothing is due): the rate plays no part.
        rate = (
            rules.scholarship_rate(scholarship_count, school_enrolments)
            if scholarship_count is not None
            else rules.scholarship_rate(0, 1)
        )
        carry_pre = round_cent(carry.get((school_id, Envelope.PRE_BAC), ZERO))
        carry_post = round_cent(carry.get((school_id, Envelope.POST_BAC), ZERO))
        result = rules.initial_dotation(
            prepa_metiers=prepa,
            pre_bac=pre,
            post_bac=post,
            scholarship_rate=rate,
            forfait=forfait,
            forfait_prepa_metiers=forfait_prepa,
            carryover_pre_bac=carry_pre,
            carryover_post_bac=carry_post,
            survey_answered=survey,
        )
        values = {
            "scholarship_count": scholarship_count,
            "school_enrolments": school_enrolments,
            "survey_answered": survey,
            "prepa_metiers_count": prepa,
            "pre_bac_count": pre,
            "post_bac_count": post,
            "scholarship_holders": result.scholarship_holders,
            "pre_bac_gross_amount": result.pre_bac_gross,
            "post_bac_gross_amount": result.post_bac_gross,
            "carryover_pre_bac_amount": carry_pre,
            "carryover_post_bac_amount": carry_post,
            "pre_bac_due_amount": result.pre_bac_due,
            "post_bac_due_amount": result.post_bac_due,
            "total_due_amount": result.total_due,
        }
        if school_id in existing:
            to_update.append((existing[school_id], values))
        else:
            to_create.append(Dotation(school_id=school_id, school_year=year, **shared, **values))
        total += result.total_due

    if to_update:
        _dotations_update(to_update, shared)
        # Before any creation, so that the rows stamped `now` are exactly the ones just updated.
        _dotations_history_insert(year, history_type="~", actor=actor, now=now, reason="campaign_run", computed_at=now)
    if to_create and not existing:
        Dotation.objects.bulk_create(to_create, batch_size=BATCH)
        _dotations_history_insert(year, history_type="+", actor=actor, now=now, reason="campaign_run", computed_at=now)
    elif to_create:  # lycées added since the first run: a few rows, simple-history's own path
        bulk_create_with_history(
            to_create, Dotation, batch_size=BATCH, default_user=actor, default_change_reason="campaign_run"
        )
    before = year.campaign_status
    year.campaign_status = CampaignStatus.COMPUTED
    year.campaign_computed_at = now
    year.save(update_fields=["campaign_status", "campaign_computed_at"])
    audit_record(
        actor=actor,
        action="lycee_aid.campaign_run",
        obj=year,
        before={"status": before},
        after={"status": year.campaign_status, "dotations": len(schools), "total_due": str(total)},
    )
    return CampaignResult(dotations=len(schools), total_due=total)


@transaction.atomic
def campaign_vote(
    *,
    actor: User | None,
    school_year: SchoolYear,
    reference: str,
    voted_on: date,
    computed_at: datetime | None = None,
) -> SchoolYear:
    """Record the standing committee's vote: the dotations of the year are frozen (ARE-4..7).

    Refused unless the campaign is computed and unchanged since (« à recalculer » is refused), and,
    with `computed_at` (the computation whose totals the officer was shown), unless it is that one.
    The vote checks, in one aggregate, that the enrolments still give each dotation's counts, then
    writes, set-based and once:
    - every dotation's status and the deliberation (one UPDATE), with a history row each
      (INSERT … SELECT, reason "campaign_vote");
    - every formation line from the enrolments (one INSERT … SELECT, `_lines_insert_sql`): the
      figures the dotation's detail showed, since no input changed since the computation.
    """
    _require_officer(actor)
    year = _lock_year(school_year)
    if year.is_voted:
        raise ValidationError(
            _("La campagne %(y)s a déjà été votée (délibération %(r)s).")
            % {"y": year.label, "r": year.standing_committee_reference}
        )
    if year.campaign_status == CampaignStatus.STALE:
        raise ValidationError(
            _(
                "Des effectifs, une situation de lycée, un reliquat, les forfaits ou la liste des formations ont "
                "changé depuis le calcul de la campagne : recalculez la campagne et vérifiez ses totaux avant "
                "d'enregistrer le vote."
            )
        )
    if year.campaign_status != CampaignStatus.COMPUTED:
        raise ValidationError(_("Calculez la campagne avant d'enregistrer le vote."))
    if computed_at is not None and computed_at != year.campaign_computed_at:
        raise ValidationError(
            _(
                "La campagne a été recalculée depuis l'affichage des totaux (le %(d)s) : vérifiez les nouveaux "
                "totaux avant d'enregistrer le vote."
            )
            % {"d": timezone.localtime(year.campaign_computed_at).strftime("%d/%m/%Y %H:%M")}
        )
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Indiquez la référence de la délibération.")})
    if voted_on is None or voted_on > timezone.localdate():
        raise ValidationError({"voted_on": _("La date du vote ne peut pas être dans le futur.")})
    with connection.cursor() as cursor:
        cursor.execute(_counts_mismatch_sql(), [year.pk, year.pk])
        mismatched = cursor.fetchall()
    if mismatched:
        raise ValidationError(
            ngettext(
                "Les effectifs d'une dotation ne correspondent plus à son calcul : recalculez la campagne avant "
                "d'enregistrer le vote.",
                "Les effectifs de %(n)d dotations ne correspondent plus à leur calcul : recalculez la campagne "
                "avant d'enregistrer le vote.",
                len(mismatched),
            )
            % {"n": len(mismatched)}
        )
    now = timezone.now()
    voted = Dotation.objects.filter(school_year=year).update(
        status=DotationStatus.VOTED, standing_committee_reference=reference, standing_committee_date=voted_on
    )
    _dotations_history_insert(year, history_type="~", actor=actor, now=now, reason="campaign_vote")
    prepa_cents, forfait_cents = _cents(year.forfait_prepa_metiers_amount), _cents(year.forfait_amount)
    with connection.cursor() as cursor:
        cursor.execute(_lines_insert_sql(), [prepa_cents, forfait_cents, prepa_cents, forfait_cents, year.pk])
        lines = cursor.rowcount
    year.campaign_status = CampaignStatus.VOTED
    year.standing_committee_reference = reference
    year.standing_committee_date = voted_on
    year.full_clean()
    year.save()
    audit_record(
        actor=actor,
        action="lycee_aid.campaign_vote",
        obj=year,
        before={"status": CampaignStatus.COMPUTED},
        after={
            "status": CampaignStatus.VOTED,
            "reference": reference,
            "date": voted_on.isoformat(),
            "dotations": voted,
            "lines": lines,
        },
    )
    return year


@transaction.atomic
def campaign_notify(*, actor: User | None, school_year: SchoolYear) -> int:
    """Mark every voted dotation of the year as notified (the lycées see their notification PDF);
    the campaign is « notifiée »."""
    _require_officer(actor)
    year = _lock_year(school_year)
    if not year.is_voted:
        raise ValidationError(_("La campagne doit être votée avant d'être notifiée."))
    now = timezone.now()
    dotations = list(Dotation.objects.select_for_update().filter(school_year=year, status=DotationStatus.VOTED))
    if not dotations:  # already notified (a second click, or a colleague at the same time): no second event
        raise ValidationError(_("Les dotations votées de %(y)s sont déjà toutes notifiées.") % {"y": year.label})
    for d in dotations:
        d.status, d.notified_at = DotationStatus.NOTIFIED, now
    bulk_update_with_history(
        dotations,
        Dotation,
        ["status", "notified_at"],
        batch_size=BATCH,
        default_user=actor,
        default_change_reason="notify",
    )
    before = year.campaign_status
    year.campaign_status = CampaignStatus.NOTIFIED
    year.save(update_fields=["campaign_status"])
    audit_record(
        actor=actor,
        action="lycee_aid.campaign_notify",
        obj=year,
        before={"status": before},
        after={"status": year.campaign_status, "notified": len(dotations)},
    )
    notices.dotations_notified(dotations)
    return len(dotations)


@transaction.atomic
def dotation_mark_paid(
    *, actor: User | None, dotation: Dotation, payment_date: date | None = None, payment_reference: str = ""
) -> Dotation:
    """Record the payment of a notified dotation (date of the transfer and reference of the payment
    order when given); when every dotation of the year with an amount due is paid, the campaign is
    « versée » (a 0 € dotation has nothing to pay)."""
    _require_officer(actor)
    payment_reference = (payment_reference or "").strip()
    if payment_date is not None and payment_date > timezone.localdate():
        raise ValidationError({"payment_date": _("La date du virement ne peut pas être dans le futur.")})
    if payment_date is not None and dotation.notified_at and payment_date < timezone.localdate(dotation.notified_at):
        raise ValidationError(
            {
                "payment_date": _("La date du virement ne peut pas précéder la notification du %(d)s.")
                % {"d": f"{timezone.localdate(dotation.notified_at):%d/%m/%Y}"}
            }
        )
    # The year first, as the vote and the notification lock it: two payments of the same year are
    # serialised, so the last one sees every other and marks the campaign paid, once.
    year = _lock_year(dotation.school_year)
    d = Dotation.objects.select_for_update().get(pk=dotation.pk)
    if d.status != DotationStatus.NOTIFIED:
        raise ValidationError(_("Seule une dotation notifiée peut être marquée comme versée."))
    d.status, d.paid_at = DotationStatus.PAID, timezone.now()
    d.payment_date, d.payment_reference = payment_date, payment_reference
    d.save(update_fields=["status", "paid_at", "payment_date", "payment_reference"])
    after = {"status": "paid"}
    if payment_date is not None:
        after["payment_date"] = payment_date.isoformat()
    if payment_reference:
        after["payment_reference"] = payment_reference
    audit_record(actor=actor, action="lycee_aid.dotation_paid", obj=d, before={"status": "notified"}, after=after)
    unpaid = Dotation.objects.filter(school_year=year, total_due_amount__gt=0).exclude(status=DotationStatus.PAID)
    if year.campaign_status == CampaignStatus.NOTIFIED and not unpaid.exists():
        year.campaign_status = CampaignStatus.PAID
        year.save(update_fields=["campaign_status"])
        audit_record(
            actor=actor,
            action="lycee_aid.campaign_paid",
            obj=year,
            before={"status": CampaignStatus.NOTIFIED},
            after={"status": CampaignStatus.PAID},
        )
    return d


# -- supplementary requests (ARE-8) --------------------------------------------------------------


def _formations_of(year: SchoolYear, ids) -> dict[int, EligibleFormation]:
    found = EligibleFormation.objects.in_bulk([i for i in ids if isinstance(i, int)])
    return {pk: f for pk, f in found.items() if f.school_year_id == year.pk}


@transaction.atomic
def supplementary_request_submit(
    *, actor: User, school: School, school_year: SchoolYear, justification: str, lines: list[tuple[int, int]]
) -> SupplementaryRequest:
    """A lycée asks for a supplementary dotation: per eligible formation, the additional pupils
    (pré-bac) or scholarship holders (post-bac).

    ARE-8, no duplicate: a formation appears in one request per lycée and school year, unless that
    request was rejected (the lycée may then ask again). A request listing a formation already in a
    pending or accepted request of the lycée is refused, naming it. The lycée's row is locked, so
    that two submissions at once are checked one after the other. (No database constraint: the
    rule depends on the status of the other request, which a constraint on the lines cannot see.)
    """
    _require_school(actor, school)
    School.objects.select_for_update().get(pk=school.pk)
    year = SchoolYear.objects.get(pk=school_year.pk)
    if not year.is_voted:
        raise ValidationError(_("Une dotation complémentaire se demande après le vote de la dotation initiale."))
    if not (justification or "").strip():
        raise ValidationError({"justification": _("Expliquez la raison de la demande.")})
    formations = _formations_of(year, [f for f, _c in lines])
    errors, seen = [], set()
    for formation_id, count in lines:
        if formation_id not in formations:
            errors.append(_("Une formation n'est pas éligible pour l'année %(y)s.") % {"y": year.label})
        elif formation_id in seen:
            errors.append(_("La formation %(c)s figure deux fois.") % {"c": formations[formation_id].diploma_code})
        elif isinstance(count, bool) or not isinstance(count, int) or count <= 0:
            errors.append(_("Un effectif supplémentaire doit être un nombre entier positif."))
        seen.add(formation_id)
    if not lines:
        errors.append(_("Indiquez au moins une formation."))
    if errors:
        raise ValidationError(errors)
    taken = (
        SupplementaryRequestLine.objects.filter(
            request__school=school,
            request__school_year=year,
            request__status__in=[RequestStatus.SUBMITTED, RequestStatus.ACCEPTED],
            formation_id__in=seen,
        )
        .select_related("request", "formation")
        .order_by("formation__diploma_code")
    )
    duplicates = [
        _(
            "La formation %(c)s %(t)s figure déjà dans la demande %(r)s (%(s)s) : une formation ne fait l'objet "
            "que d'une demande par lycée et par année scolaire, sauf si la précédente a été rejetée."
        )
        % {
            "c": line.formation.diploma_code,
            "t": line.formation.title,
            "r": line.request.reference,
            "s": line.request.get_status_display(),
        }
        for line in taken
    ]
    if duplicates:
        raise ValidationError(duplicates)
    request = SupplementaryRequest(
        school=school,
        school_year=year,
        justification=justification.strip(),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    request.full_clean()
    request.save()
    SupplementaryRequestLine.objects.bulk_create(
        [SupplementaryRequestLine(request=request, formation_id=f, additional_count=c) for f, c in lines]
    )
    audit_record(actor=actor, action="lycee_aid.supplementary_request_submit", obj=request, after={"lines": len(lines)})
    return request


@transaction.atomic
def supplementary_request_decide(
    *, actor: User | None, request: SupplementaryRequest, accept: bool, reason: str = ""
) -> SupplementaryRequest:
    """The officer accepts (amount = additional × forfait, per envelope) or rejects with a reason."""
    _require_officer(actor)
    req = SupplementaryRequest.objects.select_for_update().select_related("school_year").get(pk=request.pk)
    if req.status != RequestStatus.SUBMITTED:
        raise ValidationError(_("Cette demande a déjà été traitée (%(s)s).") % {"s": req.get_status_display()})
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Indiquez le motif du rejet.")})
    year = req.school_year
    req.decided_by, req.decided_at, req.decision_reason = actor, timezone.now(), reason
    if accept:
        amounts = {Envelope.PRE_BAC: ZERO, Envelope.POST_BAC: ZERO}
        lines = list(req.lines.select_related("formation"))
        for line in lines:
            unit = year.forfait_prepa_metiers_amount if line.formation.is_prepa_metiers else year.forfait_amount
            line.amount = rules.supplementary_amount(line.additional_count, unit)
            amounts[line.formation.envelope] += line.amount
        SupplementaryRequestLine.objects.bulk_update(lines, ["amount"])
        req.status = RequestStatus.ACCEPTED
        req.forfait_amount = year.forfait_amount
        req.forfait_prepa_metiers_amount = year.forfait_prepa_metiers_amount
        req.pre_bac_amount = round_cent(amounts[Envelope.PRE_BAC])
        req.post_bac_amount = round_cent(amounts[Envelope.POST_BAC])
        req.total_amount = round_cent(req.pre_bac_amount + req.post_bac_amount)
    else:
        req.status = RequestStatus.REJECTED
    req.full_clean()
    req.save()
    audit_record(
        actor=actor,
        action="lycee_aid.supplementary_request_decide",
        obj=req,
        before={"status": RequestStatus.SUBMITTED},
        after={"status": req.status, "total": str(req.total_amount)},
        reason=reason,
    )
    return req


# -- usage reports (ARE-9) -------------------------------------------------------------------------


@dataclass(frozen=True)
class UsageLineInput:
    formation_id: int
    pupils_equipped: int
    spent_amount: Decimal
    equipment_types: tuple[str, ...]
    non_scholarship_equipped: int = 0


def received_per_envelope(school: School, year: SchoolYear) -> dict[str, Decimal]:
    """Dotations received for the year: the voted initial dotation and the accepted supplementary ones."""
    received = {Envelope.PRE_BAC: ZERO, Envelope.POST_BAC: ZERO}
    dotation = Dotation.objects.filter(school=school, school_year=year).exclude(status=DotationStatus.COMPUTED).first()
    if dotation is not None:
        received[Envelope.PRE_BAC] += dotation.pre_bac_due_amount
        received[Envelope.POST_BAC] += dotation.post_bac_due_amount
    for pre, post in SupplementaryRequest.objects.filter(
        school=school, school_year=year, status=RequestStatus.ACCEPTED
    ).values_list("pre_bac_amount", "post_bac_amount"):
        received[Envelope.PRE_BAC] += pre or ZERO
        received[Envelope.POST_BAC] += post or ZERO
    return received


def carryover_per_envelope(school: School, year: SchoolYear) -> dict[str, Decimal]:
    rows = dict(CarryOver.objects.filter(school=school, school_year=year).values_list("envelope", "amount"))
    return {e: rows.get(e, ZERO) for e in (Envelope.PRE_BAC, Envelope.POST_BAC)}


@transaction.atomic
def usage_report_submit(
    *, actor: User, school: School, school_year: SchoolYear, lines: list[UsageLineInput]
) -> UsageReport:
    """File the year-end usage report; what remains per envelope becomes next year's carry-over."""
    _require_school(actor, school)
    School.objects.select_for_update().get(pk=school.pk)
    year = SchoolYear.objects.get(pk=school_year.pk)
    if not year.is_voted:
        raise ValidationError(_("Le compte rendu se dépose une fois la dotation de l'année votée."))
    if UsageReport.objects.filter(school=school, school_year=year).exists():
        raise ValidationError(_("Le compte rendu d'utilisation %(y)s a déjà été déposé.") % {"y": year.label})
    next_year = _lock_year(_school_year_for(year.start_year + 1))
    if next_year.is_voted:
        raise ValidationError(
            _("La campagne %(y)s est déjà votée : le reliquat ne peut plus y être reporté.") % {"y": next_year.label}
        )
    formations = _formations_of(year, [line.formation_id for line in lines])
    errors, seen = [], set()
    spent = {Envelope.PRE_BAC: ZERO, Envelope.POST_BAC: ZERO}
    for line in lines:
        f = formations.get(line.formation_id)
        if f is None:
            errors.append(_("Une formation n'est pas éligible pour l'année %(y)s.") % {"y": year.label})
            continue
        label = f.diploma_code
        if f.pk in seen:
            errors.append(_("La formation %(c)s figure deux fois.") % {"c": label})
        seen.add(f.pk)
        if line.pupils_equipped < 0 or line.non_scholarship_equipped < 0 or line.spent_amount < 0:
            errors.append(_("Formation %(c)s : les nombres et montants sont positifs ou nuls.") % {"c": label})
        if line.non_scholarship_equipped and f.envelope != Envelope.POST_BAC:
            errors.append(
                _(
                    "Formation %(c)s : les non-boursiers équipés sur décision du chef d'établissement ne concernent que le post-bac."
                )
                % {"c": label}
            )
        if line.non_scholarship_equipped > line.pupils_equipped:
            errors.append(_("Formation %(c)s : les non-boursiers équipés dépassent les élèves équipés.") % {"c": label})
        if set(line.equipment_types) - set(EquipmentType.values):
            errors.append(_("Formation %(c)s : type d'équipement inconnu.") % {"c": label})
        if line.spent_amount > 0 and not line.equipment_types:
            errors.append(_("Formation %(c)s : indiquez les types d'équipements achetés.") % {"c": label})
        spent[f.envelope] += round_cent(line.spent_amount)
    received = received_per_envelope(school, year)
    carried = carryover_per_envelope(school, year)
    for envelope, label in Envelope.choices:
        available = received[envelope] + carried[envelope]
        if spent[envelope] > available:
            errors.append(
                _("Enveloppe %(e)s : les dépenses (%(s)s €) dépassent les crédits disponibles (%(a)s €).")
                % {"e": label, "s": spent[envelope], "a": available}
            )
    if errors:
        raise ValidationError(errors)
    remaining = {
        e: rules.remaining_carryover(received=received[e], carryover=carried[e], spent=spent[e]) for e in spent
    }
    report = UsageReport(
        school=school,
        school_year=year,
        submitted_by=actor,
        submitted_at=timezone.now(),
        received_pre_bac_amount=received[Envelope.PRE_BAC],
        received_post_bac_amount=received[Envelope.POST_BAC],
        carryover_pre_bac_amount=carried[Envelope.PRE_BAC],
        carryover_post_bac_amount=carried[Envelope.POST_BAC],
        spent_pre_bac_amount=spent[Envelope.PRE_BAC],
        spent_post_bac_amount=spent[Envelope.POST_BAC],
        remaining_pre_bac_amount=remaining[Envelope.PRE_BAC],
        remaining_post_bac_amount=remaining[Envelope.POST_BAC],
    )
    report.full_clean()
    report.save()
    UsageReportLine.objects.bulk_create(
        [
            UsageReportLine(
                report=report,
                formation_id=line.formation_id,
                pupils_equipped=line.pupils_equipped,
                non_scholarship_equipped=line.non_scholarship_equipped,
                spent_amount=round_cent(line.spent_amount),
                equipment_types=sorted(set(line.equipment_types)),
            )
            for line in lines
        ]
    )
    existing = {
        c.envelope: c for c in CarryOver.objects.select_for_update().filter(school=school, school_year=next_year)
    }
    carried_changed = False
    for envelope, amount in remaining.items():
        row = existing.get(envelope) or CarryOver(school=school, school_year=next_year, envelope=envelope)
        carried_changed |= row.pk is None or row.amount != amount
        row.amount, row.origin = amount, CarryOverOrigin.USAGE_REPORT
        row.full_clean()
        row.save()
    if carried_changed:  # ARE-6: next year's computed dotation deducted the former carry-over
        _mark_stale(next_year, actor=actor, cause=f"carry-over {school.code}")
    audit_record(
        actor=actor,
        action="lycee_aid.usage_report_submit",
        obj=report,
        after={"remaining": {k: str(v) for k, v in remaining.items()}, "carried_to": next_year.label},
    )
    return report


# -- CPGE competition-fee aid (ARE-10) ---------------------------------------------------------------


def _normalised_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’.]+", " ", text.casefold()).strip()


def pupil_key(last_name: str, first_name: str, birth_date: date | None) -> str:
    """A pupil's identity for « one request per pupil and school year »: names without case,
    accents or punctuation, and the birth date (« MARTIN Lea » is « Martin Léa »)."""
    born = birth_date.isoformat() if birth_date else ""
    return f"{_normalised_name(last_name)}|{_normalised_name(first_name)}|{born}"[:220]


def _cpge_duplicate(year: SchoolYear, last: str, first: str, born: date) -> ValidationError:
    return ValidationError(
        _(
            "Une demande d'aide aux frais de concours a déjà été enregistrée pour cet élève (%(name)s, né(e) le "
            "%(born)s) en %(y)s : une seule demande par élève et par année scolaire."
        )
        % {"name": f"{last} {first}", "born": born.strftime("%d/%m/%Y"), "y": year.label}
    )


@transaction.atomic
def cpge_aid_request_submit(
    *,
    actor: User,
    school: School,
    school_year: SchoolYear,
    pupil_last_name: str,
    pupil_first_name: str,
    pupil_birth_date: date,
    second_year: bool,
    family_quotient,
    competitions: int,
) -> CpgeAidRequest:
    """A lycée files a CPGE competition-fee request for one pupil (ARE-10), amount frozen now.

    `rules.cpge_aid`: forfait × competitions within the limit of three per pupil; a 0 € result
    records why (not a second-year pupil, family quotient above 10 140 €). One request per pupil
    (name and birth date) and school year, whichever lycée files it: the check gives the message,
    and the unique constraint on the pupil key holds when two requests race.
    """
    _require_school(actor, school)
    year = SchoolYear.objects.get(pk=school_year.pk)
    if year.forfait_cpge_amount is None or year.forfait_cpge_amount <= 0:
        raise ValidationError(_("Le forfait CPGE de l'année %(y)s n'est pas encore fixé.") % {"y": year.label})
    quotient = round_cent(family_quotient)
    last, first = (pupil_last_name or "").strip(), (pupil_first_name or "").strip()
    errors = {}
    if quotient < 0:
        errors["family_quotient"] = _("Le quotient familial ne peut pas être négatif.")
    if isinstance(competitions, bool) or not isinstance(competitions, int) or not (1 <= competitions <= 30):
        errors["competitions"] = _("Indiquez un nombre de concours entre 1 et 30.")
    # A second-year CPGE pupil is some 19 years old at the start of the year: 15 to 40 is plausible.
    if pupil_birth_date is None:
        errors["pupil_birth_date"] = _("Indiquez la date de naissance de l'élève.")
    elif not (date(year.start_year - 40, 9, 1) <= pupil_birth_date <= date(year.start_year - 15, 9, 1)):
        errors["pupil_birth_date"] = _(
            "La date de naissance n'est pas plausible pour un élève de CPGE (entre 15 et 40 ans à la rentrée %(y)d)."
        ) % {"y": year.start_year}
    if not _normalised_name(last) or not _normalised_name(first):
        errors["pupil_last_name"] = _("Indiquez le nom et le prénom de l'élève.")
    if errors:
        raise ValidationError(errors)
    key = pupil_key(last, first, pupil_birth_date)
    legacy_key = pupil_key(last, first, None)  # a request filed before the birth date was asked for
    if CpgeAidRequest.objects.filter(school_year=year, pupil_key__in=[key, legacy_key]).exists():
        raise _cpge_duplicate(year, last, first, pupil_birth_date)
    aid = rules.cpge_aid(
        second_year=second_year, family_quotient=quotient, competitions=competitions, forfait=year.forfait_cpge_amount
    )
    request = CpgeAidRequest(
        school=school,
        school_year=year,
        pupil_last_name=last,
        pupil_first_name=first,
        pupil_birth_date=pupil_birth_date,
        pupil_key=key,
        second_year=second_year,
        family_quotient_amount=quotient,
        competitions=competitions,
        competitions_paid=aid.competitions_paid,
        forfait_amount=year.forfait_cpge_amount,
        aid_amount=aid.amount,
        refusal_reason=CpgeRefusal(aid.refusal) if aid.refusal else "",
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # the same pupil filed at the same moment by someone else
        raise _cpge_duplicate(year, last, first, pupil_birth_date) from None
    audit_record(
        actor=actor,
        action="lycee_aid.cpge_aid_request_submit",
        obj=request,
        after={"amount": str(aid.amount), "competitions_paid": aid.competitions_paid, "refusal": aid.refusal or ""},
    )
    return request
