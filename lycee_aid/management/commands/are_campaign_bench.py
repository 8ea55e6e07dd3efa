"""Benchmark of the ARE campaign (a benchmark, not a test).

Generates N lycées × M eligible formations with enrolments in one transaction, times
`services.campaign_run` (twice) and `services.campaign_vote` (which writes the formation lines) and
counts their SQL queries, then rolls everything back: the demo and real data are never touched,
whatever happens. The deferred foreign keys of the lines are checked at COMMIT on PostgreSQL, which
a rolled-back vote never reaches: `SET CONSTRAINTS ALL IMMEDIATE` makes them count in its time.
"""

import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from core.models import School
from lycee_aid import services
from lycee_aid.bench import enrolment_sum_per_lycee
from lycee_aid.models import DotationLine, EligibleFormation, Enrolment, SchoolSituation, SchoolYear

BENCH_YEAR = 2099


class Rollback(Exception):
    pass


def _scholarship(rng) -> dict:
    """ARE-5: the académie's scholarship count and the lycée's enrolments n-1 (the rate is exact)."""
    enrolments = rng.randint(150, 2500)
    return {"scholarship_count": rng.randint(0, enrolments), "school_enrolments": enrolments}


class Command(BaseCommand):
    help = "Mesure la durée et le nombre de requêtes SQL du calcul d'une campagne ARE (données générées puis annulées)."

    def add_arguments(self, parser):
        parser.add_argument("--lycees", type=int, default=1000)
        parser.add_argument("--formations", type=int, default=200)
        parser.add_argument("--seed", type=int, default=3)

    def handle(self, *args, lycees, formations, seed, **options):
        if not (1 <= lycees <= 20000 and 1 <= formations <= 999):
            raise CommandError("--lycees entre 1 et 20 000, --formations entre 1 et 999.")
        if SchoolYear.objects.filter(start_year=BENCH_YEAR).exists():
            raise CommandError(f"L'année {BENCH_YEAR} existe déjà : le banc d'essai ne l'utilisera pas.")
        rng = random.Random(seed)
        try:
            with transaction.atomic():
                self._run(rng, lycees, formations)
                raise Rollback
        except Rollback:
            self.stdout.write("Données du banc d'essai annulées (rollback) : aucune donnée conservée.")

    def _run(self, rng, n_lycees, n_formations):
        start = time.perf_counter()
        year = SchoolYear.objects.create(
            start_year=BENCH_YEAR,
            forfait_amount=Decimal("157"),
            forfait_prepa_metiers_amount=Decimal("56"),
            forfait_cpge_amount=Decimal("319"),
            order_reference="BENCH",
            forfaits_confirmed_at=timezone.now(),
        )
        levels = ["infra_v"] + ["pre_bac"] * (n_formations * 2 // 3) + ["post_bac"] * n_formations
        formations = EligibleFormation.objects.bulk_create(
            [
                EligibleFormation(
                    school_year=year,
                    level=levels[i],
                    grouping_level=5,
                    nsf_code="100" if levels[i] == "infra_v" else "221",
                    diploma_code=f"9{i:07d}",
                    diploma_type="BENCH",
                    title=f"FORMATION DE BANC D'ESSAI {i}",
                )
                for i in range(n_formations)
            ]
        )
        schools = School.objects.bulk_create(
            [
                School(
                    code=f"BENCH{i:05d}",
                    name=f"Lycée banc d'essai {i}",
                    country="FR",
                    sector="public_eple",
                    academy=rng.choice(["paris", "creteil", "versailles"]),
                )
                for i in range(n_lycees)
            ]
        )
        SchoolSituation.objects.bulk_create(
            [
                SchoolSituation(
                    school=s,
                    school_year=year,
                    **_scholarship(rng),
                    survey_answered=rng.random() > 0.05,
                )
                for s in schools
            ],
            batch_size=5000,
        )
        Enrolment.objects.bulk_create(
            (
                Enrolment(school=s, formation=f, first_year_count=rng.randint(1, 40))
                for s in schools
                for f in formations
            ),
            batch_size=5000,
        )
        self.stdout.write(
            f"Données générées : {n_lycees} lycées × {n_formations} formations = {n_lycees * n_formations} effectifs "
            f"({time.perf_counter() - start:.1f} s)."
        )
        seen: list[str] = []

        def count(execute, sql, params, many, context):
            # Counts statements without formatting them (CaptureQueriesContext would render every
            # parameter of the bulk INSERTs and time that rendering instead of the campaign).
            seen.append(sql[:40])
            return execute(sql, params, many, context)

        floor = enrolment_sum_per_lycee(year)
        floor()  # warm the cache like the campaign's first read
        timings = []
        for label in ("premier calcul", "nouveau calcul"):
            seen.clear()
            with connection.execute_wrapper(count):
                began = time.perf_counter()
                result = services.campaign_run(actor=None, school_year=year)
                elapsed = time.perf_counter() - began
            timings.append(elapsed)
            self.stdout.write(
                f"campaign_run, {label} ({connection.vendor}) : {elapsed:.2f} s, {len(seen)} requêtes SQL, "
                f"{result.dotations} dotations, total attribué {result.total_due} €."
            )
        began = time.perf_counter()
        rows = floor()
        floor_time = time.perf_counter() - began
        self.stdout.write(
            f"plancher SUM(effectifs) GROUP BY lycée : {floor_time * 1000:.0f} ms ({len(rows)} lycées) ; "
            f"ratio {timings[0] / floor_time:.1f}× (premier calcul), {timings[1] / floor_time:.1f}× (nouveau calcul)."
        )
        seen.clear()
        with connection.execute_wrapper(count):
            began = time.perf_counter()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            services.campaign_vote(actor=None, school_year=year, reference="BANC", voted_on=timezone.localdate())
            elapsed = time.perf_counter() - began
        lines = DotationLine.objects.filter(dotation__school_year=year).count()
        self.stdout.write(
            f"campaign_vote ({connection.vendor}) : {elapsed:.2f} s, {len(seen)} requêtes SQL, {lines} lignes écrites "
            f"({elapsed / floor_time:.1f}× le plancher)."
        )
