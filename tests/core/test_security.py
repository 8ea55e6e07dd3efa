"""Login lockout, Content Security Policy, cookies, and no inline script in any template."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

AXES_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]


@pytest.fixture
def axes_on(settings):
    settings.AUTHENTICATION_BACKENDS = AXES_BACKENDS
    settings.AXES_FAILURE_LIMIT = 5


def test_lockout_after_five_failures_for_that_username_and_ip(client, staff_a, axes_on):
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"username": "staff.a", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(url, {"username": "staff.a", "password": "secret-pass-123"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "temporairement bloqué" in response.content.decode()
    # Same user from another address, and another user from the same address, are not locked out.
    ok = client.post(url, {"username": "staff.a", "password": "secret-pass-123"}, REMOTE_ADDR="10.0.0.2")
    assert ok.status_code == 302


def test_content_security_policy_forbids_inline_scripts_without_nonce(client, reference):
    response = client.get(reverse("core:reference_rates"))
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'self'" in script_src  # a nonce is added only on pages that use one
    assert "frame-ancestors 'none'" in policy


def test_session_and_csrf_cookies_are_protected():
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_production_settings_make_cookies_secure():
    source = (settings.BASE_DIR / "config" / "settings" / "production.py").read_text()
    for line in ("SESSION_COOKIE_SECURE = True", "CSRF_COOKIE_SECURE = True", "SECURE_HSTS_SECONDS"):
        assert line in source


def project_templates():
    roots = [settings.BASE_DIR / "templates"] + [
        settings.BASE_DIR / app / "templates" for app in ("core", "apprenticeship", "lycee_aid", "bts_fees")
    ]
    for root in roots:
        if root.exists():
            yield from root.rglob("*.html")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*nonce=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize("path", list(project_templates()), ids=lambda p: str(Path(p).relative_to(settings.BASE_DIR)))
def test_no_template_has_an_inline_script_or_event_handler(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script> without src or nonce"
    assert not EVENT_HANDLER.search(text), "inline on…= event handler (blocked by the CSP)"
