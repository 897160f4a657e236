"""The printed report: A4, page numbers, table headers on every page, charts, the annex by club."""

import datetime
import io
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from places.models import Commune
from reports import exports
from reports.catalogue import BY_CODE
from reports.exports import BREAKDOWN_CODES, CLUB_CODES, lists_clubs, report_pdf
from reports.models import Plan, Target
from reports.progress import build_report
from reports.scope import Scope
from tests.conftest import make_club
from tests.reports.conftest import ON

pytestmark = pytest.mark.django_db
D = datetime.date
A4 = (595, 842)  # points


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text, whitespace made single spaces (table cells wrap their words over lines)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def header(first_columns: str, codes: list[str]) -> str:
    return " ".join([first_columns, *(BY_CODE[code].name_vi for code in codes)])


@pytest.fixture
def province_at_the_annex_limit(thanh_hoa):
    """Thanh Hóa with one club in each of 150 communes: as many clubs as the annex takes, long tables."""
    assert exports.ANNEX_CLUBS_MAX == 150
    communes = Commune.objects.filter(province=thanh_hoa).order_by("code")[:150]
    for number, commune in enumerate(communes):
        make_club(commune, code=f"TH-{number:03d}", name=f"CLB LTHTGN thôn Xuân Lộc {number}")
    return thanh_hoa


def test_a_long_report_is_a4_numbered_from_page_2_with_headers_on_every_page(province_at_the_annex_limit):
    scope = Scope(province=province_at_the_annex_limit)
    assert lists_clubs("pdf", scope, ON)
    content = report_pdf(build_report(scope, ON, with_clubs=True))
    reader = PdfReader(io.BytesIO(content))
    sizes = [(round(page.mediabox.width), round(page.mediabox.height)) for page in reader.pages]
    pages = pdf_pages(content)
    # The report on portrait pages, then its two annexes (by commune, by club) on landscape ones.
    body = sizes.index(A4[::-1])
    annex_by_club = next(i for i, text in enumerate(pages) if "PHỤ LỤC II SỐ LIỆU TỪNG CLB" in text)
    assert set(sizes[:body]) == {A4} and set(sizes[body:]) == {A4[::-1]}
    assert body <= 4  # still a summary
    assert "PHỤ LỤC I TỔNG HỢP THEO XÃ, PHƯỜNG" in pages[body]
    # A landscape page holds at least 25 rows of either annex (150 rows each): no more pages than that.
    assert annex_by_club - body <= 6 and len(pages) - annex_by_club <= 6

    # Page numbers centred at the top from page 2 (the extractor puts the margin box first or last).
    assert "1" not in (pages[0].split()[0], pages[0].split()[-1])
    for number, text in enumerate(pages[1:], start=2):
        assert str(number) in (text.split()[0], text.split()[-1]), number

    # The commune table runs over several pages and each of them starts with its header.
    commune_row = re.compile(r"(Xã|Phường) [^\d]+ 1 1 0 ")  # 1 club, 1 active, no member yet
    commune_pages = [text for text in pages if commune_row.search(text)]
    assert len(commune_pages) >= 2
    for text in commune_pages:
        assert header("Xã, phường", BREAKDOWN_CODES) in text

    # So does the annex, which lists every club.
    annex_pages = [text for text in pages if "CLB LTHTGN thôn Xuân Lộc" in text]
    assert len(annex_pages) >= 3
    assert annex_pages[0] == pages[annex_by_club]
    for text in annex_pages:
        assert header("CLB Xã, phường", CLUB_CODES) in text
    listed = set(re.findall(r"TH-(\d{3}) – CLB LTHTGN thôn Xuân Lộc (\d+)", " ".join(annex_pages)))
    assert listed == {(f"{n:03d}", str(n)) for n in range(150)}


def test_which_formats_list_every_club(province_at_the_annex_limit, monkeypatch):
    scope = Scope(province=province_at_the_annex_limit)
    assert [lists_clubs(fmt, scope, ON) for fmt in ("pdf", "xlsx", "html", "json")] == [
        True,
        True,
        False,
        False,
    ]
    monkeypatch.setattr(exports, "ANNEX_CLUBS_MAX", 149)
    assert [lists_clubs(fmt, scope, ON) for fmt in ("pdf", "xlsx", "html", "json")] == [
        False,
        True,
        False,
        False,
    ]


def test_the_pdf_of_a_small_province_has_the_annex_by_club(client_for, lai_chau_officer, dataset):
    pages = pdf_pages(
        client_for(lai_chau_officer)
        .get(reverse("reports:province-file", args=[12, "pdf"]), {"as_of": ON})
        .content
    )
    annex = " ".join(pages[[i for i, text in enumerate(pages) if "PHỤ LỤC II SỐ LIỆU TỪNG CLB" in text][0] :])
    assert "(Kèm theo báo cáo; số liệu đến ngày 15/03/2026)" in annex
    assert header("CLB Xã, phường", CLUB_CODES) in annex
    # A, B, C and F exist on the date (D is dissolved, E is in Thanh Hóa); A: 5 members, 60% women…
    rows = re.findall(r"\b([A-F]) – CLB thử nghiệm \d+ (Xã T[^\d]+) (\d+) ", annex)
    assert [(code, commune, members) for code, commune, members in rows] == [
        ("B", "Xã Than Uyên", "2"),
        ("F", "Xã Than Uyên", "1"),
        ("A", "Xã Tân Uyên", "5"),
        ("C", "Xã Tân Uyên", "1"),
    ]  # by commune as the database sorts names, then by code
    assert "không in kèm" not in annex


def test_the_pdf_of_a_large_province_leaves_the_annex_out_and_says_where_the_clubs_are(
    client_for, lai_chau_officer, dataset, monkeypatch
):
    monkeypatch.setattr(exports, "ANNEX_CLUBS_MAX", 3)
    text = " ".join(
        pdf_pages(
            client_for(lai_chau_officer)
            .get(reverse("reports:province-file", args=[12, "pdf"]), {"as_of": ON})
            .content
        )
    )
    assert "PHỤ LỤC II" not in text and "SỐ LIỆU TỪNG CLB" not in text and "CLB thử nghiệm" not in text
    assert "PHỤ LỤC I TỔNG HỢP THEO XÃ, PHƯỜNG" in text  # the communes' figures stay
    assert (
        "Phụ lục số liệu từng CLB không in kèm bản tóm tắt này vì có 4 CLB (nhiều hơn 3): số liệu từng CLB "
        "có trong tệp Excel của báo cáo (trang “Theo CLB”)." in text
    )


def test_the_pdf_of_a_province_of_many_communes_leaves_the_commune_annex_out_and_says_where_they_are(
    client_for, lai_chau_officer, dataset, monkeypatch
):
    """A summary prints in a second: a long annex by commune is left to the xlsx (issue 19)."""
    monkeypatch.setattr(exports, "ANNEX_CLUBS_MAX", 3)
    monkeypatch.setattr(exports, "ANNEX_COMMUNES_MAX", 1)
    client = client_for(lai_chau_officer)
    content = client.get(reverse("reports:province-file", args=[12, "pdf"]), {"as_of": ON}).content
    text = " ".join(pdf_pages(content))
    assert "PHỤ LỤC" not in text and "Xã Than Uyên" not in text
    assert (
        "Phụ lục tổng hợp theo xã, phường không in kèm bản tóm tắt này vì có 2 xã, phường có CLB (nhiều hơn "
        "1): số liệu từng xã, phường có trong tệp Excel của báo cáo (trang “Theo xã”) và trên trang báo cáo."
        in text
    )
    assert {
        (round(p.mediabox.width), round(p.mediabox.height)) for p in PdfReader(io.BytesIO(content)).pages
    } == {A4}
    # The xlsx still lists every commune.
    xlsx = client.get(reverse("reports:province-file", args=[12, "xlsx"]), {"as_of": ON})
    assert load_workbook(io.BytesIO(xlsx.content))["Theo xã"].max_row == 3  # header + 2 communes

    # Beside the annex by club (a province of at most ANNEX_CLUBS_MAX clubs), the one by commune stays.
    monkeypatch.setattr(exports, "ANNEX_CLUBS_MAX", 150)
    text = " ".join(
        pdf_pages(client.get(reverse("reports:province-file", args=[12, "pdf"]), {"as_of": ON}).content)
    )
    assert "PHỤ LỤC I TỔNG HỢP THEO XÃ, PHƯỜNG" in text and "PHỤ LỤC II SỐ LIỆU TỪNG CLB" in text
    assert "không in kèm" not in text


@pytest.fixture
def plan_since_2024(lai_chau):
    plan = Plan.objects.create(
        province=lai_chau, name="Đề án 2024–2026", start=D(2024, 1, 1), end=D(2026, 12, 31)
    )
    Target.objects.create(plan=plan, indicator="members_total", value=20)
    Target.objects.create(plan=plan, indicator="clubs_total", value=2)
    return plan


def test_the_charts_are_drawn_on_the_server_the_same_in_the_page_and_in_the_pdf(
    client_for, lai_chau_officer, dataset, lai_chau, plan_since_2024
):
    client = client_for(lai_chau_officer)
    params = {"as_of": ON, "plan": plan_since_2024.pk}
    page = client.get(reverse("reports:province", args=[12]), params).content.decode()
    report = build_report(Scope(province=lai_chau), ON, plan=plan_since_2024)
    for chart in (report.chart_targets, report.chart_clubs, report.chart_members):
        assert chart.startswith("<svg") and chart in page
    for title in ("Thực hiện so với chỉ tiêu (%)", "Số CLB", "Số thành viên"):
        assert f"<title>{title}</title>" in page
    text = " ".join(pdf_pages(client.get(reverse("reports:province-file", args=[12, "pdf"]), params).content))
    # Year ends since the plan began, then the date: A, D, F at the end of 2024 and 2025, A, B, C, F now.
    assert "Thực hiện so với chỉ tiêu (%)" in text
    assert "Số CLB 3 2024 3 2025 4 15/03/2026" in text
    assert "Số thành viên 8 2024 8 2025 9 15/03/2026" in text


def test_a_process_that_printed_a_paper_exits_cleanly_and_leaves_no_font_files(tmp_path):
    """The font configuration is let go before the interpreter shuts down: its folder of font files is
    removed, and nothing is printed at exit (it was a TypeError under every command that printed)."""
    script = (
        "import django; django.setup()\n"
        "from reports.exports import document_pdf\n"
        "assert document_pdf('<p>Báo cáo</p>').startswith(b'%PDF')\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not list(tmp_path.glob("weasyprint-*"))
