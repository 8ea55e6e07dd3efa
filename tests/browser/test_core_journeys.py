"""Journeys through the real UI for what core offers, and accessibility of core pages."""

import re

import pytest

from .conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_anonymous_reads_the_rates_in_force_and_downloads_the_pdf(page, demo):
    page.goto("/baremes/")
    page.fill("#id_date", "2026-07-01")
    page.click("text=Afficher")
    assert page.inner_text("#ssm-amount").replace("\u00a0", " ").replace("\u202f", " ") == "2 771,33 €"
    with page.expect_download() as download:
        page.click("text=Télécharger en PDF")
    assert download.value.suggested_filename.endswith(".pdf")


@pytest.mark.parametrize(
    ("username", "greeting"),
    [
        ("agent", "Claire Martin"),
        ("lycee.paris", "Paul Durand"),
        ("employeur.a", "Marc Hoffmann"),
        ("admin", "Alex Admin"),
    ],
)
def test_each_role_signs_in_to_its_dashboard(page, demo, username, greeting):
    sign_in(page, username)
    assert page.locator("h1").first.inner_text() == f"Bonjour {greeting}"


def test_language_switch(page, demo):
    page.goto("/baremes/")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("h1").inner_text() == "Rates in force"


@pytest.mark.parametrize("path", ["/compte/connexion/", "/baremes/"])
def test_public_pages_have_no_accessibility_violation(page, demo, path):
    page.goto(path)
    assert axe_violations(page) == []


@pytest.mark.parametrize("username", ["agent", "lycee.paris", "employeur.a"])
def test_dashboards_have_no_accessibility_violation(page, demo, username):
    sign_in(page, username)
    assert axe_violations(page) == []


def test_keyboard_reaches_the_login_form(page, demo):
    page.goto("/compte/connexion/")
    first_focusable = page.evaluate("document.querySelector('a[href], button, input, select').outerHTML")
    assert re.search("Aller au contenu", first_focusable)  # the skip link comes first
    assert page.evaluate("document.activeElement.id") == "id_username"  # the form has the focus
    page.keyboard.type("agent")
    page.keyboard.press("Tab")
    page.keyboard.type("bareme-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/compte/connexion/" not in url)
    assert "Bonjour" in page.locator("h1").first.inner_text()
