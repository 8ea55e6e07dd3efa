"""Public pages of the footer: help with the glossary, accessibility statement, legal notice."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("core:help", '<h1 class="h3">Aide</h1>'),
        ("core:accessibility", "Déclaration d'accessibilité"),
        ("core:legal", "Mentions légales"),
    ],
)
def test_footer_pages_are_public(db, name, heading):
    response = Client().get(reverse(name))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_every_page_links_to_the_footer_pages_and_the_contact(db, settings):
    settings.CONTACT_EMAIL = "guichet@example.lu"
    html = Client().get(reverse("login")).content.decode()
    for name in ("core:help", "core:accessibility", "core:legal"):
        assert f'href="{reverse(name)}"' in html
    assert 'href="mailto:guichet@example.lu"' in html
    assert 'rel="icon"' in html


def test_the_glossary_explains_the_words_of_each_scheme(db):
    html = Client().get(reverse("core:help")).content.decode()
    for term in ("SSM", "PII", "Boursier", "Reliquat", "Forclusion", "Nomination par arrêté"):
        assert f">{term}</dt>" in html


def test_the_glossary_is_translated(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("core:help")).content.decode()
    assert ">Carry-over</dt>" in html
    assert ">Scholarship holder</dt>" in html


def test_the_legal_notice_names_the_organisation(db, settings):
    settings.ORGANISATION_NAME = "Ministère de l'Éducation nationale"
    html = Client().get(reverse("core:legal")).content.decode()
    assert "Ministère de l&#x27;Éducation nationale" in html
