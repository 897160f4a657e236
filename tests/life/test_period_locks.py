"""Club-life writes dated inside an approved period are refused (issue 16): activities, the meeting
day (all or nothing), health checks, home care and ratings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clubs.locks import PeriodLocked, period_reopen
from clubs.models import ActivityArea
from funds.models import FundKind
from funds.services import CollectionLine
from life.models import Activity, ActivityType, HealthCheck
from life.services import (
    activity_create,
    activity_update,
    care_assignment_add,
    care_visit_add,
    club_rating_save,
    health_check_add,
    meeting_day_save,
)
from tests.conftest import make_member
from tests.funds.conftest import D, contribute, lend
from tests.life.factories import make_volunteer
from tests.period_locks import (
    INSIDE,
    OUTSIDE,
    assert_locked_message,
    lock_h1,
    refused_outside_and_reopened,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lock(club, tan_uyen, lai_chau_officer):
    return lock_h1(tan_uyen, lai_chau_officer)


def _activity(club, day, **fields):
    return activity_create(
        club=club, held_on=day, area=ActivityArea.CULTURE, kind=ActivityType.CULTURE_SPORT, title="Văn nghệ",
        participants_count=20, **fields,
    )  # fmt: skip


def test_an_activity_inside_the_period_is_refused(club, lock, lai_chau_officer):
    refused_outside_and_reopened(
        lock, lai_chau_officer, lambda: _activity(club, INSIDE), lambda: _activity(club, OUTSIDE)
    )


def test_an_activity_of_the_period_cannot_be_changed_nor_moved_into_it(club, tan_uyen, lai_chau_officer):
    approved = _activity(club, INSIDE)
    later = _activity(club, OUTSIDE)
    lock = lock_h1(tan_uyen, lai_chau_officer)
    for activity, fields in ((approved, {"participants_count": 35}), (later, {"held_on": D(2026, 6, 1)})):
        with pytest.raises(PeriodLocked):
            activity_update(activity=activity, **fields)
    assert set(Activity.objects.values_list("held_on", "participants_count")) == {(INSIDE, 20), (OUTSIDE, 20)}
    activity_update(activity=later, participants_count=25)  # open period: allowed
    period_reopen(lock=lock, by=lai_chau_officer, reason="Sửa số người tham gia")
    activity_update(activity=approved, participants_count=35)
    assert Activity.objects.get(pk=approved.pk).participants_count == 35


def test_a_fund_raising_activity_inside_the_period_books_nothing(club, lock):
    before = snapshot()
    with pytest.raises(PeriodLocked):
        _activity(club, INSIDE, money_raised=2_000_000, book_to_fund=FundKind.ACTIVITY, source="members")
    assert snapshot() == before


def test_a_health_check_inside_the_period_is_refused(club, member, lock, lai_chau_officer):
    def check(day):
        return lambda: health_check_add(member=member, checked_on=day, systolic=150, diastolic=95)

    refused_outside_and_reopened(lock, lai_chau_officer, check(INSIDE), check(OUTSIDE))


def test_home_care_inside_the_period_is_refused(club, member, lock, lai_chau_officer):
    volunteer = make_volunteer(club)

    def visit(day):
        return lambda: care_visit_add(
            club=club, visited_on=day, volunteer=volunteer, beneficiary=member, tasks=["talk"]
        )

    refused_outside_and_reopened(lock, lai_chau_officer, visit(INSIDE), visit(OUTSIDE))
    lock = lock_h1(club.commune, lai_chau_officer)
    refused_outside_and_reopened(
        lock,
        lai_chau_officer,
        lambda: care_assignment_add(club=club, volunteer=volunteer, beneficiary=member, from_date=INSIDE),
    )


def test_a_rating_given_inside_the_period_is_refused_and_stays(club, tan_uyen, lai_chau_officer):
    lock = lock_h1(tan_uyen, lai_chau_officer)
    refused_outside_and_reopened(
        lock,
        lai_chau_officer,
        lambda: club_rating_save(club=club, year=2025, rating="good", rated_on=INSIDE),
        lambda: club_rating_save(club=club, year=2024, rating="average", rated_on=OUTSIDE),
    )
    lock_h1(tan_uyen, lai_chau_officer)
    # The 2025 rating was given on 15/05/2026, inside the approved half year: a correction is refused.
    with pytest.raises(PeriodLocked):
        club_rating_save(club=club, year=2025, rating="strong", rated_on=OUTSIDE)
    assert club.ratings.get(year=2025).rating == "good"


# --- the meeting day: attendance, readings and repayments together ---------------------------------


@pytest.fixture
def day_members(club):
    return [make_member(club, full_name="Nguyễn Thị An"), make_member(club, full_name="Lò Thị Bình")]


def test_the_meeting_day_inside_the_period_saves_nothing(club, day_members, tan_uyen, lai_chau_officer):
    fund = club.funds.get(kind=FundKind.INCOME)
    contribute(fund, 20_000_000, D(2025, 1, 2))
    loan = lend(fund, day_members[0], 6_000_000, D(2025, 10, 1))
    lock = lock_h1(tan_uyen, lai_chau_officer)

    def day(held_on):
        return lambda: meeting_day_save(
            club=club,
            held_on=held_on,
            attendance={m.pk: "present" for m in day_members},
            health_checks={day_members[1].pk: {"systolic": 140, "diastolic": 90}},
            repayments=[CollectionLine(loan, principal=1_000_000)],
        )

    refused_outside_and_reopened(lock, lai_chau_officer, day(INSIDE), day(OUTSIDE))
    assert HealthCheck.objects.filter(checked_on=INSIDE).count() == 1
    assert loan.repayments.filter(paid_on=INSIDE).count() == 1


def test_the_meeting_day_refusal_costs_one_query(club, day_members, lock):
    with CaptureQueriesContext(connection) as queries, pytest.raises(PeriodLocked) as refused:
        meeting_day_save(
            club=club, held_on=INSIDE, attendance={m.pk: "present" for m in day_members}, health_checks={}
        )
    assert_locked_message(refused.value)
    asked = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    assert len(asked) == 1 and "clubs_periodlock" in asked[0]


def test_the_meeting_day_page_shows_the_refusal_and_saves_nothing(client_for, staff, club, day_members, lock):
    from tests.life.test_meeting_day import sheet, url

    rows = {day_members[0]: ("present", "50", "130", "85", "70"), day_members[1]: ("absent", "", "", "", "")}
    before = snapshot()
    response = client_for(staff).post(url(club, INSIDE), sheet(day_members, rows))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-H1" in page and "Lò Văn Duyệt" in page and "không thể ghi hay sửa số liệu ngày 15/05/2026" in page
    assert snapshot() == before
    response = client_for(staff).post(url(club, OUTSIDE), sheet(day_members, rows))
    assert response.status_code == 302
    assert HealthCheck.objects.filter(checked_on=OUTSIDE).count() == 1
