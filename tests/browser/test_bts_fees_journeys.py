"""bts_fees journeys through the real UI on the demo data, figures to the cent; accessibility
(axe-core, WCAG 2.1 AA) of every main bts_fees page for each role.

Amounts (seed 004, CORE-1): at 992,24 (from 1 June 2026) deliberation 7,82 → 77,59 €, commissioner
21,52 → 213,53 €; at 968,04 the commissioner's 21,52 → 208,32 €.
"""

import re
from pathlib import Path

import pytest

from tests.core.test_views import pdf_text

from .conftest import axe_violations, sign_in
from .test_recap_confirmation_journeys import check_both_widths

pytestmark = pytest.mark.browser


def _text(page, selector) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", page.inner_text(selector)).strip()


def _option(page, select, text) -> str:
    return page.locator(f"{select} option", has_text=text).first.get_attribute("value")


def _real_pdf(tmp_path) -> Path:
    """A small real PDF (one page, rendered by WeasyPrint), as a scanned sheet would be."""
    import weasyprint

    path = tmp_path / "liste-presence-rattrapage.pdf"
    path.write_bytes(weasyprint.HTML(string="<h1>Liste de présence</h1><p>Jury d'examen, 10/09/2026</p>").write_pdf())
    return path


def test_anonymous_reads_the_public_rate_table(page, demo):
    page.goto("/bts/tarifs/")
    page.fill("#id_date", "2026-07-01")
    page.click("button:has-text('Afficher')")
    page.wait_for_url(re.compile(r"date=2026-07-01"))
    assert "Montant à l'indice 992,24" in _text(page, "main")
    row = page.locator("tr", has=page.locator("td", has_text=re.compile(r"^Participation aux délibérations$"))).first
    cells = [re.sub(r"[\u00a0\u202f]", " ", c) for c in row.locator("td").all_inner_texts()]
    assert cells[-2:] == ["7,82 €", "77,59 €"]


def test_lycee_staff_prepare_attach_and_submit_a_declaration(page, demo, tmp_path):
    sign_in(page, "lycee.bonnevoie")
    page.goto("/bts/declarations/")
    page.click("a:has-text('Ajouter')")
    page.select_option("#id_body", _option(page, "#id_body", "jury d'examen — BTS-INFO — 2025-2026"))
    page.fill("#id_period_label", "Session de rattrapage 2026")
    page.fill("#id_period_start", "2026-07-16")
    page.fill("#id_period_end", "2026-09-14")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_selector("#declaration-lines")
    reference = _text(page, "h1").split()[-1]
    assert re.fullmatch(r"BTS-D\d{6}", reference)

    members = [
        ("KREMER Jean", "commissaire"),
        ("HANSEN Marie", "membre"),
        ("THILL Sophie", "membre"),
        ("WAGNER Luc", "membre"),
    ]
    for person, act in members:
        page.select_option("#id_appointment", _option(page, "#id_appointment", person))
        page.select_option("#id_act", _option(page, "#id_act", f"Participation aux délibérations — {act}"))
        page.fill("#id_act_date", "2026-09-10")
        page.fill("#id_quantity", "1")
        page.click("form:has(#id_appointment) button:has-text('Ajouter')")
        page.wait_for_selector("text=Ligne ajoutée.")
    assert page.locator("#declaration-lines tbody tr").count() == 4
    amounts = [
        re.sub(r"[\u00a0\u202f]", " ", t)
        for t in page.locator("#declaration-lines tbody tr td:nth-child(9)").all_inner_texts()
    ]
    assert amounts == ["77,59 €", "213,53 €", "77,59 €", "77,59 €"]  # by act date, then name (Hansen, Kremer…)
    assert _text(page, "#declaration-total") == "446,30 €"
    assert "La liste de présence est obligatoire" in _text(page, "#submission-problems")

    page.set_input_files("#id_attendance_sheet", str(_real_pdf(tmp_path)))
    page.click("button:has-text('Joindre')")
    page.wait_for_selector("text=Liste de présence jointe.")
    assert "liste-presence-rattrapage.pdf" in _text(page, "main")

    page.click("a:has-text('Vérifier et soumettre la déclaration')")
    page.click("button:has-text('Soumettre la déclaration')")
    page.wait_for_selector("#confirmation")
    assert "Déclaration soumise au ministère" in _text(page, "#confirmation")
    # the four lines above: 213,53 + 3 × 77,59 = 446,30 €
    assert "4 lignes, 446,30 € au total" in re.sub(r"[\u00a0\u202f]", " ", _text(page, "#confirmation"))
    check_both_widths(page, "confirmation-declaration-submitted")  # axe and screenshots at 1 280 and 390 px
    page.click("#main a:has-text('Voir la déclaration')")
    assert _text(page, "#declaration-status") == "soumise"
    assert _text(page, "#declaration-total") == "446,30 €"
    assert page.locator("#id_appointment").count() == 0  # read-only once submitted


def test_officer_validates_from_the_filtered_list_and_downloads_a_statement(page, demo):
    sign_in(page, "agent")
    page.goto("/bts/declarations/")
    page.select_option("#id_status", "submitted")
    page.select_option("#id_school", _option(page, "#id_school", "Bonnevoie"))
    page.select_option("#id_kind", "exam_board")
    page.click("button:has-text('Filtrer')")
    page.wait_for_url(re.compile(r"status=submitted"))
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "Semestre d'été 2025-2026" in rows.first.inner_text()
    assert (
        re.sub(r"[\u00a0\u202f]", " ", rows.first.inner_text()).count("679,07 €") == 1
    )  # 213,53 + 6 × 77,59 at 992,24
    reference = rows.first.locator("a").first.inner_text()
    rows.first.locator("input[name=ids]").check()
    page.click("button:has-text('Vérifier et valider les déclarations cochées')")
    page.click("button:has-text('Valider la déclaration')")
    page.wait_for_selector("#confirmation")
    assert "1 déclaration validée" in _text(page, "#confirmation")
    assert reference in _text(page, "#validated")
    page.click("a:has-text('Déclarations encore à valider')")
    page.wait_for_url(re.compile(r"status=submitted"))
    assert page.locator(f"table tbody a:has-text('{reference}')").count() == 0

    page.goto("/bts/personnes/?last_name=Kremer")
    page.click("table tbody a:has-text('KREMER Jean')")
    page.select_option("#id_academic_year", label="2025-2026")
    page.click("form:has(#id_academic_year) button:has-text('Afficher')")
    page.wait_for_selector("#statement-total")
    total = _text(page, "#statement-total")
    assert total == "421,85 €"  # winter 208,32 (at 968,04) + summer 213,53 (at 992,24), both validated
    with page.expect_download() as download:
        page.click("text=Télécharger le relevé (PDF)")
    assert download.value.suggested_filename.endswith(".pdf")
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert total in text
    assert "KREMER Jean" in text and "Page 1 / 1" in text


# -- accessibility ---------------------------------------------------------------------------------


def _ids():
    from bts_fees.models import Body, Declaration, LecturerContract, Person

    draft = Declaration.objects.get(status="draft", body__school__code="LU-LTB", body__kind="vae_committee")
    submitted = Declaration.objects.filter(status="submitted", body__school__code="LU-LTB").first()
    return {
        "draft": draft.pk,
        "submitted": submitted.pk,
        "body": Body.objects.filter(school__code="LU-LTB", kind="exam_board").first().pk,
        "person": Person.objects.get(last_name="Kremer").pk,
        "contract": LecturerContract.objects.filter(programme__school__code="LU-LTB").first().pk,
    }


STAFF_PAGES = [
    "/bts/declarations/",
    "/bts/declarations/nouvelle/",
    "/bts/declarations/{draft}/",
    "/bts/instances/",
    "/bts/instances/{body}/",
    "/bts/personnes/",
    "/bts/personnes/{person}/",
    "/bts/contrats/",
    "/bts/contrats/{contract}/",
    "/bts/programmes/",
    "/bts/incompatibilites/",
    "/bts/synthese/",
]
OFFICER_PAGES = [
    "/bts/declarations/",
    "/bts/declarations/?status=submitted",
    "/bts/declarations/{submitted}/",
    "/bts/instances/",
    "/bts/personnes/",
    "/bts/personnes/{person}/",
    "/bts/contrats/",
    "/bts/synthese/",
]


@pytest.mark.parametrize(
    ("username", "path"),
    [("lycee.bonnevoie", p) for p in STAFF_PAGES] + [("agent", p) for p in OFFICER_PAGES],
)
def test_bts_pages_have_no_accessibility_violation(page, demo, username, path):
    sign_in(page, username)
    page.goto(path.format(**_ids()))
    assert page.locator("h1").count() >= 1
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/bts/tarifs/", "/bts/tarifs/?date=2026-07-01"])
def test_public_rate_table_has_no_accessibility_violation(page, demo, path):
    page.goto(path)
    assert axe_violations(page) == []


def test_line_and_sheet_forms_with_errors_have_no_accessibility_violation(page, demo, tmp_path):
    sign_in(page, "lycee.bonnevoie")
    page.goto(f"/bts/declarations/{_ids()['draft']}/")
    page.fill("#id_quantity", "-1")
    page.click("form:has(#id_appointment) button:has-text('Ajouter')")
    page.wait_for_selector(".invalid-feedback, .errorlist")
    assert axe_violations(page) == []
    fake = tmp_path / "liste.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    page.set_input_files("#id_attendance_sheet", str(fake))
    page.click("button:has-text('Joindre')")
    page.wait_for_selector("text=La liste de présence doit être un fichier PDF, PNG ou JPEG.")
    assert axe_violations(page) == []
