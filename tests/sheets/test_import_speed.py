"""What the fast paths of the imports (issue 19) must not change: answers remembered per distinct cell
still give every row its own result and its own errors, and the queries do not grow with the rows."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from funds.models import FundEntry, Instalment, Loan, Purpose, RatePeriod, RepaymentPlan, Source
from funds.money import MAX_AMOUNT
from funds.services import loan_disburse
from members.models import Household, Member, Membership
from sheets.engine import run_import
from tests.conftest import make_club, make_member
from tests.funds.conftest import contribute, income
from tests.funds.totals_check import assert_totals_match_rows
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
    # The bulk write keeps the funds' running totals as fund_entry_add does (funds.totals).
    assert_totals_match_rows(list(club.funds.values_list("pk", flat=True)))


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


LOAN_HEADER = ["Mã CLB", "Họ và tên", "Năm sinh", "Số CCCD", "Ngày vay", "Số tiền vay", "Thời hạn (tháng)",
               "Lãi suất", "Mục đích", "Dư nợ"]  # fmt: skip


def _loan_fields(loan) -> dict:
    skip = {"id", "member", "recorded_at"}
    return {f.attname: getattr(loan, f.attname) for f in Loan._meta.concrete_fields if f.name not in skip}


def _schedule(loan) -> list[tuple]:
    return list(loan.instalments.order_by("number").values_list(
        "number", "due_on", "principal_due", "interest_due", "principal_due_cumulative", "paid_on"))  # fmt: skip


@pytest.mark.parametrize("outstanding", ["", "2.000.000", "0"])
def test_an_opening_loan_is_written_as_loan_disburse_writes_it(club, staff, tmp_path, outstanding):
    contribute(income(club), 100_000_000, D(2020, 1, 1))
    imported = make_member(club, full_name="Lường Thị Chơ", birth_year=1952)
    by_hand = make_member(club, full_name="Giàng A Páo", birth_year=1949, sex="M")
    rows = [LOAN_HEADER, [club.code, "Lường Thị Chơ", 1952, "", "01/06/2025", "5.000.000", 12, "0,5%/tháng",
                          "Chăn nuôi: mua lợn giống", outstanding]]  # fmt: skip
    HistoricalRecords.context.request = SimpleNamespace(user=staff)
    try:
        report = run_import("loans", write_xlsx(tmp_path / "vay.xlsx", rows), commit=True, user=staff)
        assert report.committed, report.errors
        paid = {"": 0, "2.000.000": 3_000_000, "0": 5_000_000}[outstanding]
        expected = loan_disburse(
            fund=income(club), member=by_hand, disbursed_on=D(2025, 6, 1), principal=5_000_000,
            purpose=Purpose.LIVESTOCK, purpose_text="mua lợn giống", term_months=12, interest_rate=Decimal("0.5"),
            rate_period=RatePeriod.MONTH, plan=RepaymentPlan.AT_END, opening_repaid=paid, check_cash=False,
            note=report_note(), recorded_by=staff,
        )  # fmt: skip
    finally:
        del HistoricalRecords.context.request
    loan = Loan.objects.get(member=imported)
    expected.refresh_from_db()
    assert _loan_fields(loan) == _loan_fields(expected)
    assert _schedule(loan) == _schedule(expected)
    history = lambda one: [  # noqa: E731
        (r.history_type, r.history_user, r.repaid_on, r.instalments_on_time, r.opening_repaid)
        for r in one.history.order_by("history_id")
    ]
    assert history(loan) == history(expected)
    assert len(history(loan)) == (2 if outstanding == "0" else 1)  # fully repaid: the derived fields' save


def report_note() -> str:
    return f"Dư nợ đầu kỳ nhập từ bảng tính ngày {datetime.date.today():%d/%m/%Y}"


def _loan_rows(club, members) -> list[list]:
    return [LOAN_HEADER] + [
        [club.code, m.full_name, m.birth_year, "", D(2025, 1, 1) + datetime.timedelta(days=n), 1_000_000 * (n % 5 + 1),
         12, "0,5", "Trồng trọt", "" if n % 2 else 500_000]
        for n, m in enumerate(members)
    ]  # fmt: skip


def test_the_loan_import_asks_as_many_queries_for_40_rows_as_for_4(club, tmp_path):
    contribute(income(club), 500_000_000, D(2020, 1, 1))
    people = Member.objects.bulk_create(
        Member(club=club, full_name=f"Lò Thị Lan {n}", search_key=f"lo thi lan {n}", birth_year=1950, sex="F",
               joined_on=D(2020, 1, 1))
        for n in range(44)
    )  # fmt: skip
    Membership.objects.bulk_create(Membership(member=m, club=club, joined_on=D(2020, 1, 1)) for m in people)
    small = _queries("loans", write_xlsx(tmp_path / "a.xlsx", _loan_rows(club, people[:4])))
    large = _queries("loans", write_xlsx(tmp_path / "b.xlsx", _loan_rows(club, people[4:])))
    assert large == small
    assert Loan.objects.filter(fund__club=club).count() == 44
    assert Instalment.objects.filter(loan__fund__club=club).count() == 44


def test_a_loan_the_service_refuses_refuses_the_file_at_its_row(club, tmp_path):
    contribute(income(club), 100_000_000, D(2020, 1, 1))
    make_member(club, full_name="Lường Thị Chơ", birth_year=1952)
    make_member(club, full_name="Giàng A Páo", birth_year=1949, sex="M")
    rows = [
        LOAN_HEADER,
        [club.code, "Lường Thị Chơ", 1952, "", "01/06/2025", "5.000.000", 12, "0,5", "Chăn nuôi", ""],
        [club.code, "Giàng A Páo", 1949, "", "01/06/2025", "5.000.000", 12, "0,5", "Chăn nuôi: =1+1", ""],
    ]
    report = run_import("loans", write_xlsx(tmp_path / "vay.xlsx", rows), commit=True)
    assert not report.committed
    assert [(issue.row, issue.column) for issue in report.errors] == [(3, "")]
    assert "=1+1" in report.errors[0].message
    assert not Loan.objects.exists()
