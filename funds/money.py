"""Đồng amounts: written `1.234.567 đ`, typed as `1.234.567`, `1234567`, `1,5 triệu` or `2 tr`."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

_UNITS = {
    "trieu": 1_000_000, "tr": 1_000_000, "triệu": 1_000_000, "ty": 1_000_000_000, "tỷ": 1_000_000_000,
    "tỉ": 1_000_000_000, "nghin": 1_000, "nghìn": 1_000, "ngàn": 1_000, "ngan": 1_000, "k": 1_000,
}  # fmt: skip
_AMOUNT = re.compile(r"^(?P<number>[\d.,\s]+?)\s*(?P<unit>[^\d\s.,]+)?\.?$")


def format_vnd(amount: int | None) -> str:
    """1234567 → '1.234.567 đ' (Vietnamese thousands separator, no minor unit)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,} đ".replace(",", ".")


def parse_vnd(text: str | int | float | None) -> int:
    """An amount as people type it, in whole đồng. Raises ValueError when it is not one.

    '1.234.567' and '1234567' → 1234567; '1,5 triệu' and '1.5tr' → 1500000; '500k' → 500000;
    '1.234.567 đ' / 'đồng' / 'VND' are accepted. Fractions of a đồng are refused.
    """
    if text is None:
        raise ValueError("empty")
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        if not text.is_integer():
            raise ValueError("fraction of a đồng")
        return int(text)
    cleaned = text.strip().lower()
    for suffix in ("vnđ", "vnd", "đồng", "dong", "đ"):
        cleaned = cleaned.removesuffix(suffix).strip()
    match = _AMOUNT.match(cleaned)
    if not cleaned or not match:
        raise ValueError(text)
    number, unit = match["number"].replace(" ", ""), match["unit"]
    if unit is not None and unit not in _UNITS:
        raise ValueError(text)
    if unit:
        # With a unit the number may have a decimal part: '1,5 triệu', '1.5 tr'.
        value = Decimal(number.replace(",", ".")) if number.count(",") + number.count(".") <= 1 else None
        if value is None:
            raise ValueError(text)
        amount = value * _UNITS[unit]
    else:
        # Without a unit, '.' and ',' are thousands separators: 1.234.567 or 1,234,567.
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+|\d+", number) is None:
            raise ValueError(text)
        amount = Decimal(re.sub(r"[.,]", "", number))
    if amount != amount.to_integral_value():
        raise ValueError(text)
    return int(amount)


# The largest single amount anything records: a club fund holds millions to a few billion đồng, so ten
# billion is a mistyped figure (extra zeros, a citizen ID in the amount column), never a real one.
MAX_AMOUNT = 10_000_000_000


def amount_too_large_message(amount: int) -> str:
    return _(
        "Số tiền %(amount)s vượt quá giới hạn %(limit)s cho một lần ghi: hãy kiểm tra lại (có thể thừa chữ số 0)."
    ) % {
        "amount": format_vnd(amount),
        "limit": format_vnd(MAX_AMOUNT),
    }


class MoneyField(forms.CharField):
    """A form field for đồng: accepts what `parse_vnd` accepts, cleans to an int."""

    default_error_messages = {
        "invalid": _("Số tiền không hợp lệ. Ví dụ: 1.234.567 hoặc 1,5 triệu."),
        "min_value": _("Số tiền phải lớn hơn 0."),
    }

    def __init__(self, *, min_value: int | None = 1, **kwargs):
        self.min_value = min_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            amount = parse_vnd(value)
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if self.min_value is not None and amount < self.min_value:
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value")
        if amount > MAX_AMOUNT:
            raise forms.ValidationError(amount_too_large_message(amount), code="max_value")
        return amount
