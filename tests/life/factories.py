"""Small builders for club-life rows, shared by the tests in tests/life/."""

import datetime

from clubs.models import ActivityArea
from life.models import Activity, ActivityType, CareAssignment, CareVisit, ClubRating, HealthCheck
from tests.conftest import make_member

D = datetime.date


def make_activity(club, held_on, *, area=ActivityArea.SELF_HELP, kind=ActivityType.OTHER, title="Hoạt động"):
    return Activity.objects.create(club=club, held_on=held_on, area=area, kind=kind, title=title)


def make_meeting(club, held_on):
    return make_activity(club, held_on, kind=ActivityType.MONTHLY_MEETING, title="Sinh hoạt định kỳ")


def make_check(member, checked_on, systolic=120, diastolic=80, **fields):
    return HealthCheck.objects.create(
        member=member,
        club_id=member.club_id,
        checked_on=checked_on,
        systolic=systolic,
        diastolic=diastolic,
        **fields,
    )


def make_volunteer(club, **fields):
    fields.setdefault("full_name", "Lò Văn Tình")
    return make_member(club, is_volunteer=True, birth_year=1990, sex="M", **fields)


def make_care(club, volunteer, beneficiary, from_date, to_date=None):
    return CareAssignment.objects.create(
        club=club, volunteer=volunteer, beneficiary=beneficiary, from_date=from_date, to_date=to_date
    )


def make_visit(club, volunteer, beneficiary, visited_on):
    return CareVisit.objects.create(
        club=club, volunteer=volunteer, beneficiary=beneficiary, visited_on=visited_on, tasks=["talk"]
    )


def make_rating(club, year, rating="good", rated_on=None):
    return ClubRating.objects.create(
        club=club, year=year, rating=rating, rated_on=rated_on or D(year, 12, 20)
    )
