"""The crawl of test_every_button.py sees what it is there to see.

A small made-up site, served by Playwright itself under our policy and with our static/js/app.js:
a blocked inline handler, a page wider than the screen, a missing page, a confirm that works and
one whose script is missing, a print button. No database, no server.
"""

from pathlib import Path

import pytest

from tests.browser.conftest import CONTEXT
from tests.browser.crawl import WATCH, crawl

SITE = "http://crawl.test"
POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'"
APP_JS = (Path(__file__).resolve().parents[2] / "static" / "js" / "app.js").read_text()
NAV = '<nav class="navbar"><a href="/">Trang chủ</a></nav>'
PAGES = {
    "/": """<a href="/inline/">1</a> <a href="/wide/">2</a> <a href="/clubs/1/">3</a> <a href="/clubs/2/">4</a>
        <a href="/report.pdf">PDF</a> <a href="/accounts/logout/">Thoát</a> <a href="/no-script/">5</a>
        <form method="post" data-confirm="Xoá khoản này?"><button type="submit">Xoá</button></form>
        <form method="post"><button type="submit">Lưu</button></form>
        <button type="button" data-print hidden>In</button>""",
    "/inline/": '<button type="button" onclick="window.print()">In</button> <a href="/missing/">?</a>',
    "/wide/": '<div style="width: 2000px">rộng</div>',
    "/clubs/1/": "<p>CLB 1</p>",
    "/clubs/2/": "<p>CLB 2</p>",
    "/no-script/": '<form method="post" data-confirm="Xoá?"><button type="submit">Xoá hẳn</button></form>',
}


@pytest.fixture
def site(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, **CONTEXT)
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(5_000)
    asked = []

    def answer(route):
        path = route.request.url.removeprefix(SITE).split("?")[0]
        asked.append((route.request.method, path))
        if path == "/static/js/app.js":
            return route.fulfill(body=APP_JS, content_type="text/javascript")
        if path not in PAGES or route.request.method != "GET":
            status = 404 if path not in PAGES else 200
            return route.fulfill(
                status=status, body="<p>Không có</p>", content_type="text/html; charset=utf-8"
            )
        script = "" if path == "/no-script/" else '<script src="/static/js/app.js"></script>'
        body = f"<!doctype html><html><body>{NAV}{PAGES[path]}{script}</body></html>"
        route.fulfill(
            body=body, content_type="text/html; charset=utf-8", headers={"Content-Security-Policy": POLICY}
        )

    page.route(f"{SITE}/**", answer)
    yield page, asked
    context.close()


def test_the_crawl_finds_what_is_wrong_and_presses_what_is_right(site):
    page, asked = site
    result = crawl(page, f"{SITE}/", limit=20)
    visited = [visit.shape for visit in result.visits]
    assert visited == ["/", "/inline/", "/wide/", "/clubs/N/", "/no-script/", "/missing/"]
    assert ("GET", "/report.pdf") not in asked and ("GET", "/accounts/logout/") not in asked
    home = result.visit_of("/")
    assert home.print_calls == 1 and home.clicked == ["Xoá", "In"]
    assert home.confirmed == ["confirm: Xoá khoản này?"]
    assert home.focused == 1  # "Lưu", only focused

    problems = "\n".join(result.problems)
    assert "/inline/: CSP script-src-attr blocked inline" in problems
    assert "/wide/: 2008 px wide on a 390 px screen" in problems  # with the body's margin
    assert "/missing/: answers 404" in problems
    assert "/no-script/: “Xoá hẳn” submits without asking (data-confirm)" in problems
    # The only form ever sent is the one whose confirm could not run.
    assert [path for method, path in asked if method == "POST"] == ["/no-script/"]
    assert not any(text.startswith("/: ") or text.startswith("/clubs/") for text in result.problems)


def test_the_crawl_stops_at_its_limit_and_says_so(site):
    page, _ = site
    result = crawl(page, f"{SITE}/", limit=2)
    assert len(result.visits) == 2
    assert "the crawl stopped at 2 pages" in result.problems[-1]
