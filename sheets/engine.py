"""The import pipeline shared by clubs, members, loans and contributions.

read the file → find the table → clean every row (all errors, with the sheet's own row number
and column) → duplicates inside the file → match against the database (new / updated /
unchanged) → only when nothing is invalid, write everything in one transaction.

Each kind of import is a module (import_clubs, import_members…), listed in sheets.kinds, with:
- COLUMNS, REQUIRED_ANY, NAME_KEY: what the header must name, the column that identifies a row;
- FREE_TEXT: the columns of typed text (names, villages, notes) that may not start like a formula;
- clean_row(values, issues, context) → a record (dict) or None;
- plan(records, report, context) → what will change (errors go into the report);
- write(plan, context): the bulk writes, inside the transaction opened here;
- optionally preview_row(record) → one row of the preview as the import understood it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from config.collector import collector_paused
from places.text import CONTROL, FORMULA_SIGNS, INVISIBLE, control_error, formula_error
from sheets import kinds
from sheets.columns import column_meaning
from sheets.layout import Layout, find_layout, iter_rows
from sheets.legacy_text import detect_legacy, may_be_legacy
from sheets.reading import SheetRefused, read_sheets, refuse_if_too_many_rows
from sheets.report import Context, ImportReport, Progress, RowIssues, RowWriteError
from sheets.values import text
from sheets.workbooks import EXAMPLES

PREVIEW_ROWS = 10  # the first rows shown as understood, before anything is written


def _no_progress(percent: int, stage: str) -> None:
    pass


@collector_paused()
def run_import(
    kind: str,
    path: str | Path,
    *,
    club: Any = None,
    user: Any = None,
    commit: bool = False,
    club_ids: frozenset[int] | None = None,
    file_name: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Analyse the file at `path` and, when `commit` and every row is valid, write it. Never raises
    for bad input: a file that cannot be read gives a report with `refused` set. `club_ids`: the
    only clubs the rows may name (the area of the person importing); None for every club.
    """
    started = time.perf_counter()
    progress = progress or _no_progress
    module = kinds.KINDS[kind]
    report = ImportReport(kind=kind, file_name=file_name or Path(path).name)
    context = Context(club=club, user=user, club_ids=club_ids)
    try:
        progress(2, _("Đang đọc tệp…"))
        layout = _find_table(path, module, report)
        context.layout = layout
        report.columns = [
            (layout.label(key), column_meaning(module.COLUMNS, key))
            for key, _index in sorted(layout.columns.items(), key=lambda item: item[1])
        ]
        progress(25, _("Đang kiểm tra từng dòng…"))
        records = _clean_rows(layout, module, report, context)
        progress(55, _("Đang đối chiếu với dữ liệu đã có…"))
        _flag_duplicates(records, module, report, layout)
        valid = [r for r in records if not r.get("_invalid")]
        plan = module.plan(valid, report, context)
        report.count_invalid()
        if commit and report.ok and report.has_writes:
            progress(75, _("Đang ghi vào cơ sở dữ liệu…"))
            try:
                with transaction.atomic():
                    module.write(plan, context)
            except RowWriteError as refused:
                report.add_error(refused.row, refused.column, refused.message)
                report.count_invalid()
            else:
                report.committed = True
    except SheetRefused as refused:
        report.refused = str(refused)
    report.seconds = round(time.perf_counter() - started, 2)
    progress(100, _("Xong."))
    return report


def _find_table(path: str | Path, module, report: ImportReport) -> Layout:
    for grid in read_sheets(path):
        layout = find_layout(grid, module.COLUMNS, required_any=module.REQUIRED_ANY)
        if layout is not None:
            report.sheet = grid.name
            report.header_row = layout.header_row + 1
            if grid.text_encoding and grid.text_encoding != "UTF-8":
                report.notices.append(
                    _("Tệp CSV được đọc theo bảng mã %(enc)s.") % {"enc": grid.text_encoding}
                )
            if layout.legacy:
                report.notices.append(
                    _("Chữ trong tệp được gõ bằng bảng mã cũ %(enc)s; đã chuyển sang Unicode.")
                    % {"enc": "TCVN3 (ABC)" if layout.legacy == "tcvn3" else "VNI"}
                )
            if layout.ignored:
                report.notices.append(
                    _("Các cột không dùng khi nhập: %(cols)s.") % {"cols": ", ".join(layout.ignored)}
                )
            return layout
    expected = ", ".join(c.header for c in module.COLUMNS if c.required or c.key in module.REQUIRED_ANY[0])
    raise SheetRefused(
        _(
            "Không tìm thấy dòng tiêu đề của bảng. Trong 30 dòng đầu của trang tính phải có một dòng ghi "
            "tên các cột, ít nhất: %(cols)s. Hãy dùng tệp mẫu nếu cần."
        )
        % {"cols": expected}
    )


def _clean_rows(layout: Layout, module, report: ImportReport, context: Context) -> list[dict]:
    records: list[dict] = []
    example = EXAMPLES.get(report.kind)
    preview_row = getattr(module, "preview_row", None)  # the kinds that can show rows as understood
    headers = {column.key: column.header for column in module.COLUMNS}
    free_text = [(key, headers[key], prose) for key, prose in module.FREE_TEXT.items()]
    rows = list(iter_rows(layout, name_key=module.NAME_KEY))
    examples = [False] * len(rows) if example is None else [_is_example(values, example) for _n, values in rows]
    # A list over the limit is refused before any row is cleaned: in seconds, not after minutes of work.
    refuse_if_too_many_rows(len(rows) - sum(examples))
    # The control-character and legacy-encoding checks look at every text cell of the file: first once
    # over all of it, at C speed; the rows are looked at one by one only when that finds something.
    strings = [value for _n, values in rows for value in values.values() if value.__class__ is str]
    any_control = CONTROL.search("\n".join(strings)) is not None
    any_legacy = layout.legacy is None and may_be_legacy("\n".join([v for v in strings if not v.isascii()]))
    del strings
    for (row_number, values), is_example in zip(rows, examples, strict=True):
        if is_example:
            report.notices.append(
                _("Dòng %(row)s là dòng ví dụ của tệp mẫu: đã bỏ qua.") % {"row": row_number}
            )
            continue
        report.rows += 1
        issues = RowIssues()
        record = module.clean_row(values, issues, context)
        if record is None:
            report.skipped += 1
            continue
        if any_control:
            _flag_control_cells(values, issues)
        _flag_formula_cells(values, issues, free_text)
        if any_legacy:
            _flag_legacy_cells(values, issues)
        record["_row"] = row_number
        if preview_row is not None and len(report.preview) < PREVIEW_ROWS:
            errors = [message for _key, message in issues.items]
            report.preview.append({"row": row_number, **preview_row(record), "errors": errors})
        if issues:
            record["_invalid"] = True
            for key, message in issues.items:
                report.add_error(row_number, layout.label(key), message)
        records.append(record)
    if not report.rows:
        # Nothing to import is not a success: a list saved before it was filled in, the wrong sheet.
        raise SheetRefused(
            _(
                "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề (dòng %(row)s, trang “%(sheet)s”): không có gì "
                "để nhập. Hãy điền danh sách dưới dòng tiêu đề rồi tải lên lại."
            )
            % {"row": report.header_row, "sheet": report.sheet}
        )
    return records


def _flag_control_cells(values: dict[str, object], issues: RowIssues) -> None:
    """A NUL or other control character (a CSV cut from a broken export, an xlsx cell “_x0000_”): the
    row is refused at the preview, with its row and column, rather than failing at the write."""
    texts = [value for value in values.values() if isinstance(value, str)]
    # One search over the row's text (a line break is no control character here); the cells, and the
    # translated label, only for the rare row that holds one: this runs for every cell of the file.
    if not texts or CONTROL.search("\n".join(texts)) is None:
        return
    for key, value in values.items():
        if isinstance(value, str) and (error := control_error(value, _("Ô này"))):
            issues.add(key, error)


def _flag_formula_cells(values: dict[str, object], issues: RowIssues, free_text) -> None:
    """The free-text columns of a kind (names, villages, notes: `module.FREE_TEXT`, column → prose)
    refuse a leading formula sign at the preview, as the model fields do (places.text.NoFormulaStart),
    with the same message, naming the row and the column: nothing of the file is written."""
    for key, header, prose in free_text:
        value = values.get(key)
        # Cheap first look (two columns × 50,000 rows): only text starting with a sign, or with an
        # invisible character that text() removes ("\u200b=1+1"), is tidied and checked.
        if value.__class__ is str and (value[:1] in FORMULA_SIGNS or INVISIBLE.match(value)):
            if error := formula_error(text(value), header, prose=prose):
                issues.add(key, error)


def _flag_legacy_cells(values: dict[str, object], issues: RowIssues) -> None:
    """A sheet read as Unicode with cells typed in TCVN3 or VNI (rows pasted in from an old file):
    that text would be stored garbled ("NguyÔn ThÞ Hoa"), so the row is refused with what to do."""
    texts = [value for value in values.values() if isinstance(value, str) and not value.isascii()]
    if not texts or not may_be_legacy("\n".join(texts)):  # one search per row, as above
        return
    for key, value in values.items():
        if isinstance(value, str) and not value.isascii() and may_be_legacy(value):
            legacy = detect_legacy([value])
            if legacy:
                shown = value if len(value) <= 40 else value[:40] + "…"
                issues.add(
                    key,
                    _(
                        "“%(value)s” được gõ bằng bảng mã cũ %(enc)s, lẫn với chữ Unicode của cả tệp. Hãy chuyển "
                        "mã cả tệp sang Unicode (ví dụ Unikey: Công cụ chuyển mã) rồi tải lên lại."
                    )
                    % {"value": shown, "enc": "TCVN3 (ABC)" if legacy == "tcvn3" else "VNI"},
                )


def _is_example(values: dict[str, object], example: dict[str, str]) -> bool:
    return all(text(values.get(key, "")) == str(value) for key, value in example.items() if key in values)


def _flag_duplicates(records: list[dict], module, report: ImportReport, layout: Layout) -> None:
    """Rows of one file that describe the same thing: every one of them is an error."""
    for key_name, describe, allowed in module.duplicate_keys():
        seen: dict[Any, list[dict]] = defaultdict(list)
        for record in records:
            key = key_name(record)
            if key is not None:
                seen[key].append(record)
        for group in seen.values():
            if len(group) < 2 or (allowed is not None and allowed(group)):
                continue
            rows = [r["_row"] for r in group]
            for record in group:
                others = ", ".join(str(n) for n in rows if n != record["_row"])
                record["_invalid"] = True
                report.add_error(record["_row"], "", describe(record, others))
