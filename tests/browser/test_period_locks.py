"""The meeting day inside an approved period (issue 16), on a phone: the sheet filled in and saved is
refused with the period's message on the page, and nothing of the day — attendance, readings,
repayments — is written."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clubs.locks import period_lock
from funds.models import EntryKind, FundKind, RatePeriod, Repayment, RepaymentPlan
from funds.services import fund_entry_add, loan_disburse
from life.models import Activity, Attendance, HealthCheck
from tests.browser.conftest import fits_the_screen, log_in, shoot
from tests.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_the_meeting_day_of_an_approved_period_is_refused_on_the_page(page, staff, club, tan_uyen, lai_chau_officer):
    today = timezone.localdate()
    fund = club.funds.get(kind=FundKind.INCOME)
    fund_entry_add(fund=fund, kind=EntryKind.CONTRIBUTION, amount=30_000_000, entry_date=datetime.date(2024, 3, 1),
                   source="state", recorded_by=None)  # fmt: skip
    members = [make_member(club, full_name=name) for name in ("Nguyễn Thị An", "Lò Thị Bình", "Vàng A Chá")]
    loan_disburse(
        fund=fund, member=members[2], disbursed_on=today - datetime.timedelta(days=65), principal=6_000_000,
        purpose="livestock", term_months=6, interest_rate=1, rate_period=RatePeriod.MONTH,
        plan=RepaymentPlan.EQUAL_MONTHLY, recorded_by=None,
    )  # fmt: skip
    lai_chau_officer.first_name, lai_chau_officer.last_name = "Lò Văn", "Duyệt"
    lai_chau_officer.save()
    period_lock(commune=tan_uyen, label="Tháng này", starts_on=today.replace(day=1), ends_on=today, by=lai_chau_officer)

    log_in(page, staff.username, PASSWORD)
    page.goto(f"{page.base_url}{reverse('life:meeting-day', args=[club.pk])}")
    page.get_by_role("button", name="Ai chưa điểm danh: có mặt").click()
    page.get_by_role("button", name="Nộp đủ số phải trả Vàng A Chá").click()
    page.get_by_role("button", name="Lưu buổi sinh hoạt").click()
    refusal = page.get_by_text("không thể ghi hay sửa số liệu", exact=False).first
    refusal.wait_for()
    text = refusal.inner_text()
    assert "Tháng này" in text and "Lò Văn Duyệt" in text and f"{today:%d/%m/%Y}" in text
    assert refusal.is_visible() and fits_the_screen(page)
    shoot(page, "period-locked-meeting-day")
    assert page.url.split("?")[0].endswith(reverse("life:meeting-day", args=[club.pk]))
    assert not Activity.objects.filter(club=club, held_on=today).exists()
    assert not Attendance.objects.exists() and not HealthCheck.objects.exists() and not Repayment.objects.exists()
