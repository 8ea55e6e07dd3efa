"""An oversized body is refused (413) before CSRF or the form parser reads it, signed in or not;
the upload views accept their file's size."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BIG = 3 * 1024 * 1024  # above REQUEST_BODY_MAX_BYTES (2,5 Mo), below the sheets' 10 Mo


def test_anonymous_multipart_post_is_refused_before_it_is_read():
    client = Client(enforce_csrf_checks=True)
    with pytest.MonkeyPatch.context() as patch:
        # Nothing may parse the body: reading it would fail the test.
        patch.setattr("django.http.request.HttpRequest._load_post_and_files", _never)
        response = client.post("/compte/connexion/", {"file": ("x" * BIG)})
    assert response.status_code == 413
    assert response.content.decode() == "La requête est trop volumineuse."


def test_small_posts_go_through(client):
    assert client.post("/compte/connexion/", {"username": "x", "password": "y"}).status_code == 200


def test_an_upload_view_accepts_its_file_size(client_for, staff_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(staff_a)
    # No such declaration: the request gets to the view (404), it is not refused for its size.
    response = client.post(
        "/bts/declarations/999999/liste-presence/joindre/",
        {"attendance_sheet": SimpleUploadedFile("s.pdf", b"%PDF-" * (BIG // 5))},
    )
    assert response.status_code != 413


def _never(self):
    raise AssertionError("the body was read")
