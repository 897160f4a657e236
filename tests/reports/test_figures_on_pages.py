"""Figures are never broken across lines on the pages (issue: "1.253.360.27 / 5 đ" on a dashboard).

An amount of money has a space a line may break at, and a narrow card or cell lets the browser break
any long word (Bootstrap's cards set `overflow-wrap: break-word`). So every amount, wherever it is, and
every figure in a table cell or a key-figure card (amounts, percentages, counts with thousands
separators) must sit in a non-breaking element: the filters' `text-nowrap` span, or a cell that is
`text-nowrap` / `num`. The dashboards, report pages, club, fund, loan and member pages are read as their
users get them, with the hand-built Lai Châu dataset (amounts in the hundreds of millions).
"""

import re

import pytest
import tinyhtml5
from django.urls import reverse

from funds.models import Loan
from reports.models import Plan, Target
from tests.reports.conftest import ON

pytestmark = pytest.mark.django_db

XHTML = "{http://www.w3.org/1999/xhtml}"
# 1.234.567 đ · 0 đ · 66,7% · 100% · 1.234 (a count with a thousands separator)
FIGURE = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?(?: đ(?!\w))?|-?\d+(?:,\d+)? ?(?:đ(?!\w)|%)")
MONEY = re.compile(r"\d ?đ$")
UNBROKEN = {"text-nowrap", "num", "keep"}
BLOCKS = {"td", "th", "div", "p", "li", "dd", "dt", "section", "article", "main", "body", "h1", "h2", "h3"}
SKIPPED = {"script", "style", "svg", "title", "option", "textarea"}


def _tag(element) -> str:
    return element.tag.removeprefix(XHTML) if isinstance(element.tag, str) else ""


def broken_figures(html: str) -> list[str]:
    """Figures a browser may break across lines: not inside a non-breaking element up to their block."""
    root = tinyhtml5.parse(html)
    parents = {child: parent for parent in root.iter() for child in parent}

    def ancestors(element):
        while element is not None:
            yield element
            element = parents.get(element)

    def unbroken(owner) -> bool:
        for element in ancestors(owner):
            if UNBROKEN & set(element.get("class", "").split()):
                return True
            if _tag(element) in BLOCKS:
                return False
        return False

    def narrow(owner) -> bool:
        """In a table cell or a key-figure card, where any long word may be broken."""
        return any(
            _tag(element) in ("td", "th") or "figure-card" in element.get("class", "")
            for element in ancestors(owner)
        )

    found = []
    for element in root.iter():
        if any(_tag(e) in SKIPPED for e in ancestors(element)):
            continue
        for text, owner in ((element.text, element), (element.tail, parents.get(element))):
            if not text or owner is None:
                continue
            for match in FIGURE.finditer(text):
                figure = match.group()
                if (MONEY.search(figure) or narrow(owner)) and not unbroken(owner):
                    found.append(f"{figure!r} in <{_tag(owner)} class={owner.get('class', '')!r}>")
    return found


def test_it_finds_a_figure_a_line_may_break():
    assert broken_figures(
        "<table><tr><td>1.253.360.275 đ</td><td>66,7%</td></tr></table><p>Vốn: 5.000 đ</p>"
    ) == [
        "'1.253.360.275 đ' in <td class=''>",
        "'66,7%' in <td class=''>",
        "'5.000 đ' in <p class=''>",
    ]
    assert (
        broken_figures(
            '<table><tr><td class="text-end"><span class="text-nowrap">1.253.360.275 đ</span></td>'
            '<td class="num">66,7%</td></tr></table><p>Toàn tỉnh có 1.234 thành viên (66,7%).</p>'
        )
        == []
    )


@pytest.fixture
def plan_with_money_targets(lai_chau, dataset):
    plan = Plan.objects.create(province=lai_chau, name="Đề án", start=ON.replace(month=1, day=1),
                               end=ON.replace(year=ON.year + 4))  # fmt: skip
    Target.objects.create(plan=plan, indicator="fund_capital_vnd", value=2_000_000_000)
    Target.objects.create(
        plan=plan, indicator="members_women_pct", comparison="between", value=60, value_max=70
    )
    Target.objects.create(plan=plan, indicator="members_total", value=1000)
    return plan


def test_no_figure_can_break_on_the_pages_of_an_officer_and_an_admin(
    client_for, lai_chau_officer, admin_user, staff, dataset, plan_with_money_targets
):
    a = dataset.a
    loan = Loan.objects.filter(member=dataset.m2).get()
    as_of = {"as_of": ON.isoformat(), "plan": plan_with_money_targets.pk}
    pages = {
        lai_chau_officer: [
            reverse("home"),
            reverse("reports:province", args=[12]) + "?" + "&".join(f"{k}={v}" for k, v in as_of.items()),
            reverse("reports:province-clubs", args=[12]) + f"?as_of={ON.isoformat()}",
            reverse("clubs:club-list"),
            reverse("clubs:club-detail", args=[a.pk]),
            reverse("funds:club-funds", args=[a.pk]),
            reverse("funds:loan-list"),
            reverse("funds:loan-detail", args=[loan.pk]),
            reverse("members:member-detail", args=[dataset.m2.pk]),
            reverse("life:activity-list", args=[a.pk]),
            reverse("life:club-overview"),
            reverse("members:member-list"),
        ],
        staff: [reverse("home"), reverse("funds:club-loans", args=[a.pk])],
        admin_user: [reverse("home"), reverse("reports:national") + f"?as_of={ON.isoformat()}"],
    }
    checked, broken = 0, {}
    for user, urls in pages.items():
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            if found := broken_figures(html):
                broken[url] = found
            checked += len(FIGURE.findall(html))
    assert broken == {}
    assert checked > 300  # the pages do show figures: the check is not vacuous
