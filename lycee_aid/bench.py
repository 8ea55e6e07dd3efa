"""Benchmark provider of the lycee_aid app (the regional-scale scenarios; interface in `core/bench.py`).

`generate("full")`: a dedicated school year (BENCH_YEAR, forfaits 2024-2025 confirmed) with
1 000 French lycées × 200 eligible formations, each lycée with first-year enrolments in every
formation (200 000 enrolments), a scholarship count and enrolments (ARE-5) and a survey answer per
lycée, carry-overs for one lycée in ten, and the campaign computed once (never voted: the
formation lines are written by the vote only). `generate("small")`: a twentieth of the rows
(200 lycées × 50 formations, 10 000 enrolments). Idempotent: every row has a natural key and is
written with `ignore_conflicts`; running "full" after "small" completes the set.

Bench rows are written with plain `bulk_create` and carry no history (django-simple-history writes none for `bulk_create`: the history doubles
the writes; no benchmark reads it). The year is never voted, so `campaign()` can be re-run.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from core.bench import ListPage
from core.enums import Country
from core.jobs import FanOutJob
from core.models import School

from . import services
from .enums import CarryOverOrigin, DotationStatus, Envelope, FormationLevel
from .models import (
    CarryOver,
    Dotation,
    DotationLine,
    EligibleFormation,
    Enrolment,
    SchoolSituation,
    SchoolYear,
)
from .pdf import render_notification as render_notification_pdf

OFFICER_USERNAME = "bench.officer"  # created by the harness (officer of every scheme)
BENCH_YEAR = 2095
SCALES = {"full": (1000, 200), "small": (200, 50)}  # (lycées, formations)
PER_PAGE = 50
ONE_PAGE_LINES = 5  # formation lines of a notification that fits on one page (harness check)
BATCH = 5000
SCHOOL_PREFIX = "BENCHARE"

# A realistic spread of eligible specialties (ARE-1) and diploma types for the generated formations.
_NSF = ["221", "227", "233", "250", "251", "254", "255", "311", "312", "330", "334", "336", "343"]
_TYPES = {
    FormationLevel.INFRA_V: "3EME PREPA-METIERS",
    FormationLevel.PRE_BAC: "BAC PROFESSIONNEL",
    FormationLevel.POST_BAC: "BTS",
}
_CITIES = ["Paris", "Créteil", "Versailles", "Bobigny", "Nanterre", "Évry", "Cergy", "Melun", "Pontoise"]


def _log(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(f"    lycee_aid (banc) : {message}")


def _level(i: int, n: int) -> str:
    """Formation i of n: one 3e prépa-métiers, two thirds pré-bac, the rest post-bac."""
    if i == 0:
        return FormationLevel.INFRA_V
    return FormationLevel.PRE_BAC if i <= n * 2 // 3 else FormationLevel.POST_BAC


def bench_year() -> SchoolYear:
    year, _created = SchoolYear.objects.get_or_create(
        start_year=BENCH_YEAR,
        defaults={
            "forfait_amount": Decimal("157.00"),
            "forfait_prepa_metiers_amount": Decimal("56.00"),
            "forfait_cpge_amount": Decimal("319.00"),
            "order_reference": "BANC-ARE",
            "forfaits_confirmed_at": timezone.now(),
        },
    )
    return year


def _school_code(i: int) -> str:
    return f"{SCHOOL_PREFIX}{i:04d}"


def generate(scale: str, stdout) -> None:
    n_lycees, n_formations = SCALES[scale]
    rng = random.Random(3)
    year = bench_year()
    with transaction.atomic():
        EligibleFormation.objects.bulk_create(
            [
                EligibleFormation(
                    school_year=year,
                    level=_level(i, 200),
                    grouping_level={"infra_v": 6, "pre_bac": 4, "post_bac": 3}[_level(i, 200)],
                    nsf_code="100" if i == 0 else _NSF[i % len(_NSF)],
                    diploma_code=f"9{i:07d}",
                    diploma_type=_TYPES[_level(i, 200)],
                    title=f"FORMATION DE BANC D'ESSAI N° {i}",
                )
                for i in range(n_formations)
            ],
            ignore_conflicts=True,
        )
        School.objects.bulk_create(
            [
                School(
                    code=_school_code(i),
                    name=f"Lycée professionnel de banc n° {i:04d}",
                    country=Country.FRANCE,
                    sector="public_eple",
                    academy=("paris", "creteil", "versailles")[i % 3],
                    city=_CITIES[i % len(_CITIES)],
                )
                for i in range(n_lycees)
            ],
            ignore_conflicts=True,
        )
    schools = list(School.objects.filter(code__startswith=SCHOOL_PREFIX).order_by("code").values_list("pk", flat=True))[
        :n_lycees
    ]
    formations = list(
        EligibleFormation.objects.filter(school_year=year).order_by("diploma_code").values_list("pk", flat=True)
    )[:n_formations]
    with transaction.atomic():
        SchoolSituation.objects.bulk_create(
            [
                SchoolSituation(
                    school_id=s,
                    school_year=year,
                    scholarship_count=rng.randint(0, 150 + i % 2000),
                    school_enrolments=150 + i % 2000,
                    survey_answered=i % 20 != 7,
                )
                for i, s in enumerate(schools)
            ],
            ignore_conflicts=True,
        )
        # A data set generated before exact rates (ARE-5) has situations without counts: fill them in.
        legacy = list(SchoolSituation.objects.filter(school_year=year, scholarship_count__isnull=True))
        for situation in legacy:
            situation.school_enrolments = 150 + situation.school_id % 2000
            situation.scholarship_count = rng.randint(0, situation.school_enrolments)
        SchoolSituation.objects.bulk_update(legacy, ["scholarship_count", "school_enrolments"], batch_size=BATCH)
        CarryOver.objects.bulk_create(
            [
                CarryOver(
                    school_id=s,
                    school_year=year,
                    envelope=Envelope.POST_BAC if i % 20 == 0 else Envelope.PRE_BAC,
                    amount=Decimal(rng.randint(0, 300000)) / 100,
                    origin=CarryOverOrigin.ENTERED,
                )
                for i, s in enumerate(schools)
                if i % 10 == 0
            ],
            ignore_conflicts=True,
        )
    existing = Enrolment.objects.filter(formation__school_year=year).count()
    if existing < len(schools) * len(formations):
        rows = (
            Enrolment(school_id=s, formation_id=f, first_year_count=1 + (i * 7 + j * 13) % 36)
            for i, s in enumerate(schools)
            for j, f in enumerate(formations)
        )
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                Enrolment.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        Enrolment.objects.bulk_create(batch, ignore_conflicts=True)
        _log(stdout, f"{len(schools)} lycées × {len(formations)} formations d'effectifs")
    if existing < len(schools) * len(formations) or not Dotation.objects.filter(school_year=year).exists():
        result = services.campaign_run(actor=None, school_year=year)
        _log(stdout, f"campagne calculée : {result.dotations} dotations")


# -- list pages ----------------------------------------------------------------------------------


def list_pages() -> list[ListPage]:
    """The campaign table (officer), page 1 and the last page, without and with a filter.

    At full scale the table has ~1 000 rows (one per lycée): 20 pages of 50, so "page 1 000"
    does not exist; the last page is the deep page here.
    """
    year = bench_year()
    url = reverse("lycee_aid:campaign", args=[year.pk])
    dotations = Dotation.objects.filter(school_year=year)
    total = dotations.count()
    creteil = dotations.filter(school__academy="creteil").count()
    last = max(1, -(-total // PER_PAGE))
    last_creteil = max(1, -(-creteil // PER_PAGE))
    return [
        ListPage("ARE campagne, page 1", f"{url}?page=1", OFFICER_USERNAME),
        ListPage(f"ARE campagne, dernière page ({last})", f"{url}?page={last}", OFFICER_USERNAME),
        ListPage("ARE campagne filtrée (Créteil), page 1", f"{url}?academy=creteil&page=1", OFFICER_USERNAME),
        ListPage(
            f"ARE campagne filtrée (Créteil), dernière page ({last_creteil})",
            f"{url}?academy=creteil&page={last_creteil}",
            OFFICER_USERNAME,
        ),
    ]


# -- campaign ------------------------------------------------------------------------------------


def enrolment_sum_per_lycee(year: SchoolYear) -> Callable[[], list]:
    """The floor: one SQL aggregate, Σ first-year enrolments per lycée over the campaign's rows."""

    def run():
        return list(
            Enrolment.objects.filter(formation__school_year=year, first_year_count__gt=0)
            .order_by()
            .values("school_id")
            .annotate(total=Sum("first_year_count"))
            .values_list("school_id", "total")
        )

    return run


def campaign() -> Callable[[], object]:
    year = bench_year()
    return lambda: services.campaign_run(actor=None, school_year=year)


def campaign_floor() -> Callable[[], object]:
    return enrolment_sum_per_lycee(bench_year())


# -- PDFs ----------------------------------------------------------------------------------------


def notification_jobs(count: int) -> list[tuple]:
    """`count` notifications (dotation ids, cycling over the lycées of the bench year)."""
    ids = list(Dotation.objects.filter(school_year=bench_year()).order_by("pk").values_list("pk", flat=True))
    return [(ids[i % len(ids)],) for i in range(count)]


class BenchNotifications(FanOutJob):
    """`count` notifications of the bench year (cycling over its lycées), fanned out one task per
    notification exactly as the officer's ZIP job (`lycee_aid.jobs.NotificationsZip`) is: any
    worker takes a part, renders and stores its PDF; the last one assembles the ZIP."""

    def parts(self, *, job, count: int, tag: str):
        ids = [pk for (pk,) in notification_jobs(count)]
        return [(f"{i}-{pk}", str(pk)) for i, pk in enumerate(ids)]

    def render_part(self, *, job, key: str, count: int, tag: str):
        return f"notification-{key}.pdf", render_notification(int(key.split("-")[1]))

    def result_name(self, *, job, count: int, tag: str):
        return f"banc-notifications-{tag}.zip"


def bulk_job(count: int, tag: str) -> tuple[str, dict]:
    """The background job of `count` notifications (function path, keyword arguments)."""
    return f"{__name__}.BenchNotifications", {"count": count, "tag": tag}


def render_notification(dotation_id: int) -> bytes:
    """One lycée's notification PDF, as the ZIP job renders it (worker processes call this).

    The bench year is computed, never voted (the campaign scenario re-runs it), so its dotations
    have no lines of their own yet: they are read from the enrolments (`dotation_line_list`), the
    figures the vote would write, 200 formations at full scale."""
    from .selectors import dotation_line_list

    dotation = Dotation.objects.select_related("school", "school_year").get(pk=dotation_id)
    return render_notification_pdf(dotation, dotation_line_list(dotation))


def full_document() -> tuple[str, Callable[[], bytes]]:
    """A full-scale notification as the bulk job renders it: one lycée of the bench year with its
    200 formations (titles that wrap, as real ones do), read from the database."""
    from .selectors import dotation_line_list

    dotation_id = notification_jobs(1)[0][0]
    lines = len(dotation_line_list(Dotation.objects.get(pk=dotation_id)))
    return f"notification ARE ({lines} formations)", lambda: render_notification(dotation_id)


def statement(lines: int) -> Callable[[], bytes]:
    """A notification with `lines` formation lines, built in memory (nothing saved)."""
    year = bench_year()
    school = School.objects.filter(code__startswith=SCHOOL_PREFIX).order_by("code").first()
    forfait, prepa = year.forfait_amount, year.forfait_prepa_metiers_amount
    built = []
    for i in range(lines):
        level = _level(i, lines)
        count = 1 + i % 36
        unit = prepa if level == FormationLevel.INFRA_V else forfait
        built.append(
            DotationLine(
                envelope=Envelope.POST_BAC if level == FormationLevel.POST_BAC else Envelope.PRE_BAC,
                level=level,
                nsf_code="100" if i == 0 else _NSF[i % len(_NSF)],
                diploma_code=f"9{i:07d}",
                title=f"FORMATION DE BANC D'ESSAI N° {i}",
                enrolments=count,
                forfait_amount=unit,
                gross_amount=None if level == FormationLevel.POST_BAC else count * unit,
            )
        )
    dotation = Dotation(
        school=school,
        school_year=year,
        status=DotationStatus.VOTED,
        forfait_amount=forfait,
        forfait_prepa_metiers_amount=prepa,
        scholarship_count=1,
        school_enrolments=2,
        survey_answered=True,
        prepa_metiers_count=0,
        pre_bac_count=0,
        post_bac_count=0,
        scholarship_holders=0,
        pre_bac_gross_amount=Decimal("0"),
        post_bac_gross_amount=Decimal("0"),
        carryover_pre_bac_amount=Decimal("0"),
        carryover_post_bac_amount=Decimal("0"),
        pre_bac_due_amount=Decimal("0"),
        post_bac_due_amount=Decimal("0"),
        total_due_amount=Decimal("0"),
        computed_at=timezone.now(),
    )
    return lambda: render_notification_pdf(dotation, built)
