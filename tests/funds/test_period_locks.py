"""Fund writes dated inside an approved period are refused (issue 16); corrections go in the open period."""

import pytest

from clubs.locks import PeriodLocked
from funds.models import EntryKind, FundEntry, Repayment
from funds.services import (
    CollectionLine,
    collection_sheet_save,
    fund_entry_add,
    fund_entry_reverse,
    fund_transfer,
    loan_write_off,
    repayment_reverse,
)
from tests.conftest import make_member
from tests.funds.conftest import D, activity, contribute, income, lend, repay
from tests.period_locks import (
    INSIDE,
    OUTSIDE,
    assert_locked_message,
    lock_h1,
    refused_outside_and_reopened,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lock(funded_club, tan_uyen, lai_chau_officer):
    return lock_h1(tan_uyen, lai_chau_officer)


@pytest.fixture
def borrower(club):
    return make_member(club, full_name="Lò Thị Vay")


def test_a_contribution_inside_the_period_is_refused(club, lock, lai_chau_officer):
    refused_outside_and_reopened(
        lock,
        lai_chau_officer,
        lambda: contribute(income(club), 1_000_000, INSIDE),
        lambda: contribute(income(club), 1_000_000, OUTSIDE),
    )


def test_an_expense_and_a_transfer_inside_the_period_are_refused(club, lock, lai_chau_officer):
    def inside():
        fund_transfer(
            from_fund=income(club),
            to_fund=activity(club),
            amount=2_000_000,
            entry_date=INSIDE,
            note="",
            recorded_by=None,
        )
        fund_entry_add(
            fund=activity(club), kind=EntryKind.EXPENSE, amount=500_000, entry_date=INSIDE, category="meetings",
            recorded_by=None,
        )  # fmt: skip

    refused_outside_and_reopened(lock, lai_chau_officer, inside)


def test_a_loan_disbursed_inside_the_period_is_refused(club, lock, lai_chau_officer, borrower):
    refused_outside_and_reopened(
        lock,
        lai_chau_officer,
        lambda: lend(income(club), borrower, 3_000_000, INSIDE),
        lambda: lend(income(club), borrower, 3_000_000, OUTSIDE),
    )


def test_repayments_and_write_offs_inside_the_period_are_refused(
    club, funded_club, borrower, tan_uyen, lai_chau_officer
):
    loan = lend(income(club), borrower, 6_000_000, D(2025, 10, 1))
    lock = lock_h1(tan_uyen, lai_chau_officer)
    refused_outside_and_reopened(
        lock,
        lai_chau_officer,
        lambda: repay(loan, INSIDE, 1_000_000),
        lambda: repay(loan, OUTSIDE, 1_000_000),
    )
    lock = lock_h1(tan_uyen, lai_chau_officer)
    before = snapshot()
    with pytest.raises(PeriodLocked) as refused:
        loan_write_off(
            loan=loan,
            written_off_on=D(2026, 6, 30),
            reason="Mất",
            approved_by="Ban điều hành",
            recorded_by=None,
        )
    assert_locked_message(refused.value, D(2026, 6, 30))
    assert snapshot() == before
    loan.refresh_from_db()
    assert loan.written_off_on is None


def test_a_collection_sheet_inside_the_period_saves_no_line(
    club, funded_club, borrower, tan_uyen, lai_chau_officer
):
    other = make_member(club, full_name="Vàng A Pao", sex="M")
    loans = [
        lend(income(club), borrower, 6_000_000, D(2025, 10, 1)),
        lend(income(club), other, 6_000_000, D(2025, 10, 1)),
    ]
    lock = lock_h1(tan_uyen, lai_chau_officer)

    def sheet(day):
        return lambda: collection_sheet_save(
            club=club,
            paid_on=day,
            lines=[CollectionLine(loan, principal=1_000_000) for loan in loans],
            recorded_by=None,
        )

    refused_outside_and_reopened(lock, lai_chau_officer, sheet(INSIDE), sheet(OUTSIDE))


def test_an_entry_of_a_locked_period_is_put_right_by_a_reversal_dated_in_the_open_period(
    club, funded_club, tan_uyen, lai_chau_officer
):
    wrong = contribute(income(club), 7_000_000, D(2026, 3, 1))
    lock_h1(tan_uyen, lai_chau_officer)
    # Reversing it on its own date would change the approved figures.
    with pytest.raises(PeriodLocked):
        fund_entry_reverse(entry=wrong, entry_date=D(2026, 6, 1), note="Ghi nhầm", recorded_by=None)
    assert not FundEntry.objects.filter(reverses=wrong).exists()
    reversal = fund_entry_reverse(entry=wrong, entry_date=OUTSIDE, note="Ghi nhầm số tiền", recorded_by=None)
    assert (reversal.entry_date, reversal.amount, reversal.direction) == (OUTSIDE, 7_000_000, -1)
    right = contribute(income(club), 700_000, OUTSIDE)
    assert right.pk and FundEntry.objects.filter(reverses=wrong).count() == 1


def test_a_repayment_of_a_locked_period_cannot_be_cancelled(
    club, funded_club, borrower, tan_uyen, lai_chau_officer
):
    loan = lend(income(club), borrower, 6_000_000, D(2025, 10, 1), rate=1)
    paid = repay(loan, INSIDE, 1_000_000, 60_000)
    lock = lock_h1(tan_uyen, lai_chau_officer)
    refused_outside_and_reopened(
        lock, lai_chau_officer, lambda: repayment_reverse(repayment=paid, note="Nhầm", recorded_by=None)
    )
    assert Repayment.objects.filter(reverses=paid).count() == 1


def test_the_lock_is_the_communes_own(club, other_club, lock):
    contribute(income(other_club), 1_000_000, INSIDE)  # Than Uyên has no approved period


def test_checking_the_lock_adds_one_query_to_a_contribution(club, lock, django_assert_num_queries):
    fund = income(club)
    contribute(fund, 1_000_000, OUTSIDE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        contribute(fund, 1_000_000, OUTSIDE)
    assert sum("clubs_periodlock" in q["sql"] for q in queries.captured_queries) == 1


def test_the_collection_sheet_page_shows_the_refusal_and_saves_nothing(
    client_for, staff, club, funded_club, borrower, tan_uyen, lai_chau_officer
):
    from django.urls import reverse

    loan = lend(income(club), borrower, 6_000_000, D(2025, 10, 1))
    lock_h1(tan_uyen, lai_chau_officer)
    before = snapshot()
    url = reverse("life:collection-sheet", args=[club.pk, f"{INSIDE:%Y-%m-%d}"])
    response = client_for(staff).post(url, {f"p{loan.pk}": "1.000.000"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-H1" in page and "Lò Văn Duyệt" in page
    assert snapshot() == before
    response = client_for(staff).post(
        reverse("life:collection-sheet", args=[club.pk, f"{OUTSIDE:%Y-%m-%d}"]), {f"p{loan.pk}": "1.000.000"}
    )
    assert response.status_code == 302
    assert loan.repayments.get().paid_on == OUTSIDE
