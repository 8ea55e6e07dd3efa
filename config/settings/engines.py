"""The database, job-queue and file-storage settings, built from the environment by pure functions
(so that tests can check each shape without restarting Django).

- SQLite (the embedded default): WAL, immediate transactions; no pool, no statement timeout.
- PostgreSQL (production): persistent connections (`CONN_MAX_AGE`) or, with `DB_POOL=on`, Django's
  psycopg connection pool; a statement timeout, short for web processes and longer for workers.
- Jobs: the database backend of django-tasks (embedded default, run by `manage.py db_worker`) or,
  with `TASKS_BACKEND=rq` and `REDIS_URL`, RQ through django-tasks-rq (`manage.py rqworker`).
- Private files: the local folder `MEDIA_ROOT` by default, or an S3-compatible bucket through
  django-storages (`PRIVATE_STORAGE=s3`), shared by every web and worker host.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

WEB_PROCESS_ENV = "BAREME_PROCESS"  # set to "web" by config/wsgi.py and config/asgi.py


def is_web_process(environ=os.environ) -> bool:
    return environ.get(WEB_PROCESS_ENV) == "web"


def database(env, *, default_url: str, web: bool) -> dict:
    """`DATABASES["default"]` from `DATABASE_URL` and the `DB_*` variables."""
    config = env.db("DATABASE_URL", default=default_url)
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.sqlite3":
        options.update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            }
        )
        return config
    # A statement running longer than this is cancelled by PostgreSQL (0 = no limit): a web request
    # must never hold a connection for minutes; a worker builds bulk documents and gets longer.
    timeout = (
        env.int("DB_STATEMENT_TIMEOUT", default=30) if web else env.int("DB_WORKER_STATEMENT_TIMEOUT", default=600)
    )
    if timeout < 0:
        raise ImproperlyConfigured("DB_STATEMENT_TIMEOUT et DB_WORKER_STATEMENT_TIMEOUT sont des secondes (≥ 0).")
    extra = f"-c statement_timeout={timeout * 1000}"
    options["options"] = f"{options['options']} {extra}" if options.get("options") else extra
    config["CONN_HEALTH_CHECKS"] = True
    if env.bool("DB_POOL", default=False):
        # One pool per process (gunicorn worker, job worker): min..max connections each. Keep
        # (web processes + worker processes) × DB_POOL_MAX_SIZE under PostgreSQL's max_connections.
        min_size = env.int("DB_POOL_MIN_SIZE", default=1)
        max_size = env.int("DB_POOL_MAX_SIZE", default=4)
        if not 0 <= min_size <= max_size or max_size < 1:
            raise ImproperlyConfigured("DB_POOL_MIN_SIZE ≤ DB_POOL_MAX_SIZE, et DB_POOL_MAX_SIZE ≥ 1.")
        options["pool"] = {"min_size": min_size, "max_size": max_size, "timeout": env.float("DB_POOL_TIMEOUT", 10.0)}
        config["CONN_MAX_AGE"] = 0  # Django refuses persistent connections with a pool
    else:
        config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    return config


DATABASE_TASKS_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_TASKS_BACKEND = "django_tasks_rq.RQBackend"
_ALIASES = {"database": DATABASE_TASKS_BACKEND, "db": DATABASE_TASKS_BACKEND, "rq": RQ_TASKS_BACKEND}


def jobs_queue(env) -> str:
    """The queue every job goes to (`JOBS_QUEUE`, "default"): workers listen to it."""
    return env("JOBS_QUEUE", default="default")


def tasks(env) -> tuple[dict, dict, list[str]]:
    """`(TASKS, RQ_QUEUES, extra INSTALLED_APPS)` from `TASKS_BACKEND` (and `REDIS_URL` for RQ).

    `TASKS_BACKEND` is `database` (default), `rq`, or a backend's class path.
    """
    backend = env("TASKS_BACKEND", default="database")
    backend = _ALIASES.get(backend, backend)
    queue = jobs_queue(env)
    if backend != RQ_TASKS_BACKEND:
        return {"default": {"BACKEND": backend, "QUEUES": [queue]}}, {}, []
    url = env("REDIS_URL", default="")
    if not url:
        raise ImproperlyConfigured("TASKS_BACKEND=rq demande REDIS_URL (par exemple redis://127.0.0.1:6379/0).")
    queues = {
        # A job that outlives this is stopped by RQ (a 470-lycée ZIP is a few minutes of work at
        # most: each notification is its own job); results are kept a day (the page reads ours).
        queue: {
            "URL": url,
            "DEFAULT_TIMEOUT": env.int("RQ_JOB_TIMEOUT", default=1800),
            "DEFAULT_RESULT_TTL": 86400,
        }
    }
    return {"default": {"BACKEND": RQ_TASKS_BACKEND, "QUEUES": [queue]}}, queues, ["django_rq", "django_tasks_rq"]


def storages(env, *, static_backend: str) -> dict:
    """`STORAGES`: private files (uploads, issued documents, job results) in a local folder
    (`MEDIA_ROOT`, the default) or an S3-compatible bucket (`PRIVATE_STORAGE=s3`) through
    django-storages, so that several web and worker hosts read and write the same files."""
    kind = env("PRIVATE_STORAGE", default="local")
    if kind == "local":
        default = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    elif kind == "s3":
        bucket = env("PRIVATE_STORAGE_BUCKET", default="")
        if not bucket:
            raise ImproperlyConfigured("PRIVATE_STORAGE=s3 demande PRIVATE_STORAGE_BUCKET.")
        default = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": env("PRIVATE_STORAGE_ENDPOINT_URL", default=None),
                "region_name": env("PRIVATE_STORAGE_REGION", default=None),
                "access_key": env("PRIVATE_STORAGE_ACCESS_KEY", default=None),
                "secret_key": env("PRIVATE_STORAGE_SECRET_KEY", default=None),
                "location": env("PRIVATE_STORAGE_PREFIX", default=""),
                # Private: no public ACL, no public URL; files are served only through scoped views.
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
    else:
        raise ImproperlyConfigured("PRIVATE_STORAGE vaut « local » ou « s3 ».")
    return {"default": default, "staticfiles": {"BACKEND": static_backend}}
