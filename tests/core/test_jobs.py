"""Background jobs (core.jobs) on whichever backend the run selects (tests/jobs.py): the immediate
backend by default, the database backend or RQ in .ci/run."""

import html
import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.enums import JobStatus
from core.jobs import FanOutJob, job_part_run, job_run, job_start
from core.models import BackgroundJob, BackgroundJobPart
from tests.jobs import backend, clear_queue, drain, queued_count

pytestmark = [pytest.mark.jobs, pytest.mark.django_db]

RENDERS: list[str] = []  # keys rendered in this process, in order (in-process workers only)
BROKEN: set[str] = set()  # keys whose rendering fails while listed


@pytest.fixture(autouse=True)
def _fresh_queue():
    RENDERS.clear()
    BROKEN.clear()
    yield
    clear_queue()


def sample_job(*, job, progress, count):
    for done in range(1, count + 1):
        progress(done, count)
    return "result.txt", f"{count} lines for {job.owner.username}".encode()


def failing_job(*, job, progress):
    raise RuntimeError("boom")


class Letters(FanOutJob):
    """One small text file per key; a key in BROKEN fails; "flaky" fails at its first attempt."""

    def parts(self, *, job, keys):
        return [(key, f"Lettre {key}") for key in keys]

    def render_part(self, *, job, key, keys):
        RENDERS.append(key)
        attempts = BackgroundJobPart.objects.get(job=job, key=key).attempts
        if key in BROKEN or (key == "flaky" and attempts == 1):
            raise RuntimeError(f"cannot render {key}")
        return f"lettre-{key}.txt", f"Lettre {key} pour {job.owner.username}".encode()

    def result_name(self, *, job, keys):
        return "lettres.zip"


def start(owner, func, **kwargs):
    return job_start(owner=owner, label="Essai", func=func, kwargs=kwargs)


def run(capture, owner, func, **kwargs):
    with capture(execute=True):
        job = start(owner, func, **kwargs)
    drain()
    job.refresh_from_db()
    return job


def text(response) -> str:
    return html.unescape(response.content.decode())


def zip_of(job) -> dict[str, bytes]:
    with job.result.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    return {name: archive.read(name) for name in archive.namelist()}


def test_a_job_runs_after_commit_and_keeps_its_result(officer, django_capture_on_commit_callbacks, client_for):
    job = run(django_capture_on_commit_callbacks, officer, "tests.core.test_jobs.sample_job", count=3)
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    client = client_for(officer)
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    assert "Télécharger le résultat" in page.content.decode()
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"3 lines for officer"


def test_a_failing_job_says_so_without_a_500(officer, django_capture_on_commit_callbacks, client_for):
    job = run(django_capture_on_commit_callbacks, officer, "tests.core.test_jobs.failing_job")
    assert job.status == JobStatus.FAILED
    assert "a échoué" in job.error
    client = client_for(officer)
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 200
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_an_unknown_function_is_refused_before_anything_is_recorded(officer):
    with pytest.raises(ImportError):
        start(officer, "tests.core.test_jobs.nope")
    assert not BackgroundJob.objects.exists()


def test_jobs_are_private_to_their_owner(officer, staff_a, django_capture_on_commit_callbacks, client_for):
    job = run(django_capture_on_commit_callbacks, officer, "tests.core.test_jobs.sample_job", count=1)
    other = client_for(staff_a)
    assert other.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    assert other.post(reverse("core:job_retry", args=[job.pk])).status_code == 404
    assert "Essai" not in other.get(reverse("core:jobs")).content.decode()


def test_htmx_polls_the_progress_partial_while_the_job_runs(officer, client_for):
    job = BackgroundJob.objects.create(
        owner=officer, label="En cours", func="x", status=JobStatus.RUNNING, done=1, total=4
    )
    page = client_for(officer).get(reverse("core:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "1 / 4" in page and "<html" not in page


# -- one pending job per user and kind --------------------------------------------------------


def test_a_second_click_returns_the_pending_job_instead_of_starting_another(officer, staff_a):
    first = start(officer, "tests.core.test_jobs.sample_job", count=2)
    again = start(officer, "tests.core.test_jobs.sample_job", count=2)
    assert again.pk == first.pk and again.already_pending and not first.already_pending
    other_parameters = start(officer, "tests.core.test_jobs.sample_job", count=3)
    other_user = start(staff_a, "tests.core.test_jobs.sample_job", count=2)
    assert len({first.pk, other_parameters.pk, other_user.pk}) == 3
    assert BackgroundJob.objects.count() == 3
    BackgroundJob.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING)
    assert start(officer, "tests.core.test_jobs.sample_job", count=2).pk == first.pk
    BackgroundJob.objects.filter(pk=first.pk).update(status=JobStatus.DONE)
    assert start(officer, "tests.core.test_jobs.sample_job", count=2).pk != first.pk  # finished: a new one


def test_the_database_refuses_a_second_pending_job_of_the_same_kind(officer):
    first = start(officer, "tests.core.test_jobs.sample_job", count=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        BackgroundJob.objects.create(owner=officer, label="x", func=first.func, kwargs=first.kwargs, kind=first.kind)


def test_a_pending_job_created_meanwhile_by_another_request_is_returned(officer, monkeypatch):
    """The check before the insert saw nothing; the unique constraint catches the race."""
    first = start(officer, "tests.core.test_jobs.sample_job", count=2)
    seen = []
    real = jobs._pending

    def blind_once(owner, kind):
        seen.append(kind)
        return None if len(seen) == 1 else real(owner, kind)

    monkeypatch.setattr(jobs, "_pending", blind_once)
    again = start(officer, "tests.core.test_jobs.sample_job", count=2)
    assert again.pk == first.pk and again.already_pending
    assert BackgroundJob.objects.count() == 1


def test_the_view_says_an_identical_job_is_already_pending(officer, client_for, rf):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from core.views import job_redirect

    job = start(officer, "tests.core.test_jobs.sample_job", count=2)
    again = start(officer, "tests.core.test_jobs.sample_job", count=2)
    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    response = job_redirect(request, again)
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert [str(m) for m in request._messages] == [
        "Une tâche identique est déjà en attente ou en cours : voici son avancement."
    ]


# -- no worker running ---------------------------------------------------------------------------

NO_WORKER = "Aucun service de tâches de fond ne semble actif"


def test_a_job_still_queued_after_two_minutes_warns_that_no_worker_runs(officer, client_for, settings):
    settings.JOB_STALE_AFTER = 120
    job = start(officer, "tests.core.test_jobs.sample_job", count=2)  # nothing drains the queue here
    client = client_for(officer)
    url = reverse("core:job_detail", args=[job.pk])
    assert NO_WORKER not in client.get(url).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=119), tick=False):
        assert NO_WORKER not in client.get(url).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=121), tick=False):
        page = client.get(url).content.decode()
        partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert NO_WORKER in page and "plus de 2 minutes" in page
    assert NO_WORKER in partial and 'hx-trigger="every 2s"' in partial  # still polling: it may start


def test_asking_again_for_a_job_no_worker_took_queues_it_again_without_a_second_job(
    officer, settings, django_capture_on_commit_callbacks
):
    """A queue that lost its entry (Redis restarted without persistence) must not leave the job
    stuck: the second click re-queues the same job; deliveries in excess find it done."""
    settings.JOB_STALE_AFTER = 120
    with django_capture_on_commit_callbacks(execute=False) as first_enqueue:
        job = start(officer, "tests.core.test_jobs.sample_job", count=2)
    assert len(first_enqueue) == 1  # never run: as if the queue had lost it
    with django_capture_on_commit_callbacks(execute=True) as fresh:
        assert start(officer, "tests.core.test_jobs.sample_job", count=2).pk == job.pk
    assert fresh == []  # not stale yet: nothing queued again
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        with django_capture_on_commit_callbacks(execute=True) as requeued:
            again = start(officer, "tests.core.test_jobs.sample_job", count=2)
        drain()
    assert again.pk == job.pk and len(requeued) == 1
    job.refresh_from_db()
    assert (job.status, BackgroundJob.objects.count()) == (JobStatus.DONE, 1)


def test_a_running_job_or_a_finished_one_gives_no_such_warning(officer):
    old = timezone.now() - timedelta(hours=1)
    running = BackgroundJob.objects.create(owner=officer, label="a", func="x", status=JobStatus.RUNNING)
    done = BackgroundJob.objects.create(owner=officer, label="b", func="y", status=JobStatus.DONE)
    BackgroundJob.objects.filter(pk__in=[running.pk, done.pk]).update(created_at=old, started_at=old)
    for job in BackgroundJob.objects.all():
        assert not jobs.waiting_for_worker(job)


def test_parts_left_queued_with_no_worker_taking_them_warn_too(officer):
    job = BackgroundJob.objects.create(
        owner=officer, label="a", func="tests.core.test_jobs.Letters", status=JobStatus.RUNNING, total=2, done=1
    )
    start_time = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(started_at=start_time)
    job.refresh_from_db()
    BackgroundJobPart.objects.create(job=job, key="a", label="a", status=JobStatus.DONE, finished_at=start_time)
    BackgroundJobPart.objects.create(job=job, key="b", label="b")
    assert not jobs.waiting_for_worker(job, now=start_time + timedelta(seconds=60))
    assert jobs.waiting_for_worker(job, now=start_time + timedelta(seconds=180))


# -- fan-out: one task per part, assembled at the end -------------------------------------------


def test_a_fanned_out_job_renders_each_part_once_and_assembles_them(
    officer, django_capture_on_commit_callbacks, client_for
):
    job = run(django_capture_on_commit_callbacks, officer, "tests.core.test_jobs.Letters", keys=["a", "b", "c"])
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    parts = list(job.parts.order_by("key"))
    assert [(p.key, p.status, p.attempts, p.filename) for p in parts] == [
        ("a", "done", 1, "lettre-a.txt"),
        ("b", "done", 1, "lettre-b.txt"),
        ("c", "done", 1, "lettre-c.txt"),
    ]
    assert zip_of(job) == {f"lettre-{k}.txt": f"Lettre {k} pour officer".encode() for k in "abc"}
    assert sorted(RENDERS) == ["a", "b", "c"]
    download = client_for(officer).get(reverse("core:job_download", args=[job.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="lettres.zip"'
    download.close()


def test_a_part_that_fails_once_is_retried_alone(officer, django_capture_on_commit_callbacks):
    job = run(django_capture_on_commit_callbacks, officer, "tests.core.test_jobs.Letters", keys=["a", "flaky", "c"])
    assert job.status == JobStatus.DONE
    assert dict(job.parts.values_list("key", "attempts")) == {"a": 1, "flaky": 2, "c": 1}
    assert sorted(RENDERS) == ["a", "c", "flaky", "flaky"]  # the others were not redone
    assert set(zip_of(job)) == {"lettre-a.txt", "lettre-flaky.txt", "lettre-c.txt"}


def test_a_part_that_keeps_failing_fails_the_job_and_only_it_is_redone_on_retry(
    officer, django_capture_on_commit_callbacks, client_for
):
    BROKEN.add("b")
    job = run(django_capture_on_commit_callbacks, officer, "tests.core.test_jobs.Letters", keys=["a", "b", "c"])
    assert (job.status, job.done, job.total) == (JobStatus.FAILED, 2, 3)
    assert job.error.startswith("1 document sur 3 n'a pas pu être produit")
    assert dict(job.parts.values_list("key", "attempts")) == {"a": 1, "b": jobs.MAX_PART_ATTEMPTS, "c": 1}
    client = client_for(officer)
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert "Refaire le document manquant" in page
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404

    BROKEN.clear()
    RENDERS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:job_retry", args=[job.pk]), follow=True)
    assert "Les documents manquants sont remis en file d'attente." in text(response)
    drain()
    job.refresh_from_db()
    assert (job.status, job.done, job.error) == (JobStatus.DONE, 3, "")
    assert RENDERS == ["b"]
    assert set(zip_of(job)) == {"lettre-a.txt", "lettre-b.txt", "lettre-c.txt"}


def test_only_a_failed_job_with_missing_parts_can_be_retried(officer, django_capture_on_commit_callbacks, client_for):
    job = run(django_capture_on_commit_callbacks, officer, "tests.core.test_jobs.Letters", keys=["a"])
    response = client_for(officer).post(reverse("core:job_retry", args=[job.pk]), follow=True)
    assert "Seule une tâche en échec dont des documents manquent peut être relancée." in text(response)
    assert client_for(officer).get(reverse("core:job_retry", args=[job.pk])).status_code == 405


def test_a_retried_delivery_never_renders_twice(officer, django_capture_on_commit_callbacks):
    job = run(django_capture_on_commit_callbacks, officer, "tests.core.test_jobs.Letters", keys=["a", "b"])
    result_name = job.result.name
    RENDERS.clear()
    # The queue delivers the same tasks again (a worker died after its work, a broker retried).
    job_run.call(job.pk)
    for part in job.parts.all():
        job_part_run.call(part.pk)
    job.refresh_from_db()
    assert RENDERS == []
    assert dict(job.parts.values_list("key", "attempts")) == {"a": 1, "b": 1}
    assert job.parts.count() == 2 and job.result.name == result_name


def test_a_part_being_rendered_by_another_worker_is_left_to_it(officer):
    job = BackgroundJob.objects.create(
        owner=officer, label="a", func="tests.core.test_jobs.Letters", kwargs={"keys": ["a"]}, status="running"
    )
    part = BackgroundJobPart.objects.create(job=job, key="a", label="a", status=JobStatus.RUNNING, attempts=1)
    job_part_run.call(part.pk)
    part.refresh_from_db()
    assert (part.status, part.attempts, RENDERS) == (JobStatus.RUNNING, 1, [])


def test_a_job_with_no_part_is_assembled_at_once(officer, django_capture_on_commit_callbacks):
    job = run(django_capture_on_commit_callbacks, officer, "tests.core.test_jobs.Letters", keys=[])
    assert (job.status, job.total) == (JobStatus.DONE, 0)
    assert zip_of(job) == {}


def test_parts_wait_in_the_queue_until_a_worker_takes_them(officer, django_capture_on_commit_callbacks):
    if backend() == "immediate":
        pytest.skip("the immediate backend runs every task at once: nothing waits")
    with django_capture_on_commit_callbacks(execute=True):
        job = start(officer, "tests.core.test_jobs.Letters", keys=["a", "b"])
    assert queued_count() == 1  # the job itself
    drain(max_rounds=1)
    job.refresh_from_db()
    assert (job.status, job.total, job.done, queued_count()) == (JobStatus.RUNNING, 2, 0, 2)
    drain()
    job.refresh_from_db()
    assert (job.status, job.done, queued_count()) == (JobStatus.DONE, 2, 0)
