"""The demo club life: two years for the LCH-… clubs, deterministic, idempotent."""

import pytest
from django.db.models import F
from django.utils import timezone

from clubs.models import Club
from devdata.demo_life import demo_life_create
from life.models import Activity, Attendance, CareAssignment, CareVisit, ClubRating, HealthCheck
from life.selectors import (
    area_coverage,
    covers_all_areas,
    last_twelve_months,
    meetings_held,
    months_in_period,
    visits_overdue,
)
from tests.conftest import make_club, make_member
from tests.life.factories import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_clubs(tan_uyen, than_uyen):
    clubs = [
        make_club(commune, code=f"LCH-{n:03d}", decision_date=D(2018, 3, 1), launched_on=D(2018, 4, 1))
        for n, commune in enumerate([tan_uyen, than_uyen, tan_uyen], start=1)
    ]
    for club in clubs:
        for i in range(14):
            make_member(
                club,
                full_name=f"Thành Viên {club.code} {i}",
                birth_year=1940 + i * 3,
                is_volunteer=i % 4 == 0,
                joined_on=D(2018, 4, 1),
            )
    return clubs


def _life():
    return sorted(
        Activity.objects.values_list("club__code", "held_on", "area", "kind", "title", "participants_count")
    )


def test_nothing_happens_without_demo_clubs(club):
    club.code = "TU-01"
    club.save()
    assert demo_life_create() == 0
    assert not Activity.objects.exists()


def test_two_years_of_club_life_some_clubs_with_all_8_areas(demo_clubs):
    created = demo_life_create()
    assert created == Activity.objects.count() > 0
    today = timezone.localdate()
    first = Activity.objects.order_by("held_on").first().held_on
    assert (today - first).days > 640
    for model in (Attendance, HealthCheck, CareAssignment, CareVisit, ClubRating):
        assert model.objects.exists(), model
    clubs = Club.objects.filter(code__startswith="LCH-")
    start, end = last_twelve_months(today)
    coverage = area_coverage(clubs, start, end)
    full = {c.code for c in demo_clubs if covers_all_areas(coverage[c.pk])}
    assert full == {"LCH-001", "LCH-002"}  # the third club leaves out one or two areas
    meetings = meetings_held(clubs, start, end)
    assert all(6 <= meetings[c.pk] <= months_in_period(start, end) for c in demo_clubs)
    assert visits_overdue(clubs, today).exists()
    # Every meeting's attendance covers the members of the day, and readings are plausible.
    meeting = Activity.objects.filter(kind="meeting").first()
    assert meeting.attendance.count() == 14
    assert not HealthCheck.objects.filter(systolic__lte=F("diastolic")).exists()


def test_a_second_run_creates_nothing_and_a_fresh_run_is_the_same(demo_clubs):
    demo_life_create()
    first = _life()
    assert demo_life_create() == 0
    assert _life() == first
    for model in (Attendance, HealthCheck, CareVisit, CareAssignment, ClubRating, Activity):
        model.objects.all().delete()
    demo_life_create()
    assert _life() == first
