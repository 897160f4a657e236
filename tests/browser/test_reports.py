"""The province officer's report in the browser: read it on the page, download it as a PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS, check_page, log_in
from tests.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_province_officer_download_the_report_as_pdf(page, lai_chau_officer, club):
    for name in ("Lường Thị Chơ", "Giàng A Páo", "Tẩn Thị Vân"):
        make_member(club, full_name=name)
    log_in(page, lai_chau_officer.username, PASSWORD)
    check_page(page, "home-province-officer")
    page.goto(f"{page.base_url}{reverse('reports:index')}")  # an officer of one province goes straight to it
    page.get_by_role("heading", name="Báo cáo tiến độ: Tỉnh Lai Châu").wait_for()
    check_page(page, "report")

    # The PDF is served inline and opens in Chromium's viewer, which hides the bytes from the page:
    # fetch the address the click opened with the browser's own session.
    page.get_by_role("link", name="PDF").click()
    page.wait_for_url(f"{page.base_url}{reverse('reports:province-file', args=[12, 'pdf'])}*")
    response = page.context.request.get(page.url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    content = response.body()
    assert content.startswith(b"%PDF")
    (ARTIFACTS / f"report-{page.width_name}.pdf").write_bytes(content)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    for words in ("HỘI NGƯỜI CAO TUỔI TỈNH LAI CHÂU", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO"):
        assert words in text, words
