"""Use cases of the ARE (seed 003): one function per use case, in a transaction, with the permission
check, the row lock of what changes, and one audit event per state transition.

Business errors are ValidationError with French messages (per field where possible).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.enums import Country, Scheme
from core.models import School, User
from core.rules import round_cent, to_decimal
from core.selectors import is_officer, schools_for
from core.services import audit_record

from . import rules
from .enums import (
    CampaignStatus,
    CarryOverOrigin,
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
    "scholarship_rate",
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
        audit_record(
            actor=actor,
            action="lycee_aid.formations_import",
            obj=year,
            after={"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
        )
    return report


# -- lycée situation: scholarship rate, survey, carry-overs (ARE-5..7) --------------------------


@transaction.atomic
def situation_set(
    *,
    actor: User | None,
    school: School,
    school_year: SchoolYear,
    scholarship_rate,
    survey_answered: bool,
    carryover_pre_bac,
    carryover_post_bac,
) -> SchoolSituation:
    _require_officer(actor)
    if school.country != Country.FRANCE:
        raise Http404(_("Établissement introuvable."))
    year = _lock_year(school_year)
    _refuse_if_voted(year, _("la situation du lycée"))
    rate = to_decimal(scholarship_rate)
    if not (0 <= rate <= 1):
        raise ValidationError({"scholarship_rate": _("Le taux de boursiers est une fraction comprise entre 0 et 1.")})
    carry = {Envelope.PRE_BAC: round_cent(carryover_pre_bac), Envelope.POST_BAC: round_cent(carryover_post_bac)}
    errors = {}
    for envelope, amount in carry.items():
        if amount < 0:
            errors[f"carryover_{envelope}"] = _("Un reliquat ne peut pas être négatif.")
    if errors:
        raise ValidationError(errors)
    situation = SchoolSituation.objects.select_for_update().filter(school=school, school_year=year).first()
    before = (
        None if situation is None else {"rate": str(situation.scholarship_rate), "survey": situation.survey_answered}
    )
    situation = situation or SchoolSituation(school=school, school_year=year)
    situation.scholarship_rate = rate
    situation.survey_answered = survey_answered
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
    audit_record(
        actor=actor,
        action="lycee_aid.situation_set",
        obj=situation,
        before=before,
        after={"rate": str(rate), "survey": survey_answered, "carry": {k: str(v) for k, v in carry.items()}},
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
        audit_record(
            actor=actor,
            action="lycee_aid.enrolments_save",
            obj=school,
            after={"school_year": year.label, "changed": changed},
        )
    return changed


def _check_enrolment_window(school: School, year: SchoolYear) -> SchoolYear:
    # Serialise the edits of one lycée (two staff saving at once): lock the lycée's row.
    School.objects.select_for_update().get(pk=school.pk)
    year = SchoolYear.objects.get(pk=year.pk)
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
    lines: int
    total_due: Decimal


def _campaign_schools():
    return School.objects.filter(country=Country.FRANCE)


def _dotations_history_insert(year: SchoolYear, *, history_type: str, actor: User | None, now) -> None:
    """One history row per dotation this run wrote, copied by the database (INSERT … SELECT).

    The same rows as simple-history's `bulk_history_create` (every field, reason "campaign_run"),
    in one statement whatever the number of lycées: SQLite's parameter limit split the bulk
    version into a statement per ~30 dotations. Columns come from the historical model's _meta.
    The rows of this run are those computed at `now`: a dotation of the year that the run left
    alone (a school no longer French, say) gets no history row.
    """
    history = Dotation.history.model._meta
    columns = [f.column for f in history.concrete_fields if not f.name.startswith("history_")]
    quote = connection.ops.quote_name
    copied = ", ".join(quote(c) for c in columns)
    stamp = history.get_field("history_date").get_db_prep_save(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history.db_table)} ({copied}, history_date, history_type, "  # noqa: S608 — names from _meta
            f"history_user_id, history_change_reason) SELECT {copied}, %s, %s, %s, %s "
            f"FROM {quote(Dotation._meta.db_table)} WHERE school_year_id = %s AND computed_at = %s",
            [stamp, history_type, actor.pk if actor else None, "campaign_run", year.pk, stamp],
        )


def _lines_insert_sql() -> str:
    """One INSERT … SELECT writing every frozen line of a campaign (ARE-4, ARE-5), set-based.

    Line amount = enrolments × forfait (pré-bac; 3e prépa-métiers at their own forfait), NULL in
    post-bac (the computation is on scholarship holders). The forfaits are bound as integer cents
    and the product is an exact integer in both engines; it is divided by 100 only at the end
    (PostgreSQL: numeric, exact; SQLite: a whole number of euros comes back as an integer, and a
    cent value is a double of at most 12 digits, read back by Django rounded to the cent — exact).
    """
    line, dotation, enrolment = DotationLine._meta.db_table, Dotation._meta.db_table, Enrolment._meta.db_table
    formation, school = EligibleFormation._meta.db_table, School._meta.db_table
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
        f"INNER JOIN {school} s ON s.id = e.school_id "
        f"INNER JOIN {dotation} d ON d.school_id = e.school_id AND d.school_year_id = f.school_year_id "
        "WHERE f.school_year_id = %s AND e.first_year_count > 0 AND s.country = %s"
    )


_PER_DOTATION_FIELDS = [
    "scholarship_rate",
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
_SHARED_FIELDS = ["status", "forfait_amount", "forfait_prepa_metiers_amount", "computed_at"]
assert set(_PER_DOTATION_FIELDS) | set(_SHARED_FIELDS) == set(DOTATION_COMPUTED_FIELDS)


def _dotations_update(dotations: list[Dotation], *, now) -> None:
    """Write the computed figures of existing dotations: UPDATE … FROM (VALUES …), some 2 000
    rows per statement (PostgreSQL, SQLite ≥ 3.33). Django's bulk_update builds one CASE per field
    and row, which cost seconds at 1 000 lycées; the history rows are written by the caller."""
    meta = Dotation._meta
    fields = [meta.get_field(name) for name in _PER_DOTATION_FIELDS]
    shared = [meta.get_field(name) for name in _SHARED_FIELDS]
    first = dotations[0]
    shared_params = [f.get_db_prep_save(getattr(first, f.attname), connection) for f in shared]
    # Column names come from _meta; every value is a bound parameter.
    assignments = ", ".join(
        [f"{connection.ops.quote_name(f.column)} = %s" for f in shared]
        + [f"{connection.ops.quote_name(f.column)} = v.column{i + 2}" for i, f in enumerate(fields)]
    )
    row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    table = connection.ops.quote_name(meta.db_table)
    # As many rows per statement as 30 000 parameters allow (SQLite's default limit is 32 766,
    # PostgreSQL's 65 535): one statement up to ~2 000 lycées.
    per_statement = 30_000 // (len(fields) + 1)
    with connection.cursor() as cursor:
        for start in range(0, len(dotations), per_statement):
            chunk = dotations[start : start + per_statement]
            params = list(shared_params)
            for d in chunk:
                params.append(d.pk)
                params.extend(f.get_db_prep_save(getattr(d, f.attname), connection) for f in fields)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v "  # noqa: S608
                f"WHERE {table}.id = v.column1",
                params,
            )


def _cents(amount: Decimal) -> int:
    cents = round_cent(amount) * 100
    return int(cents)


@transaction.atomic
def campaign_run(*, actor: User | None, school_year: SchoolYear) -> CampaignResult:
    """Compute the initial dotation of every French lycée for a school year, per envelope.

    Set-based, a fixed number of queries whatever the number of lycées and formations:
    1. one aggregate: Σ first-year enrolments per lycée and level (integers: exact in SQL, also on
       SQLite), the situations and carry-overs of the year;
    2. every dotation computed in Python by `rules.initial_dotation` (the amounts come from the
       pure rules only) and written in batches, with a history row per dotation;
    3. the frozen lines (one per lycée and formation with enrolments) written by one
       INSERT … SELECT inside the database (`_lines_insert_sql`): nothing of the 200 000 lines
       travels through Python.

    History: each run adds one history row per dotation (reason "campaign_run", with its totals,
    counts, forfaits, rate and carry-overs). The lines carry no history row (DotationLine): they
    are written once per run and never edited; a re-run of a campaign not voted yet deletes and
    rewrites them, and once voted they can no longer change, so the lines in the table are exactly
    those of the voted computation.
    """
    _require_officer(actor)
    year = _lock_year(school_year)
    _refuse_if_voted(year, _("la campagne"))
    if not year.forfaits_confirmed:
        raise ValidationError(
            _("Confirmez les forfaits de l'année %(y)s avant de calculer la campagne.") % {"y": year.label}
        )
    now = timezone.now()
    schools = list(_campaign_schools().values_list("pk", flat=True))
    situations = {
        s: (rate, survey)
        for s, rate, survey in SchoolSituation.objects.filter(school_year=year).values_list(
            "school_id", "scholarship_rate", "survey_answered"
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
    existing = {d.school_id: d for d in Dotation.objects.filter(school_year=year)}

    forfait, forfait_prepa = year.forfait_amount, year.forfait_prepa_metiers_amount
    to_create, to_update = [], []
    total = ZERO
    for school_id in schools:
        counts = counts_of.get(school_id, {})
        prepa = counts.get(FormationLevel.INFRA_V, 0)
        pre = counts.get(FormationLevel.PRE_BAC, 0)
        post = counts.get(FormationLevel.POST_BAC, 0)
        rate, survey = situations.get(school_id, (Decimal("0"), False))
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
        dotation = existing.get(school_id) or Dotation(school_id=school_id, school_year=year)
        dotation.status = DotationStatus.COMPUTED
        dotation.forfait_amount = forfait
        dotation.forfait_prepa_metiers_amount = forfait_prepa
        dotation.scholarship_rate = rate
        dotation.survey_answered = survey
        dotation.prepa_metiers_count = prepa
        dotation.pre_bac_count = pre
        dotation.post_bac_count = post
        dotation.scholarship_holders = result.scholarship_holders
        dotation.pre_bac_gross_amount = result.pre_bac_gross
        dotation.post_bac_gross_amount = result.post_bac_gross
        dotation.carryover_pre_bac_amount = carry_pre
        dotation.carryover_post_bac_amount = carry_post
        dotation.pre_bac_due_amount = result.pre_bac_due
        dotation.post_bac_due_amount = result.post_bac_due
        dotation.total_due_amount = result.total_due
        dotation.computed_at = now
        (to_update if dotation.pk else to_create).append(dotation)
        total += result.total_due

    with connection.cursor() as cursor:
        if existing:
            # A re-run replaces the working lines of a campaign not voted yet (no history by design:
            # see DotationLine). Raw delete: the collector would otherwise load every line.
            cursor.execute(
                f"DELETE FROM {DotationLine._meta.db_table} WHERE dotation_id IN "  # noqa: S608 — table names from _meta
                f"(SELECT id FROM {Dotation._meta.db_table} WHERE school_year_id = %s)",
                [year.pk],
            )
    if to_update:
        _dotations_update(to_update, now=now)
        # Before any creation, so that the rows stamped `now` are exactly the ones just updated.
        _dotations_history_insert(year, history_type="~", actor=actor, now=now)
    if to_create and not existing:
        Dotation.objects.bulk_create(to_create, batch_size=BATCH)
        _dotations_history_insert(year, history_type="+", actor=actor, now=now)
    elif to_create:  # lycées added since the first run: a few rows, simple-history's own path
        bulk_create_with_history(
            to_create, Dotation, batch_size=BATCH, default_user=actor, default_change_reason="campaign_run"
        )
    prepa_cents, forfait_cents = _cents(forfait_prepa), _cents(forfait)
    with connection.cursor() as cursor:
        cursor.execute(
            _lines_insert_sql(),
            [prepa_cents, forfait_cents, prepa_cents, forfait_cents, year.pk, Country.FRANCE.value],
        )
        line_count = cursor.rowcount
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
    return CampaignResult(dotations=len(schools), lines=line_count, total_due=total)


@transaction.atomic
def campaign_vote(*, actor: User | None, school_year: SchoolYear, reference: str, voted_on: date) -> SchoolYear:
    """Record the standing committee's vote: the dotations of the year are frozen (ARE-4..7)."""
    _require_officer(actor)
    year = _lock_year(school_year)
    if year.is_voted:
        raise ValidationError(
            _("La campagne %(y)s a déjà été votée (délibération %(r)s).")
            % {"y": year.label, "r": year.standing_committee_reference}
        )
    if year.campaign_status != CampaignStatus.COMPUTED:
        raise ValidationError(_("Calculez la campagne avant d'enregistrer le vote."))
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Indiquez la référence de la délibération.")})
    if voted_on is None or voted_on > timezone.localdate():
        raise ValidationError({"voted_on": _("La date du vote ne peut pas être dans le futur.")})
    dotations = list(Dotation.objects.filter(school_year=year))
    for d in dotations:
        d.status = DotationStatus.VOTED
        d.standing_committee_reference = reference
        d.standing_committee_date = voted_on
    bulk_update_with_history(
        dotations,
        Dotation,
        ["status", "standing_committee_reference", "standing_committee_date"],
        batch_size=BATCH,
        default_user=actor,
        default_change_reason="campaign_vote",
    )
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
        after={"status": CampaignStatus.VOTED, "reference": reference, "date": voted_on.isoformat()},
    )
    return year


@transaction.atomic
def campaign_notify(*, actor: User | None, school_year: SchoolYear) -> int:
    """Mark every voted dotation of the year as notified (the lycées see their notification PDF)."""
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
    audit_record(actor=actor, action="lycee_aid.campaign_notify", obj=year, after={"notified": len(dotations)})
    return len(dotations)


@transaction.atomic
def dotation_mark_paid(*, actor: User | None, dotation: Dotation) -> Dotation:
    _require_officer(actor)
    d = Dotation.objects.select_for_update().get(pk=dotation.pk)
    if d.status != DotationStatus.NOTIFIED:
        raise ValidationError(_("Seule une dotation notifiée peut être marquée comme versée."))
    d.status, d.paid_at = DotationStatus.PAID, timezone.now()
    d.save(update_fields=["status", "paid_at"])
    audit_record(
        actor=actor, action="lycee_aid.dotation_paid", obj=d, before={"status": "notified"}, after={"status": "paid"}
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
    (pré-bac) or scholarship holders (post-bac)."""
    _require_school(actor, school)
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
    next_year = _school_year_for(year.start_year + 1)
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
    for envelope, amount in remaining.items():
        row = existing.get(envelope) or CarryOver(school=school, school_year=next_year, envelope=envelope)
        row.amount, row.origin = amount, CarryOverOrigin.USAGE_REPORT
        row.full_clean()
        row.save()
    audit_record(
        actor=actor,
        action="lycee_aid.usage_report_submit",
        obj=report,
        after={"remaining": {k: str(v) for k, v in remaining.items()}, "carried_to": next_year.label},
    )
    return report


# -- CPGE competition-fee aid (ARE-10) ---------------------------------------------------------------


@transaction.atomic
def cpge_aid_request_submit(
    *,
    actor: User,
    school: School,
    school_year: SchoolYear,
    pupil_last_name: str,
    pupil_first_name: str,
    second_year: bool,
    family_quotient,
    competitions: int,
) -> CpgeAidRequest:
    _require_school(actor, school)
    year = SchoolYear.objects.get(pk=school_year.pk)
    if year.forfait_cpge_amount is None:
        raise ValidationError(_("Le forfait CPGE de l'année %(y)s n'est pas encore fixé.") % {"y": year.label})
    quotient = round_cent(family_quotient)
    errors = {}
    if quotient < 0:
        errors["family_quotient"] = _("Le quotient familial ne peut pas être négatif.")
    if isinstance(competitions, bool) or not isinstance(competitions, int) or not (1 <= competitions <= 30):
        errors["competitions"] = _("Indiquez un nombre de concours entre 1 et 30.")
    if errors:
        raise ValidationError(errors)
    amount = (
        rules.cpge_competition_aid(quotient, competitions, year.forfait_cpge_amount) if second_year else round_cent(0)
    )
    request = CpgeAidRequest(
        school=school,
        school_year=year,
        pupil_last_name=pupil_last_name.strip(),
        pupil_first_name=pupil_first_name.strip(),
        second_year=second_year,
        family_quotient_amount=quotient,
        competitions=competitions,
        forfait_amount=year.forfait_cpge_amount,
        aid_amount=amount,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    request.full_clean()
    request.save()
    audit_record(actor=actor, action="lycee_aid.cpge_aid_request_submit", obj=request, after={"amount": str(amount)})
    return request
