"""Club life in the browser: the meeting sheet on a phone and a desktop, the health chart, accessibility."""

import pytest
from django.urls import reverse

from funds.models import EntryKind, FundKind, RatePeriod, RepaymentPlan
from funds.services import fund_entry_add, loan_disburse
from life.models import Activity, ActivityType, Attendance, HealthCheck
from tests.browser.conftest import fits_the_screen, log_in, serious_accessibility_violations, shoot
from tests.conftest import PASSWORD, make_member
from tests.life.factories import D, make_check

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_recording_a_meeting_day(page, staff, club):
    members = [make_member(club, full_name=name) for name in ("Nguyễn Thị An", "Lò Thị Bình", "Vàng A Chá")]
    loan = _loan(club, members[2])
    log_in(page, staff.username, PASSWORD)
    page.goto(f"{page.base_url}{reverse('life:meeting-day', args=[club.pk])}?date=2025-05-10")
    assert serious_accessibility_violations(page) == []
    assert fits_the_screen(page)
    # Everyone present but one, who sent someone in her place; one reading.
    page.get_by_role("button", name="Ai chưa điểm danh: có mặt").click()
    page.get_by_role("radiogroup", name="Điểm danh Lò Thị Bình").get_by_text("Có người dự thay").click()
    page.get_by_label("Tâm thu Nguyễn Thị An").fill("150")
    page.get_by_label("Tâm trương Nguyễn Thị An").fill("95")
    page.get_by_label("Cân nặng Nguyễn Thị An").fill("48,5")
    page.get_by_label("Nộp gốc Vàng A Chá").fill("1 triệu")
    shoot(page, "life-meeting-day")
    # Sent from the keyboard: after the full-page screenshot the page moves back into place for a moment,
    # and a click then could be pressed on the button and released beside it (one run in five at phone
    # width, traced with the page's pointer events). Tapping "Lưu" is tested by test_field_work.
    page.get_by_role("button", name="Lưu buổi sinh hoạt").press("Enter")
    # Saving a whole meeting day is the heaviest write of the site: on a loaded 2-core CI machine it
    # has taken more than the 15 s default.
    page.get_by_text("Đã lưu buổi sinh hoạt").wait_for(timeout=45_000)
    meeting = Activity.objects.get(kind=ActivityType.MONTHLY_MEETING)
    assert dict(Attendance.objects.values_list("member__full_name", "status")) == {
        "Nguyễn Thị An": "present",
        "Lò Thị Bình": "represented",
        "Vàng A Chá": "present",
    }
    assert meeting.participants_count == 3
    check = HealthCheck.objects.get()
    assert (check.member, check.systolic, str(check.weight_kg)) == (members[0], 150, "48.5")
    assert loan.repayments.get().principal == 1_000_000


def test_a_members_blood_pressure_chart(page, staff, club):
    member = make_member(club)
    for month, (systolic, diastolic) in enumerate([(128, 82), (146, 91), (133, 84), (152, 96)], start=1):
        make_check(member, D(2025, month, 5), systolic, diastolic)
    log_in(page, staff.username, PASSWORD)
    page.goto(f"{page.base_url}{reverse('life:member-health', args=[member.pk])}")
    chart = page.get_by_role("img", name="Huyết áp theo thời gian (mmHg)")
    assert chart.bounding_box()["width"] <= page.viewport_size["width"]
    assert page.locator("figure.chart circle").count() == 8
    assert serious_accessibility_violations(page) == []
    assert fits_the_screen(page)
    shoot(page, "life-member-health")


@pytest.mark.parametrize(
    "name", ["life:activity-list", "life:care-board", "life:ratings", "life:health-list"]
)
def test_club_life_pages_are_accessible(page, staff, club, name):
    make_member(club, is_volunteer=True, full_name="Lò Văn Tình")
    log_in(page, staff.username, PASSWORD)
    page.goto(f"{page.base_url}{reverse(name, args=[club.pk])}")
    assert serious_accessibility_violations(page) == []
    assert fits_the_screen(page)
