"""Template filters for report figures: `{{ value|figure:unit }}`, `{{ values|cells:codes }}`."""

from django import template

from reports import formatting
from reports.catalogue import BY_CODE

register = template.Library()


@register.filter
def figure(value, unit: str) -> str:
    """A value formatted for its unit: 1.234 · 66,7% · 1.234.567 đ."""
    return formatting.figure(value, unit)


@register.filter
def cells(values: dict, codes: list[str]) -> list[str]:
    """The formatted values of `codes`, in order, for one row of a breakdown table."""
    return [formatting.figure(values.get(code), BY_CODE[code].unit) for code in codes]


@register.filter
def names(codes: list[str]) -> list[str]:
    """The names of the indicators `codes`, for a table header."""
    return [BY_CODE[code].name for code in codes]


@register.filter
def millions(amount) -> str:
    return formatting.millions(amount)
