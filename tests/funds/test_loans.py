"""Disbursing, repaying, writing off and correcting loans; every refusal leaves the database as it was."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funds.models import EntryKind, FundEntry, Instalment, Loan, Repayment, RepaymentPlan
from funds.selectors import LoanState, LoanStatus, fund_balances, loan_status
from funds.services import fund_entry_reverse, loan_write_off, repayment_reverse
from members.models import LeaveReason
from members.services import member_leave
from tests.conftest import make_member
from tests.funds.conftest import D, activity, contribute, income, lend, repay

pytestmark = pytest.mark.django_db


def database_state():
    return (
        list(FundEntry.objects.order_by("pk").values_list("pk", "kind", "direction", "amount")),
        list(
            Loan.objects.order_by("pk").values_list(
                "pk", "principal", "repaid_on", "written_off_on", "written_off_amount"
            )
        ),
        list(Instalment.objects.order_by("pk").values_list("pk", "paid_on")),
        list(Repayment.objects.order_by("pk").values_list("pk", "principal", "interest")),
    )


@pytest.fixture
def hoa(funded_club):
    return make_member(funded_club, full_name="Lò Thị Hoa")


def test_disbursing_creates_the_schedule_and_moves_cash(funded_club, hoa, staff):
    loan = lend(income(funded_club), hoa, 6_000_000, D(2024, 4, 1), term=6, rate="0.5", by=staff)
    assert list(loan.instalments.values_list("number", "due_on", "principal_due", "interest_due")) == [
        (1, D(2024, 5, 1), 1_000_000, 30_000),
        (2, D(2024, 6, 1), 1_000_000, 25_000),
        (3, D(2024, 7, 1), 1_000_000, 20_000),
        (4, D(2024, 8, 1), 1_000_000, 15_000),
        (5, D(2024, 9, 1), 1_000_000, 10_000),
        (6, D(2024, 10, 1), 1_000_000, 5_000),
    ]
    assert fund_balances([income(funded_club).pk], D(2024, 4, 1))[income(funded_club).pk] == {
        "capital": 50_000_000,
        "outstanding": 6_000_000,
        "cash": 44_000_000,
    }
    assert loan.recorded_by == staff


def test_a_repayment_returns_principal_to_cash_and_interest_to_the_ledger(funded_club, hoa, staff):
    loan = lend(income(funded_club), hoa, 6_000_000, D(2024, 4, 1), rate="0.5", by=staff)
    repayment = repay(loan, D(2024, 5, 1), 1_000_000, 30_000, by=staff)
    interest = FundEntry.objects.get(repayment=repayment)
    assert (interest.kind, interest.amount, interest.direction, interest.entry_date, interest.loan) == (
        EntryKind.INTEREST,
        30_000,
        1,
        D(2024, 5, 1),
        loan,
    )
    assert fund_balances([income(funded_club).pk], D(2024, 5, 1))[income(funded_club).pk] == {
        "capital": 50_030_000,
        "outstanding": 5_000_000,
        "cash": 45_030_000,
    }


def test_instalments_know_when_they_were_covered(funded_club, hoa, staff):
    loan = lend(income(funded_club), hoa, 3_000_000, D(2024, 4, 1), term=3, by=staff)
    repay(loan, D(2024, 5, 1), 500_000)  # half of the first instalment
    repay(loan, D(2024, 5, 20), 1_000_000)  # covers the first (late), half of the second
    repay(loan, D(2024, 6, 1), 1_500_000)  # covers the rest
    assert list(loan.instalments.values_list("paid_on", flat=True)) == [
        D(2024, 5, 20),
        D(2024, 6, 1),
        D(2024, 6, 1),
    ]
    loan.refresh_from_db()
    assert loan.repaid_on == D(2024, 6, 1)
    assert loan_status(loan, D(2024, 5, 10)) == LoanStatus(LoanState.OVERDUE, 9)
    assert loan_status(loan, D(2024, 5, 31)) == LoanStatus(LoanState.ACTIVE)
    assert loan_status(loan, D(2024, 6, 1)) == LoanStatus(LoanState.REPAID)
    assert loan_status(loan, D(2024, 3, 31)) is None  # not yet disbursed


def test_a_repayment_above_the_debt_is_refused(funded_club, hoa, staff):
    loan = lend(income(funded_club), hoa, 2_000_000, D(2024, 4, 1), by=staff)
    repay(loan, D(2024, 5, 1), 1_500_000)
    before = database_state()
    with pytest.raises(ValidationError, match="lớn hơn số còn nợ"):
        repay(loan, D(2024, 6, 1), 500_001)
    assert database_state() == before
    repay(loan, D(2024, 6, 1), 500_000)  # exactly what is owed is fine


def test_interest_may_be_paid_ahead_but_not_beyond_the_whole_schedule(funded_club, hoa):
    # 6.000.000 đ over 6 months at 0,5% a month: 30.000 + 25.000 + … + 5.000 = 105.000 đ of interest.
    loan = lend(income(funded_club), hoa, 6_000_000, D(2024, 4, 1), rate="0.5")
    repay(loan, D(2024, 5, 1), 1_000_000, 30_000)
    before = database_state()
    with pytest.raises(ValidationError, match=r"lớn hơn số lãi còn phải trả của cả khoản vay \(75.000 đ\)"):
        repay(loan, D(2024, 5, 15), 0, 75_001)
    assert database_state() == before
    repay(loan, D(2024, 5, 15), 0, 75_000)  # the rest of the schedule's interest, collected in advance
    with pytest.raises(ValidationError, match=r"\(0 đ\)"):
        repay(loan, D(2024, 6, 1), 1_000_000, 1)


def test_a_loan_without_interest_takes_no_interest(funded_club, hoa):
    loan = lend(income(funded_club), hoa, 2_000_000, D(2024, 4, 1), rate=0)
    before = database_state()
    with pytest.raises(ValidationError, match="không tính lãi"):
        repay(loan, D(2024, 5, 1), 1_000_000, 1_000)
    assert database_state() == before


def test_cancelled_interest_may_be_collected_again(funded_club, hoa, staff):
    loan = lend(income(funded_club), hoa, 6_000_000, D(2024, 4, 1), rate="0.5")
    mistake = repay(loan, D(2024, 5, 1), 0, 105_000)
    repayment_reverse(repayment=mistake, note="Ghi nhầm", recorded_by=staff)
    repay(loan, D(2024, 5, 1), 0, 105_000)


@pytest.mark.parametrize(
    "principal, interest, paid_on, message",
    [
        (0, 0, D(2024, 5, 1), "gốc hoặc tiền lãi"),
        (-1, 0, D(2024, 5, 1), "không được âm"),
        (0, -1, D(2024, 5, 1), "không được âm"),
        (1000, 0, D(2024, 3, 31), "trước ngày giải ngân"),
        (1000, 0, D(2999, 1, 1), "tương lai"),
    ],
)
def test_bad_repayments_are_refused(funded_club, hoa, principal, interest, paid_on, message):
    loan = lend(income(funded_club), hoa, 2_000_000, D(2024, 4, 1))
    before = database_state()
    with pytest.raises(ValidationError, match=message):
        repay(loan, paid_on, principal, interest)
    assert database_state() == before


def test_a_disbursement_above_the_cash_on_hand_is_refused(funded_club, hoa, staff):
    lend(income(funded_club), hoa, 45_000_000, D(2024, 4, 1))
    before = database_state()
    with pytest.raises(ValidationError, match="5.000.000 đ"):
        lend(income(funded_club), hoa, 5_000_001, D(2024, 4, 2))
    assert database_state() == before
    lend(income(funded_club), hoa, 5_000_000, D(2024, 4, 2))  # all the cash left


def test_a_back_dated_loan_cannot_spend_money_already_lent_later(funded_club, hoa):
    lend(income(funded_club), hoa, 40_000_000, D(2024, 6, 1))
    before = database_state()
    # On 01/05 the fund held 50 M, but 40 M of it leaves on 01/06: only 10 M may be lent on 01/05.
    with pytest.raises(ValidationError, match="10.000.000 đ"):
        lend(income(funded_club), hoa, 10_000_001, D(2024, 5, 1))
    assert database_state() == before


def test_only_the_income_fund_lends(funded_club, hoa):
    contribute(activity(funded_club), 10_000_000, D(2024, 3, 1))
    before = database_state()
    with pytest.raises(ValidationError, match="Chỉ quỹ tăng thu nhập"):
        lend(activity(funded_club), hoa, 1_000_000, D(2024, 4, 1))
    assert database_state() == before


def test_the_borrower_must_be_an_active_member_of_the_club(funded_club, other_club, hoa):
    member_leave(member=hoa, left_on=D(2024, 4, 1), reason=LeaveReason.MOVED)
    outsider = make_member(other_club, full_name="Người CLB khác")
    before = database_state()
    with pytest.raises(ValidationError, match="đang sinh hoạt"):
        lend(income(funded_club), hoa, 1_000_000, D(2024, 4, 1))  # left that day
    with pytest.raises(ValidationError, match="đang sinh hoạt"):
        lend(income(funded_club), outsider, 1_000_000, D(2024, 4, 1))
    with pytest.raises(ValidationError, match="đang sinh hoạt"):
        lend(income(funded_club), make_member(funded_club, full_name="Mới vào"), 1_000_000, D(2024, 1, 31))
    assert database_state() == before
    lend(income(funded_club), hoa, 1_000_000, D(2024, 3, 31))  # the day before leaving is fine


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"principal": 0}, "lớn hơn 0"),
        ({"principal": -100}, "lớn hơn 0"),
        ({"term": 0}, "Thời hạn"),
        ({"rate": "-1"}, "không được âm"),
        ({"purpose": "gambling"}, "mục đích"),
        ({"purpose": "other"}, "cụ thể"),
        ({"plan": RepaymentPlan.CUSTOM}, "ít nhất một kỳ"),
        ({"opening_repaid": 2_000_000}, "Gốc đã trả trước"),
    ],
)
def test_bad_loans_are_refused(funded_club, hoa, changes, message):
    arguments = {"principal": 1_000_000, **changes}
    principal = arguments.pop("principal")
    before = database_state()
    with pytest.raises(ValidationError, match=message):
        lend(income(funded_club), hoa, principal, D(2024, 4, 1), **arguments)
    assert database_state() == before


def test_an_opening_balance_counts_as_repaid_from_the_start(club, staff):
    hoa = make_member(club, full_name="Lò Thị Hoa")
    # The fund's earlier history is not on the system: no cash check.
    loan = lend(income(club), hoa, 6_000_000, D(2024, 4, 1), opening_repaid=2_500_000, check_cash=False)
    assert (
        list(loan.instalments.values_list("paid_on", flat=True))
        == [D(2024, 4, 1), D(2024, 4, 1)] + [None] * 4
    )
    assert fund_balances([income(club).pk], D(2024, 4, 1))[income(club).pk]["outstanding"] == 3_500_000
    with pytest.raises(ValidationError, match="lớn hơn số còn nợ"):
        repay(loan, D(2024, 5, 1), 3_500_001)


def test_writing_off_removes_the_debt_and_the_capital(funded_club, hoa, staff):
    loan = lend(income(funded_club), hoa, 4_000_000, D(2024, 4, 1))
    repay(loan, D(2024, 5, 1), 1_000_000)
    loan_write_off(
        loan=loan,
        written_off_on=D(2024, 12, 1),
        reason="Qua đời, gia đình không có khả năng trả",
        approved_by="Ban Chủ nhiệm",
        recorded_by=staff,
    )
    loan.refresh_from_db()
    assert (loan.written_off_on, loan.written_off_amount) == (D(2024, 12, 1), 3_000_000)
    entry = FundEntry.objects.get(kind=EntryKind.WRITE_OFF)
    assert (entry.amount, entry.direction, entry.loan) == (3_000_000, -1, loan)
    assert fund_balances([income(funded_club).pk], D(2024, 12, 1))[income(funded_club).pk] == {
        "capital": 47_000_000,
        "outstanding": 0,
        "cash": 47_000_000,
    }
    assert loan_status(loan, D(2024, 11, 30)).state == LoanState.OVERDUE
    assert loan_status(loan, D(2024, 12, 1)).state == LoanState.WRITTEN_OFF
    before = database_state()
    with pytest.raises(ValidationError, match="xóa nợ"):
        repay(loan, D(2024, 12, 2), 1_000)
    with pytest.raises(ValidationError, match="đã được xóa nợ"):
        loan_write_off(
            loan=loan, written_off_on=D(2024, 12, 2), reason="x", approved_by="y", recorded_by=staff
        )
    assert database_state() == before


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"reason": "", "approved_by": "Ban Chủ nhiệm"}, "lý do"),
        ({"reason": "Không trả được", "approved_by": " "}, "phê duyệt"),
        (
            {"reason": "Không trả được", "approved_by": "BCN", "written_off_on": D(2024, 4, 30)},
            "lần trả nợ gần nhất",
        ),
    ],
)
def test_a_write_off_needs_a_reason_an_approver_and_a_sensible_date(
    funded_club, hoa, staff, arguments, message
):
    loan = lend(income(funded_club), hoa, 4_000_000, D(2024, 4, 1))
    repay(loan, D(2024, 5, 1), 1_000_000)
    arguments.setdefault("written_off_on", D(2024, 12, 1))
    before = database_state()
    with pytest.raises(ValidationError, match=message):
        loan_write_off(loan=loan, recorded_by=staff, **arguments)
    assert database_state() == before


def test_a_mistaken_repayment_is_cancelled_by_a_reversal(funded_club, hoa, staff):
    loan = lend(income(funded_club), hoa, 2_000_000, D(2024, 4, 1), term=2, rate="1")
    mistake = repay(loan, D(2024, 5, 1), 2_000_000, 20_000)
    loan.refresh_from_db()
    assert loan.repaid_on == D(2024, 5, 1)
    reversal = repayment_reverse(repayment=mistake, note="Ghi nhầm người", recorded_by=staff)
    assert (reversal.paid_on, reversal.principal, reversal.interest) == (D(2024, 5, 1), -2_000_000, -20_000)
    loan.refresh_from_db()
    assert loan.repaid_on is None
    assert list(loan.instalments.values_list("paid_on", flat=True)) == [None, None]
    assert fund_balances([income(funded_club).pk], D(2024, 5, 1))[income(funded_club).pk] == {
        "capital": 50_000_000,
        "outstanding": 2_000_000,
        "cash": 48_000_000,
    }
    assert FundEntry.objects.filter(kind=EntryKind.CORRECTION, reverses__repayment=mistake).count() == 1
    with pytest.raises(ValidationError, match="đã được hủy"):
        repayment_reverse(repayment=mistake, note="Lần nữa", recorded_by=staff)
    repay(loan, D(2024, 5, 1), 1_000_000, 20_000)  # the right amount can now be recorded


def test_interest_from_a_repayment_is_not_reversed_on_its_own(funded_club, hoa, staff):
    loan = lend(income(funded_club), hoa, 2_000_000, D(2024, 4, 1), rate="1")
    repayment = repay(loan, D(2024, 5, 1), 0, 20_000)
    with pytest.raises(ValidationError, match="hủy lần trả nợ"):
        fund_entry_reverse(
            entry=repayment.fund_entries.get(), entry_date=D(2024, 5, 2), note="x", recorded_by=staff
        )


@pytest.mark.postgresql(reason="row locks: SQLite has no SELECT … FOR UPDATE (Django leaves it out there)")
def test_repaying_and_lending_lock_their_rows(funded_club, hoa):
    loan = lend(income(funded_club), hoa, 2_000_000, D(2024, 4, 1))
    with CaptureQueriesContext(connection) as queries:
        repay(loan, D(2024, 5, 1), 1_000)
    assert any("FOR UPDATE" in q["sql"] and 'FROM "funds_loan"' in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        lend(income(funded_club), hoa, 1_000, D(2024, 5, 1))
    assert any("FOR UPDATE" in q["sql"] and 'FROM "funds_fund"' in q["sql"] for q in queries.captured_queries)


def test_funds_check_finds_and_repairs_wrong_coverage_dates(funded_club, hoa, staff):
    import io

    from django.core.management import CommandError, call_command

    loan = lend(income(funded_club), hoa, 2_000_000, D(2024, 4, 1), term=2, rate="1")
    mistake = repay(loan, D(2024, 5, 1), 1_000_000, 20_000)
    repayment_reverse(repayment=mistake, note="Nhầm", recorded_by=staff)
    repay(loan, D(2024, 5, 3), 1_000_000, 20_000)
    out = io.StringIO()
    call_command("funds_check", stdout=out)
    assert "wrong paid date: 0" in out.getvalue() and "in the ledger: 20000" in out.getvalue()

    Instalment.objects.filter(loan=loan).update(paid_on=None)  # as a bulk load that forgot them
    with pytest.raises(CommandError):
        call_command("funds_check", stdout=io.StringIO())
    call_command("funds_check", "--fix", stdout=io.StringIO())
    assert list(loan.instalments.values_list("paid_on", flat=True)) == [D(2024, 5, 3), None]
    call_command("funds_check", stdout=io.StringIO())
