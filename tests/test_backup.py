"""The documented backup and restore round-trip real data (README, "Backup and restore")."""

import datetime
import shutil
import sqlite3
import subprocess

import pytest
from django.db import connection

from members.models import Member
from tests.conftest import make_club, make_member


def _register(commune):
    club = make_club(
        commune,
        code="LCH-BK-01",
        name="CLB bản Thẳm",
        decision_date=datetime.date(2019, 4, 1),
        launched_on=datetime.date(2019, 5, 1),
    )
    for number, name in enumerate(["Lò Thị Ánh", "Giàng A Páo", "Nguyễn Văn Đức"]):
        make_member(club, full_name=name, birth_year=1950 + number, citizen_id=f"01234567890{number}")
    return club


@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_pg_restore_round_trip(tan_uyen, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL round trip needs PostgreSQL")
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    _register(tan_uyen)
    settings = connection.settings_dict
    conn = [
        "-h",
        settings["HOST"] or "localhost",
        "-p",
        str(settings["PORT"] or 5432),
        "-U",
        settings["USER"],
    ]
    dump = tmp_path / "clb.dump"
    subprocess.run(["pg_dump", *conn, "-Fc", "-f", str(dump), settings["NAME"]], check=True)
    target = f"{settings['NAME']}_restored"
    subprocess.run(["dropdb", *conn, "--if-exists", target], check=True)
    subprocess.run(["createdb", *conn, target], check=True)
    try:
        subprocess.run(["pg_restore", *conn, "--no-owner", "-d", target, str(dump)], check=True)
        query = (
            "SELECT c.code, m.full_name, m.citizen_id FROM members_member m JOIN clubs_club c ON c.id = m.club_id "
            "ORDER BY m.full_name"
        )
        restored = subprocess.run(
            ["psql", *conn, "-d", target, "-At", "-F", "|", "-c", query],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
        original = [
            f"{code}|{name}|{cid}"
            for code, name, cid in Member.objects.order_by("full_name").values_list(
                "club__code", "full_name", "citizen_id"
            )
        ]
        assert restored == original
        places = subprocess.run(
            ["psql", *conn, "-d", target, "-At", "-c", "SELECT count(*) FROM clubs_commune"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        assert places == "3321"
    finally:
        subprocess.run(["dropdb", *conn, "--if-exists", target], check=True)


def test_the_sqlite_file_backup_round_trips(tmp_path):
    """The embedded default: sqlite3's online backup copies a live database file consistently."""
    source_path, backup_path = tmp_path / "db.sqlite3", tmp_path / "backup.sqlite3"
    source = sqlite3.connect(source_path)
    source.execute("CREATE TABLE members_member (full_name TEXT, citizen_id TEXT)")
    source.executemany(
        "INSERT INTO members_member VALUES (?, ?)", [("Lò Thị Ánh", "012345678900"), ("Giàng A Páo", None)]
    )
    source.commit()
    with sqlite3.connect(backup_path) as backup:
        source.backup(backup)  # what `sqlite3 var/db.sqlite3 ".backup backup.sqlite3"` does
    source.close()
    restored = (
        sqlite3.connect(backup_path)
        .execute("SELECT full_name, citizen_id FROM members_member ORDER BY 1")
        .fetchall()
    )
    assert restored == [("Giàng A Páo", None), ("Lò Thị Ánh", "012345678900")]
