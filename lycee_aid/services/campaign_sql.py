"""The set-based writes of the campaign: dotations, their lines and their history in a few
statements whatever the number of lycées."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import ngettext

from core.enums import Country
from core.models import School, User
from core.rules import round_cent

from ..enums import (
    Envelope,
    FormationLevel,
)
from ..models import (
    Dotation,
    DotationLine,
    EligibleFormation,
    Enrolment,
    SchoolYear,
)
from .base import DOTATION_COMPUTED_FIELDS

# -- the campaign (ARE-4..7) ---------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignResult:
    dotations: int
    total_due: Decimal


def campaign_schools():
    return School.objects.filter(country=Country.FRANCE)


def dotations_history_insert(
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


def lines_insert_sql() -> str:
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


def counts_mismatch_sql() -> str:
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


def dotations_update(rows: list[tuple[int, dict]], shared: dict) -> None:
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


def cents(amount: Decimal) -> int:
    cents = round_cent(amount) * 100
    return int(cents)


def missing_scholarship_counts(names: list[str]) -> ValidationError:
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
