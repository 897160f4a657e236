"""The commune report page: who may open it (404 for others), its formats and its query count."""

import json

import pytest
from django.urls import reverse

from clubs.models import Role
from tests.conftest import TAN_UYEN, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(db):
    return make_user("trunguong", Role.NATIONAL)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_user", 200),
        ("lai_chau_officer", 200),
        ("thanh_hoa_officer", 404),
        ("staff", 200),
        ("other_staff", 404),
        ("national", 200),
        ("nobody", 404),
    ],
)
def test_who_may_open_a_commune_report(request, client_for, dataset, who, status):
    user = request.getfixturevalue(who)
    url = reverse("reports:commune", args=[TAN_UYEN])
    assert client_for(user).get(url).status_code == status
    json_url = reverse("reports:commune-file", args=[TAN_UYEN, "json"])
    assert client_for(user).get(json_url).status_code == status


def test_anonymous_users_go_to_login(client, dataset):
    assert client.get(reverse("reports:commune", args=[TAN_UYEN])).status_code == 302


def test_the_commune_page_has_one_section_per_club_and_the_period_title(client_for, staff, dataset):
    response = client_for(staff).get(reverse("reports:commune", args=[TAN_UYEN]), {"period": "2026-H1"})
    html = response.content.decode()
    assert html.count('class="club-section"') == 2
    assert "BÁO CÁO SƠ KẾT 6 THÁNG ĐẦU NĂM 2026" in html
    assert 'id="clubs-annex"' not in html
    data = json.loads(
        client_for(staff).get(reverse("reports:commune-file", args=[TAN_UYEN, "json"]), {"period": "2026-H1"}).content
    )
    assert data["scope"]["kind"] == "commune" and data["period"]["name"] == "2026-H1"


def test_a_bad_period_is_explained(client_for, staff, dataset):
    response = client_for(staff).get(reverse("reports:commune", args=[TAN_UYEN]), {"period": "2026-Q9"})
    assert response.status_code == 200
    assert "Kỳ báo cáo không hợp lệ" in response.content.decode()


def test_the_commune_page_runs_a_bounded_number_of_queries(client_for, staff, dataset, django_assert_max_num_queries):
    client = client_for(staff)
    client.get(reverse("reports:commune", args=[TAN_UYEN]))
    with django_assert_max_num_queries(40):
        assert client.get(reverse("reports:commune", args=[TAN_UYEN])).status_code == 200
