"""Bad-input corpus: nasty values through every field of every ARE form (posted by the role that
may use it), every query-string parameter of every list, and bad uploads, through the shared
harness (tests/bad_input.py). Never a 500; when the input is refused (the form comes back with its
errors) nothing at all is saved; each case runs in a savepoint rolled back afterwards.

The number of cases is printed by `test_the_corpus_size` (and asserted, so that it cannot shrink).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from core.models import AuditEvent, BackgroundJob
from lycee_aid import selectors, services
from lycee_aid.enums import FormationLevel
from lycee_aid.models import Enrolment, SchoolYear

from .conftest import enrol, make_formation, situate

pytestmark = pytest.mark.django_db

from tests.bad_input import NASTY, Outcome, get_every_value, post_every_value, send_every_value  # noqa: E402


def snapshot():
    """Every row of every lycee_aid model (and their history), the journal and the jobs."""
    state = {}
    for model in apps.get_app_config("lycee_aid").get_models():
        state[model.__name__] = sorted(map(repr, model.objects.values_list()))
    state["audit"] = AuditEvent.objects.count()
    state["jobs"] = BackgroundJob.objects.exclude(func="lycee_aid.jobs.campaign_pdf_job").count()
    return state


@pytest.fixture
def world(are_officer, are_staff_a, voted, formations, lycee_a, lycee_b):
    """A voted 2023-2024 (lycée A with enrolments and a pending supplementary request) and an open
    2024-2025 campaign, computed, with its own formations."""
    open_year = SchoolYear.objects.create(
        start_year=2024,
        forfait_amount=D("157"),
        forfait_prepa_metiers_amount=D("56"),
        forfait_cpge_amount=D("319"),
        order_reference="2024-001",
        forfaits_confirmed_at=timezone.now(),
    )
    new = {
        "prepa": make_formation(open_year, "67010032", FormationLevel.INFRA_V),
        "cap": make_formation(open_year, "50022140", FormationLevel.PRE_BAC),
        "bts": make_formation(open_year, "32025521", FormationLevel.POST_BAC),
    }
    enrol(lycee_a, new["cap"], 10)
    situate(lycee_a, open_year, rate="0.3")
    services.campaign_run(actor=are_officer, school_year=open_year)
    request = services.supplementary_request_submit(
        actor=are_staff_a, school=lycee_a, school_year=voted, justification="x", lines=[(formations["cap"].pk, 3)]
    )
    return {"voted": voted, "open": open_year, "new": new, "old": formations, "request": request, "a": lycee_a}


def forms(world):
    """(label, role, url, valid data, fields to spoil, multipart) for every form of the app."""
    v, o, a, new, old = world["voted"], world["open"], world["a"], world["new"], world["old"]
    fingerprint = selectors.enrolments_fingerprint(a, o)
    enrolments = {f"f_{f.pk}": "5" for f in new.values()} | {"fingerprint": fingerprint}
    report = {}
    for f in (old["prepa"], old["cap"], old["bts"]):  # the formations lycée A enrolled in 2023-2024
        report |= {f"r{f.pk}_pupils": "2", f"r{f.pk}_spent": "10", f"r{f.pk}_types": "tools"}
    report[f"r{old['bts'].pk}_non_scholarship"] = "0"
    return [
        ("year_create", "officer", reverse("lycee_aid:year_create"), {"start_year": "2030"}),
        (
            "forfaits",
            "officer",
            reverse("lycee_aid:forfaits", args=[o.pk]),
            {
                "forfait_amount": "157",
                "forfait_prepa_metiers_amount": "56",
                "forfait_cpge_amount": "319",
                "cpi_evolution_percent": "2,5",
                "order_reference": "2024-002",
                "order_date": "2024-03-01",
            },
        ),
        (
            "cpi",
            "officer",
            reverse("lycee_aid:cpi_list"),
            {"series_id": "001763862", "base": "2015", "month": "2024-12-01", "value": "118,5", "source": "INSEE"},
        ),
        ("formations_import", "officer", reverse("lycee_aid:formations_import", args=[o.pk]), {"text": "x"}),
        (
            "situation",
            "officer",
            reverse("lycee_aid:situation_edit", args=[o.pk, a.pk]),
            {
                "scholarship_count": "25",
                "school_enrolments": "100",
                "survey_answered": "on",
                "carryover_pre_bac": "10",
                "carryover_post_bac": "0",
            },
        ),
        (
            "vote",
            "officer",
            reverse("lycee_aid:campaign_vote", args=[o.pk]),
            {"reference": "CP 2024-1", "voted_on": "2024-07-04"},
        ),
        (
            "decision",
            "officer",
            reverse("lycee_aid:request_detail", args=[world["request"].pk]),
            {"decision": "reject", "reason": "non"},
        ),
        ("enrolments", "staff", reverse("lycee_aid:enrolments_edit", args=[o.pk, a.pk]), enrolments),
        (
            "supplementary",
            "staff",
            reverse("lycee_aid:request_create", args=[v.pk, a.pk]),
            {"justification": "ouverture", "formation_0": str(old["cap"].pk), "count_0": "2"}
            | {f"formation_{i}": "" for i in range(1, 6)}
            | {f"count_{i}": "" for i in range(1, 6)},
        ),
        ("report", "staff", reverse("lycee_aid:report_create", args=[v.pk, a.pk]), report),
        (
            "cpge",
            "staff",
            reverse("lycee_aid:cpge_create", args=[o.pk, a.pk]),
            {
                "pupil_last_name": "Moreau",
                "pupil_first_name": "Inès",
                "pupil_birth_date": "14/02/2005",
                "second_year": "on",
                "family_quotient": "8450",
                "competitions": "3",
            },
        ),
    ]


def lists(world):
    """(role, url, query-string parameters) of every list and page that reads the query string."""
    o, a = world["open"], world["a"]
    sort = ["sort"]
    return [
        ("officer", reverse("lycee_aid:campaign", args=[o.pk]), ["academy", "sector", "status", "q", "page", *sort]),
        ("officer", reverse("lycee_aid:formation_list", args=[o.pk]), ["q", "level", "page", *sort]),
        ("officer", reverse("lycee_aid:request_list"), ["status", "academy", "page", *sort]),
        ("officer", reverse("lycee_aid:report_list"), ["academy", "page", *sort]),
        ("officer", reverse("lycee_aid:cpge_list"), ["academy", "second_year", "page", *sort]),
        ("officer", reverse("lycee_aid:forfaits", args=[o.pk]), ["series_id", "base"]),
        ("staff", reverse("lycee_aid:enrolments_edit", args=[o.pk, a.pk]), ["q"]),
        ("staff", reverse("lycee_aid:request_list"), ["status", "academy", "page", *sort]),
    ]


def _clients(client_for, are_officer, are_staff_a):
    return {"officer": client_for(are_officer), "staff": client_for(are_staff_a)}


def test_every_field_of_every_form(client_for, are_officer, are_staff_a, world):
    clients = _clients(client_for, are_officer, are_staff_a)
    outcome = Outcome()
    for label, role, url, valid in forms(world):
        post_every_value(
            clients[role],
            url,
            valid,
            fields=[f for f in valid if f != "fingerprint"],
            snapshot=snapshot,
            label=label,
            outcome=outcome,
            # refused: the form is shown again (200) with its errors; accepted: a redirect
            ok_status=lambda status: status in (200, 302),
            refusal_marks=("is-invalid", "alert-danger", "invalid-feedback"),
        )
    assert outcome.failures == []
    assert outcome.cases >= 500 and outcome.refused >= 400, (outcome.cases, outcome.refused)


def test_every_query_string_parameter_of_every_list(client_for, are_officer, are_staff_a, world):
    clients = _clients(client_for, are_officer, are_staff_a)
    before = snapshot()
    outcome = Outcome()
    page_or_404 = {"ok_status": lambda status: status in (200, 404), "outcome": outcome}
    for role, url, params in lists(world):
        get_every_value(clients[role], url, params, **page_or_404)
        if "campagne" in url or "demandes" in url:  # exports with a nasty format
            get_every_value(clients[role], url, ["_export"], **page_or_404)
    # the campaign PDF job takes the table's filters from the query string
    pdf = reverse("lycee_aid:campaign_pdf", args=[world["open"].pk])
    send_every_value(
        lambda param, value: clients["officer"].post(pdf + "?" + urlencode({param: value})),
        ["academy", "sector", "status", "q"],
        label=pdf,
        outcome=outcome,
        ok_status=lambda status: status == 302,
    )
    assert outcome.failures == []
    assert snapshot() == before
    assert outcome.cases >= 300, outcome.cases


UPLOADS = [
    ("wrong header", "effectifs.csv", b"uai;diplome;nombre\n0750001A;50022140;3\n"),
    ("binary garbage", "effectifs.csv", bytes(range(256)) * 40),
    ("binary garbage as xlsx", "effectifs.xlsx", b"PK\x03\x04" + bytes(range(256)) * 40),
    ("empty file", "effectifs.csv", b""),
    ("header only", "effectifs.csv", b"uai;code_diplome;effectif\n"),
    ("50 MB", "effectifs.csv", b"uai;code_diplome;effectif\n" + b"0750001A;50022140;3\n" * (50 * 1024 * 1024 // 20)),
    ("wrong extension", "effectifs.pdf", b"%PDF-1.4"),
    ("nul bytes", "effectifs.csv", b"uai;code_diplome;effectif\n0750001A;5002\x0021 40;3\n"),
    ("formula", "effectifs.csv", b'uai;code_diplome;effectif\n=HYPERLINK("x");50022140;3\n'),
    ("negative", "effectifs.csv", b"uai;code_diplome;effectif\n0750001A;50022140;-3\n"),
    ("another lycee", "effectifs.csv", b"uai;code_diplome;effectif\n0930003C;50022140;3\n"),
    ("latin-1", "effectifs.csv", "uai;code_diplome;effectif\n0750001A;50022140;3 élèves\n".encode("latin-1")),
]


@pytest.mark.parametrize(("what", "name", "content"), UPLOADS, ids=[u[0] for u in UPLOADS])
def test_bad_enrolment_uploads_save_nothing(client_for, are_staff_a, world, what, name, content):
    client = client_for(are_staff_a)
    before = snapshot()
    url = reverse("lycee_aid:enrolments_upload", args=[world["open"].pk, world["a"].pk])
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    # 50 Mo is refused before the body is read (413, RequestBodyLimitMiddleware); the rest at the field.
    assert response.status_code == (413 if what == "50 MB" else 200), what
    if response.status_code == 200:
        assert "alert-danger" in response.content.decode() or "is-invalid" in response.content.decode()
    assert snapshot() == before
    assert Enrolment.objects.get(formation=world["new"]["cap"]).first_year_count == 10


@pytest.mark.parametrize(("what", "name", "content"), UPLOADS, ids=[u[0] for u in UPLOADS])
def test_bad_annex_uploads_save_nothing(client_for, are_officer, world, what, name, content):
    client = client_for(are_officer)
    before = snapshot()
    url = reverse("lycee_aid:formations_import", args=[world["open"].pk])
    response = client.post(url, {"file": SimpleUploadedFile(name.replace(".csv", ".txt"), content), "text": ""})
    assert response.status_code == (413 if what == "50 MB" else 200), what
    assert snapshot() == before


def test_the_corpus_size(world):
    fields = sum(len([f for f in valid if f != "fingerprint"]) for *_x, valid in forms(world))
    params = sum(len(p) for *_x, p in lists(world))
    print(
        f"\ncorpus: {len(NASTY)} values × {fields} form fields = {len(NASTY) * fields} POSTs; "
        f"{len(NASTY)} × {params} query parameters = {len(NASTY) * params} GETs; {len(UPLOADS)} × 2 uploads"
    )
    assert fields >= 35 and params >= 25
