"""`manage.py loadtest`: the production settings under gunicorn (2 workers) on a PostgreSQL database
of their own, a few hundred concurrent clients of every role for a few minutes (reads, PDFs,
uploads, state transitions racing on the same objects), then the database is read back: no 5xx,
no lost update (core/loadtest.py). Standard library only on the client side.

    DJANGO_SETTINGS_MODULE=config.settings.load .venv/bin/python manage.py loadtest [--duration 180] [--concurrency 200]
"""

from __future__ import annotations

import hashlib
import http.client
import itertools
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core import loadtest
from core.loadtest import UNKNOWN, Answer, Event, Sent

PASSWORD = "bareme-demo"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
REASON = "Motif saisi par le test de charge"
DONE, ERROR = 25, 40  # django.contrib.messages levels: SUCCESS, ERROR


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _recreate_database(out) -> None:
    """Drop and create the load database: every run starts from the same demo data."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        raise CommandError("Le test de charge se fait sur PostgreSQL (config.settings.load).")
    name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    out.write(f"Base PostgreSQL {name} recréée")


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Reply:
    status: int
    body: bytes
    location: str
    level: int | None  # the highest messages level the answer set (SUCCESS, ERROR), None if none


@dataclass
class Session:
    """One signed-in browser: its cookies and CSRF token; shared by several client threads."""

    port: int
    username: str
    role: str
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, method: str, path: str, *, data=None, files=None, kind: str, answers: list) -> Reply:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", "User-Agent": "bareme-loadtest"}
        with self.lock:
            cookies = dict(self.cookies)
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if method == "POST":
            headers |= {"Origin": origin, "Referer": origin + path}
            fields = {"csrfmiddlewaretoken": self.token, **(data or {})}
            if files:
                body, headers["Content-Type"] = _multipart(fields, files)
            else:
                body = urlencode(fields).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        t0 = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            answers.append(Answer(kind, 0, time.perf_counter() - t0, f"{method} {path} ({exc!r})"))
            return Reply(0, b"", "", None)
        finally:
            connection.close()
        answers.append(Answer(kind, response.status, time.perf_counter() - t0, f"{method} {path}"))
        level = None
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if name == "messages":  # read, never sent back: each answer tells its own outcome
                    level = _message_level(morsel.value)
                    continue
                with self.lock:
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        return Reply(response.status, content, response.headers.get("Location", ""), level)

    def refresh_token(self, path: str, answers: list) -> bytes:
        reply = self.request("GET", path, kind="login", answers=answers)
        match = TOKEN.search(reply.body)
        if reply.status != 200 or not match:
            raise CommandError(f"{self.username} : pas de jeton CSRF sur {path} (HTTP {reply.status})")
        self.token = match[1].decode()
        return reply.body


def _message_level(value: str) -> int | None:
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    messages = CookieStorage(HttpRequest())._decode(value) or []
    return max((m.level for m in messages), default=None)


class Command(BaseCommand):
    help = "Test de charge : gunicorn (2 workers) sur PostgreSQL, clients concurrents de chaque rôle, aucune mise à jour perdue."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=180, help="durée de la phase mixte en secondes (180)")
        parser.add_argument("--concurrency", type=int, default=200, help="clients simultanés (200)")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, duration, concurrency, seed, **options):
        if "load" not in str(settings.DATABASES["default"]["NAME"]):
            raise CommandError(
                "Lancez le test de charge avec DJANGO_SETTINGS_MODULE=config.settings.load (base séparée)."
            )
        if duration < 1 or concurrency < 1:
            raise CommandError("--duration et --concurrency valent au moins 1.")
        random.seed(seed)
        out = self.stdout
        t0 = time.perf_counter()
        _recreate_database(out)
        call_command("migrate", verbosity=0)
        call_command("bareme_init", demo=True, stdout=out)
        call_command("collectstatic", interactive=False, verbosity=0)
        accounts = self._accounts()
        world = self._world()
        out.write(f"Base prête en {time.perf_counter() - t0:.0f} s")
        port = _free_port()
        log_path = settings.BASE_DIR / "var" / "loadtest-gunicorn.log"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.load", "BAREME_PROCESS": "web"}
        command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
        command += ["--max-requests", "500", "--max-requests-jitter", "50", "--backlog", "2048"]
        command += ["--log-level", "warning", "--error-logfile", str(log_path)]
        log = open(log_path, "wb")  # noqa: SIM115 — closed after the server stops
        server = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=log)
        try:
            self._wait_ready(port, server)
            result = self._run(port, accounts, world, duration, concurrency)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
        failed = self._report(result, world, duration, concurrency)
        out.write(f"Durée totale : {time.perf_counter() - t0:.0f} s ; journal de gunicorn : {log_path}")
        if failed:
            raise CommandError("Test de charge en échec : voir ci-dessus.")

    # -- set-up -------------------------------------------------------------------------------------

    def _accounts(self) -> dict[str, list[str]]:
        """Several users of each role: the demo accounts and a second account beside several of
        them; officers with a confirmed TOTP device (the second factor is required)."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from apprenticeship.models import Employer
        from core.enums import Role, Scheme
        from core.models import User

        def twin(of: str, name: str) -> str:
            original = User.objects.get(username=of)
            user = User.objects.create_user(
                username=name, password=PASSWORD, role=original.role, schemes=original.schemes, email=""
            )
            user.schools.set(original.schools.all())
            for employer in Employer.objects.filter(accounts=original):
                employer.accounts.add(user)
            return name

        officers = ["agent"]
        for n in (2, 3):
            User.objects.create_user(
                username=f"load.agent.{n}", password=PASSWORD, role=Role.OFFICER, schemes=Scheme.values
            )
            officers.append(f"load.agent.{n}")
        for username in officers:
            TOTPDevice.objects.create(user=User.objects.get(username=username), name="load", confirmed=True)
        return {
            "officer": officers,
            "paris": ["lycee.paris", twin("lycee.paris", "load.lycee.paris.2")],
            "bonnevoie": ["lycee.bonnevoie", twin("lycee.bonnevoie", "load.lycee.bonnevoie.2")],
            "staff": ["lycee.creteil", "lycee.ettelbruck"],
            "employer_a": ["employeur.a", twin("employeur.a", "load.employeur.a.2")],
            "employer_b": ["employeur.b"],
        }

    def _world(self) -> dict:
        """The objects the clients read and race on, and the state of each before the run."""
        from apprenticeship.models import Contract, Payment, Statement
        from apprenticeship.services import current_month, schedule_compute
        from bts_fees.models import Declaration
        from core import demo as core_demo
        from core.models import AuditEvent, School
        from lycee_aid.enums import DotationStatus
        from lycee_aid.models import Dotation, Enrolment, SchoolYear

        paris = School.objects.get(code=core_demo.PARIS_LP)
        bonnevoie = School.objects.get(code=core_demo.LU_BONNEVOIE)
        y2023, y2024 = SchoolYear.objects.get(start_year=2023), SchoolYear.objects.get(start_year=2024)
        contracts = list(Contract.objects.filter(employer__accounts__username="employeur.a").exclude(status="draft"))
        months, free = [], []
        paid = set(Payment.objects.values_list("contract_id", "month"))
        for contract in contracts:
            schedule = schedule_compute(contract=contract)
            for line in schedule.lines or []:
                if line.month <= current_month():
                    months.append((contract.pk, line.month.strftime("%Y-%m")))
                    if (contract.pk, line.month) not in paid:
                        free.append((contract.pk, line.month.strftime("%Y-%m")))
        declarations = list(
            Declaration.objects.filter(body__school=bonnevoie).exclude(attendance_sheet="").order_by("pk")
        )
        submitted = [d for d in declarations if d.status == "submitted"]
        dotations = list(
            Dotation.objects.filter(school_year=y2023, status=DotationStatus.NOTIFIED, total_due_amount__gt=0)
        )
        enrolment = Enrolment.objects.filter(school=paris, formation__school_year=y2024).order_by("pk").first()
        if not (months and free and len(submitted) >= 2 and len(dotations) >= 2 and enrolment):
            raise CommandError("Les données de démonstration ne contiennent pas les objets du test de charge.")
        dotation_paris = Dotation.objects.filter(school_year=y2023, school=paris).first()
        statements = list(Statement.objects.values_list("pk", flat=True)[:3])
        initial: dict[str, object] = {}
        for (contract_id, month), amount in (
            (p[:2], p[2]) for p in Payment.objects.values_list("contract_id", "month", "paid_amount")
        ):
            initial[f"payment:{contract_id}:{month:%Y-%m}"] = str(amount)
        for d in declarations:
            initial[f"declaration:{d.pk}"] = d.status
            initial[f"sheet:{d.pk}"] = d.attendance_sheet.name
        for d in Dotation.objects.filter(school_year=y2023):
            initial[f"dotation:{d.pk}"] = d.status
        for contract_id, month in months:
            initial.setdefault(f"payment:{contract_id}:{month}", None)
        initial[f"enrolment:{enrolment.pk}"] = str(enrolment.first_year_count)
        last_history = Enrolment.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
        return {
            "paris": paris,
            "bonnevoie": bonnevoie,
            "y2023": y2023,
            "y2024": y2024,
            "contracts": [c.pk for c in contracts],
            "months": months,
            "free": free,
            "declarations": [d.pk for d in declarations],
            "race_declaration": submitted[0].pk,
            "dotations": [d.pk for d in dotations],
            "race_dotation": dotations[0].pk,
            "dotation_paris": dotation_paris.pk if dotation_paris else None,
            "statements": statements,
            "enrolment": enrolment,
            "initial": initial,
            "last_event": AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0,
            "last_history": last_history,
        }

    def _wait_ready(self, port: int, server) -> None:
        probe = Session(port, "", "")
        for _ in range(120):
            if server.poll() is not None:
                raise CommandError("gunicorn s'est arrêté au démarrage (voir var/loadtest-gunicorn.log).")
            if probe.request("GET", "/compte/connexion/", kind="ready", answers=[]).status == 200:
                return
            time.sleep(0.5)
        raise CommandError("gunicorn ne répond pas.")

    def _login(self, port: int, username: str, role: str, answers: list) -> Session:
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        session = Session(port, username, role)
        session.refresh_token("/compte/connexion/", answers)
        reply = session.request(
            "POST",
            "/compte/connexion/",
            data={"username": username, "password": PASSWORD},
            kind="login",
            answers=answers,
        )
        if reply.status != 302:
            raise CommandError(f"{username} : connexion refusée (HTTP {reply.status})")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is not None:
            session.refresh_token("/compte/double-authentification/?next=/", answers)
            code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
            reply = session.request(
                "POST",
                "/compte/double-authentification/?next=/",
                data={"token": f"{code:0{device.digits}d}"},
                kind="login",
                answers=answers,
            )
            if reply.status != 302:
                raise CommandError(f"{username} : second facteur refusé (HTTP {reply.status})")
        session.refresh_token("/", answers)
        return session

    def _reads(self, world, group: str) -> tuple[list[str], list[str]]:
        """(pages, PDFs) each group of users reads."""
        from apprenticeship.models import Contract
        from bts_fees.models import Declaration

        y23, y24, paris = world["y2023"].pk, world["y2024"].pk, world["paris"].pk
        declarations = world["declarations"][:4]
        if group == "officer":
            contracts = list(Contract.objects.order_by("pk").values_list("pk", flat=True)[:4])
            pages = ["/", "/apprentissage/contrats/", "/apprentissage/contrats/?page=2&per_page=2"]
            pages += ["/apprentissage/contrats/?status=active", "/apprentissage/arrieres/", "/are/demandes/"]
            pages += [f"/apprentissage/contrats/{c}/" for c in contracts]
            pages += [f"/are/annees/{y23}/campagne/", f"/are/annees/{y23}/campagne/?q=Lyc%C3%A9e&page=1"]
            pages += [f"/are/annees/{y24}/lycees/", "/bts/declarations/", "/bts/declarations/?status=submitted"]
            pages += [f"/bts/declarations/{d}/" for d in declarations]
            pages += ["/bts/synthese/", "/bts/personnes/?page=2&per_page=5", "/journal/", "/journal/?page=2"]
            pdfs = [f"/bts/declarations/{d}/pdf/" for d in declarations[:2]] + ["/baremes/pdf/", "/bts/tarifs/pdf/"]
            pdfs += [f"/are/dotations/{d}/pdf/" for d in world["dotations"][:2]]
            pdfs += [f"/apprentissage/releves/{s}/pdf/" for s in world["statements"][:2]]
            return pages, pdfs
        if group == "paris":
            pages = ["/", f"/are/annees/{y24}/lycees/{paris}/", f"/are/annees/{y24}/lycees/{paris}/effectifs/"]
            pages += [f"/are/annees/{y23}/lycees/{paris}/", "/are/demandes/"]
            pdfs = [f"/are/dotations/{world['dotation_paris']}/pdf/"] if world["dotation_paris"] else []
            return pages, pdfs
        if group == "bonnevoie":
            pages = ["/", "/bts/declarations/", "/bts/declarations/?status=submitted&page=1", "/bts/contrats/"]
            pages += ["/bts/instances/", "/apprentissage/contrats/"] + [f"/bts/declarations/{d}/" for d in declarations]
            mine = Declaration.objects.filter(pk__in=declarations).values_list("pk", flat=True)
            return pages, [f"/bts/declarations/{d}/pdf/" for d in list(mine)[:2]]
        if group.startswith("employer"):
            username = "employeur.a" if group == "employer_a" else "employeur.b"
            contracts = Contract.objects.filter(employer__accounts__username=username).values_list("pk", flat=True)
            pages = ["/", "/apprentissage/contrats/", "/apprentissage/contrats/?page=1&sort=-start_date"]
            pages += [f"/apprentissage/contrats/{c}/" for c in list(contracts)[:3]]
            pages += [f"/apprentissage/contrats/{c}/graphique/" for c in list(contracts)[:1]]
            from apprenticeship.models import Statement

            statements = Statement.objects.filter(contract__employer__accounts__username=username)
            return pages, [f"/apprentissage/releves/{s}/pdf/" for s in statements.values_list("pk", flat=True)[:2]]
        return ["/", "/are/demandes/", "/bts/declarations/", "/apprentissage/contrats/"], []

    # -- the run ----------------------------------------------------------------------------------

    def _run(self, port, accounts, world, duration, concurrency) -> dict:
        out = self.stdout
        answers: list[Answer] = []
        sent: list[Sent] = []
        counter = itertools.count(1)
        sessions: dict[str, list[Session]] = {}
        for group, usernames in accounts.items():
            sessions[group] = [self._login(port, u, group, answers) for u in usernames]
        out.write(f"{sum(len(s) for s in sessions.values())} sessions ouvertes (second facteur pour les agents)")

        reads: dict[str, tuple[list[str], list[str]]] = {}
        for group, group_sessions in sessions.items():
            pages, pdfs = self._reads(world, group)
            kept = []
            for kind, urls in (("page", pages), ("pdf", pdfs)):
                good = []
                for url in urls:
                    reply = group_sessions[0].request("GET", url, kind=f"warm-up {kind}", answers=answers)
                    if reply.status == 200:
                        good.append(url)
                    else:
                        out.write(f"  lecture écartée ({group}) : {url} → HTTP {reply.status}")
                kept.append(good)
            reads[group] = (kept[0], kept[1])

        def pick(group):
            return random.choice(sessions[group])

        # -- actions (each records its answer, and a Sent for what should change state) --
        def payment(key=None):
            contract, month = key or random.choice(world["months"])
            amount = (Decimal(400) + Decimal(next(counter)) / 100).quantize(Decimal("0.01"))
            session = pick(random.choice(["employer_a", "employer_a", "officer"]))
            reply = session.request(
                "POST",
                f"/apprentissage/contrats/{contract}/versements/",
                data={"month": month, "paid_amount": f"{amount:.2f}".replace(".", ",")},
                kind="transition: payment",
                answers=answers,
            )
            if reply.status in (302, 400):
                sent.append(
                    Sent(
                        "apprenticeship.payment_record", f"payment:{contract}:{month}", str(amount), reply.status == 302
                    )
                )

        def declaration(pk=None, action=None):
            pk = pk or random.choice(world["declarations"])
            action = action or random.choice(["submit", "validate", "validate", "reject", "reopen"])
            paths = {"submit": "soumettre", "validate": "valider", "reject": "rejeter", "reopen": "rouvrir"}
            target = {"submit": "submitted", "validate": "validated", "reject": "rejected", "reopen": "reopened"}
            data = {f"{action}-reason": REASON} if action in ("reject", "reopen") else {}
            session = pick("bonnevoie" if action == "submit" else "officer")
            reply = session.request(
                "POST",
                f"/bts/declarations/{pk}/{paths[action]}/",
                data=data,
                kind=f"transition: declaration {action}",
                answers=answers,
            )
            if reply.status == 302:
                done = True if reply.level == DONE else False if reply.level == ERROR else None
                sent.append(Sent(f"bts_fees.declaration_{action}", f"declaration:{pk}", target[action], done))

        def sheet():
            from bts_fees.demo import DEMO_SHEET

            pk = random.choice(world["declarations"])
            content = DEMO_SHEET + f"% copie {next(counter)}\n".encode()
            reply = pick("bonnevoie").request(
                "POST",
                f"/bts/declarations/{pk}/liste-presence/joindre/",
                files={"attendance_sheet": ("liste-presence.pdf", content, "application/pdf")},
                kind="upload: attendance sheet",
                answers=answers,
            )
            if reply.status < 500 and reply.status:
                digest = hashlib.sha256(content).hexdigest()
                sent.append(Sent("bts_fees.declaration_attach_sheet", f"sheet:{pk}", digest, reply.status == 302))

        def enrolments():
            enrolment = world["enrolment"]
            count = next(counter)
            csv = f"uai;code_diplome;effectif\n{world['paris'].code};{enrolment.formation.diploma_code};{count}\n"
            reply = pick("paris").request(
                "POST",
                f"/are/annees/{world['y2024'].pk}/lycees/{world['paris'].pk}/effectifs/deposer/",
                files={"file": ("effectifs.csv", csv.encode(), "text/csv")},
                kind="upload: enrolments CSV",
                answers=answers,
            )
            if reply.status < 500 and reply.status:
                done = reply.status == 302
                sent.append(Sent("lycee_aid.enrolments_save", f"enrolments:{world['paris'].pk}", None, done))
                sent.append(Sent("enrolment history", f"enrolment:{enrolment.pk}", str(count), done))

        def mark_paid(pk=None):
            pk = pk or random.choice(world["dotations"])
            reference = f"MANDAT-{next(counter)}"
            reply = pick("officer").request(
                "POST",
                f"/are/dotations/{pk}/versee/",
                data={"payment_date": date.today().isoformat(), "payment_reference": reference},
                kind="transition: ARE mark paid",
                answers=answers,
            )
            if reply.status in (302, 400):
                # 302: paid now, or paid already by another officer (the view redirects before the form).
                sent.append(
                    Sent(
                        "lycee_aid.dotation_mark_paid",
                        f"dotation:{pk}",
                        reference,
                        None if reply.status == 302 else False,
                    )
                )

        def read(kind):
            group = random.choice(list(sessions))
            pages, pdfs = reads[group]
            urls = pdfs if kind == "pdf" and pdfs else pages
            random.choice(sessions[group]).request("GET", random.choice(urls), kind=f"read: {kind}", answers=answers)

        # -- burst: everything at once on the same objects --
        burst_payments = world["free"][:30]
        jobs = [lambda k=k: payment(k) for k in burst_payments]
        jobs += [lambda: declaration(world["race_declaration"], "validate") for _ in range(30)]
        jobs += [lambda: mark_paid(world["race_dotation"]) for _ in range(30)]
        barrier = threading.Barrier(len(jobs))

        def fire(job):
            barrier.wait()
            job()

        threads = [threading.Thread(target=fire, args=(job,)) for job in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        burst_sent = list(sent)
        after_burst = self._after_burst(world)
        out.write(f"Rafale : {len(jobs)} requêtes simultanées sur les mêmes objets")

        # -- mixed phase --
        weighted = [
            (lambda: read("page"), 56),
            (lambda: read("pdf"), 8),
            (payment, 12),
            (declaration, 10),
            (sheet, 4),
            (enrolments, 6),
            (mark_paid, 4),
        ]
        actions, weights = zip(*weighted, strict=True)
        deadline = time.monotonic() + duration
        start = time.perf_counter()

        def client():
            while time.monotonic() < deadline:
                random.choices(actions, weights)[0]()

        threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        return {
            "answers": answers,
            "sent": sent,
            "burst_sent": burst_sent,
            "after_burst": after_burst,
            "elapsed": elapsed,
        }

    def _after_burst(self, world) -> dict:
        """The rows the burst wrote, read before the mixed phase changes them again."""
        from apprenticeship.models import Payment
        from bts_fees.models import Declaration
        from core.models import AuditEvent
        from lycee_aid.models import Dotation

        keys = {f"payment:{c}:{m}" for c, m in world["free"][:30]}
        payments = {
            f"payment:{c}:{month:%Y-%m}": str(amount)
            for c, month, amount in Payment.objects.values_list("contract_id", "month", "paid_amount")
        }
        return {
            "payments": {k: v for k, v in payments.items() if k in keys},
            "declaration": Declaration.objects.get(pk=world["race_declaration"]).status,
            "dotation": Dotation.objects.get(pk=world["race_dotation"]).status,
            "last_event": AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        }

    # -- the checks ---------------------------------------------------------------------------------

    def _read_back(self, world) -> tuple[list[Event], dict[str, object]]:
        from apprenticeship.models import Payment
        from bts_fees.models import Declaration
        from core.models import AuditEvent
        from lycee_aid.models import Dotation, Enrolment

        events = []
        for e in AuditEvent.objects.filter(id__gt=world["last_event"]).order_by("id"):
            before, after = e.before or {}, e.after or {}
            if e.action == "apprenticeship.payment_record":
                key = f"payment:{e.object_id}:{after['month'][:7]}"
                amount = after["paid_amount"]
                events.append(Event(e.id, e.action, key, before.get("paid_amount"), amount, amount))
            elif e.action.startswith("bts_fees.declaration_") and e.action != "bts_fees.declaration_attach_sheet":
                if "status" in after:
                    key = f"declaration:{e.object_id}"
                    events.append(Event(e.id, e.action, key, before.get("status"), after["status"], after["status"]))
            elif e.action == "bts_fees.declaration_attach_sheet":
                key = f"sheet:{e.object_id}"
                events.append(
                    Event(
                        e.id, e.action, key, before.get("attendance_sheet"), after["attendance_sheet"], after["sha256"]
                    )
                )
            elif e.action == "lycee_aid.enrolments_save":
                events.append(Event(e.id, e.action, f"enrolments:{e.object_id}"))
            elif e.action == "lycee_aid.dotation_mark_paid":
                events.append(
                    Event(
                        e.id,
                        e.action,
                        f"dotation:{e.object_id}",
                        before.get("status"),
                        "paid",
                        after.get("payment_reference"),
                    )
                )
        enrolment = world["enrolment"]
        history = Enrolment.history.filter(id=enrolment.pk, history_id__gt=world["last_history"]).order_by("history_id")
        for h in history:
            count = str(h.first_year_count)
            events.append(
                Event(10**12 + h.history_id, "enrolment history", f"enrolment:{enrolment.pk}", UNKNOWN, count, count)
            )
        final: dict[str, object] = {}
        for contract_id, month, amount in Payment.objects.values_list("contract_id", "month", "paid_amount"):
            final[f"payment:{contract_id}:{month:%Y-%m}"] = str(amount)
        for d in Declaration.objects.filter(pk__in=world["declarations"]):
            final[f"declaration:{d.pk}"] = d.status
            final[f"sheet:{d.pk}"] = d.attendance_sheet.name
        for pk, status in Dotation.objects.filter(school_year=world["y2023"]).values_list("pk", "status"):
            final[f"dotation:{pk}"] = status
        final[f"enrolment:{enrolment.pk}"] = str(Enrolment.objects.get(pk=enrolment.pk).first_year_count)
        return events, final

    def _report(self, result, world, duration, concurrency) -> bool:
        from bts_fees.models import Declaration

        w = self.stdout.write
        answers, sent = result["answers"], result["sent"]
        events, final = self._read_back(world)
        initial = world["initial"]
        problems = loadtest.find_lost_updates(sent=sent, events=events, initial=initial, final=final)
        burst = [s for s in result["burst_sent"] if s.kind == "apprenticeship.payment_record"]
        after = result["after_burst"]
        problems += loadtest.check_burst(label="rafale de versements", sent=burst, rows=after["payments"])
        in_burst = [e for e in events if e.id <= after["last_event"]]
        race_d, race_dot = world["race_declaration"], world["race_dotation"]
        problems += loadtest.check_exactly_one(
            label=f"déclaration {race_d} validée par 30 agents à la fois",
            events=[e for e in in_burst if e.key == f"declaration:{race_d}"],
            final=after["declaration"],
            expected="validated",
        )
        problems += loadtest.check_exactly_one(
            label=f"dotation {race_dot} marquée versée par 30 agents à la fois",
            events=[e for e in in_burst if e.key == f"dotation:{race_dot}"],
            final=after["dotation"],
            expected="paid",
        )
        server_errors = [a for a in answers if a.status >= 500 or a.status == 0]
        measured = [a for a in answers if not a.kind.startswith(("login", "warm-up", "ready"))]
        w("")
        w(f"Test de charge — {date.today():%d/%m/%Y}, {os.cpu_count()} cœurs, gunicorn 2 workers, PostgreSQL")
        w(f"phase mixte : {duration} s, {concurrency} clients simultanés ; rafale initiale : 90 requêtes")
        for line in loadtest.table(measured, result["elapsed"]):
            w(line)
        accepted = sum(1 for s in sent if s.done)
        w(
            f"transitions acceptées : {accepted} (refusées : {sum(1 for s in sent if s.done is False)}, "
            f"indécises : {sum(1 for s in sent if s.done is None)}) ; événements du journal relus : {len(events)}"
        )
        w(
            f"versements de la rafale : {len([s for s in burst if s.done])} acceptés, {len(after['payments'])} lignes ; "
            f"déclarations : {Declaration.objects.filter(pk__in=world['declarations']).count()} en jeu"
        )
        w(f"mises à jour perdues : {len(problems)}")
        for problem in problems[:50]:
            w(f"  {problem}")
        w(f"réponses 5xx (ou sans réponse) : {len(server_errors)}")
        for answer in server_errors[:50]:
            w(f"  {answer.status} {answer.url}")
        return bool(problems or server_errors)
