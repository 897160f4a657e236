"""The register in the browser: commune staff found a club and enrol its first member."""

import datetime

import pytest
from django.urls import reverse

from clubs.models import Club
from members.models import Household, Member, Sex
from tests.browser.conftest import check_page, log_in
from tests.conftest import LAI_CHAU, PASSWORD, TAN_UYEN

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date


def test_staff_found_a_club_and_enrol_a_member(page, staff):
    log_in(page, staff.username, PASSWORD)
    page.goto(f"{page.base_url}{reverse('clubs:club-list')}")
    check_page(page, "club-list")
    page.get_by_role("link", name="Thêm CLB").click()
    check_page(page, "club-form")
    page.get_by_label("Mã CLB").fill("lch-tu-02")
    page.get_by_label("Tên CLB").fill("CLB LTHTGN bản Nà Bó")
    page.get_by_label("Xã/phường").select_option(label="Xã Tân Uyên (Lai Châu)")
    page.get_by_label("Thôn/tổ dân phố").fill("Nà Bó, Nà Cóc")
    page.get_by_label("Xã cũ").select_option(label="Xã Trung Đồng, Huyện Tân Uyên")
    page.get_by_label("Số quyết định thành lập").fill("25/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("2025-03-10")
    page.get_by_label("Ngày ra mắt").fill("2025-04-02")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("heading", name="CLB LTHTGN bản Nà Bó").wait_for()
    club = Club.objects.get(code="LCH-TU-02")
    assert (club.name, club.commune.code, club.province.code) == ("CLB LTHTGN bản Nà Bó", TAN_UYEN, LAI_CHAU)
    assert (club.villages, club.legacy_commune.name, club.decision_number) == (
        "Nà Bó, Nà Cóc",
        "Xã Trung Đồng",
        "25/QĐ-UBND",
    )
    assert (club.decision_date, club.launched_on) == (D(2025, 3, 10), D(2025, 4, 2))
    check_page(page, "club")

    page.get_by_role("link", name="Thêm thành viên").click()
    check_page(page, "member-form")
    assert page.get_by_label("CLB").input_value() == str(club.pk)  # the club page passed it on
    page.get_by_label("Họ và tên").fill("Lường Thị Chơ")
    page.get_by_label("Năm sinh").fill("1952")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_label("Dân tộc").select_option(label="Thái")
    page.get_by_label("Hoàn cảnh gia đình").select_option(label="Hộ nghèo")
    page.get_by_label("Hoàn cảnh này tính từ ngày").fill("2025-01-01")
    page.get_by_label("Số CCCD").fill("012345678901")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Ngày tham gia").fill("2025-04-02")
    page.get_by_label("Tình nguyện viên").check()
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("heading", name="Lường Thị Chơ").wait_for()
    member = Member.objects.get()
    assert (member.club, member.birth_year, member.sex, member.get_ethnicity_display()) == (
        club,
        1952,
        Sex.FEMALE,
        "Thái",
    )
    assert (member.household, member.citizen_id, member.phone) == (
        Household.POOR,
        "012345678901",
        "0912345678",
    )
    assert (member.joined_on, member.is_volunteer) == (D(2025, 4, 2), True)
    check_page(page, "member")

    page.goto(f"{page.base_url}{reverse('members:member-list')}?club={club.pk}")
    assert page.get_by_role("link", name="Lường Thị Chơ").is_visible()
    check_page(page, "member-list")
