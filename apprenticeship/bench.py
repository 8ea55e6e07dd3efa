"""Benchmark provider of the apprenticeship app (the regional-scale scenarios; interface in `core/bench.py`).

`generate("full")`: 100 000 contracts over 5 000 employers; the employer `bench.employer` holds
50 000 of them (its list has a page 1 000 at 50 rows), the 4 999 others share the other 50 000.
`generate("small")`: a hundredth of that. Every contract runs through the current school year so
that the school-year filter keeps the deep pages (the filter still runs its date conditions on
every row). Idempotent: rows already there (recognised by their key) are skipped.

Bench rows are written with plain `bulk_create` and carry no history: `bulk_create_with_history`
doubles the writes and takes minutes at this size, and no benchmark reads the history.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.bench import ListPage
from core.enums import Role
from core.models import School, User
from core.rules import round_cent

from . import rules
from .enums import ContractStatus
from .models import Apprentice, Contract, Employer, Statement, StatementLine, Trade

EMPLOYER_USERNAME = "bench.employer"
OFFICER_USERNAME = "bench.officer"  # created by the harness (officer of every scheme)
SCALES = {"full": 100_000, "small": 1_000}
BATCH = 5_000
PER_PAGE = 50
ONE_PAGE_LINES = 10  # months of a statement that fits on one page (harness check)
SCHOOLS = 8
BIG_EMPLOYER = "Bench Entreprise 00000 SARL"

_LAST_NAMES = ["Muller", "Schmit", "Weber", "Wagner", "Hoffmann", "Klein", "Thill", "Reuter", "Kieffer", "Schroeder"]
_FIRST_NAMES = ["Léa", "Noah", "Emma", "Luca", "Mia", "Ben", "Lara", "Tom", "Zoé", "Max"]
_STATUSES = [ContractStatus.ACTIVE] * 17 + [ContractStatus.REGISTERED] * 2 + [ContractStatus.DRAFT]


def _employer_name(i: int) -> str:
    return f"Bench Entreprise {i:05d} SARL"


def _current_school_year() -> int:
    return rules.school_year_of(timezone.localdate())


def _log(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(f"    apprentissage (banc) : {message}")


def _missing(model, field: str, keys: list[str]) -> set[str]:
    """Keys (values of a unique field) not yet in the table."""
    present: set[str] = set()
    for start in range(0, len(keys), 900):  # SQLite's variable limit
        chunk = keys[start : start + 900]
        present.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    return set(keys) - present


def _bulk(model, objects, stdout, label: str) -> None:
    for start in range(0, len(objects), BATCH):
        with transaction.atomic():
            model.objects.bulk_create(objects[start : start + BATCH], batch_size=BATCH)
    if objects:
        _log(stdout, f"{len(objects)} {label} créés")


def generate(scale: str, stdout) -> None:
    total = SCALES[scale]
    employers_count = total // 20

    user, _ = User.objects.get_or_create(
        username=EMPLOYER_USERNAME,
        defaults={"role": Role.EMPLOYER, "first_name": "Banc", "last_name": "Employeur"},
    )
    schools = []
    for i in range(1, SCHOOLS + 1):
        school, _ = School.objects.get_or_create(
            code=f"LU-BENCH-{i}", defaults={"name": f"Lycée de banc {i}", "country": "LU", "sector": "lu_public"}
        )
        schools.append(school)

    names = [_employer_name(i) for i in range(employers_count)]
    missing = _missing(Employer, "name", names)
    _bulk(
        Employer,
        [Employer(name=n, registration_number=f"B{i:06d}") for i, n in enumerate(names) if n in missing],
        stdout,
        "employeurs",
    )
    employer_ids = dict(Employer.objects.filter(name__startswith="Bench Entreprise ").values_list("name", "id"))
    big = Employer.objects.get(name=BIG_EMPLOYER)
    big.accounts.add(user)

    national_ids = [f"9{i:012d}" for i in range(total)]
    missing = _missing(Apprentice, "national_id", national_ids)
    _bulk(
        Apprentice,
        [
            Apprentice(
                last_name=f"{_LAST_NAMES[i % 10]}{i // 10 % 1000}",
                first_name=_FIRST_NAMES[i // 7 % 10],
                birth_date=date(2006, 1, 1) + timedelta(days=i % 1500),
                national_id=nid,
            )
            for i, nid in enumerate(national_ids)
            if nid in missing
        ],
        stdout,
        "apprentis",
    )

    references = [f"BEN-{i:06d}" for i in range(total)]
    missing = _missing(Contract, "reference", references)
    if not missing:
        return
    apprentice_ids = dict(Apprentice.objects.filter(national_id__startswith="9").values_list("national_id", "id"))
    trades = list(Trade.objects.filter(duration_years__gte=3).values_list("id", flat=True)) or list(
        Trade.objects.values_list("id", flat=True)
    )
    year = _current_school_year()
    first_start = date(year - 2, 9, 1)
    contracts = []
    for i, ref in enumerate(references):
        if ref not in missing:
            continue
        if i % 2 == 0:  # every other contract (the same ones at both scales)
            employer_id = big.id
        else:
            employer_id = employer_ids[names[1 + i // 2 % (employers_count - 1)]]
        start = first_start + timedelta(days=(i * 7) % 720)
        contracts.append(
            Contract(
                reference=ref,
                apprentice_id=apprentice_ids[national_ids[i]],
                employer_id=employer_id,
                school_id=schools[i % SCHOOLS].id,
                trade_id=trades[i % len(trades)],
                tutor_name="Tuteur de banc",
                tutor_qualification="Maître artisan",
                signed_on=start - timedelta(days=20),
                start_date=start,
                end_date=start.replace(year=start.year + 3) - timedelta(days=1),
                chamber_registered_on=start - timedelta(days=10),
                chamber_reference=f"CH-{i}",
                status=_STATUSES[i % len(_STATUSES)],
            )
        )
    _bulk(Contract, contracts, stdout, "contrats")


def _last_page(qs) -> int:
    return max(1, min(1000, math.ceil(qs.count() / PER_PAGE)))


def list_pages() -> list[ListPage]:
    """Page 1 and page 1 000 (or the last page, at the small scale) of the contract list of the
    large employer and of the officer, without and with a filter (school year and status)."""
    from . import selectors
    from .filters import ContractFilter

    url = reverse("apprenticeship:contract_list")
    year = _current_school_year()
    filters = f"school_year={year}&status={ContractStatus.ACTIVE}"
    pages = []
    for username, who in ((EMPLOYER_USERNAME, "employeur"), (OFFICER_USERNAME, "agent")):
        user = User.objects.get(username=username)
        everything = selectors.contract_list(user)
        filtered = ContractFilter.filter_school_year(None, everything, "school_year", year).filter(
            status=ContractStatus.ACTIVE
        )
        for label, query, qs in (("", "", everything), (" filtrée", filters + "&", filtered)):
            last = _last_page(qs)
            pages.append(ListPage(f"contrats {who}{label} p. 1", f"{url}?{query}page=1", username))
            pages.append(ListPage(f"contrats {who}{label} p. {last}", f"{url}?{query}page={last}", username))
    return pages


def _synthetic_statement(lines: int):
    """An unsaved statement of `lines` months (a long contract in memory), with its contract."""
    school = School(code="LU-BENCH", name="Lycée technique de Bonnevoie", country="LU", sector="lu_public")
    employer = Employer(name="Boulangerie Hoffmann SARL", address="12, rue de Bonnevoie, L-1260 Luxembourg")
    apprentice = Apprentice(
        last_name="Muller", first_name="Léa", birth_date=date(2008, 3, 10), national_id="2008031012345"
    )
    start = date(2000, 1, 1)
    months = [date(start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1, 1) for k in range(lines)]
    end = months[-1] + timedelta(days=27)
    contract = Contract(
        reference="APP-2000-00001",
        apprentice=apprentice,
        employer=employer,
        school=school,
        start_date=start,
        end_date=end,
        status=ContractStatus.ACTIVE,
    )
    rows = []
    for k, month in enumerate(months):
        index = Decimal("944.43") + Decimal(k // 12) * 10
        ssm = round_cent(Decimal("279.30") * index / 100)  # CORE-3: the SSM at ni 100, indexed
        rate = Decimal("40.00") if k < lines // 2 else Decimal("45.00")
        amount = round_cent(ssm * rate / 100)
        rows.append(
            StatementLine(
                month=month,
                days_covered=30,
                days_in_month=30,
                training_year=1 + k // 12 % 4,
                index=index,
                ssm_at_100=Decimal("279.30"),
                ssm_amount=ssm,
                rate_percent=rate,
                pii=k >= lines // 2,
                monthly_amount=amount,
                standard_amount=amount,
                reimbursement_amount=Decimal("0.00"),
                due_amount=amount,
            )
        )
    statement = Statement(
        reference="REL-2000-00001-01",
        contract=contract,
        issued_at=timezone.make_aware(datetime(2026, 11, 1, 12)),
        parameters={
            "index": [{"value": "944.43", "valid_from": "2025-05-01", "source": "Règlement grand-ducal (banc)"}],
            "ssm": [{"amount_at_100": "279.30", "valid_from": "2025-01-01", "source": "Loi SSM (banc)"}],
            "rate_sources": ["Règlement grand-ducal des indemnités d'apprentissage (banc)"],
            "programme": "Boulanger-pâtissier (DAP)",
            "adult": False,
        },
        total_due_amount=sum((r.due_amount for r in rows), start=Decimal("0.00")),
        total_reimbursement_amount=Decimal("0.00"),
    )
    return statement, rows


def statement(lines: int) -> Callable[[], bytes]:
    """The schedule statement PDF with `lines` table rows, through the production template and
    `core.pdf.render_pdf` (the statement is built in memory, nothing is saved)."""
    from .pdf import render_statement

    stmt, rows = _synthetic_statement(lines)
    # Every line, whatever today's date (the default period stops at the current month).
    return lambda: render_statement(stmt, rows, first=rows[0].month, last=rows[-1].month)


# -- reform simulation (set-based computation against one SQL aggregate) --------------------------

CAMPAIGN_LABELS = (
    "plancher : COUNT(contrats) GROUP BY métier (même périmètre)",
    "apprentissage : simulation de la réforme de février 2026",
)
CAMPAIGN_ROUNDS = 3  # each round computes every month of every contract from January 2026
CAMPAIGN_MAX_RATIO = None  # measured, not bounded: the months are computed in Python, not in SQL


def campaign() -> Callable[[], object]:
    """The February 2026 bill simulated over the whole bench caseload, as its job runs it."""
    from .reforms import services as reform_services
    from .reforms.demo import february_2026_bill

    scenario = february_2026_bill()
    officer = User.objects.get(username=OFFICER_USERNAME)
    return lambda: reform_services.reform_simulate(actor=officer, scenario=scenario)


def campaign_floor() -> Callable[[], object]:
    """One SQL aggregate over the same contracts: their count per trade."""
    from django.db.models import Count

    from .reforms import selectors as reform_selectors

    caseload = reform_selectors.caseload(date(2026, 1, 1))
    return lambda: list(caseload.order_by().values("trade_id").annotate(n=Count("pk")))
