"""Figures written the Vietnamese way: 1.234.567 · 66,7% · 255,6 triệu đồng · ngày 05 tháng 3 năm 2026."""

import datetime

from funds.money import format_vnd
from reports.catalogue import Number, Unit

# Integers below this are exact as floats: formatted either way, the same text.
_EXACT = 2**53


def number_vi(value: Number, decimals: int = 0) -> str:
    """1234567 → '1.234.567'; 66.66 with decimals=1 → '66,7'. None → '—'."""
    if value is None:
        return "—"
    if type(value) is int and not decimals and -_EXACT < value < _EXACT:
        # The same text without going through a float (a page writes some two thousand of them).
        return f"{value:,}".replace(",", ".")
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def figure(value: Number, unit: str) -> str:
    """A value as tables show it."""
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        return f"{number_vi(value, 1).removesuffix(',0')}%"
    if unit == Unit.RATIO:
        return number_vi(value, 1).removesuffix(",0")
    if unit == Unit.VND:
        return format_vnd(int(value))
    return number_vi(value)


def millions(amount: Number) -> str:
    """Money as the seeds write it: '255,6 triệu đồng', '977 triệu đồng', '7,2 tỷ đồng'."""
    if amount is None:
        return "—"
    if abs(amount) >= 1_000_000_000:
        return f"{number_vi(amount / 1_000_000_000, 1).removesuffix(',0')} tỷ đồng"
    return f"{number_vi(amount / 1_000_000, 1).removesuffix(',0')} triệu đồng"


def long_date(day: datetime.date) -> str:
    """'ngày 05 tháng 3 năm 2026', as official documents date themselves."""
    return f"ngày {day.day:02d} tháng {day.month} năm {day.year}"
