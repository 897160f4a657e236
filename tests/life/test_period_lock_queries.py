"""The lock costs one query for a whole meeting day or collection sheet, not one per line (issue 16)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clubs.locks import PeriodLocked, known_open
from funds.models import FundKind
from funds.services import CollectionLine, collection_sheet_save, fund_entry_add
from life.services import meeting_day_save
from tests.conftest import make_member
from tests.funds.conftest import D, contribute, lend
from tests.period_locks import INSIDE, OUTSIDE, lock_h1

pytestmark = pytest.mark.django_db


def _lock_queries(queries) -> int:
    return sum("clubs_periodlock" in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def borrowers(club, tan_uyen, lai_chau_officer):
    members = [make_member(club, full_name=f"Lò Thị {letter}") for letter in "ABCDEF"]
    fund = club.funds.get(kind=FundKind.INCOME)
    contribute(fund, 50_000_000, D(2025, 1, 2))
    loans = [lend(fund, member, 6_000_000, D(2025, 10, 1)) for member in members]
    lock_h1(tan_uyen, lai_chau_officer)
    return members, loans


@pytest.mark.parametrize("lines", [1, 6])
def test_a_meeting_day_asks_the_lock_once_however_many_lines(club, borrowers, lines):
    members, loans = borrowers
    with CaptureQueriesContext(connection) as queries:
        meeting_day_save(
            club=club,
            held_on=OUTSIDE,
            attendance={m.pk: "present" for m in members},
            health_checks={m.pk: {"systolic": 140, "diastolic": 90} for m in members[:lines]},
            repayments=[CollectionLine(loan, principal=1_000_000) for loan in loans[:lines]],
        )
    assert _lock_queries(queries) == 1
    assert sum(loan.repayments.count() for loan in loans) == lines


def test_a_collection_sheet_asks_the_lock_once(club, borrowers):
    _members, loans = borrowers
    with CaptureQueriesContext(connection) as queries:
        collection_sheet_save(
            club=club, paid_on=OUTSIDE, lines=[CollectionLine(loan, principal=500_000) for loan in loans],
            recorded_by=None,
        )  # fmt: skip
    assert _lock_queries(queries) == 1


def test_known_open_is_for_its_club_and_day_only(club, other_club, borrowers):
    """Outside the block, or for another day, the check asks again and refuses."""
    fund = club.funds.get(kind=FundKind.INCOME)
    with known_open(club, OUTSIDE), pytest.raises(PeriodLocked):
        fund_entry_add(fund=fund, kind="contribution", amount=1_000, entry_date=INSIDE, source="members",
                       recorded_by=None)  # fmt: skip
    with known_open(other_club, INSIDE), pytest.raises(PeriodLocked):
        fund_entry_add(fund=fund, kind="contribution", amount=1_000, entry_date=INSIDE, source="members",
                       recorded_by=None)  # fmt: skip
    with pytest.raises(PeriodLocked):
        fund_entry_add(fund=fund, kind="contribution", amount=1_000, entry_date=INSIDE, source="members",
                       recorded_by=None)  # fmt: skip
