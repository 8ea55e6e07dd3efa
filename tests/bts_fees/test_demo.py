"""The demo data gives every demo account a working bts_fees at first start."""

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from bts_fees import selectors
from bts_fees.enums import DeclarationStatus
from bts_fees.models import Declaration, DeclarationLine, LessonRecord, Statement
from core.models import User


@pytest.mark.django_db
def test_demo_declarations_in_every_state_and_scoped_views():
    call_command("bareme_init", "--demo", stdout=StringIO())
    call_command("bareme_init", "--demo", stdout=StringIO())  # idempotent
    assert set(Declaration.objects.values_list("status", flat=True)) == set(DeclarationStatus.values)
    bonnevoie, ettelbruck, agent = (
        User.objects.get(username=name) for name in ("lycee.bonnevoie", "lycee.ettelbruck", "agent")
    )
    assert selectors.declaration_list(bonnevoie).count() == 8
    assert selectors.declaration_list(ettelbruck).count() == 2
    assert selectors.declaration_list(agent).count() == 10
    assert selectors.dashboard(agent)["to_validate"] == 3
    external = LessonRecord.objects.filter(contract__category="external_lecturer")
    assert sum(external.values_list("lessons", flat=True)) == 250  # two short of the 252 cap
    assert LessonRecord.objects.filter(contract__category="guest_lecturer").exists()
    # The demo keeps the rules of seed 004: no declaration has anything a submission would refuse
    # (but the draft that still waits for its attendance sheet).
    for declaration in Declaration.objects.all():
        missing_sheet = (
            []
            if declaration.attendance_sheet
            else ["La liste de présence est obligatoire : joignez-la avant de soumettre."]
        )
        assert selectors.submission_problems(declaration) == missing_sheet, declaration.reference
    # No coordinator paid for curriculum-group work in the operating phase (seed 004, I.1): the
    # reopened curriculum-group declaration holds 6 + 8 + 8 + 4 + 4 = 30 h × 75,70 (7,82 at 968,04)
    # = 2 271,00 €, without the coordinator's 12 h (908,40 €).
    group = Declaration.objects.get(body__kind="curriculum_group", body__phase="operation")
    assert not group.lines.filter(appointment__role="coordinator").exists()
    assert (group.status, group.total_amount) == (DeclarationStatus.REOPENED, D("2271.00"))
    # BTS-6: the corrections declared match the first marks (28 + 3 on paper 1, 28 + 2 on paper 2)
    for paper in DeclarationLine.objects.filter(paper__isnull=False).values_list("paper", flat=True).distinct():
        lines = DeclarationLine.objects.filter(paper_id=paper)
        assert sum(lines.values_list("quantity", flat=True)) == lines.first().paper.payable_corrections
    # one statement issued (the external lecturer's): 250 lessons × 116,84 (12,07 at 968,04) = 29 210,00
    statement = Statement.objects.get()
    assert (statement.lessons_total_amount, statement.total_amount) == (D("29210.00"), D("29210.00"))
