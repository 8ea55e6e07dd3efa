"""Journeys of the ARE through the real UI (demo data), and accessibility of its main pages.

Figures of the demo (lycee_aid/demo.py), Lycée professionnel of Paris (`lycee.paris`):
- 2023-2024, voted: pré-bac (30 + 18 + 48) × 151 + 24 × 54 = 15 792 − 320 carried over = 15 472;
  post-bac round((28 + 35) × 0,45 = 28,35) = 28 × 151 = 4 228; total 19 700,00 €.
- 2024-2025 (each count + 2, forfaits 157 / 56), carry-overs from the 2023-2024 usage report
  (received + carry-over held − spent): pré-bac 15 472 + 320 − 10 750 = 5 042; post-bac 4 228 − 1 900
  = 2 328. Pré-bac 102 × 157 + 26 × 56 = 17 470 − 5 042 = 12 428; post-bac round(67 × 0,45 = 30,15)
  = 30 × 157 = 4 710 − 2 328 = 2 382; total 14 810,00 €.
"""

import re
from pathlib import Path

import pytest

from core.models import School
from lycee_aid.models import Dotation, Enrolment, SchoolYear
from tests.core.test_views import pdf_text

from .conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser

PARIS_LP_TOTAL_2023 = "19 700,00 €"
PARIS_LP_TOTAL_2024 = "14 810,00 €"


def text(locator) -> str:
    return locator.inner_text().replace("\u00a0", " ").replace("\u202f", " ")


def _ids():
    from core import demo as core

    school = School.objects.get(code=core.PARIS_LP)
    return school, SchoolYear.objects.get(start_year=2023), SchoolYear.objects.get(start_year=2024)


def test_staff_enter_enrolments_by_form_and_by_file_and_see_their_voted_dotation(page, demo, tmp_path):
    school, y2023, y2024 = _ids()
    sign_in(page, "lycee.paris")
    page.goto(f"/are/annees/{y2024.pk}/lycees/{school.pk}/")
    assert "122 élèves" in text(page.locator("main")) or "élèves dans" in text(page.locator("main"))
    before = text(page.locator("main"))
    page.click("text=Saisir les effectifs")
    page.fill("#q", "50022139")
    page.click("button:has-text('Rechercher')")
    field = page.locator("input[type=number]").first
    field.fill("41")
    page.click("text=Enregistrer les effectifs")
    assert "Effectifs enregistrés (1 ligne modifiée)." in text(page.locator("body"))
    assert (
        Enrolment.objects.get(
            school=school, formation__school_year=y2024, formation__diploma_code="50022139"
        ).first_year_count
        == 41
    )

    csv_file = tmp_path / "effectifs.csv"
    csv_file.write_text(f"uai;code_diplome;effectif\n{school.code};40033404;55\n", encoding="utf-8")
    page.click("text=Déposer un fichier CSV ou XLSX")
    page.set_input_files("input[type=file]", str(csv_file))
    page.click("button:has-text('Déposer')")
    assert "Fichier importé : 1 ligne modifiée." in text(page.locator("body"))
    assert (
        Enrolment.objects.get(
            school=school, formation__school_year=y2024, formation__diploma_code="40033404"
        ).first_year_count
        == 55
    )
    after = text(page.locator("main"))
    assert before != after  # the lycée's page counts the new pupils: +9 by the form, +5 by the file

    # A faulty file saves nothing and names the faulty row
    bad = tmp_path / "faux.csv"
    bad.write_text(f"uai;code_diplome;effectif\n{school.code};40033404;-4\n", encoding="utf-8")
    page.click("text=Déposer un fichier CSV ou XLSX")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button:has-text('Déposer')")
    assert "Ligne 2" in text(page.locator("main"))
    assert (
        Enrolment.objects.get(
            school=school, formation__school_year=y2024, formation__diploma_code="40033404"
        ).first_year_count
        == 55
    )

    # The voted 2023-2024 dotation, on the lycée's page and in the detail
    page.goto(f"/are/annees/{y2023.pk}/lycees/{school.pk}/")
    assert f"Dotation attribuée : {PARIS_LP_TOTAL_2023}" in text(page.locator("main"))
    page.click("text=Voir le calcul")
    assert text(page.locator("#total-due")) == PARIS_LP_TOTAL_2023
    assert text(page.locator("#pre-due")) == "15 472,00 €"
    assert text(page.locator("#post-due")) == "4 228,00 €"


def test_officer_runs_votes_notifies_and_downloads_the_notification(page, demo):
    school, _y2023, y2024 = _ids()
    sign_in(page, "agent")
    page.goto(f"/are/annees/{y2024.pk}/")
    page.click("button:has-text('Calculer la campagne')")
    message = text(page.locator(".alert-success"))
    assert re.search(r"Campagne 2024-2025 calculée : 6 lycées", message), message
    page.click("text=Enregistrer le vote de la commission permanente")
    page.fill("input[name=reference]", "CP 2024-211")
    page.fill("input[name=voted_on]", "2024-07-04")
    page.click("main button[type=submit]")
    assert "Vote de la commission permanente enregistré" in text(page.locator("#confirmation"))
    assert "Délibération CP 2024-211 du 04/07/2024" in text(page.locator("#confirmation"))
    page.click("a:has-text('Notifier depuis la page de l')")
    page.click("a:has-text('Notifier les dotations votées')")  # the check page: count, total, per académie
    page.click("button:has-text('Notifier les dotations votées')")
    assert "6 dotations notifiées aux lycées" in text(page.locator("#confirmation"))

    page.click("text=Tableau de la campagne")
    page.click(f"a:has-text('{school.name}')")
    shown = text(page.locator("#total-due"))
    assert shown == PARIS_LP_TOTAL_2024
    assert text(page.locator("#pre-due")) == "12 428,00 €" and text(page.locator("#post-due")) == "2 382,00 €"
    with page.expect_download() as download:
        page.click("text=Notification (PDF)")
    content = Path(download.value.path()).read_bytes()
    pdf = pdf_text(content)
    assert shown in pdf and "CP 2024-211" in pdf
    dotation = Dotation.objects.get(school=school, school_year=y2024)
    assert (dotation.status, str(dotation.total_due_amount)) == ("notified", "14810.00")


# -- accessibility -------------------------------------------------------------------------------


def _pages(role):
    from lycee_aid.models import SupplementaryRequest

    school, y2023, y2024 = _ids()
    dotation = Dotation.objects.get(school=school, school_year=y2023)
    if role == "agent":
        request = SupplementaryRequest.objects.first()
        return [
            f"/are/annees/{y2023.pk}/campagne/",
            f"/are/annees/{y2023.pk}/",
            f"/are/annees/{y2024.pk}/",
            f"/are/dotations/{dotation.pk}/",
            f"/are/demandes/{request.pk}/",
            "/are/demandes/",
        ]
    return [
        f"/are/annees/{y2024.pk}/lycees/{school.pk}/",
        f"/are/annees/{y2024.pk}/lycees/{school.pk}/effectifs/",
        f"/are/annees/{y2024.pk}/lycees/{school.pk}/effectifs/deposer/",
        f"/are/dotations/{dotation.pk}/",
        f"/are/annees/{y2023.pk}/lycees/{school.pk}/demandes/nouvelle/",
        f"/are/annees/{y2023.pk}/lycees/{school.pk}/compte-rendu/",
        f"/are/annees/{y2024.pk}/lycees/{school.pk}/cpge/nouvelle/",
    ]


@pytest.mark.parametrize("role", ["agent", "lycee.paris"])
def test_main_pages_have_no_accessibility_violation(page, demo, role):
    sign_in(page, role)
    found = {}
    for path in _pages(role):
        response = page.goto(path)
        assert response.status == 200, path
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}
