"""Issue 15, item 2: a job whose worker died is shown as failed, and the person can start again.

A real worker is killed: a separate process runs the job (`job_run`, as `manage.py db_worker` does)
and is sent SIGKILL while it checks the file, or while its write transaction is open. Before, the job
stayed "Đang kiểm tra 1%" / "Đang ghi 75%" forever and confirming again answered "Lần nhập này không
còn chờ xác nhận".
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files import File
from django.urls import reverse

from members.models import Member
from sheets.models import ImportJob, JobStatus
from tests.sheets.builders import write_xlsx

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]

# The worker: runs the job with one step made slow (after the rows are written, inside the transaction;
# or while the rows are checked), so that it is surely killed in the middle of it.
_WORKER = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from sheets import engine, kinds
from sheets.jobs import job_run
stage = sys.argv[2]
if stage == "committing":
    module = kinds.KINDS["members"]
    write = module.write
    def slow_write(plan, context):
        write(plan, context)
        print("written", flush=True)
        time.sleep(120)
    module.write = slow_write
else:
    clean_rows = engine._clean_rows
    def slow_clean(*args):
        print("checking", flush=True)
        time.sleep(120)
        return clean_rows(*args)
    engine._clean_rows = slow_clean
job_run(sys.argv[1])
"""


def _database_url() -> str:
    db = django_settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _start_worker(job: ImportJob, stage: str, media: Path) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(media),
        "IMPORT_JOB_LEASE_SECONDS": "300",
    }
    return subprocess.Popen(
        [sys.executable, "-c", _WORKER, str(job.pk), stage],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("stage", ["analysing", "committing"])
def test_a_killed_worker_leaves_a_failed_job_and_nothing_written(
    stage, client_for, admin_user, club, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [["Họ và tên", "Năm sinh", "Giới tính"], ["Lò Thị Lan", 1950, "Nữ"], ["Lò Văn Páo", 1948, "Nam"]]
    path = write_xlsx(tmp_path / "ds.xlsx", rows)
    job = ImportJob(kind="members", file_name="ds.xlsx", club=club, created_by=admin_user,
                    commit_requested=stage == "committing")  # fmt: skip
    with path.open("rb") as handle:
        job.file.save("ds.xlsx", File(handle), save=False)
    job.save()
    members_before = Member.objects.count()

    worker = _start_worker(job, stage, settings.MEDIA_ROOT)
    try:
        assert worker.stdout.readline().strip() == ("written" if stage == "committing" else "checking")
        job.refresh_from_db()
        assert job.status == stage
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(timeout=30)
        worker.stdout.close()

    assert Member.objects.count() == members_before  # the open transaction died with the worker
    client = client_for(admin_user)
    # Within its lease the job still counts as running ...
    assert client.get(reverse("sheets:job-status", args=[job.pk])).json()["running"] is True
    # ... and once the lease has run out without a heartbeat, it has failed, saying what to do.
    settings.IMPORT_JOB_LEASE_SECONDS = 1
    time.sleep(1.2)
    status = client.get(reverse("sheets:job-status", args=[job.pk])).json()
    assert (status["status"], status["running"]) == ("failed", False)
    assert "Lần nhập bị gián đoạn" in status["stage"] and "Hãy tải tệp lên lại" in status["stage"]
    page = client.get(reverse("sheets:job", args=[job.pk])).content.decode()
    assert "Lần nhập bị gián đoạn (máy xử lý dừng giữa chừng); dữ liệu không thay đổi." in page
    assert Member.objects.count() == members_before


def test_a_running_job_keeps_its_lease_by_its_heartbeat(club, admin_user, tmp_path, settings, monkeypatch):
    """A job that runs longer than its lease is not taken for dead: the heartbeat touches it."""
    from sheets import engine, jobs

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_JOB_LEASE_SECONDS = 0.6
    path = write_xlsx(
        tmp_path / "ds.xlsx", [["Họ và tên", "Năm sinh", "Giới tính"], ["Lò Thị Lan", 1950, "Nữ"]]
    )
    job = ImportJob(kind="members", file_name="ds.xlsx", club=club, created_by=admin_user)
    with path.open("rb") as handle:
        job.file.save("ds.xlsx", File(handle), save=False)
    job.save()
    seen = []
    clean_rows = engine._clean_rows

    def slow_clean(*args):
        for _ in range(3):
            time.sleep(0.5)
            running = ImportJob.objects.get(pk=job.pk)
            seen.append(jobs.job_expire_if_dead(running))
        return clean_rows(*args)

    monkeypatch.setattr(engine, "_clean_rows", slow_clean)
    assert jobs.job_run(job.pk)
    job.refresh_from_db()
    assert seen == [False, False, False]
    assert job.status == JobStatus.READY
