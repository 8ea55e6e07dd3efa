"""The effect of a new act rate or index on BTS declarations, previewed before it is saved.

Figures by hand (seed 004 rates at index 100, index 944,43 on 20/01/2025):
- deliberation, member: 7,82 × 944,43 / 100 = 73,853… → 73,85 €; commissioner 21,52 → 203,241… → 203,24 €
- a member rate of 8,00 from 01/01/2025: 8,00 × 9,4443 = 75,5544 → 75,55 € (+1,70 € × 6 members = 10,20 €)
- an index 950,00 from 01/01/2025: member 7,82 × 9,50 = 74,29 € (+0,44 × 6), commissioner
  21,52 × 9,50 = 204,44 € (+1,20): 3,84 € per declaration.
"""

from datetime import date
from decimal import Decimal as D

from bts_fees import services
from bts_fees.models import Act, ActRate
from core.models import LuxIndex

from .conftest import deliberation_declaration


def _declarations(exam_board_a, exam_board_b, staff_a, staff_b, officer):
    draft = deliberation_declaration(exam_board_a, staff_a)
    validated = services.declaration_submit(actor=staff_b, declaration=deliberation_declaration(exam_board_b, staff_b))
    services.declaration_validate(actor=officer, declaration=validated)
    return draft, validated


def test_act_rate_preview_lists_the_lines_to_reprice_and_the_frozen_ones(
    client_for, officer, exam_board_a, exam_board_b, staff_a, staff_b, django_assert_max_num_queries
):
    draft, _validated = _declarations(exam_board_a, exam_board_b, staff_a, staff_b, officer)
    act = Act.objects.get(code="EXAM_DELIBERATION_MEMBER")
    data = {"act": act.pk, "rate_at_100": "8,00", "valid_from": "01/01/2025", "source": "Vademecum — test"}
    client = client_for(officer)
    client.get("/")  # session and user cached outside the count
    with django_assert_max_num_queries(25):
        response = client.post("/baremes/saisie/taux-acte-bts/", {**data, "step": "preview"})
    assert response.status_code == 200, response.context["form"].errors
    [impact] = response.context["impacts"]
    [entry] = impact.context["changes"]
    assert entry["declaration"] == draft
    assert [(c.before, c.after) for c in entry["lines"]] == [(D("73.85"), D("75.55"))] * 6
    assert entry["difference"] == D("10.20")
    # The validated declaration's 6 member lines stay frozen.
    assert "6 lignes de déclarations validées" in impact.context["frozen"]
    assert not ActRate.objects.filter(valid_from=date(2025, 1, 1)).exists()

    response = client.post("/baremes/saisie/taux-acte-bts/", {**data, "step": "confirm"})
    assert response.status_code == 302
    assert ActRate.objects.get(act=act, valid_from=date(2025, 1, 1)).rate_at_100 == D("8.00")
    assert ActRate.objects.get(act=act, valid_from=date(2023, 9, 15)).valid_until == date(2024, 12, 31)


def test_index_preview_reprices_every_act_of_the_draft(
    client_for, officer, exam_board_a, exam_board_b, staff_a, staff_b
):
    _declarations(exam_board_a, exam_board_b, staff_a, staff_b, officer)
    data = {"value": "950,00", "valid_from": "01/01/2025", "source": "STATEC — test", "step": "preview"}
    response = client_for(officer).post("/baremes/saisie/indice/", data)
    assert response.status_code == 200
    bts = next(i for i in response.context["impacts"] if i.template == "bts_fees/_impact_lines.html")
    [entry] = bts.context["changes"]
    assert entry["difference"] == D("3.84")
    assert sorted({(c.before, c.after) for c in entry["lines"]}) == [
        (D("73.85"), D("74.29")),
        (D("203.24"), D("204.44")),
    ]
    assert "7 lignes de déclarations validées" in bts.context["frozen"]
    assert not LuxIndex.objects.filter(valid_from=date(2025, 1, 1)).exists()


def test_lycee_staff_cannot_enter_an_act_rate(client_for, staff_a, bts_reference):
    assert client_for(staff_a).get("/baremes/saisie/taux-acte-bts/").status_code == 403
