"""The reporting cycle in the browser: a commune submits its report, the province returns it with a
reason, the commune sees the reason and submits again, the province approves it (locking the period), and
a later edit dated inside the period is refused on the commune's page, naming the period and the approver,
the database unchanged."""

import pytest
from django.urls import reverse

from clubs.models import PeriodLock
from funds.models import FundEntry
from reports.models import CycleReport, CycleStatus
from tests.browser.conftest import CONTEXT, VIEWPORTS, check_page, log_in
from tests.conftest import PASSWORD, TAN_UYEN, make_member
from tests.period_locks import snapshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_submit_return_resubmit_approve_then_a_later_edit_is_refused(page, chromium, staff, lai_chau_officer, club):
    make_member(club, full_name="Lường Thị Chơ")
    lai_chau_officer.first_name, lai_chau_officer.last_name = "Lò Văn", "Duyệt"
    lai_chau_officer.save()
    commune_url = f"{page.base_url}{reverse('reports:cycle-commune', args=[TAN_UYEN])}?period=2026-Q1"
    log_in(page, staff.username, PASSWORD)
    page.goto(commune_url)
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_text("Đã nộp báo cáo Báo cáo quý I năm 2026.").wait_for()
    assert page.locator("#cycle-status [data-status]").get_attribute("data-status") == "submitted"

    officer_context = chromium.new_context(viewport=VIEWPORTS[page.width_name], **CONTEXT)
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
    officer.get_by_role("button", name="Duyệt", exact=True).click()
    officer.get_by_text("Đã duyệt báo cáo.").wait_for()
    officer_context.close()
    row = CycleReport.objects.get()
    assert row.status == CycleStatus.APPROVED
    assert PeriodLock.objects.get().commune_id == club.commune_id
    page.goto(commune_url)
    assert page.locator("#cycle-status [data-status]").get_attribute("data-status") == "approved"
    assert page.get_by_role("button", name="Nộp báo cáo").count() == 0

    # Later, the commune records a contribution dated inside the approved quarter: refused on the form.
    before, entries = snapshot(), list(FundEntry.objects.values_list("pk", "entry_date", "amount"))
    page.goto(f"{page.base_url}{reverse('funds:entry-add', args=[club.pk])}")
    page.locator("#id_entry_date").fill("15/02/2026")
    page.locator("#id_amount").fill("1.000.000")
    page.locator("#id_source").select_option(label="Thành viên đóng góp")
    page.get_by_role("button", name="Lưu").click()
    refusal = page.get_by_text("không thể ghi hay sửa số liệu", exact=False).first
    refusal.wait_for()
    text = refusal.inner_text()
    assert "2026-Q1" in text and "01/01/2026–31/03/2026" in text and "Lò Văn Duyệt" in text
    assert "15/02/2026" in text and refusal.is_visible()
    check_page(page, "cycle-locked-entry")
    assert page.url.split("?")[0].endswith(reverse("funds:entry-add", args=[club.pk]))
    assert snapshot() == before
    assert list(FundEntry.objects.values_list("pk", "entry_date", "amount")) == entries
