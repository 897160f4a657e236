"""What one person may upload, and how long uploaded files are kept (issue 15).

- IMPORT_UPLOADS_PER_MINUTE (default 5): uploads a person may start in a minute. Counted from the
  jobs table, so every app server sees the same count (no shared cache needed).
- IMPORT_JOBS_RUNNING_PER_USER (default 2): jobs of theirs being checked or written at once. A job
  whose lease ran out (no heartbeat for IMPORT_JOB_LEASE_SECONDS, sheets.jobs) no longer counts: its
  worker died, and the person must be able to start again.
- IMPORT_FILES_KEPT_DAYS (default 30): `manage.py clean_imports` (run it daily from cron) deletes
  the file of a job once it is finished and older than that; a job whose changes are written (done)
  loses its file at the next run, since nothing reads it again. A job never loses its file while it
  runs. A preview still waiting for its confirmation past the limit is closed ("hãy tải tệp lên
  lại"), as its file is gone.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sheets.jobs import lease_seconds
from sheets.models import ImportJob, JobStatus

RUNNING = (JobStatus.QUEUED, JobStatus.ANALYSING, JobStatus.COMMITTING)


def uploads_per_minute() -> int:
    return getattr(settings, "IMPORT_UPLOADS_PER_MINUTE", 5)


def jobs_running_per_user() -> int:
    return getattr(settings, "IMPORT_JOBS_RUNNING_PER_USER", 2)


def files_kept_days() -> int:
    return getattr(settings, "IMPORT_FILES_KEPT_DAYS", 30)


def upload_refusal(user) -> str | None:
    """Why `user` may not upload now (a Vietnamese sentence), or None."""
    now = timezone.now()
    mine = ImportJob.objects.filter(created_by=user)
    limit = uploads_per_minute()
    if mine.filter(created_at__gte=now - datetime.timedelta(minutes=1)).count() >= limit:
        return _(
            "Bạn đã tải lên %(count)s tệp trong một phút vừa qua, tối đa là %(count)s. Hãy đợi một phút rồi tải lên lại."
        ) % {"count": limit}
    running = jobs_running_per_user()
    alive = now - datetime.timedelta(seconds=lease_seconds())
    if mine.filter(status__in=RUNNING, updated_at__gte=alive).count() >= running:
        return _(
            "Bạn đang có %(count)s lần nhập chưa xong (tối đa %(count)s cùng lúc). Hãy đợi chúng xong rồi tải lên tệp mới."
        ) % {"count": running}
    return None


def clean_imports(*, days: int | None = None, dry_run: bool = False) -> tuple[int, int]:
    """Delete the files of finished jobs (see the module docstring). Returns (files deleted, previews closed)."""
    days = files_kept_days() if days is None else days
    cutoff = timezone.now() - datetime.timedelta(days=days)
    finished = ImportJob.objects.exclude(status__in=RUNNING).exclude(file="")
    done_or_old = finished.filter(status=JobStatus.DONE) | finished.filter(created_at__lt=cutoff)
    deleted = closed = 0
    for job in done_or_old.order_by("created_at").iterator():
        deleted += 1
        if dry_run:
            continue
        job.file.delete(save=False)
        update = {"file": ""}
        if job.status == JobStatus.READY:
            closed += 1
            update |= {
                "status": JobStatus.FAILED,
                "stage": _(
                    "Tệp đã được xóa sau %(days)s ngày mà chưa được xác nhận; dữ liệu không thay đổi. "
                    "Hãy tải tệp lên lại."
                )
                % {"days": days},
            }
        ImportJob.objects.filter(pk=job.pk).update(**update)
    return deleted, closed
