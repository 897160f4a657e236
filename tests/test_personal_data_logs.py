"""Personal data (citizen ID, phone, health readings) is never written to the logs.

Two checks: the project's create / edit / import / error paths put none of it into any log record,
even at DEBUG (caplog sees every record before any handler); and what the configured handlers write
hides it where a library puts it there (a database error naming a duplicate key, SQL logged at DEBUG,
a user name typed at the login form), see config/log_filters.py.
"""

import io
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.log_filters import RedactPersonalData, redact
from members.models import Member
from members.sheets.engine import run_import
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


def _written(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    return text + (record.exc_text or "") + (record.stack_info or "")


def _leaks(records) -> list[str]:
    return [
        f"{record.name} {record.levelname}: {_written(record)[:300]}"
        for record in records
        if any(secret in _written(record) for secret in SECRETS)
    ]


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
    health = {"member": member.pk, "checked_on": "2025-03-05", "systolic": "162", "diastolic": "98"}
    assert web.post(reverse("life:health-check-add", args=[club.pk]), health).status_code == 302
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
            reverse("sheets:upload"), {"kind": "members", "club_code": club.code, "file": handle}
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
    old_stream = handler.setStream(buffer)
    root, django_logger = logging.getLogger(), logging.getLogger("django")
    levels = root.level, django_logger.level
    root.setLevel(logging.DEBUG)
    django_logger.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        handler.setStream(old_stream)
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
    from members.sheets import jobs
    from members.sheets.models import ImportJob, JobStatus

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


def test_redaction_keeps_what_is_not_a_personal_number():
    assert redact("Not Found: /members/12/ (0.005 s), 2.500.000 đ on 2025-03-05") == (
        "Not Found: /members/12/ (0.005 s), 2.500.000 đ on 2025-03-05"
    )
    assert redact(f"q={CITIZEN_ID}&phone=+84912345678 cmnd 123456789") == (
        "q=[số đã ẩn]&phone=[số đã ẩn] cmnd [số đã ẩn]"
    )
