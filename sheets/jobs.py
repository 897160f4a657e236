"""Running an import job: small files in the request, large ones on the task backend.

A job is claimed by moving it out of 'queued' in one UPDATE, so a worker and the fallback below
never both run it. The fallback: when the database task backend is configured but no worker
has picked the job up after WORKER_GRACE_SECONDS, the page's status request runs it itself —
imports keep working on an installation where nobody started `manage.py db_worker`.

A running job holds a lease (settings.IMPORT_JOB_LEASE_SECONDS): while it runs, a heartbeat thread
touches `updated_at` every third of the lease. A worker killed mid-job (out of memory, a deploy, a
gunicorn timeout) stops touching it; the next look at the job (its page, its status request, a new
upload) finds the lease run out and marks it failed: "Lần nhập bị gián đoạn…, hãy tải tệp lên lại".
Nothing is half-written: the commit is one transaction, which the database rolls back with the
dead connection. Such a job is not retried automatically: the file that killed one worker (a
hostile spreadsheet, one too big for the machine) would kill the next one, and the next; the
person sees what happened and uploads again, which goes through the reader's bounds afresh.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.conf import settings
from django.db import connection
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
RUNNING = (JobStatus.QUEUED, JobStatus.ANALYSING, JobStatus.COMMITTING)


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
    with _heartbeat(job_id):
        return _run_claimed(job)


def lease_seconds() -> int:
    return getattr(settings, "IMPORT_JOB_LEASE_SECONDS", 300)


@contextmanager
def _heartbeat(job_id) -> Iterator[None]:
    """Touch the job every third of its lease while the block runs (see the module docstring)."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(max(lease_seconds() / 3, 0.05)):
                try:
                    ImportJob.objects.filter(pk=job_id, status__in=RUNNING).update(updated_at=timezone.now())
                except Exception:  # a busy database: the next beat tries again
                    logger.warning("Heartbeat of import job %s not written", job_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"import-job-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def job_expire_if_dead(job: ImportJob) -> bool:
    """Mark failed a running job whose lease ran out (its worker died). True if it did."""
    if job.status not in (JobStatus.ANALYSING, JobStatus.COMMITTING):
        return False
    cutoff = timezone.now() - datetime.timedelta(seconds=lease_seconds())
    expired = ImportJob.objects.filter(pk=job.pk, status=job.status, updated_at__lt=cutoff).update(
        status=JobStatus.FAILED,
        progress=0,
        stage=_(
            "Lần nhập bị gián đoạn (máy xử lý dừng giữa chừng); dữ liệu không thay đổi. Hãy tải tệp lên lại."
        ),
        updated_at=timezone.now(),
    )
    if expired:
        logger.warning("Import job %s: no heartbeat for %s s, marked failed", job.pk, lease_seconds())
        job.refresh_from_db()
    return bool(expired)


def _run_claimed(job: ImportJob) -> bool:
    job_id = job.pk
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
    """The fallback for a task backend without a worker, and the end of a job whose worker died (see
    the module docstring)."""
    if job_expire_if_dead(job):
        return
    grace = timezone.now() - datetime.timedelta(seconds=WORKER_GRACE_SECONDS)
    if job.status == JobStatus.QUEUED and job.updated_at < grace:
        job_run(job.pk)
        job.refresh_from_db()


def job_report(job: ImportJob) -> ImportReport | None:
    return ImportReport.from_dict(job.report) if job.report else None
