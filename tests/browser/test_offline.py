"""The meeting day without signal (issue 18), in Chromium at phone size with the network switched off
(Playwright's `context.set_offline`): prepare, go offline, record a meeting, reload offline, come back
online and find every record on the server once; a replay, a conflicting repayment and a club of
another commune are refused as the sync endpoint promises (tests/life/test_meeting_sync.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import EntryKind, FundKind, RatePeriod, Repayment, RepaymentPlan
from funds.services import fund_entry_add, loan_disburse
from life.models import Activity, ActivityType, Attendance, HealthCheck, MeetingSync
from tests.browser.conftest import CHROMIUM, CONTEXT, VIEWPORTS, log_in, shoot
from tests.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ["Nguyễn Thị An", "Lò Thị Bình", "Vàng A Chá"]


@pytest.fixture
def phone(chromium, live_server):
    """A phone-sized page whose console errors and CSP violations are collected in `page.problems`."""
    assert CHROMIUM
    context = chromium.new_context(viewport=VIEWPORTS["phone"], service_workers="allow", **CONTEXT)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base_url = live_server.url
    page.width_name = "phone"
    page.problems = []
    page.on(
        "console",
        lambda msg: page.problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    # Requests on their way, the page's and the service worker's.
    in_flight = set()
    context.on("request", lambda request: in_flight.add(request))
    context.on("requestfinished", lambda request: in_flight.discard(request))
    context.on("requestfailed", lambda request: in_flight.discard(request))
    yield page
    # A sync still on its way (the `online` event and "Đồng bộ ngay" can both start one) must be answered
    # before the test's tables are emptied: emptying them waits on its locks, and it on theirs.
    for _ in range(200):
        if not in_flight:
            break
        page.wait_for_timeout(100)
    context.close()


@pytest.fixture
def meeting_club(club):
    fund = club.funds.get(kind=FundKind.INCOME)
    fund_entry_add(
        fund=fund,
        kind=EntryKind.CONTRIBUTION,
        amount=30_000_000,
        entry_date=datetime.date(2024, 3, 1),
        source="state",
        recorded_by=None,
    )
    members = [make_member(club, full_name=name) for name in NAMES]
    loan = loan_disburse(
        fund=fund,
        member=members[2],
        disbursed_on=timezone.localdate() - datetime.timedelta(days=65),
        principal=6_000_000,
        purpose="livestock",
        term_months=6,
        interest_rate=1,
        rate_period=RatePeriod.MONTH,
        plan=RepaymentPlan.EQUAL_MONTHLY,
        recorded_by=None,
    )
    return club, members, loan


def stored(page) -> list[dict]:
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open("clb-offline");
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains("meetings")) { resolve([]); return; }
              const all = db.transaction("meetings").objectStore("meetings").getAll();
              all.onsuccess = () => resolve(all.result);
            };
        })"""
    )


def records() -> tuple[int, int, int, int]:
    return (
        Activity.objects.filter(kind=ActivityType.MONTHLY_MEETING).count(),
        Attendance.objects.count(),
        HealthCheck.objects.count(),
        Repayment.objects.count(),
    )


def test_a_meeting_recorded_without_signal_reaches_the_server_once(phone, staff, meeting_club, other_club):
    page = phone
    club, members, loan = meeting_club
    an, binh, cha = members
    outsider = make_member(other_club, full_name="Người Xã Khác")
    sheet_url = f"{page.base_url}{reverse('life:meeting-day', args=[club.pk])}"
    log_in(page, staff.username, PASSWORD)
    page.goto(sheet_url)
    # The service worker is running and serves this page.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()

    # Prepare while there is signal: the panel says when.
    page.get_by_role("button", name="Chuẩn bị cho buổi sinh hoạt").click()
    page.get_by_text("Đã chuẩn bị lúc").wait_for()
    assert "1 CLB, 3 thành viên" in page.locator("[data-offline-prepared]").inner_text()
    assert "lưu trên máy này" in page.locator("[data-offline-panel]").inner_text()

    # No signal: the page still opens, and the meeting is kept on the phone.
    page.context.set_offline(True)
    page.reload()
    page.get_by_role("heading", name="Ngày sinh hoạt định kỳ").wait_for()
    page.get_by_role("button", name="Ai chưa điểm danh: có mặt").click()
    page.get_by_role("radiogroup", name=f"Điểm danh {binh.full_name}").get_by_text("Vắng").click()
    page.get_by_label(f"Tâm thu {an.full_name}").fill("150")
    page.get_by_label(f"Tâm trương {an.full_name}").fill("95")
    page.get_by_role("button", name=f"Nộp đủ số phải trả {cha.full_name}").click()
    page.get_by_role("button", name="Lưu buổi sinh hoạt").click()
    page.get_by_text("Chưa đồng bộ: 1 buổi sinh hoạt").wait_for()
    assert records() == (0, 0, 0, 0)

    # Still there after a reload with no signal (IndexedDB outlives the page and a restart).
    page.reload()
    page.get_by_text("Chưa đồng bộ: 1 buổi sinh hoạt").wait_for()
    shoot(page, "offline-pending")
    [meeting] = stored(page)
    assert meeting["club"] == club.pk and meeting["counts"] == {"present": 2, "readings": 1, "repayments": 1}

    # A meeting for a club of another commune (as a tampered phone would send) waits with it.
    forged = {
        "id": "0b7f4a52-5f7e-4d5c-9b7c-3f2a1d9e8c01",
        "club": other_club.pk,
        "club_name": other_club.name,
        "date": meeting["date"],
        "fields": {
            "area": "1",
            "m-TOTAL_FORMS": "1",
            "m-INITIAL_FORMS": "1",
            "m-MIN_NUM_FORMS": "0",
            "m-MAX_NUM_FORMS": "1000",
            "m-0-member": str(outsider.pk),
            "m-0-status": "present",
        },
        "counts": {"present": 1, "readings": 0, "repayments": 0},
        "saved_at": "2099-01-01T00:00:00Z",
    }
    page.evaluate(
        """(entry) => new Promise((resolve) => {
            const open = indexedDB.open("clb-offline");
            open.onsuccess = () => {
              const tx = open.result.transaction("meetings", "readwrite");
              tx.objectStore("meetings").put(entry);
              tx.oncomplete = () => resolve(true);
            };
        })""",
        forged,
    )

    # Signal again: the meetings are sent by themselves; the other commune's club is refused.
    page.context.set_offline(False)
    page.get_by_text("Đã đồng bộ:").wait_for()
    page.get_by_text("Bạn không có quyền ghi sổ cho CLB này.").wait_for()
    assert page.locator("[data-offline-count]").inner_text() == "Chưa đồng bộ: 1 buổi sinh hoạt"
    assert [m["id"] for m in stored(page)] == [forged["id"]]
    assert records() == (1, 3, 1, 1)
    saved = Activity.objects.get(kind=ActivityType.MONTHLY_MEETING)
    assert (saved.club, saved.held_on.isoformat(), saved.recorded_by) == (club, meeting["date"], staff)
    assert dict(saved.attendance.values_list("member__full_name", "status")) == {
        an.full_name: "present",
        binh.full_name: "absent",
        cha.full_name: "present",
    }
    check = HealthCheck.objects.get()
    assert (check.member, check.systolic, check.diastolic) == (an, 150, 95)
    repayment = Repayment.objects.get()
    assert repayment.loan == loan and repayment.principal > 0
    assert not Activity.objects.filter(club=other_club).exists()

    # The same sync replayed (a doubled request): the stored answer, nothing recorded twice.
    body = {key: meeting[key] for key in ("id", "club", "date", "fields")}
    answer = page.evaluate(
        """async (body) => {
            const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const response = await fetch("/club-life/meeting-day/sync/", {method: "POST",
              headers: {"Content-Type": "application/json", "X-CSRFToken": token}, body: JSON.stringify(body)});
            return {status: response.status, json: await response.json()};
        }""",
        body,
    )
    assert answer["status"] == 200 and answer["json"]["replayed"] is True
    assert records() == (1, 3, 1, 1) and MeetingSync.objects.count() == 1

    # A repayment larger than what is owed, kept offline, comes back as a line error; nothing saved.
    page.context.set_offline(True)
    page.reload()
    page.get_by_role("button", name="Ai chưa điểm danh: có mặt").click()
    page.get_by_label(f"Nộp gốc {cha.full_name}").fill("99.000.000")
    page.get_by_role("button", name="Lưu buổi sinh hoạt").click()
    page.get_by_text("Chưa đồng bộ: 2 buổi sinh hoạt").wait_for()
    page.context.set_offline(False)
    page.get_by_role("button", name="Đồng bộ ngay").click()
    refused = (
        page.locator("[data-offline-entry]").filter(has_text="Bị từ chối").filter(has_text=cha.full_name)
    )
    refused.wait_for()
    assert "Trả nợ" in refused.inner_text() or "nợ" in refused.inner_text()
    shoot(page, "offline-refused")
    assert records() == (1, 3, 1, 1)
    assert page.problems == []
