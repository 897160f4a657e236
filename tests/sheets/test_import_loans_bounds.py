"""Issue 15, item 5: the loan import checks at preview what the loan form checks.

Before, a term of −3 months and a principal of 1e20 passed the preview and failed at the commit (the
latter with a raw validator message printed twice), 1e15 đ was accepted, and an opening balance that
made the fund's cash negative (−49,98 tỷ đ) was accepted — and `funds_check` still exited 0.
"""

import datetime

import pytest
from django.core.management import CommandError, call_command

from funds.models import Loan, RepaymentPlan
from funds.money import MoneyField
from funds.services import loan_disburse
from sheets.engine import run_import
from tests.conftest import make_member
from tests.funds.conftest import contribute, income
from tests.sheets.builders import write_xlsx
from tests.snapshots import db_snapshot

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = ["Mã CLB", "Họ và tên", "Năm sinh", "Số CCCD", "Ngày vay", "Số tiền vay", "Thời hạn (tháng)", "Lãi suất",
          "Mục đích", "Dư nợ"]  # fmt: skip
TOO_LARGE = "vượt quá giới hạn 10.000.000.000 đ cho một lần ghi"


@pytest.fixture
def borrower(club):
    return make_member(club, full_name="Lường Thị Chơ", birth_year=1952, citizen_id="012345678901")


def _row(club, principal="5.000.000", term=12, outstanding=""):
    return [
        club.code,
        "Lường Thị Chơ",
        1952,
        "012345678901",
        "01/06/2025",
        principal,
        term,
        "0",
        "Chăn nuôi",
        outstanding,
    ]


def _preview(tmp_path, *rows, commit=False):
    return run_import("loans", write_xlsx(tmp_path / "vay.xlsx", [HEADER, *rows]), commit=commit)


@pytest.mark.parametrize("term", [-3, 0, 121])
def test_a_term_outside_1_to_120_months_is_refused_at_preview(club, borrower, tmp_path, term):
    contribute(income(club), 100_000_000, D(2025, 1, 1))
    before = db_snapshot()
    report = _preview(tmp_path, _row(club, term=term), commit=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "G (Thời hạn (tháng))", "Thời hạn vay phải từ 1 đến 120 tháng.")
    ]
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("principal", "shown"), [(1e20, "100.000.000.000.000.000.000 đ"), (1e15, "1.000.000.000.000.000 đ")]
)
def test_an_absurd_principal_is_one_message_at_preview(club, borrower, tmp_path, principal, shown):
    contribute(income(club), 100_000_000, D(2025, 1, 1))
    report = _preview(tmp_path, _row(club, principal=principal))
    assert [(e.row, e.column) for e in report.errors] == [(2, "F (Số tiền vay)")]
    message = report.errors[0].message
    assert message == f"Số tiền {shown} {TOO_LARGE}: hãy kiểm tra lại (có thể thừa chữ số 0)."
    assert Loan.objects.count() == 0


def test_the_loan_form_field_has_the_same_limit_and_message():
    with pytest.raises(Exception, match=TOO_LARGE):
        MoneyField().clean("1.000.000.000.000.000")
    assert MoneyField().clean("10.000.000.000") == 10_000_000_000


def test_an_opening_balance_above_the_funds_cash_is_refused_at_preview(club, borrower, tmp_path):
    fund = income(club)
    contribute(fund, 8_000_000, D(2025, 1, 1))
    other = make_member(club, full_name="Giàng A Páo", birth_year=1949, sex="M")
    rows = [
        _row(club, principal="5.000.000", outstanding="3.000.000"),  # 3 million still out: fits
        [club.code, other.full_name, 1949, "", "01/07/2025", "50 tỷ", 12, "0", "Chăn nuôi", "49,98 tỷ"],
        [club.code, other.full_name, 1949, "", "02/07/2025", "6.000.000", 12, "0", "Chăn nuôi", ""],
    ]
    before = db_snapshot()
    report = _preview(tmp_path, *rows, commit=True)
    assert not report.ok and report.new == 1
    messages = {e.row: e.message for e in report.errors}
    assert set(messages) == {3, 4}
    assert messages[3].startswith(f"Số tiền 50.000.000.000 đ {TOO_LARGE}")
    assert messages[4] == (
        "Quỹ tăng thu nhập chỉ còn 5.000.000 đ tiền mặt (tính cả các khoản chi, cho vay ghi sau ngày 02/07/2025); "
        "không thể chi 6.000.000 đ. Hãy nhập vốn của quỹ (đóng góp) trước dư nợ cho vay."
    )
    assert db_snapshot() == before
    # With the capital entered first, the same opening balances go in.
    contribute(fund, 10_000_000, D(2025, 1, 2))
    report = _preview(tmp_path, rows[0], rows[2], commit=True)
    assert report.ok, report.errors
    assert Loan.objects.count() == 2
    call_command("funds_check")  # consistent: exits 0


def test_funds_check_reports_negative_cash_and_exits_non_zero(club, borrower, capsys):
    fund = income(club)
    contribute(fund, 1_000_000, D(2025, 1, 1))
    loan_disburse(
        fund=fund, member=borrower, disbursed_on=D(2025, 6, 1), principal=50_000_000, purpose="livestock",
        term_months=12, interest_rate=0, rate_period="month", plan=RepaymentPlan.AT_END, check_cash=False,
        recorded_by=None,
    )  # fmt: skip
    with pytest.raises(CommandError):
        call_command("funds_check")
    out = capsys.readouterr().out
    assert f"Tiền mặt âm: Quỹ tăng thu nhập của CLB {club.code} còn -49.000.000 đ vào ngày 01/06/2025." in out
    assert "Funds whose cash falls below zero on some day: 1" in out


def test_each_loan_is_checked_against_the_least_cash_of_its_day_and_after_less_the_loans_before_it(
    club, borrower, tmp_path
):
    """A loan already on the system on 01/09 leaves 4 million from then on. The file's loans are taken in
    date order: the first fits, the second finds only what the first left of those 4 million, the third
    fits exactly in what is left, and one dated after the loan on the system finds nothing."""
    fund = income(club)
    contribute(fund, 10_000_000, D(2025, 1, 1))
    names = ["Giàng A Páo", "Lò Thị Ún", "Vàng A Chá", "Lò Văn Pọm"]
    for name in names:
        make_member(club, full_name=name, birth_year=1950, sex="M")
    loan_disburse(
        fund=fund, member=make_member(club, full_name="Tòng Thị Ón"), disbursed_on=D(2025, 9, 1),
        principal=6_000_000, purpose="livestock", term_months=12, interest_rate="0", rate_period="month",
        plan=RepaymentPlan.EQUAL_MONTHLY, recorded_by=None,
    )  # fmt: skip

    def row(name, day, principal):
        return [club.code, name, 1950, "", day, principal, 12, "0", "Chăn nuôi", ""]

    rows = [
        row(names[0], "01/06/2025", "3.000.000"),
        row(names[1], "02/07/2025", "2.000.000"),
        row(names[2], "03/07/2025", "1.000.000"),
        row(names[3], "02/09/2025", "1.000.000"),
    ]
    report = _preview(tmp_path, *rows)
    assert report.new == 2
    tail = "; không thể chi {}. Hãy nhập vốn của quỹ (đóng góp) trước dư nợ cho vay."
    assert {e.row: e.message for e in report.errors} == {
        3: "Quỹ tăng thu nhập chỉ còn 1.000.000 đ tiền mặt (tính cả các khoản chi, cho vay ghi sau ngày "
        "02/07/2025)" + tail.format("2.000.000 đ"),
        5: "Quỹ tăng thu nhập chỉ còn 0 đ tiền mặt (tính cả các khoản chi, cho vay ghi sau ngày "
        "02/09/2025)" + tail.format("1.000.000 đ"),
    }
