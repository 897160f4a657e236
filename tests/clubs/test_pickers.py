"""Pickers with search for clubs and communes (issue 17): the lists in the app's forms hold only the
user's area and carry `data-search` for static/js/select_search.js; the Django admin searches its
club and commune foreign keys (autocomplete_fields) instead of listing thousands of options."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import make_club

pytestmark = pytest.mark.django_db


def _select(page: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>.*?</select>', page, re.S)
    assert match, f"no <select name={name}>"
    return match.group(0)


def test_the_member_forms_club_list_is_searchable_and_holds_only_the_staffs_clubs(
    client_for, staff, club, other_club
):
    page = client_for(staff).get(reverse("members:member-create")).content.decode()
    select = _select(page, "club")
    assert "data-search" in select
    assert club.code in select and other_club.code not in select
    assert "js/select_search" in page


def test_the_club_forms_commune_list_is_searchable_and_holds_only_the_staffs_communes(
    client_for, staff, club, other_club
):
    page = client_for(staff).get(reverse("clubs:club-create")).content.decode()
    select = _select(page, "commune")
    assert "data-search" in select
    assert club.commune.name in select and other_club.commune.name not in select


def test_the_import_club_list_is_searchable_and_holds_only_the_officers_province(
    client_for, lai_chau_officer, club, other_club, thanh_hoa
):
    make_club(thanh_hoa.communes.first(), code="THA-01", name="CLB Thanh Hóa")
    page = client_for(lai_chau_officer).get(reverse("sheets:upload")).content.decode()
    select = _select(page, "club")
    assert "data-search" in select and club.code in select and other_club.code in select
    assert "THA-01" not in select


def test_the_search_script_is_ours_and_searches_without_diacritics():
    script = (settings.BASE_DIR / "static" / "js" / "select_search.js").read_text()
    assert "http" not in script  # served from our static files (the CSP allows nothing else)
    assert 'normalize("NFD")' in script and "select[data-search]" in script


@pytest.mark.parametrize(
    ("url_name", "field"),
    [
        ("admin:clubs_club_add", "commune"),
        ("admin:members_member_add", "club"),
        ("admin:clubs_boardmembership_add", "club"),
        ("admin:life_activity_add", "club"),
        ("admin:life_healthcheck_add", "club"),
        ("admin:life_careassignment_add", "club"),
        ("admin:life_carevisit_add", "club"),
        ("admin:life_clubrating_add", "club"),
    ],
)
def test_admin_forms_search_clubs_and_communes(client_for, admin_user, url_name, field):
    response = client_for(admin_user).get(reverse(url_name))
    assert response.status_code == 200
    select = _select(response.content.decode(), field)
    assert "admin-autocomplete" in select and "data-ajax--url" in select
    assert select.count("<option") <= 2  # the chosen one at most, not the whole country


def test_the_admin_club_search_answers_by_name(client_for, admin_user, club, other_club):
    response = client_for(admin_user).get(
        reverse("admin:autocomplete"),
        {"app_label": "members", "model_name": "member", "field_name": "club", "term": "Nà Cóc"},
    )
    assert [r["id"] for r in response.json()["results"]] == [str(club.pk)]


def test_the_admin_changelists_render(client_for, admin_user, club):
    client = client_for(admin_user)
    for name in (
        "admin:clubs_club_changelist",
        "admin:members_member_changelist",
        "admin:places_commune_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200, name
