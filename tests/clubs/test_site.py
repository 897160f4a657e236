"""The site shell: login in Vietnamese, home pages, language switch, health check, deploy settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from clubs.demo import DEMO_PASSWORD, DEMO_USERS, demo_users_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_login_page_is_in_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    assert "Mật khẩu" in page


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302


def test_logging_in_reaches_home(client, staff):
    response = client.post(reverse("login"), {"username": staff.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Xã Tân Uyên" in response.content.decode()


def test_english_can_be_chosen(client, staff):
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Log out" in page


def test_navigation_shows_admin_link_only_to_admins(client_for, admin_user, staff):
    admin_url = reverse("admin:index")
    assert admin_url in client_for(admin_user).get(reverse("home")).content.decode()
    assert admin_url not in client_for(staff).get(reverse("home")).content.decode()


def test_django_admin_is_for_admins_only(client_for, admin_user, lai_chau_officer):
    assert client_for(admin_user).get(reverse("admin:clubs_commune_changelist")).status_code == 200
    assert client_for(lai_chau_officer).get(reverse("admin:clubs_commune_changelist")).status_code == 302


def test_demo_accounts_are_created_once_and_each_reaches_home(client):
    demo_users_create()
    demo_users_create()
    from django.contrib.auth.models import User

    assert User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).count() == len(DEMO_USERS)
    for username, *_rest in DEMO_USERS:
        client.logout()
        response = client.post(
            reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.redirect_chain[-1] == (reverse("home"), 302)
        assert response.status_code == 200


def test_dates_and_numbers_use_vietnamese_formats():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        out = Template("{{ d|date:'SHORT_DATE_FORMAT' }} {{ n|floatformat:'g' }}").render(
            Context({"d": datetime.date(2026, 3, 5), "n": 1234567})
        )
    assert out == "05/03/2026 1.234.567"


@pytest.mark.django_db(False)
def test_production_settings_pass_check_deploy():
    # The browser tests allow async-unsafe calls in this process; a deployment never does.
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 64 + "-production-secret-for-the-check",
        "ALLOWED_HOSTS": "clb.example.vn",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/clb-check.sqlite3"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_vietnamese_is_the_default_whatever_the_browser_asks(client, staff):
    client.force_login(staff)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page
