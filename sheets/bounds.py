"""What a spreadsheet file may cost, checked before any reader builds its grid.

A reader (calamine, like openpyxl) makes the sheet a rectangle from A1 to the last cell: one cell at
XFD1048576 in a 1.6 KB file asks for 17 billion cells (549 GB) and kills the process, one at
ZZ199000 takes 5 GB. And a zip member can decompress to a thousand times its size (a gigabyte
string in a 1 MB file). So, for an xlsx or ods, before calamine opens a sheet:

- each zip member's declared uncompressed size, and the total, are held to a limit; the members
  we read are decompressed here, in chunks, and a size that lies fails the CRC check (refused as
  corrupt) — so what calamine reads later is what we measured;
- each worksheet's XML is streamed and every cell reference (`r="..."`) read: the last
  row, the last column and the rectangle from A1 (what the grid will hold) have limits. The
  declared `<dimension ref>` is never trusted (calamine does not size anything from it either: a
  declared A1:XFD1048576 over two rows reads in 14 MB), nor are row elements (Excel writes an
  empty `<row r="1048576">` for a formatted row): only cells that hold something count.

The message names the cell, the figure and the limit, in Vietnamese.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

import olefile
from django.utils.translation import gettext as _

MAX_ROWS = 201_000  # 200,000 data rows and a title/closing block (reading.MAX_ROWS)
MAX_COLUMNS = 200  # column GR: a member list has 15
MAX_CELLS = 4_000_000  # rows × columns from A1: 200,000 rows of 20 columns
MAX_MEMBERS = 2_000
MAX_PART_BYTES = 200 * 1024 * 1024  # one zip member, uncompressed
MAX_SHARED_STRINGS_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 300 * 1024 * 1024  # all members together

_CHUNK = 1024 * 1024
# A cell with a reference; "/>" at its end means it holds nothing (a formatted empty cell).
_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=[\"']([A-Za-z]{1,4})(\d+)[\"'][^>]*?(/?)>")
# The same, for the cells that hold something only (the tag does not end with "/>").
_FILLED_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=[\"']([A-Za-z]{1,4})(\d+)[\"'][^>]*(?<!/)>")


class TooCostly(Exception):
    """The file would cost too much to read; the message says why, in Vietnamese."""


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f}".replace(",", ".")


def column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


def column_letters(index: int) -> str:
    name = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def check_zip(data_or_file) -> None:
    """Raise TooCostly (or zipfile.BadZipFile for a corrupt file) when an xlsx/ods would cost too much."""
    with zipfile.ZipFile(data_or_file) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise TooCostly(
                _("Tệp chứa %(count)s phần, quá giới hạn %(limit)s: không phải một bảng tính bình thường.")
                % {"count": _number(len(members)), "limit": _number(MAX_MEMBERS)}
            )
        total = 0
        for member in members:
            _check_size(member.filename, member.file_size)
            total += member.file_size
        if total > MAX_TOTAL_BYTES:
            raise TooCostly(
                _(
                    "Tệp nén %(size)s MB dữ liệu, quá giới hạn %(limit)s MB khi giải nén: không đọc tệp này. "
                    "Hãy lưu lại bảng tính chỉ với danh sách cần nhập rồi tải lên lại."
                )
                % {"size": _megabytes(total), "limit": _megabytes(MAX_TOTAL_BYTES)}
            )
        for member in members:
            name = member.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_worksheet(archive, member)
            elif name == "content.xml":
                _check_ods_content(archive, member)
            elif name == "xl/sharedStrings.xml" or name.endswith(".bin"):
                _read_all(archive, member)  # decompressed here: a declared size that lies fails the CRC


def _check_size(name: str, size: int) -> None:
    limit = MAX_SHARED_STRINGS_BYTES if name == "xl/sharedStrings.xml" else MAX_PART_BYTES
    if size > limit:
        raise TooCostly(
            _(
                "Phần “%(name)s” của tệp giải nén ra %(size)s MB, quá giới hạn %(limit)s MB (có thể là một ô chứa "
                "chuỗi chữ khổng lồ, hoặc tệp được tạo để làm treo máy): không đọc tệp này."
            )
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)}
        )


def _chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo):
    read = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                _check_size(member.filename, read)
                yield chunk
    except (zlib.error, EOFError) as error:
        raise zipfile.BadZipFile(str(error)) from error


def _read_all(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    for _chunk in _chunks(archive, member):
        pass


# The glance (_fits_at_a_glance): cells written as Excel, LibreOffice and openpyxl write them.
_GLANCE_CELL = re.compile(rb'<c r="([A-Za-z]{1,4})\d')
_GLANCE_FAR_ROW = re.compile(rb'<c r="[A-Za-z]{1,4}\d{6}')
_GLANCE_COLUMNS = MAX_CELLS // 100_000  # under 100,000 rows and up to 40 columns: within every limit


def _fits_at_a_glance(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """True when the worksheet is plainly within the limits: every `r=` of it is a row's, a cell's
    written `<c r="…"` or a page margin's, no cell reference has a row of six digits (so under 100,000 rows) and none a
    column past the 40th. Empty cells count too, so this can only say no to a sheet that fits, never
    yes to one that does not; on a no, the sheet is read again cell by cell (_check_worksheet).
    Mostly C-speed searches: about a third of the time of reading every reference."""
    carry = b""
    seen: set[bytes] = set()
    for chunk in _chunks(archive, member):
        text = carry + chunk
        end = text.rfind(b">") + 1
        text, carry = text[:end], text[end:]
        letters = _GLANCE_CELL.findall(text)
        # Every "r=" accounted for: the cells', the rows', and the page margins' header= and footer=.
        known = len(letters) + text.count(b"<row r=") + text.count(b"header=") + text.count(b"footer=")
        if text.count(b"r=") != known or _GLANCE_FAR_ROW.search(text):
            return False
        seen.update(letters)
        if len(carry) > _CHUNK:
            return False
    return not carry.strip() and all(column_index(letters.decode()) <= _GLANCE_COLUMNS for letters in seen)


def _check_worksheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    if _fits_at_a_glance(archive, member):
        return
    last_row = last_column = 0
    carry = b""
    indexes: dict[bytes, int] = {}  # column letters → index: a sheet has a few dozen, over a million cells
    for chunk in _chunks(archive, member):
        text = carry + chunk
        end = text.rfind(b">") + 1
        text, carry = text[:end], text[end:]
        # First the chunk's cells that hold something, at C speed: the last row and the set of column
        # letters (0.42 s for a 50,000-row list against 0.67 s cell by cell). Only a chunk that would go
        # past a limit is read again cell by cell, so that the message names the first cell past it.
        cells = _FILLED_CELL.findall(text)
        if cells:
            rows = max(map(int, [digits for _letters, digits in cells]))
            columns = 0
            for letters in {letters for letters, _digits in cells}:
                if (column := indexes.get(letters)) is None:
                    column = indexes[letters] = column_index(letters.decode())
                columns = max(columns, column)
            rows, columns = max(rows, last_row), max(columns, last_column)
            if rows <= MAX_ROWS and columns <= MAX_COLUMNS and rows * columns <= MAX_CELLS:
                last_row, last_column = rows, columns
                if len(carry) > _CHUNK:
                    raise zipfile.BadZipFile("tag too long")
                continue
        for letters, digits, empty in _CELL.findall(text):
            if empty:
                continue
            column = indexes.get(letters)
            if column is None:
                column = indexes[letters] = column_index(letters.decode())
            row = int(digits)
            if column > last_column or row > last_row:
                ref = f"{letters.decode().upper()}{row}"
                _check_cell(ref, row, column)
                last_column, last_row = max(last_column, column), max(last_row, row)
        if last_row * last_column > MAX_CELLS:
            raise TooCostly(_cells_message(last_row, last_column))
        if len(carry) > _CHUNK:  # one tag longer than a megabyte: not a worksheet anyone wrote
            raise zipfile.BadZipFile("tag too long")


def _check_rows(row: int, ref: str) -> None:
    if row > MAX_ROWS:
        raise TooCostly(
            _(
                "Ô %(cell)s nằm ở dòng %(row)s, quá giới hạn 200.000 dòng mỗi lần nhập. Nếu đó là một ô gõ nhầm ở "
                "xa bảng, hãy xóa nó (trong Excel: Ctrl+End đưa đến ô cuối cùng); nếu không, hãy chia thành "
                "nhiều tệp."
            )
            % {"cell": ref, "row": _number(row)}
        )


def _check_cell(ref: str, row: int, column: int) -> None:
    _check_rows(row, ref)
    if column > MAX_COLUMNS:
        raise TooCostly(
            _(
                "Ô %(cell)s nằm ở cột thứ %(column)s, quá giới hạn %(limit)s cột (đến cột %(last)s). Có thể đó là "
                "một ô gõ nhầm ở xa bảng: hãy xóa nó (trong Excel: Ctrl+End đưa đến ô cuối cùng) rồi tải lên lại."
            )
            % {
                "cell": ref,
                "column": _number(column),
                "limit": MAX_COLUMNS,
                "last": column_letters(MAX_COLUMNS),
            }
        )


def _cells_message(rows: int, columns: int) -> str:
    return _(
        "Vùng dữ liệu trải từ A1 đến %(cell)s: %(cells)s ô, quá giới hạn %(limit)s ô mỗi lần nhập. Hãy xóa các "
        "ô thừa ở xa bảng (trong Excel: Ctrl+End đưa đến ô cuối cùng) hoặc chia thành nhiều tệp."
    ) % {
        "cell": f"{column_letters(columns)}{rows}",
        "cells": _number(rows * columns),
        "limit": _number(MAX_CELLS),
    }


# --- ods: rows and cells repeat (number-rows-repeated, number-columns-repeated) -----------------------
_ODS_TAG = re.compile(rb"<(/?)(?:\w+:)?(table-row|table-cell|covered-table-cell|table(?=[\s>/]))\b([^>]*)>")
_ROWS_REPEATED = re.compile(rb"number-rows-repeated=[\"'](\d+)")
_COLUMNS_REPEATED = re.compile(rb"number-columns-repeated=[\"'](\d+)")


def _check_ods_content(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """The position of every cell that holds a value, counting repeated rows and cells (an ods cell
    after 6,000 empty rows of 16,000 empty cells made the reader fill 96 million: 5.9 GB, 75 s)."""
    row = column = last_row = last_column = 0
    row_repeat = 1
    carry = b""
    for chunk in _chunks(archive, member):
        text = carry + chunk
        end = text.rfind(b">") + 1
        text, carry = text[:end], text[end:]
        for closing, tag, attributes in _ODS_TAG.findall(text):
            if tag == b"table":
                if not closing:
                    row = last_row = last_column = 0
            elif tag == b"table-row":
                if closing:
                    row += row_repeat
                else:
                    found = _ROWS_REPEATED.search(attributes)
                    row_repeat, column = (int(found.group(1)) if found else 1), 0
                    if attributes.endswith(b"/"):
                        row += row_repeat
            elif not closing:
                found = _COLUMNS_REPEATED.search(attributes)
                repeat = int(found.group(1)) if found else 1
                if b"value-type" in attributes:
                    far_row, far_column = row + row_repeat, column + repeat
                    if far_row > last_row or far_column > last_column:
                        _check_cell(
                            f"{column_letters(min(far_column, 18_278))}{far_row}", far_row, far_column
                        )
                        last_row, last_column = max(last_row, far_row), max(last_column, far_column)
                        if last_row * last_column > MAX_CELLS:
                            raise TooCostly(_cells_message(last_row, last_column))
                column += repeat
        if len(carry) > _CHUNK:
            raise zipfile.BadZipFile("tag too long")


# --- xls (BIFF8 in an OLE2 container): the cell records give each cell's row and column ---------------
_BOF = 0x0809
# Records of a cell that holds something: LABELSST, NUMBER, RK, LABEL, BOOLERR, FORMULA, RSTRING; and
# MULRK (several RK cells in one row: first column at 2, last column in its last two bytes).
_CELL_RECORDS = {0x00FD, 0x0203, 0x027E, 0x0204, 0x0205, 0x0006, 0x00D6}
_MULRK = 0x00BD


def check_xls(data: bytes) -> None:
    """Raise TooCostly when a sheet of an xls would cost too much (an xls cell at IV65536 made the
    reader allocate 16.7 million cells: 1.1 GB, 7 s). Unreadable containers are left to the reader."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as container:
            name = next((n for n in ("Workbook", "Book") if container.exists(n)), None)
            if name is None:
                return
            stream = container.openstream(name).read()
    except (OSError, ValueError, struct.error, IndexError):
        return  # not an OLE2 file we can read: the reader says it is corrupt
    last_row = last_column = 0
    position, end = 0, len(stream)
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        body = position + 4
        if kind == _BOF:
            last_row = last_column = 0  # a new sheet (or the workbook globals)
        elif (kind in _CELL_RECORDS or kind == _MULRK) and length >= 6:
            row, column = struct.unpack_from("<HH", stream, body)
            if kind == _MULRK and length >= 8:
                column = struct.unpack_from("<H", stream, body + length - 2)[0]
            row, column = row + 1, column + 1
            if row > last_row or column > last_column:
                ref = f"{column_letters(column)}{row}"
                _check_cell(ref, row, column)
                last_row, last_column = max(last_row, row), max(last_column, column)
                if last_row * last_column > MAX_CELLS:
                    raise TooCostly(_cells_message(last_row, last_column))
        position = body + length
