"""Before a line leaves a declaration, its recap; after declarations are validated, the
confirmation page; lists as cards on a phone. Each page is checked by axe (WCAG 2.1 AA) at
1 280 px and 390 px, and photographed into test-artifacts/."""

import re

import pytest

from .conftest import ARTIFACTS, axe_violations, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _text(page, selector) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", page.inner_text(selector)).strip()


def check_both_widths(page, name):
    """axe at 1 280 px and 390 px, a full-page screenshot at each, back to 1 280 px."""
    ARTIFACTS.mkdir(exist_ok=True)
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert axe_violations(page) == [], f"{name} at {size['width']} px"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size['width']}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], f"{name} scrolls sideways"
    page.set_viewport_size(DESKTOP)


def test_a_line_leaves_a_declaration_through_its_recap(page, demo):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "lycee.bonnevoie")
    page.goto("/")
    page.locator("#todo li", has_text="rejetée").locator("a").click()
    page.wait_for_selector("#declaration-lines")
    rows = page.locator("#declaration-lines tbody tr")
    count = rows.count()
    total = _text(page, "#declaration-total")
    assert count > 1

    first = rows.first
    person = first.locator("td").first.inner_text().strip()
    amount = re.sub(r"[\u00a0\u202f]", " ", first.locator("td").nth(8).inner_text()).strip()
    first.locator("a[aria-label^='Supprimer la ligne']").click()
    page.wait_for_selector("#recap")
    assert person in _text(page, "#recap")
    assert _text(page, "#recap-line") == amount
    assert _text(page, "#recap-total").startswith(f"{total} → ")
    assert _text(page, "#recap-remaining") == str(count - 1)
    check_both_widths(page, "recap-remove-line")

    # cancelling changes nothing
    page.click("a:has-text('Annuler et revenir à la déclaration')")
    page.wait_for_selector("#declaration-lines")
    assert page.locator("#declaration-lines tbody tr").count() == count

    # confirming removes the line
    page.locator("#declaration-lines tbody tr").first.locator("a[aria-label^='Supprimer la ligne']").click()
    page.click("button:has-text('Supprimer la ligne')")
    page.wait_for_selector("text=Ligne supprimée.")
    assert page.locator("#declaration-lines tbody tr").count() == count - 1


def test_validated_declarations_lead_to_a_confirmation_page(page, demo):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "agent")
    page.goto("/bts/declarations/?status=submitted")
    row = page.locator("table tbody tr").first
    reference = row.locator("a").first.inner_text()
    row.locator("input[name=ids]").check()
    page.click("button:has-text('Vérifier et valider les déclarations cochées')")
    page.wait_for_selector("#recap")
    page.click("button:has-text('Valider la déclaration')")
    page.wait_for_selector("#confirmation")
    assert "1 déclaration validée" in _text(page, "#confirmation")
    assert reference in _text(page, "#validated")
    assert "Et maintenant ?" in _text(page, "main")
    check_both_widths(page, "confirmation-declarations-validated")
    page.click("#back-home")
    page.wait_for_selector("#todo")


@pytest.mark.parametrize(
    ("username", "path", "name"),
    [
        ("agent", "/bts/declarations/", "cards-bts-declarations"),
        ("agent", "/apprentissage/contrats/", "cards-contracts"),
    ],
)
def test_lists_are_cards_on_a_phone(page, demo, username, path, name):
    sign_in(page, username)
    page.set_viewport_size(PHONE)
    page.goto(path)
    page.wait_for_selector(".table-cards tbody tr")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first_row = page.locator(".table-cards tbody tr").first
    # the key cell (the reference, a link) is the card's title, shown first and without a label
    key = first_row.locator("td:has(> a)").first
    assert key.evaluate("td => getComputedStyle(td).order") == "-1"
    assert key.evaluate("td => getComputedStyle(td, '::before').content") == "none"
    # another cell shows its column's header above its value
    labelled = first_row.locator("td[data-label]:not(:has(> a))").first
    label = labelled.get_attribute("data-label")
    assert labelled.evaluate("td => getComputedStyle(td, '::before').content") == f'"{label}"'
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)


def test_the_vote_and_the_notification_lead_to_confirmation_pages(page, demo):
    from lycee_aid.models import SchoolYear

    year = SchoolYear.objects.get(start_year=2024)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "agent")
    page.goto(f"/are/annees/{year.pk}/")
    page.click("button:has-text('Calculer la campagne')")
    page.click("text=Enregistrer le vote de la commission permanente")
    page.fill("input[name=reference]", "CP 2024-211")
    page.fill("input[name=voted_on]", "2024-07-04")
    page.click("main button[type=submit]")
    page.wait_for_selector("#confirmation")
    assert "Délibération CP 2024-211 du 04/07/2024" in _text(page, "#confirmation")
    check_both_widths(page, "confirmation-campaign-voted")
    page.click("a:has-text('Notifier depuis la page de l')")
    page.click("a:has-text('Notifier les dotations votées')")  # the check page: count, total, per académie
    assert "Vous allez notifier 6 dotations votées (délibération CP 2024-211)" in _text(page, "main")
    check_both_widths(page, "recap-campaign-notify")
    page.click("button:has-text('Notifier les dotations votées')")
    page.wait_for_selector("#confirmation")
    assert "6 dotations notifiées aux lycées" in _text(page, "#confirmation")
    check_both_widths(page, "confirmation-campaign-notified")


def test_closing_a_contract_goes_through_its_recap_to_a_confirmation_page(page, demo):
    from datetime import timedelta

    from apprenticeship.models import Contract

    contract = Contract.objects.filter(status="active").order_by("pk").first()
    ended_on = contract.start_date + timedelta(days=60)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "agent")
    page.goto(f"/apprentissage/contrats/{contract.pk}/")
    page.select_option("#id_outcome", "terminated")
    page.fill("#id_ended_on", ended_on.isoformat())
    page.fill("#id_reason", "Rupture d'un commun accord")
    page.click("button:has-text('Vérifier avant de clôturer')")
    page.wait_for_selector("#recap")
    check_both_widths(page, "recap-contract-end")
    page.click("button:has-text('Clôturer le contrat')")
    page.wait_for_selector("#confirmation")
    assert f"Résilié le {ended_on:%d/%m/%Y}" in _text(page, "#confirmation")
    assert "forclose (APP-7)" in _text(page, "#next-steps")
    check_both_widths(page, "confirmation-contract-ended")
