"""Cell values as people write them → clean Python values. Each parser raises CellError with a
Vietnamese message that says what was expected.

Cells arrive as calamine gives them (str, int, float, bool, date, datetime, timedelta) or as CSV text.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from clubs.models import BoardRole
from funds.models import FundKind, Purpose, RatePeriod, Source
from funds.money import parse_vnd
from members.ethnicity import ETHNIC_GROUPS, ethnicity_code
from members.models import Household, Sex
from places.text import nfc, search_key, without_invisible
from sheets.formula_guard import unguard


class CellError(ValueError):
    """A cell's value cannot be read; str(error) is the message for the user."""


def parse_remembered(memo: dict, parse, value: object):
    """`parse(value)`, remembered in `memo` (one import's) per distinct cell value: a 50,000-row list
    holds a few dozen birth years, households, ethnic groups, marks and join dates, each read once.
    Only for parsers whose answer depends on the cell alone (and on today's date, fixed for an import);
    a CellError is remembered by its message and raised afresh at each row that has it."""
    key = (parse, value.__class__, value)  # the class too: 1, 1.0 and True are equal keys
    try:
        found = memo[key]
    except KeyError:
        try:
            found = parse(value)
        except CellError as error:
            found = _Refused(str(error))
        memo[key] = found
    except TypeError:  # an unhashable value (no reader gives one): not remembered
        return parse(value)
    if found.__class__ is _Refused:
        raise CellError(found.message)
    return found


class _Refused:
    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    """Any cell as tidy text: 1952.0 → '1952', dates → dd/mm/yyyy."""
    if value.__class__ is str:  # the common case, kept fast: NFC, single spaces
        if value.isascii():
            return " ".join(value.split())
        return " ".join(unicodedata.normalize("NFC", without_invisible(value)).split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%d/%m/%Y}"
    return nfc(str(value))


# ---------------------------------------------------------------------------- dates and years

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_DMY = re.compile(
    r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_DATE_WORDS = re.compile(r"^ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def _full_year(two_digits: int, *, past_only: bool) -> int:
    """'52' → 1952 and '18' → 2018: a two-digit year is the latest year it can be, not in the future."""
    year = 2000 + two_digits
    if past_only and year > datetime.date.today().year:
        year -= 100
    elif not past_only and year > datetime.date.today().year + 10:
        year -= 100
    return year


def _date_or_error(year: int, month: int, day: int, raw: object) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        if month > 12 and day <= 12:
            raise CellError(
                _("“%(value)s” không phải ngày hợp lệ: ngày phải viết theo dạng ngày/tháng/năm (dd/mm/yyyy).")
                % {"value": text(raw)}
            ) from None
        raise CellError(_("“%(value)s” không phải ngày có thật.") % {"value": text(raw)}) from None


def parse_date(value: object, *, past_only: bool = False) -> tuple[datetime.date | None, bool]:
    """A date cell → (date, year_only). A bare year gives (1 January of it, True); empty gives (None, False).

    Accepts Excel dates and serial numbers, dd/mm/yyyy, d/m/yy, dd-mm-yyyy, dd.mm.yyyy,
    yyyy-mm-dd, mm/yyyy, 'ngày 5 tháng 3 năm 2018' and a bare year.
    """
    if is_blank(value):
        return None, False
    if isinstance(value, datetime.datetime):
        return value.date(), False
    if isinstance(value, datetime.date):
        return value, False
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” không phải ngày.") % {"value": value})
    if isinstance(value, int | float):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return datetime.date(int(value), 1, 1), True
        if 1 <= value < 2958466:  # an Excel serial number (days since 30/12/1899)
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value)), False
        raise CellError(_("“%(value)s” không phải ngày.") % {"value": text(value)})
    raw = str(value).strip()
    cleaned = raw.removeprefix("'").strip()
    if match := _DATE_DMY.match(cleaned):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year = _full_year(year, past_only=past_only)
        return _date_or_error(year, month, day, raw), False
    if match := _DATE_ISO.match(cleaned):
        year, month, day = (int(part) for part in match.groups())
        return _date_or_error(year, month, day, raw), False
    if cleaned.isdigit() and 5 <= len(cleaned) <= 6 and int(cleaned) < 2958466:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(cleaned)), False  # a serial saved as text
    if match := _YEAR.match(cleaned):
        year = int(match.group(1))
        if 1900 <= year <= 2100:
            return datetime.date(year, 1, 1), True
    if match := _DATE_MY.match(cleaned):
        month, year = int(match.group(1)), int(match.group(2))
        return _date_or_error(year, month, 1, raw), False
    if match := _DATE_WORDS.match(search_key(cleaned).replace(",", " ")):
        day, month, year = (int(part) for part in match.groups())
        return _date_or_error(year, month, day, raw), False
    raise CellError(
        _("“%(value)s” không phải ngày (viết dạng dd/mm/yyyy, ví dụ 05/03/2018).") % {"value": raw}
    )


def parse_year(value: object) -> tuple[int | None, datetime.date | None]:
    """A birth year cell → (year, full date if the cell held one). Accepts 1952, '1952', '52', a date."""
    if is_blank(value):
        return None, None
    if isinstance(value, str) and re.fullmatch(r"\s*'?\d{2}\s*", value):
        return _full_year(int(value.strip().removeprefix("'")), past_only=True), None
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 3000:
        value = int(value)  # a year, not an Excel serial (those are above 3000 for anyone born after 1908)
        if not 1900 <= value <= datetime.date.today().year:
            raise CellError(_("Năm sinh %(year)s không hợp lệ.") % {"year": value})
        return value, None
    try:
        date, year_only = parse_date(value, past_only=True)
    except CellError:
        raise CellError(_("“%(value)s” không phải năm sinh (ví dụ 1952).") % {"value": text(value)}) from None
    assert date is not None
    this_year = datetime.date.today().year
    if not 1900 <= date.year <= this_year:
        raise CellError(_("Năm sinh %(year)s không hợp lệ.") % {"year": date.year})
    return date.year, None if year_only else date


# ------------------------------------------------------------------------------ coded columns


def _choice(value: object, table: dict[str, str], what: str, examples: str) -> str:
    key = code_key(value)
    if key in table:
        return table[key]
    raise CellError(
        _("“%(value)s” không phải %(what)s hợp lệ (dùng: %(examples)s).")
        % {"value": text(value), "what": what, "examples": examples}
    )


@lru_cache(maxsize=4096)
def _code_key_text(value: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", search_key(value)).split())


def code_key(value: object) -> str:
    return _code_key_text(text(value))


_SEX = {"nam": Sex.MALE, "m": Sex.MALE, "male": Sex.MALE, "trai": Sex.MALE, "ong": Sex.MALE,
        "nu": Sex.FEMALE, "f": Sex.FEMALE, "female": Sex.FEMALE, "gai": Sex.FEMALE, "ba": Sex.FEMALE}  # fmt: skip


def parse_sex(value: object) -> str | None:
    if is_blank(value):
        return None
    return _choice(value, _SEX, _l("giới tính"), "Nam, Nữ")


_TRUE = {"x", "v", "co", "yes", "y", "1", "dung", "true", "c", "+", "√", "✓", "✔", "la tnv", "tnv"}
_FALSE = {"", "khong", "k", "no", "n", "0", "false", "-", "ko"}


def parse_mark(value: object) -> bool:
    """An 'x' column: x, có, ✓, 1 → True; empty, không, 0 → False."""
    if isinstance(value, bool):
        return value
    key = code_key(value) if not isinstance(value, str) or value.strip() not in "√✓✔+-" else value.strip()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(_("“%(value)s”: hãy đánh dấu x nếu có, để trống nếu không.") % {"value": text(value)})


_HOUSEHOLD = {
    "ho ngheo": Household.POOR, "ngheo": Household.POOR, "hn": Household.POOR, "poor": Household.POOR,
    "ho can ngheo": Household.NEAR_POOR, "can ngheo": Household.NEAR_POOR, "cn": Household.NEAR_POOR,
    "hcn": Household.NEAR_POOR, "near poor": Household.NEAR_POOR,
    "kho khan": Household.HARDSHIP, "hoan canh kho khan": Household.HARDSHIP, "ho kho khan": Household.HARDSHIP,
    "kk": Household.HARDSHIP, "hardship": Household.HARDSHIP,
    "khong": Household.NONE, "binh thuong": Household.NONE, "none": Household.NONE, "0": Household.NONE,
    "k": Household.NONE, "trung binh": Household.NONE, "kha": Household.NONE,
}  # fmt: skip


def parse_household(value: object) -> str | None:
    """Hộ nghèo / HN, Hộ cận nghèo / CN, Khó khăn, Không; None when the cell is empty."""
    if is_blank(value):
        return None
    return _choice(
        value, _HOUSEHOLD, _l("hoàn cảnh gia đình"), "Hộ nghèo (HN), Hộ cận nghèo (CN), Khó khăn, Không"
    )


def parse_ethnicity(value: object) -> int | None:
    if is_blank(value):
        return None
    code = _ethnicity(text(value))
    if code is None:
        raise CellError(
            _("“%(value)s” không phải tên dân tộc trong danh mục 54 dân tộc (ví dụ Kinh, Thái, Mông, Dao).")
            % {"value": text(value)}
        )
    return code


@lru_cache(maxsize=1024)
def _ethnicity(value: str) -> int | None:
    return ethnicity_code(value)


ETHNICITY_NAMES = dict(ETHNIC_GROUPS)

_BOARD_ROLE = {
    "chu nhiem": BoardRole.CHAIR, "chu nhiem clb": BoardRole.CHAIR, "cn clb": BoardRole.CHAIR,
    "pho chu nhiem": BoardRole.VICE_CHAIR, "pho cn": BoardRole.VICE_CHAIR, "pcn": BoardRole.VICE_CHAIR,
    "thu quy": BoardRole.TREASURER, "tq": BoardRole.TREASURER,
    "ke toan": BoardRole.ACCOUNTANT, "kt": BoardRole.ACCOUNTANT,
    "thu ky": BoardRole.SECRETARY, "tk": BoardRole.SECRETARY,
    "uy vien": BoardRole.MEMBER, "uy vien bcn": BoardRole.MEMBER, "uv": BoardRole.MEMBER,
    "chair": BoardRole.CHAIR, "vice chair": BoardRole.VICE_CHAIR, "treasurer": BoardRole.TREASURER,
    "accountant": BoardRole.ACCOUNTANT, "secretary": BoardRole.SECRETARY,
}  # fmt: skip
_NO_ROLE = {"", "thanh vien", "tv", "hoi vien", "khong", "member", "-"}


def parse_board_role(value: object) -> str | None:
    """A board role, or None for an ordinary member."""
    key = code_key(value)
    if key in _NO_ROLE:
        return None
    return _choice(
        value,
        _BOARD_ROLE,
        _("chức vụ"),
        "Chủ nhiệm, Phó chủ nhiệm, Thủ quỹ, Kế toán, Thư ký, Ủy viên, hoặc để trống",
    )


_FUND = {
    "quy tang thu nhap": FundKind.INCOME, "tang thu nhap": FundKind.INCOME, "ttn": FundKind.INCOME,
    "quy ttn": FundKind.INCOME, "quy von vay": FundKind.INCOME, "income": FundKind.INCOME,
    "quy hoat dong": FundKind.ACTIVITY, "hoat dong": FundKind.ACTIVITY, "hd": FundKind.ACTIVITY,
    "quy hd": FundKind.ACTIVITY, "activity": FundKind.ACTIVITY,
}  # fmt: skip


def parse_fund(value: object) -> str:
    if is_blank(value):
        raise CellError(_("Hãy ghi quỹ: Quỹ tăng thu nhập hoặc Quỹ hoạt động."))
    return _choice(value, _FUND, _l("quỹ"), "Quỹ tăng thu nhập, Quỹ hoạt động")


_SOURCE = {search_key(str(label)).replace(",", ""): code for code, label in Source.choices} | {
    "ngan sach": Source.STATE, "ngan sach nha nuoc": Source.STATE, "tinh ho tro": Source.STATE, "nha nuoc": Source.STATE,
    "thanh vien": Source.MEMBERS, "thanh vien dong gop": Source.MEMBERS, "tv dong gop": Source.MEMBERS,
    "hoi vien": Source.MEMBERS, "to chuc": Source.DONOR_ORG, "to chuc hao tam": Source.DONOR_ORG,
    "doanh nghiep": Source.DONOR_ORG, "ca nhan": Source.DONOR_PERSON, "ca nhan hao tam": Source.DONOR_PERSON,
    "nha hao tam": Source.DONOR_PERSON, "quy cham soc nct": Source.CARE_FUND,
    "quy cham soc va phat huy vai tro nct": Source.CARE_FUND, "quy cham soc va phat huy vai tro nguoi cao tuoi": Source.CARE_FUND,
    "du an": Source.PROJECT, "khac": Source.OTHER, "nguon khac": Source.OTHER,
}  # fmt: skip


def parse_source(value: object) -> str:
    if is_blank(value):
        return ""
    key = code_key(value)
    for candidate in (key, key.replace(" ", "")):
        if candidate in _SOURCE_KEYS:
            return _SOURCE_KEYS[candidate]
    raise CellError(
        _("“%(value)s” không phải nguồn hợp lệ (dùng: %(examples)s).")
        % {"value": text(value), "examples": ", ".join(str(label) for label in Source.labels)}
    )


_SOURCE_KEYS = {_code_key_text(k): v for k, v in _SOURCE.items()}

_PURPOSE = {_code_key_text(str(label)): code for code, label in Purpose.choices} | {
    "nuoi": Purpose.LIVESTOCK, "chan nuoi lon": Purpose.LIVESTOCK, "nuoi lon": Purpose.LIVESTOCK,
    "nuoi bo": Purpose.LIVESTOCK, "nuoi ga": Purpose.LIVESTOCK, "nuoi trau": Purpose.LIVESTOCK,
    "nuoi de": Purpose.LIVESTOCK, "trong": Purpose.CROPS, "trong rau": Purpose.CROPS,
    "trong lua": Purpose.CROPS, "trong cay": Purpose.CROPS, "trong che": Purpose.CROPS,
    "buon ban": Purpose.TRADE, "kinh doanh": Purpose.TRADE, "dich vu": Purpose.SERVICES,
    "che bien": Purpose.PROCESSING, "che bien che": Purpose.PROCESSING, "khac": Purpose.OTHER,
}  # fmt: skip


def parse_purpose(value: object) -> tuple[str, str]:
    """(purpose code, the text as written when it says more than the code)."""
    if is_blank(value):
        return Purpose.OTHER, ""
    written = text(value)
    key = code_key(value)
    # 'Chăn nuôi: mua lợn giống' (as exports write it): the label, then the particulars.
    label, separator, rest = written.partition(":")
    if separator and code_key(label) in _PURPOSE and rest.strip():
        return _PURPOSE[code_key(label)], rest.strip()
    if key in _PURPOSE:
        code = _PURPOSE[key]
        return code, "" if written == str(Purpose(code).label) else written
    for word, code in (("nuoi", Purpose.LIVESTOCK), ("trong", Purpose.CROPS), ("buon", Purpose.TRADE),
                       ("ban hang", Purpose.TRADE), ("dich vu", Purpose.SERVICES), ("che bien", Purpose.PROCESSING)):  # fmt: skip
        if word in key:
            return code, written
    return Purpose.OTHER, written


# ---------------------------------------------------------------------- identity and contacts


def parse_citizen_id(value: object) -> str | None:
    """12 digits. Excel drops the leading zero of an ID typed as a number: it is put back."""
    if value.__class__ is str and len(value) == 12 and value.isdigit():
        return value  # as written: the common case, without the clean-up below
    if is_blank(value):
        return None
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    digits = str(int(value)) if numeric else re.sub(r"[\s.\-']", "", str(value))
    if digits.isdigit() and 10 <= len(digits) < 12:
        # Every CCCD starts with its province code 001–096: a shorter number lost its zeros in Excel.
        digits = digits.zfill(12)
    if not digits.isdigit():
        raise CellError(_("Số CCCD “%(value)s” chỉ được có chữ số.") % {"value": text(value)})
    if len(digits) == 9:
        raise CellError(
            _("“%(value)s” là số CMND 9 số cũ: hãy ghi số CCCD 12 số, hoặc để trống.") % {"value": digits}
        )
    if len(digits) != 12:
        raise CellError(_("Số CCCD phải gồm đúng 12 chữ số (ô có %(n)s chữ số).") % {"n": len(digits)})
    return digits


_PHONE = re.compile(r"^(0|\+84)(3|5|7|8|9)\d{8}$|^(0|\+84)2\d{9}$")


def parse_phone(value: object) -> str:
    if value.__class__ is str and value.isdigit() and _PHONE.match(value):
        return value  # as written: the common case, without the clean-up below
    if is_blank(value):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        if digits.startswith("84") and len(digits) in (11, 12):
            digits = "+" + digits
        elif not digits.startswith("0"):
            digits = "0" + digits  # Excel dropped the leading zero
    else:
        digits = re.sub(r"[\s.\-()']", "", str(value))
        if re.fullmatch(r"[35789]\d{8}|2\d{9}", digits):
            digits = "0" + digits  # saved from a number cell that had lost its zero
    if not _PHONE.match(digits):
        raise CellError(
            _(
                "“%(value)s” không phải số điện thoại Việt Nam (ví dụ 0912345678 hoặc 02133876543; mỗi ô một số)."
            )
            % {"value": text(value)}
        )
    return digits


# -------------------------------------------------------------------------- numbers and money


def parse_money(value: object, *, what: str) -> int | None:
    """Whole đồng: 5000000, '5.000.000', '5 triệu', '5tr'. Empty → None."""
    if is_blank(value):
        return None
    try:
        amount = parse_vnd(value if not isinstance(value, str) else value.strip())
    except (ValueError, InvalidOperation):
        raise CellError(
            _("%(what)s “%(value)s” không phải số tiền (viết 5.000.000 hoặc 5 triệu).")
            % {"what": what, "value": text(value)}
        ) from None
    if amount < 0:
        raise CellError(_("%(what)s không được âm.") % {"what": what})
    return amount


def parse_int(value: object, *, what: str) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    cleaned = re.sub(r"[\s.](?=\d{3}\b)", "", str(value).strip())
    cleaned = re.sub(r"\s*(thang|tháng|th|months?)$", "", cleaned, flags=re.IGNORECASE)
    if cleaned.isdigit():
        return int(cleaned)
    raise CellError(_("%(what)s “%(value)s” không phải số nguyên.") % {"what": what, "value": text(value)})


_RATE = re.compile(r"^(?P<number>\d+(?:[.,]\d+)?)\s*%?\s*(?:/\s*(?P<period>thang|nam|month|year))?$")


def parse_rate(value: object) -> tuple[Decimal, str]:
    """'0,5' or '0,5%/tháng' → (0.5, month); '6%/năm' → (6, year). A plain number is per month."""
    if is_blank(value):
        return Decimal(0), RatePeriod.MONTH
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
        # A cell formatted as a percentage holds 0.005 for 0,5 %.
        return (number * 100 if 0 < number < 0.05 else number).normalize(), RatePeriod.MONTH
    match = _RATE.match(search_key(str(value)).replace(" mot ", " ").strip())
    if not match:
        raise CellError(
            _("Lãi suất “%(value)s” không đọc được (ví dụ 0,5%%/tháng hoặc 6%%/năm).")
            % {"value": text(value)}
        )
    try:
        number = Decimal(match["number"].replace(",", "."))
    except InvalidOperation:
        raise CellError(_("Lãi suất “%(value)s” không đọc được.") % {"value": text(value)}) from None
    period = RatePeriod.YEAR if match["period"] in ("nam", "year") else RatePeriod.MONTH
    return number.normalize(), period


def strip_formula_guard(value: object) -> object:
    """Exports put an apostrophe before text starting like a formula so spreadsheets do not run it
    (sheets.formula_guard); undo that."""
    return unguard(value)
