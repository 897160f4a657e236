"""Personal data (citizen ID, phone, health readings) is never written to the logs.

Two checks: the project's create / edit / import / error paths put none of it into any log record,
even at DEBUG (caplog sees every record before any handler); and what the configured handlers write
hides it where a library puts it there (a database error naming a duplicate key, SQL logged at DEBUG,
a user name typed at the login form), see config/log_filters.py.
"""

import datetime
import importlib.util
import io
import logging
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.log_filters import RedactPersonalData, redact, redact_health_sql
from life.models import HealthCheck
from members.models import Member
from sheets.engine import run_import
from tests.conftest import make_member
from tests.sheets.builders import write_xlsx

pytestmark = pytest.mark.django_db

CITIZEN_ID = "038158000123"
PHONE = "0987654321"
NEW_PHONE = "0398765432"
IMPORTED_ID = "038160000777"
IMPORTED_PHONE = "0911222333"
BAD_ID = "03815800012"  # 11 digits: refused, and its message must not be logged either
SECRETS = (CITIZEN_ID, PHONE, NEW_PHONE, IMPORTED_ID, IMPORTED_PHONE, BAD_ID)
# Health readings, as typed: saved ones and refused ones (too high), whose messages must not be logged.
READINGS = {"weight_kg": "37,9", "systolic": "247", "diastolic": "151", "pulse": "213"}
REFUSED_READINGS = {"weight_kg": "263,7", "systolic": "291", "diastolic": "151", "pulse": ""}
# A weight is a number with a decimal, which nothing else logged looks like; blood pressure and pulse
# are plain numbers that an id or a duration may equal, so two of them in one line make a leak.
_WEIGHT = re.compile(r"(?<![\d.,])(?:37|263)[.,][79](?![\d])")
_READING = re.compile(r"(?<![\d.,])(247|151|213|291)(?![\d])")


def health_leak(text: str) -> bool:
    return bool(_WEIGHT.search(text)) or len(set(_READING.findall(text))) >= 2


def _written(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    return text + (record.exc_text or "") + (record.stack_info or "")


def _leaks(records) -> list[str]:
    return [
        f"{record.name} {record.levelname}: {_written(record)[:300]}"
        for record in records
        if any(secret in _written(record) for secret in SECRETS) or health_leak(_written(record))
    ]


def _meeting_sheet(member, readings: dict) -> dict:
    """The meeting-day sheet posted for one member: present, with the day's readings."""
    row = {f"m-0-{name}": value for name, value in readings.items()}
    return {
        "area": "2",
        "title": "",
        "description": "",
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "1",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "1000",
        "m-0-member": str(member.pk),
        "m-0-status": "present",
        **row,
    }


def _post_readings(web, club, member, day: datetime.date) -> None:
    """Readings saved and refused, through the health-check form and the meeting-day sheet."""
    add = reverse("life:health-check-add", args=[club.pk])
    health = {"member": member.pk, "checked_on": f"{day:%Y-%m-%d}", **READINGS}
    assert web.post(add, health).status_code == 302
    assert web.post(add, health | REFUSED_READINGS).status_code == 200
    sheet = reverse("life:meeting-day", args=[club.pk]) + f"?date={day + datetime.timedelta(days=1):%Y-%m-%d}"
    assert web.post(sheet, _meeting_sheet(member, READINGS)).status_code == 302
    assert web.post(sheet, _meeting_sheet(member, REFUSED_READINGS)).status_code == 200
    assert HealthCheck.objects.filter(member=member, systolic=247, diastolic=151, pulse=213).count() == 2


def _member_form(club, **fields) -> dict:
    data = {
        "club": club.pk,
        "full_name": "Lò Thị Ún",
        "birth_year": "1958",
        "sex": "F",
        "ethnicity": "2",
        "household": "poor",
        "joined_on": "2024-03-01",
        "citizen_id": CITIZEN_ID,
        "phone": PHONE,
    }
    return data | fields


def test_no_log_record_carries_personal_data(
    caplog, client_for, client, staff, other_staff, lai_chau_officer, admin_user, club, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    caplog.set_level(logging.DEBUG)
    logging.getLogger("django").setLevel(logging.DEBUG)
    try:
        _exercise_the_paths(
            client_for, client, staff, other_staff, lai_chau_officer, admin_user, club, tmp_path
        )
    finally:
        logging.getLogger("django").setLevel(logging.NOTSET)
    assert Member.objects.filter(citizen_id__in=[CITIZEN_ID, IMPORTED_ID]).count() == 2
    # The paths did log (404s, 403s, failed logins): the check below looked at real records.
    names = {record.name for record in caplog.records}
    assert {"django.request", "axes.handlers.database"} <= names, names
    assert _leaks(caplog.records) == []


def _exercise_the_paths(client_for, client, staff, other_staff, lai_chau_officer, admin_user, club, tmp_path):
    # Create, refuse (a duplicate citizen ID, a malformed one, a wrong phone), edit.
    web = client_for(staff)
    assert web.post(reverse("members:member-create"), _member_form(club)).status_code == 302
    member = Member.objects.get(citizen_id=CITIZEN_ID)
    duplicate = _member_form(club, full_name="Lò Văn Ún", sex="M")
    assert web.post(reverse("members:member-create"), duplicate).status_code == 200
    malformed = _member_form(club, full_name="Lò Văn Pọm", citizen_id=BAD_ID, phone="09876")
    assert web.post(reverse("members:member-create"), malformed).status_code == 200
    edit = _member_form(club, phone=NEW_PHONE)
    del edit["club"], edit["household"]
    assert web.post(reverse("members:member-edit", args=[member.pk]), edit).status_code == 302
    # Searching by citizen ID or phone, inside and outside the area; read-only and outsider writes.
    assert web.get(reverse("members:member-list"), {"q": CITIZEN_ID}).status_code == 200
    assert web.get(reverse("members:member-list"), {"q": NEW_PHONE}).status_code == 200
    _post_readings(web, club, member, datetime.date(2025, 3, 5))
    outsider = client_for(other_staff)
    assert outsider.get(reverse("members:member-detail", args=[member.pk])).status_code == 404
    assert outsider.post(reverse("members:member-edit", args=[member.pk]), edit).status_code == 404
    officer = client_for(lai_chau_officer)
    assert officer.post(reverse("members:member-edit", args=[member.pk]), edit).status_code == 403

    # Imports: by the engine, by the upload page (the job runs in the request), by the command.
    rows = [
        ["Họ và tên", "Năm sinh", "Giới tính", "CCCD", "SĐT"],
        ["Giàng Thị Mỷ", 1960, "Nữ", IMPORTED_ID, IMPORTED_PHONE],
    ]
    good = write_xlsx(tmp_path / "tot.xlsx", rows)
    assert run_import("members", good, club=club, user=admin_user, commit=True).committed
    bad_rows = [
        rows[0],
        ["Giàng Thị Mỷ", 1960, "Nữ", IMPORTED_ID, ""],
        ["Lò Văn Pọm", 1950, "Nam", BAD_ID, "09"],
    ]
    bad = write_xlsx(tmp_path / "loi.xlsx", bad_rows)
    report = run_import("members", bad, club=club, user=admin_user, commit=True)
    assert not report.ok
    with bad.open("rb") as handle:
        response = client_for(admin_user).post(
            reverse("sheets:upload"), {"kind": "members", "club": club.pk, "file": handle}
        )
    assert response.status_code == 302
    with pytest.raises(CommandError):
        call_command("import_members", str(bad), "--club", club.code, stdout=io.StringIO())

    # Failed logins (django-axes logs each one).
    client.logout()
    for _attempt in range(2):
        client.post(reverse("login"), {"username": staff.username, "password": "sai-mat-khau"})


def _project_handler() -> logging.Handler:
    handlers = [
        h for h in logging.getLogger().handlers if any(isinstance(f, RedactPersonalData) for f in h.filters)
    ]
    assert handlers, "settings.LOGGING must put RedactPersonalData on the root handler"
    return handlers[0]


@pytest.fixture
def written():
    """What the project's log handler writes, at DEBUG, while the test runs."""
    handler = _project_handler()
    buffer = io.StringIO()
    # Swapped without setStream(), which flushes the old stream: the stderr the handler was given
    # when Django configured logging may be a capture file pytest has closed since.
    with handler.lock:
        old_stream, handler.stream = handler.stream, buffer
    root, django_logger = logging.getLogger(), logging.getLogger("django")
    levels = root.level, django_logger.level
    root.setLevel(logging.DEBUG)
    django_logger.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        with handler.lock:
            handler.stream = old_stream
        root.setLevel(levels[0])
        django_logger.setLevel(levels[1])


def _duplicate_insert(**_kwargs):
    """What a race between two people saving the same citizen ID ends in: the database refuses."""
    with transaction.atomic():
        Member.objects.bulk_create([Member(club_id=_kwargs["member"].club_id, full_name="X", search_key="x",
                                           birth_year=1950, sex="F", joined_on="2024-01-01", citizen_id=CITIZEN_ID)])  # fmt: skip


def test_what_the_handlers_write_hides_personal_numbers(
    written, client_for, client, staff, admin_user, club, monkeypatch, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    member = make_member(club, citizen_id=CITIZEN_ID, phone=PHONE)
    other = make_member(club, full_name="Lò Văn Pọm", sex="M")
    # SQL at DEBUG carries its parameters.
    with CaptureQueriesContext(connection):
        assert Member.objects.filter(citizen_id=CITIZEN_ID, phone=PHONE).exists()
    # A 500: the database's refusal names the key ("Key (citizen_id)=(…)" on PostgreSQL).
    monkeypatch.setattr("members.services.member_update", _duplicate_insert)
    web = client_for(staff)
    web.raise_request_exception = False
    edit = {
        "full_name": "Lò Văn Pọm",
        "birth_year": "1950",
        "sex": "M",
        "ethnicity": "1",
        "joined_on": "2024-02-01",
    }
    assert web.post(reverse("members:member-edit", args=[other.pk]), edit).status_code == 500
    # An import job that fails on such an error.
    from sheets import jobs
    from sheets.models import ImportJob, JobStatus

    def refused(*args, **kwargs):
        raise IntegrityError(f"duplicate key value\nDETAIL:  Key (citizen_id)=({CITIZEN_ID}) already exists.")

    monkeypatch.setattr(jobs, "run_import", refused)
    job = ImportJob.objects.create(
        kind="members", file="sheets/x.xlsx", file_name="x.xlsx", created_by=admin_user
    )
    assert job.status == JobStatus.QUEUED and jobs.job_run(job.pk)
    # A phone number typed as the user name at the login form.
    client.post(reverse("login"), {"username": PHONE, "password": "sai-mat-khau"})

    output = written.getvalue()
    assert "Internal Server Error" in output and "Import job" in output and "AXES" in output
    assert "[số đã ẩn]" in output
    assert CITIZEN_ID not in output and PHONE not in output
    assert member.pk


def _refused_health_row(*, member, checked_on, **_kwargs):
    """A reading the database refuses (a negative pressure): PostgreSQL's DETAIL gives the whole row.
    (No reading is written out here: the traceback shows these lines.)"""
    with transaction.atomic():
        HealthCheck.objects.bulk_create(
            [
                HealthCheck(
                    member=member,
                    club_id=member.club_id,
                    checked_on=checked_on,
                    weight_kg=Decimal(READINGS["weight_kg"].replace(",", ".")),
                    systolic=-int(READINGS["systolic"]),
                    diastolic=int(READINGS["diastolic"]),
                    pulse=int(READINGS["pulse"]),
                )
            ]
        )


def test_what_the_handlers_write_hides_health_readings(written, client_for, staff, club, monkeypatch):
    member = make_member(club)
    web = client_for(staff)
    # SQL at DEBUG: the readings inserted, updated and read back, with their parameters.
    with CaptureQueriesContext(connection):
        _post_readings(web, club, member, datetime.date(2025, 4, 5))
    # A 500 on a row the database refuses.
    monkeypatch.setattr("life.views.health_check_add", _refused_health_row)
    web.raise_request_exception = False
    health = {"member": member.pk, "checked_on": "2025-04-20", **READINGS}
    assert web.post(reverse("life:health-check-add", args=[club.pk]), health).status_code == 500

    output = written.getvalue()
    assert "clubs_healthcheck" in output and "Internal Server Error" in output
    if connection.vendor == "postgresql":
        assert "Failing row contains ([đã ẩn])" in output
    assert [line for line in output.splitlines() if health_leak(line)] == []


def test_redaction_of_health_statements_and_refused_rows():
    insert = (
        '(0.002) INSERT INTO "clubs_healthcheck" ("member_id", "checked_on", "weight_kg", "systolic") '
        'VALUES (12, \'2025-03-05\'::date, 37.9, 247) RETURNING "clubs_healthcheck"."id"; '
        "args=(12, datetime.date(2025, 3, 5), Decimal('37.9'), 247); alias=default"
    )
    assert redact_health_sql(insert) == (
        '(0.002) INSERT INTO "clubs_healthcheck" ("member_id", "checked_on", "weight_kg", "systolic") '
        'VALUES ([đã ẩn], \'[đã ẩn]-[đã ẩn]-[đã ẩn]\'::date, [đã ẩn], [đã ẩn]) RETURNING "clubs_healthcheck"."id"; '
        "args=([đã ẩn], datetime.date([đã ẩn], [đã ẩn], [đã ẩn]), Decimal('[đã ẩn]'), [đã ẩn]); alias=default"
    )
    other = '(0.001) SELECT "funds_loan"."id" FROM "funds_loan" WHERE "funds_loan"."principal" > 1000000'
    assert redact_health_sql(other) == other
    refused = (
        'new row for relation "clubs_healthcheck" violates check constraint "x"\n'
        "DETAIL:  Failing row contains (7, 2025-04-20, 37.9, -247, 151, 213, , 3, 9, null, 5).\n"
        "Next line"
    )
    assert redact(refused) == (
        'new row for relation "clubs_healthcheck" violates check constraint "x"\n'
        "DETAIL:  Failing row contains ([đã ẩn]).\nNext line"
    )


def test_redaction_keeps_what_is_not_a_personal_number():
    assert redact("Not Found: /members/12/ (0.005 s), 2.500.000 đ on 2025-03-05") == (
        "Not Found: /members/12/ (0.005 s), 2.500.000 đ on 2025-03-05"
    )
    assert redact(f"q={CITIZEN_ID}&phone=+84912345678 cmnd 123456789") == (
        "q=[số đã ẩn]&phone=[số đã ẩn] cmnd [số đã ẩn]"
    )


def _gunicorn_settings(monkeypatch, access_log: Path):
    """config/gunicorn.py read as gunicorn reads it, with the access log turned on."""
    from gunicorn.config import Config

    monkeypatch.setenv("GUNICORN_ACCESS_LOG", str(access_log))
    path = Path(__file__).resolve().parents[1] / "config" / "gunicorn.py"
    spec = importlib.util.spec_from_file_location("__config__", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cfg = Config()
    for name, value in vars(module).items():
        if name in cfg.settings:
            cfg.set(name, value)
    return cfg


def test_gunicorns_access_log_hides_searches_and_personal_numbers(monkeypatch, tmp_path):
    access_log = tmp_path / "access.log"
    cfg = _gunicorn_settings(monkeypatch, access_log)
    logger = cfg.logger_class(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/members/?q={CITIZEN_ID}",
        "PATH_INFO": "/members/",
        "QUERY_STRING": f"q={CITIZEN_ID}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": f"https://clb.example.vn/members/?q={PHONE}",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = SimpleNamespace(status="200 OK", sent=5120, headers=[])
    try:
        logger.access(response, SimpleNamespace(headers=[]), environ, datetime.timedelta(milliseconds=40))
        # A number in the path itself (the format cannot leave the path out): the filter hides it.
        phone_path = environ | {
            "RAW_URI": f"/search/{PHONE}/",
            "PATH_INFO": f"/search/{PHONE}/",
            "QUERY_STRING": "",
        }
        logger.access(response, SimpleNamespace(headers=[]), phone_path, datetime.timedelta(milliseconds=40))
    finally:
        for log in (logger.error_log, logger.access_log):
            for handler in list(log.handlers):
                handler.close()
                log.removeHandler(handler)
            log.filters.clear()
    lines = access_log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert '"GET /members/ HTTP/1.1" 200 5120 "Mozilla/5.0"' in lines[0]
    assert '"GET /search/[số đã ẩn]/ HTTP/1.1"' in lines[1]
    assert CITIZEN_ID not in "\n".join(lines) and PHONE not in "\n".join(lines)
