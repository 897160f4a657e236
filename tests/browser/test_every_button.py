"""Every page each role can reach, at desktop and phone width, with every button pressed, under the
real Content-Security-Policy: no violation, no console or page error, nothing wider than the screen.

The data is the demo (`load_demo`: the Lai Châu clubs, members, loans, club life, plans), so the
pages show what they show in use. The crawl is in tests/browser/crawl.py; what it visited is kept in
test-artifacts/crawl/<role>-<width>.json.
"""

import io
import json
from dataclasses import asdict
from functools import partial
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse

from devdata.demo_accounts import DEMO_PASSWORD
from funds.models import EntryKind, FundKind, RatePeriod, Repayment, RepaymentPlan
from funds.services import fund_entry_add, loan_disburse
from tests.browser.conftest import ARTIFACTS, CONTEXT, log_in
from tests.browser.crawl import WATCH, crawl
from tests.conftest import PASSWORD, make_member
from tests.life.factories import D

# Like every test, on PostgreSQL and on SQLite (`make test`): the pages render from either database
# (figure caches, bulk paths differ).
pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# One page of each URL shape: the admin reaches about 60 shapes, the others fewer.
PAGE_LIMIT = 120
COLLECTION_SHEET = "/clubs/N/collection/N-N-N/"
# Pages the crawl must reach for each role (by URL name), beside whatever else it finds: it proves
# the crawl went deep enough, not only that what it saw was fine.
EVERYONE = {"home", "clubs:club-list", "clubs:club-detail", "members:member-detail", "funds:loan-detail",
            "funds:club-funds", "life:collection-sheet", "life:activity-detail", "life:care-board",
            "life:member-health", "reports:plan-detail"}  # fmt: skip
EDITORS = {"life:meeting-day", "life:activity-add", "funds:loan-repay", "funds:loan-disburse",
           "members:member-edit", "members:member-leave", "clubs:club-edit", "clubs:team-create"}  # fmt: skip
# The people pages (issue 16) of those who manage accounts.
PEOPLE = {"clubs:people-list", "clubs:person-create", "clubs:person-detail", "clubs:person-edit",
          "clubs:person-password-reset"}  # fmt: skip
REACHED = {
    "admin": EVERYONE | EDITORS | PEOPLE | {"reports:national", "reports:plan-create", "clubs:area-classes-upload"},
    "tinh.laichau": EVERYONE | PEOPLE | {"reports:province", "reports:province-clubs"},
    "xa.tanuyen": EVERYONE | EDITORS,
}


def _new_page(chromium, live_server, width: str):
    # Motion reduced (prefers-reduced-motion), as some users set it: Bootstrap then opens menus, collapses
    # and dialogs at once instead of after a 0.15–0.3 s transition that each next click waits out
    # (pressing the admin's buttons took 40 % less time). Only here: in tests/browser/test_life.py a click
    # right after a full-page screenshot then missed the meeting day's sticky save button.
    context = chromium.new_context(viewport=WIDTHS[width], reduced_motion="reduce", **CONTEXT)
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    return page


# The three crawls take two to three minutes together on a quiet 2-core machine: one test, so that the
# demo is loaded once (the crawl never sends a form, so one role's crawl leaves the data as it found it).
@pytest.mark.timeout(900)
def test_every_page_and_button_of_each_role_works_under_the_policy(chromium, live_server):
    """The admin, the Lai Châu officer and the Tân Uyên staff, each at desktop and phone width: every
    page at both, each button at the first width that shows it."""
    call_command("load_demo", stdout=io.StringIO())
    problems = []
    for username in REACHED:
        problems += [f"{username} {text}" for text in _crawl_as(chromium, live_server, username)]
    assert problems == [], "\n".join(problems)


def _crawl_as(chromium, live_server, username: str) -> list[str]:
    problems, pressed, printed = [], set(), 0
    for width in WIDTHS:
        page = _new_page(chromium, live_server, width)
        sign_in = partial(log_in, username=username, password=DEMO_PASSWORD)
        result = crawl(page, f"{live_server.url}/", limit=PAGE_LIMIT, sign_in=sign_in, pressed=pressed)
        page.context.close()
        problems += [f"[{width}] {text}" for text in result.problems]
        reached = {resolve(urlsplit(visit.url).path).view_name for visit in result.visits}
        problems += [f"[{width}] never reached {name}" for name in sorted(REACHED[username] - reached)]
        sheet = result.visit_of(COLLECTION_SHEET)
        if sheet is not None and "In bảng thu" in sheet.clicked:
            printed += 1
            if sheet.print_calls != 1:
                problems.append(
                    f"[{width}] {sheet.url}: “In bảng thu” called window.print {sheet.print_calls} times"
                )
        _keep(result, reached, f"{username}-{width}")
    if printed != 1:
        problems.append(f"“In bảng thu” was pressed at {printed} widths, not at one (the other passes over it)")
    return problems


def _keep(result, reached: set[str], name: str) -> None:
    folder = ARTIFACTS.parent / "crawl"
    folder.mkdir(parents=True, exist_ok=True)
    kept = {**asdict(result), "url_names": sorted(reached)}
    (folder / f"{name}.json").write_text(json.dumps(kept, ensure_ascii=False, indent=1))


# --- the two buttons of the collection sheet, one by one -------------------------------------------


def _lend(club, member, principal: int, *, term_months: int, interest_rate: str):
    return loan_disburse(
        fund=club.funds.get(kind=FundKind.INCOME),
        member=member,
        disbursed_on=D(2024, 4, 1),
        principal=principal,
        purpose="livestock",
        term_months=term_months,
        interest_rate=interest_rate,
        rate_period=RatePeriod.MONTH,
        plan=RepaymentPlan.EQUAL_MONTHLY,
        recorded_by=None,
    )


@pytest.fixture
def sheet_page(chromium, live_server, request):
    page = _new_page(chromium, live_server, request.param)
    yield page
    page.context.close()


@pytest.mark.parametrize("sheet_page", list(WIDTHS), indirect=True)
def test_the_collection_sheet_prints_and_fills_in_the_amounts_due(sheet_page, staff, club):
    page = sheet_page
    fund_entry_add(
        fund=club.funds.get(kind=FundKind.INCOME),
        kind=EntryKind.CONTRIBUTION,
        amount=20_000_000,
        entry_date=D(2024, 3, 1),
        source="state",
        recorded_by=None,
    )
    an, binh = make_member(club, full_name="Nguyễn Thị An"), make_member(club, full_name="Lò Thị Bình")
    # On 01/05/2024 An owes 1.000.000 đ of principal and 20.000 đ of interest, Bình 1.000.000 đ only.
    loan_an = _lend(club, an, 2_000_000, term_months=2, interest_rate="1")
    loan_binh = _lend(club, binh, 1_000_000, term_months=1, interest_rate="0")
    log_in(page, staff.username, PASSWORD)
    page.goto(f"{page.base_url}{reverse('life:collection-sheet', args=[club.pk, '2024-05-01'])}")

    page.get_by_role("button", name="In bảng thu").click()
    assert page.evaluate("window.__printCalls") == 1

    # An brought only part of her principal: typed first, it stays; the empty boxes get what is due.
    page.get_by_label("Nộp gốc – Nguyễn Thị An").fill("500.000")
    page.get_by_role("button", name="Điền số phải trả vào ô trống").click()
    assert page.get_by_label("Nộp gốc – Nguyễn Thị An").input_value() == "500.000"
    assert page.get_by_label("Nộp lãi – Nguyễn Thị An").input_value() == "20.000"
    assert page.get_by_label("Nộp gốc – Lò Thị Bình").input_value() == "1.000.000"
    assert page.get_by_label("Nộp lãi – Lò Thị Bình").input_value() == ""  # nothing due
    assert page.evaluate("window.__problems") == []

    with page.expect_navigation():
        page.get_by_role("button", name="Lưu tất cả").click()
    paid = {r.loan_id: (r.principal, r.interest) for r in Repayment.objects.all()}
    assert paid == {loan_an.pk: (500_000, 20_000), loan_binh.pk: (1_000_000, 0)}
