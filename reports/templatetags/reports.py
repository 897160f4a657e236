"""Template filters for report figures: `{{ value|figure:unit }}`, `{{ value|cell:unit }}`, `{{ values|cells:codes }}`.

A figure comes out in a `text-nowrap` span: it is never broken across lines ("1.253.360.27 / 5 đ"), on a
phone, a dashboard card or a printed page. Breakdown cells are plain text in cells that do not break.
"""

import html

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reports import formatting
from reports.catalogue import BY_CODE

register = template.Library()


def _unbroken(text: str) -> SafeString:
    # Concatenation rather than format_html: hundreds of figures a page, the same escaping.
    return mark_safe('<span class="text-nowrap">' + escape(text) + "</span>")


@register.filter
def figure(value, unit: str) -> SafeString:
    """A value formatted for its unit: 1.234 · 66,7% · 1.234.567 đ, on one line."""
    return _unbroken(formatting.figure(value, unit))


@register.filter
def cell(value, unit: str) -> str:
    """A value formatted for its unit as plain text, for a number cell that does not break itself
    (`td.num`, nowrap on the page and in the PDF): one box fewer per figure for WeasyPrint to style and
    lay out, and a span fewer for the page to write."""
    return formatting.figure(value, unit)


@register.filter
def cells(values: dict, codes: list[str]) -> list[str]:
    """The formatted values of `codes`, in order, for one row of a breakdown table. Plain text: the
    cells themselves do not break (`td.num`, `text-nowrap`); a span in each of thousands of cells
    would cost the printed annexes a third of their layout time."""
    return [formatting.figure(values.get(code), BY_CODE[code].unit) for code in codes]


@register.filter
def number_cells(values: dict, codes: list[str]) -> SafeString:
    """One breakdown row's figure cells, `<td class="num">…</td>` each, written at once: a province's
    page has a row per commune (149 × 10 cells in Thanh Hóa), and a template loop over every cell was
    most of the page's rendering time."""
    return mark_safe("".join(f'<td class="num">{html.escape(text)}</td>' for text in cells(values, codes)))


def _breakdown_rows(rows, codes: list[str], attribute: str, label: str) -> SafeString:
    # The markup a template loop over the rows wrote, each row in its own line, at once: the loop's
    # variables, look-ups and localisation cost more than the figures themselves.
    return mark_safe(
        "".join(
            f'\n    <tr data-{attribute}="{place.code}"><td>{escape(getattr(place, label))}</td>'
            f"{number_cells(values, codes)}</tr>\n    "
            for place, values in rows
        )
    )


@register.filter
def commune_rows(rows, codes: list[str]) -> SafeString:
    """The rows of a breakdown by commune, `(commune, values)` each: its code, its name, its figure cells."""
    return _breakdown_rows(rows, codes, "commune", "name")


@register.filter
def province_rows(rows, codes: list[str]) -> SafeString:
    """The rows of the national roll-up, `(province, values)` each: its code, short name and figure cells."""
    return _breakdown_rows(rows, codes, "province", "short_name")


@register.filter
def figure_rows(values: dict, indicators) -> list[tuple[str, str, str]]:
    """(code, name, figure as plain text) of each indicator, for a table of one club's figures: looked up
    once here rather than through five template look-ups and two filters a row (a commune's report
    prints a table per club)."""
    return [(i.code, i.name, formatting.figure(values.get(i.code), i.unit)) for i in indicators]


@register.filter
def names(codes: list[str]) -> list[str]:
    """The names of the indicators `codes`, for a table header."""
    return [BY_CODE[code].name for code in codes]


@register.filter
def units(codes: list[str]) -> list[str]:
    """The units of the indicators `codes` (count, percent, vnd, ratio): a printed table's column widths."""
    return [BY_CODE[code].unit for code in codes]


@register.filter
def millions(amount) -> SafeString:
    return _unbroken(formatting.millions(amount))
