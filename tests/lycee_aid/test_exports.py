"""The campaign table exported as CSV and XLSX, as an officer opens it in a French spreadsheet."""

import io

from django.urls import reverse
from openpyxl import load_workbook


def test_campaign_csv_and_xlsx(client_for, are_officer, computed):
    client = client_for(are_officer)
    url = reverse("lycee_aid:campaign", args=[computed.pk])
    csv = client.get(url, {"_export": "csv"})
    assert csv["Content-Type"] == "text/csv; charset=utf-8" and csv.content[:3] == b"\xef\xbb\xbf"
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("UAI;Lycée;Académie;")  # sentence-case headers, « ; » separator
    row_a = next(line.split(";") for line in lines if line.startswith("0750001A"))
    # Lycée A (conftest): pré-bac 36 × 151 + 24 × 54 = 6 732,00; post-bac 14 × 151 = 2 114,00;
    # total 8 846,00; the survey answered → « oui ».
    assert "6732,00" in row_a and "2114,00" in row_a and row_a[-1] == "8846,00" and "oui" in row_a

    xlsx = client.get(url, {"_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title.startswith("Campagne are") and sheet.freeze_panes == "A2"
    headers = [c.value for c in sheet[1]]
    total = headers.index("Total attribué") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "0750001A")
    cell = sheet.cell(row, total)
    assert cell.value == 8846 and cell.data_type == "n" and cell.number_format == "#,##0.00"


def test_only_csv_and_xlsx_are_served(client_for, are_officer, computed):
    url = reverse("lycee_aid:campaign", args=[computed.pk])
    response = client_for(are_officer).get(url, {"_export": "json"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_a_large_export_is_a_background_job_with_the_same_rows(
    client_for, are_officer, computed, settings, django_capture_on_commit_callbacks
):
    from core.models import BackgroundJob
    from tests.jobs import drain

    settings.EXPORT_SYNC_MAX_ROWS = 0  # any row is over the limit
    client = client_for(are_officer)
    url = reverse("lycee_aid:campaign", args=[computed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url, {"_export": "csv", "academy": "paris"})
    drain()
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == "done", job.error
    assert job.kwargs["query"] == {"_export": ["csv"], "academy": ["paris"]}
    download = client.get(reverse("core:job_download", args=[job.pk]))
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    # Only lycée A is in the académie of Paris (conftest); its total is 8 846,00.
    assert "0750001A" in body and "8846,00" in body and body.count("\r\n") == 2
