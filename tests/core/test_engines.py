"""Database, job-queue and storage settings from the environment (config/settings/engines.py)."""

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from config.settings import engines

SQLITE = "sqlite:////tmp/x.sqlite3"
PG = "postgres://u:p@db.example:5432/bareme"


def env_of(**values):
    env = environ.Env()
    env.ENVIRON = {k: str(v) for k, v in values.items()}
    return env


def test_sqlite_stays_the_embedded_default_without_pool_or_timeout():
    config = engines.database(env_of(), default_url=SQLITE, web=True)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "pool" not in config["OPTIONS"] and "options" not in config["OPTIONS"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgresql_web_processes_get_a_short_statement_timeout_and_workers_a_longer_one():
    web = engines.database(env_of(DATABASE_URL=PG), default_url=SQLITE, web=True)
    worker = engines.database(env_of(DATABASE_URL=PG), default_url=SQLITE, web=False)
    assert web["OPTIONS"]["options"] == "-c statement_timeout=30000"
    assert worker["OPTIONS"]["options"] == "-c statement_timeout=600000"
    assert (web["CONN_MAX_AGE"], web["CONN_HEALTH_CHECKS"]) == (60, True)
    assert "pool" not in web["OPTIONS"]  # off by default
    tuned = engines.database(
        env_of(DATABASE_URL=PG, DB_STATEMENT_TIMEOUT=5, DB_WORKER_STATEMENT_TIMEOUT=0), default_url=SQLITE, web=True
    )
    assert tuned["OPTIONS"]["options"] == "-c statement_timeout=5000"
    with pytest.raises(ImproperlyConfigured):
        engines.database(env_of(DATABASE_URL=PG, DB_STATEMENT_TIMEOUT=-1), default_url=SQLITE, web=True)


def test_the_connection_pool_is_switched_on_from_the_environment():
    config = engines.database(env_of(DATABASE_URL=PG, DB_POOL="on", DB_POOL_MAX_SIZE=8), default_url=SQLITE, web=True)
    assert config["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10.0}
    assert config["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool
    with pytest.raises(ImproperlyConfigured):
        engines.database(
            env_of(DATABASE_URL=PG, DB_POOL="on", DB_POOL_MIN_SIZE=5, DB_POOL_MAX_SIZE=2), default_url=SQLITE, web=True
        )


def test_the_web_process_is_recognised_by_the_variable_wsgi_sets(monkeypatch):
    import importlib
    import os

    assert engines.is_web_process({"BAREME_PROCESS": "web"})
    assert not engines.is_web_process({})
    monkeypatch.delenv("BAREME_PROCESS", raising=False)  # restored (absent) after the test
    import config.wsgi

    importlib.reload(config.wsgi)  # sets it for gunicorn before Django reads the settings
    assert os.environ["BAREME_PROCESS"] == "web"


def test_jobs_use_the_database_by_default_and_rq_with_redis_url():
    tasks, queues, apps = engines.tasks(env_of())
    assert tasks == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    assert (queues, apps) == ({}, [])
    tasks, queues, apps = engines.tasks(env_of(TASKS_BACKEND="rq", REDIS_URL="redis://cache:6379/2"))
    assert tasks == {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    assert queues["default"]["URL"] == "redis://cache:6379/2"
    assert apps == ["django_rq", "django_tasks_rq"]
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        engines.tasks(env_of(TASKS_BACKEND="rq"))
    tasks, _queues, _apps = engines.tasks(env_of(TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend"))
    assert tasks["default"]["BACKEND"] == "django_tasks.backends.dummy.DummyBackend"


def test_private_files_go_to_a_local_folder_or_an_s3_bucket():
    local = engines.storages(env_of(), static_backend="static")
    assert local == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "static"},
    }
    s3 = engines.storages(
        env_of(
            PRIVATE_STORAGE="s3",
            PRIVATE_STORAGE_BUCKET="bareme-private",
            PRIVATE_STORAGE_ENDPOINT_URL="https://s3.example.lu",
            PRIVATE_STORAGE_ACCESS_KEY="key",
            PRIVATE_STORAGE_SECRET_KEY="secret",
        ),
        static_backend="static",
    )
    assert s3["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    # The backend django-storages provides accepts these options as they are (no network at creation).
    from django.utils.module_loading import import_string

    storage = import_string(s3["default"]["BACKEND"])(**s3["default"]["OPTIONS"])
    assert (storage.bucket_name, storage.default_acl, storage.querystring_auth) == ("bareme-private", "private", True)
    assert storage.endpoint_url == "https://s3.example.lu" and storage.file_overwrite is False
    with pytest.raises(ImproperlyConfigured):
        engines.storages(env_of(PRIVATE_STORAGE="s3"), static_backend="static")
    with pytest.raises(ImproperlyConfigured):
        engines.storages(env_of(PRIVATE_STORAGE="ftp"), static_backend="static")


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_applies_the_statement_timeout_of_the_settings():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "10min"  # tests run as a worker: DB_WORKER_STATEMENT_TIMEOUT=600


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_serves_queries_through_the_psycopg_pool():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from django.db.backends.postgresql.base import DatabaseWrapper

    settings_dict = {**connection.settings_dict, "CONN_MAX_AGE": 0}
    settings_dict["OPTIONS"] = {**settings_dict["OPTIONS"], "pool": {"min_size": 1, "max_size": 2, "timeout": 5}}
    pooled = DatabaseWrapper(settings_dict, alias="pooled")
    try:
        for _ in range(3):  # connections go back to the pool and are reused
            with pooled.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM core_backgroundjob")
                assert cursor.fetchone() == (0,)
            pooled.close()
        assert pooled.pool is not None and pooled.pool.get_stats()["pool_size"] <= 2
    finally:
        pooled.close_pool()
