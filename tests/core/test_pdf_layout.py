"""Layout of every document type, checked on the rendered PDF's text positions (pdfplumber).

Each document is rendered with short data (one line, short names, small amounts) and long data
(names of 80 characters, amounts of 7 digits, 1 and 300 lines), built in memory (nothing saved),
through the production `render_<document>` functions. On every page:
- no two characters overlap (text drawn over other text: the "Taux / ni 100" over "PII" defect);
- nothing lies outside the page box, nor past the left and right margins;
- a table's last row stays whole, on the page of its total (no row split, no total alone).
A 300-line document takes seconds: each one is rendered once per module and shared by the tests.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from types import SimpleNamespace

import pdfplumber
import pytest
from django.utils import timezone
from pypdf import PdfReader

# Layout does not depend on the database engine: CI runs these once, on SQLite.
pytestmark = pytest.mark.slow

MM = 72 / 25.4
SIDE_MARGIN = 14 * MM  # static/css/pdf.css: @page margin left and right

# 80 characters, spaces included, as a long official name is.
LONG_NAME = "Lycée polyvalent régional d'enseignement général technologique et professionnels"
assert len(LONG_NAME) == 80
LONG_PERSON = "DE LA TOUR D'AUVERGNE-LAURAGUAIS Marie-Christine Anne-Sophie Geneviève Elisabeth"
assert len(LONG_PERSON) == 80
BIG = Decimal("1234567.89")  # 7 digits before the comma: « 1 234 567,89 € »
TOTAL = Decimal("9876543.21")  # a total that appears once in the document
LAST = "ZLASTROW"  # marks the last row of a long table (one word: it never wraps)

VARIANTS = {
    "short": {"lines": 1, "name": "Lycée Jean Monnet", "person": "WAGNER Luc", "amount": Decimal("12.50")},
    "long-1": {"lines": 1, "name": LONG_NAME, "person": LONG_PERSON, "amount": BIG},
    "long-300": {"lines": 300, "name": LONG_NAME, "person": LONG_PERSON, "amount": BIG},
}

AWARE = timezone.make_aware(datetime(2026, 9, 15, 10, 30))


def _label(v, i, n, base):
    """The text of line i of n: the variant's name, and the marker on the last line of a long table."""
    text = f"{base} {i + 1}" if v["lines"] == 1 else f"{v['name'][:60]} {i + 1}"
    return f"{LAST} {text}" if (i == n - 1 and n > 1) else text


# -- builders: one per document type, in memory -------------------------------------------------


def _apprenticeship_contract(v):
    from apprenticeship.models import Apprentice, Contract, Employer, Trade
    from core.models import School

    employer = Employer(name=v["name"], address="12, rue de la Gare\nL-1611 Luxembourg")
    apprentice = Apprentice(
        last_name=v["person"], first_name="Luc", birth_date=date(2007, 3, 1), national_id="2007030112345"
    )
    school = School(code="LTB", name=v["name"], country="LU", sector="public")
    trade = Trade(code="BOUL", name=v["name"], diploma="DAP", duration_years=3, sector="food")
    return Contract(
        reference="CA-2026-00001",
        apprentice=apprentice,
        employer=employer,
        school=school,
        trade=trade,
        start_date=date(2025, 9, 1),
        end_date=date(2028, 7, 15),
    )


def apprenticeship_statement(v):
    from apprenticeship.models import Statement, StatementLine
    from apprenticeship.pdf import render_statement

    n, amount = v["lines"], v["amount"]
    lines = [
        StatementLine(
            month=date(2025 + (8 + i) // 12, (8 + i) % 12 + 1, 1),
            days_covered=30,
            days_in_month=30,
            training_year=1 + i // 12,
            index=Decimal("944.43"),
            ssm_at_100=Decimal("279.30"),
            ssm_amount=amount,
            rate_percent=Decimal("40.00") if i % 2 else None,
            amount_at_100=None if i % 2 else Decimal("123.4567"),
            pii=bool(i % 3),
            monthly_amount=amount,
            standard_amount=amount,
            reimbursement_amount=amount,
            due_amount=amount,
        )
        for i in range(n)
    ]
    statement = Statement(
        reference="REL-2026-00001-01",
        contract=_apprenticeship_contract(v),
        issued_at=AWARE,
        parameters={
            "index": [{"value": "944.43", "valid_from": "2025-05-01", "source": "Règlement grand-ducal"}],
            "ssm": [{"amount_at_100": "279.30", "valid_from": "2025-01-01", "source": "Loi SSM"}],
            "rate_sources": ["Règlement grand-ducal des indemnités d'apprentissage"],
            "programme": v["name"],
            "adult": False,
        },
        total_due_amount=TOTAL,
        total_reimbursement_amount=TOTAL,
    )
    # Over every month, the first one paid in full and the others not recorded: the "due" total is
    # the sum of the lines, the "remaining" total the same minus the first month.
    paid = {lines[0].month: amount}
    content = render_statement(statement, lines, first=lines[0].month, last=lines[-1].month, paid_by_month=paid)
    return content, [(f"{lines[-1].month:%m/%Y}" if n > 1 else None, amount * n)]


def apprenticeship_aid(v):
    from apprenticeship.models import AidRequest
    from apprenticeship.pdf import render_aid_request

    n = min(v["lines"], 12)  # an apprenticeship year has at most 12 months
    aid = AidRequest(
        reference="APA-2026-00001",
        contract=_apprenticeship_contract(v),
        school_year=2025,
        diploma="DAP",
        months=n,
        gross_amount=TOTAL,
        aid_percent=Decimal("27"),
        aid_amount=v["amount"],
        social_charges_amount=v["amount"],
        total_amount=v["amount"],
        deadline=date(2027, 7, 1),
        prepared_at=AWARE,
        lines=[
            {
                "month": f"2025-{9 + i:02d}-01" if i < 4 else f"2026-{i - 3:02d}-01",
                "index": "944.43",
                "standard_amount": str(v["amount"]),
            }
            for i in range(n)
        ],
    )
    return render_aid_request(aid), [(None, TOTAL)]


def _bts_world(v):
    from bts_fees.models import AcademicYear, Appointment, Body, Person
    from core.models import School

    school = School(code="LTB", name=v["name"], country="LU", sector="public")
    year = AcademicYear(
        label="2025-2026",
        start_date=date(2025, 9, 15),
        end_date=date(2026, 9, 14),
        second_semester_from=date(2026, 2, 1),
    )
    body = Body(school=school, academic_year=year, kind="exam_board", label=v["name"])
    person = Person(school=school, last_name=v["person"], first_name="Luc")
    return school, body, Appointment(body=body, person=person, role="member")


def bts_declaration(v):
    from bts_fees.models import Act, Declaration, DeclarationLine
    from bts_fees.pdf import render_declaration

    _school, body, appointment = _bts_world(v)
    n = v["lines"]
    declaration = Declaration(
        body=body, period_label=v["name"][:60], period_start=date(2026, 6, 1), period_end=date(2026, 6, 30)
    )
    lines = [
        DeclarationLine(
            declaration=declaration,
            appointment=appointment,
            act=Act(code="J1", section="juries", label=_label(v, i, n, "Présidence du jury"), unit="day"),
            act_date=date(2026, 6, 1 + i % 28),
            quantity=Decimal("1.00"),
            rate_at_100=Decimal("9.99"),
            index_value=Decimal("944.43"),
            unit_amount=v["amount"],
            line_amount=TOTAL if n == 1 else v["amount"],
        )
        for i in range(n)
    ]
    total = sum((line.line_amount for line in lines), Decimal("0.00"))
    return render_declaration(declaration, lines), [(LAST if n > 1 else None, total)]


def bts_statement(v):
    from bts_fees.models import Statement, StatementLine
    from bts_fees.pdf import render_statement

    n = v["lines"]
    lines = [
        StatementLine(
            position=i,
            kind="act" if i % 4 else "lesson",
            source_reference=f"BTS-D{i:06d}",
            act_code="J1",
            act_label=_label(v, i, n, "Présidence du jury"),
            unit="day",
            act_date=date(2025, 9, 15),
            quantity=Decimal("1.00"),
            rate_at_100=Decimal("9.99"),
            index_value=Decimal("944.43"),
            unit_amount=v["amount"],
            line_amount=v["amount"],
        )
        for i in range(n)
    ]
    if n == 1:
        lines[0].kind = "act"
    statement = Statement(
        reference="BTS-R000001-2025-2026-01",
        number=1,
        issued_at=AWARE,
        parameters={"person": v["person"], "school": v["name"], "academic_year": "2025-2026", "index": []},
        lines_total_amount=TOTAL,
        lessons_total_amount=Decimal("0.00"),
        total_amount=TOTAL + Decimal("1.00"),
    )
    return render_statement(statement, lines), [(LAST if n > 1 else None, TOTAL)]


def bts_rate_table(v):
    from bts_fees.models import Act
    from bts_fees.pdf import render_rate_table

    n = v["lines"]
    rows = [
        SimpleNamespace(
            act=Act(
                code=f"A{i}",
                section="juries",
                body_kind="exam_board",
                label=_label(v, i, n, "Jury"),
                detail=v["name"],
                unit="day",
            ),
            rate_at_100=v["amount"],
            amount=TOTAL if i == n - 1 else v["amount"],
        )
        for i in range(n)
    ]
    context = {
        "on": date(2026, 9, 1),
        "index": SimpleNamespace(value=Decimal("944.43")),
        "missing": "",
        "juries": rows,
        "external": rows[:1],
    }
    return render_rate_table(context), [(LAST if n > 1 else None, TOTAL)]


def _are_world(v):
    from core.models import School
    from lycee_aid.models import SchoolYear

    year = SchoolYear(
        start_year=2026,
        forfait_amount=Decimal("55.00"),
        forfait_prepa_metiers_amount=Decimal("25.00"),
        order_reference="CP 2026-123",
        order_date=date(2026, 5, 20),
    )
    school = School(code="0750001A", name=v["name"], country="FR", sector="public", academy="paris", city="Paris")
    return year, school


def _formation(v, i, n, year):
    from lycee_aid.models import EligibleFormation

    return EligibleFormation(
        school_year=year,
        level="cap",
        grouping_level=3,
        nsf_code="221",
        diploma_code=f"5002{i:04d}",
        diploma_type="CAP",
        title=_label(v, i, n, "Cuisine"),
    )


def are_notification(v):
    from lycee_aid.models import Dotation, DotationLine
    from lycee_aid.pdf import render_notification

    year, school = _are_world(v)
    n, amount = v["lines"], v["amount"]
    lines = [
        DotationLine(
            envelope="pre_bac" if i < max(1, n // 2) else "post_bac",
            level="cap",
            nsf_code="221",
            diploma_code=f"5002{i:04d}",
            title=_label(v, i, n, "Cuisine"),
            enrolments=12,
            forfait_amount=amount,
            gross_amount=amount,
        )
        for i in range(n)
    ]
    dotation = Dotation(
        school=school,
        school_year=year,
        status="voted",
        forfait_amount=amount,
        forfait_prepa_metiers_amount=amount,
        scholarship_count=10,
        school_enrolments=100,
        survey_answered=True,
        prepa_metiers_count=0,
        pre_bac_count=12,
        post_bac_count=12,
        scholarship_holders=1,
        pre_bac_gross_amount=amount,
        post_bac_gross_amount=TOTAL,
        carryover_pre_bac_amount=amount,
        carryover_post_bac_amount=amount,
        pre_bac_due_amount=amount,
        post_bac_due_amount=amount,
        total_due_amount=amount,
        computed_at=AWARE,
        standing_committee_reference="CP 2026-456",
        standing_committee_date=date(2026, 7, 8),
    )
    return render_notification(dotation, lines), [(LAST if n > 1 else None, TOTAL)]


def are_supplementary_decision(v):
    from lycee_aid.models import SupplementaryRequest, SupplementaryRequestLine
    from lycee_aid.pdf import render_supplementary_decision

    year, school = _are_world(v)
    n, amount = v["lines"], v["amount"]
    req = SupplementaryRequest(
        school=school,
        school_year=year,
        status="accepted",
        justification="x",
        submitted_at=AWARE,
        decided_at=AWARE,
        decision_reason=v["name"],
        forfait_amount=amount,
        forfait_prepa_metiers_amount=amount,
        pre_bac_amount=amount,
        post_bac_amount=amount,
        total_amount=TOTAL,
    )
    lines = [
        SupplementaryRequestLine(request=req, formation=_formation(v, i, n, year), additional_count=3, amount=amount)
        for i in range(n)
    ]
    return render_supplementary_decision(req, lines), [(LAST if n > 1 else None, TOTAL)]


def are_usage_report(v):
    from lycee_aid.models import UsageReport, UsageReportLine
    from lycee_aid.pdf import render_usage_report

    year, school = _are_world(v)
    n, amount = v["lines"], v["amount"]
    report = UsageReport(
        school=school,
        school_year=year,
        submitted_at=AWARE,
        received_pre_bac_amount=amount,
        received_post_bac_amount=amount,
        carryover_pre_bac_amount=amount,
        carryover_post_bac_amount=amount,
        spent_pre_bac_amount=amount,
        spent_post_bac_amount=amount,
        remaining_pre_bac_amount=amount,
        remaining_post_bac_amount=amount,
    )
    lines = [
        UsageReportLine(
            report=report,
            formation=_formation(v, i, n, year),
            pupils_equipped=120,
            non_scholarship_equipped=80,
            spent_amount=TOTAL if i == n - 1 else amount,
            equipment_types=["representation", "protection"],
        )
        for i in range(n)
    ]
    return render_usage_report(report, lines), [(LAST if n > 1 else None, TOTAL)]


def are_campaign(v):
    from lycee_aid.models import Dotation
    from lycee_aid.pdf import render_campaign

    year, school = _are_world(v)
    n, amount = v["lines"], v["amount"]
    dotations = []
    for i in range(n):
        school_i = _are_world({**v, "name": _label(v, i, n, "Lycée")})[1]
        dotations.append(
            Dotation(
                school=school_i,
                school_year=year,
                pre_bac_due_amount=amount,
                post_bac_due_amount=amount,
                total_due_amount=TOTAL if i == n - 1 else amount,
            )
        )
    row = dict.fromkeys(
        (
            "pre_bac_gross_amount",
            "pre_bac_due_amount",
            "post_bac_gross_amount",
            "post_bac_due_amount",
            "total_due_amount",
        ),
        amount,
    )
    totals = {"rows": {"Paris": row}, "total": row, "count": n}
    return render_campaign(year, dotations, totals), [(LAST if n > 1 else None, TOTAL)]


def reference_rates(v):
    from core.pdf import render_reference_rates

    n = v["lines"]
    history = [
        SimpleNamespace(
            pk=i,
            valid_from=date(2000 + i % 26, 1, 1),
            value=Decimal("944.43"),
            amount_at_100=TOTAL if i == n - 1 else v["amount"],
            source=_label(v, i, n, "Règlement"),
        )
        for i in range(n)
    ]
    context = {
        "on": date(2026, 9, 1),
        "missing": "",
        "index": history[0],
        "ssm": SimpleNamespace(
            amount_at_100=v["amount"],
            ssm_valid_from=date(2025, 1, 1),
            ssm_source=v["name"],
            amount=v["amount"],
            index=Decimal("944.43"),
        ),
        "index_history": history,
        "ssm_history": history,
    }
    return render_reference_rates(context), [(LAST if n > 1 else None, TOTAL)]


DOCUMENTS = {
    "apprenticeship statement": apprenticeship_statement,
    "apprenticeship aid summary": apprenticeship_aid,
    "bts declaration": bts_declaration,
    "bts statement": bts_statement,
    "bts rate table": bts_rate_table,
    "are notification": are_notification,
    "are supplementary decision": are_supplementary_decision,
    "are usage report": are_usage_report,
    "are campaign": are_campaign,
    "reference rates": reference_rates,
}
LETTERS = {"apprenticeship aid summary", "bts statement", "are notification", "are supplementary decision"}
DECISIONS = {"are notification", "are supplementary decision"}


@cache
def rendered(document: str, variant: str):
    """(pdf bytes, [(last-row marker, total)]), rendered once per test module run."""
    return DOCUMENTS[document](VARIANTS[variant])


@cache
def pages(document: str, variant: str):
    """Per page: (width, height, chars, text with ordinary spaces)."""
    content, _groups = rendered(document, variant)
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [
            (
                page.width,
                page.height,
                [(c["x0"], c["top"], c["x1"], c["bottom"], c["text"]) for c in page.chars if c["text"].strip()],
                re.sub(r"[\u00a0\u202f]", " ", page.extract_text() or ""),
            )
            for page in pdf.pages
        ]


CASES = [(d, v) for d in DOCUMENTS for v in VARIANTS]


def _overlaps(chars):
    """Pairs of characters drawn over each other: more than 40 % of the narrower one's width (a kerned
    pair such as « Ly » or « T- » overlaps by a sliver of its advance boxes, and is not a defect)."""
    found = []
    ordered = sorted(chars)
    for k, a in enumerate(ordered):
        for b in ordered[k + 1 :]:
            if b[0] >= a[2] - 0.6:
                break
            overlap_x = min(a[2], b[2]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            if overlap_x > 0.4 * min(a[2] - a[0], b[2] - b[0]) and overlap_y > 1.5:
                found.append((a[4], b[4], round(a[0]), round(a[1])))
    return found


def _by_line(chars):
    """Characters grouped in bands of 12 pt height (overlaps are looked for within a band and the next)."""
    bands: dict[int, list] = {}
    for c in chars:
        bands.setdefault(int(c[1] // 12), []).append(c)
    return bands


@pytest.mark.parametrize(("document", "variant"), CASES)
def test_no_two_characters_overlap(document, variant):
    for number, (_w, _h, chars, _text) in enumerate(pages(document, variant), start=1):
        bands = _by_line(chars)
        for key, band in bands.items():
            overlaps = _overlaps(band + bands.get(key + 1, []))
            assert not overlaps, f"{document} ({variant}), page {number}: overlapping text {overlaps[:5]}"


@pytest.mark.parametrize(("document", "variant"), CASES)
def test_nothing_lies_outside_the_page_or_past_a_margin(document, variant):
    for number, (width, height, chars, _text) in enumerate(pages(document, variant), start=1):
        outside = [
            c for c in chars if c[0] < SIDE_MARGIN - 1 or c[2] > width - SIDE_MARGIN + 1 or c[1] < 0 or c[3] > height
        ]
        assert not outside, f"{document} ({variant}), page {number}: {len(outside)} characters outside, {outside[:3]}"


def _eur(amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{' '.join(groups)},{cents} €"


@pytest.mark.parametrize(("document", "variant"), CASES)
def test_a_table_total_sits_on_the_page_of_its_last_row(document, variant):
    _content, groups = rendered(document, variant)
    texts = [text for _w, _h, _chars, text in pages(document, variant)]
    for last_marker, total in groups:
        total_pages = [n for n, text in enumerate(texts) if _eur(total) in text]
        assert total_pages, f"{document} ({variant}): total {_eur(total)} not found"
        if last_marker:
            last_pages = [n for n, text in enumerate(texts) if last_marker in text]
            assert last_pages, f"{document} ({variant}): last row not found"
            assert last_pages[-1] in total_pages, f"{document} ({variant}): total not on the page of the last row"
        if VARIANTS[variant]["lines"] == 1:
            assert len(texts) == 1 or document in LETTERS, f"{document} ({variant}): one line on {len(texts)} pages"


@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_every_document_is_headed_by_its_authority_and_carries_its_reference(document):
    content, _groups = rendered(document, "short")
    from core.pdf import issuer_for

    first_page = pages(document, "short")[0][3]
    scheme = {"apprenticeship": "apprenticeship", "are": "lycee_aid", "bts": "bts_fees", "reference": "core"}[
        document.split()[0]
    ]
    # The letterhead's three columns interleave in the extracted text: every word of the name is there.
    heading = " ".join(first_page.splitlines()[:4]).split()
    assert all(word in heading for word in issuer_for(scheme)["name"].split()), heading
    reader = PdfReader(io.BytesIO(content))
    reference = reader.metadata.subject
    assert reference and reference in first_page
    assert reference in (reader.metadata.get("/Keywords") or "")
    assert "/OutputIntents" in reader.trailer["/Root"], "PDF/A keeps its output intent"
    if document in LETTERS:
        assert "Objet :" in first_page
    last_page = pages(document, "short")[-1][3]
    assert ("Voies et délais de recours" in last_page) == (document in DECISIONS)
