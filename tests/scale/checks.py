"""Consistency checks on generated data, shared by the generator tests (SQL that also runs on SQLite)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection


def rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def overlapping_household_periods() -> list[tuple]:
    return rows(
        "SELECT a.member_id FROM members_householdstatus a JOIN members_householdstatus b "
        "ON a.member_id = b.member_id AND a.id < b.id "
        "AND a.valid_from <= COALESCE(b.valid_to, '9999-12-31') AND b.valid_from <= COALESCE(a.valid_to, '9999-12-31')"
    )


def members_not_matching_their_history() -> list[tuple]:
    """Members whose club / dates differ from their last membership, or without exactly one open stay
    while active (and none while gone)."""
    return rows(
        "SELECT m.id FROM members_member m "
        "LEFT JOIN members_membership s ON s.member_id = m.id AND s.joined_on = ("
        "  SELECT MAX(joined_on) FROM members_membership WHERE member_id = m.id) "
        "WHERE s.id IS NULL OR s.club_id <> m.club_id OR s.joined_on <> m.joined_on "
        "OR COALESCE(s.left_on, '9999-12-31') <> COALESCE(m.left_on, '9999-12-31') "
        "OR (SELECT COUNT(*) FROM members_membership o WHERE o.member_id = m.id AND o.left_on IS NULL) "
        "   <> CASE WHEN m.left_on IS NULL THEN 1 ELSE 0 END"
    )


def fund_positions() -> dict[int, dict[datetime.date, tuple[int, int]]]:
    """For each fund: day → (Σ signed ledger change, cash change) from entries, loans, repayments, write-offs."""
    capital: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    cash: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for fund, day, signed in rows("SELECT fund_id, entry_date, direction * amount FROM funds_fundentry"):
        capital[fund][day] += signed
        cash[fund][day] += signed
    for fund, day, principal, opening in rows(
        "SELECT fund_id, disbursed_on, principal, opening_repaid FROM funds_loan"
    ):
        cash[fund][day] -= principal - opening
    for fund, day, amount in rows(
        "SELECT fund_id, written_off_on, written_off_amount FROM funds_loan WHERE written_off_on IS NOT NULL"
    ):
        cash[fund][day] += amount  # a write-off's ledger entry moves no cash
    for fund, day, principal in rows(
        "SELECT l.fund_id, r.paid_on, r.principal FROM funds_repayment r JOIN funds_loan l ON l.id = r.loan_id"
    ):
        cash[fund][day] += principal
    result = {}
    for fund in set(capital) | set(cash):
        days = sorted(set(capital[fund]) | set(cash[fund]))
        result[fund] = {day: (capital[fund][day], cash[fund][day]) for day in days}
    return result


def outstanding_on(day: datetime.date) -> dict[int, int]:
    """Outstanding principal per fund on a day."""
    result: dict[int, int] = defaultdict(int)
    for fund, principal, opening, repaid, written in rows(
        "SELECT l.fund_id, l.principal, l.opening_repaid, "
        " COALESCE((SELECT SUM(r.principal) FROM funds_repayment r WHERE r.loan_id = l.id AND r.paid_on <= %s), 0), "
        " CASE WHEN l.written_off_on <= %s THEN l.written_off_amount ELSE 0 END "
        "FROM funds_loan l WHERE l.disbursed_on <= %s",
        [day, day, day],
    ):
        result[fund] += principal - opening - repaid - written
    return result


def lowest_cash() -> dict[int, int]:
    """The lowest cash each fund ever held, at the end of any day."""
    lowest = {}
    for fund, days in fund_positions().items():
        cash = 0
        low = 0
        for _day, (_capital, change) in sorted(days.items()):
            cash += change
            low = min(low, cash)
        lowest[fund] = low
    return lowest


def capital_equals_cash_plus_outstanding(day: datetime.date) -> list[int]:
    """Funds for which, at the end of `day`, Σ ledger ≠ cash + outstanding (should be none)."""
    outstanding = outstanding_on(day)
    wrong = []
    for fund, days in fund_positions().items():
        capital = sum(c for d, (c, _cash) in days.items() if d <= day)
        cash = sum(m for d, (_c, m) in days.items() if d <= day)
        if capital != cash + outstanding.get(fund, 0):
            wrong.append(fund)
    return wrong
