from django import template

from funds.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """`{{ amount|vnd }}` → 1.234.567 đ"""
    return format_vnd(amount)


@register.filter
def million_vnd(amount) -> str:
    """`{{ amount|million_vnd }}` → '977 triệu' / '255,6 triệu', as reports write large sums."""
    if amount is None:
        return ""
    millions = round(amount / 1_000_000, 1)
    text = f"{millions:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".").removesuffix(",0")
    return f"{text} triệu"
