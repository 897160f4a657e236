"""End-to-end tests in Debian's headless Chromium, driven by Playwright (never a downloaded browser).

Screenshots (and the PDF report the browser fetched) are kept under test-artifacts/screenshots/, at
desktop and phone (375×812) widths.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
# What every test's browser context is given.
CONTEXT = {"locale": "vi-VN"}

# pytest-django's live_server runs in this process; Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, chromium, live_server):
    """A fresh browser page at desktop or phone width; `page.base_url` is the live server."""
    context = chromium.new_context(viewport=VIEWPORTS[request.param], accept_downloads=True, **CONTEXT)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    page.width_name = request.param
    yield page
    context.close()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{page.width_name}.png"), full_page=True)


def log_in(page, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{page.base_url}/")


def serious_accessibility_violations(page) -> list[str]:
    """axe-core (bundled by axe-playwright-python) violations of impact serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fits_the_screen(page) -> bool:
    """Nothing makes the page scroll sideways (wide tables scroll inside their own box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def check_page(page, name: str) -> None:
    """The page as its users get it: no serious accessibility violation, as wide as the screen at most.

    Kept as a screenshot named after the page and the width.
    """
    shoot(page, name)
    assert serious_accessibility_violations(page) == [], name
    assert fits_the_screen(page), name
