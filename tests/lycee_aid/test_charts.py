"""The ARE campaign by académie and envelope (the `computed` campaign: lycée A in Paris, pré-bac
6 732 €, post-bac 2 114 €; lycée B in Créteil, pré-bac 1 812 €, post-bac 0 €)."""

from decimal import Decimal as D


def test_campaign_by_academy_and_envelope(client_for, are_officer, computed, django_assert_max_num_queries):
    client = client_for(are_officer)
    client.get("/")
    with django_assert_max_num_queries(6):
        response = client.get(f"/are/annees/{computed.pk}/campagne/graphique/")
    assert response.status_code == 200
    [chart] = response.context["charts"]
    assert chart.labels == ["Créteil", "Paris"]
    pre, post = chart.series
    assert pre.values == [D("1812.00"), D("6732.00")]
    assert post.values == [D("0.00"), D("2114.00")]
    assert 'id="campaign-by-academy-table"' in response.content.decode()


def test_campaign_chart_is_for_are_officers(client_for, are_staff_a, other_officer, computed):
    for user in (are_staff_a, other_officer):
        assert client_for(user).get(f"/are/annees/{computed.pk}/campagne/graphique/").status_code == 403
