"""Fund and loan figures at a date, on a hand-computed club; PAR30 and overdue around the 30-day edge."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clubs.models import Club
from funds.models import EntryKind, ExpenseCategory, Loan, RepaymentPlan, Source
from funds.selectors import (
    LoanState,
    LoanStatus,
    fund_figures,
    fund_figures_by_club,
    loan_status,
    overdue_loans,
)
from funds.services import fund_entry_add, fund_entry_reverse, fund_transfer
from members.models import LeaveReason
from members.services import member_leave
from tests.conftest import make_club, make_member
from tests.funds.conftest import D, activity, contribute, income, lend, repay

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(club, staff):
    """The club of the hand computation below (all amounts in đồng)."""
    a = make_member(club, full_name="Lò Thị A")
    b = make_member(club, full_name="Tòng Thị B")
    make_member(club, full_name="Lường Văn C")  # never borrows
    d = make_member(club, full_name="Vàng Thị D")  # borrows, repays, then leaves

    contribute(income(club), 20_000_000, D(2024, 3, 1), source=Source.STATE)
    contribute(income(club), 5_000_000, D(2024, 3, 1), source=Source.MEMBERS, member=a)
    contribute(activity(club), 2_000_000, D(2024, 4, 1), source=Source.DONOR_PERSON)
    mistaken = contribute(income(club), 3_000_000, D(2024, 4, 10), source=Source.DONOR_ORG)
    fund_entry_reverse(entry=mistaken, entry_date=D(2024, 4, 20), note="Ghi nhầm", recorded_by=staff)
    fund_entry_add(
        fund=activity(club),
        kind=EntryKind.EXPENSE,
        amount=500_000,
        entry_date=D(2024, 5, 5),
        category=ExpenseCategory.MEETINGS,
        recorded_by=staff,
    )
    fund_transfer(
        from_fund=income(club),
        to_fund=activity(club),
        amount=1_000_000,
        entry_date=D(2024, 6, 1),
        note="",
        recorded_by=staff,
    )
    # L1: 6 M over 6 months, 1 M due on the 1st of May … October; the July instalment paid on 15/07, then nothing.
    l1 = lend(income(club), a, 6_000_000, D(2024, 4, 1), term=6)
    repay(l1, D(2024, 5, 1), 1_000_000)
    repay(l1, D(2024, 6, 1), 1_000_000)
    repay(l1, D(2024, 7, 15), 1_000_000)
    # L2: 4 M all at the end of 3 months at 1 %/month: 4 M + 120.000 due on 02/08; 40.000 of interest paid in June.
    l2 = lend(income(club), b, 4_000_000, D(2024, 5, 2), term=3, plan=RepaymentPlan.AT_END, rate="1")
    repay(l2, D(2024, 6, 2), 0, 40_000)
    # L3: 1 M over 2 months, repaid on time; D leaves on 01/08.
    l3 = lend(income(club), d, 1_000_000, D(2024, 4, 1), term=2)
    repay(l3, D(2024, 5, 1), 500_000)
    repay(l3, D(2024, 6, 1), 500_000)
    member_leave(member=d, left_on=D(2024, 8, 1), reason=LeaveReason.MOVED)
    return {"l1": l1, "l2": l2, "l3": l3}


def test_figures_of_a_hand_computed_club(scenario, club, other_club):
    figures = fund_figures(
        Club.objects.filter(pk=club.pk), D(2024, 9, 1), period=(D(2024, 1, 1), D(2024, 6, 30))
    )
    assert figures["capital"] == 26_540_000  # income 20 + 5 + 3 − 3 − 1 + 0,04 ; activity 2 − 0,5 + 1
    assert figures["capital_income_fund"] == 24_040_000
    assert figures["capital_activity_fund"] == 2_500_000
    assert figures["capital_by_source"] == {
        "state": 20_000_000,
        "members": 5_000_000,
        "donor_org": 0,
        "donor_person": 2_000_000,
        "care_fund": 0,
        "project": 0,
        "other": 0,
    }
    assert figures["outstanding"] == 7_000_000  # L1 3 M + L2 4 M
    assert figures["cash"] == 19_540_000
    assert figures["borrowers"] == 2  # A and B
    assert figures["active_members"] == 3  # A, B, C (D left on 01/08)
    assert figures["members_borrowing_pct"] == pytest.approx(200 / 3)
    assert figures["members_ever_borrowed"] == 3
    assert figures["disbursed_in_period"] == 11_000_000
    assert figures["borrowed_in_period"] == 3  # A, B and D (who has left since) each borrowed once
    # Due by 01/09: L1 × 5 (May, June on time; July late; August, September unpaid), L2 × 1 (unpaid), L3 × 2 (on time).
    assert (figures["instalments_due"], figures["instalments_on_time"]) == (8, 4)
    assert figures["repayment_rate_pct"] == 50
    # L1 is 31 days late (since 01/08), L2 30 days (since 02/08): only L1's whole balance is at risk.
    assert figures["par30_outstanding"] == 3_000_000
    assert figures["par30_pct"] == pytest.approx(300 / 7)
    assert figures["clubs_with_both_funds"] == 1

    # A day later L2 is 31 days late too.
    assert fund_figures(Club.objects.filter(pk=club.pk), D(2024, 9, 2))["par30_pct"] == 100

    # The same figures for the club, and empty ones for a club with nothing, from the by-club variant.
    by_club = fund_figures_by_club(Club.objects.filter(pk__in=[club.pk, other_club.pk]), D(2024, 9, 1))
    assert set(by_club) == {club.pk, other_club.pk}
    in_period = ("disbursed_in_period", "borrowed_in_period")  # no period given: 0
    assert {k: v for k, v in by_club[club.pk].items() if k not in in_period} == {
        k: v for k, v in figures.items() if k not in in_period
    }
    assert by_club[club.pk]["borrowed_in_period"] == 0
    empty = by_club[other_club.pk]
    assert (empty["capital"], empty["outstanding"], empty["borrowers"], empty["clubs_with_both_funds"]) == (
        0,
        0,
        0,
        0,
    )
    assert (empty["members_borrowing_pct"], empty["repayment_rate_pct"], empty["par30_pct"]) == (
        None,
        None,
        None,
    )
    both = fund_figures(Club.objects.filter(pk__in=[club.pk, other_club.pk]), D(2024, 9, 1))
    assert (both["capital"], both["borrowers"], both["clubs_with_both_funds"]) == (26_540_000, 2, 1)


def test_loan_status_and_the_overdue_list_around_the_30_day_edge(scenario):
    l1, l2, l3 = (Loan.objects.get(pk=scenario[name].pk) for name in ("l1", "l2", "l3"))
    on = D(2024, 9, 1)
    assert loan_status(l1, on) == LoanStatus(LoanState.OVERDUE, 31)
    assert loan_status(l2, on) == LoanStatus(LoanState.OVERDUE, 30)
    assert loan_status(l3, on) == LoanStatus(LoanState.REPAID)
    assert loan_status(l2, D(2024, 8, 2)) == LoanStatus(LoanState.ACTIVE)  # due today is not late yet
    assert loan_status(l2, D(2024, 8, 3)) == LoanStatus(LoanState.OVERDUE, 1)
    assert loan_status(l1, D(2024, 7, 10)) == LoanStatus(LoanState.OVERDUE, 9)
    assert loan_status(l1, D(2024, 7, 15)) == LoanStatus(LoanState.ACTIVE)  # caught up that day

    overdue = list(overdue_loans(Loan.objects.all(), on))
    assert [(loan.pk, loan.days_late, loan.late_since) for loan in overdue] == [
        (l1.pk, 31, D(2024, 8, 1)),
        (l2.pk, 30, D(2024, 8, 2)),
    ]
    # The annotation and the one-loan reading agree.
    assert [loan_status(loan, on) for loan in overdue] == [loan_status(l1, on), loan_status(l2, on)]


def test_members_borrowing_at_a_date(club):
    x = make_member(club, full_name="Lò Thị X")
    y = make_member(club, full_name="Lò Thị Y")
    z = make_member(club, full_name="Lò Thị Z")
    contribute(income(club), 10_000_000, D(2024, 3, 1))
    loan_x = lend(income(club), x, 1_000_000, D(2024, 6, 1), term=3)
    repay(loan_x, D(2024, 8, 31), 1_000_000)  # all repaid the day before 01/09
    lend(income(club), y, 1_000_000, D(2024, 6, 1), term=3)
    lend(income(club), z, 1_000_000, D(2024, 6, 1), term=3)
    member_leave(member=z, left_on=D(2024, 8, 15), reason=LeaveReason.MOVED)  # left with a debt

    clubs = Club.objects.filter(pk=club.pk)
    on_first = fund_figures(clubs, D(2024, 9, 1))
    assert (on_first["borrowers"], on_first["active_members"], on_first["members_borrowing_pct"]) == (
        1,
        2,
        50,
    )
    assert on_first["outstanding"] == 2_000_000  # Z's debt is still the fund's
    assert fund_figures(clubs, D(2024, 8, 31))["borrowers"] == 1  # repaid that very day
    assert fund_figures(clubs, D(2024, 8, 30))["borrowers"] == 2  # X and Y (Z had left)
    assert fund_figures(clubs, D(2024, 8, 14))["borrowers"] == 3
    assert fund_figures(clubs, D(2024, 5, 31))["members_borrowing_pct"] == 0
    assert fund_figures(clubs, D(2024, 5, 31))["members_ever_borrowed"] == 0
    assert fund_figures(clubs, D(2024, 6, 1))["members_ever_borrowed"] == 3


def test_repayment_rate_counts_instalments_due_and_paid_by_their_due_date(club):
    x = make_member(club, full_name="Lò Thị X")
    contribute(income(club), 10_000_000, D(2024, 2, 1))
    loan = lend(income(club), x, 4_000_000, D(2024, 2, 29), term=4)  # due 29/03, 29/04, 29/05, 29/06
    repay(loan, D(2024, 3, 29), 1_000_000)  # on time, on the day
    repay(loan, D(2024, 4, 30), 1_500_000)  # April late by one day; half of May early
    repay(loan, D(2024, 5, 29), 500_000)  # May completed on its due date
    clubs = Club.objects.filter(pk=club.pk)
    assert fund_figures(clubs, D(2024, 3, 28))["repayment_rate_pct"] is None  # nothing due yet
    assert fund_figures(clubs, D(2024, 4, 30))["repayment_rate_pct"] == 50  # March on time, April not
    figures = fund_figures(clubs, D(2024, 6, 30))
    assert (figures["instalments_due"], figures["instalments_on_time"]) == (4, 2)  # March, May
    assert figures["repayment_rate_pct"] == 50


def test_instalments_after_a_write_off_are_not_due(club, staff):
    from funds.services import loan_write_off

    x = make_member(club, full_name="Lò Thị X")
    contribute(income(club), 10_000_000, D(2024, 3, 1))
    loan = lend(income(club), x, 3_000_000, D(2024, 3, 1), term=3)  # due 01/04, 01/05, 01/06
    loan_write_off(
        loan=loan,
        written_off_on=D(2024, 5, 1),
        reason="Mất khả năng trả",
        approved_by="BCN",
        recorded_by=staff,
    )
    figures = fund_figures(Club.objects.filter(pk=club.pk), D(2024, 7, 1))
    assert (figures["instalments_due"], figures["instalments_on_time"]) == (2, 0)  # April and 01/05
    assert (figures["outstanding"], figures["par30_pct"], figures["borrowers"]) == (0, None, 0)
    assert figures["capital"] == 7_000_000


def _club_with_loans(commune, members: int):
    club = make_club(commune)
    contribute(income(club), 100_000_000, D(2024, 3, 1))
    contribute(activity(club), 1_000_000, D(2024, 3, 1))
    for n in range(members):
        member = make_member(club, full_name=f"Thành viên {n}")
        loan = lend(income(club), member, 2_000_000, D(2024, 3, 1), term=4, rate="0.5")
        repay(loan, D(2024, 4, 1), 500_000, 10_000)
    return club


def test_figures_run_a_fixed_number_of_queries(tan_uyen):
    _club_with_loans(tan_uyen, 1)
    clubs = Club.objects.all()
    on, period = D(2024, 9, 1), (D(2024, 1, 1), D(2024, 12, 31))
    with CaptureQueriesContext(connection) as small_by_club:
        fund_figures_by_club(clubs, on, period=period)
    with CaptureQueriesContext(connection) as small:
        fund_figures(clubs, on, period=period)
    for _ in range(3):
        _club_with_loans(tan_uyen, 4)
    with CaptureQueriesContext(connection) as large_by_club:
        figures = fund_figures_by_club(clubs, on, period=period)
    with CaptureQueriesContext(connection) as large:
        total = fund_figures(clubs, on, period=period)
    assert len(figures) == 4 and total["borrowers"] == 13 and total["clubs_with_both_funds"] == 4
    assert len(large_by_club) == len(small_by_club) == 6
    assert len(large) == len(small) == 5


def test_a_loan_whose_schedule_ran_out_counts_from_its_stored_figures(club, staff):
    from funds.services import loan_write_off, repayment_reverse

    x = make_member(club, full_name="Lò Thị X")
    contribute(income(club), 10_000_000, D(2024, 2, 1))
    loan = lend(income(club), x, 2_000_000, D(2024, 3, 1), term=2)  # due 01/04, 01/05
    mistake = repay(loan, D(2024, 4, 1), 1_000_000)
    loan.refresh_from_db()
    assert (loan.last_due_on, loan.instalments_count, loan.instalments_on_time) == (D(2024, 5, 1), 2, 1)
    clubs = Club.objects.filter(pk=club.pk)
    assert (
        fund_figures(clubs, D(2024, 6, 1))["instalments_due"],
        fund_figures(clubs, D(2024, 6, 1))["instalments_on_time"],
    ) == (2, 1)
    repayment_reverse(repayment=mistake, note="Nhầm", recorded_by=staff)
    loan.refresh_from_db()
    assert loan.instalments_on_time == 0
    assert fund_figures(clubs, D(2024, 6, 1))["repayment_rate_pct"] == 0
    # Written off after the last due date: every instalment stays due.
    loan_write_off(
        loan=loan, written_off_on=D(2024, 7, 1), reason="Không trả được", approved_by="BCN", recorded_by=staff
    )
    figures = fund_figures(clubs, D(2024, 8, 1))
    assert (figures["instalments_due"], figures["instalments_on_time"]) == (2, 0)

