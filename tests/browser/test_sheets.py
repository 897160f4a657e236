"""Importing a member sheet in the browser: the preview writes nothing, the confirmation writes the rows."""

import pytest
from django.urls import reverse

from members.models import Member
from sheets.models import ImportJob, JobStatus
from tests.browser.conftest import check_page, log_in
from tests.conftest import PASSWORD
from tests.sheets.builders import header_merges, office_sheet_rows, write_xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_import_a_member_sheet_through_preview_and_confirm(page, staff, club, settings, tmp_path):
    """Issue 17: the commune staff who hold the sheet import it, choosing the club from their list."""
    settings.MEDIA_ROOT = tmp_path / "media"
    sheet = write_xlsx(tmp_path / "Danh sách Nà Cóc.xlsx", office_sheet_rows(), merges=header_merges())
    log_in(page, staff.username, PASSWORD)
    page.goto(f"{page.base_url}{reverse('sheets:upload')}")
    check_page(page, "import")
    page.get_by_label("Loại dữ liệu").select_option(label="Danh sách thành viên")
    page.get_by_label("Tệp bảng tính").set_input_files(sheet)
    page.get_by_label("CLB cho cả tệp").select_option(label=f"{club.name} ({club.code})")
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    confirm = page.get_by_role("button", name="Xác nhận ghi: 5 thêm mới, 0 cập nhật")
    confirm.wait_for()
    assert ImportJob.objects.get().status == JobStatus.READY
    assert not Member.objects.exists()  # the preview writes nothing
    # The rows as understood: the year under "Nữ" read as a woman born in 1952, "HN" as a poor household.
    first = page.locator("#rows-understood tbody tr").first
    assert first.locator("td").all_text_contents()[:6] == [
        "8",
        "Lường Thị Chơ",
        "1952",
        "Nữ",
        "Hộ nghèo",
        club.code,
    ]
    check_page(page, "import-preview")

    confirm.click()
    page.get_by_role("alert").get_by_text("Đã ghi dữ liệu vào hệ thống.").wait_for()
    assert ImportJob.objects.get().status == JobStatus.DONE
    assert set(Member.objects.filter(club=club).values_list("full_name", flat=True)) == {
        "Lường Thị Chơ",
        "Giàng A Páo",
        "Nguyễn Thị Hoa",
        "Tẩn Thị Vân",
        "Vàng Văn Khiêm",
    }
    assert Member.objects.get(full_name="Lường Thị Chơ").citizen_id == "012345678901"
