"""The commune list's search box (clubs.forms.CommuneFilterForm) finds places by the rules of
places.names: a name written exactly is that unit; without diacritics, every unit it may be."""

import pytest
from django.urls import reverse

from clubs.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

QUANG_NGAI = 51
BA_TO, BA_TO_CIRCUMFLEX, SON_HA, SON_HA_DOT = 21484, 21523, 21289, 21292


def _codes(client, q):
    response = client.get(reverse("clubs:commune-list"), {"q": q})
    assert response.status_code == 200
    return sorted(commune.code for commune in response.context["page"])


@pytest.fixture
def quang_ngai_officer(db):
    return make_user("tinh.quangngai", Role.PROVINCE_OFFICER, province=QUANG_NGAI)


@pytest.mark.parametrize(
    ("q", "codes"),
    [
        ("Xã Ba Tơ", [BA_TO]),
        ("ba tơ", [BA_TO]),
        ("XÃ BA TÔ", [BA_TO_CIRCUMFLEX]),
        ("Ba To", [BA_TO, BA_TO_CIRCUMFLEX]),  # without diacritics: both, for the user to choose
        ("Xa Ba To", [BA_TO, BA_TO_CIRCUMFLEX]),
        ("Sơn Hạ", [SON_HA_DOT]),
        ("xa Sơn Hà", [SON_HA]),
        ("son ha", [SON_HA, SON_HA_DOT]),
    ],
)
def test_a_name_written_exactly_finds_that_commune_only(client_for, quang_ngai_officer, q, codes):
    assert _codes(client_for(quang_ngai_officer), q) == codes


def test_part_of_a_name_still_finds_every_commune_containing_it(client_for, quang_ngai_officer):
    client = client_for(quang_ngai_officer)
    with_son = _codes(client, "Sơn")
    assert {SON_HA, SON_HA_DOT} <= set(with_son) and BA_TO not in with_son
    assert set(_codes(client, "son")) >= set(with_son)


def test_the_search_stays_within_the_users_area(client_for, staff, admin_user):
    assert _codes(client_for(staff), "Xã Ba Tơ") == []  # commune staff of Tân Uyên (Lai Châu)
    assert _codes(client_for(admin_user), "Xã Ba Tơ") == [BA_TO]


def test_the_search_runs_a_fixed_number_of_queries(client_for, admin_user, django_assert_max_num_queries):
    client = client_for(admin_user)
    with django_assert_max_num_queries(9):
        assert _codes(client, "Ba To") == [BA_TO, BA_TO_CIRCUMFLEX]
