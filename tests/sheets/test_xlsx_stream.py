"""The exports' own xlsx writer: what Excel, LibreOffice (via openpyxl) and our reader read back."""

import datetime
import io

from openpyxl import load_workbook

from sheets.reading import read_sheets
from sheets.xlsx_stream import write_xlsx

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Số tiền", "Ghi chú"]
ROWS = [
    [1, "Lường Thị Chơ", datetime.date(1952, 3, 4), 1_500_000, '=HYPERLINK("http://x")'],
    [2, "Giàng A <Páo> & con", None, 0, "  khoảng trắng  "],
    [3, "Hà\x07 Văn\x0b Tư", datetime.date(1900, 3, 1), 12.5, "+84 912 345 678"],
]


def _workbook(tmp_path):
    content = write_xlsx("Thành viên [CLB]: danh sách rất dài quá ba mươi mốt ký tự", HEADERS, ROWS,
                         widths={"Họ và tên": 30})  # fmt: skip
    path = tmp_path / "export.xlsx"
    path.write_bytes(content)
    return path


def test_openpyxl_reads_back_every_value_with_its_type(tmp_path):
    sheet = load_workbook(_workbook(tmp_path)).active
    assert sheet.title == "Thành viên  CLB   danh sách rất"
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 30
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0] == [
        1,
        "Lường Thị Chơ",
        datetime.datetime(1952, 3, 4),
        1_500_000,
        '=HYPERLINK("http://x")',
    ]
    assert values[1] == [2, "Giàng A <Páo> & con", None, 0, "  khoảng trắng  "]
    # Control characters XML cannot hold are dropped; 1 March 1900 is after Excel's phantom 29 February.
    assert values[2] == [3, "Hà Văn Tư", datetime.datetime(1900, 3, 1), 12.5, "+84 912 345 678"]
    assert sheet["C2"].number_format == "dd/mm/yyyy"
    # Text that looks like a formula is a string cell, never a formula.
    assert sheet["E2"].data_type == "s"


def test_our_own_reader_reads_it_too(tmp_path):
    (grid,) = list(read_sheets(_workbook(tmp_path)))
    assert grid.rows[0] == HEADERS
    assert grid.rows[1][:2] == [1, "Lường Thị Chơ"] and grid.rows[2][1] == "Giàng A <Páo> & con"


def test_rows_from_a_generator_are_all_written_in_order():
    rows = ([i, f"Người {i}", datetime.date(1950, 1, 1), i * 1000, ""] for i in range(1, 5001))
    content = write_xlsx("x", HEADERS, rows, widths={})
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == list(range(1, 5001))
