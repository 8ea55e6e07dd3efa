"""The demo data gives every demo account a working bts_fees at first start."""

from io import StringIO

import pytest
from django.core.management import call_command

from bts_fees import selectors
from bts_fees.enums import DeclarationStatus
from bts_fees.models import Declaration, LessonRecord
from core.models import User


@pytest.mark.django_db
def test_demo_declarations_in_every_state_and_scoped_views():
    call_command("bareme_init", "--demo", stdout=StringIO())
    call_command("bareme_init", "--demo", stdout=StringIO())  # idempotent
    assert set(Declaration.objects.values_list("status", flat=True)) == set(DeclarationStatus.values)
    bonnevoie, ettelbruck, agent = (
        User.objects.get(username=name) for name in ("lycee.bonnevoie", "lycee.ettelbruck", "agent")
    )
    assert selectors.declarations_for(bonnevoie).count() == 8
    assert selectors.declarations_for(ettelbruck).count() == 2
    assert selectors.declarations_for(agent).count() == 10
    assert selectors.dashboard(agent)["to_validate"] == 3
    external = LessonRecord.objects.filter(contract__category="external_lecturer")
    assert sum(external.values_list("lessons", flat=True)) == 250  # two short of the 252 cap
    assert LessonRecord.objects.filter(contract__category="guest_lecturer").exists()
