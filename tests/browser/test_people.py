"""People in the hierarchy in the browser (issue 16): a province officer creates commune staff, asks
before deactivating them, and the new staff member must choose a password at first login."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.browser.conftest import CONTEXT, VIEWPORTS, check_page, log_in
from tests.browser.crawl import WATCH
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "mat-khau-dau-tien-2026"
CHOSEN = "mat-khau-cua-rieng-toi-9"


def test_an_officer_creates_commune_staff_who_choose_their_password_at_first_login(
    page, lai_chau_officer, tan_uyen
):
    page.context.add_init_script(WATCH)
    log_in(page, lai_chau_officer.username, PASSWORD)
    page.goto(f"{page.base_url}{reverse('clubs:people-list')}")
    page.get_by_role("link", name="Tạo tài khoản").click()
    page.get_by_label("Tên đăng nhập").fill("xa.moi")
    page.get_by_label("Họ và tên").fill("Lò Thị Hoa")
    page.get_by_label("Xã/phường (với cán bộ xã)").select_option(label="Xã Tân Uyên (Lai Châu)")
    page.locator("#id_password1").fill(FIRST)
    page.locator("#id_password2").fill(FIRST)
    check_page(page, "person-create")
    page.get_by_role("button", name="Tạo tài khoản").click()
    page.get_by_text("Đã tạo tài khoản xa.moi").wait_for()
    check_page(page, "person-detail")

    # Deactivating asks first: answered "no", nothing happens.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Khóa tài khoản").click()
    page.wait_for_timeout(300)
    assert User.objects.get(username="xa.moi").is_active
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Khóa tài khoản").click()
    page.get_by_text("Đã khóa tài khoản xa.moi").wait_for()
    assert not User.objects.get(username="xa.moi").is_active
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Mở lại tài khoản").click()
    page.get_by_text("Đã mở lại tài khoản xa.moi").wait_for()
    assert page.evaluate("window.__problems") == []

    # The new staff member, in another browser: every page leads to the change of password first.
    context = page.context.browser.new_context(viewport=VIEWPORTS[page.width_name], **CONTEXT)
    context.add_init_script(WATCH)
    staff_page = context.new_page()
    staff_page.goto(f"{page.base_url}{reverse('login')}")
    staff_page.get_by_label("Tên đăng nhập").fill("xa.moi")
    staff_page.get_by_label("Mật khẩu").fill(FIRST)
    staff_page.get_by_role("button", name="Đăng nhập").click()
    staff_page.wait_for_url(f"{page.base_url}{reverse('password_change')}")
    staff_page.get_by_text("Mật khẩu của bạn do người khác đặt").wait_for()
    staff_page.goto(f"{page.base_url}{reverse('clubs:club-list')}")
    assert staff_page.url == f"{page.base_url}{reverse('password_change')}"
    staff_page.locator("input[name=old_password]").fill(FIRST)
    staff_page.locator("input[name=new_password1]").fill(CHOSEN)
    staff_page.locator("input[name=new_password2]").fill(CHOSEN)
    staff_page.get_by_role("button", name="Lưu mật khẩu mới").click()
    staff_page.wait_for_url(f"{page.base_url}{reverse('password_change_done')}")
    staff_page.goto(f"{page.base_url}{reverse('clubs:club-list')}")
    assert staff_page.url == f"{page.base_url}{reverse('clubs:club-list')}"
    assert staff_page.evaluate("window.__problems") == []
    context.close()


def test_the_admins_form_shows_the_place_the_chosen_role_needs(page, admin_user):
    page.context.add_init_script(WATCH)
    log_in(page, admin_user.username, PASSWORD)
    page.goto(f"{page.base_url}{reverse('clubs:person-create')}")
    province, commune = page.locator("#id_province"), page.locator("#id_commune")
    role = page.get_by_label("Vai trò")
    role.select_option("national")
    assert not province.is_visible() and not commune.is_visible()
    role.select_option("province_officer")
    assert province.is_visible() and not commune.is_visible()
    role.select_option("commune_staff")
    assert commune.is_visible() and not province.is_visible()
    check_page(page, "person-create-admin")
    assert page.evaluate("window.__problems") == []
