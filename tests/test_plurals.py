"""Counts read right in both languages: French takes the singular for 0 and 1 (« 0 déclaration
validée »), English the plural for 0 (« 0 declarations validated »). French is the source language:
locale/fr holds every message with a count (tools/french_plurals.py) so that Django applies the
French rule instead of gettext's default (singular for 1 only)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext, npgettext

BASE = Path(settings.BASE_DIR)
ENGLISH = sorted(BASE.glob("*/locale/en/LC_MESSAGES/django.po")) + [BASE / "locale/en/LC_MESSAGES/django.po"]
FRENCH = BASE / "locale/fr/LC_MESSAGES/django.po"


def _plurals(path):
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if e.msgid_plural and not e.obsolete}


def _english_plurals():
    found = {}
    for path in ENGLISH:
        found.update(_plurals(path))
    return found


def test_every_message_with_a_count_has_its_french_plural_forms():
    french = _plurals(FRENCH)
    assert polib.pofile(str(FRENCH)).metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    missing = [
        msgid
        for key, entry in _english_plurals().items()
        if key not in french
        or (french[key].msgstr_plural.get(0), french[key].msgstr_plural.get(1)) != (entry.msgid, entry.msgid_plural)
        for msgid in [key[1]]
    ]
    assert missing == [], "run tools/french_plurals.py:\n" + "\n".join(missing)


def _say(entry, n):
    if entry.msgctxt:
        return npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
    return ngettext(entry.msgid, entry.msgid_plural, n)


def test_zero_is_singular_in_french_and_plural_in_english():
    entries = list(_english_plurals().values())
    assert len(entries) > 50
    wrong = []
    for entry in entries:
        with translation.override("fr"):
            if (_say(entry, 0), _say(entry, 1), _say(entry, 2)) != (entry.msgid, entry.msgid, entry.msgid_plural):
                wrong.append(f"fr: {entry.msgid}")
        with translation.override("en"):
            expected = (entry.msgstr_plural[1], entry.msgstr_plural[0], entry.msgstr_plural[1])
            if (_say(entry, 0), _say(entry, 1), _say(entry, 2)) != expected:
                wrong.append(f"en: {entry.msgid}")
    assert wrong == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["0 déclaration validée", "1 déclaration validée", "2 déclarations validées"]),
        ("en", ["0 declarations validated", "1 declaration validated", "2 declarations validated"]),
    ],
)
def test_the_bulk_validation_count(language, expected):
    with translation.override(language):
        said = [ngettext("%(n)d déclaration validée", "%(n)d déclarations validées", n) % {"n": n} for n in (0, 1, 2)]
    assert said == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["0 formation éligible.", "1 formation éligible.", "2 formations éligibles."]),
        ("en", ["0 eligible formations.", "1 eligible formation.", "2 eligible formations."]),
    ],
)
def test_a_template_count(language, expected):
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} formation éligible.{% plural %}"
        "{{ n }} formations éligibles.{% endblocktranslate %}"
    )
    with translation.override(language):
        assert [template.render(Context({"n": n})) for n in (0, 1, 2)] == expected
