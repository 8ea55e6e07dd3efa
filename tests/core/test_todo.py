"""The home page lists, for each role, what needs the user's action and by when, with links,
and shows only the schemes the user works in. Figures come from the demo data (`bareme_init --demo`)
on 02/12/2026."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.enums import Role
from core.models import User
from core.todo import TodoItem, sort_key, todo_for
from tests.factories import SchoolFactory, UserFactory

TODAY = date(2026, 12, 2)


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to("2026-12-02 09:00:00+00:00", tick=False)
    call_command("bareme_init", "--demo", verbosity=0)


def _items(username):
    return {item.key: item for item in todo_for(User.objects.get(username=username))}


def _home(client, username, django_assert_max_num_queries, queries):
    client.force_login(User.objects.get(username=username))
    with django_assert_max_num_queries(queries):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_each_role_sees_what_to_do_and_by_when(demo, client, django_assert_max_num_queries):
    # Employer A: Schmit was paid 1 081,50 in March and April 2026 instead of 1 216,68 →
    # 2 × 135,18 = 270,36 of arrears; payments recorded up to April 2026, so May to November 2026
    # (7 months ended) are to record; the aid of 2025-2026 is due before 01/07/2027 (APP-7) for
    # Schmit and Reuter, the two contracts of 2025-2026 without a prepared request.
    items = _items("employeur.a")
    schmit = next(c for c in items if c.startswith("app-arrears-"))
    assert items[schmit].amount == D("270.36")
    assert items[schmit].count == 2
    payments = next(i for k, i in items.items() if k.startswith("app-payments-"))
    assert payments.count == 7
    aids = [i for k, i in items.items() if k.startswith("app-aid-")]
    assert len(aids) == 2
    assert {i.due for i in aids} == {date(2027, 7, 1)}
    assert list(items.values())[0].key == schmit  # what is owed comes first
    # 19: the arrears read the adopted reform scenarios once (the State's share is shown apart).
    html = _home(client, "employeur.a", django_assert_max_num_queries, 19)
    assert "270,36" in html
    assert "7 versements à enregistrer" in html
    assert "01/07/2027" in html and "dans 211 jours" in html  # 02/12/2026 → 01/07/2027
    assert reverse("apprenticeship:arrears") in html

    # Employer B: Wagner's statement predates the index 992,24: June 50,69 + July 24,53 = 75,22.
    items = _items("employeur.b")
    assert [i.amount for k, i in items.items() if k.startswith("app-arrears-")] == [D("75.22")]

    # Lycée de Bonnevoie: the rejected declaration with its reason, the reopened one, two drafts,
    # the proposals of the exam board of 2026-2027 due on 15/10/2026 (BTS-7), now late.
    items = _items("lycee.bonnevoie")
    rejected = next(i for i in items.values() if "rejetée" in i.text)
    assert rejected.detail == "Motif : La liste de présence n'est pas signée par le président."
    assert items["bts-drafts"].count == 2
    proposals = [i for k, i in items.items() if k.startswith("bts-proposals-")]
    assert [(i.due, i.late) for i in proposals] == [(date(2026, 10, 15), True)]
    html = _home(client, "lycee.bonnevoie", django_assert_max_num_queries, 20)
    assert "La liste de présence n&#x27;est pas signée par le président." in html
    assert "il y a 48 jours" in html  # 15/10/2026 → 02/12/2026
    assert reverse("lycee_aid:year_list") not in html  # no ARE menu for a Luxembourg lycée

    # Lycée Jean Jaurès (Paris): its enrolments n-1 of 2024-2025 (6 formations) before the vote;
    # no Luxembourg apprenticeship card, menu or calculator, no BTS menu.
    items = _items("lycee.paris")
    assert items and all(k.startswith("are-") for k in items)
    enrolments = next(i for k, i in items.items() if k.startswith("are-enrolments-"))
    assert enrolments.count == 6
    html = _home(client, "lycee.paris", django_assert_max_num_queries, 17)
    assert reverse("apprenticeship:contract_list") not in html
    assert reverse("apprenticeship:calculator") not in html
    assert reverse("bts_fees:rate_table") not in html
    assert "0 contrats" not in html
    assert enrolments.url in html

    # The officer of every scheme: arrears of 270,36 + 75,22 = 345,58 on 2 contracts, the three
    # declarations submitted, the 2024-2025 campaign to compute, and five dotations of 2023-2024
    # notified with an amount to pay (the sixth lycée has 0 € to pay).
    items = _items("agent")
    assert (items["app-arrears"].amount, items["app-arrears"].count) == (D("345.58"), 2)
    assert items["bts-submitted"].count == 3
    assert any(i.text == "Campagne 2024-2025 à calculer." for i in items.values())
    assert any(i.count == 5 and "marquer comme versées" in i.text for i in items.values())
    # 22: the arrears read the adopted reform scenarios once.
    html = _home(client, "agent", django_assert_max_num_queries, 22)
    assert "3 déclarations soumises attendent votre décision." in html


def test_nothing_to_do_says_so_and_menus_follow_the_schools(db, client_for):
    paris = SchoolFactory(code="0750999Z", name="Lycée P", country="FR", sector="public_eple", academy="paris")
    staff = UserFactory(username="staff.fr", role=Role.LYCEE_STAFF, schools=[paris])
    html = client_for(staff).get(reverse("core:home")).content.decode()
    assert "Rien ne demande votre action pour le moment." in html
    assert reverse("apprenticeship:contract_list") not in html
    assert reverse("bts_fees:declaration_list") not in html


def test_items_are_ordered_late_first_then_by_date():
    late = TodoItem("X", "late", "/", "go", due=date(2026, 11, 1), today=TODAY, key="a")
    soon = TodoItem("X", "soon", "/", "go", due=date(2026, 12, 20), today=TODAY, key="b")
    later = TodoItem("X", "later", "/", "go", due=date(2027, 7, 1), today=TODAY, key="c")
    owed = TodoItem("X", "owed", "/", "go", urgent=True, key="d")
    undated = TodoItem("X", "undated", "/", "go", key="e")
    ordered = sorted([undated, later, owed, soon, late], key=sort_key)
    assert [i.text for i in ordered] == ["late", "owed", "soon", "later", "undated"]
    assert (late.late, late.days_overdue, soon.soon, later.soon) == (True, 31, True, False)
