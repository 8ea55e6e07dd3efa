"""Personal keys: created and revoked on the account page or by command, hashed, journalled."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import key_digest
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_command_prints_the_key_as_last_line_and_the_key_authenticates(employer_user):
    out = StringIO()
    call_command("api_token", "employer.a", stdout=out, stderr=StringIO())
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user=employer_user)
    assert token.key_digest == key_digest(key) and key not in token.key_digest  # only a digest is stored
    assert token.prefix == key[:8]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = client.get("/api/v1/me/").json()
    assert (body["username"], body["role"]) == ("employer.a", "employer")
    event = AuditEvent.objects.get(action="api.api_token_create")
    assert event.channel == "api"


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="Utilisateur inconnu"):
        call_command("api_token", "nobody", stdout=StringIO(), stderr=StringIO())


def test_no_key_bad_key_revoked_key(api, api_for, employer_user):
    assert api.get("/api/v1/me/").status_code == 401
    assert api.get("/api/v1/me/")["WWW-Authenticate"] == "Token"
    api.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    assert api.get("/api/v1/me/").status_code == 401
    client = api_for(employer_user)
    assert client.get("/api/v1/me/").status_code == 200
    token = ApiToken.objects.get(user=employer_user)
    assert token.last_used_at is not None
    from api.services import api_token_revoke

    api_token_revoke(actor=employer_user, token=token)
    assert client.get("/api/v1/me/").status_code == 401


def test_account_page_creates_shows_once_and_revokes(client_for, employer_user, staff_a):
    page = client_for(employer_user)
    assert page.get("/compte/api/").status_code == 200
    response = page.post("/compte/api/", {"name": "logiciel de paie"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=employer_user)
    key = response.context["created"]["key"]
    assert key in response.content.decode() and token.key_digest == key_digest(key)
    assert key not in page.get("/compte/api/").content.decode()  # shown once
    # Another user cannot revoke it (404: it does not exist for them).
    assert client_for(staff_a).post(f"/compte/api/{token.pk}/revoquer/").status_code == 404
    assert page.post(f"/compte/api/{token.pk}/revoquer/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert page.post(f"/compte/api/{token.pk}/revoquer/").status_code == 302  # twice: nothing more
    assert AuditEvent.objects.filter(action="api.api_token_revoke").count() == 1
    assert AuditEvent.objects.get(action="api.api_token_revoke").channel == "ui"


def test_account_page_needs_login(client):
    assert client.get("/compte/api/").status_code == 302


def test_a_key_ends_sooner_for_an_account_with_a_second_factor(api_for, employer_user, officer):
    """A key stands in for both factors of an officer's sign-in: it lasts 30 days, an employer's 365.
    Past its end it is refused with the date, and the account page says « expirée »."""
    from datetime import timedelta

    from django.utils import timezone

    employer_client, officer_client = api_for(employer_user), api_for(officer)
    now = timezone.now()
    employer_key = ApiToken.objects.get(user=employer_user)
    officer_key = ApiToken.objects.get(user=officer)
    assert timedelta(days=364, hours=23) < employer_key.expires_at - now <= timedelta(days=365)
    assert timedelta(days=29, hours=23) < officer_key.expires_at - now <= timedelta(days=30)
    assert officer_client.get("/api/v1/me/").status_code == 200

    ApiToken.objects.filter(pk=officer_key.pk).update(expires_at=now - timedelta(seconds=1))
    response = officer_client.get("/api/v1/me/")
    assert response.status_code == 401
    expired_on = timezone.localtime(now - timedelta(seconds=1)).strftime("%d/%m/%Y")
    assert f"expirée le {expired_on}" in response.json()["detail"]
    assert employer_client.get("/api/v1/me/").status_code == 200  # the other key is untouched


def test_expired_keys_do_not_count_against_the_limit(employer_user):
    from datetime import timedelta

    from django.utils import timezone

    from api.services import MAX_ACTIVE_TOKENS, api_token_create

    for i in range(MAX_ACTIVE_TOKENS):
        api_token_create(actor=employer_user, user=employer_user, name=f"clé {i}")
    with pytest.raises(Exception, match="clés actives"):
        api_token_create(actor=employer_user, user=employer_user, name="une de trop")
    ApiToken.objects.filter(user=employer_user).update(expires_at=timezone.now() - timedelta(days=1))
    token, _key = api_token_create(actor=employer_user, user=employer_user, name="après expiration")
    assert token.is_active
