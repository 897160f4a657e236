"""Imports before an approved period (issue 16): one row dated inside it refuses the whole file at the
preview, with its row number and the period's message; nothing is written. Rows already on the system
(a re-imported export) are not writes and pass; after the province reopens the period the file imports."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clubs.locks import period_reopen
from funds.models import EntryKind, FundEntry, FundKind, Loan
from members.models import Household, Member
from sheets.engine import run_import
from tests.conftest import make_member
from tests.funds.conftest import contribute, income
from tests.period_locks import INSIDE, OUTSIDE, lock_h1, snapshot
from tests.sheets.builders import write_xlsx

pytestmark = pytest.mark.django_db
D = datetime.date
CONTRIBUTION_HEADER = ["Mã CLB", "Quỹ", "Ngày", "Số tiền", "Nguồn", "Ghi chú"]
LOAN_HEADER = ["Mã CLB", "Họ và tên", "Năm sinh", "Số CCCD", "Ngày vay", "Số tiền vay", "Thời hạn (tháng)",
               "Lãi suất", "Mục đích", "Dư nợ"]  # fmt: skip
MEMBER_HEADER = ["STT", "Họ tên", "Năm sinh", "Nam/Nữ", "Hoàn cảnh gia đình", "Ngày tham gia"]


@pytest.fixture
def lock(club, tan_uyen, lai_chau_officer):
    return lock_h1(tan_uyen, lai_chau_officer)


def _assert_refused(report, rows: dict[int, str], day=INSIDE):
    assert not report.ok and not report.committed
    found = {e.row: e for e in report.errors}
    assert set(found) == set(rows)
    for row, column in rows.items():
        assert found[row].column == column
        message = found[row].message
        assert "2026-H1" in message and "Lò Văn Duyệt" in message and f"{day:%d/%m/%Y}" in message
        assert "không thể ghi hay sửa số liệu" in message


def test_a_contribution_file_with_one_row_in_the_period_writes_nothing(club, lock, lai_chau_officer, tmp_path):
    rows = [
        CONTRIBUTION_HEADER,
        [club.code, "TTN", f"{OUTSIDE:%d/%m/%Y}", "1.000.000", "Thành viên", "Tháng 7"],
        [club.code, "TTN", f"{INSIDE:%d/%m/%Y}", "2.000.000", "Thành viên", "Tháng 5"],
        [club.code, "Quỹ hoạt động", "01/08/2026", "500.000", "", "Tháng 8"],
    ]
    path = write_xlsx(tmp_path / "gop.xlsx", rows)
    before = snapshot()
    preview = run_import("contributions", path)
    _assert_refused(preview, {3: "C (Ngày)"})
    report = run_import("contributions", path, commit=True)
    _assert_refused(report, {3: "C (Ngày)"})
    assert snapshot() == before
    period_reopen(lock=lock, by=lai_chau_officer, reason="Xã nhập thiếu phiếu thu tháng 5")
    report = run_import("contributions", path, commit=True)
    assert report.committed and report.new == 3
    assert FundEntry.objects.filter(entry_date=INSIDE, amount=2_000_000).count() == 1


def test_contributions_already_in_the_ledger_are_not_writes_and_pass(club, lock, tmp_path):
    fund = club.funds.get(kind=FundKind.INCOME)
    FundEntry.objects.create(fund=fund, entry_date=INSIDE, kind=EntryKind.CONTRIBUTION, direction=1,
                             amount=2_000_000, source="members", note="Tháng 5")  # fmt: skip
    rows = [
        CONTRIBUTION_HEADER,
        [club.code, "TTN", f"{INSIDE:%d/%m/%Y}", "2.000.000", "Thành viên", "Tháng 5"],  # the same receipt
        [club.code, "TTN", f"{OUTSIDE:%d/%m/%Y}", "1.000.000", "Thành viên", "Tháng 7"],
    ]
    report = run_import("contributions", write_xlsx(tmp_path / "gop.xlsx", rows), commit=True)
    assert report.ok, report.errors
    assert (report.new, report.unchanged, report.committed) == (1, 1, True)


def test_a_loan_file_with_a_loan_disbursed_in_the_period_writes_nothing(club, lock, lai_chau_officer, tmp_path):
    # The fund's capital first: an opening balance may not make its cash negative (issue 15).
    contribute(income(club), 100_000_000, D(2020, 1, 1))
    make_member(club, full_name="Lường Thị Chơ", birth_year=1952, citizen_id="012345678901", joined_on=D(2020, 1, 1))
    make_member(club, full_name="Giàng A Páo", birth_year=1949, sex="M", joined_on=D(2020, 1, 1))
    rows = [
        LOAN_HEADER,
        [club.code, "Lường Thị Chơ", 1952, "012345678901", "01/07/2026", "5.000.000", 12, "0", "Nuôi lợn", ""],
        [club.code, "Giàng A Páo", 1949, "", "15/03/2026", "10.000.000", 24, "0", "Trồng trọt", ""],
    ]
    path = write_xlsx(tmp_path / "vay.xlsx", rows)
    before = snapshot()
    _assert_refused(run_import("loans", path, commit=True), {3: "E (Ngày vay)"}, D(2026, 3, 15))
    assert snapshot() == before and not Loan.objects.exists()
    period_reopen(lock=lock, by=lai_chau_officer, reason="Sửa sổ vay")
    assert run_import("loans", path, commit=True).new == 2


def test_a_member_file_is_refused_for_a_join_date_in_the_period_or_one_moved_out_of_it(
    club, tan_uyen, lai_chau_officer, tmp_path
):
    make_member(club, full_name="Lò Thị Lan", birth_year=1942, joined_on=D(2026, 2, 1))
    lock = lock_h1(tan_uyen, lai_chau_officer)
    rows = [
        MEMBER_HEADER,
        [1, "Tẩn Thị Vân", 1950, "Nữ", "HN", f"{INSIDE:%d/%m/%Y}"],  # joins inside the period
        [2, "Vàng Văn Khiêm", 1948, "Nam", "", f"{OUTSIDE:%d/%m/%Y}"],
        [3, "Lò Thị Lan", 1942, "Nữ", "", "01/08/2026"],  # her join date moved out of the period
    ]
    path = write_xlsx(tmp_path / "ds.xlsx", rows)
    before = snapshot()
    report = run_import("members", path, club=club, commit=True)
    assert not report.committed and snapshot() == before
    messages = {e.row: e.message for e in report.errors}
    assert set(messages) == {2, 4}
    assert f"{INSIDE:%d/%m/%Y}" in messages[2] and "01/02/2026" in messages[4]
    period_reopen(lock=lock, by=lai_chau_officer, reason="Sửa danh sách")
    report = run_import("members", path, club=club, commit=True)
    assert report.committed and (report.new, report.updated) == (2, 1)
    assert Member.objects.get(full_name="Tẩn Thị Vân").joined_on == INSIDE


def test_a_household_change_is_dated_today_and_passes(club, lock, tmp_path):
    make_member(club, full_name="Lò Thị Lan", birth_year=1942, joined_on=D(2020, 1, 1))
    rows = [MEMBER_HEADER[:5], [1, "Lò Thị Lan", 1942, "Nữ", "HN"]]
    report = run_import("members", write_xlsx(tmp_path / "ds.xlsx", rows), club=club, commit=True)
    assert report.committed, report.errors
    assert Member.objects.get(full_name="Lò Thị Lan").household == Household.POOR


def test_the_lock_is_one_query_for_a_whole_file(club, lock, tmp_path):
    rows = [CONTRIBUTION_HEADER] + [
        [club.code, "TTN", f"{D(2026, 1, 1) + datetime.timedelta(days=n):%d/%m/%Y}", "10.000", "Thành viên", f"{n}"]
        for n in range(60)
    ]
    path = write_xlsx(tmp_path / "gop.xlsx", rows)
    with CaptureQueriesContext(connection) as queries:
        report = run_import("contributions", path)
    assert report.invalid == 60
    assert sum("clubs_periodlock" in q["sql"] for q in queries.captured_queries) == 1


def test_writing_a_file_asks_the_lock_once_more_not_once_per_row(club, lock, tmp_path):
    rows = [CONTRIBUTION_HEADER] + [
        [club.code, "TTN", f"{D(2026, 7, 1) + datetime.timedelta(days=n):%d/%m/%Y}", "10.000", "Thành viên", f"{n}"]
        for n in range(40)
    ]  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        report = run_import("contributions", write_xlsx(tmp_path / "gop.xlsx", rows), commit=True)
    assert report.committed and report.new == 40
    # The preview's check, and the same check again inside the write's transaction.
    assert sum("clubs_periodlock" in q["sql"] for q in queries.captured_queries) == 2


def test_a_period_approved_between_the_preview_and_the_write_refuses_the_file(club, tan_uyen, lai_chau_officer):
    from sheets.period_locks import rows_checked
    from sheets.report import RowWriteError

    lock_h1(tan_uyen, lai_chau_officer)
    with pytest.raises(RowWriteError) as refused, rows_checked([(7, "", club.pk, OUTSIDE), (9, "", club.pk, INSIDE)]):
        pass
    assert refused.value.row == 9 and "2026-H1" in refused.value.message


def test_the_import_command_exits_1_naming_the_row_and_the_period(club, lock, tmp_path):
    from tests.sheets.test_commands import _run

    rows = [
        CONTRIBUTION_HEADER,
        [club.code, "TTN", f"{OUTSIDE:%d/%m/%Y}", "1.000.000", "Thành viên", "Tháng 7"],
        [club.code, "TTN", f"{INSIDE:%d/%m/%Y}", "2.000.000", "Thành viên", "Tháng 5"],
    ]
    before = snapshot()
    code, output = _run("import_contributions", str(write_xlsx(tmp_path / "gop.xlsx", rows)))
    assert code == 1
    assert "Dòng 3, cột C (Ngày): Kỳ báo cáo 2026-H1" in output and "Lò Văn Duyệt" in output, output
    assert snapshot() == before


def test_the_upload_page_shows_the_refused_rows_and_offers_no_confirm(
    client_for, admin_user, club, tan_uyen, lai_chau_officer, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from clubs.locks import period_lock
    from sheets.models import ImportJob, JobStatus
    from tests.sheets.builders import header_merges, office_sheet_rows

    settings.MEDIA_ROOT = tmp_path / "media"
    # The office sheet's members joined in 2018 (three) and 2019 (two): 2018 is approved.
    period_lock(commune=tan_uyen, label="2018", starts_on=D(2018, 1, 1), ends_on=D(2018, 12, 31), by=lai_chau_officer)
    path = write_xlsx(tmp_path / "ds.xlsx", office_sheet_rows(), merges=header_merges())
    client = client_for(admin_user)
    upload = SimpleUploadedFile("ds.xlsx", path.read_bytes())
    client.post(reverse("sheets:upload"), {"kind": "members", "file": upload, "club": club.pk})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID
    page = client.get(reverse("sheets:job", args=[job.pk])).content.decode()
    assert page.count("Kỳ báo cáo 2018 (01/01/2018–31/12/2018)") == 3 and "Xác nhận ghi" not in page
    assert client.post(reverse("sheets:job-commit", args=[job.pk])).status_code == 302
    assert not Member.objects.exists()
