"""The ledger: contributions by source, expenses, transfers, reversing entries, balances."""

import pytest
from django.core.exceptions import ValidationError

from clubs.models import Club
from funds.models import EntryKind, ExpenseCategory, FundEntry, Source
from funds.selectors import fund_balances, fund_figures
from funds.services import fund_entry_add, fund_entry_reverse, fund_transfer
from tests.conftest import make_member
from tests.funds.conftest import D, activity, contribute, income, lend

pytestmark = pytest.mark.django_db


def ledger_state():
    """Everything that must stay the same when a write is refused."""
    return list(
        FundEntry.objects.order_by("pk").values_list(
            "pk", "fund_id", "kind", "direction", "amount", "entry_date"
        )
    )


def test_balances_and_capital_by_source_on_a_hand_computed_ledger(club, staff):
    hoa = make_member(club, full_name="Lò Thị Hoa")
    contribute(income(club), 20_000_000, D(2024, 3, 1), source=Source.STATE, by=staff)
    contribute(income(club), 5_000_000, D(2024, 3, 1), source=Source.MEMBERS, member=hoa, by=staff)
    contribute(activity(club), 2_000_000, D(2024, 4, 1), source=Source.DONOR_PERSON, by=staff)
    donor = contribute(income(club), 3_000_000, D(2024, 4, 10), source=Source.DONOR_ORG, by=staff)
    fund_entry_reverse(entry=donor, entry_date=D(2024, 4, 20), note="Ghi nhầm CLB", recorded_by=staff)
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
    lend(income(club), hoa, 6_000_000, D(2024, 4, 1), by=staff)

    balances = fund_balances([income(club).pk, activity(club).pk], D(2024, 6, 30))
    # Income: 20 + 5 + 3 − 3 (reversed) − 1 (transfer) = 24 M of capital; 6 M lent, nothing repaid yet.
    assert balances[income(club).pk] == {"capital": 24_000_000, "outstanding": 6_000_000, "cash": 18_000_000}
    # Activity: 2 − 0,5 + 1 = 2,5 M.
    assert balances[activity(club).pk] == {"capital": 2_500_000, "outstanding": 0, "cash": 2_500_000}

    figures = fund_figures(Club.objects.filter(pk=club.pk), D(2024, 6, 30))
    assert figures["capital"] == 26_500_000
    assert figures["cash"] == 20_500_000
    assert figures["capital_by_source"] == {
        "state": 20_000_000,
        "members": 5_000_000,
        "donor_org": 0,  # contributed and reversed
        "donor_person": 2_000_000,
        "care_fund": 0,
        "project": 0,
        "other": 0,
    }
    # Before the reversal, the donor's money counted.
    assert (
        fund_figures(Club.objects.filter(pk=club.pk), D(2024, 4, 15))["capital_by_source"]["donor_org"]
        == 3_000_000
    )
    # Dates count: on 01/04/2024 only the March contributions and April's donation are there.
    assert fund_figures(Club.objects.filter(pk=club.pk), D(2024, 4, 1))["capital"] == 27_000_000


def test_a_reversal_is_a_new_entry_in_the_opposite_direction(club, staff):
    entry = contribute(income(club), 1_000_000, D(2024, 3, 1), source=Source.MEMBERS, by=staff)
    reversal = fund_entry_reverse(entry=entry, entry_date=D(2024, 3, 2), note="Trùng", recorded_by=staff)
    entry.refresh_from_db()
    assert (entry.kind, entry.direction, entry.amount) == (EntryKind.CONTRIBUTION, 1, 1_000_000)  # untouched
    assert (reversal.kind, reversal.direction, reversal.amount, reversal.source) == (
        EntryKind.CORRECTION,
        -1,
        1_000_000,
        Source.MEMBERS,
    )
    assert reversal.reverses == entry
    with pytest.raises(ValidationError, match="đã được đảo"):
        fund_entry_reverse(entry=entry, entry_date=D(2024, 3, 3), note="Lần nữa", recorded_by=staff)
    with pytest.raises(ValidationError, match="bút toán đảo"):
        fund_entry_reverse(entry=reversal, entry_date=D(2024, 3, 3), note="Đảo của đảo", recorded_by=staff)


def test_reversing_a_transfer_reverses_both_legs(club, staff):
    contribute(income(club), 5_000_000, D(2024, 3, 1), by=staff)
    out, into = fund_transfer(
        from_fund=income(club),
        to_fund=activity(club),
        amount=2_000_000,
        entry_date=D(2024, 3, 5),
        note="",
        recorded_by=staff,
    )
    assert (out.transfer_pair, into.transfer_pair) == (into, out)
    fund_entry_reverse(entry=into, entry_date=D(2024, 3, 6), note="Chuyển nhầm", recorded_by=staff)
    balances = fund_balances([income(club).pk, activity(club).pk], D(2024, 3, 6))
    assert balances[income(club).pk]["capital"] == 5_000_000
    assert balances[activity(club).pk]["capital"] == 0
    assert FundEntry.objects.filter(kind=EntryKind.CORRECTION).count() == 2


@pytest.mark.parametrize("amount", [0, -5000, 1.5, "1000"])
def test_amounts_must_be_positive_whole_dong(club, staff, amount):
    before = ledger_state()
    with pytest.raises(ValidationError, match="lớn hơn 0"):
        contribute(income(club), amount, D(2024, 3, 1), by=staff)
    assert ledger_state() == before


def test_refusals_leave_the_ledger_unchanged(club, other_club, staff):
    contribute(income(club), 1_000_000, D(2024, 3, 1), by=staff)
    contribute(activity(club), 300_000, D(2024, 3, 1), source=Source.MEMBERS, by=staff)
    before = ledger_state()
    refused = [
        # A contribution without its source.
        lambda: fund_entry_add(
            fund=income(club),
            kind=EntryKind.CONTRIBUTION,
            amount=1,
            entry_date=D(2024, 3, 1),
            recorded_by=staff,
        ),
        # An expense from the income fund.
        lambda: fund_entry_add(
            fund=income(club),
            kind=EntryKind.EXPENSE,
            amount=1,
            entry_date=D(2024, 3, 1),
            category="meetings",
            recorded_by=staff,
        ),
        # An expense larger than the activity fund's cash.
        lambda: fund_entry_add(
            fund=activity(club),
            kind=EntryKind.EXPENSE,
            amount=300_001,
            entry_date=D(2024, 3, 2),
            category="visits",
            recorded_by=staff,
        ),
        # An expense dated before the money came in.
        lambda: fund_entry_add(
            fund=activity(club),
            kind=EntryKind.EXPENSE,
            amount=1_000,
            entry_date=D(2024, 2, 28),
            category="visits",
            recorded_by=staff,
        ),
        # Kinds made only by their own functions.
        lambda: fund_entry_add(
            fund=income(club), kind=EntryKind.WRITE_OFF, amount=1, entry_date=D(2024, 3, 1), recorded_by=staff
        ),
        lambda: fund_entry_add(
            fund=income(club),
            kind=EntryKind.TRANSFER_IN,
            amount=1,
            entry_date=D(2024, 3, 1),
            recorded_by=staff,
        ),
        # A date in the future.
        lambda: contribute(income(club), 1_000, D(2999, 1, 1), by=staff),
        # A transfer larger than the cash, or to another club's fund.
        lambda: fund_transfer(
            from_fund=income(club),
            to_fund=activity(club),
            amount=1_000_001,
            entry_date=D(2024, 3, 2),
            note="",
            recorded_by=staff,
        ),
        lambda: fund_transfer(
            from_fund=income(club),
            to_fund=activity(other_club),
            amount=1_000,
            entry_date=D(2024, 3, 2),
            note="",
            recorded_by=staff,
        ),
        # A member of another club as the contributor.
        lambda: contribute(
            income(club),
            1_000,
            D(2024, 3, 1),
            member=make_member(other_club, full_name="Người ngoài"),
            by=staff,
        ),
    ]
    for attempt in refused:
        with pytest.raises(ValidationError):
            attempt()
        assert ledger_state() == before


def test_reversing_a_contribution_already_lent_out_is_refused(club, staff):
    hoa = make_member(club, full_name="Lò Thị Hoa")
    entry = contribute(income(club), 5_000_000, D(2024, 3, 1), by=staff)
    lend(income(club), hoa, 4_000_000, D(2024, 3, 10), by=staff)
    before = ledger_state()
    with pytest.raises(ValidationError, match="tiền mặt"):
        fund_entry_reverse(entry=entry, entry_date=D(2024, 3, 20), note="Nhầm", recorded_by=staff)
    assert ledger_state() == before


def test_a_back_dated_expense_cannot_make_later_cash_negative(club, staff):
    contribute(activity(club), 1_000_000, D(2024, 3, 1), by=staff)
    fund_entry_add(
        fund=activity(club),
        kind=EntryKind.EXPENSE,
        amount=800_000,
        entry_date=D(2024, 5, 1),
        category="visits",
        recorded_by=staff,
    )
    # On 01/04 the fund held 1.000.000, but 800.000 of it was spent in May.
    with pytest.raises(ValidationError, match="200.000 đ"):
        fund_entry_add(
            fund=activity(club),
            kind=EntryKind.EXPENSE,
            amount=300_000,
            entry_date=D(2024, 4, 1),
            category="visits",
            recorded_by=staff,
        )
