"""A one-sheet xlsx written as a stream of XML: the exports' writer.

An export of a province runs to 100,000 rows and 1.5 million cells. openpyxl (write-only) took 29 s
for that on this project's 2-core machine and XlsxWriter (constant memory) 23 s — both build an
object and run several regular expressions per cell. The exports need none of what those libraries
offer (formulas, shared strings, charts): one sheet of text, numbers and dates, a bold header row, a
frozen first row and column widths. So the rows are written here as XML, a row per string, straight
into the zip member: about ten times faster. Templates and error workbooks, which are small and
styled, stay with openpyxl.

Text is always an inline string cell: a value starting with = is never read as a formula. Text that
starts like one (sheets.formula_guard) also carries Excel's quote prefix, so that it stays text when
someone edits the cell.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from sheets.formula_guard import FORMULA_STARTS

# Excel's day 1 is 1 January 1900, counted as if 1900 were a leap year: day n is 30/12/1899 + n.
_DAY_ZERO = datetime.date(1899, 12, 30).toordinal()
# Characters XML 1.0 cannot hold at all (a stray control character pasted from another program).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STYLE_HEADER, _STYLE_DATE, _STYLE_QUOTED = 1, 2, 3

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles: 0 plain, 1 the header (bold on green), 2 a date shown dd/mm/yyyy, 3 text with the quote
# prefix (what Excel sets when one types '=…: shown and kept as text).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFD9EAD3"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, remainder = divmod(index - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def _sheet_name(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet1"


def _text(value: str) -> str:
    value = escape(_NOT_XML.sub("", value))
    if value[:1].isspace() or value[-1:].isspace():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def _cells(row: Sequence[object], number: int, letters: list[str]) -> str:
    cells = []
    for letter, value in zip(letters, row, strict=False):
        kind = value.__class__
        if kind is str:
            if value:
                # sheets.formula_guard.is_formula_like, spelt out: this line runs a million times an export.
                style = f' s="{_STYLE_QUOTED}"' if value.startswith(FORMULA_STARTS) else ""
                cells.append(f'<c r="{letter}{number}" t="inlineStr"{style}>{_text(value)}</c>')
        elif kind is int or kind is float:
            cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
        elif value is None:
            continue
        elif isinstance(value, datetime.date):  # a datetime is written as its day
            cells.append(
                f'<c r="{letter}{number}" s="{_STYLE_DATE}"><v>{value.toordinal() - _DAY_ZERO}</v></c>'
            )
        elif isinstance(value, bool):
            if value:
                cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t>x</t></is></c>')
        elif isinstance(value, int | float | Decimal):
            cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
        else:
            value = str(value)
            style = f' s="{_STYLE_QUOTED}"' if value.startswith(FORMULA_STARTS) else ""
            cells.append(f'<c r="{letter}{number}" t="inlineStr"{style}>{_text(value)}</c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def write_xlsx(
    title: str, headers: Sequence[str], rows: Iterable[Sequence[object]], *, widths: dict[str, float]
) -> bytes:
    """The workbook as bytes: `headers` in bold on the frozen first row, then `rows`."""
    letters = _column_letters(len(headers))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name={quoteattr(_sheet_name(title))} sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            sheet = io.TextIOWrapper(member, encoding="utf-8", write_through=False)
            columns = "".join(
                f'<col min="{i}" max="{i}" width="{widths.get(header, 12)}" customWidth="1"/>'
                for i, header in enumerate(headers, start=1)
            )
            header_cells = "".join(
                f'<c r="{letter}1" t="inlineStr" s="{_STYLE_HEADER}">{_text(str(header))}</c>'
                for letter, header in zip(letters, headers, strict=True)
            )
            sheet.write(
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                'state="frozen"/></sheetView></sheetViews>'
                f'<cols>{columns}</cols><sheetData><row r="1">{header_cells}</row>'
            )
            batch = []
            for number, row in enumerate(rows, start=2):
                batch.append(_cells(row, number, letters))
                if len(batch) == 2000:
                    sheet.write("".join(batch))
                    batch.clear()
            sheet.write("".join(batch))
            sheet.write("</sheetData></worksheet>")
            sheet.flush()
            sheet.detach()
    return buffer.getvalue()
