"""A report's queries side by side on connections of their own: the same figures, only sooner.

On PostgreSQL outside a transaction the groups of queries (reports.indicators.PART_GROUPS) run in
threads, each on its own connection, which sees committed data only: those tests commit theirs (a
transactional test; its flush is limited to the apps it writes, so the places stay). Inside a
transaction, and on SQLite, they run one after the other on the request's connection.
"""

import contextvars
import datetime
import threading

import pytest
from django.db import OperationalError, connection, transaction

from clubs.models import ActivityArea
from funds.models import FundKind, Source
from life.models import Activity, ActivityType
from members.models import Household
from reports import club_figures, indicators, side_by_side
from reports.indicators import PART_FIELDS, PART_GROUPS, PART_QUERIES, compute_groups
from reports.models import ClubFigures
from reports.scope import Period, Scope
from tests.conftest import make_club, make_member
from tests.reports.conftest import contribute, lend

D = datetime.date
ON = D(2026, 3, 15)
PERIOD = Period(D(2026, 1, 1), ON)
GROUPINGS = ("total", "commune", "club")
SIDE_BY_SIDE = "connections of their own see committed data only: committed here, on PostgreSQL"


def test_every_part_is_in_one_group_and_every_field_filled_by_one_group():
    """Groups running at once share the club rows: no field may be written by two of them."""
    grouped = [part for group in PART_GROUPS for part in group]
    assert sorted(grouped) == sorted(PART_QUERIES)
    group_of = {part: i for i, group in enumerate(PART_GROUPS) for part in group}
    group_of["households"] = group_of["members"]  # filled by the members' query
    writers: dict[str, set[int]] = {}
    for part, fields in PART_FIELDS.items():
        if part is not None:
            for field in fields:
                writers.setdefault(field, set()).add(group_of[part])
    assert {field: groups for field, groups in writers.items() if len(groups) > 1} == {}


class _NoDatabase:
    """For groups that query nothing: their threads need no connection."""

    def ensure_connection(self):
        pass


@pytest.fixture
def threads_without_database(monkeypatch):
    monkeypatch.setattr(side_by_side, "possible", lambda: True)
    monkeypatch.setattr(side_by_side, "connection", _NoDatabase())


def test_a_group_that_fails_fails_the_report(threads_without_database):
    def broken():
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        side_by_side.run([lambda: None, broken, lambda: None])


def test_each_group_runs_in_the_callers_context(threads_without_database):
    """Which database a report reads from is a context variable (config.db_router): it must follow."""
    where = contextvars.ContextVar("where", default="primary")
    seen = []
    where.set("replica")
    assert side_by_side.run([lambda: seen.append(where.get()), lambda: seen.append(where.get())]) == 2
    assert seen == ["replica", "replica"]


def _figures(scope, settings, *, side_by_side_on: bool):
    settings.REPORT_FIGURES_KEPT = False  # computed each time, not read back
    settings.REPORT_QUERIES_SIDE_BY_SIDE = side_by_side_on
    return compute_groups(scope, ON, PERIOD, GROUPINGS)


def _club_with_everything(commune, code):
    club = make_club(commune, code=code, decision_date=D(2024, 1, 10), launched_on=D(2024, 2, 1))
    members = [
        make_member(club, full_name=f"Lò Thị {i}", birth_year=1950 + i, sex="F" if i % 2 else "M",
                    joined_on=D(2026, 2, 1) if i > 3 else D(2024, 2, 1),
                    household=Household.POOR if i < 3 else Household.NONE)  # fmt: skip
        for i in range(8)
    ]
    contribute(club, FundKind.INCOME, 20_000_000, D(2024, 3, 1), Source.MEMBERS)
    lend(club, members[0], 5_000_000, D(2025, 6, 1))
    lend(club, members[5], 3_000_000, D(2026, 2, 20))
    Activity.objects.create(club=club, kind=ActivityType.MONTHLY_MEETING, area=ActivityArea.LIVELIHOOD,
                            held_on=D(2026, 2, 5), title="Họp tháng 2")  # fmt: skip
    return club


@pytest.mark.postgresql(reason=SIDE_BY_SIDE)
@pytest.mark.django_db(transaction=True, available_apps=["clubs", "members", "funds", "life", "reports"])
def test_side_by_side_gives_the_figures_one_after_the_other_gives(tan_uyen, than_uyen, settings, monkeypatch):
    _club_with_everything(tan_uyen, "SBS-1")
    _club_with_everything(than_uyen, "SBS-2")
    scope = Scope(province=tan_uyen.province)
    used = []
    run = side_by_side.run
    monkeypatch.setattr(indicators.side_by_side, "run", lambda groups: used.append(run(groups)))
    backends = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    with connection.cursor() as cursor:
        cursor.execute(backends)
        before = cursor.fetchone()[0]

    together = _figures(scope, settings, side_by_side_on=True)
    # Really on connections of their own: the groups, and inside the funds' group its two halves.
    assert used == [2, len(PART_GROUPS)]
    with connection.cursor() as cursor:
        cursor.execute(backends)
        assert cursor.fetchone()[0] == before  # and every one closed again
    one_by_one = _figures(scope, settings, side_by_side_on=False)
    assert used == [2, len(PART_GROUPS), 1, 1]
    assert together == one_by_one
    total = together["total"][None]
    assert total["members_total"] == 16 and total["members_poor"] == 6 and total["members_new_in_period"] == 8
    assert total["loans_outstanding_vnd"] > 0 and total["borrowers_total"] == 4


@pytest.mark.django_db(transaction=True, available_apps=["clubs", "members", "funds", "life", "reports"])
def test_inside_a_transaction_the_queries_see_its_own_writes(tan_uyen, settings, monkeypatch):
    """A view or a test writing in a transaction and then reporting: other connections would not see
    the rows, so the groups run on the transaction's own connection."""
    settings.REPORT_FIGURES_KEPT = False
    settings.REPORT_QUERIES_SIDE_BY_SIDE = True
    used = []
    run = side_by_side.run
    monkeypatch.setattr(indicators.side_by_side, "run", lambda groups: used.append(run(groups)))
    with transaction.atomic():
        _club_with_everything(tan_uyen, "SBS-3")
        total = compute_groups(Scope(province=tan_uyen.province), ON, PERIOD, ("total",))["total"][None]
    assert used == [1, 1]  # the funds' halves (a run of their own), then the groups
    assert total["members_total"] == 8 and total["borrowers_total"] == 2


@pytest.mark.postgresql(reason=SIDE_BY_SIDE)
@pytest.mark.django_db(transaction=True, available_apps=["clubs", "members", "funds", "life", "reports"])
def test_a_group_that_finds_no_connection_runs_on_the_requests_own(tan_uyen, settings, monkeypatch):
    """The server at its connection limit: the report is slower, not refused."""
    _club_with_everything(tan_uyen, "SBS-4")
    scope = Scope(province=tan_uyen.province)
    one_by_one = _figures(scope, settings, side_by_side_on=False)

    class Refused:
        """The default connection, except that a new one cannot be opened outside the request's thread."""

        def __getattr__(self, name):
            return getattr(connection, name)

        def ensure_connection(self):
            if threading.current_thread() is not threading.main_thread():
                raise OperationalError("FATAL: sorry, too many clients already")
            connection.ensure_connection()

    monkeypatch.setattr(side_by_side, "connection", Refused())
    used = []
    run = side_by_side.run
    monkeypatch.setattr(indicators.side_by_side, "run", lambda groups: used.append(run(groups)))
    assert _figures(scope, settings, side_by_side_on=True) == one_by_one
    assert used == [1, 1]  # the funds' halves (a run of their own), then the groups


@pytest.mark.postgresql(reason=SIDE_BY_SIDE)
@pytest.mark.django_db(transaction=True, available_apps=["clubs", "members", "funds", "life", "reports"])
def test_the_figures_are_kept_beside_the_request_and_forgetting_waits_for_the_write(
    tan_uyen, settings, monkeypatch
):
    """The reader does not wait for the rows to be written; forget_all (and warm_reports) wait for them."""
    settings.REPORT_FIGURES_KEPT = True
    settings.REPORT_QUERIES_SIDE_BY_SIDE = True
    club = _club_with_everything(tan_uyen, "SBS-5")
    release, writers = threading.Event(), []
    real = club_figures._upsert_lines

    def held(*args):
        writers.append(threading.current_thread().name)
        assert release.wait(10)
        real(*args)

    monkeypatch.setattr(club_figures, "_upsert_lines", held)
    scope = Scope(club=club)
    first = compute_groups(scope, ON, PERIOD, ("total",))
    assert writers == ["report-keep"] and not ClubFigures.objects.exists()  # answered, not yet kept
    release.set()
    club_figures.settle()
    assert ClubFigures.objects.filter(club=club).count() == 1
    assert compute_groups(scope, ON, PERIOD, ("total",)) == first and len(writers) == 1  # read back

    release.clear()
    compute_groups(scope, D(2026, 3, 16), None, ("total",))  # another date: a write held again
    threading.Timer(0.3, release.set).start()
    club_figures.forget_all()
    assert len(writers) == 2 and not ClubFigures.objects.exists()
