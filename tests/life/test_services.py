"""Writes of club life: health checks, activities with fund bookings, home care, ratings."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F, Sum

from clubs.models import ActivityArea
from funds.models import EntryKind, FundEntry, FundKind
from funds.services import loan_disburse
from life.models import Activity, ActivityType, ClubRating, HealthCheck
from life.services import (
    activity_create,
    activity_update,
    care_assignment_add,
    care_assignment_end,
    care_visit_add,
    club_rating_save,
    health_check_add,
    meeting_day_save,
)
from tests.conftest import make_member
from tests.life.factories import D, make_meeting, make_volunteer

pytestmark = pytest.mark.django_db


# --- health checks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"systolic": 20, "diastolic": 10}, "systolic", "Huyết áp tâm thu (số trên) 20 mmHg không hợp lý"),
        ({"systolic": 400, "diastolic": 80}, "systolic", "Huyết áp tâm thu (số trên) 400 mmHg không hợp lý"),
        ({"weight_kg": Decimal("0")}, "weight_kg", "Cân nặng 0 kg không hợp lý"),
        ({"systolic": 80, "diastolic": 120}, "diastolic", "phải lớn hơn tâm trương"),
        ({"systolic": 130}, "diastolic", "Hãy nhập đủ cả hai số huyết áp"),
        ({}, "__all__", "Hãy nhập ít nhất một chỉ số"),
    ],
)
def test_implausible_readings_are_refused_in_vietnamese(member, values, field, words):
    with pytest.raises(ValidationError) as error:
        health_check_add(member=member, checked_on=D(2025, 3, 1), **values)
    assert any(words in message for message in error.value.message_dict[field])
    assert not HealthCheck.objects.exists()


def test_a_plausible_check_is_saved_in_the_members_club(member, staff):
    check = health_check_add(
        member=member,
        checked_on=D(2025, 3, 1),
        weight_kg=Decimal("48.5"),
        systolic=135,
        diastolic=85,
        pulse=72,
        recorded_by=staff,
    )
    assert (check.club_id, check.systolic, check.recorded_by) == (member.club_id, 135, staff)
    assert check.history.count() == 1


def test_a_check_outside_the_membership_is_refused(member):
    with pytest.raises(ValidationError):
        health_check_add(member=member, checked_on=D(2023, 3, 1), systolic=120, diastolic=80)


# --- activities and fund contributions ---------------------------------------------------------


def _fund_raising(club, **fields):
    values = {
        "club": club,
        "held_on": D(2025, 4, 12),
        "area": ActivityArea.RESOURCES,
        "kind": ActivityType.FUND_RAISING,
        "title": "Vận động ủng hộ quỹ",
        "money_raised": 3_500_000,
        "source": "members",
    }
    return activity_create(**(values | fields))


def _capital(club, kind):
    total = FundEntry.objects.filter(fund__club=club, fund__kind=kind).aggregate(
        s=Sum(F("amount") * F("direction"))
    )
    return total["s"] or 0


def test_fund_raising_can_book_a_contribution_in_the_same_step(club, staff):
    activity = _fund_raising(club, book_to_fund=FundKind.ACTIVITY, source="donor_person", recorded_by=staff)
    entry = activity.fund_entry
    assert (entry.kind, entry.direction, entry.amount, entry.source) == (
        EntryKind.CONTRIBUTION,
        1,
        3_500_000,
        "donor_person",
    )
    assert entry.fund.kind == FundKind.ACTIVITY and entry.entry_date == D(2025, 4, 12)
    assert _capital(club, FundKind.ACTIVITY) == 3_500_000


def test_without_booking_no_ledger_entry_is_made(club):
    activity = _fund_raising(club)
    assert activity.fund_entry is None
    assert not FundEntry.objects.exists()


def test_changing_the_amount_reverses_the_old_entry_and_books_the_new_one(club):
    activity = _fund_raising(club, book_to_fund=FundKind.INCOME)
    old = activity.fund_entry
    activity_update(activity=activity, money_raised=4_000_000, book_to_fund=FundKind.INCOME)
    activity.refresh_from_db()
    assert activity.fund_entry != old
    assert FundEntry.objects.get(reverses=old).kind == EntryKind.CORRECTION
    assert _capital(club, FundKind.INCOME) == 4_000_000
    # Unbooking reverses it too; the ledger keeps every line.
    activity_update(activity=activity, book_to_fund=None)
    assert _capital(club, FundKind.INCOME) == 0
    assert FundEntry.objects.count() == 4


def test_the_reversal_keeps_the_date_of_the_booking(club):
    activity = _fund_raising(club, book_to_fund=FundKind.INCOME)
    old = activity.fund_entry
    activity_update(activity=activity, held_on=D(2025, 5, 2), book_to_fund=FundKind.INCOME)
    assert FundEntry.objects.get(reverses=old).entry_date == D(2025, 4, 12)
    activity.refresh_from_db()
    assert activity.fund_entry.entry_date == D(2025, 5, 2)


def test_money_already_lent_cannot_be_unbooked(club, member):
    activity = _fund_raising(club, book_to_fund=FundKind.INCOME)
    loan_disburse(
        fund=club.funds.get(kind=FundKind.INCOME),
        member=member,
        disbursed_on=D(2025, 4, 20),
        principal=3_500_000,
        purpose="livestock",
        term_months=6,
        interest_rate=0,
        rate_period="month",
        plan="equal_monthly",
        recorded_by=None,
    )
    with pytest.raises(ValidationError):
        activity_update(activity=activity, book_to_fund=None)
    activity.refresh_from_db()
    assert activity.fund_entry is not None and FundEntry.objects.count() == 1


def test_an_unchanged_booking_writes_nothing(club):
    activity = _fund_raising(club, book_to_fund=FundKind.INCOME)
    activity_update(activity=activity, title="Vận động nhà hảo tâm", book_to_fund=FundKind.INCOME)
    assert FundEntry.objects.count() == 1


def test_booking_needs_an_amount(club):
    with pytest.raises(ValidationError):
        _fund_raising(club, money_raised=None, book_to_fund=FundKind.INCOME)
    assert not Activity.objects.exists() and not FundEntry.objects.exists()


def test_participants_must_belong_to_the_club(club, other_club):
    outsider = make_member(other_club)
    with pytest.raises(ValidationError) as error:
        _fund_raising(club, participants=[outsider])
    assert "không phải thành viên của CLB" in str(error.value)


def test_participants_raise_the_count(club):
    members = [make_member(club, full_name=f"Người {i}") for i in range(3)]
    activity = _fund_raising(club, participants=members, participants_count=1)
    assert activity.participants_count == 3
    assert set(activity.participants.all()) == set(members)


def test_one_monthly_meeting_per_club_and_day(club):
    make_meeting(club, D(2025, 4, 5))
    with pytest.raises(ValidationError) as error:
        activity_create(
            club=club, held_on=D(2025, 4, 5), area=1, kind=ActivityType.MONTHLY_MEETING, title="Họp lần hai"
        )
    assert "đã có buổi sinh hoạt định kỳ" in str(error.value)


def test_a_meeting_with_attendance_keeps_its_kind_and_date(club, member):
    meeting = meeting_day_save(
        club=club, held_on=D(2025, 4, 5), attendance={member.pk: "present"}, health_checks={}
    )
    for change in ({"kind": ActivityType.TRAINING}, {"held_on": D(2025, 4, 6)}):
        with pytest.raises(ValidationError):
            activity_update(activity=meeting, **change)
    activity_update(activity=meeting, title="Sinh hoạt tháng 4 và mừng thọ")
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.title) == (D(2025, 4, 5), "Sinh hoạt tháng 4 và mừng thọ")


def test_future_activities_are_refused(club):
    with pytest.raises(ValidationError):
        _fund_raising(club, held_on=D(2999, 1, 1))


# --- home care ---------------------------------------------------------------------------------


def test_care_needs_a_volunteer_of_the_club(club, other_club, member):
    not_volunteer = make_member(club, full_name="Chưa Là TNV")
    with pytest.raises(ValidationError) as error:
        care_assignment_add(club=club, volunteer=not_volunteer, beneficiary=member, from_date=D(2025, 1, 1))
    assert "chưa được ghi là tình nguyện viên" in str(error.value)
    with pytest.raises(ValidationError):
        care_assignment_add(
            club=club, volunteer=make_volunteer(other_club), beneficiary=member, from_date=D(2025, 1, 1)
        )


def test_care_assignment_then_end_and_no_duplicate(club, member):
    volunteer = make_volunteer(club)
    assignment = care_assignment_add(
        club=club, volunteer=volunteer, beneficiary=member, from_date=D(2025, 1, 1)
    )
    with pytest.raises(ValidationError):
        care_assignment_add(club=club, volunteer=volunteer, beneficiary=member, from_date=D(2025, 3, 1))
    with pytest.raises(ValidationError) as error:
        care_assignment_end(assignment=assignment, to_date=D(2024, 12, 1))
    assert "không được trước ngày bắt đầu" in str(error.value)
    care_assignment_end(assignment=assignment, to_date=D(2025, 6, 1))
    assignment.refresh_from_db()
    assert assignment.to_date == D(2025, 6, 1)


def test_a_visit_needs_tasks(club, member):
    volunteer = make_volunteer(club)
    with pytest.raises(ValidationError):
        care_visit_add(club=club, visited_on=D(2025, 2, 1), volunteer=volunteer, beneficiary=member, tasks=[])
    with pytest.raises(ValidationError):
        care_visit_add(
            club=club, visited_on=D(2025, 2, 1), volunteer=volunteer, beneficiary=member, tasks=["dance"]
        )
    visit = care_visit_add(
        club=club,
        visited_on=D(2025, 2, 1),
        volunteer=volunteer,
        beneficiary=member,
        tasks=["meals", "medicine"],
    )
    assert visit.tasks == ["meals", "medicine"]


# --- ratings -----------------------------------------------------------------------------------


def test_one_rating_per_club_and_year_a_second_save_corrects_it(club, lai_chau_officer):
    club_rating_save(club=club, year=2025, rating="good", rated_on=D(2025, 12, 20), rated_by=lai_chau_officer)
    club_rating_save(club=club, year=2025, rating="strong", rated_on=D(2026, 1, 5), note="Sửa")
    row = ClubRating.objects.get(club=club)
    assert (row.rating, row.rated_on, row.note) == ("strong", D(2026, 1, 5), "Sửa")


@pytest.mark.parametrize(
    ("year", "rated_on"),
    [(2023, D(2023, 12, 1)), (2025, D(2024, 12, 1)), (2999, D(2999, 1, 1))],
    ids=["before-founding", "rated-before-the-year", "future"],
)
def test_implausible_ratings_are_refused(club, year, rated_on):
    with pytest.raises(ValidationError):
        club_rating_save(club=club, year=year, rating="good", rated_on=rated_on)
    assert not ClubRating.objects.exists()
