"""The documented backup and restore round-trip real data (README, "Backup and restore").

Both procedures are run on a register with its money — a club, members with household statuses
over time, one who left, contributions, a loan with repayments and a cancelled one — and the
restored database is compared with the original table by table, every row of every table.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

from tests.snapshots import db_snapshot

ROOT = Path(__file__).resolve().parents[1]
D = datetime.date
LAI_CHAU, TAN_UYEN = 12, 3598


def load_register() -> dict:
    """Real rows, written by the project's services, in the database Django is connected to."""
    from funds.models import EntryKind, FundKind, RatePeriod, RepaymentPlan, Source
    from funds.services import fund_entry_add, loan_disburse, loan_repay, repayment_reverse
    from members.models import Household, LeaveReason
    from members.services import household_status_set, member_leave
    from places.models import Commune, Province
    from tests.conftest import make_club, make_member

    province, _ = Province.objects.get_or_create(
        code=LAI_CHAU, defaults={"name": "Tỉnh Lai Châu", "division_type": "tỉnh", "codename": "lai_chau"}
    )
    commune, _ = Commune.objects.get_or_create(
        code=TAN_UYEN,
        defaults={"name": "Xã Tân Uyên", "division_type": "xã", "codename": "tan_uyen", "province": province},
    )
    club = make_club(
        commune,
        code="LCH-BK-01",
        name="CLB bản Thẳm",
        decision_date=D(2019, 4, 1),
        launched_on=D(2019, 5, 1),
    )
    people = []
    for number, name in enumerate(["Lò Thị Ánh", "Giàng A Páo", "Nguyễn Văn Đức"]):
        people.append(
            make_member(
                club,
                full_name=name,
                birth_year=1950 + number,
                citizen_id=f"01234567890{number}",
                phone=f"091234567{number}",
                joined_on=D(2019, 5, 1),
                household=Household.POOR if number == 0 else Household.NONE,
            )
        )
    household_status_set(member=people[0], status=Household.NEAR_POOR, valid_from=D(2023, 1, 1))
    household_status_set(member=people[1], status=Household.HARDSHIP, valid_from=D(2022, 6, 1))
    member_leave(member=people[2], left_on=D(2024, 9, 1), reason=LeaveReason.MOVED)
    income = club.funds.get(kind=FundKind.INCOME)
    fund_entry_add(
        fund=income,
        kind=EntryKind.CONTRIBUTION,
        amount=50_000_000,
        entry_date=D(2019, 6, 1),
        source=Source.STATE,
        recorded_by=None,
    )
    fund_entry_add(
        fund=income,
        kind=EntryKind.CONTRIBUTION,
        amount=1_200_000,
        entry_date=D(2019, 6, 1),
        source=Source.MEMBERS,
        member=people[0],
        recorded_by=None,
    )
    loan = loan_disburse(
        fund=income,
        member=people[0],
        disbursed_on=D(2024, 1, 10),
        principal=6_000_000,
        purpose="livestock",
        term_months=6,
        interest_rate="0.5",
        rate_period=RatePeriod.MONTH,
        plan=RepaymentPlan.EQUAL_MONTHLY,
        recorded_by=None,
    )
    loan_repay(loan=loan, paid_on=D(2024, 2, 10), principal=1_000_000, interest=30_000, recorded_by=None)
    mistake = loan_repay(loan=loan, paid_on=D(2024, 3, 10), principal=2_000_000, interest=0, recorded_by=None)
    repayment_reverse(repayment=mistake, note="Ghi nhầm số tiền", recorded_by=None)
    loan_repay(loan=loan, paid_on=D(2024, 3, 10), principal=1_000_000, interest=25_000, recorded_by=None)
    return summary()


def summary() -> dict:
    """What the pages would show of the register: read through the project's own selectors."""
    from clubs.models import Club
    from funds.selectors import fund_figures
    from members.models import Member
    from members.services import household_on

    on = D(2024, 12, 31)
    figures = fund_figures(Club.objects.filter(code="LCH-BK-01"), on)
    return {
        "members": [
            [m.full_name, m.citizen_id, household_on(m, on), m.is_active_on(on)]
            for m in Member.objects.filter(club__code="LCH-BK-01").order_by("full_name")
        ],
        "money": {key: figures[key] for key in ("capital", "cash", "outstanding", "borrowers")},
    }


def _django(database_url: str, function: str) -> dict:
    """Run one of this module's functions in a Django process on another database; its JSON result."""
    code = f"import django, json; django.setup(); from tests.test_backup import {function}; print(json.dumps({function}()))"
    return json.loads(_run([sys.executable, "-c", code], database_url).stdout.splitlines()[-1])


def _run(command: list[str], database_url: str) -> subprocess.CompletedProcess:
    env = os.environ | {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_REPLICA_URL", None)
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)


def _sqlite_tables(path: Path) -> dict[str, list]:
    """Every table's rows, and the schema (tables, indexes, triggers), of an SQLite file."""
    with closing(sqlite3.connect(path)) as db:
        schema = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        tables = [name for kind, name, _sql in schema if kind == "table"]
        rows = {name: db.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall() for name in tables}
    return {"schema": schema, **rows}


@pytest.mark.sqlite(reason="backs up and restores a SQLite file of its own")
def test_the_sqlite_file_backup_round_trips(tmp_path, migrated_sqlite_file):
    """The embedded default: a migrated file, filled through the services, `.backup` it while a
    writer holds it open, restore the copy over the file, and find every row as it was backed up."""
    live, backup = migrated_sqlite_file, tmp_path / "backup.sqlite3"
    url = f"sqlite:///{live}"
    written = _django(url, "load_register")
    before = _sqlite_tables(live)
    assert len(before["members_member"]) == 3 and len(before["funds_repayment"]) == 4
    assert before["members_historicalmember"] and before["members_householdstatus"]

    # A live database: another connection is in the middle of a write while the copy is taken.
    writer = sqlite3.connect(live)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE members_member SET village = 'Bản Mới'")
    if shutil.which("sqlite3"):
        subprocess.run(["sqlite3", str(live), f".backup {backup}"], check=True)  # as the README says
    else:
        with closing(sqlite3.connect(live)) as source, closing(sqlite3.connect(backup)) as target:
            source.backup(target)  # the same online backup API
    writer.commit()  # written after the backup: the restore must undo it
    writer.close()
    assert _sqlite_tables(live) != before

    shutil.copyfile(backup, live)  # restore: the app stopped, the copy put back over the file
    assert _sqlite_tables(live) == before
    # The restored file is a working database: no migration missing, the same register and money.
    _run([sys.executable, "manage.py", "migrate", "--check", "--verbosity", "0"], url)
    assert _django(url, "summary") == written
    assert written["money"] == {
        "capital": 51_255_000,
        "cash": 47_255_000,
        "outstanding": 4_000_000,
        "borrowers": 1,
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql(reason="pg_dump and pg_restore of the test database")
def test_pg_dump_and_pg_restore_round_trip(tan_uyen, tmp_path):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    written = load_register()
    settings = connection.settings_dict
    host, port, user = settings["HOST"] or "localhost", str(settings["PORT"] or 5432), settings["USER"]
    conn = ["-h", host, "-p", port, "-U", user]
    dump = tmp_path / "clb.dump"
    subprocess.run(["pg_dump", *conn, "-Fc", "-f", str(dump), settings["NAME"]], check=True)
    target = f"{settings['NAME']}_restored"
    subprocess.run(["dropdb", *conn, "--if-exists", target], check=True)
    subprocess.run(["createdb", *conn, target], check=True)
    try:
        subprocess.run(["pg_restore", *conn, "--no-owner", "-d", target, str(dump)], check=True)
        restored_url = f"postgres://{user}@{host}:{port}/{target}"
        if settings["PASSWORD"]:
            restored_url = f"postgres://{user}:{settings['PASSWORD']}@{host}:{port}/{target}"
        # Every row of every project table (rows counted and digested), places and history included.
        original = db_snapshot()
        restored = _django(restored_url, "db_snapshot")
        assert {table: list(value) for table, value in original.items()} == restored
        assert original["members.member"][0] == 3 and original["places.commune"][0] == 3321
        assert _django(restored_url, "summary") == written
    finally:
        subprocess.run(["dropdb", *conn, "--if-exists", target], check=True)
