"""Running background jobs in tests, whatever the backend (`@pytest.mark.jobs` tests).

- default (`bin/test`): django-tasks' immediate backend, jobs run when the request commits;
- `TASKS_BACKEND=database`: the database backend, drained by django-tasks-db's own worker loop;
- `TASKS_BACKEND=rq` with `REDIS_URL`: RQ through django-tasks-rq, drained by an RQ worker.

`drain()` runs what is queued in this process (same database connection, so it also works inside
a test's transaction); `start_workers()` starts real worker processes (`manage.py db_worker` or
`manage.py rqworker`) on the test's database, for tests marked `transaction=True`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def backend() -> str:
    path = settings.TASKS["default"]["BACKEND"]
    if path.endswith("ImmediateBackend"):
        return "immediate"
    return "rq" if "rq" in path else "database"


def drain(max_rounds: int = 1000) -> None:
    """Run every queued task until none is left, tasks queued by tasks included (inside a test's
    transaction, their `on_commit` callbacks are run here, as a real commit would)."""
    from django.test import TestCase

    kind = backend()
    if kind == "immediate":
        return
    for _round in range(max_rounds):
        with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
            _work(kind, max_tasks=1)
        if not callbacks and not queued_count():
            return


def _work(kind: str, *, max_tasks: int) -> None:
    if kind == "database":
        from unittest import mock

        from django_tasks_db.management.commands.db_worker import Worker

        # The worker closes "old" connections between tasks, and Django takes the test's open
        # transaction for one: keep the test's connection.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            Worker(
                queue_names=[settings.JOBS_QUEUE],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=max_tasks,
                worker_id="test-drain",
                excluded_queue_names=[],
            ).run()
    else:
        import django_rq
        from django_tasks_rq import Job
        from rq import SimpleWorker

        queue = django_rq.get_queue(settings.JOBS_QUEUE, job_class=Job)
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True, max_jobs=max_tasks)


def queued_count() -> int:
    """Tasks waiting in the queue (immediate backend: none ever waits)."""
    kind = backend()
    if kind == "database":
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.ready().filter(queue_name=settings.JOBS_QUEUE).count()
    if kind == "rq":
        import django_rq

        return django_rq.get_queue(settings.JOBS_QUEUE).count
    return 0


def clear_queue() -> None:
    """Forget what a test left in Redis (the database backend's rows go with the test database)."""
    if backend() == "rq":
        import django_rq

        django_rq.get_queue(settings.JOBS_QUEUE).empty()


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_workers(count: int, *, log_dir: Path) -> list[subprocess.Popen]:
    """`count` real worker processes on this test's database, queue and private files; they run
    until stopped (`stop_workers`)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "JOBS_QUEUE": settings.JOBS_QUEUE,
    }
    if backend() == "rq":
        command = [
            "rqworker",
            settings.JOBS_QUEUE,
            "--job-class",
            "django_tasks_rq.Job",
            "--worker-class",
            "rq.SimpleWorker",
        ]
    else:
        command = ["db_worker", "--queue-name", settings.JOBS_QUEUE, "--interval", "0.2", "--no-reload"]
    workers = []
    for n in range(count):
        with (log_dir / f"worker-{n}.log").open("w") as log:  # the child keeps its own handle
            workers.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", *command],
                    cwd=BASE_DIR,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_until(predicate, *, timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()
