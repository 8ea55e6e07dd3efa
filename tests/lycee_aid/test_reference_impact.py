"""New ARE forfaits previewed on the computed dotations before they are confirmed.

Figures by hand (the `computed` campaign, forfaits 151 € / 54 €):
- lycée A: 36 pré-bac × 151 = 5 436 + 24 prépa-métiers × 54 = 1 296 → 6 732 €; post-bac 35 × 0,4 =
  14 boursiers × 151 = 2 114 €; total 8 846 €. Lycée B: 12 × 151 = 1 812 €.
- at 157 € / 56 €: A 36 × 157 = 5 652 + 24 × 56 = 1 344 → 6 996 €, post-bac 14 × 157 = 2 198 €,
  total 9 194 € (+348 €); B 12 × 157 = 1 884 € (+72 €). Together 10 658 € → 11 078 € (+420 €).
"""

from datetime import date
from decimal import Decimal as D

from lycee_aid.enums import CampaignStatus
from lycee_aid.models import Dotation, SchoolYear

URL = "/baremes/saisie/forfaits-are/"


def data(year, **overrides):
    values = {
        "school_year": year.pk,
        "forfait_amount": "157",
        "forfait_prepa_metiers_amount": "56",
        "forfait_cpge_amount": "319",
        "order_reference": "CP 2024-123",
        "order_date": "05/07/2024",
        "step": "preview",
    }
    values.update(overrides)
    return values


def test_forfait_preview_lists_the_dotations_that_change(client_for, are_officer, computed, lycee_a, lycee_b):
    response = client_for(are_officer).post(URL, data(computed))
    assert response.status_code == 200, response.context["form"].errors
    [impact] = response.context["impacts"]
    changes = {c.dotation.school: (c.dotation.total_due_amount, c.total_after) for c in impact.context["changes"]}
    assert changes == {lycee_a: (D("8846.00"), D("9194.00")), lycee_b: (D("1812.00"), D("1884.00"))}
    assert (impact.context["total_before"], impact.context["total_after"]) == (D("10658.00"), D("11078.00"))
    assert impact.context["total_difference"] == D("420.00")
    year = SchoolYear.objects.get(pk=computed.pk)
    assert (year.forfait_amount, year.campaign_status) == (D("151.00"), CampaignStatus.COMPUTED)


def test_forfait_confirm_makes_the_campaign_to_recompute(client_for, are_officer, computed):
    response = client_for(are_officer).post(URL, data(computed, step="confirm"))
    assert response.status_code == 302
    year = SchoolYear.objects.get(pk=computed.pk)
    assert (year.forfait_amount, year.forfait_prepa_metiers_amount) == (D("157.00"), D("56.00"))
    assert (year.order_reference, year.order_date) == ("CP 2024-123", date(2024, 7, 5))
    assert year.campaign_status == CampaignStatus.STALE
    assert year.cpi_evolution_percent == D("6.31")  # kept


def test_a_voted_year_is_refused_at_the_field(client_for, are_officer, voted):
    response = client_for(are_officer).post(URL, data(voted, step="confirm"))
    assert response.status_code == 200
    assert "est votée" in response.context["form"].errors["school_year"][0]
    assert SchoolYear.objects.get(pk=voted.pk).forfait_amount == D("151.00")
    assert Dotation.objects.filter(total_due_amount=D("9194.00")).count() == 0


def test_other_officers_and_staff_cannot_enter_forfaits(client_for, other_officer, are_staff_a, computed):
    assert client_for(other_officer).get(URL).status_code == 403
    assert client_for(are_staff_a).post(URL, data(computed, step="confirm")).status_code == 403
    assert SchoolYear.objects.get(pk=computed.pk).forfait_amount == D("151.00")
