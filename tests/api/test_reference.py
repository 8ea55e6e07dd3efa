"""Public endpoints: index, SSM, calculator, cross-border formations, BTS rates (figures by hand)."""

import pytest

pytestmark = pytest.mark.django_db


def test_index_in_force_on_a_date(api, reference):
    # 968,04 applies from 1 May 2025 and 992,24 from 1 June 2026 (fixture core__luxindex).
    body = api.get("/api/v1/reference/index/", {"on": "2026-05-31"}).json()
    assert body == {"on": "2026-05-31", "index": "968.04", "valid_from": "2025-05-01", "source": body["source"]}
    assert api.get("/api/v1/reference/index/", {"on": "2026-06-01"}).json()["index"] == "992.24"


def test_ssm_in_force_on_a_date(api, reference):
    # CORE-3: 279,30 × 992,24 / 100 = 2 771,32632 → 2 771,33 (seed 002).
    body = api.get("/api/v1/reference/ssm/", {"on": "2026-06-15"}).json()
    assert (body["ssm_at_100"], body["index"], body["ssm"]) == ("279.30", "992.24", "2771.33")
    assert body["on"] == "2026-06-15"
    # 272,22 × 921,40 / 100 = 2 508,2351 → 2 508,24 (1 April 2023).
    assert api.get("/api/v1/reference/ssm/", {"on": "2023-04-01"}).json()["ssm"] == "2508.24"


def test_a_bad_date_is_a_field_error_in_french_by_default_and_in_english_on_request(api, reference):
    response = api.get("/api/v1/reference/ssm/", {"on": "31/02/2026"})
    assert response.status_code == 400
    assert response.json() == {"on": ["Saisissez une date valide (jj/mm/aaaa)."]}
    response = api.get("/api/v1/reference/ssm/", {"on": "x"}, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    assert response.json()["on"] != ["Saisissez une date valide (jj/mm/aaaa)."]


def test_no_value_in_force_is_a_400_not_a_500(api, reference):
    response = api.get("/api/v1/reference/index/", {"on": "1995-01-01"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Aucun nombre indice n'est en vigueur le 01/01/1995."]}


def test_calculator_trade_dt_fourth_year(api, app_reference):
    # APP-1 seed check: SSM 2 771,33 × 75 % = 2 078,4975 → 2 078,50 (DT 4th year, June 2026).
    response = api.get(
        "/api/v1/apprenticeship/calculator/", {"trade": "DT-ELTE", "training_year": 4, "month": "2026-06"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["amount"], body["index"], body["ssm"], body["rate_percent"]) == (
        "2078.50",
        "992.24",
        "2771.33",
        "75.00",
    )
    assert body["adult_reimbursement"] is None
    assert body["month"] == "2026-06"
    assert [step["value"] for step in body["steps"]] == ["2771.33", "75.00", "2078.50"]
    assert body["steps"][0]["label"] == "SSM au 1er juin 2026"


def test_calculator_adult_is_due_the_ssm_and_the_employer_is_reimbursed(api, app_reference):
    # APP-2: CCP 1st year 27 % of 2 771,33 = 748,2591 → 748,26; the adult is due 2 771,33 and the
    # employer gets back 2 771,33 − 748,26 = 2 023,07.
    body = api.get(
        "/api/v1/apprenticeship/calculator/",
        {"trade": "CCP-BOUL", "training_year": 1, "month": "2026-06", "adult": "true"},
    ).json()
    assert (body["amount"], body["monthly_indemnity"], body["adult_reimbursement"]) == ("2771.33", "748.26", "2023.07")
    assert len(body["steps"]) == 5


def test_calculator_cross_border_formation(api, app_reference):
    # APP-5 seed 001: BTS year 2, 226,55 at ni 100 × 944,43 / 100 = 2 139,6062 → 2 139,61 (January 2024).
    body = api.get(
        "/api/v1/apprenticeship/calculator/", {"formation": 10, "training_year": 2, "month": "2024-01"}
    ).json()
    assert (body["amount"], body["amount_at_100"], body["index"]) == ("2139.61", "226.5500", "944.43")
    assert body["rate_percent"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"trade": "NOPE", "training_year": 1, "month": "2026-06"}, "trade"),
        ({"trade": "CCP-BOUL", "training_year": 4, "month": "2026-06"}, "training_year"),
        ({"trade": "CCP-BOUL", "training_year": 1, "month": "2026-13"}, "month"),
        ({"trade": "CCP-BOUL", "training_year": "x", "month": "2026-06"}, "training_year"),
        ({"formation": "abc", "training_year": 1, "month": "2026-06"}, "formation"),
        ({"training_year": 1, "month": "2026-06"}, "trade"),
        ({"trade": "CCP-BOUL", "training_year": 1, "month": "1991-01"}, "month"),
    ],
)
def test_calculator_refuses_bad_input_at_the_field(api, app_reference, query, field):
    response = api.get("/api/v1/apprenticeship/calculator/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_cross_border_formations_on_a_date(api, app_reference):
    # Seed 000 at 921,40: Bac 131,97 → 1 215,97; BTS 176,20 → 1 623,51; BTS PP year 1 167,20 → 1 540,58.
    rows = api.get("/api/v1/apprenticeship/cross-border-formations/", {"on": "2023-06-01"}).json()
    by_key = {(r["title"], r["training_year"]): r for r in rows}
    assert by_key[("BAC MELEC - Électricité (électricité tertiaire et industrielle)", 1)]["amount"] == "1215.97"
    assert by_key[("BTS Électrotechnique", 1)]["amount"] == "1623.51"
    assert by_key[("BTS PP - Pilotage des Procédés", 1)]["amount"] == "1540.58"
    assert by_key[("BTS PP - Pilotage des Procédés", 1)]["rate_at_100"] == "167.2000"
    # Offered from 1 January 2024 only (seed 001): absent in June 2023.
    assert not any(r["title"].startswith("Bac pro Technicien du froid") for r in rows)


def test_bts_rates_on_a_date(api, bts_reference):
    # BTS-1 at 944,43: deliberation 7,82 → 73,85; promoter 35,19 → 332,34.
    rows = {r["code"]: r for r in api.get("/api/v1/bts/rates/", {"on": "2024-03-01"}).json()}
    assert (rows["EXAM_DELIBERATION_MEMBER"]["rate_at_100"], rows["EXAM_DELIBERATION_MEMBER"]["amount"]) == (
        "7.8200",
        "73.85",
    )
    assert rows["THESIS_PROMOTER"]["amount"] == "332.34"


def test_schema_is_openapi_3_and_docs_are_served_from_our_static_files(api, db):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = api.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http" not in html.split("<body>")[1].replace("http-equiv", "")
    redoc = api.get("/api/v1/redoc/").content.decode()
    assert "fonts.googleapis" not in redoc and "/static/drf_spectacular_sidecar/redoc/" in redoc


def test_schema_validates_as_openapi_3_without_a_warning(tmp_path):
    from django.core.management import call_command

    # drf-spectacular checks the generated document against the OpenAPI 3 JSON schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    text = (tmp_path / "schema.yaml").read_text()
    assert text.startswith("openapi: 3.0.3")
    for path in ("/api/v1/apprenticeship/contracts/{id}/schedule/", "/api/v1/are/schools/{school_pk}/enrolments/"):
        assert path in text
