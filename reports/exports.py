"""The progress report as a file: PDF (WeasyPrint), xlsx (openpyxl) and JSON."""

from __future__ import annotations

import atexit
import datetime
import io
import json
import threading
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from clubs.models import Club, existing_q
from reports.catalogue import BY_CODE, CATALOGUE, Unit
from reports.formatting import figure
from reports.progress import CLUB_SECTION_CODES, ProgressReport
from reports.scope import Scope
from sheets.workbooks import safe_cell

# Columns of the breakdown tables (commune, club, province): the same in the PDF, the page and the sheet.
BREAKDOWN_CODES = [
    "clubs_total",
    "clubs_active",
    "members_total",
    "members_women_pct",
    "members_older_pct",
    "members_poor_near_poor_pct",
    "members_borrowing_pct",
    "fund_capital_vnd",
    "clubs_all_8_activities_pct",
    "clubs_rated_good_pct",
]
CLUB_CODES = [
    "members_total",
    "members_women_pct",
    "members_older_pct",
    "members_younger_pct",
    "members_poor_near_poor_pct",
    "volunteers_total",
    "members_borrowing_pct",
    "fund_capital_vnd",
    "loans_outstanding_vnd",
    "clubs_all_8_activities_pct",
    "meetings_held_pct",
    "clubs_rated_good_pct",
]


# A commune's report: one section per club, these indicators in each.
SECTION_INDICATORS = [BY_CODE[code] for code in CLUB_SECTION_CODES]


# The PDF is a summary (at most 10 pages, written in seconds): its annex by club is printed only for a
# scope with at most this many clubs. Larger ones get a note sending the reader to the xlsx, which lists
# every club whatever their number.
ANNEX_CLUBS_MAX = 150

# The annex by commune is printed when it is short (two landscape pages), or beside the annex by club (a
# province of at most ANNEX_CLUBS_MAX clubs, whose paper is long anyway). WeasyPrint lays a table out
# cell by cell, about 6 ms a row of eleven cells on a quiet 2-core machine whatever the CSS: a province
# of 150 communes would spend a second on its annex alone, and the summary must print in less (issue 19).
# The xlsx lists every commune ("Theo xã"), as the report page does.
ANNEX_COMMUNES_MAX = 50


def lists_clubs(fmt: str, scope: Scope, on: datetime.date) -> bool:
    """Whether the report in `fmt` needs every club's figures: the xlsx always; the printed document
    (PDF, or its HTML from the command) when its annex fits. One count query decides. A commune's
    report is made of its clubs' sections, in every format."""
    if fmt == "xlsx" or scope.kind == "commune":
        return True
    if fmt == "pdf":
        return Club.objects.filter(scope.club_q(), existing_q(on)).count() <= ANNEX_CLUBS_MAX
    return False


def prints_commune_annex(report: ProgressReport) -> bool:
    """Whether the printed document carries the annex by commune (see ANNEX_COMMUNES_MAX)."""
    return bool(report.communes) and (len(report.communes) <= ANNEX_COMMUNES_MAX or report.clubs is not None)


def report_json(report: ProgressReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


# The report's own tables (targets, key indicators, a commune's club sections) have the fixed layout too,
# their figure columns as wide as their widest text, measured here from the shipped font's advance widths:
# the widths WeasyPrint's automatic layout would give them, without it measuring every cell's text twice
# (its minimum and maximum widths, then the lines), a third of the summary's layout time.
FONT_FILES = {
    "regular": "fonts/liberation-serif/LiberationSerif-Regular.ttf",
    "bold": "fonts/liberation-serif/LiberationSerif-Bold.ttf",
    "italic": "fonts/liberation-serif/LiberationSerif-Italic.ttf",
}
# print/document.html: figures 11 pt, headers 10 pt bold, notes 10 pt italic; cells padded 3 pt each side
# and ruled 0.5 pt; one point to spare for rounding.
FIGURE_PT, HEADER_PT, NOTE_PT = 11, 10, 10
CELL_EXTRA_PT = 3 + 3 + 0.5 + 1


@cache
def _advances(face: str) -> tuple[dict[int, int], int]:
    """Each character's advance width in font units, and the units per em."""
    font = TTFont(finders.find(FONT_FILES[face]), lazy=True)
    metrics = font["hmtx"].metrics
    return {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}, font["head"].unitsPerEm


def text_width(text: str, size: float, face: str = "regular") -> float:
    """The width of one unbroken line of `text` in points (a character the font lacks counts as 1 em)."""
    advances, per_em = _advances(face)
    return sum(advances.get(ord(char), per_em) for char in text) * size / per_em


def _two_lines(header: str) -> float:
    """The narrowest width that holds a header on two lines ("Dự báo đến / hạn"), as automatic layout
    left them: the header row no taller than before."""
    words = header.split()
    if not words:
        return 0.0
    return min(
        max(
            text_width(" ".join(words[:cut]), HEADER_PT, "bold"),
            text_width(" ".join(words[cut:]), HEADER_PT, "bold"),
        )
        for cut in range(1, len(words) + 1)
    )


def _column(header: str, texts=(), notes=()) -> str:
    """A figure column's width as CSS: its widest figure or note word, or its header on two lines, plus the
    cell's padding."""
    widest = max(
        [_two_lines(header)]
        + [text_width(text, FIGURE_PT) for text in texts]
        + [text_width(text, NOTE_PT, "italic") for text in notes]
    )
    return f"{widest + CELL_EXTRA_PT:.1f}pt"


def table_columns(report: ProgressReport) -> dict[str, str]:
    """The widths of the figure columns of the report's own tables (templates/reports/_report_main.html,
    _club_sections.html); the names take the rest of the line. The headers are the template's words."""
    rows = report.targets
    risk = _("nguy cơ không đạt")
    columns = {
        "plan": _column(
            _("Kế hoạch"),
            [part for row in rows for part in row.target_parts],
            [f"{_('hạn')} {row.deadline:%d/%m/%Y}" for row in rows],
        ),
        "actual": _column(_("Thực hiện"), [figure(row.actual, row.indicator.unit) for row in rows]),
        "pct": _column(_("% kế hoạch"), [figure(row.pct_of_target, Unit.PERCENT) for row in rows]),
        "status": _column(_("Đánh giá"), [row.status_label for row in rows]),
        "projection": _column(
            _("Dự báo đến hạn"),
            [figure(row.projection, row.indicator.unit) for row in rows],
            f"({risk})".split() if any(row.at_risk for row in rows) else (),
        ),
    }
    pairs = report.indicator_pairs
    for key, index in (("value", 0), ("value_2", 1)):
        columns[key] = _column(
            _("Giá trị"), [figure(pair[index][1], pair[index][0].unit) for pair in pairs if len(pair) > index]
        )
    if report.scope.kind == "commune" and report.clubs:
        columns["club_value"] = _column(
            "",
            [
                figure(values.get(indicator.code), indicator.unit)
                for _club, values in report.clubs
                for indicator in SECTION_INDICATORS
            ],
        )
    return columns


def report_document(report: ProgressReport) -> str:
    """The printed document as HTML: what the PDF is drawn from."""
    return render_to_string(
        "reports/progress_pdf.html",
        {
            "report": report,
            # The key indicators' figures as plain text in their nowrap cells: a box fewer each to lay out
            # (the page keeps its text-nowrap spans).
            "printed": True,
            "columns": table_columns(report),
            "breakdown_codes": BREAKDOWN_CODES,
            "club_codes": CLUB_CODES,
            "section_indicators": SECTION_INDICATORS,
            "club_indicators": [BY_CODE[code] for code in CLUB_CODES],
            "annex_clubs_max": ANNEX_CLUBS_MAX,
            "annex_communes_max": ANNEX_COMMUNES_MAX,
            "commune_annex": prints_commune_annex(report),
        },
    )


def report_pdf(report: ProgressReport) -> bytes:
    """The printed document: Nghị định 30/2020 layout (templates/print/document.html), A4, page numbers
    from page 2, table headers repeated, wide annexes on landscape pages."""
    return document_pdf(report_document(report))


# The shipped Liberation Serif and its @font-face rules (static/fonts/liberation-serif/fonts.css).
DOCUMENT_FONTS = "fonts/liberation-serif/fonts.css"
_printing = threading.local()


def _printing_tools():
    """The URL fetcher, the font configuration and the fonts' stylesheet, made once per thread (each
    costs about a tenth of a second: an SSL context, the fonts registered with fontconfig). The fetcher
    reads local files only: a printed paper never fetches anything from the network."""
    if not hasattr(_printing, "tools"):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        fetcher = URLFetcher(allowed_protocols={"file", "data"})
        fonts = FontConfiguration()
        stylesheet = CSS(filename=finders.find(DOCUMENT_FONTS), font_config=fonts, url_fetcher=fetcher)
        _printing.tools = fetcher, fonts, stylesheet
        if threading.current_thread() is threading.main_thread():
            # Let go before the interpreter shuts down: the font configuration removes its folder of font
            # files when it goes, which at shutdown (modules already torn down) printed a TypeError under
            # every command that printed a paper. Another thread's tools go with the thread.
            atexit.register(_printing.__dict__.pop, "tools", None)
    return _printing.tools


def document_pdf(html: str) -> bytes:
    """An official paper (a template extending print/document.html) as PDF, in the shipped typeface."""
    # Imported here: loading Pango costs time every other page can skip.
    from weasyprint import HTML

    fetcher, fonts, stylesheet = _printing_tools()
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet], font_config=fonts)


NUMBER_FORMATS = {Unit.COUNT: "#,##0", Unit.VND: "#,##0", Unit.PERCENT: "0.0", Unit.RATIO: "0.0"}


def _sheet(
    workbook: Workbook, title: str, header: list[str], rows: list[list], formats: list[str | None]
) -> None:
    # Write-only sheets stream their rows: several times faster than the default for thousands of cells.
    sheet = workbook.create_sheet(title)
    for column, text in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(10, min(len(text) + 2, 50))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_cell(sheet, text, font=bold) for text in header])
    for row in rows:
        sheet.append(
            [
                _cell(sheet, value, number_format=number_format)
                for value, number_format in zip(row, formats, strict=True)
            ]
        )


def _cell(sheet, value, *, font: Font | None = None, number_format: str | None = None) -> WriteOnlyCell:
    # Club and commune names are free text: every cell through the formula guard of every spreadsheet we
    # write (sheets.formula_guard; issue 15: a club named =HYPERLINK(…) came back as a live formula).
    return safe_cell(sheet, value, font=font, number_format=number_format)


def report_xlsx(report: ProgressReport) -> bytes:
    """One sheet per table; numbers stay numbers (formatted, never text)."""
    workbook = Workbook(write_only=True)
    by_code = {indicator.code: indicator for indicator in CATALOGUE}

    _sheet(
        workbook,
        "Chỉ số",
        ["Mã", "Chỉ số", "Indicator", "Đơn vị", "Giá trị"],
        [[i.code, i.name_vi, i.name_en, i.unit, value] for i, value in report.indicator_rows],
        [None, None, None, None, None],
    )
    _sheet(
        workbook,
        "Chỉ tiêu",
        ["Mã", "Chỉ tiêu", "So sánh", "Giá trị", "Giá trị tối đa", "Hạn", "Thực hiện", "% chỉ tiêu", "Đánh giá",
         "Dự báo đến hạn", "Dự báo đánh giá"],
        [
            [row.indicator.code, row.label, row.target.get_comparison_display(), row.value, row.value_max,
             row.deadline, row.actual, row.pct_of_target, row.status_label, row.projection,
             row.projected_status_label]
            for row in report.targets
        ],
        [None, None, None, None, None, "DD/MM/YYYY", None, "0.0", None, None, None],
    )  # fmt: skip
    codes = BREAKDOWN_CODES
    formats = [None, None] + [NUMBER_FORMATS[by_code[code].unit] for code in codes]
    _sheet(
        workbook,
        "Theo xã",
        ["Mã xã", "Xã, phường"] + [by_code[code].name_vi for code in codes],
        [
            [commune.code, commune.name] + [values[code] for code in codes]
            for commune, values in report.communes
        ],
        formats,
    )
    if report.clubs is not None:
        codes = CLUB_CODES
        _sheet(
            workbook,
            "Theo CLB",
            ["Mã CLB", "Tên CLB", "Xã, phường"] + [by_code[code].name_vi for code in codes],
            [
                [club.code, club.name, club.commune.name] + [values[code] for code in codes]
                for club, values in report.clubs
            ],
            [None, None, None] + [NUMBER_FORMATS[by_code[code].unit] for code in codes],
        )
    if report.provinces is not None:
        codes = BREAKDOWN_CODES
        _sheet(
            workbook,
            "Toàn quốc",
            ["Mã tỉnh", "Tỉnh, thành phố"] + [by_code[code].name_vi for code in codes],
            [[p.code, p.name] + [values[code] for code in codes] for p, values in report.provinces],
            formats,
        )
    _sheet(
        workbook,
        "Theo thời gian",
        ["Ngày", "Số CLB", "Số thành viên"],
        [[day, clubs, members] for day, clubs, members in report.series],
        ["DD/MM/YYYY", "#,##0", "#,##0"],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
