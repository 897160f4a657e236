import pytest

from funds.money import MoneyField, format_vnd, parse_vnd
from funds.templatetags.money import million_vnd, vnd


@pytest.mark.parametrize(
    "text, amount",
    [
        ("1.234.567", 1234567), ("1234567", 1234567), ("1,5 triệu", 1500000), ("1.5tr", 1500000),
        ("2 tr", 2000000), ("500k", 500000), ("1.234.567 đ", 1234567), ("977 triệu đồng", 977000000),
        ("1,234,567", 1234567), ("0", 0), (" 10.000 VND ", 10000), ("1 tỷ", 1000000000),
    ],
)  # fmt: skip
def test_it_reads_amounts_as_people_type_them(text, amount):
    assert parse_vnd(text) == amount


@pytest.mark.parametrize(
    "text", ["", "abc", "1,5", "12.34", "1.2.3", "1,23456789 triệu", "5 đô", "-", "1.234,5"]
)
def test_it_refuses_what_is_not_an_amount(text):
    with pytest.raises(ValueError):
        parse_vnd(text)


def test_it_formats_with_dots_and_the_dong_sign():
    assert format_vnd(1234567) == "1.234.567 đ"
    assert format_vnd(0) == "0 đ"
    assert format_vnd(-5000) == "-5.000 đ"
    # In a template, on one line: never "977 / triệu" or "1.234,5 / triệu" at a narrow width.
    assert million_vnd(977_000_000) == '<span class="text-nowrap">977 triệu</span>'
    assert million_vnd(255_600_000) == '<span class="text-nowrap">255,6 triệu</span>'
    assert million_vnd(1_234_500_000) == '<span class="text-nowrap">1.234,5 triệu</span>'
    assert vnd(1234567) == '<span class="text-nowrap">1.234.567 đ</span>'
    assert vnd(None) == ""


def test_the_form_field_cleans_to_an_int_and_refuses_zero():
    field = MoneyField()
    assert field.clean("1,5 triệu") == 1500000
    with pytest.raises(Exception, match="lớn hơn 0"):
        field.clean("0")
    with pytest.raises(Exception, match="không hợp lệ"):
        field.clean("mười nghìn")
