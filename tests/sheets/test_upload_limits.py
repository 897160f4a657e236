"""Issue 15, item 8: a few uploads a minute per person, a few jobs at once, files not kept forever.

Before, the import endpoint took 40 uploads in 13 s and kept every file.
"""

import datetime
import os

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sheets.models import ImportJob, JobStatus
from tests.sheets.test_views import _upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_sixth_upload_in_a_minute_is_refused_with_429_and_writes_nothing(
    client_for, staff, club, tmp_path, settings
):
    settings.IMPORT_UPLOADS_PER_MINUTE = 5
    client = client_for(staff)
    for _ in range(5):
        assert _upload(client, tmp_path, club=club.pk).status_code == 302
    response = _upload(client, tmp_path, club=club.pk)
    assert response.status_code == 429
    assert "Bạn đã tải lên 5 tệp trong một phút vừa qua, tối đa là 5" in response.content.decode()
    assert ImportJob.objects.count() == 5
    # A minute later the same person may upload again.
    ImportJob.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=61))
    assert _upload(client, tmp_path, club=club.pk).status_code == 302


def test_jobs_still_running_hold_back_a_new_upload_until_they_go_stale(
    client_for, staff, club, tmp_path, settings
):
    settings.IMPORT_JOBS_RUNNING_PER_USER = 2
    settings.IMPORT_JOB_LEASE_SECONDS = 300
    client = client_for(staff)
    _upload(client, tmp_path, club=club.pk)
    _upload(client, tmp_path, club=club.pk)
    ImportJob.objects.update(
        status=JobStatus.ANALYSING, created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    response = _upload(client, tmp_path, club=club.pk)
    assert response.status_code == 429
    assert "Bạn đang có 2 lần nhập chưa xong (tối đa 2 cùng lúc)" in response.content.decode()
    assert ImportJob.objects.count() == 2
    # A job whose worker died (its lease, IMPORT_JOB_LEASE_SECONDS = 300, ran out) no longer counts.
    ImportJob.objects.update(updated_at=timezone.now() - datetime.timedelta(seconds=301))
    assert _upload(client, tmp_path, club=club.pk).status_code == 302


def test_clean_imports_deletes_done_files_at_once_and_the_others_after_the_days_kept(
    client_for, admin_user, club, tmp_path, settings
):
    settings.IMPORT_FILES_KEPT_DAYS = 30
    client = client_for(admin_user)
    done = ImportJob.objects.get(pk=_upload(client, tmp_path, club=club.pk).url.split("/")[-2])
    client.post(reverse("sheets:job-commit", args=[done.pk]))
    done.refresh_from_db()
    assert done.status == JobStatus.DONE
    waiting = ImportJob.objects.exclude(pk=done.pk).get(
        pk=_upload(client, tmp_path, club=club.pk).url.split("/")[-2]
    )
    assert waiting.status == JobStatus.READY
    recent = ImportJob.objects.get(pk=_upload(client, tmp_path, club=club.pk).url.split("/")[-2])
    running = ImportJob.objects.get(pk=_upload(client, tmp_path, club=club.pk).url.split("/")[-2])
    old = timezone.now() - datetime.timedelta(days=31)
    ImportJob.objects.filter(pk__in=[waiting.pk, running.pk]).update(created_at=old)
    ImportJob.objects.filter(pk=running.pk).update(status=JobStatus.COMMITTING)
    paths = {job.pk: job.file.path for job in ImportJob.objects.all()}

    call_command("clean_imports")

    gone = {pk for pk, path in paths.items() if not os.path.exists(path)}
    assert gone == {done.pk, waiting.pk}
    waiting.refresh_from_db()
    assert waiting.status == JobStatus.FAILED and "Hãy tải tệp lên lại" in waiting.stage
    assert not waiting.file
    recent.refresh_from_db()
    assert recent.file and recent.status == JobStatus.READY
    # The page of a job whose file is gone still answers, and its confirmation writes nothing.
    page = client.get(reverse("sheets:job", args=[waiting.pk]))
    assert page.status_code == 200
    response = client.post(reverse("sheets:job-commit", args=[waiting.pk]), follow=True)
    assert "Lần nhập này không còn chờ xác nhận" in response.content.decode()


def test_the_error_workbook_of_a_cleaned_job_says_to_upload_again(client_for, admin_user, club, tmp_path):
    from tests.sheets.builders import office_member_rows

    client = client_for(admin_user)
    data = office_member_rows()
    data[1][5] = "Giàu"
    job = ImportJob.objects.get(pk=_upload(client, tmp_path, data, club=club.pk).url.split("/")[-2])
    assert job.status == JobStatus.INVALID
    ImportJob.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    call_command("clean_imports")
    response = client.get(reverse("sheets:job-errors", args=[job.pk]), follow=True)
    assert response.status_code == 200
    assert "Tệp đã tải lên không còn được giữ (xóa sau 30 ngày)" in response.content.decode()
