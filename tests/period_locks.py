"""Helpers for the tests that every write path refuses a date inside an approved period (issue 16)."""

import datetime
from collections.abc import Callable

import pytest
from django.apps import apps

from clubs.locks import PeriodLocked, period_lock, period_reopen

H1_START = datetime.date(2026, 1, 1)
H1_END = datetime.date(2026, 6, 30)
INSIDE = datetime.date(2026, 5, 15)
OUTSIDE = datetime.date(2026, 7, 2)

# Every table a club write may touch, with their history tables: "nothing written" means all of these.
TABLES = [
    "funds.FundEntry", "funds.HistoricalFundEntry", "funds.Loan", "funds.HistoricalLoan", "funds.Instalment",
    "funds.Repayment", "funds.HistoricalRepayment", "members.Member", "members.HistoricalMember",
    "members.Membership", "members.HistoricalMembership", "members.HouseholdStatus",
    "members.HistoricalHouseholdStatus", "life.Activity", "life.HistoricalActivity", "life.Attendance",
    "life.HealthCheck", "life.HistoricalHealthCheck", "life.CareAssignment", "life.CareVisit",
    "life.ClubRating", "life.HistoricalClubRating",
]  # fmt: skip


def lock_h1(commune, officer):
    """The commune's first half of 2026, approved by a named province officer."""
    officer.first_name, officer.last_name = "Lò Văn", "Duyệt"
    officer.save()
    return period_lock(commune=commune, label="2026-H1", starts_on=H1_START, ends_on=H1_END, by=officer)


def snapshot() -> dict[str, int]:
    found = {}
    for label in TABLES:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        found[label] = model.objects.count()
    return found


def assert_locked_message(error: PeriodLocked, day: datetime.date = INSIDE) -> None:
    message = " ".join(error.messages)
    assert "2026-H1" in message and "01/01/2026–30/06/2026" in message
    assert "Lò Văn Duyệt" in message
    assert f"{day:%d/%m/%Y}" in message
    assert "không thể ghi hay sửa số liệu" in message


def refused_outside_and_reopened(
    lock, officer, inside: Callable[[], object], outside: Callable[[], object] | None = None
) -> None:
    """`inside` is refused with the period's message and writes nothing; `outside` (a date after the
    period) is written; after the province reopens the period, `inside` is written too."""
    before = snapshot()
    with pytest.raises(PeriodLocked) as refused:
        inside()
    assert_locked_message(refused.value)
    assert snapshot() == before
    if outside is not None:
        outside()
        assert snapshot() != before
    period_reopen(lock=lock, by=officer, reason="Xã ghi thiếu số liệu tháng 5")
    done = snapshot()
    inside()
    assert snapshot() != done
