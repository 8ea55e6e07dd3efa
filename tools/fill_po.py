"""Fill empty msgstr entries of a .po catalogue from a tab-separated file: french<TAB>english.

Usage: python tools/fill_po.py path/to/django.po translations.tsv
Used by developers when translating; not needed at run time (needs `pip install polib`).
"""

import sys

import polib

po_path, tsv_path = sys.argv[1], sys.argv[2]
pairs = {}
with open(tsv_path, encoding="utf-8") as tsv:
    for line in tsv:
        if "\t" in line:
            fr, en = line.rstrip("\n").split("\t", 1)
            pairs[fr] = en
po = polib.pofile(po_path)
missing = []
for entry in po:
    if entry.msgid in pairs:
        entry.msgstr = pairs[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    elif not entry.msgstr:
        missing.append(entry.msgid)
po.save()
print(f"{po_path}: {len(missing)} untranslated")
for m in missing:
    print("  ", repr(m))
