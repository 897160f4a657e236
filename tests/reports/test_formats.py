import datetime
import io
import json
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.catalogue import BY_CODE, CATALOGUE, Unit
from reports.exports import report_json, report_pdf, report_xlsx
from reports.formatting import figure
from reports.models import Comparison, Plan, Target
from reports.progress import Status, build_report
from reports.scope import Scope
from tests.reports.conftest import LAI_CHAU_EXPECTED, ON

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def report(dataset, lai_chau):
    plan = Plan.objects.create(
        province=lai_chau,
        name="Đề án nhân rộng mô hình CLB tỉnh Lai Châu",
        decision_number="307/QĐ-UBND",
        start=D(2026, 1, 1),
        end=D(2026, 12, 31),
    )
    Target.objects.create(plan=plan, indicator="clubs_new_in_period", value=1)
    Target.objects.create(plan=plan, indicator="members_total", value=20)
    Target.objects.create(
        plan=plan, indicator="members_women_pct", comparison=Comparison.BETWEEN, value=60, value_max=70
    )
    return build_report(
        Scope(province=lai_chau), ON, plan=plan, with_clubs=True, document_date=D(2026, 3, 20)
    )


def _pdf_text(content: bytes) -> tuple[list[str], str]:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    return pages, "\n".join(pages)


def test_the_pdf_has_the_official_header_the_narrative_and_the_figures(report):
    pages, text = _pdf_text(report_pdf(report))
    assert len(pages) <= 10
    for words in [
        "HỘI NGƯỜI CAO TUỔI TỈNH LAI CHÂU",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lai Châu, ngày 20 tháng 3 năm 2026",
        "BÁO CÁO",
        "toàn tỉnh có 4 CLB Liên thế hệ tự giúp nhau",
        "1 CLB có quyết định thành lập nhưng chưa ra mắt",
        "Nơi nhận:",
        "vượt",
    ]:
        assert words in " ".join(text.split()), words
    # Page numbers at the top from page 2 on.
    # (the extractor puts the margin box first or last)
    assert len(pages) > 1
    assert "2" in (pages[1].split()[0], pages[1].split()[-1])
    assert "1" not in (pages[0].split()[0], pages[0].split()[-1])


def test_json_has_the_shape_of_the_issue_and_the_hand_worked_figures(report):
    data = json.loads(report_json(report))
    assert list(data) == ["scope", "as_of", "period", "indicators", "targets"]
    assert data["as_of"] == "2026-03-15"
    assert data["period"] == {"from": "2026-01-01", "to": "2026-03-15"}
    assert data["scope"]["province_code"] == 12
    for code, value in LAI_CHAU_EXPECTED.items():
        assert data["indicators"][code]["value"] == value, code
    first = data["targets"][0]
    assert {"indicator", "comparison", "target", "actual", "status"} <= set(first)
    assert (first["indicator"], first["comparison"], first["target"], first["actual"], first["status"]) == (
        "clubs_new_in_period",
        "at_least",
        1,
        2,
        "exceeded",
    )


def test_the_xlsx_reads_back_to_the_same_numbers(report):
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    assert {"Chỉ số", "Chỉ tiêu", "Theo xã", "Theo CLB", "Theo thời gian"} <= set(workbook.sheetnames)
    values = {row[0]: row[4] for row in workbook["Chỉ số"].iter_rows(min_row=2, values_only=True)}
    for code, value in LAI_CHAU_EXPECTED.items():
        assert values[code] == value, code
        assert value is None or isinstance(values[code], int | float)
    clubs = {row[0]: row for row in workbook["Theo CLB"].iter_rows(min_row=2, values_only=True)}
    assert set(clubs) == {"A", "B", "C", "F"}
    assert clubs["A"][3] == 5  # members of A
    targets = list(workbook["Chỉ tiêu"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[6]) for row in targets] == [
        ("clubs_new_in_period", 2),
        ("members_total", 9),
        ("members_women_pct", 66.7),
    ]


@pytest.fixture
def every_kind_of_target(dataset, lai_chau):
    """A plan with a target of each shape: at least, at most, between, a milestone, an area class, a target
    met, exceeded, missed, at risk and one with no figure (the national share of provinces)."""
    plan = Plan.objects.create(province=lai_chau, name="Đề án đủ loại chỉ tiêu", start=D(2025, 1, 1),
                               end=D(2026, 12, 31))  # fmt: skip
    for indicator, comparison, value, value_max, extra in [
        ("clubs_new_in_period", Comparison.AT_LEAST, 1, None, {"year": 2025}),
        ("clubs_new_in_period", Comparison.AT_LEAST, 3, None, {}),
        ("members_total", Comparison.AT_LEAST, 9, None, {}),
        ("members_women_pct", Comparison.BETWEEN, 60, 70, {}),
        ("members_per_club_avg", Comparison.BETWEEN, 50, 70, {}),
        ("fund_capital_vnd", Comparison.AT_LEAST, 100_000_000, None, {}),
        ("par30_pct", Comparison.AT_MOST, 5, None, {}),
        ("clubs_rated_weak", Comparison.AT_MOST, 0, None, {}),
        ("communes_with_club_pct", Comparison.AT_LEAST, 70, None, {"area_class": "remote"}),
        ("communes_with_club_pct", Comparison.AT_LEAST, 100, None, {"area_class": "plains"}),
        ("provinces_with_club_pct", Comparison.AT_LEAST, 95, None, {}),
    ]:
        Target.objects.create(plan=plan, indicator=indicator, comparison=comparison, value=value,
                              value_max=value_max, **extra)  # fmt: skip
    return plan


def _target_cells(row: dict) -> list[str]:
    """A JSON target row as the tables print it: target with its deadline under it, actual, % of target,
    status, projection."""
    unit = BY_CODE[row["indicator"]].unit
    if row["comparison"] == "between":
        target = f"{figure(row['target'], unit)} – {figure(row['target_max'], unit)}"
    else:
        target = ("≥ " if row["comparison"] == "at_least" else "≤ ") + figure(row["target"], unit)
    deadline = datetime.date.fromisoformat(row["deadline"]).strftime("%d/%m/%Y")
    return [
        f"{target} hạn {deadline}",
        figure(row["actual"], unit),
        figure(row["pct_of_target"], Unit.PERCENT),
        Status.labels[row["status"]],
        figure(row["projection"], unit),
    ]


def _cells(html_row: str) -> list[str]:
    return [
        unescape(re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", html_row)
    ]


def test_json_html_and_pdf_show_the_same_figures(client_for, lai_chau_officer, every_kind_of_target):
    """Every indicator of the catalogue and every target row: the JSON value, formatted the way the tables
    format it, is what the page prints and what the PDF's text says."""
    client = client_for(lai_chau_officer)
    params = {"as_of": ON.isoformat(), "plan": every_kind_of_target.pk}
    data = json.loads(client.get(reverse("reports:province-file", args=[12, "json"]), params).content)
    html = client.get(reverse("reports:province", args=[12]), params).content.decode()
    _pages, pdf_text = _pdf_text(
        client.get(reverse("reports:province-file", args=[12, "pdf"]), params).content
    )
    pdf_text = " ".join(pdf_text.split())

    assert [code for code in data["indicators"]] == [indicator.code for indicator in CATALOGUE]
    for code, entry in data["indicators"].items():
        indicator = BY_CODE[code]
        shown = figure(entry["value"], indicator.unit)
        cell = (
            f'<td data-indicator="{code}">{escape(indicator.name)}</td>'
            f'<td class="num"><span class="text-nowrap">{shown}</span></td>'
        )
        assert cell in html, code
        assert f"{indicator.name_vi} {shown}" in pdf_text, code

    table = html.split('id="targets-table"')[1].split("</table>")[0]
    # Each row carries id="target-N" too: the home's at-risk targets link to it (issue 17).
    html_rows = re.findall(r'<tr data-indicator="([a-z0-9_]+)"[^>]*>(.*?)</tr>', table, flags=re.S)
    assert [code for code, _row in html_rows] == [row["indicator"] for row in data["targets"]]
    assert len(data["targets"]) == 11
    for row, (_code, html_row) in zip(data["targets"], html_rows, strict=True):
        label, *printed = _cells(html_row)
        expected = _target_cells(row)
        # The projection cell may add "(nguy cơ không đạt)".
        assert printed[:4] == expected[:4] and printed[4].startswith(expected[4]), row
        assert " ".join([label, *expected]) in pdf_text, row
    statuses = {row["status"] for row in data["targets"]}
    assert statuses == {"met", "exceeded", "not_met", "no_data"}


def test_the_narrative_is_written_from_the_figures(report):
    text = " ".join(report.narrative)
    for words in [
        "Tính đến ngày 15/03/2026, toàn tỉnh có 4 CLB Liên thế hệ tự giúp nhau (2 CLB đã ra mắt đi vào hoạt động, "
        "1 CLB có quyết định thành lập nhưng chưa ra mắt) tại 2/38 xã, phường (5,3%) với 9 thành viên",
        "Trong đó nữ 6 người (66,7%); người cao tuổi 6 người (66,7%), người trẻ tuổi chiếm 33,3%",
        "2 người thuộc hộ nghèo, 1 người cận nghèo (33,3%), 1 người có hoàn cảnh khó khăn",
        "Ban Chủ nhiệm có 3 thành viên; 6 tình nguyện viên",
        "thành lập mới 2 CLB, thu hút 3 thành viên mới",
        "50% CLB thực hiện đủ 8 hoạt động chính",
        "Tổng vốn quỹ của các CLB đạt 155 triệu đồng, bình quân 38,8 triệu đồng/CLB; trong đó "
        "ngân sách nhà nước, tỉnh hỗ trợ 100 triệu đồng, thành viên đóng góp 25 triệu đồng, "
        "tổ chức hảo tâm ủng hộ 30 triệu đồng",
        "Dư nợ cho vay 15 triệu đồng với 3 thành viên đang vay (33,3% thành viên)",
        "Tỷ lệ dư nợ quá hạn trên 30 ngày là 40%",
        "đã đạt và vượt 2/3 chỉ tiêu",
        # The indicators the plans ask for (issue 16).
        "Người cao tuổi thuộc hộ nghèo 2 người, hộ cận nghèo 1 người; 2 thành viên có thẻ bảo hiểm y tế "
        "còn hạn (22,2%).",
        "0% CLB đạt cơ cấu thành viên theo Quyết định 1336/QĐ-TTg",
        "Trong kỳ có 3 thành viên được vay vốn; 2 thành viên hộ nghèo, cận nghèo đang vay vốn.",
        "0% CLB vừa thực hiện đủ 8 hoạt động vừa có từ 50% thành viên đang vay vốn",
    ]:
        assert words in text, words
