"""Hostile spreadsheets written byte by byte (no library would write them): a cell far away, a
declared range that lies, a shared string that decompresses to a gigabyte, zip members whose
sizes lie. Used by make_corpus.py (the small ones are committed) and by tests/test_hostile_input.py.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEADER = ["Họ và tên", "Năm sinh", "Giới tính"]


def _cell(ref: str, value) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def member_rows(extra: str = "", rows: list[list] | None = None) -> str:
    """<row> elements: the header and one good member (A1:C2), then `extra` (more XML)."""
    rows = rows or [HEADER, ["Lò Thị Lan", 1950, "Nữ"]]
    body = "".join(
        f'<row r="{n}">' + "".join(_cell(f"{chr(65 + i)}{n}", v) for i, v in enumerate(row)) + "</row>"
        for n, row in enumerate(rows, start=1)
    )
    return body + extra


def far_cell(ref: str, value="x") -> str:
    row = "".join(ch for ch in ref if ch.isdigit())
    return f'<row r="{row}">{_cell(ref, value)}</row>'


def sheet_xml(rows: str, dimension: str | None = "A1:C2") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{dim}<sheetData>{rows}</sheetData></worksheet>'


def _parts(shared: bool) -> dict[str, str]:
    strings_type = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
    strings_rel = f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    return {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        f'"/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{CT}.worksheet+xml"/>{strings_type if shared else ""}</Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {NS} xmlns:r="{REL}"><sheets><sheet name="DS" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
        f'org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" '
        f'Target="worksheets/sheet1.xml"/>{strings_rel if shared else ""}</Relationships>',
    }


def write_raw_xlsx(path: Path, sheet: str, shared_strings: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in _parts(shared_strings is not None).items():
            book.writestr(name, text)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            book.writestr("xl/sharedStrings.xml", shared_strings)
    return path


def write_bomb_xlsx(path: Path, member: str, head: str, filler: bytes, count: int, tail: str) -> Path:
    """An xlsx whose `member` is `head` + `filler` × `count` + `tail`, deflated as it is written (a
    gigabyte of one letter is a megabyte in the zip)."""
    shared = member == "xl/sharedStrings.xml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, text in _parts(shared).items():
            book.writestr(name, text)
        if shared:
            book.writestr(
                "xl/worksheets/sheet1.xml",
                sheet_xml(
                    member_rows('<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3"><v>1951</v></c></row>'),
                    "A1:C3",
                ),
            )
        with book.open(member, "w", force_zip64=True) as out:
            out.write(head.encode())
            block = filler * (1024 * 1024 // len(filler))
            for _ in range(count * len(filler) // len(block)):
                out.write(block)
            out.write(tail.encode())
    return path


def lie_about_size(path: Path, member: str, declared: int) -> Path:
    """Rewrite the uncompressed size a zip member declares (central directory and local header)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as book:
        info = book.getinfo(member)
    local = info.header_offset
    data[local + 22 : local + 26] = declared.to_bytes(4, "little")
    central = data.rfind(b"PK\x01\x02" + data[local + 4 : local + 6])  # not exact; searched below
    name = member.encode()
    position = 0
    while True:
        position = data.find(b"PK\x01\x02", position)
        if position < 0:
            break
        length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + length] == name:
            data[position + 24 : position + 28] = declared.to_bytes(4, "little")
            break
        position += 4
    del central
    path.write_bytes(bytes(data))
    return path


assert zlib  # deflate is what makes a bomb small


def write_repeated_ods(path: Path, *, rows: int, columns: int) -> Path:
    """An ods of two member rows, then `rows` empty rows of `columns` empty cells (one element each,
    repeated), then a cell after them."""
    from tests.sheets.builders import write_ods

    write_ods(path, [HEADER, ["Lò Thị Lan", 1950, "Nữ"]])
    with zipfile.ZipFile(path) as book:
        parts = [(info, book.read(info)) for info in book.infolist()]
    far = (
        f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
        f'table:number-columns-repeated="{columns}"/></table:table-row><table:table-row><table:table-cell '
        f'table:number-columns-repeated="{columns}"/><table:table-cell office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for info, data in parts:
            if info.filename == "content.xml":
                data = data.decode().replace("</table:table>", far, 1).encode()
            book.writestr(info, data)
    return path
