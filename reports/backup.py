"""One backup file with the database and the media files together, and its restore (issue 15).

The media hold what the database only points at: the frozen PDF of every submitted report
(reports.SubmittedReport.pdf) and the uploaded import files. A database restored without them
answers 500 on /reports/submitted/<id>/pdf/. So `manage.py backup` writes one tar archive:

    manifest.json        what is inside (database vendor, time, number of media files)
    database.dump        PostgreSQL: pg_dump -Fc            (or database.sqlite3: SQLite's online backup)
    media/...            every file under MEDIA_ROOT

The database is dumped first, then the media are copied: a PDF written in between is an extra file
(harmless), never a row pointing at a file the archive lacks. With S3 storage (S3_BUCKET) the media
live in the bucket, not here: the archive then holds the database only and says so; keep the bucket
versioned. `manage.py restore FILE --yes` puts both back (the database replaced in one transaction
on PostgreSQL; files extracted into MEDIA_ROOT, existing ones overwritten).

It lives in reports/, the top layer, because the files it must not lose are the reports' PDFs; it
imports no app.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1


class BackupError(Exception):
    """A Vietnamese sentence saying what went wrong; nothing was changed."""


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["-h", db["HOST"] or "localhost", "-p", str(db["PORT"] or 5432)]
    if db["USER"]:
        args += ["-U", db["USER"]]
    env = os.environ.copy()
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if not shutil.which(command[0]):
        raise BackupError(
            _("Không tìm thấy chương trình %(program)s (cài gói postgresql-client).")
            % {"program": command[0]}
        )
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            _("%(program)s báo lỗi; không có gì thay đổi: %(error)s")
            % {"program": command[0], "error": done.stderr.strip()[-500:]}
        )


def _media_on_disk() -> Path | None:
    return Path(settings.MEDIA_ROOT) if isinstance(default_storage, FileSystemStorage) else None


def backup(output: Path) -> dict:
    """Write the archive to `output`; returns its manifest."""
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(_("Không sao lưu được cơ sở dữ liệu loại %(vendor)s.") % {"vendor": vendor})
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        if vendor == "postgresql":
            database = Path(scratch) / "database.dump"
            args, env = _pg_args()
            _run(["pg_dump", *args, "-Fc", "-f", str(database), connection.settings_dict["NAME"]], env)
        else:
            database = Path(scratch) / "database.sqlite3"
            connection.ensure_connection()
            with closing(sqlite3.connect(database)) as target:
                connection.connection.backup(target)  # SQLite's online backup: consistent while others write
        media = _media_on_disk()
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media and media.exists() else []
        manifest = {
            "format": FORMAT,
            "database": vendor,
            "created_at": timezone.now().isoformat(),
            "media_files": len(files),
            "media": "included" if media else "S3_BUCKET: not included, keep the bucket versioned",
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media).as_posix()}", recursive=False)
        partial.replace(output)  # a backup cut short never looks like a whole one
    return manifest


def restore(archive_path: Path) -> dict:
    """Put the database and the media of an archive back; returns its manifest."""
    try:
        archive = tarfile.open(archive_path, "r")
    except (OSError, tarfile.TarError):
        raise BackupError(
            _("“%(file)s” không phải một tệp sao lưu đọc được.") % {"file": archive_path}
        ) from None
    with archive, tempfile.TemporaryDirectory() as scratch:
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
        except (KeyError, ValueError, AttributeError):
            raise BackupError(
                _("“%(file)s” không phải tệp do lệnh backup tạo ra (thiếu manifest.json).")
                % {"file": archive_path}
            ) from None
        if manifest.get("database") != connection.vendor:
            raise BackupError(
                _(
                    "Tệp sao lưu là của cơ sở dữ liệu %(saved)s, còn DATABASE_URL trỏ tới %(current)s: không khôi phục."
                )
                % {"saved": manifest.get("database"), "current": connection.vendor}
            )
        archive.extractall(scratch, filter="data")  # no path leaves the scratch directory
        scratch = Path(scratch)
        if connection.vendor == "postgresql":
            args, env = _pg_args()
            connection.close()
            _run(
                ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 "-d", connection.settings_dict["NAME"], str(scratch / "database.dump")],
                env,
            )  # fmt: skip
        else:
            connection.ensure_connection()
            with closing(sqlite3.connect(scratch / "database.sqlite3")) as source:
                source.backup(connection.connection)
            connection.close()
        media = _media_on_disk()
        if media is not None and (scratch / "media").exists():
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(scratch / "media", media, dirs_exist_ok=True)
    return manifest
