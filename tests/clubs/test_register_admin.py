"""The Django admin for the register: for admins only; the composition thresholds are set there."""

import pytest
from django.urls import reverse

from clubs.models import BoardRole, CompositionStandard, TeamKind
from clubs.services import board_seat_add, team_save
from members.composition import composition

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(club, member):
    seat = board_seat_add(club=club, member=member, role=BoardRole.CHAIR, from_date=member.joined_on)
    team = team_save(club=club, kind=TeamKind.GROUP, name="Nhóm 1", members=[member])
    return {"club": club, "member": member, "seat": seat, "team": team}


def _admin_urls(register):
    return [
        reverse("admin:clubs_club_changelist"),
        reverse("admin:clubs_club_change", args=[register["club"].pk]),
        reverse("admin:clubs_compositionstandard_changelist"),
        reverse("admin:clubs_compositionstandard_add"),
        reverse("admin:clubs_boardmembership_changelist"),
        reverse("admin:clubs_boardmembership_change", args=[register["seat"].pk]),
        reverse("admin:clubs_team_changelist"),
        reverse("admin:clubs_team_change", args=[register["team"].pk]),
        reverse("admin:members_member_changelist"),
        reverse("admin:members_member_change", args=[register["member"].pk]),
        reverse("admin:life_activity_changelist"),
        reverse("admin:life_healthcheck_changelist"),
        reverse("admin:life_careassignment_changelist"),
        reverse("admin:life_carevisit_changelist"),
        reverse("admin:life_clubrating_changelist"),
    ]


def test_admins_reach_every_register_page(client_for, admin_user, register):
    client = client_for(admin_user)
    for url in _admin_urls(register):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("user", ["staff", "lai_chau_officer"])
def test_other_roles_do_not(request, client_for, register, user):
    client = client_for(request.getfixturevalue(user))
    for url in _admin_urls(register):
        assert client.get(url).status_code == 302, url


def test_member_search_in_the_admin_ignores_diacritics(client_for, admin_user, member):
    response = client_for(admin_user).get(reverse("admin:members_member_changelist"), {"q": "Nguyen thi hoa"})
    assert member.full_name in response.content.decode()


def test_an_admin_sets_a_provinces_thresholds(client_for, admin_user, club, member, lai_chau):
    assert not composition(club, member.joined_on).criterion("members").met
    data = {
        "province": lai_chau.pk,
        "members_min": 1,
        "members_max": 70,
        "women_pct_min": 60,
        "women_pct_max": 70,
        "older_pct_min": 60,
        "older_pct_max": 70,
        "younger_pct_min": 30,
        "younger_pct_max": 40,
        "poor_pct_min": 60,
        "poor_pct_max": 70,
        "volunteers_min": 5,
    }
    response = client_for(admin_user).post(reverse("admin:clubs_compositionstandard_add"), data)
    assert response.status_code == 302
    assert CompositionStandard.objects.get(province=lai_chau).members_min == 1
    assert composition(club, member.joined_on).criterion("members").met
