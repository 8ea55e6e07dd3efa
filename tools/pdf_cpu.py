"""CPU time of the benchmark's PDFs, one process, against the trivial PDF measured in the same process.

    DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python tools/pdf_cpu.py [-n 7]

CPU time (`time.process_time`), not wall time: on a machine shared with other work the wall time of
a short render is inflated far more than its CPU time. For each document: the best and median of
`n` renders, the ratio of its median to the trivial PDF's median, and the Python calls of one render
(exact, whatever the load). The documents are built in memory (no bench database needed): each
app's one-page statement of `<app>.bench` and a notification of 200 formations.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django  # noqa: E402

django.setup()

from django.utils import timezone, translation  # noqa: E402


def trivial() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<p>ok</p>").write_pdf()


def notification(n: int):
    """A voted notification of `n` formations with the bench's titles, nothing saved."""
    from core.models import School
    from lycee_aid import bench
    from lycee_aid.enums import DotationStatus, Envelope, FormationLevel
    from lycee_aid.models import Dotation, DotationLine, SchoolYear
    from lycee_aid.pdf import render_notification

    year = SchoolYear(start_year=bench.BENCH_YEAR, forfait_amount=Decimal("157.00"))
    year.forfait_prepa_metiers_amount = Decimal("56.00")
    school = School(code="BENCHARE0000", name="Lycée professionnel de banc n° 0000", country="FR", city="Paris")
    lines = []
    for i in range(n):
        level = bench._level(i, n)
        unit = year.forfait_prepa_metiers_amount if level == FormationLevel.INFRA_V else year.forfait_amount
        count = 1 + i % 36
        lines.append(
            DotationLine(
                envelope=Envelope.POST_BAC if level == FormationLevel.POST_BAC else Envelope.PRE_BAC,
                level=level,
                nsf_code="100" if i == 0 else bench._NSF[i % len(bench._NSF)],
                diploma_code=f"9{i:07d}",
                title=f"FORMATION DE BANC D'ESSAI N° {i}",
                enrolments=count,
                forfait_amount=unit,
                gross_amount=None if level == FormationLevel.POST_BAC else count * unit,
            )
        )
    zero = Decimal("0")
    amounts = ("pre_bac_gross", "post_bac_gross", "carryover_pre_bac", "carryover_post_bac", "pre_bac_due")
    dotation = Dotation(
        school=school,
        school_year=year,
        status=DotationStatus.VOTED,
        forfait_amount=year.forfait_amount,
        forfait_prepa_metiers_amount=year.forfait_prepa_metiers_amount,
        scholarship_count=1,
        school_enrolments=2,
        survey_answered=True,
        prepa_metiers_count=0,
        pre_bac_count=0,
        post_bac_count=0,
        scholarship_holders=0,
        post_bac_due_amount=zero,
        total_due_amount=zero,
        computed_at=timezone.now(),
        **{f"{name}_amount": zero for name in amounts},
    )
    return lambda: render_notification(dotation, lines)


def documents() -> dict:
    from apprenticeship import bench as apprenticeship
    from bts_fees import bench as bts_fees

    return {
        "trivial PDF <p>ok</p>": trivial,
        "apprenticeship statement, 10 months": apprenticeship.statement(10),
        "ARE notification, 5 formations": notification(5),
        "BTS statement, 10 acts": bts_fees.statement(10),
        "ARE notification, 200 formations": notification(200),
    }


def calls(render) -> int:
    profile = cProfile.Profile()
    profile.enable()
    render()
    profile.disable()
    return pstats.Stats(profile).total_calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=7, help="renders of each document (interleaved)")
    n = parser.parse_args().n
    translation.activate("fr")
    docs = documents()
    for render in docs.values():
        render()  # warm: fonts, stylesheets, templates
    times: dict[str, list[float]] = {name: [] for name in docs}
    for _ in range(n):
        for name, render in docs.items():
            start = time.process_time()
            render()
            times[name].append(time.process_time() - start)
    floor = statistics.median(times["trivial PDF <p>ok</p>"])
    from pypdf import PdfReader

    for name, render in docs.items():
        median, pages = statistics.median(times[name]), len(PdfReader(io.BytesIO(render())).pages)
        ratio = "" if render is trivial else f"{median / floor:5.1f}×"
        print(
            f"{name:38} {pages:2} p.  best {min(times[name]) * 1000:7.1f} ms  median {median * 1000:7.1f} ms"
            f"  {ratio:7}  {calls(render):9,} calls"
        )


if __name__ == "__main__":
    main()
