"""Login hardening and security headers."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_repeated_failed_logins_lock_the_account_out(client, staff):
    url = reverse("login")
    for _attempt in range(4):
        response = client.post(url, {"username": staff.username, "password": "wrong-password"})
        assert response.status_code == 200
    assert client.post(url, {"username": staff.username, "password": "wrong-password"}).status_code == 429
    response = client.post(url, {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, staff):
    url = reverse("login")
    for _attempt in range(4):
        client.post(url, {"username": staff.username, "password": "wrong-password"})
    assert client.post(url, {"username": staff.username, "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    for _attempt in range(4):
        client.post(url, {"username": staff.username, "password": "wrong-password"})
    assert client.post(url, {"username": staff.username, "password": PASSWORD}).status_code == 302


def test_pages_carry_a_content_security_policy(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_pages_have_no_inline_scripts(client_for, admin_user):
    page = client_for(admin_user).get(reverse("home")).content.decode()
    assert "<script>" not in page
    assert " onchange=" not in page and " onclick=" not in page


def test_weak_passwords_are_refused_when_changing_password(client_for, staff):
    response = client_for(staff).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


@override_settings(SESSION_COOKIE_AGE=8 * 3600)
def test_sessions_expire(client, staff):
    client.post(reverse("login"), {"username": staff.username, "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()
    assert 0 < client.session.get_expiry_age() <= 8 * 3600
