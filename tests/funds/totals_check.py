"""The running totals (funds.totals) recomputed in plain Python from the raw rows, to compare with what
the services kept: used by the money state machine (tests/funds/test_money_properties.py, after every
step), the set-based recompute's test and the imports' bulk writes' tests."""

import datetime
from collections import defaultdict

from funds.models import FundEntry, FundMonth, Instalment, Loan, Repayment


def loan_totals_from_rows(loan_ids) -> dict[int, tuple]:
    """(principal repaid, last day the principal repaid moved, first unpaid instalment's due date) of each loan."""
    daily: dict[int, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for loan_id, paid_on, principal in Repayment.objects.filter(loan_id__in=loan_ids).values_list(
        "loan_id", "paid_on", "principal"
    ):
        daily[loan_id][paid_on] += principal
    unpaid: dict[int, list[datetime.date]] = defaultdict(list)
    for loan_id, due_on in Instalment.objects.filter(loan_id__in=loan_ids, paid_on__isnull=True).values_list(
        "loan_id", "due_on"
    ):
        unpaid[loan_id].append(due_on)
    return {
        loan_id: (
            sum(daily[loan_id].values()),
            max((day for day, total in daily[loan_id].items() if total), default=None),
            min(unpaid[loan_id], default=None),
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
        pk: (repaid, through, first_unpaid)
        for pk, repaid, through, first_unpaid in Loan.objects.filter(fund_id__in=fund_ids).values_list(
            "pk", "principal_repaid", "repaid_through", "first_unpaid_due_on"
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
