"""The running totals (funds.totals): after every step of the money state machine they equal a full
recomputation from the raw rows (the invariant `running_totals_equal_a_full_recomputation` of
tests/funds/test_money_properties.py, one run for both); here, that the set-based recompute (generator,
imports, the data migration) writes what the services kept, and the month bounds.
"""

import pytest

from funds.models import FundMonth, Instalment, Loan
from funds.totals import month_end, month_start, totals_recompute
from tests.funds.conftest import D, contribute, income, lend, repay
from tests.funds.test_money_properties import borrowers  # noqa: F401 (a fixture)
from tests.funds.totals_check import kept_totals

pytestmark = pytest.mark.django_db


def test_the_set_based_recompute_writes_what_the_services_kept(club, borrowers, staff):  # noqa: F811
    fund = income(club)
    contribute(fund, 40_000_000, D(2025, 1, 5))
    first = lend(fund, borrowers[0], 6_000_000, D(2025, 2, 1), term=6)
    lend(fund, borrowers[1], 3_000_000, D(2025, 3, 15), term=3)
    repay(first, D(2025, 3, 1), 1_000_000)
    repay(first, D(2025, 4, 20), 2_500_000)
    fund_ids = list(club.funds.values_list("pk", flat=True))
    kept = kept_totals(fund_ids)
    instalments = list(first.instalments.order_by("number").values_list("due_on", flat=True))
    # 3.5 of 6 million repaid in equal monthly parts: three instalments covered, the fourth is the first unpaid.
    assert kept[0][first.pk] == (3_500_000, D(2025, 4, 20), instalments[3])
    Loan.objects.update(principal_repaid=0, repaid_through=None, first_unpaid_due_on=None)
    FundMonth.objects.all().delete()
    totals_recompute(fund_ids)
    assert kept_totals(fund_ids) == kept
    totals_recompute()  # every fund, as the data migration does
    assert kept_totals(fund_ids) == kept


def test_month_bounds():
    assert month_start(D(2024, 2, 17)) == D(2024, 2, 1)
    assert month_end(D(2024, 2, 17)) == D(2024, 2, 29)
    assert month_end(D(2025, 12, 31)) == D(2025, 12, 31)


def test_the_first_unpaid_due_date_follows_instalments_changed_by_anything_else(club, borrowers, staff):  # noqa: F811
    """Whatever changes an instalment's dates (a shell, a data fix), the loan's first unpaid due date
    follows (the trigger of funds 0011); loans it did not touch are left as they were."""
    fund = income(club)
    contribute(fund, 40_000_000, D(2025, 1, 5))
    loan = lend(fund, borrowers[0], 6_000_000, D(2025, 2, 1), term=6)
    other = lend(fund, borrowers[1], 3_000_000, D(2025, 3, 15), term=3)
    repay(loan, D(2025, 3, 1), 1_000_000)
    schedule = list(loan.instalments.order_by("number"))

    def first_unpaid(of):
        return Loan.objects.values_list("first_unpaid_due_on", flat=True).get(pk=of.pk)

    other_before = first_unpaid(other)
    assert first_unpaid(loan) == schedule[1].due_on
    Instalment.objects.filter(pk=schedule[1].pk).update(due_on=D(2025, 3, 20))  # moved by hand
    assert first_unpaid(loan) == D(2025, 3, 20)
    Instalment.objects.filter(pk=schedule[0].pk).update(paid_on=None)  # its cover undone by hand
    assert first_unpaid(loan) == schedule[0].due_on
    Instalment.objects.filter(loan=loan).update(paid_on=D(2025, 9, 1))  # every one covered
    assert first_unpaid(loan) is None
    assert first_unpaid(other) == other_before
    assert kept_totals([fund.pk])[0][other.pk][2] == other_before
