"""Generated file names are safe, and what a signed-in user sees is never cached."""

import pytest
from django.urls import reverse

from core.files import content_disposition, safe_filename


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("notification-ARE-2025-2026-../../x.pdf", "notification-ARE-2025-2026-x.pdf"),
        ("../../x", "x"),
        ("..", "document"),
        ("", "document"),
        ("/etc/passwd", "etc-passwd"),
        ("C:\\\\temp\\\\a.pdf", "C-temp-a.pdf"),
        ('relevé "2025"\r\nSet-Cookie: a=b.pdf', "releve-2025-Set-Cookie-a-b.pdf"),
        ("Lycée Émile-Zola 0750001A.csv", "Lycee-Emile-Zola-0750001A.csv"),
        (".hidden", "hidden"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_long_names_keep_their_extension():
    assert safe_filename("a" * 300 + ".pdf") == "a" * 146 + ".pdf"


def test_content_disposition_has_no_quote_nor_line_break():
    assert content_disposition('a"b\r\nc.csv') == 'attachment; filename="a-b-c.csv"'


def test_zip_entries_are_safe(db):
    import io
    import zipfile

    from core.jobs import FanOutJob

    class Part:
        def __init__(self, pk, filename):
            self.pk, self.filename = pk, filename
            self.result = self

        def open(self, mode):
            return io.BytesIO(b"%PDF-")

    _name, content = FanOutJob().assemble(job=None, parts=[Part(1, "notification-../../x.pdf"), Part(2, "..")])
    assert zipfile.ZipFile(io.BytesIO(content)).namelist() == ["notification-x.pdf", "document-2"]


@pytest.mark.django_db
def test_signed_in_pages_pdfs_and_exports_are_not_stored(client_for, officer, reference):
    client = client_for(officer)
    for response in (
        client.get(reverse("core:home")),
        client.get(reverse("core:journal"), {"_export": "csv"}),
        client.get(reverse("core:reference_rates_pdf")),
    ):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_may_be_cached(client, reference):
    response = client.get(reverse("core:reference_rates"))
    assert "no-store" not in response.get("Cache-Control", "")
