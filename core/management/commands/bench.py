"""`make bench`: regional-scale data set, then every scenario of README « Performance » as a ratio to its floor."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connections
from django.test import Client

from core.bench import interleave, peak_rss_kb
from core.enums import Role, Scheme
from core.models import User
from core.views import DOMAIN_APPS

BENCH_OFFICER = "bench.officer"
FAMILIES = ("lists", "pdf", "linear", "campaign", "bulk", "memory")


def _providers():
    found = {}
    for app in DOMAIN_APPS:
        try:
            found[app] = import_module(f"{app}.bench")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.bench":
                raise
    return found


def _trivial_pdf() -> bytes:
    """The floor of the PDF scenarios: WeasyPrint rendering `<p>ok</p>` with its defaults."""
    import weasyprint

    return weasyprint.HTML(string="<p>ok</p>").write_pdf()


def _trivial_pdf_tuned() -> bytes:
    """The same document through the product's own settings (shared fonts, collector paused):
    a tighter floor, shown for information beside the one the targets are set against."""
    import weasyprint

    from core.pdf import font_config, gc_paused

    with gc_paused():
        return weasyprint.HTML(string="<p>ok</p>").write_pdf(font_config=font_config())


def _ensure_database(out) -> None:
    """Create the bench database on PostgreSQL when it does not exist yet (SQLite creates its file)."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    try:
        connection.ensure_connection()
        return
    except OperationalError:
        connection.close()
    name = connection.settings_dict["NAME"]
    # The connection Django's test runner uses to create its database (maintenance database).
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    out.write(f"Base PostgreSQL {name} créée")


def _page_count(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def _start_workers(count: int) -> list[subprocess.Popen]:
    """`count` job workers on the bench database and queue (the backend of the settings)."""
    queue = settings.JOBS_QUEUE
    if "rq" in settings.TASKS["default"]["BACKEND"]:
        command = ["rqworker", queue, "--job-class", "django_tasks_rq.Job", "--worker-class", "rq.SimpleWorker"]
    else:
        command = ["db_worker", "--queue-name", queue, "--interval", "0.1", "--no-reload", "--no-startup-delay"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench", "JOBS_QUEUE": queue}
    return [
        subprocess.Popen([sys.executable, "manage.py", *command, "-v", "0"], env=env, stdout=subprocess.DEVNULL)
        for _ in range(count)
    ]


def _stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Command(BaseCommand):
    help = "Mesure les pages, PDF, campagne ARE et génération en masse, en ratio à un plancher mesuré dans la même exécution."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "full"], default="full")
        parser.add_argument(
            "--rounds", type=int, default=20, help="tours alternés : listes, PDF d'une page, campagne (20)"
        )
        parser.add_argument(
            "--long-rounds",
            type=int,
            default=3,
            help="tours alternés des relevés de 1 000 et 2 000 lignes (3 : environ 75 s par tour)",
        )
        parser.add_argument(
            "--bulk",
            type=int,
            default=100,
            help="notifications de la génération en masse, par 1 puis 2 workers (100 ; 1 000 demande environ 25 min)",
        )
        parser.add_argument(
            "--only",
            default=",".join(FAMILIES),
            help=f"familles de scénarios, séparées par des virgules : {', '.join(FAMILIES)}",
        )
        parser.add_argument("--load", action="store_true", help="test de charge gunicorn + wrk (≤ 15 s par URL)")
        parser.add_argument("--memory-probe", choices=["trivial", "statement"], help=argparse_hidden())

    def handle(self, *args, scale, rounds, long_rounds, bulk, only, load, memory_probe, **options):
        db_name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in db_name:
            raise CommandError("Lancez le banc avec DJANGO_SETTINGS_MODULE=config.settings.bench (base séparée).")
        if memory_probe:
            return self._memory_probe(memory_probe)
        families = {f.strip() for f in only.split(",") if f.strip()}
        if not families and not load:
            raise CommandError(f"--only ne nomme aucune famille (choix : {', '.join(FAMILIES)}).")
        if unknown := families - set(FAMILIES):
            raise CommandError(
                f"Famille(s) inconnue(s) : {', '.join(sorted(unknown))} (choix : {', '.join(FAMILIES)})."
            )
        if min(rounds, long_rounds, bulk) < 1:
            raise CommandError("--rounds, --long-rounds et --bulk doivent valoir au moins 1.")
        out = self.stdout
        t0 = time.perf_counter()
        _ensure_database(out)
        call_command("migrate", verbosity=0)
        call_command("bareme_init", stdout=out)
        officer, _ = User.objects.get_or_create(
            username=BENCH_OFFICER, defaults={"role": Role.OFFICER, "schemes": Scheme.values}
        )
        providers = _providers()
        for app, provider in providers.items():
            g0 = time.perf_counter()
            provider.generate(scale, out)
            out.write(f"  données {app} prêtes en {time.perf_counter() - g0:.1f} s")
        if connections["default"].vendor == "postgresql":
            # Statistics of the freshly loaded tables, as autovacuum keeps them on a live database:
            # without them the planner expected 1 row where 45 000 matched (employer list 129 → 45 ms).
            with connections["default"].cursor() as cursor:
                cursor.execute("ANALYZE")
            out.write("  statistiques PostgreSQL à jour (ANALYZE)")
        out.write(
            f"Jeu de données prêt en {time.perf_counter() - t0:.1f} s ({connections['default'].vendor}, {db_name})"
        )
        out.write(
            f"Tours : {rounds} (listes, PDF d'une page, campagne), {long_rounds} (relevés de 1 000 et 2 000 lignes) ;"
            f" génération en masse : {bulk} notifications"
        )
        scenarios = {
            "lists": lambda: self._list_pages(providers, rounds),
            "pdf": lambda: self._pdfs(providers, rounds),
            "linear": lambda: self._linear(providers, long_rounds),
            "campaign": lambda: self._campaign(providers, rounds),
            "bulk": lambda: self._bulk(providers, bulk),
            "memory": lambda: self._memory(providers),
        }
        rows = []
        for family in FAMILIES:
            if family in families:
                f0 = time.perf_counter()
                rows += scenarios[family]()
                out.write(f"  {family} mesuré en {time.perf_counter() - f0:.0f} s")
        self._print(rows)
        if load:
            self._load(providers)
        out.write(f"Durée totale : {time.perf_counter() - t0:.0f} s")

    # -- scenarios -------------------------------------------------------------------------------

    def _client(self, username: str) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        return client

    def _list_pages(self, providers, rounds):
        pages = [page for p in providers.values() if hasattr(p, "list_pages") for page in p.list_pages()]
        if not pages:
            return []
        clients = {}
        scenarios = {}
        for page in pages:
            client = clients.setdefault(page.username, self._client(page.username))

            def get(client=client, url=page.url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            scenarios[page.label] = get
        floor_client = self._client(BENCH_OFFICER)
        scenarios["floor: vue triviale"] = lambda: floor_client.get("/__bench__/ok/")
        samples = interleave(scenarios, rounds)
        floor = samples.pop("floor: vue triviale")
        rows = [("plancher : vue « ok »", floor, None, None, None)]
        for label, sample in samples.items():
            rows.append((f"liste : {label}", sample, floor, 50.0, 4))
        return rows

    def _pdfs(self, providers, rounds):
        """Each app's main statement on one page, against WeasyPrint rendering `<p>ok</p>`."""
        scenarios = {"floor: pdf trivial": _trivial_pdf, "floor: tuned": _trivial_pdf_tuned}
        for app, p in providers.items():
            if hasattr(p, "statement"):
                scenarios[app] = p.statement(p.ONE_PAGE_LINES)
                pages = _page_count(scenarios[app]())
                if pages != 1:
                    self.stderr.write(f"  {app} : le relevé « d'une page » en a {pages} (ONE_PAGE_LINES trop grand)")
        if len(scenarios) == 2:
            return []
        samples = interleave(scenarios, rounds, warmup=1)
        floor = samples.pop("floor: pdf trivial")
        tuned = samples.pop("floor: tuned")
        rows = [("plancher : PDF « ok »", floor, None, None, None)]
        for app, sample in samples.items():
            lines = providers[app].ONE_PAGE_LINES
            rows.append((f"PDF : {app} relevé d'une page ({lines} lignes)", sample, floor, 12.0, None))
        for p in providers.values():  # a full-scale document (info: its target is in seconds)
            if hasattr(p, "full_document"):
                label, render = p.full_document()
                full = interleave({label: render}, max(3, rounds // 2), warmup=1)[label]
                rows.append((f"PDF : {label}, {_page_count(render())} pages", full, None, None, None))
        rows.append(("plancher resserré : PDF « ok », polices partagées (info)", tuned, None, None, None))
        for app, sample in samples.items():
            rows.append((f"PDF : {app} relevé d'une page / plancher resserré", sample, tuned, None, None))
        return rows

    def _linear(self, providers, rounds):
        """Each app's statement with 2 000 lines against the same with 1 000 (linear cost). The
        process is already warm (one-page PDFs, or the first of the interleaved rounds here)."""
        scenarios = {}
        for app, p in providers.items():
            if hasattr(p, "statement"):
                scenarios[f"{app}: 1000"] = p.statement(1000)
                scenarios[f"{app}: 2000"] = p.statement(2000)
        if not scenarios:
            return []
        for p in providers.values():  # warm each template and WeasyPrint (cheap: one page each)
            if hasattr(p, "statement"):
                p.statement(p.ONE_PAGE_LINES)()
        samples = interleave(scenarios, rounds, warmup=0)
        return [
            (f"PDF : {app} 2 000 lignes / 1 000 lignes", samples[f"{app}: 2000"], samples[f"{app}: 1000"], 2.1, None)
            for app in providers
            if f"{app}: 1000" in samples
        ]

    def _campaign(self, providers, rounds):
        rows = []
        for app, p in providers.items():
            if not hasattr(p, "campaign"):
                continue
            scenarios = {"campaign": p.campaign(), "floor": p.campaign_floor()}
            # A provider may name its rows, bound its ratio (None: measured only) and take fewer
            # rounds (the apprenticeship reform simulation computes every contract month in Python).
            labels = getattr(
                p, "CAMPAIGN_LABELS", ("plancher : SUM(enrolments) GROUP BY lycée", f"campagne {app} (calcul complet)")
            )
            samples = interleave(scenarios, min(rounds, getattr(p, "CAMPAIGN_ROUNDS", rounds)), warmup=1)
            rows.append((labels[0], samples["floor"], None, None, None))
            # No bound on the count itself: "constant" means the same in every round here, and the
            # same at two sizes in tests/lycee_aid/test_campaign_exact.py.
            rows.append(
                (labels[1], samples["campaign"], samples["floor"], getattr(p, "CAMPAIGN_MAX_RATIO", 5.0), 10**6)
            )
        return rows

    def _bulk(self, providers, count):
        """The bulk notification job as the officer starts it (one task per notification), drained
        by 1 then 2 real worker processes (`db_worker`, or `rqworker` with TASKS_BACKEND=rq): wall
        time from the start of the job to its assembled ZIP."""
        rows = []
        for app, p in providers.items():
            if not hasattr(p, "bulk_job"):
                continue
            rates = {}
            for workers in (1, 2):
                procs = _start_workers(workers)
                try:
                    # Warm each worker (Django, WeasyPrint, fonts) before the measured run.
                    self._run_bulk(p, 4 * workers, f"chauffe-{workers}", procs)
                    elapsed = self._run_bulk(p, count, f"{workers}-processus", procs)
                finally:
                    _stop_workers(procs)
                rates[workers] = count / elapsed
                self.stdout.write(
                    f"  {app} : {count} notifications avec {workers} worker(s) en {elapsed:.1f} s ({rates[workers]:.2f} PDF/s)"
                )
            rows.append(
                (
                    "bulk",
                    f"{app} : {count} PDF (une tâche par lycée), 2 workers / 1 (débit)",
                    rates[2] / rates[1],
                    1.9,
                    "≥",
                )
            )
        return rows

    def _run_bulk(self, provider, count, tag, procs) -> float:
        from core.enums import JobStatus
        from core.jobs import job_start
        from core.models import BackgroundJob

        func, kwargs = provider.bulk_job(count, tag)
        officer = User.objects.get(username=BENCH_OFFICER)
        BackgroundJob.objects.filter(owner=officer, kind__startswith=func).delete()
        t0 = time.perf_counter()
        job = job_start(owner=officer, label=f"banc {tag}", func=func, kwargs=kwargs)
        while True:
            time.sleep(0.2)
            status = BackgroundJob.objects.filter(pk=job.pk).values_list("status", flat=True).get()
            if status in (JobStatus.DONE, JobStatus.FAILED):
                break
            if any(p.poll() is not None for p in procs):
                raise CommandError("Un worker s'est arrêté pendant le banc (voir sa sortie ci-dessus).")
        elapsed = time.perf_counter() - t0
        job.refresh_from_db()
        if status != JobStatus.DONE:
            raise CommandError(f"La tâche du banc a échoué : {job.error}")
        for part in job.parts.all():  # the bench keeps no file
            part.result.delete(save=False)
        job.result.delete(save=False)
        job.delete()
        return elapsed

    def _memory(self, providers):
        if not any(hasattr(p, "statement") for p in providers.values()):
            return []
        peaks = {}
        for what in ("trivial", "statement"):
            result = subprocess.run(
                [sys.executable, "manage.py", "bench", "--memory-probe", what],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ},
            )
            peaks[what] = json.loads(result.stdout.strip().splitlines()[-1])["maxrss_kb"]
        self.stdout.write(
            f"  mémoire de pointe : PDF trivial {peaks['trivial'] / 1024:.0f} Mo, relevé 1 000 lignes {peaks['statement'] / 1024:.0f} Mo"
        )
        return [
            ("bulk", "mémoire : relevé 1 000 lignes / PDF trivial", peaks["statement"] / peaks["trivial"], 3.5, "≤")
        ]

    def _memory_probe(self, what):
        if what == "trivial":
            _trivial_pdf()
        else:
            provider = next(p for p in _providers().values() if hasattr(p, "statement"))
            provider.statement(1000)()
        self.stdout.write(json.dumps({"maxrss_kb": peak_rss_kb()}))

    def _load(self, providers):
        wrk = shutil.which("wrk")
        if not wrk:
            self.stdout.write("wrk absent : apt-get install -y wrk (test de charge ignoré)")
            return
        pages = [page for p in providers.values() if hasattr(p, "list_pages") for page in p.list_pages()][:1]
        client = self._client(pages[0].username if pages else BENCH_OFFICER)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                "2",
                "--bind",
                "127.0.0.1:8765",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        try:
            time.sleep(3)
            rates = []
            for label, url in [("vue triviale", "/__bench__/ok/"), *[(p.label, p.url) for p in pages]]:
                result = subprocess.run(
                    [
                        wrk,
                        "-t2",
                        "-c8",
                        "-d10s",
                        "-H",
                        f"Cookie: {cookie}",
                        "-H",
                        "Host: 127.0.0.1",
                        f"http://127.0.0.1:8765{url}",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=30,
                )
                rps = next((line.split()[-1] for line in result.stdout.splitlines() if "Requests/sec" in line), "?")
                rates.append(float(rps) if rps != "?" else None)
                against = (
                    f"  ({rates[0] / rates[-1]:.1f}× moins que la vue triviale)"
                    if len(rates) > 1 and rates[0] and rates[-1]
                    else ""
                )
                self.stdout.write(f"  charge : {label:<50} {rps} requêtes/s{against}")
        finally:
            server.terminate()
            server.wait(timeout=10)

    # -- report ---------------------------------------------------------------------------------

    def _print(self, rows):
        w = self.stdout.write
        w("")
        w(f"{'scénario':<62} {'médiane':>10} {'CPU':>10} {'IQR':>6} {'req.':>5} {'ratio':>8} {'cible':>8}  ")
        for row in rows:
            if row[0] == "bulk":
                _, label, ratio, target, op = row
                ok = ratio >= target if op == "≥" else ratio <= target
                w(
                    f"{label:<62} {'':>10} {'':>10} {'':>6} {'':>5} {ratio:>7.2f}× {op}{target:>6}×  {'OK' if ok else 'MANQUÉ'}"
                )
                continue
            label, sample, floor, target, max_queries = row
            queries = max(sample.queries) if sample.queries else 0
            line = f"{label:<62} {sample.median * 1000:>8.2f}ms {sample.cpu_median * 1000:>8.2f}ms {_percent(sample.spread):>6} {queries:>5}"
            if floor is None:
                w(line)
                continue
            ratio = sample.median / floor.median
            if target is None:
                w(f"{line} {ratio:>7.2f}×  (info)")
                continue
            ok = ratio <= target and (max_queries is None or (queries <= max_queries and len(set(sample.queries)) == 1))
            w(f"{line} {ratio:>7.2f}× ≤{target:>6}×  {'OK' if ok else 'MANQUÉ'}")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS
