"""Core pages: the public reference page and its PDF, the home page."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import AuditEvent
from core.services import audit_record


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"[\u00a0\u202f]", " ", text)


def test_reference_page_is_public_and_shows_the_values_in_force(client, reference):
    response = client.get(reverse("core:reference_rates"), {"date": "2026-07-01"})
    assert response.status_code == 200
    html = response.content.decode().replace("\u00a0", " ")
    assert "992,24" in html
    assert "279,30 × 992,24 / 100 = 2 771,33 €" in html
    assert "ITM" in html  # the source of each value is shown


def test_reference_page_at_a_past_date(client, reference):
    html = client.get(reverse("core:reference_rates"), {"date": "2023-08-31"}).content.decode()
    assert 'id="index-value">921,40' in html
    assert "2\u00a0508,24" in html


@pytest.mark.parametrize("bad", ["2026-13-45", "hier", "31/02/2024", "9999-01-01", "'; DROP TABLE"])
def test_reference_page_bad_date_gives_a_french_message_not_a_500(client, reference, bad):
    response = client.get(reverse("core:reference_rates"), {"date": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saisissez une date valide" in html or "Choisissez une date entre" in html


def test_reference_page_before_any_ssm_says_so(client, reference):
    html = client.get(reverse("core:reference_rates"), {"date": "2021-12-01"}).content.decode()
    assert "Aucun salaire social minimum" in html


def test_reference_pdf_contains_the_figures_shown_on_screen(client, reference):
    response = client.get(reverse("core:reference_rates_pdf"), {"date": "2026-07-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "2 771,33 €" in text
    assert "992,24" in text
    assert "Page 1 / 1" in text
    assert "BAR-20260701" in text  # the document reference in the margin


def test_pdf_is_pdfa(client, reference):
    reader = PdfReader(io.BytesIO(client.get(reverse("core:reference_rates_pdf")).content))
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.get_element("", "http://www.aiim.org/pdfa/ns/id/", "part") or b"pdfaid" in xmp.stream.get_data()


def test_home_redirects_anonymous_to_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["staff_a", "officer", "employer_user", "admin_user"])
def test_every_role_lands_on_its_dashboard(request, client_for, reference, who):
    user = request.getfixturevalue(who)
    response = client_for(user).get(reverse("core:home"))
    assert response.status_code == 200
    assert "Bonjour" in response.content.decode()


def test_login_page_and_bad_credentials_message(client, staff_a):
    response = client.post(reverse("login"), {"username": "staff.a", "password": "wrong"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()
    response = client.post(reverse("login"), {"username": "staff.a", "password": "secret-pass-123"})
    assert response.status_code == 302


def test_custom_404_page_in_the_site_look(client_for, staff_a):
    response = client_for(staff_a).get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_language_switch_to_english(client, reference):
    client.post(reverse("set_language"), {"language": "en", "next": "/baremes/"})
    html = client.get(reverse("core:reference_rates")).content.decode()
    assert 'lang="en"' in html
    assert "Rates in force" in html


def test_audit_journal_is_append_only(staff_a, school_a):
    event = audit_record(actor=staff_a, action="test", obj=school_a, after={"x": 1})
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(reason="x")
    assert AuditEvent.objects.count() == 1


def test_french_by_default_whatever_the_browser_asks(client, reference):
    html = client.get(reverse("core:reference_rates"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert 'lang="fr"' in html
    assert "Barèmes en vigueur" in html


@pytest.mark.postgres
def test_the_database_refuses_to_change_the_journal(staff_a, school_a):
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    event = audit_record(actor=staff_a, action="test", obj=school_a)
    for sql in ("UPDATE core_auditevent SET reason = 'x' WHERE id = %s", "DELETE FROM core_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, reason="").exists()


def test_journal_is_for_officers_only(client_for, officer, staff_a, school_a):
    audit_record(
        actor=officer,
        action="declaration_validate",
        obj=school_a,
        before={"status": "submitted"},
        after={"status": "validated"},
    )
    response = client_for(officer).get(reverse("core:journal"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "declaration_validate" in html and "submitted → validated" in html
    assert client_for(staff_a).get(reverse("core:journal")).status_code == 403


def test_journal_export_neutralises_formulas(client_for, officer, school_a):
    audit_record(actor=officer, action='=HYPERLINK("http://evil")', obj=school_a)
    response = client_for(officer).get(reverse("core:journal"), {"_export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ";=HYPERLINK" not in body
