import datetime
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.exports import report_json, report_pdf, report_xlsx
from reports.formatting import figure
from reports.indicators import BY_CODE, Scope
from reports.models import Comparison, Plan, Target
from reports.progress import build_report
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


def test_json_html_and_pdf_show_the_same_figures(report, client_for, admin_user, lai_chau):
    from django.template.loader import render_to_string

    data = json.loads(report_json(report))
    html = render_to_string("reports/_report_body.html", {"report": report, "breakdown_codes": []})
    _pages, pdf_text = _pdf_text(report_pdf(report))
    pdf_text = " ".join(pdf_text.split())
    for code in ["members_total", "members_women_pct", "members_per_club_avg", "meetings_held_pct"]:
        shown = figure(data["indicators"][code]["value"], BY_CODE[code].unit)
        assert f'<td data-indicator="{code}">{BY_CODE[code].name}</td><td class="num">{shown}</td>' in html
        assert f"{BY_CODE[code].name_vi} {shown}" in pdf_text, code


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
    ]:
        assert words in text, words
