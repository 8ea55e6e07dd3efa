"""Test settings: fast, isolated, deterministic (cookiecutter-django's habits)."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="bareme-test-media-")
LANGUAGE_CODE = "fr"
WHITENOISE_AUTOREFRESH = True

# The Client's login() calls authenticate() without a request, which django-axes refuses;
# tests/core/test_security.py switches the axes backend on to test the lockout itself.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

# Jobs run at once, inside the test, so their effects can be asserted.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
