"""Issue 15, item 6: `manage.py backup` / `restore` carry the media with the database.

Before, the documented pg_dump round trip restored every table but not MEDIA_ROOT, where the frozen
PDFs of submitted reports live: after a restore /reports/submitted/1/pdf/ answered 500. Here a
report is submitted with its PDF, backed up, and restored onto a new database and an empty media
directory; the restored site serves the very same PDF.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
PDF = b"%PDF-1.4\n% bao cao quy 4 Lai Chau\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load_submitted() -> dict:
    """A submitted report with its frozen PDF, and an admin to open it (run in the database in use)."""
    import datetime

    from django.core.files.base import ContentFile

    from clubs.models import Role
    from places.models import Province
    from reports.models import SubmittedReport
    from tests.conftest import make_user

    province, _ = Province.objects.get_or_create(
        code=12, defaults={"name": "Tỉnh Lai Châu", "division_type": "tỉnh", "codename": "lai_chau"}
    )
    admin = make_user("quantri.sao.luu", Role.ADMIN)
    report = SubmittedReport(
        province=province,
        as_of=datetime.date(2025, 12, 31),
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        figures={"clubs": 3},
        submitted_by=admin,
    )
    report.pdf.save("bao-cao.pdf", ContentFile(PDF), save=False)
    report.save()
    return {"pk": report.pk, "sha": hashlib.sha256(PDF).hexdigest()}


def open_submitted_pdf() -> dict:
    """What the page /reports/submitted/<pk>/pdf/ gives the admin."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from reports.models import SubmittedReport

    client = Client(raise_request_exception=False, HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="quantri.sao.luu"))
    response = client.get(reverse("reports:submitted-pdf", args=[SubmittedReport.objects.get().pk]))
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return {"status": response.status_code, "sha": hashlib.sha256(body).hexdigest()}


def _run(argv: list[str], database_url: str, media: Path) -> subprocess.CompletedProcess:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _django(function: str, database_url: str, media: Path) -> dict:
    code = f"import django, json; django.setup(); from tests.test_backup_media import {function}; print(json.dumps({function}()))"
    return json.loads(_run([sys.executable, "-c", code], database_url, media).stdout.splitlines()[-1])


def _manage(*argv: str, database_url: str, media: Path) -> str:
    return _run([sys.executable, "manage.py", *argv], database_url, media).stdout


@pytest.mark.sqlite(reason="backs up and restores a SQLite file of its own")
def test_sqlite_backup_and_restore_bring_back_the_frozen_pdf(tmp_path, migrated_sqlite_file):
    url, media = f"sqlite:///{migrated_sqlite_file}", tmp_path / "media"
    written = _django("load_submitted", url, media)
    archive = tmp_path / "sao-luu.tar"
    out = _manage("backup", str(archive), database_url=url, media=media)
    assert "1 tệp đính kèm" in out
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "database.sqlite3" in names and any(n.startswith("media/reports/submitted/12/") for n in names)

    # The machine is lost: a new database file and an empty media directory.
    new_url, new_media = f"sqlite:///{tmp_path / 'moi.sqlite3'}", tmp_path / "media-moi"
    out = _manage("restore", str(archive), "--yes", database_url=new_url, media=new_media)
    assert "Đã khôi phục cơ sở dữ liệu (sqlite" in out
    _manage("migrate", "--check", "--verbosity", "0", database_url=new_url, media=new_media)
    assert _django("open_submitted_pdf", new_url, new_media) == {"status": 200, "sha": written["sha"]}
    # What the README's database-only procedure gave: the row without its file, a 500.
    shutil.rmtree(new_media)
    assert _django("open_submitted_pdf", new_url, new_media)["status"] == 500


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql(reason="pg_dump and pg_restore of the test database")
def test_postgresql_backup_and_restore_bring_back_the_frozen_pdf(tmp_path, settings):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    settings.MEDIA_ROOT = tmp_path / "media"
    written = load_submitted()
    archive = tmp_path / "sao-luu.tar"
    call_command("backup", str(archive))

    db = connection.settings_dict
    host, port, user = db["HOST"] or "localhost", str(db["PORT"] or 5432), db["USER"]
    conn = ["-h", host, "-p", port, "-U", user]
    target = f"{db['NAME']}_restored_media"
    subprocess.run(["dropdb", *conn, "--if-exists", target], check=True)
    subprocess.run(["createdb", *conn, target], check=True)
    try:
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        restored_url = f"postgres://{user}{password}@{host}:{port}/{target}"
        new_media = tmp_path / "media-moi"
        out = _manage("restore", str(archive), "--yes", database_url=restored_url, media=new_media)
        assert "Đã khôi phục cơ sở dữ liệu (postgresql" in out
        assert _django("open_submitted_pdf", restored_url, new_media) == {
            "status": 200,
            "sha": written["sha"],
        }
    finally:
        subprocess.run(["dropdb", *conn, "--if-exists", target], check=True)


def test_restore_asks_for_yes_and_refuses_what_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="chạy lại với --yes"):
        call_command("restore", str(tmp_path / "x.tar"))
    text = tmp_path / "khong-phai.tar"
    text.write_text("xin chào")
    with pytest.raises(CommandError, match="không phải một tệp sao lưu đọc được"):
        call_command("restore", str(text), "--yes")
