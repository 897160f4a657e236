"""A bounded crawl of the site as one user sees it, pressing every button on the way.

From the home page it follows every same-site link breadth first, one page of each URL shape (the
path with ids and dates as N), and on each page:
- records Content-Security-Policy violations (a `securitypolicyviolation` listener added before any
  script runs), console errors and uncaught page errors;
- fails a page that answers 4xx/5xx or is wider than the screen;
- presses each visible button: buttons that submit a form are only focused (nothing is ever
  posted), except in forms with `data-confirm`, whose question must appear and is dismissed; link
  buttons are focused (the crawl visits their address anyway); every other button, menu toggle and
  close box is clicked; a select that submits its GET form by itself is changed.
`window.print` is replaced by a counter, so a print button can be checked without a print dialog.

Crawled again at another width, a page's buttons already pressed at the first width (`pressed`, by
page shape and label) are focused, not pressed again: the second width presses what only it shows
(the phone's menu button, controls shown at that width only) and checks everything else a page shows.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError

# Runs in every page before its own scripts.
WATCH = """
(() => {
  window.__problems = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__problems.push(`CSP ${e.effectiveDirective} blocked ${e.blockedURI || "?"} at ${e.sourceFile || "?"}:${e.lineNumber} ${e.sample || ""}`.trim());
  });
  window.__printCalls = 0;
  window.print = () => { window.__printCalls += 1; };
})();
"""

# What a page shows once loaded, in one call: how wide it is on its screen, and where its links go.
SEEN = """
() => ({
  width: document.documentElement.scrollWidth,
  screen: window.innerWidth,
  links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
})
"""

# Marks the controls of the page and says what may be done with each.
CONTROLS = """
() => {
  const selector = "button, input[type=submit], input[type=button], input[type=reset], input[type=image], a.btn, [role=button], select[data-autosubmit]";
  return [...document.querySelectorAll(selector)].map((el, i) => {
    el.setAttribute("data-crawl", i);
    const form = el.form || null;
    const tag = el.tagName;
    const type = tag === "BUTTON" ? (el.getAttribute("type") || "submit").toLowerCase() : (el.type || "").toLowerCase();
    const href = el.getAttribute("href");
    let kind = "click";
    if (tag === "SELECT") {
      kind = form && (form.getAttribute("method") || "get").toLowerCase() === "get" ? "change" : "skip";
    } else if (tag === "A" && href && !href.startsWith("#") && el.getAttribute("role") !== "button") {
      kind = "link";
    } else if (form && (type === "submit" || type === "image")) {
      kind = form.hasAttribute("data-confirm") ? "confirm" : "submit";
    }
    const label = (el.innerText || el.value || el.getAttribute("aria-label") || el.id || tag).trim();
    return {id: i, kind, label: label.replace(/\\s+/g, " ").slice(0, 50), nav: !!el.closest("nav.navbar")};
  });
}
"""

# Focuses the visible controls given, one after the other, as the Tab key would reach them; returns
# those that would not take the focus (a control that is not disabled always should).
FOCUS = """
(ids) => ids.filter((id) => {
  const el = document.querySelector(`[data-crawl="${id}"]`);
  if (!el || !el.checkVisibility() || el.disabled) return false;
  el.focus();
  return document.activeElement !== el;
}).map((id) => document.querySelector(`[data-crawl="${id}"]`).outerHTML.slice(0, 80))
"""

# Not pages to visit: leaving the session, switching language, files (PDF, xlsx, csv, json: some
# take seconds to render), static files, the Django admin (not linked from the site's navigation).
SKIP = re.compile(
    r"/accounts/logout/|/i18n/|/static/|/media/|/admin/|/healthz|"
    r"\.(pdf|xlsx|xls|ods|csv|json)$|/pdf/$|/export/",
)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def url_shape(url: str) -> str:
    """`/clubs/1/collection/2025-05-10/?page=2` → `/clubs/N/collection/N-N-N/`: one page of each shape
    (the same view with other query parameters renders the same template)."""
    return re.sub(r"\d+", "N", UUID.sub("U", urlsplit(url).path))


@dataclass
class Visit:
    url: str
    shape: str
    status: int
    clicked: list[str] = field(default_factory=list)
    focused: int = 0  # submit buttons and link buttons
    confirmed: list[str] = field(default_factory=list)
    print_calls: int = 0


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)

    def visit_of(self, shape: str) -> Visit | None:
        return next((v for v in self.visits if v.shape == shape), None)


def crawl(page, start: str, *, limit: int, sign_in=None, pressed: set | None = None) -> Crawl:
    """Visit every page reachable from `start` (one per URL shape, at most `limit`).

    `pressed` holds (page shape, button label) pairs pressed by an earlier crawl, which are passed
    over; the buttons this crawl presses are added to it.

    `sign_in(page)`, when given, runs first, watched like the rest (the login page is the first page
    a browser sees: its console errors count too).
    """
    result = Crawl()
    pressed = set() if pressed is None else pressed
    host = urlsplit(start).netloc
    dialogs: list[str] = []
    current = {"url": start}

    def problem(text: str) -> None:
        parts = urlsplit(current["url"])
        result.problems.append(f"{parts.path}{'?' + parts.query if parts.query else ''}: {text}")

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()  # a confirm answered "no": the form is not sent

    def on_console(message) -> None:
        if message.type == "error":
            problem(f"console {message.text} ({message.location.get('url') or '?'})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problem(f"uncaught {error}"))
    page.on("dialog", on_dialog)
    page.on(
        "framenavigated", lambda frame: current.update(url=frame.url) if frame == page.main_frame else None
    )

    if sign_in is not None:
        sign_in(page)
        for text in page.evaluate("window.__problems.splice(0)"):
            problem(text)

    queue, seen_shapes, queued = [start], set(), {start}
    pressed_in_nav: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url_shape(url) in seen_shapes:
            continue
        if len(result.visits) >= limit:
            problem(f"the crawl stopped at {limit} pages with {len(queue) + 1} addresses left")
            break
        seen_shapes.add(url_shape(url))
        current["url"] = url
        try:
            response = page.goto(url, wait_until="load")
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                result.downloads.append(url)
            else:
                problem(f"cannot be opened: {str(error).splitlines()[0]}")
            continue
        current["url"] = page.url
        final_shape = url_shape(page.url)
        if page.url != url and final_shape in seen_shapes - {url_shape(url)}:
            continue  # a redirect to a page already seen
        seen_shapes.add(final_shape)
        visit = Visit(url=page.url, shape=final_shape, status=response.status)
        result.visits.append(visit)
        if response.status >= 400:
            problem(f"answers {response.status}")
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        seen = page.evaluate(SEEN)
        if seen["width"] > seen["screen"]:
            problem(f"{seen['width']} px wide on a {seen['screen']} px screen")
        for href in seen["links"]:
            target = urljoin(page.url, href).split("#")[0]
            parts = urlsplit(target)
            if parts.netloc == host and not SKIP.search(parts.path) and target not in queued:
                queued.add(target)
                queue.append(target)
        _press_every_button(page, visit, dialogs, pressed_in_nav, problem, pressed)
        after = page.evaluate("({problems: window.__problems.splice(0), printCalls: window.__printCalls})")
        for text in after["problems"]:
            problem(text)
        visit.print_calls = after["printCalls"]
    return result


def _press_every_button(
    page, visit: Visit, dialogs: list[str], pressed_in_nav: set[str], problem, pressed: set
) -> None:
    """Presses the page's controls in document order (so a phone's menu opens before its items).

    The navigation bar is the same on every page: its buttons are pressed on the first page only.
    """
    here = page.url.split("#")[0]
    controls = page.evaluate(CONTROLS)
    # Buttons pressed at an earlier width are focused here instead, in the same one call.
    pressed_before = [
        c["id"]
        for c in controls
        if c["kind"] in ("click", "confirm", "change")
        and not c["nav"]
        and (visit.shape, c["label"]) in pressed
    ]
    focusable = [c["id"] for c in controls if c["kind"] in ("submit", "link")] + pressed_before
    for html in page.evaluate(FOCUS, focusable):
        problem(f"cannot be focused: {html}")
    visit.focused = len(focusable)
    for control in controls:
        label = control["label"]
        if control["kind"] in ("submit", "link", "skip") or (control["nav"] and label in pressed_in_nav):
            continue
        if not control["nav"] and (visit.shape, label) in pressed:
            continue
        element = page.locator(f'[data-crawl="{control["id"]}"]')
        if not element.is_visible():  # gone, or hidden (a menu item while its menu is closed)
            continue
        if control["nav"]:
            pressed_in_nav.add(label)
        asked = len(dialogs)
        try:
            if control["kind"] == "change":
                value = element.evaluate("s => [...s.options].find(o => !o.selected)?.value ?? null")
                if value is None:
                    continue
                with page.expect_navigation():
                    element.select_option(value)
            else:
                element.click(timeout=3000)
            visit.clicked.append(label)
            if not control["nav"]:
                pressed.add((visit.shape, label))
        except PlaywrightError as error:
            problem(f"cannot press “{label}”: {str(error).splitlines()[0]}")
            continue
        if control["kind"] == "confirm":
            if len(dialogs) == asked or not dialogs[-1].startswith("confirm"):
                problem(f"“{label}” submits without asking (data-confirm)")
            else:
                visit.confirmed.append(dialogs[-1])
        if page.url.split("#")[0] != here:
            if control["kind"] != "change":
                problem(f"“{label}” left the page for {page.url}")
            for text in page.evaluate("window.__problems.splice(0)"):
                problem(text)
            page.goto(here, wait_until="load")
            page.evaluate(CONTROLS)  # marks the controls of the page again, in the same order
            continue
        page.keyboard.press("Escape")  # closes an open menu before the next button
