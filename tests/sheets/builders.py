"""Building test sheets the way province and commune offices really send them.

`office_member_rows()` gives a member list with a title block, a two-row header where "Năm sinh"
spans "Nam" / "Nữ", STT, blank rows, mixed date forms, HN/CN, NFD names, thousands separators in
numbers, and a closing block: a totals line and a signature block, in the shapes of CLOSINGS. The writers put rows into xlsx (with merged
cells), xls, ods and csv in any encoding.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from pathlib import Path

import openpyxl
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

TITLE_ROWS = [
    ["HỘI NGƯỜI CAO TUỔI XÃ TÂN UYÊN"],
    [],
    ["DANH SÁCH THÀNH VIÊN CÂU LẠC BỘ LIÊN THẾ HỆ TỰ GIÚP NHAU BẢN NÀ CÓC"],
    ["(Kèm theo Quyết định số 25/QĐ-UBND ngày 10/3/2018)"],
    [],
]
HEADER_TOP = ["TT", "Họ và tên", "Năm sinh", "", "Dân tộc", "Hoàn cảnh", "Bản", "CCCD/CMND", "SĐT", "Ngày tham gia", "Chức vụ", "TNV"]  # fmt: skip
HEADER_BOTTOM = ["", "", "Nam", "Nữ", "", "", "", "", "", "", "", ""]
# Merged header cells (0-based first row, first col, last row, last col), relative to the header's first row.
HEADER_MERGES = [(0, c, 1, c) for c in (0, 1, 4, 5, 6, 7, 8, 9, 10, 11)] + [(0, 2, 0, 3)]


def office_member_rows(closing: str = "totals under the name") -> list[list]:
    """Data rows of a real-shaped member list, with a blank row and the closing block `closing`
    (one of CLOSINGS)."""
    nfd_name = "Nguye\u0302\u0303n Thi\u0323 Hoa"  # typed on a Mac: decomposed
    return [
        [
            1,
            "Lường Thị Chơ",
            "",
            1952,
            "Thái",
            "HN",
            "Nà Cóc",
            "012345678901",
            "0912345678",
            datetime.date(2018, 5, 19),
            "Chủ nhiệm",
            "x",
        ],  # fmt: skip
        [2, "Giàng A Páo", 1949, "", "Mông", "CN", "Nà Cóc", "", "", "27/03/2018", "", ""],
        [3, nfd_name, "", "1955", "Kinh", "Hộ nghèo", "Nà Bó", 12345678902, "", "4/5/18", "Thủ quỹ", "X"],
        [],
        [4, "Tẩn Thị Vân", "", 1960, "Dao", "Khó khăn", "Nà Bó", "", 912345679, 43466, "", "x"],
        [5, "Vàng Văn Khiêm", 1935, "", "H'Mông", "Không", "Nà Cóc", "012.345.678.903", "", 2019, "", ""],
        [],
        *CLOSINGS[closing],
    ]


_PLACE_AND_DATE = ["", "", "", "", "", "", "", "Tân Uyên, ngày 15 tháng 3 năm 2018"]
# How offices end a list. Each block starts at the same sheet row (OFFICE_CLOSING_ROW).
CLOSINGS = {
    "totals under the name": [
        ["", "Tổng số: 5 thành viên"],
        [],
        _PLACE_AND_DATE,
        ["", "Người lập", "", "", "", "", "", "TM. BAN CHỦ NHIỆM"],
        ["", "Lò Văn Lập", "", "", "", "", "", "Lường Thị Chơ"],
    ],
    # The label in the STT column and the counts under Nam / Nữ, households and volunteers.
    "totals in the STT column": [
        ["Cộng", "", 2, 3, "", "3 hộ nghèo", "", "", "", "", "", 3],
        _PLACE_AND_DATE,
        ["", "Người lập", "", "", "", "", "", "TM. BAN CHỦ NHIỆM"],
        ["", "Lò Văn Lập", "", "", "", "", "", "Lường Thị Chơ"],
    ],
    # "Tổng cộng" merged across STT and Họ và tên (see closing_merges), then the counts.
    "Tổng cộng merged across the first columns": [
        ["Tổng cộng", "", 2, 3, "", "", "", "", "", "", "", 3],
    ],
    # Signature titles without any keyword the totals line would have, and the signers' names.
    "signature titles only": [
        ["THƯ KÝ", "", "", "CHỦ NHIỆM CLB"],
        [],
        ["Lò Văn Lập", "", "", "Lường Thị Chơ"],
    ],
    "titles under the name column": [
        ["", "NGƯỜI LẬP BIỂU", "", "", "", "", "", "XÁC NHẬN CỦA UBND XÃ"],
        ["", "(Ký, ghi rõ họ tên)", "", "", "", "", "", "(Ký tên, đóng dấu)"],
        [],
        ["", "Lò Văn Lập", "", "", "", "", "", "Hoàng Văn Thụ"],
    ],
    "the place and date, then titles": [
        _PLACE_AND_DATE,
        ["", "", "", "", "", "", "", "XÁC NHẬN CỦA UBND XÃ", "", "", "CHỦ NHIỆM CLB"],
        [],
        ["", "", "", "", "", "", "", "Hoàng Văn Thụ", "", "", "Lường Thị Chơ"],
    ],
}
OFFICE_CLOSING_ROW = len(TITLE_ROWS) + 2 + 7  # 0-based: title block, two header rows, seven data rows


def closing_merges(closing: str) -> list[tuple[int, int, int, int]]:
    """The merged cells of a closing block, in sheet coordinates."""
    if closing == "Tổng cộng merged across the first columns":
        return [(OFFICE_CLOSING_ROW, 0, OFFICE_CLOSING_ROW, 1)]
    return []


def office_sheet_rows(data: list[list] | None = None) -> list[list]:
    return [*TITLE_ROWS, HEADER_TOP, HEADER_BOTTOM, *(office_member_rows() if data is None else data)]


def header_merges(offset: int = len(TITLE_ROWS)) -> list[tuple[int, int, int, int]]:
    return [(r0 + offset, c0, r1 + offset, c1) for r0, c0, r1, c1 in HEADER_MERGES] + [
        (0, 0, 0, 11),
        (2, 0, 2, 11),
    ]


def write_xlsx(path: Path, rows: list[list], *, merges=(), sheets_before: int = 0) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for index in range(sheets_before):
        extra = workbook.create_sheet(f"Ghi chú {index}", 0)
        extra["A1"] = "Ghi chú: danh sách ở trang sau"
    sheet.title = "DS thanh vien"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value not in ("", None):
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, datetime.date):
                    cell.number_format = "dd/mm/yyyy"
    for r0, c0, r1, c1 in merges:
        sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    workbook.save(path)
    return path


def write_xls(path: Path, rows: list[list], *, merges=()) -> Path:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("DS")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    merged_cells = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r0, c0, r1, c1 in merges:
        value = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else ""
        sheet.write_merge(r0, r1, c0, c1, value)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in merged_cells or value in ("", None):
                continue
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    workbook.save(str(path))
    return path


def write_ods(path: Path, rows: list[list], *, merges=()) -> Path:
    document = OpenDocumentSpreadsheet()
    table = Table(name="DS")
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merges}
    covered = {
        (r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
    } - set(spans)
    width = max(len(row) for row in rows)
    for r, row in enumerate(rows):
        table_row = TableRow()
        for c in range(width):
            value = row[c] if c < len(row) else ""
            if (r, c) in covered:
                table_row.addElement(CoveredTableCell())
                continue
            attributes = {}
            if (r, c) in spans:
                attributes = {"numberrowsspanned": spans[r, c][0], "numbercolumnsspanned": spans[r, c][1]}
            if isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attributes)
                cell.addElement(P(text=f"{value:%d/%m/%Y}"))
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value, **attributes)
                cell.addElement(P(text=str(value)))
            elif value:
                cell = TableCell(valuetype="string", **attributes)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(**attributes)
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def csv_text(rows: list[list], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(
            ["" if v is None else (f"{v:%d/%m/%Y}" if isinstance(v, datetime.date) else v) for v in row]
        )
    return buffer.getvalue()


def windows_1258(text: str) -> str:
    """Text as Windows-1258 holds it: letters with their vowel marks, tones as separate combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + "".join(c for c in decomposed if c in tones))
    return "".join(out)


def write_csv(
    path: Path, rows: list[list], *, encoding: str = "utf-8", bom: bool = False, delimiter=","
) -> Path:
    text = csv_text(rows, delimiter)
    data = windows_1258(text).encode("cp1258") if encoding == "cp1258" else text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_legacy_csv(path: Path, rows: list[list], encode) -> Path:
    """A CSV saved from a TCVN3 / VNI sheet: the legacy text's bytes, as Windows-1252."""
    text = csv_text([[encode(v) if isinstance(v, str) else v for v in row] for row in rows])
    path.write_bytes(text.encode("cp1252"))
    return path
