import pytest
from django.urls import reverse

from core.enums import JobStatus
from core.jobs import job_start
from core.models import BackgroundJob


def sample_job(*, job, progress, count):
    for done in range(1, count + 1):
        progress(done, count)
    return "result.txt", f"{count} lines for {job.owner.username}".encode()


def failing_job(*, job, progress):
    raise RuntimeError("boom")


def start(owner, func, **kwargs):
    return job_start(owner=owner, label="Essai", func=func, kwargs=kwargs)


def test_a_job_runs_after_commit_and_keeps_its_result(officer, django_capture_on_commit_callbacks, client_for):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(officer, "tests.core.test_jobs.sample_job", count=3)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    client = client_for(officer)
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    assert "Télécharger le résultat" in page.content.decode()
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"3 lines for officer"


def test_a_failing_job_says_so_without_a_500(officer, django_capture_on_commit_callbacks, client_for):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(officer, "tests.core.test_jobs.failing_job")
    job.refresh_from_db()
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
    with django_capture_on_commit_callbacks(execute=True):
        job = start(officer, "tests.core.test_jobs.sample_job", count=1)
    other = client_for(staff_a)
    assert other.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    assert "Essai" not in other.get(reverse("core:jobs")).content.decode()


def test_htmx_polls_the_progress_partial_while_the_job_runs(officer, client_for):
    job = BackgroundJob.objects.create(
        owner=officer, label="En cours", func="x", status=JobStatus.RUNNING, done=1, total=4
    )
    html = client_for(officer).get(reverse("core:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "1 / 4" in html and "<html" not in html
