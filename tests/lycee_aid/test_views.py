"""Views of the ARE: the officer's campaign in the browser, lycée staff scoped to their lycée,
French messages on bad input, constant query counts on lists."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from lycee_aid import selectors, services
from lycee_aid.enums import CampaignStatus, DotationStatus
from lycee_aid.models import Dotation, EligibleFormation, Enrolment, SchoolYear, SupplementaryRequest
from tests.factories import SchoolFactory
from tests.utils import html

from .conftest import SEED_ANNEX
from .test_services import enrol

pytestmark = pytest.mark.django_db


def job_result(client, capture, url, query="") -> bytes:
    """Start a background job by POST (the immediate backend runs it once the request commits; a
    real backend's queue is drained here), check the redirect to its progress page, and download
    its result."""
    from core.models import BackgroundJob
    from tests.jobs import drain

    with capture(execute=True):
        response = client.post(url + query)
    drain()
    assert response.status_code == 302, response.status_code
    job = BackgroundJob.objects.latest("pk")
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == "done", job.error
    assert client.get(response["Location"]).status_code == 200
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    return b"".join(download.streaming_content)


@pytest.mark.jobs
def test_the_officer_runs_votes_and_notifies_in_the_browser(
    client_for, are_officer, computed, lycee_a, django_capture_on_commit_callbacks
):
    client = client_for(are_officer)
    year = computed
    page = html(client.get(reverse("lycee_aid:year_detail", args=[year.pk])))
    assert "Enregistrer le vote de la commission permanente" in page
    response = client.post(reverse("lycee_aid:campaign_run", args=[year.pk]), follow=True)
    assert "Campagne 2023-2024 calculée : 2 lycées" in html(response)
    response = client.post(
        reverse("lycee_aid:campaign_vote", args=[year.pk]),
        {"reference": "CP 2023-300", "voted_on": "2023-07-05"},
        follow=True,
    )
    assert "Vote de la commission permanente enregistré" in html(response)
    assert "Les dotations et leurs lignes par formation sont figées" in html(response)
    response = client.post(
        reverse("lycee_aid:campaign_vote", args=[year.pk]), {"reference": "CP 2023-301", "voted_on": "2023-07-06"}
    )
    assert response.status_code == 200 and "a déjà été votée (délibération CP 2023-300)" in html(response)
    client.post(reverse("lycee_aid:campaign_notify", args=[year.pk]))
    assert set(Dotation.objects.values_list("status", flat=True)) == {DotationStatus.NOTIFIED}
    import io
    import zipfile

    content = job_result(
        client, django_capture_on_commit_callbacks, reverse("lycee_aid:notifications_zip", args=[year.pk])
    )
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert sorted(names) == ["notification-ARE-2023-2024-0750001A.pdf", "notification-ARE-2023-2024-0930003C.pdf"]


def test_the_campaign_table_totals_filters_and_exports(client_for, are_officer, computed):
    client = client_for(are_officer)
    url = reverse("lycee_aid:campaign", args=[computed.pk])
    page = html(client.get(url))
    # A: pré-bac 36 × 151 + 24 × 54 = 6 732; post-bac round(35 × 0,4) = 14 × 151 = 2 114. B: 12 × 151 = 1 812
    assert "8 846,00 €" in page and "1 812,00 €" in page
    assert "10 658,00 €" in page  # total of both
    page = html(client.get(url, {"academy": "creteil"}))
    assert "Lycée B" in page and "Lycée A" not in page
    csv = client.get(url, {"_export": "csv"}).content.decode("utf-8-sig")
    assert "0750001A" in csv and "8846,00" in csv
    xlsx = client.get(url, {"_export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(url, {"academy": "lune", "status": "'; DROP"}).status_code == 200


def test_campaign_table_query_count_does_not_grow(
    client_for, are_officer, computed, formations, django_assert_max_num_queries
):
    client = client_for(are_officer)
    url = reverse("lycee_aid:campaign", args=[computed.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(25):
        school = SchoolFactory(code=f"078{i:04d}Q", name=f"Lycée Q{i}", academy="versailles")
        enrol(school, formations["cap"], i + 1)
    services.campaign_run(actor=are_officer, school_year=computed)
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert len(big.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize(
    "name",
    [
        "lycee_year",
        "enrolments_edit",
        "enrolments_upload",
        "enrolments_template",
        "request_create",
        "report_create",
        "cpge_create",
    ],
)
def test_staff_of_lycee_a_get_404_on_lycee_b(client_for, are_staff_a, year, lycee_b, name):
    response = client_for(are_staff_a).get(reverse(f"lycee_aid:{name}", args=[year.pk, lycee_b.pk]))
    assert response.status_code == 404


def test_staff_cannot_post_enrolments_or_upload_for_another_lycee(client_for, are_staff_a, year, formations, lycee_b):
    client = client_for(are_staff_a)
    response = client.post(
        reverse("lycee_aid:enrolments_edit", args=[year.pk, lycee_b.pk]), {f"f_{formations['cap'].pk}": "5"}
    )
    assert response.status_code == 404
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("e.csv", b"uai;code_diplome;effectif\n0930003C;50022139;5\n")
    response = client.post(reverse("lycee_aid:enrolments_upload", args=[year.pk, lycee_b.pk]), {"file": upload})
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_staff_see_their_dotation_once_voted_and_never_another_lycees(
    client_for, are_staff_a, computed, lycee_a, lycee_b, are_officer
):
    client = client_for(are_staff_a)
    mine = Dotation.objects.get(school=lycee_a)
    theirs = Dotation.objects.get(school=lycee_b)
    assert client.get(reverse("lycee_aid:dotation_detail", args=[mine.pk])).status_code == 404  # computed, not voted
    services.campaign_vote(actor=are_officer, school_year=computed, reference="CP 2023-300", voted_on=date(2023, 7, 5))
    page = html(client.get(reverse("lycee_aid:dotation_detail", args=[mine.pk])))
    assert "8 846,00 €" in page and "CP 2023-300" in page
    assert client.get(reverse("lycee_aid:dotation_pdf", args=[mine.pk])).status_code == 200
    for name in ("dotation_detail", "dotation_pdf"):
        assert client.get(reverse(f"lycee_aid:{name}", args=[theirs.pk])).status_code == 404


def test_staff_are_refused_officer_pages(client_for, are_staff_a, computed):
    client = client_for(are_staff_a)
    for name in ("year_detail", "forfaits", "situation_list", "campaign", "formations_import"):
        assert client.get(reverse(f"lycee_aid:{name}", args=[computed.pk])).status_code == 403, name
    for name in ("campaign_pdf", "notifications_zip"):  # background jobs: started by POST only
        assert client.post(reverse(f"lycee_aid:{name}", args=[computed.pk])).status_code == 403, name
        assert client.get(reverse(f"lycee_aid:{name}", args=[computed.pk])).status_code == 405, name
    assert client.post(reverse("lycee_aid:campaign_run", args=[computed.pk])).status_code == 403
    assert client.get(reverse("lycee_aid:cpi_list")).status_code == 403


def test_other_schemes_officers_and_employers_see_nothing(client_for, other_officer, employer_user, computed):
    for user in (other_officer, employer_user):
        client = client_for(user)
        assert client.get(reverse("lycee_aid:year_list")).status_code == 403
        assert client.get(reverse("lycee_aid:campaign", args=[computed.pk])).status_code == 403


def test_enrolment_form_saves_and_refuses_bad_input_in_french(client_for, are_staff_a, year, formations, lycee_a):
    client = client_for(are_staff_a)
    url = reverse("lycee_aid:enrolments_edit", args=[year.pk, lycee_a.pk])
    page = html(client.get(url))
    assert "CUISINE (CAP)" in page and "3EME PREPA-METIERS" in page
    assert "CUISINE (CAP)" not in html(client.get(url, {"q": "BTS"})) or "ELECTROTECHNIQUE" in html(
        client.get(url, {"q": "BTS"})
    )
    fingerprint = selectors.enrolments_fingerprint(lycee_a, year)
    data = {f"f_{f.pk}": "" for f in formations.values()} | {"fingerprint": fingerprint}
    response = client.post(url, data | {f"f_{formations['cap'].pk}": "-3", f"f_{formations['bts'].pk}": "2,5"})
    assert response.status_code == 200
    assert "La valeur doit être positive ou nulle." in html(response) and "Saisissez un nombre entier." in html(
        response
    )
    assert not Enrolment.objects.exists()
    response = client.post(url, data | {f"f_{formations['cap'].pk}": "36"})
    assert response.status_code == 302
    assert Enrolment.objects.get().first_year_count == 36


def test_enrolment_search_filters_the_lines(client_for, are_staff_a, year, formations, lycee_a):
    page = html(
        client_for(are_staff_a).get(reverse("lycee_aid:enrolments_edit", args=[year.pk, lycee_a.pk]), {"q": "ELECTRO"})
    )
    assert "ELECTROTECHNIQUE (BTS)" in page and "CUISINE (CAP)" not in page


def test_upload_view_reports_every_faulty_row(client_for, are_staff_a, year, formations, lycee_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(are_staff_a)
    url = reverse("lycee_aid:enrolments_upload", args=[year.pk, lycee_a.pk])
    upload = SimpleUploadedFile("e.csv", b"uai;code_diplome;effectif\n0750001A;50022139;x\n0750001A;123;4\n")
    page = html(client.post(url, {"file": upload}))
    assert "Ligne 2 : l'effectif « x » n'est pas un nombre entier positif ou nul." in page
    assert "Ligne 3 : le code diplôme « 123 » ne figure pas" in page
    wrong = SimpleUploadedFile("e.csv", b"a;b\n1;2\n")
    assert "L'en-tête attendu est « uai;code_diplome;effectif »" in html(client.post(url, {"file": wrong}))
    assert not Enrolment.objects.exists()
    template = client.get(reverse("lycee_aid:enrolments_template", args=[year.pk, lycee_a.pk])).content.decode(
        "utf-8-sig"
    )
    assert template.splitlines()[0] == "uai;code_diplome;effectif"
    good = SimpleUploadedFile("e.csv", template.replace(";50022139;0", ";50022139;17").encode())
    assert client.post(url, {"file": good}).status_code == 302
    assert Enrolment.objects.get().first_year_count == 17


def test_import_view_imports_the_seed_annex(client_for, are_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    year = SchoolYear.objects.create(start_year=2023)
    client = client_for(are_officer)
    url = reverse("lycee_aid:formations_import", args=[year.pk])
    response = client.post(url, {"file": SimpleUploadedFile("annexe.txt", SEED_ANNEX.read_bytes())}, follow=True)
    assert "222 formations lues : 222 ajoutées" in html(response)
    response = client.post(url, {"text": "PRE BAC\t5\t999\t50000000\tCAP\tX"})
    assert "Ligne 1 : spécialité NSF 999 non éligible à l'ARE." in html(response)
    assert EligibleFormation.objects.count() == 222


def test_forfaits_page_proposes_from_the_cpi(client_for, are_officer):
    for start, amounts in ((2022, ("142", "51", "290")),):
        SchoolYear.objects.create(
            start_year=start,
            forfait_amount=D(amounts[0]),
            forfait_prepa_metiers_amount=D(amounts[1]),
            forfait_cpge_amount=D(amounts[2]),
            forfaits_confirmed_at="2022-03-01T00:00Z",
        )
    year = SchoolYear.objects.create(start_year=2023)
    client = client_for(are_officer)
    client.post(
        reverse("lycee_aid:cpi_list"),
        {"series_id": "001763862", "base": "2015", "month": "2022-12-01", "value": "114,18"},
    )
    client.post(
        reverse("lycee_aid:cpi_list"),
        {"series_id": "001763862", "base": "2015", "month": "2021-12-15", "value": "107,4"},
    )
    page = html(client.get(reverse("lycee_aid:forfaits", args=[year.pk])))
    assert "6,31 %" in page and "151,00 €" in page and "54,00 €" in page and "308,00 €" in page
    response = client.post(
        reverse("lycee_aid:forfaits", args=[year.pk]),
        {
            "forfait_amount": "151",
            "forfait_prepa_metiers_amount": "54",
            "forfait_cpge_amount": "308",
            "order_reference": "2023-087",
            "order_date": "2023-03-17",
            "cpi_evolution_percent": "6,31",
        },
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.forfait_amount == D("151.00") and year.forfaits_confirmed


def test_situation_form_refuses_more_scholarship_holders_than_pupils(client_for, are_officer, year, lycee_a):
    response = client_for(are_officer).post(
        reverse("lycee_aid:situation_edit", args=[year.pk, lycee_a.pk]),
        {
            "scholarship_count": "120",
            "school_enrolments": "100",
            "survey_answered": "on",
            "carryover_pre_bac": "0",
            "carryover_post_bac": "0",
        },
    )
    assert "L'effectif boursier (120) dépasse les effectifs n-1 de l'établissement (100)." in html(response)


def test_supplementary_request_flow(client_for, are_staff_a, are_officer, voted, formations, lycee_a):
    staff = client_for(are_staff_a)
    url = reverse("lycee_aid:request_create", args=[voted.pk, lycee_a.pk])
    response = staff.post(url, {"justification": "Ouverture", "formation_0": formations["cap"].pk, "count_0": "6"})
    req = SupplementaryRequest.objects.get()
    assert response.status_code == 302
    officer = client_for(are_officer)
    response = officer.post(reverse("lycee_aid:request_detail", args=[req.pk]), {"decision": "reject", "reason": ""})
    assert "Indiquez le motif du rejet." in html(response)
    officer.post(reverse("lycee_aid:request_detail", args=[req.pk]), {"decision": "accept", "reason": ""})
    req.refresh_from_db()
    assert req.total_amount == D("906.00")
    assert staff.post(reverse("lycee_aid:request_detail", args=[req.pk]), {"decision": "reject"}).status_code == 403
    assert "906,00 €" in html(staff.get(reverse("lycee_aid:request_detail", args=[req.pk])))


def test_request_list_is_scoped(client_for, are_staff_b, are_staff_a, voted, formations, lycee_a):
    req = services.supplementary_request_submit(
        actor=are_staff_a, school=lycee_a, school_year=voted, justification="x", lines=[(formations["cap"].pk, 1)]
    )
    client = client_for(are_staff_b)
    assert "DC-" not in html(client.get(reverse("lycee_aid:request_list")))
    assert client.get(reverse("lycee_aid:request_detail", args=[req.pk])).status_code == 404
    assert client.get(reverse("lycee_aid:request_pdf", args=[req.pk])).status_code == 404


def test_usage_report_and_cpge_views(client_for, are_staff_a, voted, formations, lycee_a, are_staff_b):
    client = client_for(are_staff_a)
    url = reverse("lycee_aid:report_create", args=[voted.pk, lycee_a.pk])
    cap = formations["cap"].pk
    response = client.post(url, {f"r{cap}_pupils": "30", f"r{cap}_spent": "99999", f"r{cap}_types": ["tools"]})
    assert "dépassent les crédits disponibles" in html(response)
    response = client.post(
        url, {f"r{cap}_pupils": "30", f"r{cap}_spent": "4000,50", f"r{cap}_types": ["tools", "protection"]}
    )
    assert response.status_code == 302
    report_url = response["Location"]
    page = html(client.get(report_url))
    assert "4 000,50 €" in page and "matériel, outillage et instruments" in page
    assert client_for(are_staff_b).get(report_url).status_code == 404
    response = client.post(
        reverse("lycee_aid:cpge_create", args=[voted.pk, lycee_a.pk]),
        {
            "pupil_last_name": "Martin",
            "pupil_first_name": "Léa",
            "pupil_birth_date": "12/05/2004",
            "second_year": "on",
            "family_quotient": "9800",
            "competitions": "5",
        },
        follow=True,
    )
    assert "aide de 924,00 €" in html(response)


def test_home_dashboard(client_for, are_staff_a, are_officer, voted):
    assert "Ouvrir la campagne" in html(client_for(are_officer).get(reverse("core:home")))
    assert "8 846,00 €" in html(client_for(are_staff_a).get(reverse("core:home")))
    assert voted.campaign_status == CampaignStatus.VOTED


def test_the_app_speaks_english(client_for, are_officer, voted):
    from django.utils import translation

    client = client_for(are_officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = html(client.get(reverse("lycee_aid:year_detail", args=[voted.pk])))
    assert "Regional equipment aid — 2023-2024" in page and "Notify the voted dotations" in page
    with translation.override("en"):
        from django.utils.translation import gettext

        assert gettext("Indiquez le motif du rejet.") == "Enter the reason for the rejection."


def test_upload_view_refuses_a_workbook_declaring_a_whole_sheet(client_for, are_staff_a, year, formations, lycee_a):
    """A 1,6 Ko workbook declaring A1:XFD1048576 used to take 16 s and 741 Mo: now one French
    message, from the sheet's first bytes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.core.test_uploads import rewrite, xlsx

    content = xlsx([["uai", "code_diplome", "effectif"], ["0750001A", "50022139", 24]])
    content = rewrite(
        content,
        "xl/worksheets/sheet1.xml",
        lambda old: old.replace(b'<dimension ref="A1:C2" />', b'<dimension ref="A1:XFD1048576" />'),
    )
    url = reverse("lycee_aid:enrolments_upload", args=[year.pk, lycee_a.pk])
    response = client_for(are_staff_a).post(url, {"file": SimpleUploadedFile("e.xlsx", content)})
    assert response.status_code == 200
    assert "La feuille déclare 1048576 lignes et 16384 colonnes" in html(response)
    assert not Enrolment.objects.exists()


def test_the_campaign_table_labels_every_cell_for_the_phone_cards(client_for, are_officer, computed):
    from tests.core.test_table_cards import labelled_rows

    page = html(client_for(are_officer).get(reverse("lycee_aid:campaign", args=[computed.pk])))
    rows = labelled_rows(page)
    assert len(rows) == 2 and all(len(cells) == 17 and all(cells) for cells in rows)
    assert 'data-label="Total attribué"' in page
