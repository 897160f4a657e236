"""Issue 15, item 9: two people reversing the same entry at once; the second is told it is done.

Before, the loser passed the "already reversed" check, waited for the fund lock and then hit the
unique index: "Bút toán quỹ có Đảo bút toán đã tồn tại."
"""

import pytest
from django.core.exceptions import ValidationError

from funds import services
from funds.models import FundEntry
from tests.funds.conftest import D, contribute, income
from tests.funds.test_concurrency import committed_club, run_together, slowed  # noqa: F401

pytestmark = [
    pytest.mark.postgresql(
        reason="row locks between concurrent transactions (select_for_update); SQLite has no row locks"
    ),
    pytest.mark.django_db(transaction=True, available_apps=["funds", "members"]),
]


def test_the_loser_of_a_double_reversal_is_told_it_is_already_reversed(committed_club, monkeypatch):  # noqa: F811
    fund = income(committed_club)
    entry = contribute(fund, 5_000_000, D(2024, 3, 1))
    slowed(monkeypatch, "_check_not_future")  # after the first check, before the fund lock

    def reverse():
        return services.fund_entry_reverse(
            entry=entry, entry_date=D(2024, 3, 2), note="Ghi nhầm", recorded_by=None
        )

    results = run_together(reverse, reverse)
    reversals = list(FundEntry.objects.filter(reverses=entry))
    FundEntry.objects.filter(reverses=entry).delete()  # before the fixture's clean-up (PROTECT)

    assert sorted(type(result).__name__ for result in results) == ["FundEntry", "ValidationError"]
    refused = next(result for result in results if isinstance(result, ValidationError))
    assert refused.messages == ["Bút toán này đã được đảo."]
    assert len(reversals) == 1
