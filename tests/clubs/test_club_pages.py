"""The club pages: who may see and change what, filters, search, forms and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clubs.models import BoardMembership, BoardRole, Club, Team, TeamKind
from clubs.services import board_seat_add, team_save
from members.models import Household
from tests.conftest import make_club, make_member

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def seat(club, member):
    return board_seat_add(club=club, member=member, role=BoardRole.CHAIR, from_date=D(2024, 3, 1))


@pytest.fixture
def team(club, member):
    return team_save(
        club=club, kind=TeamKind.TEAM, name="Tổ sinh kế", area=1, leader=member, members=[member]
    )


def _pages(club, seat, team):
    """(url, writes) for every page of one club."""
    return [
        (reverse("clubs:club-detail", args=[club.pk]), False),
        (reverse("clubs:club-edit", args=[club.pk]), True),
        (reverse("clubs:board-seat-add", args=[club.pk]), True),
        (reverse("clubs:board-seat-end", args=[club.pk, seat.pk]), True),
        (reverse("clubs:team-create", args=[club.pk]), True),
        (reverse("clubs:team-edit", args=[club.pk, team.pk]), True),
    ]


def test_anonymous_users_are_sent_to_login(client, club, seat, team):
    for url in [reverse("clubs:club-list"), reverse("clubs:club-create")] + [
        u for u, _w in _pages(club, seat, team)
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.parametrize("outsider", ["other_staff", "thanh_hoa_officer", "nobody"])
def test_outsiders_get_404(request, client_for, club, seat, team, outsider):
    client = client_for(request.getfixturevalue(outsider))
    for url, _writes in _pages(club, seat, team):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_province_officers_read_but_do_not_write(client_for, lai_chau_officer, club, seat, team):
    client = client_for(lai_chau_officer)
    for url, writes in _pages(club, seat, team):
        assert client.get(url).status_code == (403 if writes else 200), url
    assert client.post(reverse("clubs:club-edit", args=[club.pk]), {"name": "Đổi tên"}).status_code == 403
    assert client.get(reverse("clubs:club-create")).status_code == 403
    assert client.post(reverse("clubs:club-create"), {}).status_code == 403
    club.refresh_from_db()
    assert club.name == "CLB LTHTGN bản Nà Cóc"


@pytest.mark.parametrize("insider", ["staff", "admin_user"])
def test_commune_staff_and_admins_reach_every_page(request, client_for, club, seat, team, insider):
    client = client_for(request.getfixturevalue(insider))
    for url, _writes in _pages(club, seat, team):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("clubs:club-create")).status_code == 200


def test_users_without_an_area_may_not_create_clubs(client_for, nobody):
    assert client_for(nobody).get(reverse("clubs:club-create")).status_code == 403


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_only_the_users_area(
    client_for, staff, lai_chau_officer, club, other_club, thanh_hoa_club
):
    page = client_for(staff).get(reverse("clubs:club-list")).content.decode()
    assert club.code in page
    assert other_club.code not in page
    assert thanh_hoa_club.code not in page
    page = client_for(lai_chau_officer).get(reverse("clubs:club-list")).content.decode()
    assert club.code in page and other_club.code in page
    assert thanh_hoa_club.code not in page


def _codes(response) -> set[str]:
    return {club.code for club, _composition in response.context["rows"]}


def test_search_ignores_diacritics_and_case(client_for, lai_chau_officer, club, other_club):
    client = client_for(lai_chau_officer)
    assert _codes(client.get(reverse("clubs:club-list"), {"q": "na coc"})) == {club.code}
    assert _codes(client.get(reverse("clubs:club-list"), {"q": "NÀ CÓC"})) == {club.code}
    assert _codes(client.get(reverse("clubs:club-list"), {"q": "ban me"})) == {other_club.code}
    assert _codes(client.get(reverse("clubs:club-list"), {"q": "lch-thu"})) == {other_club.code}
    assert _codes(client.get(reverse("clubs:club-list"), {"q": "lthtgn ban"})) == {club.code, other_club.code}


def test_filters_by_province(
    client_for, admin_user, lai_chau_officer, club, other_club, thanh_hoa_club, lai_chau, thanh_hoa
):
    url = reverse("clubs:club-list")
    client = client_for(admin_user)
    assert _codes(client.get(url)) == {club.code, other_club.code, thanh_hoa_club.code}
    response = client.get(url, {"province": lai_chau.pk})
    assert _codes(response) == {club.code, other_club.code}
    # The commune choices follow the province chosen.
    communes = response.context["form"].fields["commune"].queryset
    assert set(communes.values_list("province_id", flat=True)) == {lai_chau.pk}
    assert _codes(client.get(url, {"province": thanh_hoa.pk})) == {thanh_hoa_club.code}
    # An officer of one province has no province to choose (the filter is not offered); a province
    # outside the area put in the address is no choice either: the list stays within Lai Châu.
    response = client_for(lai_chau_officer).get(url, {"province": thanh_hoa.pk})
    assert "province" not in response.context["form"].fields
    assert _codes(response) == {club.code, other_club.code}


def test_filters_by_commune_status_and_composition(client_for, lai_chau_officer, club, other_club, tan_uyen):
    not_launched = make_club(tan_uyen, decision_date=D(2025, 1, 1), launched_on=None)
    for i in range(50):
        make_member(
            other_club,
            full_name=f"Người {i}",
            sex="F" if i < 32 else "M",
            birth_year=1950 if i < 32 else 1990,
            household=Household.POOR if i < 32 else Household.NONE,
            is_volunteer=i < 5,
        )
    client = client_for(lai_chau_officer)
    url = reverse("clubs:club-list")
    assert _codes(client.get(url, {"commune": tan_uyen.pk})) == {club.code, not_launched.code}
    assert _codes(client.get(url, {"status": "decided"})) == {not_launched.code}
    assert _codes(client.get(url, {"status": "active"})) == {club.code, other_club.code}
    assert _codes(client.get(url, {"composition": "met"})) == {other_club.code}
    assert _codes(client.get(url, {"composition": "not_met"})) == {club.code, not_launched.code}


def test_the_list_runs_a_fixed_number_of_queries(
    client_for, lai_chau_officer, tan_uyen, django_assert_max_num_queries
):
    for _ in range(55):
        club = make_club(tan_uyen)
        make_member(club, household=Household.POOR)
    client = client_for(lai_chau_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("clubs:club-list"))
    assert len(response.context["rows"]) == 50
    with django_assert_max_num_queries(14):
        response = client.get(reverse("clubs:club-list"), {"q": "thu nghiem", "composition": "not_met"})
    assert len(response.context["rows"]) == 50


# --- the club page -------------------------------------------------------------------------


def test_the_club_page_shows_composition_board_teams_and_members(client_for, staff, club, member, seat, team):
    other = make_member(club, full_name="Lò Văn Pản", birth_year=1980, sex="M")
    make_member(club, full_name="Lò Thị Ún", birth_year=1950)  # 2 women of 3: that criterion is met
    BoardMembership.objects.create(
        club=club, member=other, role=BoardRole.TREASURER, from_date=D(2024, 3, 1), to_date=D(2025, 1, 1)
    )
    response = client_for(staff).get(reverse("clubs:club-detail", args=[club.pk]))
    page = response.content.decode()
    assert response.context["composition"].members == 3
    assert "Chưa đạt chuẩn" in page and "badge-met" in page
    assert [s.member for s in response.context["current_seats"]] == [member]
    assert [s.member for s in response.context["past_seats"]] == [other]
    assert "Tổ sinh kế" in page
    assert reverse("members:member-detail", args=[member.pk]) in page
    # Personal data stays on the member's own page.
    assert member.citizen_id not in page
    assert member.phone not in page


def test_the_composition_can_be_seen_at_another_date(client_for, staff, club, member):
    response = client_for(staff).get(reverse("clubs:club-detail", args=[club.pk]), {"on": "2024-01-15"})
    assert response.context["on"] == D(2024, 1, 15)
    assert response.context["composition"].members == 0  # the member joined on 01/02/2024


def test_the_board_is_shown_as_it_sat_on_the_chosen_date(client_for, staff, club, member, seat):
    """`seat` (the chair since 01/03/2024) is open; the treasurer sat from 01/03/2024 to 01/01/2025."""
    other = make_member(club, full_name="Lò Văn Pản", birth_year=1980, sex="M")
    treasurer = BoardMembership.objects.create(
        club=club, member=other, role=BoardRole.TREASURER, from_date=D(2024, 3, 1), to_date=D(2025, 1, 1)
    )
    url = reverse("clubs:club-detail", args=[club.pk])
    client = client_for(staff)

    response = client.get(url, {"on": "2024-06-30"})
    assert response.context["current_seats"] == [seat, treasurer]
    assert response.context["past_seats"] == []
    assert "tại ngày 30/06/2024" in response.content.decode()

    # Before the board was appointed nobody sat on it: both seats are its history.
    response = client.get(url, {"on": "2024-02-15"})
    assert response.context["current_seats"] == []
    assert set(response.context["past_seats"]) == {seat, treasurer}

    response = client.get(url)  # today
    assert response.context["current_seats"] == [seat]
    assert response.context["past_seats"] == [treasurer]
    assert "tại ngày" not in response.content.decode()


def test_the_club_page_runs_a_fixed_number_of_queries(client_for, staff, club, django_assert_max_num_queries):
    people = [make_member(club, full_name=f"Người {i}") for i in range(30)]
    for i in range(3):
        team_save(club=club, kind=TeamKind.GROUP, name=f"Nhóm {i}", members=people[i * 5 : i * 5 + 5])
    for person, role in zip(
        people, [BoardRole.CHAIR, BoardRole.VICE_CHAIR, BoardRole.TREASURER], strict=False
    ):
        board_seat_add(club=club, member=person, role=role, from_date=D(2024, 3, 1))
    client = client_for(staff)
    url = reverse("clubs:club-detail", args=[club.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30, 60):
        make_member(club, full_name=f"Người {i}")
    team_save(club=club, kind=TeamKind.GROUP, name="Nhóm 4", members=people[20:25])
    # The page includes the funds and club-life summaries: each adds a fixed handful of queries.
    with django_assert_max_num_queries(25), CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_club_page_includes_the_extension_partials(client_for, staff, club):
    response = client_for(staff).get(reverse("clubs:club-detail", args=[club.pk]))
    names = {t.name for t in response.templates}
    assert {"funds/_club_summary.html", "life/_club_life_summary.html"} <= names


# --- writing -------------------------------------------------------------------------------


def _club_data(commune, **overrides):
    data = {
        "code": "lch-tu-02",
        "name": "CLB LTHTGN bản Nà Bó",
        "commune": commune.pk,
        "villages": "Bản Nà Bó",
        "decision_number": "12/QĐ-UBND",
        "decision_date": "2025-03-01",
        "decision_issuer": "UBND xã Tân Uyên",
        "launched_on": "2025-04-01",
    }
    data.update(overrides)
    return data


def test_staff_create_a_club_with_its_funds(client_for, staff, tan_uyen):
    response = client_for(staff).post(reverse("clubs:club-create"), _club_data(tan_uyen))
    club = Club.objects.get(code="LCH-TU-02")
    assert response.status_code == 302
    assert response.url == reverse("clubs:club-detail", args=[club.pk])
    assert club.province_id == tan_uyen.province_id
    assert club.funds.count() == 2


def test_staff_may_only_put_clubs_in_their_communes(client_for, staff, than_uyen):
    response = client_for(staff).post(reverse("clubs:club-create"), _club_data(than_uyen))
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert not Club.objects.filter(code="LCH-TU-02").exists()


def test_a_launch_before_the_decision_is_refused_in_vietnamese(client_for, staff, tan_uyen):
    data = _club_data(tan_uyen, launched_on="2025-02-01")
    response = client_for(staff).post(reverse("clubs:club-create"), data)
    assert response.status_code == 200
    assert "Ngày ra mắt không được trước ngày quyết định thành lập." in response.content.decode()
    assert not Club.objects.filter(code="LCH-TU-02").exists()


def test_a_legacy_commune_must_have_gone_into_the_current_one(client_for, staff, tan_uyen):
    from places.models import LegacyCommune

    mine = LegacyCommune.objects.get(code=3605)  # Xã Trung Đồng → Xã Tân Uyên
    elsewhere = LegacyCommune.objects.get(code=3601)  # Xã Mường Khoa → Xã Mường Khoa
    client = client_for(staff)
    response = client.post(reverse("clubs:club-create"), _club_data(tan_uyen, legacy_commune=elsewhere.pk))
    assert response.status_code == 200
    assert "legacy_commune" in response.context["form"].errors
    response = client.post(reverse("clubs:club-create"), _club_data(tan_uyen, legacy_commune=mine.pk))
    assert response.status_code == 302
    assert Club.objects.get(code="LCH-TU-02").legacy_commune == mine


def test_staff_edit_their_club(client_for, staff, club):
    data = _club_data(club.commune, code=club.code, name="CLB LTHTGN bản Nà Cóc mới")
    response = client_for(staff).post(reverse("clubs:club-edit", args=[club.pk]), data)
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.name == "CLB LTHTGN bản Nà Cóc mới"


def test_the_club_code_stays_unique(client_for, staff, club, other_club):
    data = _club_data(club.commune, code=other_club.code.lower())
    response = client_for(staff).post(reverse("clubs:club-edit", args=[club.pk]), data)
    assert response.status_code == 200
    assert "code" in response.context["form"].errors


def test_a_board_seat_is_added_and_ended(client_for, staff, club, member):
    client = client_for(staff)
    response = client.post(
        reverse("clubs:board-seat-add", args=[club.pk]),
        {"member": member.pk, "role": BoardRole.CHAIR, "from_date": "2024-03-01"},
    )
    assert response.status_code == 302
    seat = BoardMembership.objects.get(club=club, member=member)
    response = client.post(
        reverse("clubs:board-seat-end", args=[club.pk, seat.pk]), {"to_date": "2024-01-01"}
    )
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    response = client.post(
        reverse("clubs:board-seat-end", args=[club.pk, seat.pk]), {"to_date": "2025-12-31"}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.to_date == D(2025, 12, 31)


def test_only_the_clubs_members_may_sit_on_its_board(client_for, staff, club, other_club):
    stranger = make_member(other_club, full_name="Lò Văn Pản")
    response = client_for(staff).post(
        reverse("clubs:board-seat-add", args=[club.pk]),
        {"member": stranger.pk, "role": BoardRole.CHAIR, "from_date": "2024-03-01"},
    )
    assert response.status_code == 200
    assert not BoardMembership.objects.exists()


def test_a_seat_of_another_club_is_404(client_for, admin_user, club, other_club, seat):
    url = reverse("clubs:board-seat-end", args=[other_club.pk, seat.pk])
    assert client_for(admin_user).get(url).status_code == 404


def test_a_team_is_created_and_edited_with_its_members(client_for, staff, club, member):
    second = make_member(club, full_name="Lò Thị Ún")
    client = client_for(staff)
    response = client.post(
        reverse("clubs:team-create", args=[club.pk]),
        {"kind": TeamKind.GROUP, "name": "Nhóm 1", "leader": member.pk, "members": [member.pk, second.pk]},
    )
    assert response.status_code == 302
    team = Team.objects.get(club=club)
    assert set(team.members.all()) == {member, second}
    response = client.post(
        reverse("clubs:team-edit", args=[club.pk, team.pk]),
        {"kind": TeamKind.GROUP, "name": "Nhóm 1 bản Nà Cóc", "leader": second.pk, "members": [second.pk]},
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Nhóm 1 bản Nà Cóc"
    assert list(team.members.all()) == [second]


def test_a_team_takes_only_the_clubs_members(client_for, staff, club, other_club):
    stranger = make_member(other_club, full_name="Lò Văn Pản")
    response = client_for(staff).post(
        reverse("clubs:team-create", args=[club.pk]),
        {"kind": TeamKind.GROUP, "name": "Nhóm 1", "members": [stranger.pk]},
    )
    assert response.status_code == 200
    assert not Team.objects.exists()
