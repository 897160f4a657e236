"""The progress report as a file: PDF (WeasyPrint), xlsx (openpyxl) and JSON."""

from __future__ import annotations

import datetime
import io
import json
import threading

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from clubs.models import Club, existing_q
from reports.catalogue import BY_CODE, CATALOGUE, Unit
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


def report_document(report: ProgressReport) -> str:
    """The printed document as HTML: what the PDF is drawn from."""
    return render_to_string(
        "reports/progress_pdf.html",
        {
            "report": report,
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
