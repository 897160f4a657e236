"""The site shell: login in Vietnamese, home pages, navigation per role, language switch, our own Bootstrap,
health check, deploy settings."""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import OperationalError, connection
from django.urls import reverse

from devdata.demo_accounts import DEMO_PASSWORD, DEMO_USERS, demo_users_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert client.get("/healthz").status_code == 200  # and back once the database answers


class _Assets(HTMLParser):
    """The stylesheets and scripts a page loads."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def test_bootstrap_is_served_from_our_own_static_files(client):
    assets = _Assets()
    assets.feed(client.get(reverse("login")).content.decode())
    assert f"{settings.STATIC_URL}bootstrap/css/bootstrap.min.css" in assets.urls
    assert f"{settings.STATIC_URL}bootstrap/js/bootstrap.bundle.min.js" in assets.urls
    assert all(url.startswith(settings.STATIC_URL) for url in assets.urls), assets.urls
    # From the installed package (django-bootstrap-static), not a copy in the repository's static/.
    for path in ("bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js"):
        found = Path(finders.find(path))
        assert ROOT / "static" not in found.parents, found
        assert "site-packages" in found.parts, found


# A stylesheet or script tag loading from another site (http://, https:// or protocol-relative //).
_REMOTE_ASSET = re.compile(
    r"<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE
)


def test_no_template_loads_css_or_js_from_another_site():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert len(templates) > 50
    remote = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        for match in _REMOTE_ASSET.finditer(path.read_text(encoding="utf-8"))
    ]
    assert remote == []
    # The pattern does catch a CDN link.
    assert _REMOTE_ASSET.search('<script src="https://cdn.jsdelivr.net/npm/bootstrap.js"></script>')
    assert _REMOTE_ASSET.search("<link rel=stylesheet href='//cdn.example/b.css'>")


def test_the_login_page_is_in_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="vi"' in page
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
    assert '<html lang="en"' in page
    assert "Log out" in page


def _nav_links(page: str) -> set[str]:
    """The URLs the main navigation bar links to."""
    nav = page.split('<nav class="navbar', 1)[1].split("</nav>", 1)[0]
    return set(re.findall(r'href="(/[^"#]*)"', nav))


_EVERYONE = {"home", "clubs:commune-list", "password_change"}
_WITH_AN_AREA = {
    "clubs:club-list",
    "members:member-list",
    "funds:loan-list",
    "life:club-overview",
    "life:referral-list",
    "life:overdue-visits",
    "reports:plan-list",
    "sheets:index",
}
_NAV = {
    "admin_user": _EVERYONE
    | _WITH_AN_AREA
    | {"reports:index", "admin:index", "life:meeting-start", "clubs:people-list"},
    "lai_chau_officer": _EVERYONE | _WITH_AN_AREA | {"reports:index", "clubs:people-list"},
    "staff": _EVERYONE | _WITH_AN_AREA | {"life:meeting-start"},
    "nobody": _EVERYONE,
}


@pytest.mark.parametrize("user", list(_NAV))
def test_the_navigation_shows_only_what_the_role_may_use(request, client_for, user):
    client = client_for(request.getfixturevalue(user))
    shown = _nav_links(client.get(reverse("home")).content.decode())
    names = {reverse(name): name for names in _NAV.values() for name in names}
    assert {names.get(url, url) for url in shown} == _NAV[user]
    for url in shown:  # each link leads to a page this user may read (officers: their province's report)
        assert client.get(url, follow=True).status_code == 200, url


def test_the_navigation_shows_anonymous_users_nothing_but_the_name(client):
    page = client.get(reverse("login")).content.decode()
    assert _nav_links(page) == {reverse("home")}  # the brand, which leads to the login page
    assert reverse("clubs:club-list") not in page


def test_navigation_shows_admin_link_only_to_admins(client_for, admin_user, staff):
    admin_url = reverse("admin:index")
    assert admin_url in client_for(admin_user).get(reverse("home")).content.decode()
    assert admin_url not in client_for(staff).get(reverse("home")).content.decode()


def test_django_admin_is_for_admins_only(client_for, admin_user, lai_chau_officer):
    assert client_for(admin_user).get(reverse("admin:places_commune_changelist")).status_code == 200
    assert client_for(lai_chau_officer).get(reverse("admin:places_commune_changelist")).status_code == 302


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


def _check_deploy(**production: str) -> subprocess.CompletedProcess:
    # The browser tests allow async-unsafe calls in this process; a deployment never does.
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    for name in ("SECURE_HTTPS", "SECURE_SSL_REDIRECT", "BEHIND_PROXY"):
        inherited.pop(name, None)
    env = {
        **inherited,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 64 + "-production-secret-for-the-check",
        "ALLOWED_HOSTS": "clb.example.vn",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/clb-check.sqlite3"),
        **production,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.django_db(False)
@pytest.mark.parametrize(
    "production",
    [{}, {"SECURE_SSL_REDIRECT": "0", "BEHIND_PROXY": "1"}],
    ids=["django-redirects", "the-proxy-redirects"],
)
def test_production_settings_pass_check_deploy(production):
    result = _check_deploy(**production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db(False)
def test_no_redirect_to_https_and_no_proxy_is_warned_about():
    result = _check_deploy(SECURE_SSL_REDIRECT="0")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


def test_vietnamese_is_the_default_whatever_the_browser_asks(client, staff):
    client.force_login(staff)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi"' in page
