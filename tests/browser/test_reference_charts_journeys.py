"""An officer enters an index, sees its effect, confirms; every chart is drawn with its table.

Screenshots of the preview and of each chart are written to test-artifacts/ (the issue asks for
them as test artifacts); axe reports no violation at 1 280 px and at 390 px.
"""

import pytest

from .conftest import ARTIFACTS, axe_violations, sign_in

pytestmark = pytest.mark.browser

CHART_PAGES = {
    "chart-index-ssm": "/baremes/historique/",
    "chart-arrears": "/apprentissage/arrieres/graphique/",
    "chart-bts-spending": "/bts/synthese/graphique/",
}


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _drawn(page):
    """Chart.js drew on every canvas (its instances are registered on the canvas)."""
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length > 0")
    return page.evaluate(
        "[...document.querySelectorAll('canvas[data-chart]')].every(c => window.Chart.getChart(c) !== undefined)"
    )


def test_officer_previews_then_confirms_an_index_and_reads_the_charts(page, demo):
    sign_in(page, "agent")
    page.goto("/baremes/")
    page.click("text=Saisir une donnée de référence")
    page.click("text=Nombre indice (échelle mobile des salaires)")
    page.fill("#id_value", "980,00")
    page.fill("#id_valid_from", "2026-01-01")
    page.fill("#id_source", "STATEC — essai")
    page.click("button[value=preview]")
    assert page.locator("h1").inner_text() == "Vérifiez avant d'enregistrer"
    assert page.locator("#impact-arrears").count() == 1
    assert axe_violations(page) == []
    _shot(page, "reference-preview")
    page.click("button[value=confirm]")
    assert "La donnée de référence est enregistrée" in page.inner_text("main")

    for name, path in CHART_PAGES.items():
        page.goto(path)
        assert _drawn(page), path
        assert axe_violations(page) == []
        _shot(page, name)
    page.goto("/are/")
    page.click("table a:text-is('2023-2024')")
    page.goto(page.url + "campagne/graphique/")
    assert _drawn(page)
    _shot(page, "chart-are-campaign")
    from apprenticeship.models import Contract

    first = Contract.objects.exclude(status="draft").order_by("pk").first()  # ids differ from run to run
    page.goto(f"/apprentissage/contrats/{first.pk}/")
    page.click("text=Graphique")
    assert _drawn(page)
    assert axe_violations(page) == []
    _shot(page, "chart-indemnity-over-contract")

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/baremes/historique/", "/baremes/saisie/indice/"):
        page.goto(path)
        assert axe_violations(page) == []
