"""The reporting cycle in the browser: a commune submits its report, the province returns it with a
reason, the commune sees the reason and submits again, the province approves it (locking the period)."""

import pytest
from django.urls import reverse

from clubs.models import PeriodLock
from reports.models import CycleReport, CycleStatus
from tests.browser.conftest import VIEWPORTS, check_page, log_in
from tests.conftest import PASSWORD, TAN_UYEN, make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_submit_return_resubmit_approve(page, chromium, staff, lai_chau_officer, club):
    make_member(club, full_name="Lường Thị Chơ")
    commune_url = f"{page.base_url}{reverse('reports:cycle-commune', args=[TAN_UYEN])}?period=2026-Q1"
    log_in(page, staff.username, PASSWORD)
    page.goto(commune_url)
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_text("Đã nộp báo cáo Báo cáo quý I năm 2026.").wait_for()
    assert page.locator("#cycle-status [data-status]").get_attribute("data-status") == "submitted"

    officer_context = chromium.new_context(viewport=VIEWPORTS[page.width_name], locale="vi-VN")
    officer = officer_context.new_page()
    officer.set_default_timeout(15_000)
    officer.base_url = page.base_url
    officer.width_name = page.width_name
    log_in(officer, lai_chau_officer.username, PASSWORD)
    officer.goto(f"{page.base_url}{reverse('reports:cycle-province', args=[12])}?period=2026-Q1")
    check_page(officer, "cycle-board")
    officer.locator("#cycle-board tr[data-status=submitted] td:nth-child(2) a").click()
    officer.get_by_role("heading", name="Báo cáo quý I năm 2026: Xã Tân Uyên").wait_for()
    check_page(officer, "cycle-detail")
    officer.get_by_placeholder("Lý do trả lại").fill("Thiếu số liệu quỹ tháng 3")
    officer.get_by_role("button", name="Trả lại").click()
    officer.get_by_text("Đã trả lại báo cáo.").wait_for()

    page.goto(commune_url)
    assert page.locator("#return-reason").inner_text() == "Thiếu số liệu quỹ tháng 3"
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_text("Đã nộp báo cáo Báo cáo quý I năm 2026.").wait_for()

    officer.reload()
    officer.get_by_role("button", name="Duyệt").click()
    officer.get_by_text("Đã duyệt báo cáo.").wait_for()
    officer_context.close()
    row = CycleReport.objects.get()
    assert row.status == CycleStatus.APPROVED
    assert PeriodLock.objects.get().commune_id == club.commune_id
    page.goto(commune_url)
    assert page.locator("#cycle-status [data-status]").get_attribute("data-status") == "approved"
    assert page.get_by_role("button", name="Nộp báo cáo").count() == 0
    # A later edit dated in the locked period is refused: enforced and tested on branch period-locks.
