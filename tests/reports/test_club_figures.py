"""Per-club figures kept between reports: the same numbers as computed live, and never out of date.

Each change below goes through the way the application (or a shell, or an import) writes it; after
it, the report must give what a live computation gives, and that must differ from before, so the
change is one the figures see.

Figures are kept on PostgreSQL only (triggers decide what changed); on SQLite, the embedded default,
every report is computed live. The tests of keeping are marked `postgresql`; the others run on both.
"""

import datetime
import io
import tempfile
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clubs.models import BoardMembership, Club
from funds.models import EntryKind, FundKind, Instalment, Loan, Source
from funds.services import fund_entry_add, loan_repay
from life.models import Activity, ActivityType, ClubRating, Rating
from members.models import Household, HouseholdStatus, LeaveReason, Member, Membership
from members.services import household_status_set, member_leave, member_move
from reports import club_figures, side_by_side
from reports.indicators import compute_groups, compute_indicators
from reports.models import ClubChange, ClubFigures
from reports.progress import history_series
from reports.scope import Period, Scope
from sheets.engine import run_import
from tests.conftest import make_member
from tests.reports.conftest import LAI_CHAU_EXPECTED, ON, lend
from tests.reports.test_plan_indicators import PLAN_CODES
from tests.sheets.builders import write_xlsx

pytestmark = pytest.mark.django_db
KEEPING = "figures are kept on PostgreSQL only (change triggers, jsonb, INSERT … ON CONFLICT over unnest)"

GROUPINGS = ("total", "province", "commune", "club")


def live(scope, on=ON, period=None, groupings=("total",), codes=None):
    from django.conf import settings

    kept, settings.REPORT_FIGURES_KEPT = settings.REPORT_FIGURES_KEPT, False
    try:
        return compute_groups(scope, on, period, groupings, codes)
    finally:
        settings.REPORT_FIGURES_KEPT = kept


def test_the_figures_are_kept_on_postgresql_and_computed_live_on_sqlite(dataset, lai_chau):
    scope = Scope(province=lai_chau)
    first = compute_indicators(scope, ON)
    kept = ClubFigures.objects.filter(club__province=lai_chau).count()
    if connection.vendor == "postgresql":
        assert club_figures.enabled() and kept == 5  # A, B, C, D, F
    else:
        assert not club_figures.enabled() and kept == 0
    assert compute_indicators(scope, ON) == first == live(scope)["total"][None]
    assert {code: first[code] for code in LAI_CHAU_EXPECTED} == LAI_CHAU_EXPECTED


@pytest.mark.postgresql(reason=KEEPING)
def test_kept_figures_are_the_live_ones_in_every_grouping(dataset, lai_chau):
    scope = Scope(province=lai_chau)
    first = compute_groups(scope, ON, None, GROUPINGS)
    assert ClubFigures.objects.filter(club__province=lai_chau).count() == 5  # A, B, C, D, F
    again = compute_groups(scope, ON, None, GROUPINGS)
    assert first == again == live(scope, groupings=GROUPINGS)
    assert {code: again["total"][None][code] for code in LAI_CHAU_EXPECTED} == LAI_CHAU_EXPECTED
    # The indicators the plans ask for (issue 16), judged per club, read back from the kept rows alike.
    for code in PLAN_CODES:
        assert code in LAI_CHAU_EXPECTED
        for grouping in GROUPINGS:
            kept_values = {key: values[code] for key, values in again[grouping].items()}
            assert kept_values == {key: values[code] for key, values in first[grouping].items()}, code
    by_club = again["club"]
    assert by_club[dataset.b.pk]["clubs_borrowing_50_pct"] == 100.0  # B: m6 of m6, m7
    assert by_club[dataset.a.pk]["clubs_all_8_and_borrowing_50_pct"] == 0.0  # the 8 areas, 40 % borrowing


@pytest.mark.postgresql(reason=KEEPING)
def test_a_second_report_reads_the_kept_rows_instead_of_the_register(dataset, lai_chau):
    scope = Scope(province=lai_chau)
    with CaptureQueriesContext(connection) as cold:
        compute_indicators(scope, ON)
    with CaptureQueriesContext(connection) as warm:
        compute_indicators(scope, ON)
    tables = " ".join(query["sql"] for query in warm)
    assert "members_membership" not in tables and "funds_loan" not in tables
    assert len(warm) < len(cold)


@pytest.mark.postgresql(reason=KEEPING)
def test_forgetting_everything_kept_makes_the_next_report_compute_every_club_afresh(dataset, lai_chau):
    """What `make bench` measures as "nothing kept": the first report of a day without `warm_reports`."""
    scope = Scope(province=lai_chau)
    first = compute_indicators(scope, ON)
    assert ClubFigures.objects.count() > 0
    club_figures.forget_all()
    assert ClubFigures.objects.count() == 0
    with CaptureQueriesContext(connection) as afresh:
        assert compute_indicators(scope, ON) == first
    assert "funds_loan" in " ".join(query["sql"] for query in afresh)  # read from the register again
    assert ClubFigures.objects.filter(club__province=lai_chau).count() == 5  # and kept again


@pytest.mark.postgresql(reason=KEEPING)
def test_figures_that_need_only_the_clubs_own_rows_are_not_kept(dataset, lai_chau, monkeypatch):
    """Counting clubs or communes reads the clubs alone: cheaper than keeping a row per club (and reading
    it back), so nothing is kept for them, and no connection is opened for queries that do not run."""
    scope = Scope(province=lai_chau)
    runs = []
    real = side_by_side.run
    monkeypatch.setattr(side_by_side, "run", lambda groups: runs.append(len(groups)) or real(groups))
    codes = {"clubs_total", "clubs_active", "communes_with_club_pct"}
    figures = compute_groups(scope, ON, None, GROUPINGS, codes)
    assert not ClubFigures.objects.exists() and runs == [0]
    assert figures == live(scope, groupings=GROUPINGS, codes=codes)
    assert figures["total"][None]["clubs_total"] == LAI_CHAU_EXPECTED["clubs_total"]
    # With a code that queries, the same request keeps its rows (and not those of the clubs alone).
    compute_groups(scope, ON, None, GROUPINGS, codes | {"members_total"})
    assert ClubFigures.objects.filter(club__province=lai_chau).count() == 5


def test_another_date_or_period_is_computed_apart(dataset, lai_chau):
    scope = Scope(province=lai_chau)
    compute_indicators(scope, ON)
    earlier = datetime.date(2026, 3, 13)
    assert compute_indicators(scope, earlier)["members_total"] == 10  # m4 and m5 still there
    quarter = Period(datetime.date(2026, 2, 1), ON)
    assert compute_indicators(scope, ON, quarter) == live(scope, period=quarter)["total"][None]


def _add_activity(d):
    Activity.objects.create(club=d.b, held_on=ON, area=8, kind=ActivityType.OTHER, title="Gây quỹ")


def _remove_activity(d):
    Activity.objects.filter(club=d.a, area=8).delete()


def _rename_sex(d):
    Member.objects.filter(pk=d.m1.pk).update(sex="M")  # a raw update, as an admin shell would


def _health_card(d):
    # A raw update of the card alone: members_health_insured (issue 16) must see it.
    Member.objects.filter(pk=d.m10.pk).update(has_health_insurance=True, health_insurance_expires_on=ON)


def _household(d):
    household_status_set(member=d.m11, status=Household.POOR, valid_from=datetime.date(2026, 3, 1))


def _household_row_edited(d):
    HouseholdStatus.objects.filter(member=d.m1).update(status=Household.NONE)


def _leave(d):
    member_leave(member=d.m11, left_on=ON, reason=LeaveReason.DIED)


def _move(d):
    member_move(member=d.m1, to_club=d.b, moved_on=datetime.date(2026, 3, 1))


def _join(d):
    make_member(d.b, full_name="Lù Văn Mới", birth_year=1950, sex="M", joined_on=datetime.date(2026, 3, 2))


def _membership_dates(d):
    Membership.objects.filter(member=d.m3).update(joined_on=datetime.date(2026, 3, 20))


def _board(d):
    ended = datetime.date(2026, 3, 1)
    BoardMembership.objects.filter(club=d.a, from_date__lte=ended, to_date=None).update(to_date=ended)


def _rating(d):
    ClubRating.objects.create(club=d.c, year=2025, rating=Rating.WEAK, rated_on=datetime.date(2026, 2, 1))


def _contribution(d):
    fund_entry_add(fund=d.b.funds.get(kind=FundKind.ACTIVITY), kind=EntryKind.CONTRIBUTION, amount=1_000_000,
                   entry_date=ON, source=Source.DONOR_PERSON, recorded_by=None)  # fmt: skip


def _loan(d):
    lend(d.b, d.m7, 2_000_000, datetime.date(2026, 3, 1))


def _repayment(d):
    loan_repay(
        loan=Loan.objects.get(member=d.m2), paid_on=ON, principal=1_000_000, interest=0, recorded_by=None
    )


def _instalment_moved(d):
    Instalment.objects.filter(loan__member=d.m3, number=1).update(due_on=datetime.date(2026, 2, 1))


def _imported(d):
    # A member list imported into club B (sheets' bulk writes: COPY, history copied by the server).
    with tempfile.TemporaryDirectory() as folder:
        rows = [["Họ và tên", "Năm sinh", "Giới tính", "Hoàn cảnh gia đình", "Ngày tham gia", "Mã CLB"]] + [
            [f"Lò Thị Nhập {n}", 1950 + n, "Nữ", "HN", "02/03/2026", d.b.code] for n in range(3)
        ]
        report = run_import("members", write_xlsx(Path(folder) / "ds.xlsx", rows), commit=True)
    assert report.committed and report.new == 3, report.errors


def _club_dissolved(d):
    Club.objects.filter(pk=d.b.pk).update(dissolved_on=datetime.date(2026, 3, 10))


CHANGES = [_add_activity, _remove_activity, _rename_sex, _health_card, _household, _household_row_edited, _leave, _move,
           _join, _membership_dates, _board, _rating, _contribution, _loan, _repayment, _instalment_moved,
           _club_dissolved, _imported]  # fmt: skip


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_kind_of_change_is_seen_by_the_next_report(dataset, lai_chau, change):
    scope = Scope(province=lai_chau)
    before = compute_groups(scope, ON, None, GROUPINGS)
    change(dataset)
    after = compute_groups(scope, ON, None, GROUPINGS)
    assert after == live(scope, groupings=GROUPINGS)
    assert after != before


@pytest.mark.postgresql(reason=KEEPING)
def test_a_change_made_while_the_figures_are_computed_is_not_trusted_afterwards(
    dataset, lai_chau, monkeypatch
):
    scope = Scope(club=dataset.b)
    computed = []
    real = club_figures.club_rows_many

    def computing(entries, scope, compute):
        def and_meanwhile(some, which):
            rows = compute(some, which)
            computed.append(which)
            _add_activity(dataset)  # committed by someone else after the figures were read
            return rows

        return real(entries, scope, and_meanwhile)

    monkeypatch.setattr(club_figures, "club_rows_many", computing)
    compute_indicators(scope, ON)
    monkeypatch.setattr(club_figures, "club_rows_many", real)
    assert computed == [[0]]
    kept = ClubFigures.objects.get(club=dataset.b)
    assert kept.version != ClubChange.objects.get(club=dataset.b).version
    assert compute_indicators(scope, ON) == live(scope)["total"][None]
    assert ClubFigures.objects.get(club=dataset.b).version == ClubChange.objects.get(club=dataset.b).version


@pytest.mark.postgresql(reason=KEEPING)
def test_a_deleted_club_takes_its_version_and_figures_with_it(lai_chau, tan_uyen):
    from tests.conftest import make_club

    club = make_club(tan_uyen, code="GONE", launched_on=datetime.date(2025, 1, 1))
    compute_indicators(Scope(club=club), ON)
    assert ClubChange.objects.filter(club_id=club.pk).exists()
    assert ClubFigures.objects.filter(club_id=club.pk).exists()
    club.funds.all().delete()
    club.delete()
    assert not ClubChange.objects.filter(club_id=club.pk).exists()
    assert not ClubFigures.objects.filter(club_id=club.pk).exists()


def test_the_series_is_counted_per_club_and_kept(dataset, lai_chau):
    scope = Scope(province=lai_chau)
    dates = [datetime.date(2024, 12, 31), datetime.date(2025, 12, 31), ON]
    series = history_series(scope, dates)
    # End of 2024: A, D, F (B and C came in 2026); members of A (m1 m2 m4 m5 m11 m7) and F (m10) and D (m8).
    assert series == [(dates[0], 3, 8), (dates[1], 3, 8), (ON, 4, 9)]
    assert history_series(scope, dates) == series
    assert history_series(scope, dates, known={ON: (4, 9)}) == series
    _join(dataset)
    assert history_series(scope, dates)[-1] == (ON, 4, 10)


@pytest.mark.postgresql(reason="the change triggers (pg_trigger) of reports migration 0002")
def test_every_watched_table_has_its_three_change_triggers_on(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'reports_changed_%%' AND tgenabled = 'O'"
        )
        (enabled,) = cursor.fetchone()
    assert enabled == 3 * 12


@pytest.mark.postgresql(reason=KEEPING)
def test_warm_reports_keeps_the_days_figures_for_the_first_reader(dataset, lai_chau):
    from django.core.management import call_command

    call_command("warm_reports", "--as-of", ON.isoformat(), stdout=io.StringIO())
    key = f"rows|{ON}|{ON.replace(month=1, day=1)}|{ON}|"
    kept = ClubFigures.objects.filter(key__startswith=key)
    assert set(kept.values_list("club_id", flat=True)) == set(Club.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        national = compute_indicators(Scope(), ON)
    assert not any("members_membership" in query["sql"] for query in queries)
    assert national == live(Scope())["total"][None]


def test_warm_reports_does_nothing_where_figures_are_not_kept(dataset, settings):
    from django.core.management import call_command

    settings.REPORT_FIGURES_KEPT = False  # what SQLite always is (club_figures.enabled)
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("warm_reports", "--as-of", ON.isoformat(), stdout=out)
    assert "Report figures are not kept on this database" in out.getvalue()
    assert len(queries) == 0 and not ClubFigures.objects.exists()


def test_a_scope_that_can_hold_no_club_reads_nothing_kept(dataset):
    """A scope whose filter matches nothing by construction (no club id) reads no kept row and counts zero,
    as the live computation does."""
    empty = Scope(club_ids=frozenset())
    assert compute_indicators(empty, ON)["clubs_total"] == 0
    assert compute_groups(empty, ON, None, ("total", "club"))["club"] == {}
