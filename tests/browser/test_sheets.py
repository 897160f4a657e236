"""Importing a member sheet in the browser: the preview writes nothing, the confirmation writes the rows."""

import pytest
from django.urls import reverse

from members.models import Member
from sheets.models import ImportJob, JobStatus
from tests.browser.conftest import check_page, log_in
from tests.conftest import PASSWORD
from tests.sheets.builders import header_merges, office_sheet_rows, write_xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_import_a_member_sheet_through_preview_and_confirm(page, admin_user, club, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sheet = write_xlsx(tmp_path / "Danh sách Nà Cóc.xlsx", office_sheet_rows(), merges=header_merges())
    log_in(page, admin_user.username, PASSWORD)
    page.goto(f"{page.base_url}{reverse('sheets:upload')}")
    check_page(page, "import")
    page.get_by_label("Loại dữ liệu").select_option(label="Danh sách thành viên")
    page.get_by_label("Tệp bảng tính").set_input_files(sheet)
    page.get_by_label("Mã CLB cho cả tệp").fill(club.code)
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    confirm = page.get_by_role("button", name="Xác nhận ghi: 5 thêm mới, 0 cập nhật")
    confirm.wait_for()
    assert ImportJob.objects.get().status == JobStatus.READY
    assert not Member.objects.exists()  # the preview writes nothing
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
