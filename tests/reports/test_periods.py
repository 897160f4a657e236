"""Named reporting periods (reports/periods.py) and the report command's --period and --commune."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.periods import NamedPeriod, PeriodNameError, due_period, parse_period
from tests.conftest import TAN_UYEN
from tests.reports.conftest import ON

D = datetime.date


@pytest.mark.parametrize(
    ("text", "start", "end", "title"),
    [
        ("2026", D(2026, 1, 1), D(2026, 12, 31), "Báo cáo tổng kết năm 2026"),
        ("2026-H1", D(2026, 1, 1), D(2026, 6, 30), "Báo cáo sơ kết 6 tháng đầu năm 2026"),
        ("2026-h2", D(2026, 7, 1), D(2026, 12, 31), "Báo cáo 6 tháng cuối năm 2026"),
        ("2026-Q3", D(2026, 7, 1), D(2026, 9, 30), "Báo cáo quý III năm 2026"),
        ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31), "Báo cáo quý I năm 2024"),
        ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31), "Báo cáo quý IV năm 2026"),
    ],
)
def test_a_named_period_has_its_dates_and_title(text, start, end, title):
    period = parse_period(text)
    assert (period.start, period.end, period.title) == (start, end, title)
    assert parse_period(period.label) == period


@pytest.mark.parametrize("text", ["", "26", "2026-Q5", "2026-H3", "2026-Q0", "2026-M1", "1999", "2026 H1", "abc"])
def test_a_bad_period_name_is_refused_in_vietnamese(text):
    with pytest.raises(PeriodNameError, match="Kỳ báo cáo|Năm của kỳ"):
        parse_period(text)


def test_deadlines_and_the_window_come_from_the_settings(settings):
    settings.REPORT_DEADLINE_DAYS = {"quarter": 10, "half": 15, "year": 20}
    settings.REPORT_SUBMIT_WINDOW_DAYS = 5
    assert parse_period("2026-H1").deadline() == D(2026, 7, 15)
    assert parse_period("2026").deadline() == D(2027, 1, 20)
    assert parse_period("2026-H1").opens_on() == D(2026, 6, 25)
    assert due_period("half", D(2026, 6, 24)) == NamedPeriod(2025, "half", 2)
    assert due_period("half", D(2026, 6, 25)) == NamedPeriod(2026, "half", 1)


def run(tmp_path, *args, fmt="json"):
    output = tmp_path / f"report.{fmt}"
    call_command("report", *args, "--format", fmt, "--output", str(output), stdout=io.StringIO())
    return output


@pytest.mark.django_db
def test_the_command_with_a_period_names_it_in_the_json(dataset, tmp_path):
    data = json.loads(run(tmp_path, "--province", "12", "--period", "2026-Q1").read_text())
    assert data["scope"]["kind"] == "province"
    assert data["as_of"] == "2026-03-31"
    assert data["period"] == {
        "from": "2026-01-01",
        "to": "2026-03-31",
        "name": "2026-Q1",
        "title": "Báo cáo quý I năm 2026",
    }
    # B (05/01) and C (10/02) were decided in the quarter.
    assert data["indicators"]["clubs_new_in_period"]["value"] == 2


@pytest.mark.django_db
def test_the_commune_report_from_the_command(dataset, tmp_path, tan_uyen):
    data = json.loads(run(tmp_path, "--commune", str(TAN_UYEN), "--period", "2026-H1").read_text())
    assert data["scope"]["kind"] == "commune"
    assert data["scope"]["commune_code"] == TAN_UYEN
    assert data["scope"]["name"] == tan_uyen.name
    assert data["period"]["title"] == "Báo cáo sơ kết 6 tháng đầu năm 2026"
    # Tân Uyên holds clubs A and C only; one section each.
    assert [club["code"] for club in data["clubs"]] == ["A", "C"]
    assert data["indicators"]["clubs_total"]["value"] == 2
    # Each club's section carries the plans' per-member figures too (issue 16). A on 30/06/2026: m1's card
    # has no expiry, m3's ran out on 15/03; m2 (near-poor) and m3 borrowed in January and still owe.
    a = data["clubs"][0]["indicators"]
    assert (a["members_health_insured"], a["borrowers_total"], a["borrowers_poor_near_poor"]) == (1, 2, 1)
    assert a["members_borrowed_in_period"] == 2
    assert data["indicators"]["members_borrowed_in_period"]["value"] == 2


@pytest.mark.django_db
def test_the_commune_report_prints_one_section_per_club_and_no_annex(dataset, tmp_path, tan_uyen):
    html = run(tmp_path, "--commune", str(TAN_UYEN), "--as-of", ON.isoformat(), fmt="html").read_text()
    assert html.count('class="club-section"') == 2
    assert 'id="clubs-annex"' not in html
    pdf = run(tmp_path, "--commune", str(TAN_UYEN), "--period", "2026", fmt="pdf")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert tan_uyen.name.upper() in text
    assert "BÁO CÁO TỔNG KẾT NĂM 2026" in text
    sheet = load_workbook(run(tmp_path, "--commune", str(TAN_UYEN), "--period", "2026", fmt="xlsx"))
    assert "Chỉ số" in sheet.sheetnames


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--commune", "999999"], "Không có xã, phường nào mã 999999"),
        (["--province", "99"], "Không có tỉnh, thành phố nào mã 99"),
        (["--national", "--period", "2026-Q9"], "Kỳ báo cáo không hợp lệ"),
        (["--national", "--period", "2026", "--as-of", "2026-03-01"], "không ghi thêm --as-of"),
        (["--national", "--from", "2026-03-01", "--to", "2026-01-01"], "Ngày --to trước ngày --from"),
        (["--national", "--as-of", "01/03/2026"], "không phải một ngày có thật"),
    ],
)
def test_bad_input_gives_a_vietnamese_error(dataset, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, *args)
    assert not (tmp_path / "report.json").exists()
