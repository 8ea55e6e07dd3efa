"""Test settings: fast, isolated, deterministic (cookiecutter-django's habits)."""

import os
import tempfile
import uuid

from . import engines
from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Worker processes started by a test share the test's private files (TEST_MEDIA_ROOT).
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="bareme-test-media-")
LANGUAGE_CODE = "fr"
WHITENOISE_AUTOREFRESH = True

# The Client's login() calls authenticate() without a request, which django-axes refuses;
# tests/core/test_security.py switches the axes backend on to test the lockout itself.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

if env("TASKS_BACKEND", default=""):
    # The job tests on a real backend (.ci/run: TASKS_BACKEND=database, then rq with REDIS_URL):
    # tests drain the queue with a worker (tests/jobs.py). A queue of this run's own, so that runs
    # sharing one Redis never take each other's jobs; on SQLite, a test database in a file, so
    # that real worker processes can open it.
    os.environ.setdefault("JOBS_QUEUE", f"bareme-test-{uuid.uuid4().hex[:12]}")
    TASKS, RQ_QUEUES, _task_apps = engines.tasks(env)
    JOBS_QUEUE = engines.jobs_queue(env)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-jobs-{os.getpid()}.sqlite3")}
else:
    # Jobs run at once, inside the test, so their effects can be asserted.
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": [JOBS_QUEUE]}}

# The cross-tenant matrix sends thousands of API requests with one key: no throttling in tests
# (tests/api/test_cross_cutting.py lowers the rates to test the throttle itself).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"token": "1000000/min", "anonymous": "1000000/min"},
}
