"""Bulk documents of the ARE run as background jobs (core.jobs): the request only starts them,
the officer follows the progress and downloads the result; nobody else can."""

import io
import zipfile

import pytest
from django.urls import reverse

from core.enums import JobStatus
from core.models import BackgroundJob
from lycee_aid import jobs, services
from tests.core.test_views import pdf_text
from tests.factories import UserFactory

from .test_views import html, job_result

pytestmark = pytest.mark.django_db


def test_the_zip_of_notifications_is_a_job_with_progress_per_pdf(
    client_for, are_officer, voted, django_capture_on_commit_callbacks
):
    client = client_for(are_officer)
    content = job_result(
        client, django_capture_on_commit_callbacks, reverse("lycee_aid:notifications_zip", args=[voted.pk])
    )
    job = BackgroundJob.objects.get()
    assert (job.owner, job.status, job.done, job.total) == (are_officer, JobStatus.DONE, 2, 2)
    assert job.func == "lycee_aid.jobs.notifications_zip_job" and job.kwargs == {"school_year_id": voted.pk}
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == [
        "notification-ARE-2023-2024-0750001A.pdf",
        "notification-ARE-2023-2024-0930003C.pdf",
    ]
    # A: pré-bac 36 × 151 + 24 × 54 = 6 732; post-bac round(35 × 0,4) = 14 × 151 = 2 114 → 8 846
    assert "8 846,00 €" in pdf_text(archive.read("notification-ARE-2023-2024-0750001A.pdf"))
    page = html(client.get(reverse("core:job_detail", args=[job.pk])))
    assert "Notifications ARE 2023-2024 (ZIP)" in page


def test_progress_is_reported_after_each_pdf(are_officer, voted):
    calls = []
    job = BackgroundJob.objects.create(owner=are_officer, label="x", func="lycee_aid.jobs.notifications_zip_job")
    name, content = jobs.notifications_zip_job(
        job=job, progress=lambda d, t: calls.append((d, t)), school_year_id=voted.pk
    )
    assert calls == [(1, 2), (2, 2)] and name == "notifications-are-2023-2024.zip" and content[:2] == b"PK"


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
    job = BackgroundJob.objects.create(owner=staff, label="x", func="lycee_aid.jobs.notifications_zip_job")
    _name, content = jobs.notifications_zip_job(job=job, progress=lambda d, t: None, school_year_id=voted.pk)
    assert zipfile.ZipFile(io.BytesIO(content)).namelist() == []
