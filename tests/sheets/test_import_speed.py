"""What the fast paths of the imports (issue 19) must not change: answers remembered per distinct cell
still give every row its own result and its own errors, and the queries do not grow with the rows."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from funds.models import FundEntry, Source
from funds.money import MAX_AMOUNT
from members.models import Household, Member
from sheets.engine import run_import
from tests.conftest import make_club
from tests.sheets.builders import write_xlsx

pytestmark = pytest.mark.django_db
D = datetime.date
MEMBER_HEADER = ["Họ và tên", "Năm sinh", "Giới tính", "Hoàn cảnh gia đình", "Dân tộc", "Số CCCD", "Mã CLB"]
CONTRIBUTION_HEADER = ["Mã CLB", "Quỹ", "Ngày", "Số tiền", "Nguồn", "Ghi chú"]


def _errors(report) -> list[tuple[int, str]]:
    return sorted((issue.row, issue.message) for issue in report.errors)


def test_one_club_code_written_three_ways_resolves_on_every_row(club, tmp_path):
    rows = [
        MEMBER_HEADER,
        ["Lò Thị Lan", 1950, "Nữ", "HN", "Thái", "", club.code],
        ["Lò Văn Páo", 1951, "Nam", "HN", "Thái", "", f"  {club.code.lower()} "],
        ["Tòng Thị Ánh", 1952, "Nữ", "hn", "Kinh", "", club.code.lower()],
    ]
    report = run_import("members", write_xlsx(tmp_path / "ds.xlsx", rows), commit=True)
    assert report.ok, report.errors
    assert set(Member.objects.values_list("full_name", "club_id", "household")) == {
        ("Lò Thị Lan", club.pk, Household.POOR),
        ("Lò Văn Páo", club.pk, Household.POOR),
        ("Tòng Thị Ánh", club.pk, Household.POOR),
    }


def test_an_error_remembered_for_a_cell_is_reported_on_every_row_that_has_it(club, tmp_path):
    rows = [
        MEMBER_HEADER,
        ["Lò Thị Lan", 1950, "Nữ", "giàu", "Thái", "", "KHONG-CO"],
        ["Lò Văn Páo", 1951, "Nam", "HN", "Thái", "", club.code],
        ["Tòng Thị Ánh", 1952, "Nữ", "giàu", "Thái", "", "KHONG-CO"],
        ["Tòng Văn Hai", 1953, "Nam", "HN", "Thái", "12345", club.code],
        ["Tòng Văn Ba", 1954, "Nam", "HN", "Thái", "12345", club.code],
    ]
    report = run_import("members", write_xlsx(tmp_path / "ds.xlsx", rows), commit=True)
    household = "“giàu” không phải hoàn cảnh gia đình hợp lệ"
    by_row = {}
    for issue in report.errors:
        by_row.setdefault(issue.row, []).append(issue.message)
    for row in (2, 4):  # the sheet's rows: the header is row 1
        assert any(m.startswith(household) for m in by_row[row]), by_row
        assert "Không có CLB mã “KHONG-CO” trong hệ thống." in by_row[row]
    for row in (5, 6):
        assert by_row[row] == ["Số CCCD phải gồm đúng 12 chữ số (ô có 5 chữ số)."]
    assert 3 not in by_row
    assert not report.committed and not Member.objects.exists()


def test_a_club_outside_the_area_is_refused_on_each_row_naming_it(club, tan_uyen, tmp_path):
    other = make_club(tan_uyen)
    rows = [MEMBER_HEADER] + [[f"Lò Thị Lan {n}", 1950, "Nữ", "", "", "", other.code] for n in range(3)]
    report = run_import(
        "members", write_xlsx(tmp_path / "ds.xlsx", rows), commit=True, club_ids=frozenset({club.pk})
    )
    assert _errors(report) == [(row, f"CLB “{other.code}” không thuộc địa bàn của bạn.") for row in (2, 3, 4)]


def _member_rows(club, count: int, start: int = 0) -> list[list]:
    return [MEMBER_HEADER] + [
        [f"Lò Thị Lan {n}", 1940 + n % 50, "Nữ" if n % 2 else "Nam", ["HN", "CN", ""][n % 3], "Thái",
         f"0{14_000_000_000 + n:011d}", club.code]
        for n in range(start, start + count)
    ]  # fmt: skip


def _queries(kind: str, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        report = run_import(kind, path, commit=True)
    assert report.committed, report.errors
    return len(captured.captured_queries)


def test_the_member_import_asks_as_many_queries_for_60_rows_as_for_6(club, tan_uyen, tmp_path):
    small = _queries("members", write_xlsx(tmp_path / "a.xlsx", _member_rows(club, 6)))
    other = make_club(tan_uyen)
    large = _queries("members", write_xlsx(tmp_path / "b.xlsx", _member_rows(other, 60, start=100)))
    assert large == small
    assert Member.objects.filter(club=other).count() == 60


def _contribution_rows(club, count: int, start: int = 0) -> list[list]:
    return [CONTRIBUTION_HEADER] + [
        [club.code, "Quỹ tăng thu nhập" if n % 2 else "Quỹ hoạt động", D(2024, 3, 1) + datetime.timedelta(days=n),
         100_000 * (n + 1), "Thành viên đóng góp", f"Lần {n}"]
        for n in range(start, start + count)
    ]  # fmt: skip


def test_the_contribution_import_asks_as_many_queries_for_60_rows_as_for_6(club, tmp_path):
    small = _queries("contributions", write_xlsx(tmp_path / "a.xlsx", _contribution_rows(club, 6)))
    large = _queries(
        "contributions", write_xlsx(tmp_path / "b.xlsx", _contribution_rows(club, 60, start=100))
    )
    assert large == small
    assert FundEntry.objects.filter(fund__club=club).count() == 66


def test_contributions_are_written_as_the_ledger_writes_them_with_their_history(club, staff, tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        _contribution_rows(club, 2) + [[club.code, "TTN", "05/03/2024", "2 triệu", "", " Ủng hộ "]],
    )
    HistoricalRecords.context.request = SimpleNamespace(user=staff)  # as an import job does (sheets.jobs)
    try:
        report = run_import("contributions", path, commit=True, user=staff)
    finally:
        del HistoricalRecords.context.request
    assert report.committed, report.errors
    entries = FundEntry.objects.filter(fund__club=club).order_by("entry_date", "amount")
    assert [(e.fund.kind, e.entry_date, e.amount, e.direction, e.source, e.note, e.recorded_by) for e in entries] == [
        ("activity", D(2024, 3, 1), 100_000, 1, Source.MEMBERS, "Lần 0", staff),
        ("income", D(2024, 3, 2), 200_000, 1, Source.MEMBERS, "Lần 1", staff),
        ("income", D(2024, 3, 5), 2_000_000, 1, Source.OTHER, "Ủng hộ", staff),
    ]  # fmt: skip
    for entry in entries:
        (record,) = entry.history.all()
        assert (record.history_type, record.history_user, record.amount, record.note) == (
            "+",
            staff,
            entry.amount,
            entry.note,
        )


def test_a_receipt_the_ledger_refuses_refuses_the_file_at_its_row(club, tmp_path):
    rows = _contribution_rows(club, 3)
    rows[2][3] = MAX_AMOUNT + 1
    report = run_import("contributions", write_xlsx(tmp_path / "a.xlsx", rows), commit=True)
    assert not report.committed
    assert [(issue.row, issue.column) for issue in report.errors] == [(3, "")]
    assert "Số tiền" in report.errors[0].message or "lớn" in report.errors[0].message
    assert not FundEntry.objects.filter(fund__club=club).exists()
