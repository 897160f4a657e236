"""The club-life figures reports rely on: 8-area coverage, meetings, ratings, referrals, overdue visits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clubs.models import ActivityArea, Club
from funds.models import RatePeriod, RepaymentPlan
from funds.services import fund_entry_add, loan_disburse
from life.models import ActivityType
from life.selectors import (
    area_coverage,
    club_life_figures,
    club_rating_checklist,
    covers_all_areas,
    last_twelve_months,
    latest_ratings,
    meetings_held,
    months_in_period,
    referral_list,
    visits_overdue,
)
from members.services import member_leave
from tests.conftest import make_club, make_member
from tests.life.factories import (
    D,
    make_activity,
    make_care,
    make_check,
    make_meeting,
    make_rating,
    make_visit,
    make_volunteer,
)

pytestmark = pytest.mark.django_db

START, END = D(2025, 1, 1), D(2025, 6, 30)


def clubs_of(*clubs):
    return Club.objects.filter(pk__in=[c.pk for c in clubs])


# --- 8-area coverage ---------------------------------------------------------------------------


def test_coverage_counts_activities_on_the_first_and_last_day_of_the_period(club):
    make_activity(club, START, area=ActivityArea.LIVELIHOOD)
    make_activity(club, END, area=ActivityArea.RESOURCES)
    make_activity(club, D(2024, 12, 31), area=ActivityArea.HEALTH)  # the day before
    make_activity(club, D(2025, 7, 1), area=ActivityArea.CULTURE)  # the day after
    assert area_coverage(clubs_of(club), START, END) == {club.pk: {1, 8}}


def test_coverage_lists_every_club_even_without_activities(club, other_club):
    make_activity(club, D(2025, 3, 1), area=ActivityArea.RIGHTS)
    make_activity(club, D(2025, 3, 2), area=ActivityArea.RIGHTS)
    assert area_coverage(clubs_of(club, other_club), START, END) == {club.pk: {5}, other_club.pk: set()}


def test_a_club_covers_all_8_areas_only_with_every_area(club, other_club):
    for area in ActivityArea:
        make_activity(club, D(2025, 2, area.value), area=area)
        if area != ActivityArea.RIGHTS:
            make_activity(other_club, D(2025, 2, area.value), area=area)
    coverage = area_coverage(clubs_of(club, other_club), START, END)
    assert covers_all_areas(coverage[club.pk])
    assert not covers_all_areas(coverage[other_club.pk])


# --- meetings ----------------------------------------------------------------------------------


def test_meetings_count_distinct_months_including_the_period_edges(club, other_club):
    make_meeting(club, START)
    make_meeting(club, D(2025, 1, 20))  # a second meeting in January counts once
    make_meeting(club, D(2025, 3, 15))
    make_meeting(club, END)
    make_meeting(club, D(2025, 7, 1))  # outside
    make_activity(club, D(2025, 2, 10), kind=ActivityType.TRAINING)  # not a meeting
    assert meetings_held(clubs_of(club, other_club), START, END) == {club.pk: 3, other_club.pk: 0}


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2025, 1, 1), D(2025, 12, 31), 12),
        (D(2025, 1, 1), D(2025, 6, 30), 6),
        (D(2025, 1, 15), D(2025, 2, 3), 2),
        (D(2024, 11, 1), D(2025, 2, 28), 4),
        (D(2025, 3, 5), D(2025, 3, 5), 1),
        (D(2025, 3, 5), D(2025, 3, 4), 0),
    ],
)
def test_months_in_period(start, end, months):
    assert months_in_period(start, end) == months


def test_last_twelve_months_starts_on_the_first_of_the_month_eleven_months_back():
    assert last_twelve_months(D(2026, 3, 17)) == (D(2025, 4, 1), D(2026, 3, 17))
    assert last_twelve_months(D(2026, 12, 31)) == (D(2026, 1, 1), D(2026, 12, 31))
    assert months_in_period(*last_twelve_months(D(2026, 3, 17))) == 12


# --- ratings -----------------------------------------------------------------------------------


def test_latest_rating_is_the_latest_year_rated_by_the_date(club, other_club):
    make_rating(club, 2023, "average", D(2023, 12, 15))
    make_rating(club, 2024, "good", D(2025, 1, 10))
    assert latest_ratings(clubs_of(club, other_club), D(2025, 1, 10)) == {club.pk: (2024, "good")}
    # Before the 2024 rating was made, the 2023 one was the latest known.
    assert latest_ratings(clubs_of(club), D(2025, 1, 9)) == {club.pk: (2023, "average")}
    assert latest_ratings(clubs_of(club), D(2023, 1, 1)) == {}


# --- referral ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("systolic", "diastolic", "referred"),
    [(140, 80, True), (139, 90, True), (139, 89, False), (160, 100, True), (120, 70, False)],
)
def test_referral_threshold_is_140_or_90(club, systolic, diastolic, referred):
    member = make_member(club)
    make_check(member, D(2025, 5, 1), systolic, diastolic)
    assert (member in [c.member for c in referral_list(clubs_of(club), D(2025, 6, 1))]) is referred


def test_only_the_latest_check_counts(club):
    lowered = make_member(club, full_name="Hạ Huyết Áp")
    raised = make_member(club, full_name="Tăng Huyết Áp")
    make_check(lowered, D(2025, 3, 1), 165, 95)
    make_check(lowered, D(2025, 4, 1), 130, 80)
    make_check(raised, D(2025, 3, 1), 130, 80)
    make_check(raised, D(2025, 4, 1), 150, 85)
    make_check(raised, D(2025, 5, 1), weight_kg=50, systolic=None, diastolic=None)  # weight only: no BP
    rows = list(referral_list(clubs_of(club), D(2025, 6, 1)))
    assert [(r.member, r.checked_on) for r in rows] == [(raised, D(2025, 4, 1))]
    # Seen from before the normal reading, the lowered member was on the list.
    assert {r.member for r in referral_list(clubs_of(club), D(2025, 3, 15))} == {lowered}


def test_members_who_left_and_other_clubs_are_not_referred(club, other_club):
    gone = make_member(club, full_name="Đã Rời")
    elsewhere = make_member(other_club, full_name="CLB Khác")
    make_check(gone, D(2025, 3, 1), 170, 100)
    make_check(elsewhere, D(2025, 3, 1), 170, 100)
    member_leave(member=gone, left_on=D(2025, 5, 1), reason="moved")
    assert list(referral_list(clubs_of(club), D(2025, 6, 1))) == []
    assert [r.member for r in referral_list(clubs_of(club), D(2025, 4, 1))] == [gone]


# --- overdue visits ----------------------------------------------------------------------------

ON = D(2025, 6, 30)


@pytest.fixture
def volunteer(club):
    return make_volunteer(club)


@pytest.mark.parametrize(
    ("last_visit", "overdue"),
    [(D(2025, 6, 16), False), (D(2025, 6, 15), True), (D(2025, 6, 29), False), (None, True)],
    ids=["exactly-2-weeks-ago", "2-weeks-and-a-day", "yesterday", "never"],
)
def test_a_beneficiary_is_overdue_after_n_weeks_without_a_visit(club, volunteer, last_visit, overdue):
    beneficiary = make_member(club)
    make_care(club, volunteer, beneficiary, D(2025, 1, 1))
    if last_visit:
        make_visit(club, volunteer, beneficiary, last_visit)
    make_visit(club, volunteer, beneficiary, D(2025, 7, 5))  # after the date: does not count
    assert (beneficiary in visits_overdue(clubs_of(club), ON)) is overdue


def test_the_clock_starts_with_the_assignment(club, volunteer):
    new = make_member(club, full_name="Mới Phân Công")
    older = make_member(club, full_name="Phân Công Lâu")
    make_care(club, volunteer, new, D(2025, 6, 16))  # exactly 2 weeks: not overdue yet
    make_care(club, volunteer, older, D(2025, 6, 15))
    assert list(visits_overdue(clubs_of(club), ON)) == [older]


def test_ended_assignments_and_the_weeks_setting(club, volunteer, settings):
    ended = make_member(club, full_name="Hết Phân Công")
    running = make_member(club, full_name="Đang Chăm Sóc")
    make_care(club, volunteer, ended, D(2025, 1, 1), D(2025, 6, 1))
    make_care(club, volunteer, running, D(2025, 1, 1))
    make_visit(club, volunteer, running, D(2025, 6, 5))
    assert list(visits_overdue(clubs_of(club), ON)) == [running]
    assert list(visits_overdue(clubs_of(club), ON, weeks=4)) == []
    settings.CARE_VISIT_OVERDUE_WEEKS = 4
    assert list(visits_overdue(clubs_of(club), ON)) == []
    row = visits_overdue(clubs_of(club), ON, weeks=2).get()
    assert row.last_visit == D(2025, 6, 5)
    assert [a.volunteer for a in row.running_care] == [volunteer]


# --- fixed query counts ------------------------------------------------------------------------


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as ctx:
        run()
    return len(ctx.captured_queries)


def _add_club_life(commune, n):
    clubs = []
    for i in range(n):
        c = make_club(commune)
        volunteer = make_volunteer(c)
        m = make_member(c, full_name=f"Thành Viên {i}")
        make_meeting(c, D(2025, 2, 3))
        make_activity(c, D(2025, 2, 4), area=ActivityArea.HEALTH)
        make_check(m, D(2025, 2, 3), 150, 95)
        make_care(c, volunteer, m, D(2025, 1, 1))
        make_rating(c, 2024)
        clubs.append(c)
    return clubs


def test_selectors_run_a_fixed_number_of_queries(tan_uyen):
    def run_all():
        clubs = Club.objects.all()
        area_coverage(clubs, START, END)
        meetings_held(clubs, START, END)
        latest_ratings(clubs, END)
        list(referral_list(clubs, END))
        list(visits_overdue(clubs, END))

    _add_club_life(tan_uyen, 2)
    few = _queries(run_all)
    _add_club_life(tan_uyen, 8)
    assert _queries(run_all) == few
    assert len(referral_list(Club.objects.all(), END)) == 10
    assert len(visits_overdue(Club.objects.all(), END)) == 10


# --- the assessor's checklist ------------------------------------------------------------------


def test_checklist_reports_meetings_and_areas_of_the_year(club):
    for month in range(1, 13):
        make_meeting(club, D(2025, month, 5))
    for area in ActivityArea:
        if area != ActivityArea.RIGHTS:
            make_activity(club, D(2025, 4, area.value), area=area)
    items = club_rating_checklist(club, 2025, today=D(2026, 1, 15))
    meetings, areas = items[0], items[1]
    assert (meetings.value, meetings.met) == ("12/12 tháng", True)
    assert areas.met is False
    assert areas.value.startswith("7/8")
    assert str(ActivityArea.RIGHTS.label) in areas.value


def test_checklist_of_the_running_year_counts_months_so_far(club):
    make_meeting(club, D(2026, 1, 5))
    make_meeting(club, D(2026, 2, 5))
    items = club_rating_checklist(club, 2026, today=D(2026, 3, 10))
    assert (items[0].value, items[0].met) == ("2/3 tháng", False)


def test_checklist_shows_fund_growth_and_par30(club, staff):
    from funds.services import fund_entry_add

    fund = club.funds.get(kind="income")
    fund_entry_add(
        fund=fund,
        kind="contribution",
        amount=10_000_000,
        entry_date=D(2025, 3, 1),
        source="members",
        recorded_by=staff,
    )
    items = {item.label: item for item in club_rating_checklist(club, 2025, today=D(2026, 1, 15))}
    growth = items["Quỹ tăng thu nhập được bảo toàn và tăng trưởng"]
    assert growth.met is True and "10.000.000" in growth.value
    assert items["Dư nợ quá hạn trên 30 ngày (PAR30) không quá 5%"].met is None  # nothing lent


@pytest.mark.parametrize(
    ("late", "on_time", "value", "met"),
    [
        (4_000_000, 6_000_000, "40,0%", False),
        (1_000_000, 19_000_000, "5,0%", True),  # at the 5% line: met
        (1_000_000, 18_000_000, "5,3%", False),
    ],
)
def test_checklist_judges_par30_at_the_end_of_the_year(club, late, on_time, value, met):
    """The whole balance of a loan more than 30 days late counts (CGAP), judged on 31/12."""
    fund = club.funds.get(kind="income")
    fund_entry_add(
        fund=fund,
        kind="contribution",
        amount=30_000_000,
        entry_date=D(2025, 1, 2),
        source="state",
        recorded_by=None,
    )
    # Both lent on 01/06/2025: Muộn, monthly from 01/07/2025 to 01/06/2026, has paid nothing (her
    # whole balance counts, not only the six instalments due); Đúng repays all on 01/06/2026.
    for name, principal, plan in (
        ("Lò Thị Muộn", late, RepaymentPlan.EQUAL_MONTHLY),
        ("Lò Thị Đúng", on_time, RepaymentPlan.AT_END),
    ):
        loan_disburse(
            fund=fund,
            member=make_member(club, full_name=name),
            disbursed_on=D(2025, 6, 1),
            principal=principal,
            purpose="livestock",
            term_months=12,
            interest_rate=0,
            rate_period=RatePeriod.MONTH,
            plan=plan,
            recorded_by=None,
        )
    items = {item.label: item for item in club_rating_checklist(club, 2025, today=D(2026, 1, 15))}
    par30 = items["Dư nợ quá hạn trên 30 ngày (PAR30) không quá 5%"]
    assert (par30.value, par30.met) == (value, met)


def test_checklist_shows_the_composition_check(club):
    items = {item.label: item for item in club_rating_checklist(club, 2025, today=D(2026, 1, 15))}
    composition = items["Cơ cấu thành viên đạt chuẩn"]
    assert composition.met is False  # a club without members does not meet the standard
    assert composition.value.startswith("Chưa đạt")


def test_the_one_club_figures_agree_with_the_selectors(club, other_club):
    make_meeting(club, START)
    make_meeting(club, D(2025, 1, 25))
    make_meeting(club, END)
    make_activity(club, D(2025, 3, 3), area=ActivityArea.RIGHTS)
    make_activity(club, D(2025, 7, 1), area=ActivityArea.CULTURE)  # after the period
    make_activity(other_club, D(2025, 3, 3), area=ActivityArea.HEALTH)
    make_rating(club, 2023, "weak", D(2023, 12, 1))
    make_rating(club, 2024, "strong", D(2025, 7, 1))  # rated after `on`
    clubs = clubs_of(club)
    figures = club_life_figures(club, START, END, END)
    assert figures == {
        "areas": area_coverage(clubs, START, END)[club.pk],
        "meetings": meetings_held(clubs, START, END)[club.pk],
        "rating": latest_ratings(clubs, END)[club.pk],
    }
    assert figures == {"areas": {4, 5}, "meetings": 2, "rating": (2023, "weak")}
    assert club_life_figures(other_club, START, END, END) == {"areas": {2}, "meetings": 0, "rating": None}
