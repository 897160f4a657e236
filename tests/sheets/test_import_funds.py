import datetime
from decimal import Decimal

import pytest

from funds.models import EntryKind, FundEntry, FundKind, Loan, Purpose, RatePeriod, Repayment, Source
from sheets.engine import run_import
from tests.conftest import make_member
from tests.funds.conftest import contribute, income
from tests.sheets.builders import write_csv, write_xlsx

pytestmark = pytest.mark.django_db
D = datetime.date
LOAN_HEADER = ["Mã CLB", "Họ và tên", "Năm sinh", "Số CCCD", "Ngày vay", "Số tiền vay", "Thời hạn (tháng)",
               "Lãi suất", "Mục đích", "Dư nợ"]  # fmt: skip


@pytest.fixture
def borrowers(club):
    # The fund's capital first: an opening balance may not make its cash negative (issue 15).
    contribute(income(club), 100_000_000, D(2020, 1, 1))
    return (
        make_member(club, full_name="Lường Thị Chơ", birth_year=1952, citizen_id="012345678901"),
        make_member(club, full_name="Giàng A Páo", birth_year=1949, sex="M"),
    )


def test_opening_loan_balances(club, borrowers, tmp_path):
    cho, pao = borrowers
    rows = [
        ["DANH SÁCH HỘ VAY VỐN QUỸ TĂNG THU NHẬP"], [],
        LOAN_HEADER,
        [club.code, "Lường Thị Chơ", 1952, "012345678901", "01/06/2025", "5.000.000", 12, "0,5%/tháng", "Nuôi lợn", "3.000.000"],
        [club.code.lower(), "GIANG A PAO", "1949", "", "15/3/2025", "10 triệu", "24 tháng", "6%/năm", "Trồng trọt", ""],
        ["", "Tổng cộng", "", "", "", "15.000.000", "", "", "", "13.000.000"],
    ]  # fmt: skip
    report = run_import("loans", write_xlsx(tmp_path / "vay.xlsx", rows), commit=True)
    assert report.ok, report.errors
    assert report.new == 2
    first = Loan.objects.get(member=cho)
    assert (first.principal, first.opening_repaid, first.term_months) == (5_000_000, 2_000_000, 12)
    assert (first.interest_rate, first.rate_period, first.purpose, first.purpose_text) == (
        Decimal("0.5"), RatePeriod.MONTH, Purpose.LIVESTOCK, "Nuôi lợn",
    )  # fmt: skip
    assert first.fund.kind == FundKind.INCOME and first.fund.club == club
    # loan_disburse built the schedule: the principal falls due at the end of the term.
    assert first.last_due_on == D(2026, 6, 1) and first.instalments.count() >= 1
    second = Loan.objects.get(member=pao)
    assert (second.principal, second.opening_repaid, second.rate_period) == (10_000_000, 0, RatePeriod.YEAR)
    again = run_import("loans", write_xlsx(tmp_path / "vay.xlsx", rows), commit=True)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)


def test_a_loan_for_someone_not_in_the_club_is_an_error(club, borrowers, tmp_path):
    rows = [
        LOAN_HEADER,
        [club.code, "Lò Văn Ai", 1950, "", "01/06/2025", "5.000.000", 12, "0", "Chăn nuôi", ""],
        [club.code, "Giàng A Páo", 1949, "", "01/06/2025", "5.000.000", 12, "0", "Chăn nuôi", "6.000.000"],
        [club.code, "Lường Thị Chơ", 1952, "", "01/06/2025", "5.000.000", 12, "0", "", ""],
    ]
    report = run_import("loans", write_xlsx(tmp_path / "vay.xlsx", rows), commit=True)
    assert not report.ok and Loan.objects.count() == 0
    messages = {e.row: (e.column, e.message) for e in report.errors}
    assert messages[2] == (
        "B (Họ và tên)",
        "CLB không có thành viên “Lò Văn Ai” sinh năm 1950: hãy nhập danh sách thành viên trước.",
    )
    assert messages[3] == ("J (Dư nợ)", "Dư nợ lớn hơn số tiền vay.")
    assert messages[4][0] == "I (Mục đích)" and "Thiếu mục đích vay" in messages[4][1]


def test_contributions_and_their_idempotent_reimport(club, tmp_path):
    rows = [
        ["Mã CLB", "Quỹ", "Ngày", "Số tiền", "Nguồn", "Ghi chú"],
        [club.code, "Quỹ tăng thu nhập", "15/03/2018", "100.000.000", "Tỉnh hỗ trợ", "Vốn ban đầu"],
        [club.code, "TTN", "20/03/2018", "131.600.000", "Thành viên", ""],
        [club.code, "Quỹ hoạt động", "2018-04-01", 2_000_000, "", "Nhà hảo tâm ủng hộ"],
    ]
    path = write_csv(tmp_path / "gop.csv", rows, delimiter=";")
    report = run_import("contributions", path, commit=True)
    assert report.ok, report.errors
    assert report.new == 3
    entries = FundEntry.objects.order_by("entry_date")
    assert [(e.fund.kind, e.amount, e.source, e.direction, e.kind) for e in entries] == [
        (FundKind.INCOME, 100_000_000, Source.STATE, 1, EntryKind.CONTRIBUTION),
        (FundKind.INCOME, 131_600_000, Source.MEMBERS, 1, EntryKind.CONTRIBUTION),
        (FundKind.ACTIVITY, 2_000_000, Source.OTHER, 1, EntryKind.CONTRIBUTION),
    ]
    assert run_import("contributions", path, commit=True).unchanged == 3
    assert FundEntry.objects.count() == 3


def test_a_loan_already_on_the_system_is_compared_by_todays_balance(club, borrowers, tmp_path):
    cho, _pao = borrowers
    rows = [
        LOAN_HEADER,
        [club.code, "Lường Thị Chơ", 1952, "", "01/06/2025", 5_000_000, 12, "", "Buôn bán nhỏ", 5_000_000],
    ]
    first = run_import("loans", write_xlsx(tmp_path / "vay.xlsx", rows), commit=True)
    assert first.committed, first.errors
    loan = Loan.objects.get()
    Repayment.objects.create(loan=loan, paid_on=D(2025, 7, 1), principal=1_000_000)
    rows[1][-1] = 4_000_000  # today's balance, after the repayment recorded here
    assert run_import("loans", write_xlsx(tmp_path / "vay.xlsx", rows), commit=True).unchanged == 1
    rows[1][-1] = 3_000_000
    report = run_import("loans", write_xlsx(tmp_path / "vay.xlsx", rows), commit=True)
    assert (
        "đã có trong hệ thống với thông tin khác (dư nợ: 4.000.000 đ → 3.000.000 đ)"
        in report.errors[0].message
    )


CONTRIBUTION_HEADER = ["Mã CLB", "Quỹ", "Ngày", "Số tiền", "Nguồn", "Ghi chú", "Số bút toán"]


def _receipt(fund):
    """A member's 50.000 đ, paid at the meeting of 2 March 2019."""
    return FundEntry.objects.create(fund=fund, entry_date=D(2019, 3, 2), kind=EntryKind.CONTRIBUTION,
                                    amount=50_000, direction=1, source=Source.MEMBERS)  # fmt: skip


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_receipts_alike_in_every_column_are_told_apart_by_their_entry_number(club, tmp_path, fmt):
    fund = club.funds.get(kind=FundKind.INCOME)
    first, second = _receipt(fund), _receipt(fund)
    member_receipt = [club.code, "Quỹ tăng thu nhập", "02/03/2019", "50.000", "Thành viên", ""]
    rows = [CONTRIBUTION_HEADER, [*member_receipt, first.pk], [*member_receipt, second.pk]]
    writer = write_xlsx if fmt == "xlsx" else write_csv
    report = run_import("contributions", writer(tmp_path / f"gop.{fmt}", rows), commit=True)
    assert report.ok, report.errors
    assert (report.new, report.unchanged) == (0, 2)
    # A third receipt typed under them, without a number: the one new entry.
    rows.append([*member_receipt, ""])
    report = run_import("contributions", writer(tmp_path / f"gop.{fmt}", rows), commit=True)
    assert report.ok, report.errors
    assert (report.new, report.unchanged) == (1, 2)
    assert FundEntry.objects.filter(amount=50_000).count() == 3


def test_rows_without_a_number_are_matched_by_how_many_are_alike(club, tmp_path):
    fund = club.funds.get(kind=FundKind.INCOME)
    _receipt(fund), _receipt(fund)
    rows = [CONTRIBUTION_HEADER[:-1], [club.code, "TTN", "02/03/2019", "50.000", "Thành viên", ""]]
    report = run_import("contributions", write_xlsx(tmp_path / "gop.xlsx", rows), commit=True)
    assert (report.ok, report.new, report.unchanged) == (True, 0, 1)
    rows.append(rows[-1])  # typed twice by hand: nothing tells the two apart
    report = run_import("contributions", write_xlsx(tmp_path / "gop.xlsx", rows), commit=True)
    assert [e.row for e in report.errors] == [2, 3] and "trùng với dòng" in report.errors[0].message
    assert FundEntry.objects.count() == 2


def test_a_numbered_row_must_be_its_entry_as_the_ledger_holds_it(club, other_club, tmp_path):
    fund = club.funds.get(kind=FundKind.INCOME)
    entry = _receipt(fund)
    elsewhere = _receipt(other_club.funds.get(kind=FundKind.INCOME))
    receipt = [club.code, "Quỹ tăng thu nhập", "02/03/2019"]
    rows = [
        CONTRIBUTION_HEADER,
        [*receipt, "60.000", "Thành viên", "", entry.pk],  # the amount edited in the export
        [*receipt, "50.000", "Thành viên", "", elsewhere.pk],  # another club's entry
        [*receipt, "50.000", "Thành viên", "", 99_999_999],
        [*receipt, "50.000", "Thành viên", "", "số 5"],
        [*receipt, "70.000", "Thành viên", "", 99_999_998],
        [*receipt, "80.000", "Thành viên", "", 99_999_998],
    ]
    report = run_import("contributions", write_xlsx(tmp_path / "gop.xlsx", rows), commit=True)
    assert not report.committed and FundEntry.objects.count() == 2
    errors = {e.row: (e.column, e.message) for e in report.errors}
    assert errors[2] == ("G (Số bút toán)", (
        f"Khoản đóng góp số {entry.pk} đã có trong sổ quỹ với thông tin khác (số tiền: 50.000 đ → 60.000 đ). "
        "Nhập từ bảng tính không sửa sổ quỹ: hãy ghi bút toán đảo trong sổ quỹ, hoặc để trống cột Số bút toán "
        "nếu đây là một khoản mới."
    ))  # fmt: skip
    assert errors[3][1].startswith(f"Sổ quỹ của CLB không có khoản đóng góp số {elsewhere.pk}.")
    assert errors[4][1].startswith("Sổ quỹ của CLB không có khoản đóng góp số 99999999.")
    assert errors[5] == ("G (Số bút toán)", "Số bút toán “số 5” không phải số nguyên.")
    assert errors[6][1] == "Số bút toán 99999998 trùng với dòng 7 của tệp." and 7 in errors
