"""Finding the table inside a real sheet: the header row (one or two rows, merged cells), the
columns it names, where the data starts and where the totals or signature block begins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from places.text import search_key
from sheets.columns import SEX_SPLIT, Column, header_key, header_lookup
from sheets.legacy_text import detect_legacy, to_unicode
from sheets.reading import Grid
from sheets.values import is_blank, strip_formula_guard

HEADER_SEARCH_ROWS = 30
LEGACY_SAMPLE_ROWS = 600


@dataclass
class Layout:
    grid: Grid
    header_row: int  # 0-based index of the (first) header row
    data_start: int  # 0-based index of the first data row
    columns: dict[str, int]  # column key → 0-based column index
    headers: dict[int, str]  # column index → the header as written (both rows joined)
    legacy: str | None = None  # 'tcvn3' / 'vni' when the text was typed in a legacy encoding
    ignored: list[str] = field(default_factory=list)  # headers that name no known column

    def label(self, key: str) -> str:
        """'F (Hoàn cảnh gia đình)': the column as the user sees it in their sheet."""
        index = self.columns.get(key)
        if index is None:
            return ""
        return f"{column_letter(index)} ({self.headers.get(index, '')})"


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _text(value: object, legacy: str | None) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return to_unicode(str(value).strip(), legacy)


def fill_merges(grid: Grid) -> None:
    """Give every cell of a vertically merged range the value of its top-left cell (a header over
    two rows, a village or club code merged over several members). Cells merged across are left
    empty: a header spanning sub-headers ("Năm sinh" over "Nam" | "Nữ") is read by `_map_headers`,
    and a value spread across data columns belongs to the first one only.
    """
    for r0, c0, r1, _c1 in grid.merges:
        if r1 == r0 or r0 >= len(grid.rows) or c0 >= len(grid.rows[r0]):
            continue
        value = grid.rows[r0][c0]
        for r in range(r0 + 1, min(r1, len(grid.rows) - 1) + 1):
            row = grid.rows[r]
            if c0 < len(row) and is_blank(row[c0]):
                row[c0] = value


def _map_headers(
    top: list[str], bottom: list[str] | None, lookup: dict[str, str]
) -> tuple[dict[str, int], dict[int, str], list[str]] | None:
    """Column keys named by one header row, or by two (None when the second row is not sub-headers)."""
    columns: dict[str, int] = {}
    headers: dict[int, str] = {}
    ignored: list[str] = []
    parent = ""
    sub_headers_used = False
    width = max(len(top), len(bottom or []))
    for j in range(width):
        upper = top[j] if j < len(top) else ""
        lower = bottom[j] if bottom and j < len(bottom) else ""
        if bottom is not None:
            # An unmerged parent covers the sub-headers to its right ("Năm sinh" | "" over "Nam" | "Nữ").
            parent = upper or (parent if lower else "")
            upper = parent
        written = upper if not lower or lower == upper else f"{upper} {lower}".strip()
        if not written:
            continue
        candidates = [header_key(written)]
        if bottom is not None and lower and lower != upper:
            candidates.append(header_key(lower))
        key = next((lookup[c] for c in candidates if c in lookup), None)
        if key is not None and bottom is not None and lower and lower != upper:
            sub_headers_used = True
        if key is None:
            ignored.append(written)
            continue
        if key not in columns:
            columns[key] = j
            headers[j] = written
    if bottom is not None and not sub_headers_used:
        return None  # the second row adds nothing: this is a one-row header
    return columns, headers, ignored


_NUMBER_OR_DATE = re.compile(r"^[\d\s.,/:\-]+$")


def _looks_like_header_row(cells: list[object]) -> bool:
    """Text only, and no text that is a number or a date (a CSV data row is all text)."""
    values = [c for c in cells if not is_blank(c)]
    return bool(values) and all(isinstance(c, str) and not _NUMBER_OR_DATE.match(c) for c in values)


_NUMBERING = re.compile(r"^\(?\s*(\d{1,2}|[a-z])\s*\)?$", re.IGNORECASE)


def _is_numbering_row(cells: list[str]) -> bool:
    """The row of column numbers under many official headers: (1) (2) (3)… or A B 1 2…"""
    values = [c for c in cells if c]
    return len(values) >= 3 and all(_NUMBERING.match(c) for c in values)


def find_layout(
    grid: Grid, columns: tuple[Column, ...], *, required_any: tuple[tuple[str, ...], ...]
) -> Layout | None:
    """The header of `grid`, or None when no row names the columns `required_any` asks for.

    `required_any` lists groups of keys; the header must name at least one key of each group.
    """
    rows = grid.rows
    legacy = detect_legacy(
        value
        for row in rows[:LEGACY_SAMPLE_ROWS]
        for value in row
        if isinstance(value, str) and not value.isascii()
    )
    lookup = header_lookup(columns) | SEX_SPLIT
    fill_merges(grid)
    best: tuple[int, int, int, tuple] | None = None  # (score, -row, rows used, mapping)
    for r in range(min(HEADER_SEARCH_ROWS, len(rows))):
        if not _looks_like_header_row(rows[r]):
            continue
        top = [_text(v, legacy) for v in rows[r]]
        options = [(1, _map_headers(top, None, lookup))]
        if r + 1 < len(rows) and _looks_like_header_row(rows[r + 1]):
            bottom = [_text(v, legacy) for v in rows[r + 1]]
            options.append((2, _map_headers(top, bottom, lookup)))
        for used, mapping in options:
            if mapping is None:
                continue
            keys = set(mapping[0])
            if not all(keys & set(group) for group in required_any):
                continue
            score = (len(keys), -r, used)
            if best is None or score > best[:3]:
                best = (*score, mapping)
    if best is None:
        return None
    _score, minus_row, used, (mapped, headers, ignored) = best
    header_row = -minus_row
    data_start = header_row + used
    if data_start < len(rows) and _is_numbering_row([_text(v, legacy) for v in rows[data_start]]):
        data_start += 1
    return Layout(grid, header_row, data_start, mapped, headers, legacy, ignored)


# A totals line: "Cộng", "Tổng cộng", "Tổng số: 52 thành viên", "Cộng bản Mè", "TỔNG". Not "Tống Văn
# Minh": Tống is a surname, so after "tong" / "cong" comes a word no name has, a number or nothing.
_TOTALS = re.compile(
    r"^(tong|cong)(\s*$|\s*[:(\d]|\s+(so|cong|hop|toan|chung|thon|ban|xom|xa|phuong|clb|danh sach|thanh vien)\b)"
)
# A signature block: "Người lập (biểu)", "TM. BAN CHỦ NHIỆM", "XÁC NHẬN CỦA UBND XÃ"…
_SIGNATURE = re.compile(
    r"^(nguoi lap|nguoi ky|nguoi duyet|t\s*/\s*m\b|tm\b|xac nhan|ky ten|ky va ghi ro|thu truong|ban chu nhiem|"
    r"chu tich|ghi chu\s*:|ubnd\b|uy ban nhan dan)"
)
# …a signer's title alone in its cell ("THƯ KÝ", "CHỦ NHIỆM CLB"): a whole cell no name can be…
_SIGNER_TITLE = re.compile(
    r"^(pho )?(chu nhiem|truong ban|truong thon|thu ky|thu quy|ke toan|can bo|dai dien)"
    r"( (clb|cau lac bo|ban chu nhiem|bcn|hoi|xa|phuong|thon|ban)\b.*)?$"
)
# …and the place and date above the signatures: "Tân Uyên, ngày 15 tháng 3 năm 2018".
_PLACE_AND_DATE = re.compile(r"^([^,]{1,60},\s*)?ngay\b[\d\s.…]*\bthang\b[\d\s.…]*\bnam\b")
TOTALS, SIGNATURE = "totals", "signature"


def _label_key(text: str) -> str:
    """'TM. BAN CHỦ NHIỆM' → 'tm ban chu nhiem': the search key, with dots as spaces."""
    return search_key(text.replace(".", " "))


# The first word of the key of every label the patterns above take, whole or as its beginning; a
# place and date has a comma before "ngày", unless it begins with "ngay". Kept in step with the
# patterns by tests/sheets/test_closing_labels.py.
_LABEL_FIRST_WORDS = frozenset(
    ("nguoi", "t", "xac", "ky", "thu", "ban", "chu", "ghi", "uy", "pho", "truong", "ke", "can", "dai")
)
_LABEL_FIRST_WORD_STARTS = ("tong", "cong", "tm", "t/", "ubnd", "ngay")


def closing_kind(text: str) -> str | None:
    """TOTALS for a totals line, SIGNATURE for a line of the signature block, else None.

    Asked of a cell of every row of a list without STT, whose names are all different: the text's
    whole key is only made, and the patterns tried, when its first word could begin a label."""
    if "," not in text and not _may_begin_a_label(text):
        return None
    return _closing_kind(text)


def _may_begin_a_label(text: str) -> bool:
    """Whether the key of `text` begins with a word a label begins with. search_key works character by
    character and no character becomes spacing or a comma in it (tested), so the first word of a
    text's key is the key of its first word; that word repeats (surnames) and is remembered."""
    words = text.replace(".", " ").split(None, 1)
    first = _word_key(words[0]) if words else ""
    return not first or first in _LABEL_FIRST_WORDS or first.startswith(_LABEL_FIRST_WORD_STARTS)


@lru_cache(maxsize=8192)
def _word_key(word: str) -> str:
    return search_key(word)


@lru_cache(maxsize=8192)
def _closing_kind(text: str) -> str | None:
    """closing_kind by the patterns themselves. (Club codes and titles repeat: remembered.)"""
    key = _label_key(text)
    if _TOTALS.match(key):
        return TOTALS
    if _SIGNATURE.match(key) or _SIGNER_TITLE.match(key) or _PLACE_AND_DATE.match(key):
        return SIGNATURE
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) or (isinstance(value, str) and value.rstrip(".").isdigit())


def iter_rows(layout: Layout, *, name_key: str) -> Iterator[tuple[int, dict[str, object]]]:
    """(sheet row number, {column key: value}) for each data row, text already in Unicode NFC.

    Blank rows and rows holding a single stray value are passed over. The signature block ends the
    table; so does a totals line, except in a numbered list, where numbered rows may follow it
    (a subtotal under each village). Their label may sit in the STT column, under the name or in
    any column before them. (Written for speed: it sees every cell of the table.)
    """
    legacy = layout.legacy
    items = list(layout.columns.items())
    rows = layout.grid.rows
    numbered = "row_number" in layout.columns
    # Columns whose values are titles or codes, not labels: "Chủ nhiệm" there is a member's seat.
    not_labels = {layout.columns[key] for key in ("board_role", "club_code") if key in layout.columns}
    after_totals = False
    for i in range(layout.data_start, len(rows)):
        row = rows[i]
        width = len(row)
        values: dict[str, object] = {}
        filled = []
        for key, j in items:
            value = row[j] if j < width else ""
            if value.__class__ is str and value:
                value = value.strip()
                if value:
                    if value[0] == "'":
                        value = strip_formula_guard(value)
                    if not value.isascii():
                        value = to_unicode(value, legacy)
            values[key] = value
            if value != "" and value is not None and key != "row_number":
                filled.append(key)
        number = values.get("row_number")
        if (number == "" or number is None) and not filled:
            continue
        if not _is_number(number):
            kind = _closing_label(row, values, name_key, not_labels, legacy)
            if kind == SIGNATURE or (kind == TOTALS and not numbered):
                return
            if kind == TOTALS:
                after_totals = True
                continue
        if not filled:
            continue
        if after_totals and not _is_number(number):
            continue  # under a totals line: a breakdown ("Trong đó: nữ 33"), not a member
        if number != "" and number is not None:
            yield i + 1, values
            continue
        if len(filled) == 1 and filled[0] != name_key:
            continue  # a stray note or a signature line under one column
        yield i + 1, values


def _closing_label(
    row: list, values: dict[str, object], name_key: str, not_labels: set[int], legacy: str | None
) -> str | None:
    """Whether the row is a totals line or a signature line, by its STT cell, its name cell or its
    first cell with text; in a row without a name, by any of its cells."""
    name = values.get(name_key)
    candidates = [values.get("row_number"), name]
    if is_blank(name):
        candidates += [v for j, v in enumerate(row) if isinstance(v, str) and v.strip() and j not in not_labels]
    else:
        first = next((j for j, v in enumerate(row) if not is_blank(v)), None)
        if first is not None and first not in not_labels and isinstance(row[first], str):
            candidates.append(row[first])  # not blank, so not only spacing
    seen = set()
    for candidate in candidates:
        if isinstance(candidate, str) and candidate and candidate not in seen:
            seen.add(candidate)
            kind = closing_kind(_text(candidate, legacy))
            if kind:
                return kind
    return None
