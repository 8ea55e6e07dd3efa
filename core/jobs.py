"""Background jobs: start a function outside the request, follow its progress, download its result.

A job function is a module-level callable `f(*, job, progress, **kwargs) -> (filename, bytes)`;
`progress(done, total)` records how far it is. It runs in `manage.py db_worker` (database backend,
the embedded default), or on any django-tasks backend (RQ, Celery) set in `TASKS`.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .enums import JobStatus
from .models import BackgroundJob, User

logger = logging.getLogger(__name__)


def job_start(*, owner: User, label: str, func: str, kwargs: dict | None = None) -> BackgroundJob:
    """Record the job and queue it once the transaction commits."""
    import_string(func)  # fail now, in the request, if the function does not exist
    job = BackgroundJob.objects.create(owner=owner, label=label, func=func, kwargs=kwargs or {})
    transaction.on_commit(lambda: job_run.enqueue(job.pk))
    return job


@task()
def job_run(job_id: int) -> None:
    job = BackgroundJob.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return  # already run (a retried delivery): never twice
    BackgroundJob.objects.filter(pk=job_id).update(status=JobStatus.RUNNING)

    def progress(done: int, total: int) -> None:
        BackgroundJob.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        filename, content = import_string(job.func)(job=job, progress=progress, **job.kwargs)
    except Exception:
        logger.exception("background job %s failed", job_id)
        BackgroundJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error="La tâche a échoué. L'incident a été consigné ; veuillez réessayer ou contacter l'assistance.",
        )
        return
    job.refresh_from_db()
    job.result.save(filename, ContentFile(content), save=False)
    job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.done = job.total = max(job.total, job.done)
    job.save(update_fields=["result", "status", "finished_at", "done", "total"])
