"""Running an import job: small files in the request, large ones on the task backend.

A job is claimed by moving it out of 'queued' in one UPDATE, so a worker and the fallback below
never both run it. The fallback: when the database task backend is configured but no worker
has picked the job up after WORKER_GRACE_SECONDS, the page's status request runs it itself —
imports keep working on an installation where nobody started `manage.py db_worker`.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from simple_history.models import HistoricalRecords

from clubs.access import area_of
from clubs.models import Club
from sheets.engine import run_import
from sheets.models import ImportJob, JobStatus
from sheets.report import ImportReport

logger = logging.getLogger(__name__)

INLINE_MAX_BYTES = 1024 * 1024  # about 10,000 rows of xlsx: a second or two, fine in a request
WORKER_GRACE_SECONDS = 20


@task()
def run_import_job(job_id: str) -> None:
    """The background task (django-tasks; settings.TASKS says which backend runs it)."""
    job_run(job_id)


def job_dispatch(job: ImportJob) -> None:
    """Run now when the file is small; otherwise hand the job to the task backend."""
    if job.file.size <= INLINE_MAX_BYTES:
        job_run(job.pk)
    else:
        run_import_job.enqueue(str(job.pk))


@contextmanager
def _history_names(user) -> Iterator[None]:
    """Outside a request (a task worker), the history the import writes through the services (loans,
    contributions) names the person who started the job, as it would in the request."""
    if user is None or getattr(HistoricalRecords.context, "request", None) is not None:
        yield
        return
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def importable_club_ids(user) -> frozenset[int] | None:
    """The clubs `user` may import into: their area, as the forms scope it (None: every club).
    Read again when the job runs, so an assignment removed after the preview counts at the commit."""
    if user is None or area_of(user).is_admin:
        return None
    # Not scope(): the national level reads every club but imports into none.
    writable = area_of(user).writable_q(*Club.scope_lookups)
    return frozenset(Club.objects.filter(writable).values_list("pk", flat=True))


def job_run(job_id) -> bool:
    """Analyse, or commit when confirmed, a queued job. False when someone else has taken it."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return False
    running = JobStatus.COMMITTING if job.commit_requested else JobStatus.ANALYSING
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=running, progress=1, updated_at=timezone.now()
    )
    if not claimed:
        return False
    last = {"percent": 0}

    def progress(percent: int, stage: str) -> None:
        if percent - last["percent"] >= 5 or percent == 100:
            last["percent"] = percent
            ImportJob.objects.filter(pk=job_id).update(
                progress=percent, stage=stage, updated_at=timezone.now()
            )

    try:
        with _history_names(job.created_by):
            report = run_import(
                job.kind,
                job.file.path,
                club=job.club,
                user=job.created_by,
                club_ids=importable_club_ids(job.created_by),
                commit=job.commit_requested,
                file_name=job.file_name,
                progress=progress,
            )
    except Exception:
        logger.exception("Import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            stage=_("Lỗi hệ thống khi xử lý tệp; dữ liệu không thay đổi. Hãy báo quản trị viên."),
        )
        return True
    if report.committed:
        status = JobStatus.DONE
    elif job.commit_requested and report.ok:
        status = JobStatus.DONE  # nothing was left to write
    else:
        status = JobStatus.READY if report.ok else JobStatus.INVALID
    ImportJob.objects.filter(pk=job_id).update(
        status=status,
        progress=100,
        stage="",
        report=report.to_dict(),
        committed_at=timezone.now() if report.committed else None,
    )
    return True


def job_confirm(job: ImportJob) -> bool:
    """Queue the commit of a job whose preview had nothing invalid."""
    updated = ImportJob.objects.filter(pk=job.pk, status=JobStatus.READY).update(
        status=JobStatus.QUEUED, commit_requested=True, progress=0, updated_at=timezone.now()
    )
    if updated:
        job.refresh_from_db()
        job_dispatch(job)
    return bool(updated)


def job_run_if_stalled(job: ImportJob) -> None:
    """The fallback for a task backend without a worker (see the module docstring)."""
    grace = timezone.now() - datetime.timedelta(seconds=WORKER_GRACE_SECONDS)
    if job.status == JobStatus.QUEUED and job.updated_at < grace:
        job_run(job.pk)
        job.refresh_from_db()


def job_report(job: ImportJob) -> ImportReport | None:
    return ImportReport.from_dict(job.report) if job.report else None
