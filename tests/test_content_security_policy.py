"""Scripts run only from our own static files (Content-Security-Policy `script-src 'self'`).

The browser blocks an inline script, an inline event handler (`onclick=`…) or a `javascript:` address
silently for the user: the button just does nothing. So no template may hold one, whether or not a
browser test happens to reach its page (tests/browser/test_every_button.py presses the buttons).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    path
    for pattern in ("templates/**/*.html", "*/templates/**/*.html")
    for path in ROOT.glob(pattern)
    if ".venv" not in path.parts
)
INLINE = {
    # A data block (json_script) is not run, and the policy lets it be.
    "inline <script>": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.I
    ),
    "inline event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: address": re.compile(r"javascript:", re.I),
}


def test_the_templates_are_found():
    assert ROOT / "templates" / "base.html" in TEMPLATES
    assert ROOT / "templates" / "life" / "collection_sheet.html" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_holds_a_script_the_policy_blocks(template):
    text = template.read_text()
    found = [
        f"line {text.count(chr(10), 0, match.start()) + 1}: {what} {match.group(0)[:80]!r}"
        for what, pattern in INLINE.items()
        for match in pattern.finditer(text)
    ]
    assert found == []


@pytest.mark.parametrize(
    "text",
    [
        '<button type="button" onclick="window.print()">',
        "<script>\nalert(1)\n</script>",
        '<a href="javascript:history.back()">',
        '<form method="post"\n      onsubmit="return confirm(\'?\')">',
    ],
)
def test_the_check_sees_what_the_policy_blocks(text):
    assert any(pattern.search(text) for pattern in INLINE.values())


@pytest.mark.parametrize(
    "text",
    [
        '<script src="/static/js/app.js"></script>',
        '<script id="data" type="application/json">{"a": 1}</script>',
        '<button type="button" data-print hidden>',
        "<p>Online</p>",
    ],
)
def test_the_check_lets_scripts_from_files_be(text):
    assert not any(pattern.search(text) for pattern in INLINE.values())


def test_the_policy_lets_no_inline_script_run():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert "script-src-attr" not in directives and "script-src-elem" not in directives
