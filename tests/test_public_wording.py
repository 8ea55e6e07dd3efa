"""No developer words reach the public: the reference data (fixtures) and the pages anyone may open
say what each figure is, its legal source and its date, never "seed", "démonstration", "à
remplacer", "à confirmer par un agent" or "TODO"."""

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

DEVELOPER_WORDS = re.compile(
    r"\bseeds?\b|d[ée]monstration|\bd[ée]mo\b|à remplacer|à confirmer par un agent|\btodo\b|\bfixme\b|\blorem\b",
    re.IGNORECASE,
)
FIXTURES = sorted(
    path
    for pattern in ("fixtures/*.json", "*/fixtures/*.json")
    for path in Path(settings.BASE_DIR).glob(pattern)
    if ".venv" not in path.parts and "node_modules" not in path.parts
)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_the_fixtures_are_found():
    assert len(FIXTURES) >= 10


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_no_developer_words_in_the_reference_data(path):
    found = sorted(
        {text for text in _strings(json.loads(path.read_text(encoding="utf-8"))) if DEVELOPER_WORDS.search(text)}
    )
    assert found == []


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    attributes = " ".join(re.findall(r'\b(?:title|aria-label|alt|placeholder)="([^"]*)"', html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + attributes)


@pytest.fixture
def reference_data(db):
    call_command("loaddata", *(path.stem for path in FIXTURES if path.parent.name == "fixtures"), verbosity=0)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/baremes/",
        "/apprentissage/calculateur/",
        # a DAP trade, whose rate is taken within the published range: the badge says so in words
        "/apprentissage/calculateur/?kind=trade&trade=DAP-BOUL&training_year=2&month=2026-07",
        "/apprentissage/calculateur/?kind=cross_border&month=2024-02",
        "/bts/tarifs/",
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_developer_words_on_the_public_pages(client, reference_data, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, follow=True)  # the home page leads a visitor to the sign-in page
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    assert DEVELOPER_WORDS.findall(text) == []


def test_the_dap_rate_says_what_it_is(client, reference_data):
    text = _visible_text(
        client.get(
            "/apprentissage/calculateur/?kind=trade&trade=DAP-BOUL&training_year=2&month=2026-07"
        ).content.decode()
    )
    assert "taux indicatif, dans la fourchette du barème" in text
    assert "règlement grand-ducal du 29 juillet 2025" in text
