import pytest
from django.urls import reverse

from tests.browser.conftest import check_page, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_log_in_and_reach_their_home(page, staff):
    page.goto(f"{page.base_url}{reverse('login')}")
    assert page.locator("html").get_attribute("lang") == "vi"
    check_page(page, "login")
    log_in(page, staff.username, PASSWORD)
    assert page.get_by_text("Xã Tân Uyên").first.is_visible()
    check_page(page, "home-staff")


def test_a_wrong_password_is_explained_in_vietnamese(page, staff):
    page.goto(f"{page.base_url}{reverse('login')}")
    page.get_by_label("Tên đăng nhập").fill(staff.username)
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("mật khẩu chính xác").first.wait_for()
    assert page.url.endswith(reverse("login"))
