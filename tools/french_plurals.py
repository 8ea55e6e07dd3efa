"""Write locale/fr/LC_MESSAGES/django.po: every message with a count, in French as written in the code.

The French is the source language: a message that no French catalogue holds is chosen by gettext's
default rule (singular for 1 only), so « 0 déclarations validées ». French takes the singular for 0
and 1 (Plural-Forms: n > 1): this catalogue holds each plural message (msgstr[0] the singular,
msgstr[1] the plural) so that Django applies the French rule.

Run after `makemessages -l en` whenever a message with a count is added or changed, then
`compilemessages` (tests/test_plurals.py checks the catalogue is complete):

    .venv/bin/python tools/french_plurals.py
"""

from pathlib import Path

import polib

BASE = Path(__file__).resolve().parent.parent
SOURCES = sorted(BASE.glob("*/locale/en/LC_MESSAGES/django.po")) + [BASE / "locale/en/LC_MESSAGES/django.po"]
TARGET = BASE / "locale/fr/LC_MESSAGES/django.po"


def plural_entries():
    """(context, singular, plural, flags) of every plural message of the English catalogues."""
    seen = {}
    for path in SOURCES:
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.msgid_plural and not entry.obsolete:
                key = (entry.msgctxt, entry.msgid)
                seen.setdefault(key, (entry.msgctxt, entry.msgid, entry.msgid_plural, entry.flags))
    return [seen[key] for key in sorted(seen, key=lambda k: (k[0] or "", k[1]))]


def main():
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Project-Id-Version": "bareme",
        "Language": "fr",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    po.header = "French plural forms of Barème's messages (tools/french_plurals.py writes this file)."
    for context, singular, plural, flags in plural_entries():
        po.append(
            polib.POEntry(
                msgctxt=context,
                msgid=singular,
                msgid_plural=plural,
                msgstr_plural={0: singular, 1: plural},
                flags=[flag for flag in flags if flag != "fuzzy"],
            )
        )
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(TARGET))
    print(f"{TARGET.relative_to(BASE)}: {len(po)} plural messages")


if __name__ == "__main__":
    main()
