"""Each role starts from its home page and reaches a task through its to-do item; the recap before
a payment and the error summary (which takes the focus) on the way. Screenshots of each role's
home, of the recap, of the error summary and of the confirmation are kept as test artifacts.

Figures of the demo data: employer A owes 270,36 € to Schmit (March and April 2026: 1 216,68 €
due, 1 081,50 € paid); Bonnevoie's declaration BTS-D000005 was rejected because the attendance
sheet is not signed by the chair.
"""

import re

import pytest

from .conftest import ARTIFACTS, axe_violations, sign_in

pytestmark = pytest.mark.browser


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _text(page, selector) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", page.inner_text(selector)).strip()


def _home(page, username, shot):
    sign_in(page, username)
    page.goto("/")
    page.wait_for_selector("#todo")
    assert axe_violations(page) == [], username
    _shot(page, f"home-{shot}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == [], f"{username} at 390 px"
    _shot(page, f"home-{shot}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_each_role_reaches_its_task_from_the_home_page(page, demo):
    page.set_viewport_size({"width": 1280, "height": 900})

    # employer: the arrears, from the to-do item to the arrears page
    _home(page, "employeur.a", "employeur")
    item = page.locator("[id^='todo-app-arrears-']")
    assert "270,36 €" in re.sub(r"[\u00a0\u202f]", " ", item.inner_text())
    item.locator("a").click()
    page.wait_for_url("**/apprentissage/arrieres/")
    assert "270,36 €" in _text(page, "main")
    page.context.clear_cookies()

    # lycée staff: the rejected declaration and its reason
    _home(page, "lycee.bonnevoie", "lycee-luxembourg")
    assert "ARE" not in _text(page, "#main-nav")
    item = page.locator("#todo li", has_text="rejetée")
    assert "La liste de présence n'est pas signée par le président." in item.inner_text()
    item.locator("a").click()
    page.wait_for_url(re.compile(r".*/bts/declarations/\d+/$"))
    assert "rejetée" in _text(page, "main")
    page.context.clear_cookies()

    _home(page, "lycee.paris", "lycee-france")
    assert "Apprentissage" not in _text(page, "#main-nav")
    page.context.clear_cookies()

    # officer: the dotations to mark paid → the campaign → a dotation → recap → error → confirmation
    _home(page, "agent", "agent")
    page.locator("#todo li", has_text="marquer comme versées").locator("a").click()
    page.wait_for_url(re.compile(r".*/are/annees/\d+/campagne/$"))
    page.locator("main a[href*='/are/dotations/']").first.click()
    page.click("a:has-text('Marquer comme versée')")
    page.wait_for_selector("#recap")
    total = _text(page, "#recap-total")
    assert axe_violations(page) == []
    _shot(page, "recap-dotation-paid")
    page.fill("#id_payment_reference", "")
    page.click("button:has-text('Confirmer le versement')")
    page.wait_for_selector("[data-error-summary]")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert axe_violations(page) == []
    _shot(page, "error-summary-dotation-paid")
    page.click("[data-error-summary] a[href='#id_payment_reference']")
    assert page.evaluate("document.activeElement.id") == "id_payment_reference"
    page.fill("#id_payment_reference", "MP-2026-0042")
    page.click("button:has-text('Confirmer le versement')")
    page.wait_for_selector("#confirmation")
    assert f"{total} versés à" in _text(page, "#confirmation")
    assert "MP-2026-0042" in _text(page, "#confirmation")
    assert axe_violations(page) == []
    _shot(page, "confirmation-dotation-paid")
