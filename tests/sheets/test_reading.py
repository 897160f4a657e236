import io

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from sheets import reading
from sheets.engine import run_import
from sheets.reading import SheetRefused, decode_text, read_sheets
from tests.sheets.builders import write_xlsx

pytestmark = pytest.mark.django_db


def test_a_password_protected_workbook_gets_a_clear_message(club, tmp_path):
    plain = write_xlsx(tmp_path / "plain.xlsx", [["Họ và tên", "Năm sinh"], ["Lò Thị Lan", 1950]])
    locked = tmp_path / "locked.xlsx"
    with plain.open("rb") as source, locked.open("wb") as target:
        OOXMLFile(source).encrypt("mat-khau", target)
    report = run_import("members", locked, club=club)
    assert "đặt mật khẩu" in report.refused
    assert not report.ok


@pytest.mark.parametrize(
    ("name", "content"),
    [("hong.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50), ("hong.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
     ("nhi-phan.csv", b"\x01\x02\x00\x00\x07binary")],  # a photo is named as one: tests/test_corpus.py
)  # fmt: skip
def test_a_corrupt_file_gets_a_clear_message(club, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    report = run_import("members", path, club=club)
    assert "Không đọc được tệp" in report.refused


def test_files_over_20_mb_are_refused(club, tmp_path):
    path = tmp_path / "lon.csv"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    report = run_import("members", path, club=club)
    assert "tối đa 20 MB" in report.refused


def test_more_than_200000_rows_are_refused(club, tmp_path, monkeypatch):
    path = tmp_path / "nhieu.csv"
    lines = ["Họ và tên,Năm sinh,Giới tính"] + ["Lò Thị Lan,1950,Nữ"] * 200_001
    path.write_text("\n".join(lines), encoding="utf-8")
    report = run_import("members", path, club=club, commit=True)
    assert "200.000 dòng" in report.refused
    assert report.new == 0 and not report.committed


def test_leading_empty_rows_and_columns_keep_the_sheet_row_numbers(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active["C4"] = "Họ và tên"
    workbook.active["C5"] = "Lò Thị Lan"
    workbook.save(tmp_path / "a.xlsx")
    grid = next(read_sheets(tmp_path / "a.xlsx"))
    assert grid.rows[3][2] == "Họ và tên" and grid.rows[4][2] == "Lò Thị Lan"


def test_csv_decoding_prefers_utf8_then_the_reading_that_is_vietnamese():
    assert decode_text("\ufeffHọ và tên".encode()) == ("Họ và tên", "UTF-8")
    text, encoding = decode_text("Hä vµ tªn;N¨m sinh\nNguyÔn ThÞ Hoa;1950".encode("cp1252"))
    assert encoding == "TCVN3"
    assert reading.file_format(b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet") == "ods"


def test_hidden_sheets_are_not_read(tmp_path):
    workbook = openpyxl.Workbook()
    hidden = workbook.create_sheet("an")
    hidden.sheet_state = "hidden"
    workbook.active["A1"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    (tmp_path / "h.xlsx").write_bytes(buffer.getvalue())
    assert [grid.name for grid in read_sheets(tmp_path / "h.xlsx")] == ["Sheet"]
    with pytest.raises(SheetRefused):
        reading.refuse_if_too_many_rows(200_001)
