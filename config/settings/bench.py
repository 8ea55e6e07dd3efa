"""Benchmark settings: a separate database (never the dev or demo one), production-like templates."""

import os

from . import engines
from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "config.urls_bench"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True

if env("DATABASE_URL", default=""):
    # Same PostgreSQL server, own database: <name>_bench.
    DATABASES["default"]["NAME"] = f"{DATABASES['default']['NAME']}_bench"
else:
    DATABASES["default"]["NAME"] = str(VAR_DIR / "bench.sqlite3")

TEMPLATES[0]["OPTIONS"]["loaders"] = [  # noqa: F405 — cached templates, as in production
    (
        "django.template.loaders.cached.Loader",
        ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
    ),
]
TEMPLATES[0]["APP_DIRS"] = False  # noqa: F405

# The bench's own queue (its workers never take another database's jobs on a shared Redis).
os.environ.setdefault("JOBS_QUEUE", "bareme-bench")
TASKS, RQ_QUEUES, _task_apps = engines.tasks(env)
JOBS_QUEUE = engines.jobs_queue(env)
