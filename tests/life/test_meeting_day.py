"""The meeting day: attendance of every member and the day's health checks, in one submit, all or nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clubs.models import Club
from funds.models import (
    EntryKind,
    FundEntry,
    FundKind,
    Instalment,
    Loan,
    RatePeriod,
    Repayment,
    RepaymentPlan,
)
from funds.services import CollectionLine, fund_entry_add, loan_disburse
from life.models import Activity, ActivityType, Attendance, HealthCheck
from life.selectors import area_coverage
from life.services import meeting_day_save
from members.services import member_leave
from tests.conftest import make_club, make_member
from tests.life.factories import D, make_check

pytestmark = pytest.mark.django_db

DAY = D(2025, 5, 10)


@pytest.fixture
def members(club):
    return [
        make_member(club, full_name="Nguyễn Thị An"),
        make_member(club, full_name="Lò Thị Bình"),
        make_member(club, full_name="Vàng A Chá", sex="M"),
    ]


def url(club, day=DAY):
    return reverse("life:meeting-day", args=[club.pk]) + f"?date={day:%Y-%m-%d}"


def sheet(members, rows, paid=None):
    """POST data for the sheet: `rows` maps a member to (status, weight, systolic, diastolic, pulse),
    `paid` a loan to (principal, interest) as typed."""
    data = {
        "area": "4",
        "title": "",
        "description": "",
        "m-TOTAL_FORMS": str(len(members)),
        "m-INITIAL_FORMS": str(len(members)),
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "1000",
    }
    for i, member in enumerate(members):
        status, weight, systolic, diastolic, pulse = rows.get(member, ("", "", "", "", ""))
        data |= {
            f"m-{i}-member": str(member.pk),
            f"m-{i}-status": status,
            f"m-{i}-weight_kg": weight,
            f"m-{i}-systolic": systolic,
            f"m-{i}-diastolic": diastolic,
            f"m-{i}-pulse": pulse,
        }
    for loan, (principal, interest) in (paid or {}).items():
        data |= {f"r-p{loan.pk}": principal, f"r-i{loan.pk}": interest}
    return data


def nothing_saved():
    return not (
        Activity.objects.exists()
        or Attendance.objects.exists()
        or HealthCheck.objects.exists()
        or Repayment.objects.exists()
    )


@pytest.fixture
def loan(club, members):
    """6.000.000 đ lent to An on 10/01/2025, 1.000.000 đ a month from 10/02/2025, 1% a month."""
    fund = club.funds.get(kind=FundKind.INCOME)
    fund_entry_add(
        fund=fund,
        kind=EntryKind.CONTRIBUTION,
        amount=50_000_000,
        entry_date=D(2024, 3, 1),
        source="state",
        recorded_by=None,
    )
    return loan_disburse(
        fund=fund,
        member=members[0],
        disbursed_on=D(2025, 1, 10),
        principal=6_000_000,
        purpose="livestock",
        term_months=6,
        interest_rate=1,
        rate_period=RatePeriod.MONTH,
        plan=RepaymentPlan.EQUAL_MONTHLY,
        recorded_by=None,
    )


def test_the_sheet_lists_every_member_of_the_club_that_day(client_for, staff, club, members):
    gone = make_member(club, full_name="Đã Chuyển Đi")
    member_leave(member=gone, left_on=D(2025, 4, 1), reason="moved")
    response = client_for(staff).get(url(club))
    assert response.status_code == 200
    assert [m for m, _form in response.context["rows"]] == sorted(members, key=lambda m: m.search_key)
    page = response.content.decode()
    assert "Nguyễn Thị An" in page and "Đã Chuyển Đi" not in page
    assert 'class="btn-check"' in page


def test_one_submit_saves_attendance_and_health_checks(client_for, staff, club, members):
    an, binh, cha = members
    rows = {
        an: ("present", "48,5", "150", "95", "80"),
        binh: ("represented", "", "", "", ""),
        cha: ("absent", "", "", "", ""),
    }
    response = client_for(staff).post(url(club), sheet(members, rows))
    meeting = Activity.objects.get(kind=ActivityType.MONTHLY_MEETING)
    assert response.status_code == 302 and response["Location"] == reverse(
        "life:meeting-summary", args=[club.pk, DAY]
    )
    assert (meeting.held_on, meeting.participants_count, meeting.recorded_by) == (DAY, 2, staff)
    assert dict(meeting.attendance.values_list("member_id", "status")) == {
        an.pk: "present",
        binh.pk: "represented",
        cha.pk: "absent",
    }
    check = HealthCheck.objects.get()
    assert (check.member, check.checked_on, str(check.weight_kg), check.systolic, check.diastolic) == (
        an,
        DAY,
        "48.5",
        150,
        95,
    )
    # The checks hang on a health activity of the same day, so area 2 is covered.
    assert check.activity.kind == ActivityType.HEALTH_CHECK
    assert area_coverage(Club.objects.filter(pk=club.pk), DAY, DAY)[club.pk] == {2, 4}


@pytest.mark.parametrize(
    "bad_row",
    [
        ("present", "", "400", "80", ""),
        ("present", "0", "", "", ""),
        ("present", "", "120", "", ""),
        ("", "", "", "", ""),
        ("late", "", "", "", ""),
    ],
    ids=["systolic-400", "weight-0", "half-a-pressure", "no-status", "unknown-status"],
)
def test_one_invalid_line_saves_nothing(client_for, staff, club, members, bad_row):
    an, binh, cha = members
    rows = {an: ("present", "50", "130", "80", "70"), binh: ("present", "", "", "", ""), cha: bad_row}
    response = client_for(staff).post(url(club), sheet(members, rows))
    assert response.status_code == 200
    assert nothing_saved()
    assert "Chưa lưu được" in response.content.decode()


def test_a_failed_resubmit_leaves_the_saved_meeting_as_it_was(client_for, staff, club, members):
    an, binh, cha = members
    client = client_for(staff)
    good = {
        an: ("present", "", "130", "80", ""),
        binh: ("absent", "", "", "", ""),
        cha: ("present", "", "", "", ""),
    }
    client.post(url(club), sheet(members, good))
    before = list(Attendance.objects.order_by("pk").values_list("member_id", "status"))
    bad = good | {an: ("absent", "", "", "", ""), cha: ("present", "", "20", "10", "")}
    client.post(url(club), sheet(members, bad))
    assert list(Attendance.objects.order_by("pk").values_list("member_id", "status")) == before
    assert HealthCheck.objects.get().systolic == 130


def test_saving_the_day_again_replaces_its_attendance_and_checks(client_for, staff, club, members):
    an, binh, cha = members
    client = client_for(staff)
    first = {
        an: ("present", "", "130", "80", ""),
        binh: ("present", "", "", "", ""),
        cha: ("absent", "", "", "", ""),
    }
    client.post(url(club), sheet(members, first))
    page = client.get(url(club)).content.decode()
    assert 'value="130"' in page  # the sheet opens with what was saved
    second = first | {an: ("present", "", "", "", ""), binh: ("present", "52", "", "", "")}
    client.post(url(club), sheet(members, second))
    assert Activity.objects.filter(kind=ActivityType.MONTHLY_MEETING).count() == 1
    assert Attendance.objects.count() == 3
    assert [(c.member, c.systolic) for c in HealthCheck.objects.all()] == [(binh, None)]
    assert Activity.objects.filter(kind=ActivityType.HEALTH_CHECK).count() == 1
    third = second | {binh: ("present", "", "", "", "")}
    client.post(url(club), sheet(members, third))
    assert not HealthCheck.objects.exists()
    assert not Activity.objects.filter(kind=ActivityType.HEALTH_CHECK).exists()


def test_saving_the_day_again_keeps_the_checks_of_people_not_on_the_sheet(club, members):
    """Chá was measured at the meeting and left the club that same day: the day's sheet no longer
    lists her, and correcting it must not delete her reading."""
    an, binh, cha = members
    everyone = {m.pk: "present" for m in members}
    meeting_day_save(
        club=club,
        held_on=DAY,
        attendance=everyone,
        health_checks={an.pk: {"systolic": 130, "diastolic": 80}, cha.pk: {"systolic": 150, "diastolic": 95}},
    )
    member_leave(member=cha, left_on=DAY, reason="moved")
    on_sheet = {an.pk: "present", binh.pk: "present"}
    meeting_day_save(club=club, held_on=DAY, attendance=on_sheet, health_checks={binh.pk: {"weight_kg": 45}})
    assert sorted((c.member.full_name, c.systolic) for c in HealthCheck.objects.all()) == [
        ("Lò Thị Bình", None),
        ("Vàng A Chá", 150),
    ]
    health = Activity.objects.get(kind=ActivityType.HEALTH_CHECK)
    assert (health.participants_count, health.health_checks.count()) == (2, 2)
    meeting_day_save(club=club, held_on=DAY, attendance=on_sheet, health_checks={})
    check = HealthCheck.objects.get()
    assert (check.member, check.activity, check.activity.participants_count) == (cha, health, 1)


def test_a_sheet_for_a_changed_member_list_is_refused(client_for, staff, club, members):
    an, binh, cha = members
    rows = {m: ("present", "", "", "", "") for m in members}
    data = sheet(members[:2], rows)  # opened before Chá joined
    response = client_for(staff).post(url(club), data)
    assert response.status_code == 200
    assert nothing_saved()


def test_the_service_refuses_people_outside_the_club_and_missing_members(club, other_club, members):
    outsider = make_member(other_club, full_name="Người Ngoài")
    attendance = {m.pk: "present" for m in members}
    with pytest.raises(ValidationError) as error:
        meeting_day_save(
            club=club, held_on=DAY, attendance=attendance | {outsider.pk: "present"}, health_checks={}
        )
    assert "không phải thành viên" in str(error.value)
    with pytest.raises(ValidationError) as error:
        meeting_day_save(
            club=club, held_on=DAY, attendance=attendance, health_checks={outsider.pk: {"systolic": 120}}
        )
    with pytest.raises(ValidationError) as error:
        meeting_day_save(club=club, held_on=DAY, attendance={members[0].pk: "present"}, health_checks={})
    assert "Chưa điểm danh" in str(error.value) and "Lò Thị Bình" in str(error.value)
    assert nothing_saved()


def test_checks_entered_elsewhere_that_day_show_on_the_sheet(client_for, staff, club, members):
    make_check(members[0], DAY, 142, 91)
    response = client_for(staff).get(url(club))
    assert 'value="142"' in response.content.decode()


# --- repayments: the collection sheet on the same page ------------------------------------------


def test_repayments_are_saved_with_attendance_and_checks(client_for, staff, club, members, loan):
    an, binh, cha = members
    rows = {
        an: ("present", "", "135", "85", ""),
        binh: ("present", "", "", "", ""),
        cha: ("absent", "", "", "", ""),
    }
    client = client_for(staff)
    page = client.get(url(club)).content.decode()
    assert "Thu nợ quỹ tăng thu nhập" in page and f'name="r-p{loan.pk}"' in page
    response = client.post(url(club), sheet(members, rows, {loan: ("3.000.000", "60.000")}))
    assert response.status_code == 302
    repayment = Repayment.objects.get()
    assert (repayment.loan, repayment.paid_on, repayment.principal, repayment.interest) == (
        loan,
        DAY,
        3_000_000,
        60_000,
    )
    assert repayment.recorded_by == staff
    assert FundEntry.objects.filter(kind=EntryKind.INTEREST, amount=60_000).exists()
    assert Attendance.objects.count() == 3 and HealthCheck.objects.count() == 1


@pytest.mark.parametrize(
    ("row_of_cha", "paid"),
    [
        (("present", "", "", "", ""), ("99.000.000", "")),  # more than is owed
        (("present", "", "400", "80", ""), ("1.000.000", "")),  # a bad reading beside a good repayment
        (("present", "", "", "", ""), ("một triệu", "")),  # not an amount
    ],
    ids=["over-repayment", "bad-reading", "not-an-amount"],
)
def test_one_bad_line_of_any_kind_saves_nothing(client_for, staff, club, members, loan, row_of_cha, paid):
    an, binh, cha = members
    rows = {an: ("present", "", "135", "85", ""), binh: ("present", "", "", "", ""), cha: row_of_cha}
    response = client_for(staff).post(url(club), sheet(members, rows, {loan: paid}))
    assert response.status_code == 200
    assert nothing_saved()
    assert "Chưa lưu được" in response.content.decode()


def test_the_service_names_the_borrower_of_a_refused_repayment(club, members, loan):
    attendance = {m.pk: "present" for m in members}
    with pytest.raises(ValidationError) as error:
        meeting_day_save(
            club=club,
            held_on=DAY,
            attendance=attendance,
            health_checks={},
            repayments=[CollectionLine(loan=loan, principal=7_000_000)],
        )
    assert "Nguyễn Thị An (khoản vay ngày 10/01/2025)" in str(error.value)
    assert nothing_saved()


def _ledger(club):
    """Everything a repayment moves: ledger entries, repayments, loan coverage, instalments paid."""
    loans = Loan.objects.filter(fund__club=club).order_by("pk")
    return (
        list(FundEntry.objects.filter(fund__club=club).order_by("pk").values_list("pk", "kind", "amount")),
        list(Repayment.objects.values_list("pk", "principal", "interest")),
        list(loans.values_list("pk", "repaid_on", "instalments_on_time")),
        list(Instalment.objects.filter(loan__in=loans).order_by("pk").values_list("pk", "paid_on")),
    )


@pytest.mark.parametrize("refused", ["a-member-missing", "second-loan-over-owed"])
def test_a_refused_line_undoes_the_valid_repayment_checks_and_attendance(club, members, loan, refused):
    """The collection sheet saves its repayments before the other lines' refusals are raised: only
    the meeting day's own transaction takes them back when a member is missing from the attendance."""
    an, binh, cha = members
    second = loan_disburse(
        fund=loan.fund,
        member=binh,
        disbursed_on=D(2025, 2, 1),
        principal=2_000_000,
        purpose="crops",
        term_months=4,
        interest_rate=0,
        rate_period=RatePeriod.MONTH,
        plan=RepaymentPlan.AT_END,
        recorded_by=None,
    )
    attendance = {an.pk: "present", binh.pk: "present", cha.pk: "absent"}
    lines = [CollectionLine(loan=loan, principal=1_000_000, interest=60_000)]
    if refused == "a-member-missing":
        del attendance[cha.pk]
    else:
        lines.append(CollectionLine(loan=second, principal=2_500_000))
    before = _ledger(club)
    with pytest.raises(ValidationError):
        meeting_day_save(
            club=club,
            held_on=DAY,
            attendance=attendance,
            health_checks={an.pk: {"systolic": 130, "diastolic": 85}, binh.pk: {"weight_kg": 45}},
            repayments=lines,
        )
    assert nothing_saved()
    assert _ledger(club) == before


# --- permissions -------------------------------------------------------------------------------


def test_meeting_day_permissions(client_for, club, members, staff, other_staff, lai_chau_officer, admin_user):
    assert client_for(None).get(url(club)).status_code == 302
    assert client_for(other_staff).get(url(club)).status_code == 404
    assert client_for(lai_chau_officer).get(url(club)).status_code == 403  # reads, does not record
    rows = {m: ("present", "", "", "", "") for m in members}
    assert client_for(lai_chau_officer).post(url(club), sheet(members, rows)).status_code == 403
    assert nothing_saved()
    assert client_for(staff).get(url(club)).status_code == 200
    assert client_for(admin_user).get(url(club)).status_code == 200


def test_a_future_date_is_refused(client_for, staff, club):
    response = client_for(staff).get(url(club, D(2999, 1, 1)))
    assert response.status_code == 200
    assert "không được sau hôm nay" in response.content.decode()


def test_the_sheet_runs_a_fixed_number_of_queries(client_for, staff, club, django_assert_max_num_queries):
    fund = club.funds.get(kind=FundKind.INCOME)
    fund_entry_add(
        fund=fund,
        kind=EntryKind.CONTRIBUTION,
        amount=90_000_000,
        entry_date=D(2024, 3, 1),
        source="state",
        recorded_by=None,
    )
    for i in range(40):
        person = make_member(club, full_name=f"Thành Viên {i}")
        if i % 4 == 0:
            loan_disburse(
                fund=fund,
                member=person,
                disbursed_on=D(2025, 1, 10),
                principal=5_000_000,
                purpose="crops",
                term_months=10,
                interest_rate=0,
                rate_period=RatePeriod.MONTH,
                plan=RepaymentPlan.EQUAL_MONTHLY,
                recorded_by=None,
            )
    client = client_for(staff)
    with django_assert_max_num_queries(12):
        response = client.get(url(club))
    assert len(response.context["rows"]) == 40
    assert len(response.context["repayments_form"].loans) == 10


# --- after saving: the summary of the day; the menu's way in ------------------------------------


def test_after_saving_the_summary_shows_everything_recorded(client_for, staff, club, members, loan):
    an, binh, cha = members
    rows = {
        an: ("present", "50", "152", "96", "80"),
        binh: ("represented", "", "", "", ""),
        cha: ("absent", "", "128", "80", ""),
    }
    client = client_for(staff)
    response = client.post(url(club), sheet(members, rows, {loan: ("1.000.000", "20.000")}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("life:meeting-summary", args=[club.pk, DAY])
    context = response.context
    assert context["counts"] == {"present": 1, "represented": 1, "absent": 1}
    assert [m.full_name for m in context["absent"]] == ["Vàng A Chá"]
    assert sorted(c.member.full_name for c in context["checks"]) == ["Nguyễn Thị An", "Vàng A Chá"]
    assert [c.member for c in context["referrals"]] == [an]  # 152/96; 128/80 is normal
    assert (context["repaid_principal"], context["repaid_interest"]) == (1_000_000, 20_000)
    page = response.content.decode()
    assert "Đã lưu buổi sinh hoạt ngày 10/05/2025: 2 người tham dự, 1 lần trả nợ." in page
    assert "152/96" in page and "Lò Thị Bình" not in page.split("Vắng:")[1].split("</p>")[0]


def test_the_summary_is_read_by_those_who_see_the_club(client_for, club, staff, other_staff, lai_chau_officer):
    summary = reverse("life:meeting-summary", args=[club.pk, DAY])
    assert client_for(None).get(summary).status_code == 302
    assert client_for(other_staff).get(summary).status_code == 404
    assert client_for(lai_chau_officer).get(summary).status_code == 200
    assert client_for(staff).get(summary).status_code == 200


def test_the_menu_entry_goes_straight_to_the_only_club(client_for, staff, club):
    response = client_for(staff).get(reverse("life:meeting-start"))
    assert response.status_code == 302 and response["Location"] == reverse("life:meeting-day", args=[club.pk])


def test_the_menu_entry_lists_the_clubs_and_this_months_meetings(client_for, staff, club, members, tan_uyen):
    second = make_club(tan_uyen, code="LCH-TU-02", name="CLB thứ hai")
    meeting_day_save(
        club=club,
        held_on=timezone.localdate(),
        attendance={m.pk: "present" for m in members},
        health_checks={},
    )
    response = client_for(staff).get(reverse("life:meeting-start"))
    assert response.status_code == 200
    assert [(c.pk, held) for c, held in response.context["rows"]] == [(club.pk, True), (second.pk, False)]


def test_only_those_who_record_get_the_clubs(client_for, club, lai_chau_officer, nobody):
    for user in (lai_chau_officer, nobody):
        response = client_for(user).get(reverse("life:meeting-start"))
        assert response.status_code == 200 and list(response.context["rows"]) == []
