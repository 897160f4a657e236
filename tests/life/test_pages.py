"""Every club-life page: who may open it, what it shows, how many queries it runs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funds.models import FundEntry
from life.models import Activity, ActivityType, CareVisit, HealthCheck
from life.services import meeting_day_save, members_on
from tests.conftest import make_member
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


@pytest.fixture
def life(club, member):
    """A little club life in `club`: an activity, a check, a care assignment and visit, a rating."""
    volunteer = make_volunteer(club)
    return {
        "activity": make_activity(club, D(2025, 3, 1)),
        "check": make_check(member, D(2025, 3, 1), 150, 95),
        "assignment": make_care(club, volunteer, member, D(2025, 1, 1)),
        "visit": make_visit(club, volunteer, member, D(2025, 3, 2)),
        "rating": make_rating(club, 2024),
        "volunteer": volunteer,
    }


READ_PAGES = [
    ("life:activity-list", "club"),
    ("life:health-list", "club"),
    ("life:care-board", "club"),
    ("life:ratings", "club"),
    ("life:activity-detail", "activity"),
    ("life:member-health", "member"),
]
WRITE_PAGES = [
    ("life:activity-add", "club"),
    ("life:meeting-day", "club"),
    ("life:health-check-add", "club"),
    ("life:care-assignment-add", "club"),
    ("life:care-visit-add", "club"),
    ("life:activity-edit", "activity"),
]


def page_url(name, target, club, member, life):
    obj = {"club": club, "member": member, "activity": life["activity"]}[target]
    return reverse(name, args=[obj.pk])


@pytest.mark.parametrize(("name", "target"), READ_PAGES + WRITE_PAGES)
def test_anonymous_users_are_sent_to_login(client_for, club, member, life, name, target):
    response = client_for(None).get(page_url(name, target, club, member, life))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "target"), READ_PAGES + WRITE_PAGES)
def test_outsiders_get_404(
    client_for, club, member, life, other_staff, thanh_hoa_officer, nobody, name, target
):
    url = page_url(name, target, club, member, life)
    for user in (other_staff, thanh_hoa_officer, nobody):
        assert client_for(user).get(url).status_code == 404, user


@pytest.mark.parametrize(("name", "target"), READ_PAGES)
def test_read_pages_open_to_everyone_in_the_area(
    client_for, club, member, life, staff, lai_chau_officer, admin_user, name, target
):
    url = page_url(name, target, club, member, life)
    for user in (staff, lai_chau_officer, admin_user):
        assert client_for(user).get(url).status_code == 200, user


@pytest.mark.parametrize(("name", "target"), WRITE_PAGES)
def test_write_pages_are_for_commune_staff_and_admins(
    client_for, club, member, life, staff, lai_chau_officer, admin_user, name, target
):
    url = page_url(name, target, club, member, life)
    assert client_for(lai_chau_officer).get(url).status_code == 403
    assert client_for(lai_chau_officer).post(url, {}).status_code == 403
    assert client_for(staff).get(url).status_code == 200
    assert client_for(admin_user).get(url).status_code == 200


def test_ending_an_assignment_needs_edit_rights(client_for, life, staff, other_staff, lai_chau_officer):
    url = reverse("life:care-assignment-end", args=[life["assignment"].pk])
    assert client_for(None).post(url, {"to_date": "2025-06-01"}).status_code == 302
    assert client_for(other_staff).post(url, {"to_date": "2025-06-01"}).status_code == 404
    assert client_for(lai_chau_officer).post(url, {"to_date": "2025-06-01"}).status_code == 403
    assert client_for(staff).get(url).status_code == 405
    assert client_for(staff).post(url, {"to_date": "2025-06-01"}).status_code == 302
    life["assignment"].refresh_from_db()
    assert life["assignment"].to_date == D(2025, 6, 1)


# --- what the pages do -------------------------------------------------------------------------


def test_the_timeline_filters_by_area_kind_and_period(client_for, staff, club):
    make_activity(club, D(2025, 1, 1), area=1, title="Tập huấn chăn nuôi")
    make_activity(club, D(2025, 6, 30), area=7, kind=ActivityType.CULTURE_SPORT, title="Giao lưu văn nghệ")
    make_activity(club, D(2025, 7, 1), area=7, title="Sau kỳ")
    client = client_for(staff)
    url = reverse("life:activity-list", args=[club.pk])

    def titles(**query):
        return [a.title for a in client.get(url, query).context["page"]]

    assert titles(start="2025-01-01", end="2025-06-30") == ["Giao lưu văn nghệ", "Tập huấn chăn nuôi"]
    assert titles(start="01/01/2025", end="30/06/2025", area="7") == ["Giao lưu văn nghệ"]
    assert titles(start="2025-01-01", end="2025-12-31", kind="culture") == ["Giao lưu văn nghệ"]
    response = client.get(url, {"start": "2025-01-01", "end": "2025-06-30"})
    assert [covered for _area, covered in response.context["areas"]] == [True] + [False] * 5 + [True, False]


def test_adding_a_fund_raising_activity_books_the_contribution(client_for, staff, club):
    response = client_for(staff).post(
        reverse("life:activity-add", args=[club.pk]),
        {
            "held_on": "12/04/2025",
            "area": "8",
            "kind": "fund_raising",
            "title": "Vận động nhà hảo tâm",
            "participants_count": "12",
            "volunteers_count": "0",
            "money_raised": "2,5 triệu",
            "book_to_fund": "income",
            "source": "donor_person",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.money_raised == 2_500_000 and activity.recorded_by == staff
    entry = FundEntry.objects.get()
    assert (entry.amount, entry.direction, entry.fund.kind) == (2_500_000, 1, "income")


def test_editing_an_activity(client_for, staff, life):
    activity = life["activity"]
    url = reverse("life:activity-edit", args=[activity.pk])
    response = client_for(staff).post(
        url,
        {
            "held_on": "2025-03-01",
            "area": "6",
            "kind": "training",
            "title": "Nói chuyện pháp luật",
            "participants_count": "30",
            "volunteers_count": "2",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.area, activity.title, activity.participants_count) == (6, "Nói chuyện pháp luật", 30)


def test_health_check_entry_refuses_implausible_values_in_vietnamese(client_for, staff, club, member):
    url = reverse("life:health-check-add", args=[club.pk])
    data = {
        "member": member.pk,
        "checked_on": "01/03/2025",
        "systolic": "20",
        "diastolic": "10",
        "weight_kg": "0",
    }
    response = client_for(staff).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Huyết áp tâm thu (số trên) 20 mmHg không hợp lý" in page
    assert "Cân nặng 0 kg không hợp lý" in page
    assert not HealthCheck.objects.exists()
    data |= {"systolic": "135", "diastolic": "85", "weight_kg": "52,5"}
    assert client_for(staff).post(url, data).status_code == 302
    assert str(HealthCheck.objects.get().weight_kg) == "52.5"


def test_a_visit_is_recorded_from_the_care_board(client_for, staff, club, life, member):
    response = client_for(staff).post(
        reverse("life:care-visit-add", args=[club.pk]),
        {
            "visited_on": "2025-03-20",
            "volunteer": life["volunteer"].pk,
            "beneficiary": member.pk,
            "tasks": ["meals", "cleaning"],
        },
    )
    assert response.status_code == 302
    assert CareVisit.objects.filter(tasks=["meals", "cleaning"]).exists()


def test_the_member_health_page_draws_the_blood_pressure_chart(client_for, staff, member):
    for month, (systolic, diastolic) in enumerate([(130, 80), (145, 92), (138, 86)], start=1):
        make_check(member, D(2025, month, 5), systolic, diastolic)
    page = client_for(staff).get(reverse("life:member-health", args=[member.pk])).content.decode()
    assert "<svg" in page and page.count("<polyline") == 2
    assert "05/02/2025: Tâm thu 145 mmHg" in page


def test_referrals_and_overdue_visits_are_scoped(
    client_for, club, other_club, thanh_hoa_club, member, staff, lai_chau_officer, thanh_hoa_officer
):
    # member in `club` (Tân Uyên), others in Than Uyên (same province) and Thanh Hóa.
    people = {club: member, other_club: make_member(other_club), thanh_hoa_club: make_member(thanh_hoa_club)}
    for c, person in people.items():
        make_check(person, D(2025, 3, 1), 160, 100)
        make_care(c, make_volunteer(c), person, D(2025, 1, 1))

    def seen(user, name):
        return {
            row.member.club if name == "life:referral-list" else row.club
            for row in _rows(client_for(user), name)
        }

    for name in ("life:referral-list", "life:overdue-visits"):
        assert seen(staff, name) == {club}
        assert seen(lai_chau_officer, name) == {club, other_club}
        assert seen(thanh_hoa_officer, name) == {thanh_hoa_club}
    # Asking for another area's club by id is a 404, not an empty list.
    assert client_for(staff).get(reverse("life:referral-list"), {"club": other_club.pk}).status_code == 404


def _rows(client, name):
    return list(client.get(reverse(name)).context["page"])


def test_the_overview_is_scoped(client_for, club, other_club, staff, lai_chau_officer, nobody):
    def codes(user):
        return [
            row["club"].code for row in client_for(user).get(reverse("life:club-overview")).context["rows"]
        ]

    assert codes(staff) == [club.code]
    assert codes(lai_chau_officer) == sorted([club.code, other_club.code])
    assert codes(nobody) == []


def test_the_navigation_shows_club_life_links_only_to_people_with_an_area(client_for, staff, nobody):
    link = reverse("life:referral-list")
    assert link in client_for(staff).get(reverse("home")).content.decode()
    assert link not in client_for(nobody).get(reverse("home")).content.decode()


# --- query counts ------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(club, n, start_day=1):
    """n members, each with a meeting attendance, a high check, a running assignment and a visit."""
    volunteer = make_volunteer(club, full_name=f"TNV {start_day}")
    for i in range(n):
        person = make_member(club, full_name=f"Người {start_day}-{i}")
        make_activity(club, D(2025, 1 + i % 12, 1 + (start_day + i) % 27), area=1 + i % 8, title=f"HĐ {i}")
        make_check(person, D(2025, 2, 1 + i % 27), 150, 95)
        make_care(club, volunteer, person, D(2025, 1, 1))
        make_visit(club, volunteer, person, D(2025, 1, 2))
        if i < 2:
            make_rating(club, 2000 + 10 * start_day + i)
    make_meeting(club, D(2025, 3, start_day))


@pytest.mark.parametrize(
    "name",
    [
        "life:club-overview",
        "life:referral-list",
        "life:overdue-visits",
        "life:activity-list",
        "life:health-list",
        "life:care-board",
        "life:ratings",
    ],
)
def test_lists_run_a_fixed_number_of_queries(client_for, staff, club, name):
    client = client_for(staff)
    url = reverse(name, args=[club.pk]) if name not in _AREA_PAGES else reverse(name)
    if name == "life:activity-list":
        url += "?start=2025-01-01&end=2025-12-31"
    _grow(club, 3, start_day=1)
    few = _queries(client, url)
    _grow(club, 25, start_day=2)
    assert _queries(client, url) <= few


_AREA_PAGES = {"life:club-overview", "life:referral-list", "life:overdue-visits"}


def test_the_member_health_page_runs_a_fixed_number_of_queries(client_for, staff, club):
    """A few checks, then more than a page of them (the list is paginated, the chart takes the latest)."""
    client = client_for(staff)
    few_checks = make_member(club, full_name="Ít Lần Đo")
    many_checks = make_member(club, full_name="Nhiều Lần Đo")
    for day in range(3):
        make_check(few_checks, D(2025, 1, 1 + day), 150, 95, weight_kg=50, pulse=70)
    for day in range(70):
        make_check(
            many_checks, D(2024, 1, 1) + datetime.timedelta(days=3 * day), 130 + day % 20, 85, pulse=72
        )
    few = _queries(client, reverse("life:member-health", args=[few_checks.pk]))
    many = _queries(client, reverse("life:member-health", args=[many_checks.pk]))
    assert many == few
    response = client.get(reverse("life:member-health", args=[many_checks.pk]) + "?page=2")
    assert len(response.context["page"]) == 20


def test_the_activity_page_lists_attendance_and_checks_in_a_fixed_number_of_queries(client_for, staff, club):
    """A meeting day of 3 members, then one of 28: the meeting's attendance, the health activity's checks."""
    client = client_for(staff)

    def meeting_day(held_on):
        members = list(members_on(club, held_on))
        meeting = meeting_day_save(
            club=club,
            held_on=held_on,
            attendance={m.pk: "present" if i % 3 else "absent" for i, m in enumerate(members)},
            health_checks={m.pk: {"systolic": 150, "diastolic": 95, "weight_kg": 50} for m in members},
            recorded_by=staff,
        )
        health = Activity.objects.get(held_on=held_on, kind=ActivityType.HEALTH_CHECK)
        return [reverse("life:activity-detail", args=[a.pk]) for a in (meeting, health)]

    for i in range(3):
        make_member(club, full_name=f"Người {i}")
    small = meeting_day(D(2025, 3, 5))
    for i in range(3, 28):
        make_member(club, full_name=f"Người {i}")
    large = meeting_day(D(2025, 4, 5))
    assert [_queries(client, url) for url in large] == [_queries(client, url) for url in small]
    page = client.get(large[1]).content.decode()
    assert page.count("150/95") == 28


def test_the_club_page_partials_run_a_fixed_number_of_queries(client_for, staff, club, member):
    from django.template import Context, Template

    template = Template(
        "{% include 'life/_club_life_summary.html' with club=club %}"
        "{% include 'life/_member_health.html' with member=member %}"
    )

    def render():
        with CaptureQueriesContext(connection) as ctx:
            html = template.render(Context({"club": club, "member": member, "user": staff}))
        return html, len(ctx.captured_queries)

    make_check(member, D(2025, 1, 5), 130, 85)
    render()  # the first render reads the user's area, kept for the rest of the request
    _html, few = render()
    _grow(club, 20)
    for month in range(2, 13):
        make_check(member, D(2025, month, 5), 130 + month, 85)
    html, many = render()
    assert many == few <= 2  # one for the club summary, one for the member's readings
    assert "Sinh hoạt CLB" in html and "<svg" in html
