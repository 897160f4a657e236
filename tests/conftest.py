"""Shared fixtures: the real places, loaded once per test database, and named people.

People (commune codes are real, from vietnam-provinces):
- `admin_user`: the system administrator;
- `lai_chau_officer`: province officer of Lai Châu (12);
- `thanh_hoa_officer`: province officer of Thanh Hóa (38), an outsider to Lai Châu;
- `staff`: commune staff of Xã Tân Uyên (3598, Lai Châu);
- `other_staff`: commune staff of Xã Than Uyên (3595, Lai Châu), an outsider to Tân Uyên;
- `nobody`: a logged-in user with no assignment.
"""

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from clubs.models import Assignment, Role
from places.models import Commune, Province
from places.services import load_places

LAI_CHAU = 12
THANH_HOA = 38
TAN_UYEN = 3598
THAN_UYEN = 3595
PASSWORD = "a-long-test-password-1"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        _keep_the_migrated_sqlite_file(tmp_path_factory)
        call_command("load_places", verbosity=0, stdout=io.StringIO())
        _PLACES_COPY.update(_copy_places_out())


# On SQLite, the test database just made by the migrations, before anything is put in it: a test that
# needs a database file of its own, as `make run` makes one, starts from a copy (`migrated_sqlite_file`)
# instead of running every migration again in a subprocess (15–20 s each).
_MIGRATED_SQLITE: list[Path] = []


def _keep_the_migrated_sqlite_file(tmp_path_factory) -> None:
    import sqlite3
    from contextlib import closing

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    kept = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    with (
        closing(sqlite3.connect(connection.settings_dict["NAME"])) as source,
        closing(sqlite3.connect(kept)) as copy,
    ):
        source.backup(copy)
    _MIGRATED_SQLITE.append(kept)


@pytest.fixture
def migrated_sqlite_file(request, tmp_path) -> Path:
    """A new SQLite file with every migration applied and nothing else (the SQLite run only)."""
    import shutil

    request.getfixturevalue("django_db_setup")
    assert _MIGRATED_SQLITE, "only on the SQLite run: mark the test sqlite(reason=...)"
    path = tmp_path / "db.sqlite3"
    shutil.copyfile(_MIGRATED_SQLITE[0], path)
    return path


def _places_tables() -> list[str]:
    from places.models import LegacyCommune, LegacyDistrict, LegacyProvince

    models = [Province, Commune, LegacyProvince, LegacyDistrict, LegacyCommune]
    return [m._meta.db_table for m in models] + [LegacyCommune.current_communes.through._meta.db_table]


# The places as loaded once, kept in memory: putting them back after a transactional test's flush
# takes a tenth of a second instead of seconds through the package (load_places). On PostgreSQL in
# COPY's binary format; on SQLite as rows, put back with one executemany per table.
_PLACES_COPY: dict[str, Any] = {}


def _copy_places_out() -> dict[str, Any]:
    from django.db import connection

    copied: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in _places_tables():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                    copied[table] = b"".join(bytes(block) for block in copy)
            else:
                cursor.execute(f'SELECT * FROM "{table}"')
                columns = [column[0] for column in cursor.description]
                copied[table] = (columns, cursor.fetchall())
    return copied


def _copy_places_in() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for table in _places_tables():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                    copy.write(_PLACES_COPY[table])
            else:
                columns, rows = _PLACES_COPY[table]
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def pytest_configure(config):
    """On SQLite the test database is a file beside the one DATABASE_URL names, as `make run` has one.

    Django would keep it in memory, shared by every thread through one connection; in a file, the
    live server's thread has its own connection and the locks are SQLite's real ones, as under
    runserver. Measured: no slower. Each xdist worker adds its suffix (test_db.sqlite3_gw0…).
    """
    from django.conf import settings

    db = settings.DATABASES["default"]
    name = str(db.get("NAME") or "")
    if db["ENGINE"].endswith("sqlite3") and name and ":memory:" not in name and "mode=memory" not in name:
        test = db.setdefault("TEST", {})
        if not test.get("NAME"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)  # var/ on a fresh clone
            test["NAME"] = str(Path(name).with_name(f"test_{Path(name).name}"))


def pytest_sessionstart(session):
    """`make test` sets EXPECT_DB_VENDOR for each of its two runs: a run on the wrong database stops at once.

    Every test runs on both databases, so a run that silently fell back to the other one (a lost
    DATABASE_URL) would pass while checking nothing new.
    """
    from django.db import connection

    expected = os.environ.get("EXPECT_DB_VENDOR")
    if expected and connection.vendor != expected:
        raise pytest.UsageError(
            f"EXPECT_DB_VENDOR={expected}, but the tests would run on {connection.vendor}"
        )


# The longest tests (20–210 s each on this 2-core machine, `--durations` of `make test`), run first: xdist
# hands tests out in collection order, and one of them collected last (tests/test_migrations.py is, by
# name) left one worker alone with it for its whole length at the end of the run, the other core idle.
LONGEST_FIRST = (
    "tests/browser/test_every_button.py",
    "tests/scale/test_generate.py",  # one xdist group: its tests run one after the other on one worker
    "tests/funds/test_money_properties.py",
    "tests/test_migrations.py",
    "tests/reports/test_pdf_layout.py",
)


def _longest_first(item) -> int:
    return next((i for i, path in enumerate(LONGEST_FIRST) if item.nodeid.startswith(path)), len(LONGEST_FIRST))


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` need the server itself: on SQLite they are skipped, with their reason.
    Tests marked `sqlite` make their own SQLite file whatever the run's database: they run once, in the
    SQLite run (the same work again on the PostgreSQL run would test nothing more).
    The longest tests go first (LONGEST_FIRST); the others keep their order."""
    from django.db import connection

    items.sort(key=_longest_first)

    for item in items:
        for vendor in ("postgresql", "sqlite"):
            marker = item.get_closest_marker(vendor)
            if marker is None:
                continue
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            if not reason:
                raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{vendor}(reason=...) must say why")
            if connection.vendor != vendor:
                label = "PostgreSQL" if vendor == "postgresql" else "the SQLite run"
                item.add_marker(pytest.mark.skip(reason=f"needs {label}: {reason}"))


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread (LocaleMiddleware activates the
    language and nothing deactivates it): each test starts and ends in the default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashers take ~0.3 s per password by design; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _places_present(request, django_db_blocker):
    """Transactional tests end by emptying every table: put the places back before the next test needs them."""
    if "django_db_setup" in request.fixturenames:
        with django_db_blocker.unblock():
            places_present()


def places_present() -> None:
    """The places, put back if a transactional test's flush emptied them. Fixtures wider than a test
    (module scope) call it themselves: they are set up before the test's own `_places_present`."""
    if not Province.objects.exists():
        if _PLACES_COPY:
            _copy_places_in()
        else:
            # The function, not the command: tests limited to some apps cannot see the command.
            load_places()


def make_user(
    username: str, role: str | None = None, *, province: int | None = None, commune: int | None = None
):
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    elif role:
        Assignment.objects.create(
            user=user,
            role=role,
            province=Province.objects.get(code=province) if province else None,
            commune=Commune.objects.get(code=commune) if commune else None,
        )
    return user


@pytest.fixture
def lai_chau(db):
    return Province.objects.get(code=LAI_CHAU)


@pytest.fixture
def thanh_hoa(db):
    return Province.objects.get(code=THANH_HOA)


@pytest.fixture
def tan_uyen(db):
    return Commune.objects.get(code=TAN_UYEN)


@pytest.fixture
def than_uyen(db):
    return Commune.objects.get(code=THAN_UYEN)


@pytest.fixture
def thanh_hoa_commune(db):
    return Commune.objects.filter(province__code=THANH_HOA).order_by("code").first()


@pytest.fixture
def admin_user(db):
    return make_user("quantri", Role.ADMIN)


@pytest.fixture
def lai_chau_officer(db):
    return make_user("tinh.laichau", Role.PROVINCE_OFFICER, province=LAI_CHAU)


@pytest.fixture
def thanh_hoa_officer(db):
    return make_user("tinh.thanhhoa", Role.PROVINCE_OFFICER, province=THANH_HOA)


@pytest.fixture
def staff(db):
    return make_user("xa.tanuyen", Role.COMMUNE_STAFF, commune=TAN_UYEN)


@pytest.fixture
def other_staff(db):
    return make_user("xa.thanuyen", Role.COMMUNE_STAFF, commune=THAN_UYEN)


@pytest.fixture
def nobody(db):
    return make_user("chua.phan.cong")


@pytest.fixture
def client_for(client):
    """`client_for(user)`: a test client logged in as `user` (anonymous for None)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


def pytest_report_header(config):
    """The database this run tests, e.g. `database: postgresql at 127.0.0.1:5433` or `database: sqlite3 in memory`."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    workers = " (one test database per xdist worker)" if getattr(config.option, "numprocesses", None) else ""
    if "postgres" in db["ENGINE"]:
        return f"database: {engine} at {db.get('HOST') or 'local socket'}:{db.get('PORT') or ''}{workers}"
    test_name = (db.get("TEST") or {}).get("NAME")
    where = f"at {test_name}" if test_name else "in memory"
    return f"database: {engine} {where}{workers}"


# ---------------------------------------------------------------------------
# Factories for the register. Use them rather than building rows by hand, so that the
# history tables (Membership, HouseholdStatus) and the clubs' funds exist as in real use.
# ---------------------------------------------------------------------------

_codes = iter(range(1, 10**6))


def make_club(commune, *, code: str | None = None, name: str | None = None, **fields):
    import datetime

    from funds.services import club_found

    fields.setdefault("decision_date", datetime.date(2024, 1, 10))
    fields.setdefault("launched_on", datetime.date(2024, 2, 1))
    number = next(_codes)
    return club_found(
        code=code or f"T{commune.code}-{number:03d}",
        name=name or f"CLB thử nghiệm {number}",
        commune=commune,
        **fields,
    )


def make_member(club, *, full_name: str = "Nguyễn Thị Hoa", birth_year: int = 1955, sex: str = "F", **fields):
    import datetime

    from members.services import member_create

    fields.setdefault("joined_on", datetime.date(2024, 2, 1))
    return member_create(club=club, full_name=full_name, birth_year=birth_year, sex=sex, **fields)


@pytest.fixture
def club(tan_uyen):
    """A launched club in Xã Tân Uyên (the `staff` fixture's commune)."""
    return make_club(tan_uyen, code="LCH-TU-01", name="CLB LTHTGN bản Nà Cóc")


@pytest.fixture
def other_club(than_uyen):
    """A club in Xã Than Uyên: same province as `club`, outside `staff`'s area."""
    return make_club(than_uyen, code="LCH-THU-01", name="CLB LTHTGN bản Mè")


@pytest.fixture
def thanh_hoa_club(thanh_hoa_commune):
    return make_club(thanh_hoa_commune, code="THA-01", name="CLB LTHTGN thôn Đông")


@pytest.fixture
def member(club):
    return make_member(club, citizen_id="012345678901", phone="0912345678")


@pytest.fixture
def pdf_layout_skipped(monkeypatch):
    """For tests of who may open or submit a document, not of its pages (those are laid out and read back
    in tests/reports/test_pdf*.py and tests/papers): the HTML is still rendered from its template (a broken
    one still answers 500), only WeasyPrint's layout, a second or more per PDF, is left out."""
    import weasyprint

    monkeypatch.setattr(
        weasyprint.HTML, "write_pdf", lambda self, *args, **kwargs: b"%PDF-1.7 layout skipped"
    )
