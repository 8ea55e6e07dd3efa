"""The index and SSM history chart: its points, its data table and its script-free page.

SSM in force = SSM at index 100 × index / 100, rounded to the cent (CORE-3), e.g. 272,22 × 877,01
/ 100 = 2 387,396… → 2 387,40 €; 272,22 × 898,93 / 100 = 2 447,067… → 2 447,07 €; the other figures are those of SPEC (2 508,24; 2 570,93; 2 637,79;
2 703,74; 2 771,33).
"""

from decimal import Decimal as D

from core.chart_views import history_charts


def test_history_has_one_point_per_change_of_either_series(reference):
    index, ssm = history_charts()
    assert index.labels == [
        "01/10/2021",
        "01/04/2022",
        "01/01/2023",
        "01/02/2023",
        "01/04/2023",
        "01/09/2023",
        "01/01/2025",
        "01/05/2025",
        "01/06/2026",
    ]
    assert index.series[0].values[-1] == D("992.24")
    at_100, in_force = ssm.series
    assert at_100.values[:3] == [None, None, D("272.22")]
    assert in_force.values == [
        None,
        None,
        D("2387.40"),
        D("2447.07"),
        D("2508.24"),
        D("2570.93"),
        D("2637.79"),
        D("2703.74"),
        D("2771.33"),
    ]


def test_history_page_passes_the_data_with_json_script_and_a_table(
    client_for, officer, reference, django_assert_max_num_queries
):
    client = client_for(officer)
    client.get("/")
    with django_assert_max_num_queries(6):
        response = client.get("/baremes/historique/")
    html = response.content.decode()
    assert '<script id="ssm-history-data" type="application/json">' in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/charts.js" in html
    assert 'id="ssm-history-table"' in html and "2771.33" in html  # in the JSON, exact
    assert 'role="img"' in html


def test_history_needs_an_account(client, reference):
    assert client.get("/baremes/historique/").status_code == 302
