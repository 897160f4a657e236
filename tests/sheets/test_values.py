import datetime
from decimal import Decimal

import pytest

from funds.models import Purpose, RatePeriod
from sheets.values import (
    CellError,
    parse_citizen_id,
    parse_date,
    parse_household,
    parse_mark,
    parse_money,
    parse_phone,
    parse_purpose,
    parse_rate,
    parse_sex,
    parse_year,
    strip_formula_guard,
)

D = datetime.date


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime.datetime(2018, 5, 19), (D(2018, 5, 19), False)), ("19/05/2018", (D(2018, 5, 19), False)),
        ("4/5/18", (D(2018, 5, 4), False)), ("04-05-2018", (D(2018, 5, 4), False)), ("4.5.2018", (D(2018, 5, 4), False)),
        ("2018-05-04", (D(2018, 5, 4), False)), (43466, (D(2019, 1, 1), False)), (43466.0, (D(2019, 1, 1), False)),
        (2018, (D(2018, 1, 1), True)), ("2018", (D(2018, 1, 1), True)), ("05/2018", (D(2018, 5, 1), False)),
        ("ngày 5 tháng 3 năm 2018", (D(2018, 3, 5), False)), ("19/05/2018 00:00:00", (D(2018, 5, 19), False)),
        ("", (None, False)),
    ],
)  # fmt: skip
def test_dates_in_every_form_offices_write_them(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["31/02/2018", "05/27/2018", "hôm qua", True])
def test_impossible_or_unreadable_dates_are_errors(cell):
    with pytest.raises(CellError):
        parse_date(cell)


def test_birth_years():
    assert parse_year(1952) == (1952, None)
    assert parse_year("52") == (1952, None)
    assert parse_year(datetime.date(1952, 3, 1)) == (1952, datetime.date(1952, 3, 1))
    with pytest.raises(CellError):
        parse_year(1850)


@pytest.mark.parametrize(
    ("cell", "code"), [("Nam", "M"), ("NỮ", "F"), ("nu", "F"), ("Nữ ", "F"), ("male", "M")]
)
def test_sex_in_any_case_with_or_without_diacritics(cell, code):
    assert parse_sex(cell) == code


@pytest.mark.parametrize(
    ("cell", "status"),
    [("HN", "poor"), ("hộ nghèo", "poor"), ("CN", "near_poor"), ("Cận nghèo", "near_poor"), ("Khó khăn", "hardship"),
     ("Không", "none"), ("", None)],
)  # fmt: skip
def test_household_codes(cell, status):
    assert parse_household(cell) == status


def test_marks():
    assert [parse_mark(v) for v in ("x", "X", "✓", "có", 1, "", None, "0", "không")] == [True] * 5 + [
        False
    ] * 4
    with pytest.raises(CellError):
        parse_mark("có lẽ")


def test_citizen_ids_and_phones():
    assert parse_citizen_id(12345678901.0) == "012345678901"
    assert parse_citizen_id("0123 4567 8901") == "012345678901"
    with pytest.raises(CellError, match="CMND 9 số"):
        parse_citizen_id("123456789")
    assert parse_phone(912345678) == "0912345678"
    assert parse_phone("0912.345.678") == "0912345678"
    with pytest.raises(CellError):
        parse_phone("0912345678, 0987654321")


def test_money_rates_and_purposes():
    assert parse_money("5.000.000", what="x") == 5_000_000
    assert parse_money("1,5 triệu", what="x") == 1_500_000
    assert parse_money(5_000_000.0, what="x") == 5_000_000
    with pytest.raises(CellError):
        parse_money("năm triệu", what="Số tiền")
    assert parse_rate("0,5%/tháng") == (Decimal("0.5"), RatePeriod.MONTH)
    assert parse_rate("6 %/năm") == (Decimal("6"), RatePeriod.YEAR)
    assert parse_rate(0.005) == (Decimal("0.5"), RatePeriod.MONTH)
    assert parse_purpose("Chăn nuôi: mua lợn giống") == (Purpose.LIVESTOCK, "mua lợn giống")
    assert parse_purpose("Chăn nuôi") == (Purpose.LIVESTOCK, "")


def test_the_export_guard_is_taken_off():
    assert strip_formula_guard("'=SUM(A1)") == "=SUM(A1)"
    assert strip_formula_guard("'Lò") == "'Lò"
