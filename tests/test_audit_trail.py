"""The audit trail: every change to the register and the money keeps who, when and what, and each
object's page shows it as "Lịch sử thay đổi" (django-simple-history, HistoryRequestMiddleware).

Bulk loads bypass simple_history's signals: the spreadsheet importer writes its history records
itself (tested here); the demo loader does not (README, "Trust").
"""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from clubs.models import BoardMembership, Club
from funds.models import FundEntry, Loan, Repayment
from life.models import Activity, ClubRating
from members.models import Household, HouseholdStatus, LeaveReason, Member, Membership
from members.services import household_status_set
from tests.conftest import make_club, make_member
from tests.funds.conftest import contribute, income, lend, repay

pytestmark = pytest.mark.django_db
D = datetime.date

# What the issue names, and what each is: the models whose every change must be kept.
AUDITED = {
    "clubs.Club",
    "clubs.BoardMembership",
    "life.ClubRating",
    "life.Activity",
    "life.HealthCheck",
    "members.Member",
    "members.Membership",
    "members.HouseholdStatus",
    "funds.Loan",
    "funds.Repayment",
    "funds.FundEntry",
}
# Plans and targets of the reports app, once it has them.
AUDITED_WHEN_PRESENT = {"reports.Plan", "reports.Target"}


def test_every_audited_model_keeps_history():
    present = {label for label in AUDITED_WHEN_PRESENT if _model_exists(label)}
    missing = sorted(label for label in AUDITED | present if not hasattr(apps.get_model(label), "history"))
    assert missing == []


def test_history_names_its_user_without_a_constraint_and_a_deleted_user_leaves_the_records(staff, club):
    # No database check of the user per record (an import as a user writes 150,000 records: 0.3–0.4 s at
    # commit), so the records must stay right through Django alone: deleting a user keeps the records,
    # with no one named.
    for model in apps.get_models():
        if hasattr(model, "history"):
            table = model.history.model._meta.db_table
            with connection.cursor() as cursor:
                keys = connection.introspection.get_constraints(cursor, table)
            to_users = [name for name, key in keys.items() if key["foreign_key"] and key["columns"] == ["history_user_id"]]
            assert to_users == [], table
    member = make_member(club, full_name="Lò Thị Cúc")
    record = member.history.get()
    record.history_user = staff
    record.save()
    staff.delete()
    record.refresh_from_db()
    assert record.history_user_id is None and record.full_name == "Lò Thị Cúc"


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def _last(model, **lookup):
    return model.history.filter(**lookup).order_by("-history_id").first()


# --- changes made in the browser name the person who made them ----------------------------------------


def test_club_and_member_changes_name_the_staff_member(client_for, staff, club):
    client = client_for(staff)
    data = {
        "code": club.code,
        "name": "CLB bản Nà Cóc (đổi tên)",
        "commune": club.commune_id,
        "decision_date": "2024-01-10",
        "launched_on": "2024-02-01",
    }
    assert client.post(reverse("clubs:club-edit", args=[club.pk]), data).status_code == 302
    record = _last(Club, id=club.pk)
    assert (record.history_type, record.history_user, record.name) == ("~", staff, "CLB bản Nà Cóc (đổi tên)")

    member_data = {
        "club": club.pk,
        "full_name": "Lò Thị Ún",
        "birth_year": "1958",
        "sex": "F",
        "ethnicity": "2",
        "household": Household.POOR,
        "joined_on": "2024-03-01",
    }
    assert client.post(reverse("members:member-create"), member_data).status_code == 302
    member = Member.objects.get(full_name="Lò Thị Ún")
    assert _last(Member, id=member.pk).history_user == staff
    assert _last(HouseholdStatus, member_id=member.pk).history_user == staff

    url = reverse("members:member-household", args=[member.pk])
    assert client.post(url, {"status": Household.NEAR_POOR, "valid_from": "2025-01-01"}).status_code == 302
    # Both the new period and the end given to the one before it are in the trail.
    first, second = HouseholdStatus.objects.filter(member=member).order_by("valid_from")
    assert _last(HouseholdStatus, id=first.pk).valid_to == D(2024, 12, 31)
    assert _last(HouseholdStatus, id=first.pk).history_user == staff
    assert _last(HouseholdStatus, id=second.pk).history_user == staff


def test_money_changes_name_the_person_who_recorded_them(client_for, staff, club):
    member = make_member(club)
    contribute(income(club), 20_000_000, D(2024, 3, 1))
    client = client_for(staff)
    response = client.post(
        reverse("funds:loan-disburse", args=[club.pk]),
        {
            "member": member.pk,
            "disbursed_on": "2024-04-01",
            "principal": "5.000.000",
            "purpose": "livestock",
            "term_months": "10",
            "interest_rate": "0,5",
            "rate_period": "month",
            "plan": "equal_monthly",
        },
    )
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert _last(Loan, id=loan.pk).history_user == staff

    url = reverse("funds:loan-repay", args=[loan.pk])
    assert (
        client.post(url, {"paid_on": "2024-05-01", "principal": "500.000", "interest": "25.000"}).status_code
        == 302
    )
    repayment = Repayment.objects.get()
    assert _last(Repayment, id=repayment.pk).history_user == staff
    interest = FundEntry.objects.get(repayment=repayment)
    assert _last(FundEntry, id=interest.pk).history_user == staff

    url = reverse("funds:repayment-reverse", args=[repayment.pk])
    assert client.post(url, {"note": "Ghi nhầm người"}).status_code == 302
    reversal = Repayment.objects.get(reverses=repayment)
    assert _last(Repayment, id=reversal.pk).history_user == staff

    url = reverse("funds:loan-write-off", args=[loan.pk])
    data = {"written_off_on": "2024-06-01", "reason": "Mất khả năng trả", "approved_by": "BCN CLB"}
    assert client.post(url, data).status_code == 302
    record = _last(Loan, id=loan.pk)
    assert (record.history_type, record.history_user, record.written_off_on) == ("~", staff, D(2024, 6, 1))


def test_ratings_name_the_province_officer(client_for, lai_chau_officer, club):
    url = reverse("life:ratings", args=[club.pk])
    data = {"year": "2025", "rating": "good", "rated_on": "20/12/2025", "note": ""}
    assert client_for(lai_chau_officer).post(url, data).status_code == 302
    assert _last(ClubRating, club_id=club.pk).history_user == lai_chau_officer


def test_joining_moving_leaving_and_rejoining_name_the_staff_member(client_for, staff, club, tan_uyen):
    client = client_for(staff)
    member_data = {
        "club": club.pk,
        "full_name": "Lò Thị Ún",
        "birth_year": "1958",
        "sex": "F",
        "ethnicity": "2",
        "household": Household.NONE,
        "joined_on": "2024-03-01",
    }
    assert client.post(reverse("members:member-create"), member_data).status_code == 302
    member = Member.objects.get(full_name="Lò Thị Ún")
    first = Membership.objects.get(member=member)
    assert (_last(Membership, id=first.pk).history_type, _last(Membership, id=first.pk).history_user) == (
        "+",
        staff,
    )

    other = make_club(tan_uyen)
    move = reverse("members:member-move", args=[member.pk])
    assert client.post(move, {"to_club": other.pk, "moved_on": "2025-01-01"}).status_code == 302
    closed = _last(Membership, id=first.pk)
    assert (closed.history_type, closed.history_user, closed.left_on, closed.leave_reason) == (
        "~",
        staff,
        D(2025, 1, 1),
        LeaveReason.TRANSFERRED,
    )
    second = Membership.objects.get(member=member, club=other)
    assert _last(Membership, id=second.pk).history_user == staff

    leave = reverse("members:member-leave", args=[member.pk])
    assert client.post(leave, {"left_on": "2025-06-01", "leave_reason": LeaveReason.MOVED}).status_code == 302
    assert [(r.history_type, r.left_on, r.history_user) for r in second.history.order_by("history_id")] == [
        ("+", None, staff),
        ("~", D(2025, 6, 1), staff),
    ]
    rejoin = reverse("members:member-rejoin", args=[member.pk])
    assert client.post(rejoin, {"club": other.pk, "joined_on": "2025-09-01"}).status_code == 302
    third = Membership.objects.get(member=member, left_on__isnull=True)
    assert _last(Membership, id=third.pk).history_user == staff
    # Three stays, each with its history: nothing was updated in bulk behind the trail's back.
    assert Membership.history.filter(member_id=member.pk).count() == 3 + 2


# --- bulk writes ------------------------------------------------------------------------------------------


def test_the_household_service_keeps_the_end_of_the_previous_period(member):
    household_status_set(member=member, status=Household.POOR, valid_from=D(2024, 1, 1))
    household_status_set(member=member, status=Household.NEAR_POOR, valid_from=D(2025, 1, 1))
    first = HouseholdStatus.objects.get(member=member, valid_from=D(2024, 1, 1))
    assert [r.valid_to for r in first.history.order_by("history_id")] == [None, D(2024, 12, 31)]


def test_an_import_keeps_history_of_every_row_it_changes(club, admin_user, tmp_path):
    from sheets.engine import run_import
    from tests.sheets.builders import write_xlsx

    member = make_member(club, full_name="Lò Thị Lan", birth_year=1950, citizen_id="011111111111")
    household_status_set(member=member, status=Household.POOR, valid_from=D(2024, 1, 1))
    seat = BoardMembership.objects.create(
        club=club, member=member, role="vice_chair", from_date=D(2024, 2, 1)
    )
    header = ["Họ và tên", "Năm sinh", "Giới tính", "CCCD", "Hoàn cảnh", "Chức vụ", "Ngày tham gia"]
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [header, ["Lò Thị Lan", 1950, "Nữ", "011111111111", "Cận nghèo", "Chủ nhiệm", "01/02/2024"]],
    )
    report = run_import("members", path, club=club, user=admin_user, commit=True)
    assert report.ok and report.committed, report.errors
    closed = HouseholdStatus.objects.get(member=member, valid_from=D(2024, 1, 1))
    assert closed.valid_to is not None
    record = _last(HouseholdStatus, id=closed.pk)
    assert (record.valid_to, record.history_user, record.history_change_reason) == (
        closed.valid_to,
        admin_user,
        "Nhập từ bảng tính",
    )
    seat.refresh_from_db()
    assert seat.to_date is not None
    assert _last(BoardMembership, id=seat.pk).to_date == seat.to_date
    new_status = HouseholdStatus.objects.get(member=member, valid_to__isnull=True)
    assert _last(HouseholdStatus, id=new_status.pk).history_user == admin_user


def test_an_import_keeps_history_of_the_stays_it_opens_and_changes(club, admin_user, tmp_path):
    from sheets.engine import run_import
    from tests.sheets.builders import write_xlsx

    member = make_member(club, full_name="Lò Thị Lan", birth_year=1950, citizen_id="011111111112")
    header = ["Họ và tên", "Năm sinh", "Giới tính", "CCCD", "Ngày tham gia"]
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [header, ["Lò Thị Lan", 1950, "Nữ", "011111111112", "15/01/2024"], ["Giàng Thị Mỷ", 1960, "Nữ", "", "01/03/2024"]],
    )  # fmt: skip
    report = run_import("members", path, club=club, user=admin_user, commit=True)
    assert report.ok and report.committed, report.errors
    changed = _last(Membership, member_id=member.pk)
    assert (changed.history_type, changed.joined_on, changed.history_user) == (
        "~",
        D(2024, 1, 15),
        admin_user,
    )
    new = Membership.objects.get(member__full_name="Giàng Thị Mỷ")
    created = _last(Membership, id=new.pk)
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        admin_user,
        "Nhập từ bảng tính",
    )


def test_an_import_run_by_a_worker_names_who_started_it(club, admin_user, tmp_path, settings):
    """Loans and contributions go through the funds services, whose history names the request's
    user; a task worker has no request, so the job's creator is named instead."""
    from django.core.files import File

    from sheets.jobs import job_run
    from sheets.models import ImportJob, JobStatus
    from tests.sheets.builders import write_xlsx

    settings.MEDIA_ROOT = tmp_path / "media"
    path = write_xlsx(
        tmp_path / "gop.xlsx",
        [["Mã CLB", "Quỹ", "Ngày", "Số tiền", "Nguồn"], [club.code, "Quỹ hoạt động", "01/03/2024", "500.000", "Thành viên"]],
    )  # fmt: skip
    job = ImportJob(
        kind="contributions", file_name="gop.xlsx", created_by=admin_user, status=JobStatus.QUEUED
    )
    with path.open("rb") as handle:
        job.file.save("gop.xlsx", File(handle), save=False)
    job.commit_requested = True
    job.save()
    assert job_run(job.pk)
    entry = FundEntry.objects.get()
    assert _last(FundEntry, id=entry.pk).history_user == admin_user


# --- the panel on each object's page ------------------------------------------------------------------------


def _history_panel(response) -> str:
    page = response.content.decode()
    assert "Lịch sử thay đổi" in page
    return page.split('id="history-heading"', 1)[1]


def test_object_pages_show_their_history(client_for, staff, club):
    member = make_member(club, full_name="Lò Thị Lan")
    household_status_set(member=member, status=Household.POOR, valid_from=D(2024, 3, 1))
    contribute(income(club), 20_000_000, D(2024, 3, 1), note="Tỉnh hỗ trợ")
    loan = lend(income(club), member, 3_000_000, D(2024, 4, 1))
    repay(loan, D(2024, 5, 1), 500_000)
    client = client_for(staff)

    panel = _history_panel(client.get(reverse("clubs:club-detail", args=[club.pk])))
    assert "Tạo mới" in panel and "Câu lạc bộ" in panel

    panel = _history_panel(client.get(reverse("members:member-detail", args=[member.pk])))
    assert "Thành viên" in panel and "Hoàn cảnh gia đình theo thời kỳ Hộ nghèo" in panel

    panel = _history_panel(client.get(reverse("funds:loan-detail", args=[loan.pk])))
    assert "Khoản vay" in panel and "Lần trả nợ 01/05/2024" in panel

    panel = _history_panel(client.get(reverse("funds:club-funds", args=[club.pk])))
    assert "Bút toán quỹ 01/03/2024" in panel
    assert "Câu lạc bộ" not in panel  # the funds page shows the ledger, not the club's own changes


def test_the_member_page_shows_the_stays_in_clubs(client_for, staff, club, tan_uyen):
    from members.services import member_leave, member_move

    member = make_member(club, full_name="Lò Thị Lan")
    other = make_club(tan_uyen, name="CLB bản Mường")
    member_move(member=member, to_club=other, moved_on=D(2025, 1, 1))
    member_leave(member=member, left_on=D(2025, 6, 1), reason=LeaveReason.DIED)
    panel = _history_panel(client_for(staff).get(reverse("members:member-detail", args=[member.pk])))
    assert "Quá trình sinh hoạt 01/02/2024–" in panel  # joined (the first stay's "+")
    assert "Quá trình sinh hoạt 01/01/2025–" in panel  # the stay opened by the move
    assert "lý do rời CLB</strong>: — → Chuyển sang CLB khác" in panel
    assert "lý do rời CLB</strong>: — → Qua đời" in panel


def test_ratings_and_activity_pages_show_a_real_change(client_for, lai_chau_officer, staff, club):
    ratings = reverse("life:ratings", args=[club.pk])
    officer = client_for(lai_chau_officer)
    rating = {"year": "2025", "rating": "good", "rated_on": "20/12/2025", "note": ""}
    assert officer.post(ratings, rating).status_code == 302
    assert officer.post(ratings, rating | {"rating": "strong", "note": "Đủ 8 hoạt động"}).status_code == 302
    panel = _history_panel(officer.get(ratings, {"year": "2025"}))
    assert "xếp loại</strong>: Khá → Vững mạnh" in panel
    assert "nhận xét</strong>: — → Đủ 8 hoạt động" in panel
    assert "tinh.laichau" in panel and "Tạo mới" in panel

    web = client_for(staff)
    activity = {
        "held_on": "12/04/2025",
        "area": "7",
        "kind": "culture",
        "title": "Giao lưu văn nghệ",
        "participants_count": "25",
        "volunteers_count": "0",
    }
    assert web.post(reverse("life:activity-add", args=[club.pk]), activity).status_code == 302
    saved = Activity.objects.get(club=club)
    edit = reverse("life:activity-edit", args=[saved.pk])
    assert (
        web.post(
            edit, activity | {"title": "Giao lưu văn nghệ mừng xuân", "participants_count": "31"}
        ).status_code
        == 302
    )
    panel = _history_panel(web.get(reverse("life:activity-detail", args=[saved.pk])))
    assert "tên hoạt động</strong>: Giao lưu văn nghệ → Giao lưu văn nghệ mừng xuân" in panel
    assert "số người tham gia</strong>: 25 → 31" in panel
    assert "xa.tanuyen" in panel


def test_a_field_change_shows_old_and_new_values(client_for, staff, club):
    member = make_member(club, full_name="Lò Thị Lan", village="Nà Cóc")
    member.village = "Nà Bó"
    member._history_user = staff
    member.save()
    panel = _history_panel(client_for(staff).get(reverse("members:member-detail", args=[member.pk])))
    assert "thôn/tổ dân phố</strong>: Nà Cóc → Nà Bó" in panel


def test_the_panel_runs_one_query_per_source(club, django_assert_max_num_queries):
    from django.template import Context, Template

    member = make_member(club)
    contribute(income(club), 50_000_000, D(2024, 3, 1))
    loan = lend(income(club), member, 12_000_000, D(2024, 4, 1), term=12, rate=1)
    for month in range(5, 12):
        repay(loan, D(2024, month, 1), 1_000_000, 10_000)
    template = Template('{% load audit %}{% change_history loan "repayments" "fund_entries" %}')
    with django_assert_max_num_queries(3):
        html = template.render(Context({"loan": loan}))
    assert html.count("<tr>") == 1 + 20  # the header and the newest 20 changes
    assert "Chỉ hiện các thay đổi gần nhất." in html


def test_plan_and_target_changes_show_on_the_plan_page_even_after_a_deletion(
    client_for, lai_chau_officer, lai_chau
):
    from reports.models import Plan, Target

    client = client_for(lai_chau_officer)
    plan_data = {
        "province": lai_chau.pk,
        "name": "Đề án nhân rộng",
        "start": "2026-01-01",
        "end": "2030-12-31",
    }
    assert client.post(reverse("reports:plan-create"), plan_data).status_code == 302
    plan = Plan.objects.get()
    target_data = {"indicator": "clubs_total", "comparison": "at_least", "value": "20"}
    assert client.post(reverse("reports:target-create", args=[plan.pk]), target_data).status_code == 302
    target = Target.objects.get()
    assert client.post(reverse("reports:target-delete", args=[target.pk])).status_code == 302
    assert _last(Target, id=target.pk).history_type == "-"
    assert _last(Target, id=target.pk).history_user == lai_chau_officer
    panel = _history_panel(client.get(reverse("reports:plan-detail", args=[plan.pk])))
    assert panel.count("Xóa") == 1 and "Chỉ tiêu" in panel and "Đề án" in panel
