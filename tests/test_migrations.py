"""A database made before the apps were split (places and club life were part of clubs) migrates
forward with all its data: the moves change only Django's record of the models, never a table."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from clubs.models import Club
from life.models import Activity, CareAssignment, ClubRating, HealthCheck
from places.models import Commune, LegacyCommune, Province

# The last migrations before the split: clubs still held the places and the club-life models.
BEFORE_THE_SPLIT = [
    ("clubs", "0004_one_meeting_a_day_care_dates_in_order"),
    ("members", "0004_membership_history"),
    ("funds", "0003_loan_schedule_summary"),
    ("reports", "0002_club_figures_kept_between_reports"),
    ("sheets", "0001_import_jobs"),
]
D = datetime.date



def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_the_split_migrates_forward_with_its_data(request):
    if request.config.getoption("nomigrations"):
        pytest.skip("the schema was built from the models (--nomigrations): there are no migrations to run")
    province_type = ContentType.objects.get_for_model(Province).pk
    executor = _migrate(BEFORE_THE_SPLIT)
    old = executor.loader.project_state(BEFORE_THE_SPLIT).apps
    # The rows an installation of that time held, written through the models as they were then.
    commune = old.get_model("clubs", "Commune").objects.get(code=3598)  # Xã Tân Uyên, Lai Châu
    legacy = old.get_model("clubs", "LegacyCommune").objects.filter(current_communes=commune).first()
    club = old.get_model("clubs", "Club").objects.create(
        code="OLD-01", name="CLB trước khi tách", province_id=commune.province_id, commune=commune,
        legacy_commune=legacy, decision_date=D(2019, 3, 1), launched_on=D(2019, 4, 1),
    )  # fmt: skip
    member = old.get_model("members", "Member").objects.create(
        club_id=club.pk, full_name="Lò Thị En", search_key="lo thi en", birth_year=1950, sex="F",
        joined_on=D(2019, 4, 1),
    )  # fmt: skip
    activity = old.get_model("clubs", "Activity").objects.create(
        club=club, held_on=D(2026, 5, 5), area=2, kind="meeting", title="Sinh hoạt tháng 5"
    )
    activity.participants.add(member.pk)
    old.get_model("clubs", "Attendance").objects.create(activity=activity, member_id=member.pk, status="present")
    old.get_model("clubs", "HealthCheck").objects.create(
        club=club, member_id=member.pk, checked_on=D(2026, 5, 5), systolic=150, diastolic=95, activity=activity
    )
    old.get_model("clubs", "CareAssignment").objects.create(
        club=club, volunteer_id=member.pk, beneficiary_id=member.pk, from_date=D(2026, 1, 1)
    )
    old.get_model("clubs", "ClubRating").objects.create(club=club, year=2025, rating="good", rated_on=D(2026, 1, 10))
    assert ContentType.objects.get(pk=province_type).app_label == "clubs"

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    club = Club.objects.select_related("commune__province", "legacy_commune").get(code="OLD-01")
    assert club.commune == Commune.objects.get(code=3598) and club.province.name == "Tỉnh Lai Châu"
    assert club.legacy_commune == LegacyCommune.objects.filter(current_communes__code=3598).first()
    meeting = Activity.objects.get(club=club)
    assert list(meeting.participants.values_list("full_name", flat=True)) == ["Lò Thị En"]
    assert meeting.attendance.get().status == "present"
    check = HealthCheck.objects.get(club=club)
    assert (check.systolic, check.diastolic, check.activity) == (150, 95, meeting)
    assert CareAssignment.objects.filter(club=club).count() == 1
    assert ClubRating.objects.get(club=club).get_rating_display() == "Khá"
    # The content types follow the models, so permissions and admin log entries keep pointing at them.
    assert ContentType.objects.get(pk=province_type).app_label == "places"
    assert ContentType.objects.get_for_model(Province).pk == province_type
    assert Province.objects.count() == 34 and Commune.objects.count() == 3321
