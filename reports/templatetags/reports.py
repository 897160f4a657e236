"""Template filters for report figures: `{{ value|figure:unit }}`, `{{ values|cells:codes }}`.

A figure comes out in a `text-nowrap` span: it is never broken across lines ("1.253.360.27 / 5 đ"), on a
phone, a dashboard card or a printed page. Breakdown cells are plain text in cells that do not break.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from reports import formatting
from reports.catalogue import BY_CODE

register = template.Library()


def _unbroken(text: str) -> SafeString:
    return format_html('<span class="text-nowrap">{}</span>', text)


@register.filter
def figure(value, unit: str) -> SafeString:
    """A value formatted for its unit: 1.234 · 66,7% · 1.234.567 đ, on one line."""
    return _unbroken(formatting.figure(value, unit))


@register.filter
def cells(values: dict, codes: list[str]) -> list[str]:
    """The formatted values of `codes`, in order, for one row of a breakdown table. Plain text: the
    cells themselves do not break (`td.num`, `text-nowrap`); a span in each of thousands of cells
    would cost the printed annexes a third of their layout time."""
    return [formatting.figure(values.get(code), BY_CODE[code].unit) for code in codes]


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


@register.filter
def value_of(values: dict, code: str):
    """One indicator's value from a row of figures: `{{ values|value_of:indicator.code|figure:indicator.unit }}`."""
    return values.get(code)
