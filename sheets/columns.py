"""The columns each import reads and each export writes, and how headers are recognised.

The canonical header (`Column.header`) is what templates and exports write; the aliases are the
other ways people title the column. Headers are compared by `header_key`: lower case, without
diacritics, punctuation or extra spaces, so "HỌ VÀ TÊN", "Họ và tên" and "Ho va ten" are one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from places.text import search_key


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


_PUNCTUATION = re.compile(r"[^\w]+")


def header_key(text: object) -> str:
    """'Số CCCD/CMND' → 'so cccd cmnd'; 'Năm sinh (Nữ)' → 'nam sinh nu'."""
    return " ".join(_PUNCTUATION.sub(" ", search_key(str(text or ""))).split())


CLUB_CODE = Column("club_code", "Mã CLB", ("ma cau lac bo", "ma so clb", "club code", "club", "ma clb"))
VILLAGE_ALIASES = (
    "thon", "ban", "to dan pho", "thon ban", "thon to", "thon ban to dan pho", "thon xom", "xom", "ap",
    "khu dan cu", "thon to dan pho", "dia chi thon", "village", "villages",
)  # fmt: skip

CLUB_COLUMNS = (
    CLUB_CODE,
    Column("name", "Tên CLB", ("ten cau lac bo", "ten clb", "club name", "name"), required=True),
    Column("province", "Tỉnh", ("tinh thanh pho", "tinh tp", "province")),
    Column("commune", "Xã/Phường", ("xa", "phuong", "xa phuong dac khu", "xa phuong moi", "commune", "ward")),
    Column("legacy_commune", "Xã/Phường cũ", ("xa cu", "phuong cu", "xa phuong truoc 7 2025", "old commune")),
    Column(
        "legacy_district", "Huyện cũ", ("huyen", "quan huyen", "quan huyen cu", "old district", "district")
    ),
    Column("villages", "Thôn/Tổ dân phố", VILLAGE_ALIASES),
    Column("decision_number", "Số quyết định", ("so qd", "so quyet dinh thanh lap", "decision number")),
    Column("decision_date", "Ngày quyết định", ("ngay qd", "ngay quyet dinh thanh lap", "decision date")),
    Column("launched_on", "Ngày ra mắt", ("ngay ra mat clb", "ra mat", "launch date", "launched on")),
)

MEMBER_COLUMNS = (
    Column("row_number", "STT", ("tt", "so tt", "so thu tu", "no", "stt")),
    Column(
        "full_name",
        "Họ và tên",
        ("ho ten", "ho va ten thanh vien", "ho ten thanh vien", "ten thanh vien", "full name", "name"),
        required=True,
    ),
    Column("birth_year", "Năm sinh", ("nam sinh", "year of birth", "birth year")),
    Column(
        "birth_date", "Ngày sinh", ("ngay thang nam sinh", "ngay sinh", "date of birth", "birth date", "dob")
    ),
    Column("sex", "Giới tính", ("gioi tinh", "nam nu", "gioi", "sex", "gender")),
    Column("ethnicity", "Dân tộc", ("dan toc", "ethnicity", "ethnic group")),
    Column(
        "household",
        "Hoàn cảnh gia đình",
        ("hoan canh", "hoan canh gd", "hoan canh kinh te", "dien ho", "ho ngheo can ngheo", "household"),
    ),
    Column("village", "Thôn/Tổ dân phố", VILLAGE_ALIASES),
    Column(
        "citizen_id",
        "Số CCCD",
        (
            "cccd",
            "cmnd",
            "cccd cmnd",
            "so cccd cmnd",
            "so cmnd",
            "so cmnd cccd",
            "so dinh danh",
            "so dinh danh ca nhan",
            "citizen id",
            "id number",
        ),
    ),  # fmt: skip
    Column("phone", "Số điện thoại", ("sdt", "so dt", "dien thoai", "dt", "phone", "phone number")),
    Column(
        "joined_on",
        "Ngày tham gia",
        ("ngay vao", "ngay vao clb", "ngay tham gia clb", "joined on", "join date", "date joined"),
    ),
    Column(
        "board_role",
        "Chức vụ",
        ("chuc vu trong bcn", "chuc vu bcn", "chuc vu trong clb", "chuc danh", "board role", "role"),
    ),
    Column("is_volunteer", "Tình nguyện viên", ("tnv", "la tnv", "la tinh nguyen vien", "volunteer")),
    Column(
        "has_health_insurance",
        "Thẻ BHYT",
        ("bhyt", "co the bhyt", "the bao hiem y te", "bao hiem y te", "health insurance"),
    ),
    CLUB_CODE,
)

# Two-row headers: the sex as two columns, with the birth year or a mark written under one of them.
SEX_SPLIT = {
    "nam sinh nam": "birth_year_male",
    "nam sinh nu": "birth_year_female",
    "ngay sinh nam": "birth_date_male",
    "ngay sinh nu": "birth_date_female",
    "ngay thang nam sinh nam": "birth_date_male",
    "ngay thang nam sinh nu": "birth_date_female",
    "year of birth male": "birth_year_male",
    "year of birth female": "birth_year_female",
    "birth year male": "birth_year_male",
    "birth year female": "birth_year_female",
    "date of birth male": "birth_date_male",
    "date of birth female": "birth_date_female",
    "nam": "mark_male",
    "gioi tinh nam": "mark_male",
    "nu": "mark_female",
    "gioi tinh nu": "mark_female",
    "male": "mark_male",
    "female": "mark_female",
}

# What the split columns mean, for the preview of how a sheet was understood.
SPLIT_MEANINGS = {
    "birth_year_male": gettext_lazy("Năm sinh (nam)"),
    "birth_year_female": gettext_lazy("Năm sinh (nữ)"),
    "birth_date_male": gettext_lazy("Ngày sinh (nam)"),
    "birth_date_female": gettext_lazy("Ngày sinh (nữ)"),
    "mark_male": gettext_lazy("Giới tính: đánh dấu là nam"),
    "mark_female": gettext_lazy("Giới tính: đánh dấu là nữ"),
}


def column_meaning(columns: tuple[Column, ...], key: str) -> str:
    """What a column found in a sheet is read as: the template's header for it."""
    for column in columns:
        if column.key == key:
            return column.header
    return str(SPLIT_MEANINGS.get(key, key))


LOAN_COLUMNS = (
    CLUB_CODE,
    Column(
        "full_name",
        "Họ và tên",
        ("ho ten", "ho ten nguoi vay", "nguoi vay", "full name", "name", "borrower"),
        required=True,
    ),
    Column("birth_year", "Năm sinh", ("nam sinh", "year of birth", "birth year")),
    Column(
        "citizen_id",
        "Số CCCD",
        ("cccd", "cmnd", "cccd cmnd", "so cccd cmnd", "so cmnd", "citizen id", "id number"),
    ),
    Column(
        "disbursed_on",
        "Ngày vay",
        ("ngay giai ngan", "ngay cho vay", "loan date", "disbursed on", "disbursement date"),
        required=True,
    ),
    Column(
        "principal",
        "Số tiền vay",
        ("so tien", "so tien vay dong", "so von vay", "principal", "amount", "loan amount"),
        required=True,
    ),
    Column(
        "term_months",
        "Thời hạn (tháng)",
        ("thoi han", "thoi han vay", "ky han", "term", "term months"),
        required=True,
    ),
    Column("interest_rate", "Lãi suất", ("lai suat thang", "lai suat nam", "interest", "interest rate")),
    Column("purpose", "Mục đích", ("muc dich vay", "muc dich su dung", "purpose")),
    Column(
        "outstanding",
        "Dư nợ",
        ("du no goc", "du no hien nay", "con no", "outstanding", "outstanding principal", "balance"),
    ),
)

CONTRIBUTION_COLUMNS = (
    CLUB_CODE,
    Column("fund", "Quỹ", ("loai quy", "ten quy", "fund"), required=True),
    Column("entry_date", "Ngày", ("ngay dong gop", "ngay nop", "ngay thu", "date"), required=True),
    Column(
        "amount", "Số tiền", ("so tien dong", "so tien dong gop", "so tien dong", "amount"), required=True
    ),
    Column("source", "Nguồn", ("nguon von", "nguon dong gop", "source")),
    Column("note", "Ghi chú", ("noi dung", "dien giai", "note", "notes")),
    # Written by the ledger export; rows of other kinds are not contributions and are left alone.
    Column("entry_kind", "Loại", ("loai but toan", "kind", "entry kind", "entry type")),
    # Written by the ledger export: the entry a row came from, so that two receipts alike in every
    # other column are still two known entries when the export comes back. Empty for new receipts.
    Column("entry_id", "Số bút toán", ("ma but toan", "entry id", "entry number", "entry no")),
)
# Columns the exports write for the import to read back, not for people to fill in.
EXPORT_ONLY = {"entry_kind", "entry_id"}

COLUMNS = {
    "clubs": CLUB_COLUMNS,
    "members": MEMBER_COLUMNS,
    "loans": LOAN_COLUMNS,
    "contributions": CONTRIBUTION_COLUMNS,
}


def header_lookup(columns: tuple[Column, ...]) -> dict[str, str]:
    """Normalised header → column key, for every header and alias."""
    lookup = {}
    for column in columns:
        for text in (column.header, *column.aliases):
            lookup.setdefault(header_key(text), column.key)
    return lookup
