import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.models import Plan, Target
from tests.reports.conftest import ON

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["json", "html", "pdf", "xlsx"])
def test_the_report_command_writes_every_format(dataset, tmp_path, fmt):
    output = tmp_path / f"report.{fmt}"
    call_command("report", "--province", "12", "--as-of", ON.isoformat(), "--format", fmt, "--output", str(output),
                 stdout=io.StringIO())  # fmt: skip
    if fmt == "json":
        assert json.loads(output.read_text())["indicators"]["members_total"]["value"] == 9
    elif fmt == "html":
        assert "toàn tỉnh có 4 CLB" in output.read_text()
    elif fmt == "pdf":
        assert "HỘI NGƯỜI CAO TUỔI" in PdfReader(output).pages[0].extract_text()
    else:
        assert load_workbook(output)["Chỉ số"].max_row > 40


def test_the_national_report_with_a_period(dataset, tmp_path):
    output = tmp_path / "national.json"
    call_command("report", "--national", "--as-of", ON.isoformat(), "--from", "2026-01-01", "--to", "2026-01-31",
                 "--format", "json", "--output", str(output), stdout=io.StringIO())  # fmt: skip
    data = json.loads(output.read_text())
    assert data["scope"]["kind"] == "national"
    assert data["period"] == {"from": "2026-01-01", "to": "2026-01-31"}
    assert data["indicators"]["clubs_new_in_period"]["value"] == 1


def test_the_report_command_prints_the_signer_when_given(dataset, tmp_path):
    output = tmp_path / "report.html"
    call_command("report", "--province", "12", "--as-of", ON.isoformat(), "--format", "html", "--output", str(output),
                 "--signer", "Nguyễn Văn Ký", stdout=io.StringIO())  # fmt: skip
    assert '<div class="signer-name"><strong>Nguyễn Văn Ký</strong></div>' in output.read_text()
    call_command("report", "--province", "12", "--as-of", ON.isoformat(), "--format", "html", "--output", str(output),
                 stdout=io.StringIO())  # fmt: skip
    assert '<div class="signer-name"><strong></strong></div>' in output.read_text()


def test_the_report_command_refuses_bad_input(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("report", "--province", "99", "--format", "json", "--output", str(tmp_path / "x"))
    with pytest.raises(CommandError):
        call_command(
            "report",
            "--national",
            "--as-of",
            "15/03/2026",
            "--format",
            "json",
            "--output",
            str(tmp_path / "x"),
        )


def test_load_plans_loads_the_real_plans_once_and_keeps_edits(db):
    call_command("load_plans", stdout=io.StringIO())
    national_2025 = Plan.objects.get(decision_number="1336/QĐ-TTg")
    assert national_2025.province is None and national_2025.end.year == 2025
    national_2035 = Plan.objects.get(decision_number="1648/QĐ-TTg")
    milestone = national_2035.targets.get(year=2030)
    assert (milestone.indicator, milestone.value) == ("clubs_new_in_period", 6000)
    assert set(national_2035.targets.values_list("area_class", flat=True)) == {"", "plains", "remote"}
    thanh_hoa = Plan.objects.get(decision_number="5133/QĐ-UBND")
    assert thanh_hoa.province.code == 38
    assert thanh_hoa.targets.get(indicator="clubs_new_in_period").value == 400
    quang_ngai = Plan.objects.get(province__code=51)
    assert quang_ngai.targets.get(indicator="clubs_new_in_period", year__isnull=True).value == 76
    assert Plan.objects.filter(province__code=12, is_demo=True).count() == 1
    count = Target.objects.count()
    Target.objects.filter(plan=thanh_hoa, indicator="clubs_new_in_period").update(value=450)
    call_command("load_plans", stdout=io.StringIO())
    assert Target.objects.count() == count
    assert thanh_hoa.targets.get(indicator="clubs_new_in_period").value == 450
