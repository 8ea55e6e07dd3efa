"""Apprenticeship journeys through the real UI on the demo data, figures to the cent; accessibility
(axe-core, WCAG 2.1 AA) of every main apprenticeship page for each role."""

import re
from pathlib import Path

import pytest

from tests.core.test_views import pdf_text

from .conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


def _text(page, selector) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", page.inner_text(selector)).strip()


def _option(page, select, text) -> str:
    return page.locator(f"{select} option", has_text=text).first.get_attribute("value")


def _open_contract(page, reference_part=""):
    page.goto("/apprentissage/contrats/")
    link = page.locator("table tbody a", has_text=reference_part).first
    reference = link.inner_text()
    link.click()
    page.wait_for_selector("#schedule")
    return reference


def test_anonymous_uses_the_calculator(page, demo):
    page.goto("/apprentissage/calculateur/")
    page.check("input[name=kind][value=trade]")
    page.select_option("#id_trade", "DT-ELTE")
    page.select_option("#id_training_year", "4")
    page.fill("#id_month", "2026-07")
    page.click("button:has-text('Calculer')")
    assert _text(page, "#amount") == "2 078,50 €"
    steps = _text(page, "#steps")
    assert "279,30 × 992,24 / 100 = 2 771,33 €" in steps
    assert "75 %" in steps


def test_employer_opens_the_schedule_and_downloads_the_statement(page, demo):
    sign_in(page, "employeur.a")
    _open_contract(page, "APP-2025")  # in progress (the first of the list is a draft: no statement for it)
    total_on_screen = _text(page, "#total-standard")
    assert re.fullmatch(r"\d{1,3}( \d{3})*,\d{2} €", total_on_screen)
    page.click("button:has-text('Émettre le relevé')")
    page.wait_for_selector("#statement-total")
    statement_total = _text(page, "#statement-total")
    with page.expect_download() as download:
        page.click("text=Télécharger le PDF")
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert statement_total in text
    assert re.sub(r"[\u00a0\u202f]", " ", page.inner_text("h1")).split()[-1] in text  # the reference


def test_lycee_staff_register_a_contract_and_see_a_french_error_for_a_14_year_old(page, demo):
    sign_in(page, "lycee.bonnevoie")
    page.goto("/apprentissage/contrats/nouveau/")

    def fill(birth_date, national_id):
        page.fill("#id_last_name", "Navigateur")
        page.fill("#id_first_name", "Lou")
        page.fill("#id_birth_date", birth_date)
        page.fill("#id_national_id", national_id)
        page.select_option("#id_school", _option(page, "#id_school", "Bonnevoie"))
        page.select_option("#id_employer", label="Boulangerie Hoffmann SARL")
        page.select_option("#id_trade", _option(page, "#id_trade", "(DAP)"))
        page.fill("#id_start_date", "2026-09-15")
        page.fill("#id_end_date", "2029-07-15")
        page.fill("#id_signed_on", "2026-08-20")
        page.fill("#id_tutor_name", "Jeanne Tutrice")
        page.fill("#id_tutor_qualification", "Maître artisan")
        page.fill("#id_chamber_registered_on", "2026-08-30")
        page.fill("#id_chamber_reference", "CDM-2026-777")
        page.click("button[type=submit]:has-text('Enregistrer')")

    fill("2012-10-01", "2012100112345")  # 13 on 1 September 2026, 14 at the start
    page.wait_for_load_state()
    error = _text(page, "main")
    assert "il doit avoir au moins 15 ans révolus" in error
    assert "/contrats/nouveau/" in page.url
    fill("2010-03-10", "2010031012345")
    page.wait_for_selector("#schedule")
    assert "Navigateur" in _text(page, "main").upper() or "NAVIGATEUR" in _text(page, "main")
    assert _text(page, "#contract-status") in ("enregistré", "brouillon")


def test_officer_filters_the_contract_list_and_exports_csv(page, demo):
    sign_in(page, "agent")
    page.goto("/apprentissage/contrats/")
    all_rows = page.locator("table tbody tr").count()
    page.select_option("#id_status", "active")
    page.click("button:has-text('Filtrer')")
    page.wait_for_url(re.compile("status=active"))
    rows = page.locator("table tbody tr")
    assert 0 < rows.count() <= all_rows
    assert all(badge == "en cours" for badge in page.locator("table tbody .badge").all_inner_texts())
    references = page.locator("table tbody a").all_inner_texts()
    with page.expect_download() as download:
        page.click("a:has-text('CSV')")
    # French spreadsheets' CSV: UTF-8 with a BOM, columns separated by « ; ».
    csv = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert sorted(line.split(";")[0] for line in csv.splitlines()[1:]) == sorted(references)


# -- accessibility -------------------------------------------------------------------------------


def _pages_of(page, username):
    """The main apprenticeship pages the role opens (paths discovered through the UI)."""
    paths = ["/apprentissage/contrats/"]
    if username in ("agent", "employeur.a"):
        paths.append("/apprentissage/arrieres/")
    if username == "lycee.bonnevoie":
        paths.append("/apprentissage/contrats/nouveau/")
    page.goto("/apprentissage/contrats/")
    detail = page.locator("table tbody a").first.get_attribute("href")
    paths.append(detail)
    if username in ("agent", "lycee.bonnevoie"):
        paths.append(detail + "modifier/")
    if username in ("agent", "employeur.a"):
        paths.append(detail + "aide/")
    return paths


def test_calculator_has_no_accessibility_violation(page, demo):
    page.goto("/apprentissage/calculateur/?kind=trade&trade=DT-ELTE&training_year=4&month=2026-07")
    assert axe_violations(page) == []
    page.goto("/apprentissage/calculateur/?kind=trade&trade=&training_year=9&month=2026-13")  # with errors
    assert axe_violations(page) == []


@pytest.mark.parametrize("username", ["agent", "lycee.bonnevoie", "employeur.a"])
def test_apprenticeship_pages_have_no_accessibility_violation(page, demo, username):
    sign_in(page, username)
    found = {}
    for path in _pages_of(page, username):
        response = page.goto(path)
        if response.status == 403:  # e.g. editing an active contract
            continue
        assert response.status == 200, path
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}
