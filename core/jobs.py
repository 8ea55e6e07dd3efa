"""Background jobs: start a function outside the request, follow its progress, download its result.

Two shapes of job, both started only through `job_start`:

- a function `f(*, job, progress, **kwargs) -> (filename, bytes)`; `progress(done, total)` records
  how far it is;
- a `FanOutJob` subclass: the job lists its parts (one document per lycée…), each part is its own
  task that any worker of any host may take, renders one document and stores it; a failed part is
  retried alone; once every part is done, the last worker to finish one assembles the result
  (a ZIP of the parts by default).

Tasks run in `manage.py db_worker` (database backend, the embedded default) or in RQ workers
(`TASKS_BACKEND=rq`). Every delivery is idempotent: a job, or a part, is claimed by a conditional
UPDATE from "queued" to "running" before anything is rendered, so a task delivered twice (a worker
that died and was restarted, a retry of the queue) never renders twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import socket
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from .enums import JobStatus
from .files import safe_filename
from .models import BackgroundJob, BackgroundJobPart, User

logger = logging.getLogger(__name__)

MAX_PART_ATTEMPTS = 3  # a part that fails this many times fails the job (the officer may retry it)
FAILED_MESSAGE = "La tâche a échoué. L'incident a été consigné ; veuillez réessayer ou contacter l'assistance."


class FanOutJob:
    """A job made of independent parts, rendered by any worker, then assembled.

    Subclasses give `parts()` and `render_part()`; `assemble()` zips the parts' files by default
    under `result_name()`. Each method receives the job (its owner bounds what may be seen) and the
    job's keyword arguments.
    """

    def parts(self, *, job: BackgroundJob, **kwargs) -> list[tuple[str, str]]:
        """`(key, label)` of every part, in the order of the result."""
        raise NotImplementedError

    def render_part(self, *, job: BackgroundJob, key: str, **kwargs) -> tuple[str, bytes]:
        """`(filename, content)` of one part."""
        raise NotImplementedError

    def result_name(self, *, job: BackgroundJob, **kwargs) -> str:
        return "resultat.zip"

    def assemble(self, *, job: BackgroundJob, parts: list[BackgroundJobPart], **kwargs) -> tuple[str, bytes]:
        buffer = io.BytesIO()
        # The parts are PDFs (already compressed): stored as they are, assembling costs only the copy.
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for part in parts:
                with part.result.open("rb") as handle:
                    archive.writestr(safe_filename(part.filename, default=f"document-{part.pk}"), handle.read())
        return self.result_name(job=job, **kwargs), buffer.getvalue()


def job_kind(func: str, kwargs: dict) -> str:
    """What a job produces: its function and parameters (the same click twice gives the same kind)."""
    digest = hashlib.sha256(json.dumps(kwargs, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return f"{func[:180]}:{digest}"


def job_start(
    *, owner: User, label: str, func: str, kwargs: dict | None = None, kind: str | None = None
) -> BackgroundJob:
    """Record the job and queue it once the transaction commits.

    One pending job per owner and kind: while a job of the same kind is queued or running, the
    existing one is returned (with `already_pending = True`) and nothing new is queued.
    """
    import_string(func)  # fail now, in the request, if the function does not exist
    kwargs = kwargs or {}
    kind = job_kind(func, kwargs) if kind is None else kind
    pending = _pending(owner, kind)
    if pending is not None:
        _requeue_if_stale(pending)
        return pending
    try:
        with transaction.atomic():
            job = BackgroundJob.objects.create(owner=owner, label=label, func=func, kwargs=kwargs, kind=kind)
    except IntegrityError:  # the same click, a few milliseconds earlier, in another request
        pending = _pending(owner, kind)
        if pending is None:
            raise
        return pending
    job.already_pending = False
    transaction.on_commit(lambda: _enqueue(job_run, job.pk))
    return job


def _pending(owner: User, kind: str) -> BackgroundJob | None:
    if not kind:
        return None
    job = BackgroundJob.objects.filter(owner=owner, kind=kind, status__in=BackgroundJob.PENDING).first()
    if job is not None:
        job.already_pending = True
    return job


def _requeue_if_stale(job: BackgroundJob) -> None:
    """Asked again for a job no worker has taken for a while (its queue entry may have been lost,
    with a Redis that keeps nothing on disk): queue it, or its waiting parts, again. Harmless if
    the first entry is still there: the first delivery claims, the other finds nothing to do."""
    if not waiting_for_worker(job):
        return
    if job.status == JobStatus.QUEUED:
        transaction.on_commit(lambda: _enqueue(job_run, job.pk))
        return
    waiting = list(job.parts.filter(status=JobStatus.QUEUED).values_list("pk", flat=True))
    transaction.on_commit(lambda: [_enqueue(job_part_run, pk) for pk in waiting])


def _enqueue(task_, *args) -> None:
    task_.enqueue(*args)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def waiting_for_worker(job: BackgroundJob, *, now=None) -> bool:
    """True when nothing has taken the job (or its remaining parts) for `JOB_STALE_AFTER` seconds:
    no worker seems to be running."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.JOB_STALE_AFTER)
    if job.status == JobStatus.QUEUED:
        return job.created_at < limit
    if job.status != JobStatus.RUNNING or not job.total:
        return False
    seen = job.parts.aggregate(
        queued=Count("pk", filter=Q(status=JobStatus.QUEUED)),
        running=Count("pk", filter=Q(status=JobStatus.RUNNING)),
        last_start=Max("started_at"),
        last_end=Max("finished_at"),
    )
    if not seen["queued"] or seen["running"]:
        return False
    last = max(d for d in (job.started_at, seen["last_start"], seen["last_end"], job.created_at) if d)
    return last < limit


def failed_parts(job: BackgroundJob) -> int:
    """Parts of a failed job that could not be produced (what a retry would redo)."""
    if job.status != JobStatus.FAILED:
        return 0
    return job.parts.filter(status=JobStatus.FAILED).count()


# -- tasks -------------------------------------------------------------------------------------


@task(queue_name=settings.JOBS_QUEUE)
def job_run(job_id: int) -> None:
    claimed = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # already run or running (a retried delivery): never twice
    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    target = import_string(job.func)
    if isinstance(target, type) and issubclass(target, FanOutJob):
        _fan_out(job, target())
        return

    def progress(done: int, total: int) -> None:
        BackgroundJob.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        filename, content = target(job=job, progress=progress, **job.kwargs)
    except Exception:
        logger.exception("background job %s failed", job_id)
        _fail(job_id, FAILED_MESSAGE)
        return
    job.refresh_from_db()
    job.result.save(safe_filename(filename), ContentFile(content), save=False)
    job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.done = job.total = max(job.total, job.done)
    job.save(update_fields=["result", "status", "finished_at", "done", "total"])


def _fail(job_id: int, error: str) -> None:
    BackgroundJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, finished_at=timezone.now(), error=error)


def _fan_out(job: BackgroundJob, spec: FanOutJob) -> None:
    """List the parts, record them and queue one task per part."""
    try:
        planned = spec.parts(job=job, **job.kwargs)
    except Exception:
        logger.exception("background job %s: listing its parts failed", job.pk)
        _fail(job.pk, FAILED_MESSAGE)
        return
    with transaction.atomic():
        BackgroundJobPart.objects.bulk_create(
            [BackgroundJobPart(job=job, key=str(key)[:64], label=str(label)[:200]) for key, label in planned],
            batch_size=500,
        )
        BackgroundJob.objects.filter(pk=job.pk).update(total=len(planned), done=0)
        part_ids = list(job.parts.order_by("pk").values_list("pk", flat=True))
        transaction.on_commit(lambda: [_enqueue(job_part_run, pk) for pk in part_ids])
    if not planned:
        _settle(job.pk)  # nothing to render: assemble the empty result now


@task(queue_name=settings.JOBS_QUEUE)
def job_part_run(part_id: int) -> None:
    """Render and store one part. Claimed first: a part already done, or being rendered by
    another delivery, is left alone."""
    claimed = BackgroundJobPart.objects.filter(pk=part_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now(), worker=worker_name()
    )
    if not claimed:
        return
    part = BackgroundJobPart.objects.select_related("job__owner").get(pk=part_id)
    job = part.job
    try:
        filename, content = import_string(job.func)().render_part(job=job, key=part.key, **job.kwargs)
        filename = safe_filename(filename)
        part.result.save(filename, ContentFile(content), save=False)
    except Exception:
        logger.exception("background job %s: part %s failed (attempt %s)", job.pk, part.key, part.attempts)
        if part.attempts < MAX_PART_ATTEMPTS:
            BackgroundJobPart.objects.filter(pk=part_id).update(status=JobStatus.QUEUED)
            transaction.on_commit(lambda: _enqueue(job_part_run, part_id))
            return
        BackgroundJobPart.objects.filter(pk=part_id).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), error=FAILED_MESSAGE
        )
    else:
        BackgroundJobPart.objects.filter(pk=part_id).update(
            status=JobStatus.DONE, filename=filename[:200], result=part.result.name, finished_at=timezone.now()
        )
    _settle(job.pk)


@transaction.atomic
def _settle(job_id: int) -> None:
    """Count the parts under the job's row lock: progress for the page, then, once none is left to
    do, the job's end (failed if a part failed, otherwise assembled here, exactly once)."""
    job = BackgroundJob.objects.select_for_update().select_related("owner").get(pk=job_id)
    if job.status != JobStatus.RUNNING:
        return
    counts = dict(job.parts.order_by().values_list("status").annotate(n=Count("pk")))
    job.done = counts.get(JobStatus.DONE, 0)
    if counts.get(JobStatus.QUEUED) or counts.get(JobStatus.RUNNING):
        job.save(update_fields=["done"])
        return
    job.finished_at = timezone.now()
    if failed := counts.get(JobStatus.FAILED, 0):
        job.status = JobStatus.FAILED
        job.error = ngettext(
            "%(n)d document sur %(t)d n'a pas pu être produit malgré plusieurs essais ; les autres sont prêts. "
            "Relancez la tâche : seuls les documents manquants seront refaits.",
            "%(n)d documents sur %(t)d n'ont pas pu être produits malgré plusieurs essais ; les autres sont prêts. "
            "Relancez la tâche : seuls les documents manquants seront refaits.",
            failed,
        ) % {"n": failed, "t": job.total}
        job.save(update_fields=["done", "status", "finished_at", "error"])
        return
    try:
        spec = import_string(job.func)()
        filename, content = spec.assemble(job=job, parts=list(job.parts.order_by("pk")), **job.kwargs)
        job.result.save(safe_filename(filename), ContentFile(content), save=False)
    except Exception:
        logger.exception("background job %s: assembling the parts failed", job_id)
        job.status, job.error = JobStatus.FAILED, FAILED_MESSAGE
        job.save(update_fields=["done", "status", "finished_at", "error"])
        return
    job.status = JobStatus.DONE
    job.save(update_fields=["done", "status", "finished_at", "result"])


@transaction.atomic
def job_retry(*, actor: User, job: BackgroundJob) -> BackgroundJob:
    """Queue again the failed parts of a failed job (the parts already done are kept)."""
    locked = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if locked.owner_id != actor.pk:
        raise PermissionDenied
    failed = list(locked.parts.filter(status=JobStatus.FAILED).values_list("pk", flat=True))
    if locked.status != JobStatus.FAILED or not failed:
        raise ValidationError(_("Seule une tâche en échec dont des documents manquent peut être relancée."))
    if _pending(locked.owner, locked.kind) is not None:
        raise ValidationError(_("Une tâche identique est déjà en attente ou en cours."))
    BackgroundJobPart.objects.filter(pk__in=failed).update(
        status=JobStatus.QUEUED, attempts=0, error="", started_at=None, finished_at=None, worker=""
    )
    locked.status, locked.error, locked.finished_at = JobStatus.RUNNING, "", None
    locked.save(update_fields=["status", "error", "finished_at"])
    transaction.on_commit(lambda: [_enqueue(job_part_run, pk) for pk in failed])
    return locked
