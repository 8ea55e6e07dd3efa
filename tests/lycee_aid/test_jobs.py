"""Bulk documents of the ARE run as background jobs (core.jobs): the request only starts them,
the officer follows the progress and downloads the result; nobody else can."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from core.enums import JobStatus
from core.models import BackgroundJob
from lycee_aid import jobs, services
from tests.core.test_views import pdf_text
from tests.factories import UserFactory
from tests.jobs import drain
from tests.utils import html

from .test_views import job_result

pytestmark = [pytest.mark.jobs, pytest.mark.django_db]


def test_the_zip_of_notifications_is_a_job_with_progress_per_pdf(
    client_for, are_officer, voted, django_capture_on_commit_callbacks
):
    client = client_for(are_officer)
    content = job_result(
        client, django_capture_on_commit_callbacks, reverse("lycee_aid:notifications_zip", args=[voted.pk])
    )
    job = BackgroundJob.objects.get()
    assert (job.owner, job.status, job.done, job.total) == (are_officer, JobStatus.DONE, 2, 2)
    assert job.func == "lycee_aid.jobs.NotificationsZip" and job.kwargs == {"school_year_id": voted.pk}
    # one part per lycée, each rendered once and stored
    assert list(job.parts.values_list("label", "status", "attempts", "filename")) == [
        ("0750001A", "done", 1, "notification-ARE-2023-2024-0750001A.pdf"),
        ("0930003C", "done", 1, "notification-ARE-2023-2024-0930003C.pdf"),
    ]
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == [
        "notification-ARE-2023-2024-0750001A.pdf",
        "notification-ARE-2023-2024-0930003C.pdf",
    ]
    # A: pré-bac 36 × 151 + 24 × 54 = 6 732; post-bac round(35 × 0,4) = 14 × 151 = 2 114 → 8 846
    assert "8 846,00 €" in pdf_text(archive.read("notification-ARE-2023-2024-0750001A.pdf"))
    page = html(client.get(reverse("core:job_detail", args=[job.pk])))
    assert "Notifications ARE 2023-2024 (ZIP)" in page


def test_the_officer_follows_the_count_of_notifications_done(
    client_for, are_officer, voted, django_capture_on_commit_callbacks
):
    """Progress is aggregated over the parts, whichever worker renders them."""
    client = client_for(are_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lycee_aid:notifications_zip", args=[voted.pk]))
    job = BackgroundJob.objects.get()
    if job.status == JobStatus.QUEUED:  # a real backend: the worker has not run yet
        drain(max_rounds=1)  # the job lists its parts
        job.refresh_from_db()
        assert (job.status, job.done, job.total) == (JobStatus.RUNNING, 0, 2)
        assert "En cours — 0 / 2" in html(client.get(reverse("core:job_detail", args=[job.pk])))
        drain(max_rounds=1)
        job.refresh_from_db()
        assert (job.status, job.done, job.total) == (JobStatus.RUNNING, 1, 2)
        assert "En cours — 1 / 2" in html(client.get(reverse("core:job_detail", args=[job.pk])))
        drain()
        job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (JobStatus.DONE, 2, 2, 100)


def test_a_second_click_follows_the_zip_already_being_built(client_for, are_officer, voted):
    client = client_for(are_officer)
    url = reverse("lycee_aid:notifications_zip", args=[voted.pk])
    first = client.post(url)  # no commit in this test: the job stays queued
    second = client.post(url, follow=True)
    job = BackgroundJob.objects.get()
    assert first["Location"] == reverse("core:job_detail", args=[job.pk])
    assert second.redirect_chain == [(reverse("core:job_detail", args=[job.pk]), 302)]
    assert "Une tâche identique est déjà en attente ou en cours" in html(second)


def test_only_the_officer_who_started_the_job_downloads_it(
    client_for, are_officer, are_staff_a, voted, django_capture_on_commit_callbacks
):
    job_result(
        client_for(are_officer),
        django_capture_on_commit_callbacks,
        reverse("lycee_aid:notifications_zip", args=[voted.pk]),
    )
    job = BackgroundJob.objects.get()
    colleague = UserFactory(username="are.officer.2", role="officer", schemes=["lycee_aid"])
    for user in (colleague, are_staff_a):
        client = client_for(user)
        assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_the_zip_is_refused_before_the_vote_and_starts_no_job(client_for, are_officer, computed):
    response = client_for(are_officer).post(reverse("lycee_aid:notifications_zip", args=[computed.pk]), follow=True)
    assert "disponibles après le vote" in html(response)
    assert not BackgroundJob.objects.exists()


def test_staff_cannot_start_the_jobs(client_for, are_staff_a, voted):
    client = client_for(are_staff_a)
    for name in ("notifications_zip", "campaign_pdf"):
        assert client.post(reverse(f"lycee_aid:{name}", args=[voted.pk])).status_code == 403
    assert not BackgroundJob.objects.exists()


def test_the_campaign_pdf_job_keeps_only_known_filters(
    client_for, are_officer, voted, django_capture_on_commit_callbacks
):
    client = client_for(are_officer)
    url = reverse("lycee_aid:campaign_pdf", args=[voted.pk])
    text = pdf_text(job_result(client, django_capture_on_commit_callbacks, url, "?academy=creteil&evil=1"))
    assert BackgroundJob.objects.get().kwargs == {"school_year_id": voted.pk, "filters": {"academy": "creteil"}}
    assert "1 812,00 €" in text and "8 846,00 €" not in text


def test_a_notification_of_a_lycee_the_owner_no_longer_sees_is_not_zipped(are_officer, voted):
    services.campaign_notify(actor=are_officer, school_year=voted)
    staff = UserFactory(username="outsider", role="lycee_staff")
    job = BackgroundJob.objects.create(owner=staff, label="x", func="lycee_aid.jobs.NotificationsZip")
    assert jobs.NotificationsZip().parts(job=job, school_year_id=voted.pk) == []
    officer_job = BackgroundJob.objects.create(owner=are_officer, label="x", func="lycee_aid.jobs.NotificationsZip")
    keys = jobs.NotificationsZip().parts(job=officer_job, school_year_id=voted.pk)
    assert [label for _key, label in keys] == ["0750001A", "0930003C"]
    with pytest.raises(ObjectDoesNotExist):  # a part is rendered only for what the owner sees
        jobs.NotificationsZip().render_part(job=job, key=keys[0][0], school_year_id=voted.pk)


LYCEES = 16


@pytest.fixture
def voted_many(are_officer, year, formations):
    """A voted year with LYCEES lycées, each with its own enrolments (so its own figures)."""
    from datetime import date

    from lycee_aid.models import Enrolment
    from tests.factories import SchoolFactory

    from .conftest import situate

    for i in range(LYCEES):
        school = SchoolFactory(
            code=f"07{i:05d}Z", name=f"Lycée {i}", country="FR", sector="public_eple", academy="paris"
        )
        Enrolment.objects.create(school=school, formation=formations["cap"], first_year_count=i + 1)
        situate(school, year)
    services.campaign_run(actor=are_officer, school_year=year)
    services.campaign_vote(actor=are_officer, school_year=year, reference="CP 2023-300", voted_on=date(2023, 7, 5))
    return year


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_drain_one_queue_and_every_pdf_comes_out_once(
    client_for, are_officer, voted_many, tmp_path, settings
):
    """Two real workers (`manage.py db_worker`, or `manage.py rqworker` on Redis) share the parts of
    one ZIP: every lycée's notification is rendered exactly once, none is missing, and the ZIP,
    assembled by whichever worker finished last, holds each PDF once with its own figures."""
    from django.core.files.storage import default_storage

    from tests.jobs import backend, start_workers, stop_workers, wait_until

    if backend() == "immediate":
        pytest.skip("needs a real queue: TASKS_BACKEND=database or rq (.ci/run)")
    settings.MEDIA_ROOT = str(tmp_path / "media")  # shared with the workers, empty: every file counted
    workers = start_workers(2, log_dir=tmp_path)
    try:
        response = client_for(are_officer).post(reverse("lycee_aid:notifications_zip", args=[voted_many.pk]))
        job = BackgroundJob.objects.get()
        assert response["Location"] == reverse("core:job_detail", args=[job.pk])
        finished = wait_until(
            lambda: BackgroundJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).exists(), timeout=180
        )
    finally:
        stop_workers(workers)
    logs = "\n".join(p.read_text() for p in sorted(tmp_path.glob("worker-*.log")))
    assert finished, logs
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, LYCEES, LYCEES), logs
    parts = list(job.parts.all())
    assert {p.attempts for p in parts} == {1}  # none rendered twice
    assert len({p.result.name for p in parts}) == LYCEES
    stored = default_storage.listdir(str(Path(parts[0].result.name).parent))[1]
    assert len([name for name in stored if name.startswith("notification-ARE-")]) == LYCEES  # no second copy
    pids = {w.pid for w in workers}
    used = {int(p.worker.rsplit(":", 1)[1]) for p in parts}
    assert used == pids, (used, pids)  # both workers took parts of the same queue
    with job.result.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    assert sorted(names) == sorted(f"notification-ARE-2023-2024-07{i:05d}Z.pdf" for i in range(LYCEES))
    assert len(names) == len(set(names)) == LYCEES
    # lycée 3 has 4 pupils in the CAP (pré-bac): 4 × 151 = 604,00 €; lycée 15: 16 × 151 = 2 416,00 €
    assert "604,00 €" in pdf_text(archive.read("notification-ARE-2023-2024-0700003Z.pdf"))
    assert "2 416,00 €" in pdf_text(archive.read("notification-ARE-2023-2024-0700015Z.pdf"))
