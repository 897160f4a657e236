"""Helpers for the funds tests: the two funds of a club, contributions and loans in one line."""

import datetime

import pytest

from funds.models import EntryKind, Fund, FundKind, RatePeriod, RepaymentPlan, Source
from funds.services import fund_entry_add, loan_disburse, loan_repay

D = datetime.date


def income(club) -> Fund:
    return club.funds.get(kind=FundKind.INCOME)


def activity(club) -> Fund:
    return club.funds.get(kind=FundKind.ACTIVITY)


def contribute(fund, amount, on, *, source=Source.STATE, by=None, **fields):
    return fund_entry_add(
        fund=fund,
        kind=EntryKind.CONTRIBUTION,
        amount=amount,
        entry_date=on,
        source=source,
        recorded_by=by,
        **fields,
    )


def lend(fund, member, principal, on, *, term=6, plan=RepaymentPlan.EQUAL_MONTHLY, rate=0, by=None, **fields):
    fields.setdefault("purpose", "livestock")
    fields.setdefault("rate_period", RatePeriod.MONTH)
    return loan_disburse(
        fund=fund,
        member=member,
        disbursed_on=on,
        principal=principal,
        term_months=term,
        interest_rate=rate,
        plan=plan,
        recorded_by=by,
        **fields,
    )


def repay(loan, on, principal=0, interest=0, *, by=None):
    return loan_repay(loan=loan, paid_on=on, principal=principal, interest=interest, recorded_by=by)


@pytest.fixture
def funded_club(club):
    """`club` with 50.000.000 đ from the province in its income fund on 01/03/2024."""
    contribute(income(club), 50_000_000, D(2024, 3, 1))
    return club
