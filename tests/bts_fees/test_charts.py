"""BTS spending by programme and academic year: validated declarations only, scoped per lycée.

An exam board's winter deliberation at 944,43: 203,24 (commissioner) + 6 × 73,85 = 646,34 €.
"""

from decimal import Decimal as D

from bts_fees import services

from .conftest import deliberation_declaration


def test_spending_by_programme_and_year(
    client_for, officer, staff_a, staff_b, exam_board_a, exam_board_b, django_assert_max_num_queries
):
    validated = services.declaration_submit(actor=staff_a, declaration=deliberation_declaration(exam_board_a, staff_a))
    services.declaration_validate(actor=officer, declaration=validated)
    deliberation_declaration(exam_board_b, staff_b)  # a draft: not spent
    client = client_for(officer)
    client.get("/")
    with django_assert_max_num_queries(6):
        response = client.get("/bts/synthese/graphique/")
    [chart] = response.context["charts"]
    assert chart.labels == ["2024-2025"]
    assert [(s.label, s.values) for s in chart.series] == [("BTS Informatique", [D("646.34")])]
    # Lycée B's staff sees none of lycée A's spending.
    assert client_for(staff_b).get("/bts/synthese/graphique/").context["charts"][0].is_empty


def test_employers_cannot_see_bts_spending(client_for, employer_user):
    assert client_for(employer_user).get("/bts/synthese/graphique/").status_code == 403
