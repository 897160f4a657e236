import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.models import Plan, Target
from tests.reports.conftest import ON

pytestmark = pytest.mark.django_db
D = datetime.date


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


def report_json(tmp_path, *args) -> dict:
    output = tmp_path / "report.json"
    call_command("report", *args, "--as-of", ON.isoformat(), "--format", "json", "--output", str(output),
                 stdout=io.StringIO())  # fmt: skip
    return json.loads(output.read_text())


def test_the_report_command_measures_against_the_plan_given(dataset, tmp_path, lai_chau, thanh_hoa):
    running = Plan.objects.create(
        province=lai_chau, name="Đang chạy", start=D(2026, 1, 1), end=D(2026, 12, 31)
    )
    Target.objects.create(plan=running, indicator="members_total", value=20)
    earlier = Plan.objects.create(
        province=lai_chau, name="Trước đó", start=D(2024, 1, 1), end=D(2025, 12, 31)
    )
    Target.objects.create(plan=earlier, indicator="clubs_new_in_period", value=1)
    Target.objects.create(
        plan=earlier, indicator="members_older_pct", comparison="between", value=60, value_max=70
    )
    other = Plan.objects.create(
        province=thanh_hoa, name="Thanh Hóa", start=D(2021, 1, 1), end=D(2026, 12, 31)
    )

    data = report_json(tmp_path, "--province", "12")
    assert data["scope"]["plan"]["id"] == running.pk
    assert [row["indicator"] for row in data["targets"]] == ["members_total"]

    data = report_json(tmp_path, "--province", "12", "--plan", str(earlier.pk))
    assert (data["scope"]["plan"]["id"], data["scope"]["plan"]["name"]) == (earlier.pk, "Trước đó")
    # Judged at the plan's end: A and F founded in 2024; 4 of the 8 members then were 60 or over (m1, m7,
    # m11, m8: m2 turns 60 in March 2026).
    assert [(row["indicator"], row["actual"], row["status"]) for row in data["targets"]] == [
        ("clubs_new_in_period", 2, "exceeded"),
        ("members_older_pct", 50.0, "not_met"),
    ]
    with pytest.raises(CommandError, match="Không có đề án"):
        report_json(tmp_path, "--province", "12", "--plan", str(other.pk))


def test_the_report_command_counts_events_over_the_period_given(dataset, tmp_path):
    data = report_json(tmp_path, "--province", "12", "--from", "2026-02-01", "--to", "2026-03-15")
    assert data["period"] == {"from": "2026-02-01", "to": "2026-03-15"}
    values = {code: data["indicators"][code]["value"] for code in data["indicators"]}
    assert values["clubs_new_in_period"] == 1  # C (B was decided on 05/01)
    assert values["members_new_in_period"] == 2  # m6 (joined 01/02, the first day), m9 (m3 joined in January)
    assert values["loans_disbursed_in_period_vnd"] == 3_000_000  # m6's loan
    assert values["members_total"] == 9  # stocks are read on the date, whatever the period
    data = report_json(tmp_path, "--province", "12", "--from", "2026-02-01")
    assert data["period"] == {"from": "2026-02-01", "to": "2026-03-15"}  # to the date of the figures
    with pytest.raises(CommandError, match="trước ngày --from"):
        report_json(tmp_path, "--province", "12", "--from", "2026-03-01", "--to", "2026-02-01")


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
