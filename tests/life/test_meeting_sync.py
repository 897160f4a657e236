"""The meeting day recorded without signal and sent later: /club-life/meeting-day/sync/ takes one meeting
(a UUID the phone made, the club, the date, the sheet's fields) through the online form's forms and
`meeting_day_save`; /club-life/meeting-day/prepare/ gives what the phone keeps for the coming meetings."""

import datetime
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from clubs.locks import period_lock, period_reopen
from funds.models import Repayment
from funds.services import CollectionLine, collection_sheet_save
from life.models import Activity, ActivityType, Attendance, HealthCheck, MeetingSync
from members.services import member_leave
from tests.life import test_meeting_day
from tests.life.factories import D
from tests.life.test_meeting_day import DAY, nothing_saved, sheet

pytestmark = pytest.mark.django_db

SYNC = reverse("life:meeting-sync")
PREPARE = reverse("life:meeting-prepare")

# The meeting day's own fixtures: three members of `club`, a loan to the first.
members = test_meeting_day.members
loan = test_meeting_day.loan


def payload(club, members, rows, paid=None, *, client_id=None, day=DAY):
    return {
        "id": str(client_id or uuid.uuid4()),
        "club": club.pk,
        "date": day.isoformat(),
        "fields": sheet(members, rows, paid),
    }


def send(client, body):
    return client.post(SYNC, json.dumps(body), content_type="application/json")


def good_rows(members):
    an, binh, cha = members
    return {
        an: ("present", "48,5", "150", "95", "80"),
        binh: ("represented", "", "", "", ""),
        cha: ("absent", "", "", "", ""),
    }


def recorded():
    return (
        Activity.objects.filter(kind=ActivityType.MONTHLY_MEETING).count(),
        Attendance.objects.count(),
        HealthCheck.objects.count(),
        Repayment.objects.count(),
        MeetingSync.objects.count(),
    )


def test_a_meeting_recorded_offline_is_saved_through_the_meeting_day(client_for, staff, club, members, loan):
    body = payload(club, members, good_rows(members), {loan: ("1.000.000", "60.000")})
    response = send(client_for(staff), body)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["status"] == "saved" and answer["replayed"] is False
    assert (answer["participants"], answer["repayments"]) == (2, 1)
    assert answer["summary_url"] == reverse("life:meeting-summary", args=[club.pk, DAY])
    meeting = Activity.objects.get(kind=ActivityType.MONTHLY_MEETING)
    assert (meeting.club, meeting.held_on, meeting.recorded_by, meeting.participants_count) == (
        club,
        DAY,
        staff,
        2,
    )
    check = HealthCheck.objects.get()
    assert (check.member, check.systolic, check.diastolic, str(check.weight_kg)) == (
        members[0],
        150,
        95,
        "48.5",
    )
    repayment = Repayment.objects.get()
    assert (repayment.loan, repayment.paid_on, repayment.principal, repayment.interest) == (
        loan,
        DAY,
        1_000_000,
        60_000,
    )
    sync = MeetingSync.objects.get()
    assert (str(sync.client_id), sync.user, sync.club, sync.activity) == (body["id"], staff, club, meeting)


def test_a_replayed_sync_records_nothing_twice(client_for, staff, club, members, loan):
    client = client_for(staff)
    body = payload(club, members, good_rows(members), {loan: ("1.000.000", "")})
    first = send(client, body).json()
    before = recorded()
    assert before == (1, 3, 1, 1, 1)
    again = send(client, body)
    assert again.status_code == 200
    assert again.json() == first | {"replayed": True}
    assert recorded() == before
    # Another meeting from the phone (a new id) for the same day is a correction, as online: the
    # attendance is replaced and the repayment added.
    send(client, payload(club, members, good_rows(members), {loan: ("500.000", "")}))
    assert recorded() == (1, 3, 1, 2, 2)


def test_the_same_id_from_another_user_is_another_meeting(client_for, staff, admin_user, club, members):
    body = payload(club, members, good_rows(members))
    send(client_for(staff), body)
    response = send(client_for(admin_user), body)
    assert response.json()["replayed"] is False
    assert MeetingSync.objects.count() == 2


def test_one_bad_line_saves_nothing_and_names_the_line(client_for, staff, club, members, loan):
    an, binh, cha = members
    rows = good_rows(members) | {cha: ("present", "", "400", "80", "")}
    body = payload(club, members, rows, {loan: ("1.000.000", "")})
    response = send(client_for(staff), body)
    assert response.status_code == 422
    answer = response.json()
    assert answer["status"] == "refused"
    assert [line["line"] for line in answer["errors"]] == ["Vàng A Chá"]
    assert "Tâm thu" in answer["errors"][0]["message"]
    assert nothing_saved() and not MeetingSync.objects.exists()
    # Fixed on the phone and sent again under the same id: saved.
    body["fields"] = sheet(members, good_rows(members), {loan: ("1.000.000", "")})
    assert send(client_for(staff), body).json()["status"] == "saved"
    assert recorded() == (1, 3, 1, 1, 1)


def test_a_repayment_larger_than_owed_is_a_line_error(client_for, staff, club, members, loan):
    body = payload(club, members, good_rows(members), {loan: ("7.000.000", "")})
    response = send(client_for(staff), body)
    assert response.status_code == 422
    messages = " ".join(line["message"] for line in response.json()["errors"])
    assert "Nguyễn Thị An" in messages
    assert nothing_saved()


def test_a_loan_repaid_meanwhile_is_a_line_error(client_for, staff, club, members, loan):
    # Someone repaid the whole loan online at the meeting while the phone had no signal.
    collection_sheet_save(
        club=club,
        paid_on=DAY,
        lines=[CollectionLine(loan=loan, principal=6_000_000, interest=0)],
        recorded_by=staff,
    )
    body = payload(club, members, good_rows(members), {loan: ("1.000.000", "")})
    response = send(client_for(staff), body)
    assert response.status_code == 422
    assert "Nguyễn Thị An" in json.dumps(response.json(), ensure_ascii=False)
    assert Repayment.objects.count() == 1 and not Activity.objects.exists()


def test_a_repayment_for_a_loan_no_longer_on_the_sheet_is_refused(client_for, staff, club, members, loan):
    collection_sheet_save(
        club=club,
        paid_on=D(2025, 4, 10),
        lines=[CollectionLine(loan=loan, principal=6_000_000, interest=0)],
        recorded_by=staff,
    )
    body = payload(club, members, good_rows(members), {loan: ("1.000.000", "")})
    response = send(client_for(staff), body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "line": "Trả nợ: Nguyễn Thị An",
            "message": "Khoản vay này đã trả hết hoặc đã đóng trong lúc chờ đồng bộ; hãy xoá số tiền này.",
        }
    ]
    assert not Activity.objects.exists() and Repayment.objects.count() == 1


def test_a_member_who_left_is_named(client_for, staff, club, members):
    member_leave(member=members[2], left_on=D(2025, 5, 1), reason="moved")
    response = send(client_for(staff), payload(club, members, good_rows(members)))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"line": "Vàng A Chá", "message": "Không còn là thành viên của CLB vào ngày sinh hoạt."}
    ]
    assert nothing_saved()


def test_a_meeting_in_an_approved_period_is_refused_whole_and_kept_for_resending(
    client_for, staff, admin_user, club, members, loan
):
    lock = period_lock(
        commune=club.commune,
        label="2026-H1",
        starts_on=DAY - datetime.timedelta(days=10),
        ends_on=DAY + datetime.timedelta(days=10),
        by=admin_user,
    )
    body = payload(club, members, good_rows(members), {loan: ("1.000.000", "60.000")})
    client = client_for(staff)
    response = send(client, body)
    assert response.status_code == 422
    message = " ".join(error["message"] for error in response.json()["errors"])
    assert "2026-H1" in message and "duyệt" in message
    assert nothing_saved() and not MeetingSync.objects.exists()
    # Reopened by the province, the same phone entry goes through once.
    period_reopen(lock=lock, by=admin_user, reason="Xã ghi bổ sung buổi sinh hoạt")
    assert send(client, body).json()["status"] == "saved"
    assert recorded() == (1, 3, 1, 1, 1)  # one meeting, three attendance rows, one reading, one repayment


def test_a_date_in_the_future_is_refused(client_for, staff, club, members):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = send(client_for(staff), payload(club, members, good_rows(members), day=tomorrow))
    assert response.status_code == 422
    assert nothing_saved()


@pytest.mark.parametrize(
    "body", ["not json", "{}", '{"id": "x", "club": 1, "date": "2025-05-10", "fields": {}}']
)
def test_an_unreadable_sync_is_refused(client_for, staff, body):
    response = client_for(staff).post(SYNC, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"


@pytest.fixture
def national(db):
    from clubs.models import Role
    from tests.conftest import make_user

    return make_user("trunguong", Role.NATIONAL)


# The national level reads every club and records for none (the walker's column: tests/test_permissions.py).
@pytest.mark.parametrize("who", ["other_staff", "lai_chau_officer", "thanh_hoa_officer", "nobody", "national"])
def test_a_club_outside_the_users_commune_is_refused(request, client_for, who, club, members):
    response = send(client_for(request.getfixturevalue(who)), payload(club, members, good_rows(members)))
    assert response.status_code == 403
    assert response.json()["status"] == "forbidden"
    assert nothing_saved() and not MeetingSync.objects.exists()


def test_an_admin_may_sync_any_club(client_for, admin_user, club, members):
    assert send(client_for(admin_user), payload(club, members, good_rows(members))).status_code == 200


def test_an_ended_session_asks_to_log_in_again(client_for, club, members):
    for response in (
        send(client_for(None), payload(club, members, good_rows(members))),
        client_for(None).get(PREPARE),
    ):
        assert response.status_code == 401
        assert response.json()["status"] == "login"
    assert nothing_saved()


def test_the_sync_needs_the_csrf_token(staff, club, members):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    page = client.get(reverse("life:meeting-day", args=[club.pk]))
    assert page.status_code == 200
    body = json.dumps(payload(club, members, good_rows(members)))
    assert client.post(SYNC, body, content_type="application/json").status_code == 403
    assert nothing_saved()
    token = client.cookies["csrftoken"].value
    response = client.post(SYNC, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 200


def test_prepare_gives_the_minimum_for_the_users_clubs(client_for, staff, club, other_club, members, loan):
    HealthCheck.objects.create(
        club=club, member=members[0], checked_on=D(2025, 4, 10), systolic=140, diastolic=90
    )
    response = client_for(staff).get(PREPARE)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert [c["club"] for c in data["clubs"]] == [club.pk]
    prepared = data["clubs"][0]
    assert {m["name"] for m in prepared["members"]} == {"Nguyễn Thị An", "Lò Thị Bình", "Vàng A Chá"}
    assert set(prepared["members"][0]) == {"id", "name", "birth_year", "last_reading"}
    an = next(m for m in prepared["members"] if m["id"] == members[0].pk)
    assert an["last_reading"]["systolic"] == 140
    assert prepared["repayments_due"][0]["loan"] == loan.pk
    assert reverse("life:meeting-day", args=[club.pk]) in data["pages"]


def test_prepare_reads_a_bounded_number_of_queries(
    client_for, staff, club, tan_uyen, members, django_assert_max_num_queries
):
    from tests.conftest import make_club, make_member

    for n in range(3):
        extra = make_club(tan_uyen, code=f"LCH-TU-X{n}", name=f"CLB {n}")
        make_member(extra, full_name=f"Người {n}")
    client = client_for(staff)
    with django_assert_max_num_queries(40):
        data = client.get(PREPARE).json()
    assert len(data["clubs"]) == 4
