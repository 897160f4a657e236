"""Writing spreadsheets: exports (xlsx, csv), the downloadable templates, the error workbook.

Every cell goes through the one formula guard (sheets.formula_guard): text that starts like a
formula is a quoted string cell in xlsx, and gets a leading apostrophe in csv.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from clubs.models import BoardRole
from funds.models import FundKind, Purpose, Source
from members.ethnicity import ETHNIC_GROUPS
from members.models import Household, Sex
from places.models import Province
from sheets.columns import COLUMNS, EXPORT_ONLY
from sheets.formula_guard import csv_text, guard_cell
from sheets.kinds import KINDS
from sheets.layout import find_layout
from sheets.reading import SheetRefused, read_sheets
from sheets.xlsx_stream import write_xlsx

DATE_FORMAT = "DD/MM/YYYY"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9EAD3")
_ERROR_FILL = PatternFill("solid", fgColor="F4CCCC")


def safe_cell(sheet, value: object, *, font=None, fill=None, number_format: str | None = None):
    """A cell of a write-only openpyxl sheet (error workbooks here, the report xlsx in reports.exports),
    through the formula guard: text that starts like a formula is stored as text, never evaluated."""
    cell = guard_cell(WriteOnlyCell(sheet, value))
    if number_format and value is not None:
        cell.number_format = number_format
    if isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]], *, widths=None) -> bytes:
    """One sheet, a bold frozen header row, then the rows, streamed (sheets.xlsx_stream)."""
    widths = {header: (widths or {}).get(header, max(12, len(header) + 4)) for header in headers}
    return write_xlsx(title, headers, rows, widths=widths)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM, so that Excel opens Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_text(header) for header in headers])
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# ------------------------------------------------------------------------------------ templates

# The example row of each template (column key → text). An import passes over a row equal to it.
EXAMPLES: dict[str, dict[str, str]] = {
    "clubs": {
        "club_code": "VD-LCH-001", "name": "CLB LTHTGN bản Nà Cóc", "province": "Lai Châu",
        "commune": "Xã Tân Uyên", "legacy_commune": "", "legacy_district": "", "villages": "Bản Nà Cóc, bản Nà Bó",
        "decision_number": "25/QĐ-UBND", "decision_date": "10/03/2018", "launched_on": "15/03/2018",
    },
    "members": {
        "row_number": "1", "full_name": "Lường Thị Chơ", "birth_year": "1952", "birth_date": "", "sex": "Nữ",
        "ethnicity": "Thái", "household": "Hộ nghèo", "village": "Bản Nà Cóc", "citizen_id": "012345678901",
        "phone": "0912345678", "joined_on": "19/05/2018", "board_role": "Chủ nhiệm", "is_volunteer": "x",
        "has_health_insurance": "x", "club_code": "VD-LCH-001",
    },
    "loans": {
        "club_code": "VD-LCH-001", "full_name": "Lường Thị Chơ", "birth_year": "1952", "citizen_id": "012345678901",
        "disbursed_on": "01/06/2025", "principal": "5.000.000", "term_months": "12", "interest_rate": "0,5%/tháng",
        "purpose": "Chăn nuôi", "outstanding": "3.000.000",
    },
    "contributions": {
        "club_code": "VD-LCH-001", "fund": "Quỹ tăng thu nhập", "entry_date": "15/03/2018", "amount": "100.000.000",
        "source": "Ngân sách nhà nước, tỉnh hỗ trợ", "note": "Tỉnh hỗ trợ vốn ban đầu", "entry_kind": "",
    },
}  # fmt: skip

_INSTRUCTIONS = {
    "clubs": [
        "Mỗi dòng một CLB. Mã CLB là mã ổn định, không trùng; nhập lại cùng mã sẽ cập nhật CLB đó.",
        "Địa chỉ: ghi Tỉnh và Xã/Phường hiện nay (sau 1/7/2025); hoặc ghi Xã/Phường cũ và Huyện cũ như trong "
        "quyết định thành lập. Nếu xã cũ đã bị chia cho nhiều xã mới, ghi thêm Xã/Phường hiện nay.",
        "Ngày ra mắt để trống nếu CLB chưa ra mắt. Ngày viết dạng dd/mm/yyyy.",
    ],
    "members": [
        "Mỗi dòng một thành viên. Cần ít nhất: Họ và tên, Năm sinh (hoặc Ngày sinh), Giới tính, Mã CLB "
        "(hoặc chọn một CLB cho cả tệp khi nhập).",
        "Thành viên đã có được nhận ra theo Số CCCD, nếu không có thì theo CLB + họ tên + năm sinh: nhập lại "
        "cùng tệp không tạo người trùng.",
        "Hoàn cảnh gia đình: Hộ nghèo (HN), Hộ cận nghèo (CN), Khó khăn, Không. Ô để trống không xóa thông tin đã có.",
        "Tình nguyện viên, Thẻ BHYT: đánh dấu x nếu có.",
    ],
    "loans": [
        "Dùng khi CLB bắt đầu quản lý trên hệ thống: mỗi dòng một khoản vay đang còn nợ.",
        "Người vay phải là thành viên đã có của CLB (nhập danh sách thành viên trước).",
        "Dư nợ: số tiền gốc còn nợ hôm nay; để trống nếu chưa trả đồng gốc nào.",
        "Lãi suất: ví dụ 0,5%/tháng hoặc 6%/năm; ghi số không kèm đơn vị là %/tháng.",
    ],
    "contributions": [
        "Mỗi dòng một khoản đóng góp, hỗ trợ vào quỹ của CLB.",
        "Hai khoản cùng ngày, cùng số tiền, cùng nguồn thì ghi rõ ở cột Ghi chú để phân biệt.",
    ],
}

_COMMON_INSTRUCTIONS = [
    "Giữ nguyên dòng tiêu đề. Dòng 2 là ví dụ: có thể xóa; nếu để nguyên, khi nhập sẽ được bỏ qua.",
    "Có thể dùng bảng tính sẵn có (có dòng tiêu đề đề tên tổ chức, dòng tổng cộng, chữ ký…): hệ thống tự tìm "
    "dòng tiêu đề. Tên cột được nhận ra không phân biệt hoa thường, có dấu hay không dấu.",
    "Tệp .xlsx, .xls, .ods hoặc .csv, tối đa 20 MB và 200.000 dòng. Chữ gõ bằng TCVN3 (.VnTime) hoặc VNI được "
    "tự chuyển sang Unicode.",
    "Tệp có dòng lỗi thì không dòng nào được ghi: tải tệp báo lỗi về, sửa rồi tải lên lại.",
]


def _choices_for(kind: str) -> dict[str, list[str]]:
    lists = {
        "sex": [str(label) for label in Sex.labels],
        "ethnicity": [name for _code, name in ETHNIC_GROUPS],
        "household": [str(label) for label in Household.labels],
        "board_role": [str(label) for label in BoardRole.labels],
        "is_volunteer": ["x"],
        "has_health_insurance": ["x"],
        "fund": [str(label) for label in FundKind.labels],
        "source": [str(label) for label in Source.labels],
        "purpose": [str(label) for label in Purpose.labels],
        "province": [p.short_name for p in Province.objects.all()],
    }
    return {key: values for key, values in lists.items() if any(c.key == key for c in COLUMNS[kind])}


def template_bytes(kind: str) -> bytes:
    """The template: headers, drop-down lists for coded columns, an example row, instructions."""
    columns = [c for c in COLUMNS[kind] if c.key not in EXPORT_ONLY]
    workbook = Workbook()
    data = workbook.active
    data.title = _("Dữ liệu")
    lists = workbook.create_sheet(_("Danh mục"))
    guide = workbook.create_sheet(_("Hướng dẫn"))
    for index, column in enumerate(columns, start=1):
        cell = data.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        example = EXAMPLES[kind].get(column.key, "")
        example_cell = data.cell(row=2, column=index, value=example)
        example_cell.number_format = "@"  # text: keeps leading zeros of IDs and phone numbers
        example_cell.font = Font(italic=True, color="666666")
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(14, len(column.header) + 4)
        if column.key in ("citizen_id", "phone"):
            for row in range(3, 1003):
                data.cell(row=row, column=index).number_format = "@"
    data.freeze_panes = "A2"
    for list_index, (key, values) in enumerate(_choices_for(kind).items(), start=1):
        letter = get_column_letter(list_index)
        lists.cell(row=1, column=list_index, value=key)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=list_index, value=value)
        target = get_column_letter(next(i for i, c in enumerate(columns, start=1) if c.key == key))
        validation = DataValidation(
            type="list",
            formula1=f"'{lists.title}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=key not in ("purpose", "source"),
            errorTitle=_("Giá trị không có trong danh mục"),
            error=_("Hãy chọn trong danh sách."),
        )
        validation.add(f"{target}2:{target}5000")
        data.add_data_validation(validation)
    lists.sheet_state = "hidden"
    guide.column_dimensions["A"].width = 110
    guide.cell(row=1, column=1, value=_("Hướng dẫn nhập")).font = Font(bold=True, size=13)
    for row, line in enumerate([*_INSTRUCTIONS[kind], *_COMMON_INSTRUCTIONS], start=3):
        guide.cell(row=row, column=1, value=f"• {line}").alignment = Alignment(wrap_text=True)
    row += 2
    guide.cell(row=row, column=1, value=_("Các cột")).font = _BOLD
    for column in columns:
        row += 1
        required = _(" (bắt buộc)") if column.required else ""
        guide.cell(row=row, column=1, value=f"{column.header}{required}")
    for sheet in workbook.worksheets:  # the lists hold names from the database (provinces)
        for cells in sheet.iter_rows():
            for cell in cells:
                guard_cell(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------- error workbook


def error_workbook_bytes(kind: str, path, errors: Iterable) -> bytes:
    """The original rows of the table with a last column “Lỗi”: fix them and upload the file again."""
    by_row: dict[int, list[str]] = {}
    general: list[str] = []
    for issue in errors:
        message = f"{issue.column}: {issue.message}" if issue.column else issue.message
        (by_row.setdefault(issue.row, []) if issue.row else general).append(message)
    layout = None
    try:
        for grid in read_sheets(path):
            layout = find_layout(grid, COLUMNS[kind], required_any=_required(kind))
            if layout is not None:
                break
    except (SheetRefused, OSError):
        layout = None  # the file is gone or unreadable: the messages alone
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cần sửa"))
    if layout is None:
        sheet.append([safe_cell(sheet, _("Dòng"), font=_BOLD), safe_cell(sheet, _("Lỗi"), font=_BOLD)])
        for row_number, messages in sorted(by_row.items()):
            sheet.append([row_number, safe_cell(sheet, "; ".join(messages))])
        for message in general:
            sheet.append(["", safe_cell(sheet, message)])
    else:
        grid = layout.grid
        width = max((len(r) for r in grid.rows[layout.header_row : layout.header_row + 2]), default=0)
        headers = [layout.headers.get(j) or _header_text(grid, layout, j) for j in range(width)]
        sheet.append([safe_cell(sheet, h, font=_BOLD, fill=_HEADER_FILL) for h in [*headers, _("Lỗi")]])
        for index in range(layout.data_start, len(grid.rows)):
            row = list(grid.rows[index][:width]) + [""] * (width - len(grid.rows[index][:width]))
            messages = by_row.get(index + 1, [])
            if not messages and all(value in ("", None) for value in row):
                continue
            fill = _ERROR_FILL if messages else None
            sheet.append([safe_cell(sheet, v, fill=fill) for v in [*row, "; ".join(messages)]])
        if general:
            sheet.append([])
            for message in general:
                sheet.append([safe_cell(sheet, message, font=_BOLD)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_text(grid, layout, j: int) -> str:
    parts = []
    for r in range(layout.header_row, layout.data_start):
        row = grid.rows[r]
        value = row[j] if j < len(row) else ""
        if value not in ("", None) and str(value) not in parts:
            parts.append(str(value))
    return " ".join(parts)


def _required(kind: str):
    return KINDS[kind].REQUIRED_ANY
