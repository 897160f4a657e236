"""Money in templates: `{{ amount|vnd }}` → 1.234.567 đ, never broken across lines.

The amount comes in a `text-nowrap` span (Bootstrap's class; the printed papers define it too): a narrow
card or table cell on a phone would otherwise break it at its space or, with `overflow-wrap`, inside the
digits ("1.253.360.27 / 5 đ").
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from funds.money import format_vnd

register = template.Library()


def _unbroken(text: str) -> SafeString | str:
    return format_html('<span class="text-nowrap">{}</span>', text) if text else ""


@register.filter
def vnd(amount) -> SafeString | str:
    """`{{ amount|vnd }}` → 1.234.567 đ"""
    return _unbroken(format_vnd(amount))


@register.filter
def million_vnd(amount) -> SafeString | str:
    """`{{ amount|million_vnd }}` → '977 triệu' / '255,6 triệu', as reports write large sums."""
    if amount is None:
        return ""
    millions = round(amount / 1_000_000, 1)
    text = f"{millions:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".").removesuffix(",0")
    return _unbroken(f"{text} triệu")

