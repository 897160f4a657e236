"""Template tags shared by the list pages: sortable column headers, abbreviations explained."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The abbreviations the pages use, explained on hover/tap (<abbr title>) and in full on first use.
ABBREVIATIONS = {
    "NCT": _("người cao tuổi (từ 60 tuổi)"),
    "TNV": _("tình nguyện viên"),
    "BCN": _("Ban Chủ nhiệm CLB"),
    "PAR30": _("tỷ lệ dư nợ có rủi ro: dư nợ của các khoản vay có kỳ trả chậm quá 30 ngày ÷ tổng dư nợ"),
    "CLB": _("câu lạc bộ"),
    "LTHTGN": _("liên thế hệ tự giúp nhau"),
    "BHYT": _("bảo hiểm y tế"),
    "CCCD": _("căn cước công dân"),
}


# Said in full where an abbreviation is first used in running text: "PAR30 (dư nợ quá hạn trên 30 ngày)".
FIRST_USE = {
    "NCT": _("người cao tuổi"),
    "TNV": _("tình nguyện viên"),
    "BCN": _("Ban Chủ nhiệm"),
    "PAR30": _("dư nợ quá hạn trên 30 ngày"),
}


@register.simple_tag
def abbr_first(short: str) -> str:
    """`{% abbr_first "PAR30" %}`: the abbreviation's first use on a page, its meaning in brackets after it."""
    return format_html("{} ({})", abbr(short), FIRST_USE[short])


@register.simple_tag
def abbr(short: str) -> str:
    """`{% abbr "NCT" %}`: the abbreviation with its meaning as a tooltip (read by screen readers too)."""
    return format_html('<abbr title="{}" tabindex="0">{}</abbr>', ABBREVIATIONS[short], short)


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, css: str = "") -> str:
    """A column header that sorts the list by `key` (a second tap reverses it), keeping the filters.

    The view says which keys it can sort by at its scale (`sort_keys`) and which one it used (`sort`).
    """
    request = context["request"]
    current = context.get("sort") or ""
    params = {k: v for k, v in request.GET.items() if k not in ("sort", "page")}
    ascending = current == key
    params["sort"] = f"-{key}" if ascending else key
    state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
    arrow = {"ascending": " ▲", "descending": " ▼", "none": ""}[state]
    return format_html(
        '<th class="{}" aria-sort="{}"><a class="sort-link" href="?{}">{}{}</a></th>',
        css,
        state,
        urlencode(params),
        label,
        arrow,
    )


@register.inclusion_tag("includes/_error_summary.html")
def error_summary(*forms) -> dict:
    """At the top of a form page: every error, each linking to its field (the page's own messages stay
    beside the fields). Nothing when the forms are valid or unbound."""
    lines = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            lines.append(("", message))
        for field in form:
            if field.is_hidden and not field.errors:
                continue
            for message in field.errors:
                lines.append((field.id_for_label or "", f"{field.label}: {message}"))
    return {"lines": lines}
