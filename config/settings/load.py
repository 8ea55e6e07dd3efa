"""Load-test settings (`manage.py loadtest`): the production settings as they are, on a database of
their own (`bareme_load` on the local PostgreSQL, or LOAD_DATABASE_URL), with a secret, hosts,
private files and collected static files of their own. Requests reach gunicorn as from a
TLS-terminating proxy (`X-Forwarded-Proto: https`), so HTTPS redirects, secure cookies, HSTS and
the CSRF origin check stay as in production; the second factor is required of officers."""

import os
from pathlib import Path

# Before the base settings are read: they build the database and paths from the environment.
VAR_DIR = Path(__file__).resolve().parent.parent.parent / "var"

os.environ["DATABASE_URL"] = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bareme_load")
os.environ.setdefault("SECRET_KEY", "load-test-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("MEDIA_ROOT", str(VAR_DIR / "load-private"))
os.environ.setdefault("OTP_REQUIRED", "on")
# Notices (validated or rejected declarations) go nowhere: no mail server here.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
# The job queue of this database only (the worker of another database never takes its jobs).
os.environ.setdefault("JOBS_QUEUE", "bareme-load")

from .production import *  # noqa: E402, F403

STATIC_ROOT = VAR_DIR / "load-static"
