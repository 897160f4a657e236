"""The commune staff's home, "Việc cần làm": meetings not yet recorded, repayments overdue and due,
referrals not re-measured, home visits overdue; each item one tap from where it is done."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from funds.models import EntryKind, FundKind, RatePeriod, RepaymentPlan
from funds.services import fund_entry_add, loan_disburse
from life.services import meeting_day_save
from reports.todo import todo_for
from tests.conftest import make_club, make_member
from tests.life.factories import D, make_care, make_check, make_volunteer

pytestmark = pytest.mark.django_db

ON = D(2025, 3, 5)


def _loan(club, member):
    fund = club.funds.get(kind=FundKind.INCOME)
    fund_entry_add(
        fund=fund,
        kind=EntryKind.CONTRIBUTION,
        amount=20_000_000,
        entry_date=D(2024, 3, 1),
        source="state",
        recorded_by=None,
    )
    return loan_disburse(
        fund=fund,
        member=member,
        disbursed_on=D(2025, 1, 10),
        principal=6_000_000,
        purpose="livestock",
        term_months=6,
        interest_rate=0,
        rate_period=RatePeriod.MONTH,
        plan=RepaymentPlan.EQUAL_MONTHLY,
        recorded_by=None,
    )


@pytest.fixture
def area(club, tan_uyen, other_club):
    quiet = make_club(tan_uyen, code="LCH-TU-02", name="CLB bản Mường")
    an = make_member(club, full_name="Nguyễn Thị An")
    binh = make_member(club, full_name="Lò Thị Bình")
    meeting_day_save(
        club=club, held_on=D(2025, 3, 1), attendance={an.pk: "present", binh.pk: "present"}, health_checks={}
    )
    late = _loan(club, an)  # instalments on the 10th: February's unpaid on 5 March
    make_check(binh, D(2025, 3, 1), 150, 95)
    make_care(club, make_volunteer(club), binh, D(2025, 1, 1))
    # Outside staff's area: never on their list.
    stranger = make_member(other_club, full_name="Người Xã Khác")
    _loan(other_club, stranger)
    make_check(stranger, D(2025, 3, 1), 170, 100)
    return {"club": club, "quiet": quiet, "an": an, "binh": binh, "late": late}


def test_the_list_holds_what_waits_in_the_users_clubs(staff, area):
    todo = todo_for(staff, ON)
    assert [c.pk for c in todo.meetings.items] == [area["quiet"].pk]  # the other club met on 1 March
    assert [loan.pk for loan in todo.overdue.items] == [area["late"].pk]
    assert [(i.loan_id, i.due_on) for i in todo.due.items] == [(area["late"].pk, D(2025, 3, 10))]
    assert [c.member for c in todo.referrals.items] == [area["binh"]]
    assert [m.pk for m in todo.visits.items] == [area["binh"].pk]
    assert not todo.is_empty


def test_a_later_normal_reading_and_a_visit_clear_the_list(staff, area):
    make_check(area["binh"], D(2025, 3, 4), 125, 80)
    from life.models import CareVisit

    assignment = area["binh"].care_received.get()
    CareVisit.objects.create(
        club=area["club"], volunteer=assignment.volunteer, beneficiary=area["binh"], visited_on=D(2025, 3, 4)
    )
    todo = todo_for(staff, ON)
    assert todo.referrals.count == 0 and todo.visits.count == 0


def test_counts_go_past_what_is_shown(staff, club):
    for i in range(12):
        _loan(club, make_member(club, full_name=f"Người Vay {i}"))
    todo = todo_for(staff, ON)
    assert (len(todo.overdue.items), todo.overdue.count) == (8, 12)


def test_the_home_shows_the_list_to_commune_staff_only(client_for, staff, lai_chau_officer, admin_user, area):
    page = client_for(staff).get(reverse("home")).content.decode()
    assert "Việc cần làm" in page
    assert reverse("life:meeting-day", args=[area["quiet"].pk]) in page  # one tap to the sheet
    for user in (lai_chau_officer, admin_user):
        response = client_for(user).get(reverse("home"))
        assert response.context["todo"] is None and "Việc cần làm" not in response.content.decode()


def test_the_home_runs_a_fixed_number_of_queries(client_for, staff, area, tan_uyen):
    client = client_for(staff)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for i in range(5):
        club = make_club(tan_uyen, name=f"CLB thêm {i}")
        _loan(club, make_member(club, full_name=f"Người {i}"))
        make_check(make_member(club, full_name=f"Người đo {i}"), D(2025, 3, 1), 160, 95)
    client.get(reverse("home"))  # the dashboard's kept figures are refreshed once after a change
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("home"))
    assert response.context["todo"].meetings.count == 7  # none met this month
    assert len(large) == len(small) <= 40


def test_reports_due_show_their_deadline_and_status(club, tan_uyen, staff, settings, tmp_path):
    from reports.models import CycleLevel, CycleReport, CycleStatus
    from reports.todo import reports_due

    settings.REPORT_DEADLINE_DAYS = {"quarter": 15, "half": 15, "year": 15}
    settings.REPORT_SUBMIT_WINDOW_DAYS = 10
    due = reports_due({tan_uyen.pk}, D(2026, 7, 20))
    # The year 2025 (due 15/01/2026) is still outstanding, as is the first half of 2026.
    assert [(d.period.label, d.deadline, d.status_label, d.overdue) for d in due.items] == [
        ("2025", D(2026, 1, 15), "chưa nộp", True),
        ("2026-H1", D(2026, 7, 15), "chưa nộp", True),
    ]
    assert due.items[1].period.title == "Báo cáo sơ kết 6 tháng đầu năm 2026"
    assert reports_due({tan_uyen.pk}, D(2026, 6, 20)).items[1].overdue is False  # within the window
    CycleReport.objects.create(
        level=CycleLevel.COMMUNE, province=tan_uyen.province, commune=tan_uyen, period="2026-H1",
        period_start=D(2026, 1, 1), period_end=D(2026, 6, 30), status=CycleStatus.APPROVED, figures={},
        pdf="x.pdf", submitted_by=staff, submitted_at=timezone.now(),
    )  # fmt: skip
    assert [d.period.label for d in reports_due({tan_uyen.pk}, D(2026, 7, 20)).items] == ["2025"]


def test_a_report_is_due_only_for_periods_the_commune_had_a_club_in(tan_uyen, than_uyen, settings):
    """A commune is asked for a period's report only if it had a club then (founded by the period's end,
    not dissolved before its start): no club, a club founded this year, a club dissolved long ago."""
    from reports.todo import reports_due

    settings.REPORT_DEADLINE_DAYS = {"quarter": 15, "half": 15, "year": 15}
    settings.REPORT_SUBMIT_WINDOW_DAYS = 10
    on = D(2026, 7, 20)  # due: the year 2025 and the first half of 2026
    assert reports_due({tan_uyen.pk}, on).count == 0  # no club at all
    make_club(tan_uyen, decision_date=D(2026, 3, 1), launched_on=D(2026, 4, 1))  # founded this year
    assert [d.period.label for d in reports_due({tan_uyen.pk}, on).items] == ["2026-H1"]
    make_club(than_uyen, decision_date=D(2020, 1, 1), launched_on=D(2020, 2, 1), dissolved_on=D(2024, 6, 1))
    assert reports_due({than_uyen.pk}, on).count == 0  # dissolved before 2025
    # An old year is never due again: on 10/01/2027 the year due is 2026, not 2025 still.
    assert [d.period.label for d in reports_due({tan_uyen.pk}, D(2027, 1, 10)).items] == ["2026-H2", "2026"]
    assert reports_due({tan_uyen.pk}, D(2030, 1, 10)).items[-1].period.label == "2029"


def test_the_home_shows_a_report_due(client_for, staff, area, settings):
    settings.REPORT_SUBMIT_WINDOW_DAYS = 400  # every half year is open
    page = client_for(staff).get(reverse("home")).content.decode()
    assert 'id="todo-reports"' in page and "chưa nộp" in page
