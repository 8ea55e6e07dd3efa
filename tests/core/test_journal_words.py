"""The journal shows what was done in words, not the action codes."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from core.journal_words import ACTIONS, action_label
from core.services import audit_record


def test_every_recorded_action_has_its_words():
    # every action code written by a service of the three apps and core
    codes = set()
    for app in ("apprenticeship", "lycee_aid", "bts_fees", "core"):
        for path in (Path(settings.BASE_DIR) / app).glob("*.py"):
            source = path.read_text()
            codes |= set(re.findall(r'action="([a-z_.]+)"', source))
            codes |= set(re.findall(r'"(bts_declaration_[a-z]+)"', source))
    assert codes - set(ACTIONS) == set()
    assert action_label("unknown_code") == "unknown_code"


def test_the_journal_page_reads_in_words(client_for, officer, school_a):
    audit_record(
        actor=officer, action="apprenticeship.contract_register", obj=school_a, before=None, after={"status": "draft"}
    )
    html = client_for(officer).get(reverse("core:journal")).content.decode()
    assert "Enregistrement du contrat" in html
    assert ">contract_register<" not in html
