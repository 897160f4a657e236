"""The running totals (funds.totals) equal a full recomputation from the raw rows after every step.

The money state machine of test_money_properties (contributions, interest, expenses, transfers,
disbursements, repayments, collection sheets, reversals, write-offs, on back-dated days as often as
not) is run again with one more invariant: each loan's principal repaid and the last day it moved, and each
fund's capital by source at the end of every month with entries, as the services kept them, equal
what plain Python sums from the entries and repayments. Its own
invariants still hold, so the report figures read from the totals (funds.selectors) equal the
machine's account at every date a step touched, past dates included.

Also: the set-based recompute (generator, imports, the data migration) writes the same values.
"""

import datetime
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import invariant, run_state_machine_as_test

from funds.models import FundEntry, FundMonth, Loan, Repayment
from funds.totals import month_end, month_start, totals_recompute
from tests.funds.conftest import D, contribute, income, lend, repay
from tests.funds.test_money_properties import MoneyMachine, borrowers  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def loan_totals_from_rows(loan_ids) -> dict[int, tuple]:
    """(principal repaid, last day the principal repaid moved) of each loan."""
    daily: dict[int, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for loan_id, paid_on, principal in Repayment.objects.filter(loan_id__in=loan_ids).values_list(
        "loan_id", "paid_on", "principal"
    ):
        daily[loan_id][paid_on] += principal
    return {
        loan_id: (
            sum(daily[loan_id].values()),
            max((day for day, total in daily[loan_id].items() if total), default=None),
        )
        for loan_id in loan_ids
    }


def fund_months_from_rows(fund_ids) -> dict[tuple, tuple]:
    """{(fund, source, month): (balance through the month's end, next month with entries of the source)}."""
    net: dict[tuple, int] = defaultdict(int)
    for fund_id, day, source, direction, amount in FundEntry.objects.filter(fund_id__in=fund_ids).values_list(
        "fund_id", "entry_date", "source", "direction", "amount"
    ):
        net[(fund_id, source, day.replace(day=1))] += direction * amount
    rows = {}
    keys = sorted(net)
    for i, key in enumerate(keys):
        following = keys[i + 1] if i + 1 < len(keys) else None
        balance = sum(total for (f, s, m), total in net.items() if (f, s) == key[:2] and m <= key[2])
        rows[key] = (balance, following[2] if following and following[:2] == key[:2] else None)
    return rows


def kept_totals(fund_ids) -> tuple[dict, dict]:
    loans = {
        pk: (repaid, through)
        for pk, repaid, through in Loan.objects.filter(fund_id__in=fund_ids).values_list(
            "pk", "principal_repaid", "repaid_through"
        )
    }
    months = {
        (fund_id, source, month): (balance, following)
        for fund_id, source, month, balance, following in FundMonth.objects.filter(
            fund_id__in=fund_ids
        ).values_list("fund_id", "source", "month", "balance", "next_month")
    }
    return loans, months


def assert_totals_match_rows(fund_ids) -> None:
    loans, months = kept_totals(fund_ids)
    assert loans == loan_totals_from_rows(list(loans))
    assert months == fund_months_from_rows(fund_ids)


class RunningTotalsMachine(MoneyMachine):
    @invariant()
    def running_totals_equal_a_full_recomputation(self):
        assert_totals_match_rows([fund.pk for fund in self.funds.values()])


@pytest.mark.timeout(900)
def test_the_running_totals_equal_the_raw_rows_after_every_step(club, borrowers, staff):  # noqa: F811
    run_state_machine_as_test(
        lambda: RunningTotalsMachine(club, borrowers, staff),
        settings=settings(
            max_examples=15,
            stateful_step_count=10,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_the_set_based_recompute_writes_what_the_services_kept(club, borrowers, staff):  # noqa: F811
    fund = income(club)
    contribute(fund, 40_000_000, D(2025, 1, 5))
    first = lend(fund, borrowers[0], 6_000_000, D(2025, 2, 1), term=6)
    lend(fund, borrowers[1], 3_000_000, D(2025, 3, 15), term=3)
    repay(first, D(2025, 3, 1), 1_000_000)
    repay(first, D(2025, 4, 20), 2_500_000)
    fund_ids = list(club.funds.values_list("pk", flat=True))
    kept = kept_totals(fund_ids)
    assert kept[0][first.pk] == (3_500_000, D(2025, 4, 20))
    Loan.objects.update(principal_repaid=0, repaid_through=None)
    FundMonth.objects.all().delete()
    totals_recompute(fund_ids)
    assert kept_totals(fund_ids) == kept
    totals_recompute()  # every fund, as the data migration does
    assert kept_totals(fund_ids) == kept


def test_month_bounds():
    assert month_start(D(2024, 2, 17)) == D(2024, 2, 1)
    assert month_end(D(2024, 2, 17)) == D(2024, 2, 29)
    assert month_end(D(2025, 12, 31)) == D(2025, 12, 31)
