"""The member pages: who may see and change what, filters, duplicates, validation, query counts."""

import datetime

import pytest
from django.urls import reverse

from clubs.models import BoardRole
from clubs.services import board_seat_add
from members.models import Household, HouseholdStatus, LeaveReason, Member, Membership
from members.services import household_status_set, member_leave
from tests.conftest import make_club, make_member

pytestmark = pytest.mark.django_db
D = datetime.date


def _pages(member):
    """(url, writes) for every page of one member."""
    return [
        (reverse("members:member-detail", args=[member.pk]), False),
        (reverse("members:member-edit", args=[member.pk]), True),
        (reverse("members:member-leave", args=[member.pk]), True),
        (reverse("members:member-move", args=[member.pk]), True),
        (reverse("members:member-rejoin", args=[member.pk]), True),
        (reverse("members:member-household", args=[member.pk]), True),
    ]


def test_anonymous_users_are_sent_to_login(client, member):
    urls = [reverse("members:member-list"), reverse("members:member-create")] + [
        u for u, _w in _pages(member)
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.parametrize("outsider", ["other_staff", "thanh_hoa_officer", "nobody"])
def test_outsiders_get_404(request, client_for, member, outsider):
    client = client_for(request.getfixturevalue(outsider))
    for url, _writes in _pages(member):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert client.get(reverse("members:member-list"), {"club": member.club_id}).status_code == 404


def test_province_officers_read_but_do_not_write(client_for, lai_chau_officer, member):
    client = client_for(lai_chau_officer)
    for url, writes in _pages(member):
        assert client.get(url).status_code == (403 if writes else 200), url
    response = client.post(
        reverse("members:member-leave", args=[member.pk]), {"left_on": "2025-01-01", "leave_reason": "died"}
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.left_on is None
    assert client.get(reverse("members:member-create")).status_code == 403
    assert client.get(reverse("members:member-list"), {"club": member.club_id}).status_code == 200


@pytest.mark.parametrize("insider", ["staff", "admin_user"])
def test_commune_staff_and_admins_reach_every_page(request, client_for, member, insider):
    client = client_for(request.getfixturevalue(insider))
    for url, _writes in _pages(member):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("members:member-create"), {"club": member.club_id}).status_code == 200


def test_staff_may_not_add_members_to_another_communes_club(client_for, staff, other_club):
    client = client_for(staff)
    assert client.get(reverse("members:member-create"), {"club": other_club.pk}).status_code == 404
    response = client.post(reverse("members:member-create"), _member_data(other_club))
    assert response.status_code == 200
    assert "club" in response.context["form"].errors


# --- the list -------------------------------------------------------------------------------


def _names(response) -> list[str]:
    return [m.full_name for m, _household, _age in response.context["rows"]]


def test_the_list_shows_only_the_users_area(client_for, staff, lai_chau_officer, member, other_club):
    outsider = make_member(other_club, full_name="Lò Văn Pản")
    assert _names(client_for(staff).get(reverse("members:member-list"))) == [member.full_name]
    assert set(_names(client_for(lai_chau_officer).get(reverse("members:member-list")))) == {
        member.full_name,
        outsider.full_name,
    }


def test_the_list_never_shows_citizen_ids_or_phones(client_for, staff, member):
    page = client_for(staff).get(reverse("members:member-list")).content.decode()
    assert member.full_name in page
    assert member.citizen_id not in page
    assert member.phone not in page


@pytest.fixture
def people(club, other_club):
    """A small register in `club` and one person in `other_club`."""
    hoa = make_member(club, full_name="Nguyễn Thị Hoa", birth_year=1950, household=Household.POOR)
    hoa_accent = make_member(club, full_name="Nguyễn Thị Hòa", birth_year=1990, is_volunteer=True)
    man = make_member(club, full_name="Trần Văn Hoà", birth_year=1985, sex="M", household=Household.NEAR_POOR)
    dao = make_member(club, full_name="Đặng Thị Đào", birth_year=1962, birth_date=D(1962, 8, 1))
    left = make_member(club, full_name="Lò Thị Ún", birth_year=1948)
    member_leave(member=left, left_on=D(2025, 1, 1), reason=LeaveReason.DIED)
    household_status_set(member=man, status=Household.NONE, valid_from=D(2025, 6, 1))
    board_seat_add(club=club, member=dao, role=BoardRole.CHAIR, from_date=D(2024, 3, 1))
    make_member(other_club, full_name="Nguyễn Thị Hoa", birth_year=1970)
    return {"hoa": hoa, "hoa_accent": hoa_accent, "man": man, "dao": dao, "left": left}


def _filtered(client, club, **params) -> set[str]:
    return set(_names(client.get(reverse("members:member-list"), {"club": club.pk, **params})))


def test_filters(client_for, staff, club, people):
    client = client_for(staff)
    assert _filtered(client, club) == {"Nguyễn Thị Hoa", "Nguyễn Thị Hòa", "Trần Văn Hoà", "Đặng Thị Đào"}
    assert _filtered(client, club, sex="M") == {"Trần Văn Hoà"}
    assert _filtered(client, club, older="yes") == {"Nguyễn Thị Hoa", "Đặng Thị Đào"}
    assert _filtered(client, club, older="no") == {"Nguyễn Thị Hòa", "Trần Văn Hoà"}
    assert _filtered(client, club, household="poor") == {"Nguyễn Thị Hoa"}
    # Trần Văn Hoà's household stopped being near-poor on 01/06/2025: the list uses today's status.
    assert _filtered(client, club, household="near_poor") == set()
    assert "Trần Văn Hoà" in _filtered(client, club, household="none")
    assert _filtered(client, club, state="left") == {"Lò Thị Ún"}
    assert len(_filtered(client, club, state="all")) == 5
    assert _filtered(client, club, volunteer="yes") == {"Nguyễn Thị Hòa"}
    assert _filtered(client, club, board="yes") == {"Đặng Thị Đào"}
    assert "Đặng Thị Đào" not in _filtered(client, club, board="no")


def test_search_without_diacritics(client_for, staff, club, people):
    """Like every test, `make test` runs it on PostgreSQL (trigram index) and on SQLite (LIKE)."""
    client = client_for(staff)
    assert _filtered(client, club, q="nguyen thi hoa") == {"Nguyễn Thị Hoa", "Nguyễn Thị Hòa"}
    assert _filtered(client, club, q="NGUYỄN THỊ HOA") == {"Nguyễn Thị Hoa", "Nguyễn Thị Hòa"}
    assert _filtered(client, club, q="hoa") == {"Nguyễn Thị Hoa", "Nguyễn Thị Hòa", "Trần Văn Hoà"}
    assert _filtered(client, club, q="nguyen hoa") == {
        "Nguyễn Thị Hoa",
        "Nguyễn Thị Hòa",
    }  # words in any place
    assert _filtered(client, club, q="dang thi dao") == {"Đặng Thị Đào"}
    assert _filtered(client, club, q="Nguye\u0302\u0303n") == {
        "Nguyễn Thị Hoa",
        "Nguyễn Thị Hòa",
    }  # typed decomposed
    assert _filtered(client, club, q="nguyen van") == set()
    # Across the user's area (both clubs are in the staff's area only for an officer).
    everywhere = client.get(reverse("members:member-list"), {"q": "nguyen thi hoa"})
    assert len(_names(everywhere)) == 2


def test_search_by_citizen_id(client_for, staff, member):
    client = client_for(staff)
    response = client.get(reverse("members:member-list"), {"q": member.citizen_id[:6]})
    assert _names(response) == [member.full_name]


def test_the_list_runs_a_fixed_number_of_queries(client_for, staff, club, django_assert_max_num_queries):
    for i in range(60):
        person = make_member(
            club,
            full_name=f"Người thứ {i}",
            household=Household.POOR if i % 2 else Household.NONE,
            is_volunteer=i % 3 == 0,
        )
        if i < 5:
            board_seat_add(club=club, member=person, role=BoardRole.MEMBER, from_date=D(2024, 3, 1))
    client = client_for(staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("members:member-list"))
    assert len(response.context["rows"]) == 50
    with django_assert_max_num_queries(9):
        response = client.get(
            reverse("members:member-list"),
            {"club": club.pk, "q": "nguoi", "household": "poor", "board": "no"},
        )
    assert len(response.context["rows"]) == 28


# --- the member page -----------------------------------------------------------------------


def test_the_member_page_shows_personal_data_and_history(client_for, staff, member, other_club):
    household_status_set(member=member, status=Household.NEAR_POOR, valid_from=D(2025, 1, 1))
    response = client_for(staff).get(reverse("members:member-detail", args=[member.pk]))
    page = response.content.decode()
    assert member.citizen_id in page
    assert member.phone in page
    assert "Hộ cận nghèo" in page
    names = {t.name for t in response.templates}
    assert {"funds/_member_loans.html", "life/_member_health.html"} <= names


# --- creating, duplicates and validation ----------------------------------------------------


def _member_data(club, **overrides):
    data = {
        "club": club.pk,
        "full_name": "Lò Thị Ún",
        "birth_year": "1958",
        "sex": "F",
        "ethnicity": "3",
        "household": Household.POOR,
        "joined_on": "2025-03-01",
        "village": "Bản Nà Cóc",
        "phone": "0912000111",
    }
    data.update(overrides)
    return data


def test_staff_add_a_member(client_for, staff, club):
    response = client_for(staff).post(
        reverse("members:member-create"), _member_data(club, citizen_id="012158000001")
    )
    member = Member.objects.get(full_name="Lò Thị Ún")
    assert response.status_code == 302
    assert response.url == reverse("members:member-detail", args=[member.pk])
    assert member.search_key == "lo thi un"
    assert Membership.objects.filter(member=member, club=club, left_on=None).exists()
    assert HouseholdStatus.objects.get(member=member).status == Household.POOR


def test_a_birth_date_gives_the_birth_year(client_for, staff, club):
    data = _member_data(club, birth_year="", birth_date="1958-04-02")
    assert client_for(staff).post(reverse("members:member-create"), data).status_code == 302
    assert Member.objects.get(full_name="Lò Thị Ún").birth_year == 1958


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("citizen_id", "12345", "Số CCCD phải gồm đúng 12 chữ số."),
        ("citizen_id", "01215800000a", "Số CCCD phải gồm đúng 12 chữ số."),
        ("birth_year", str(datetime.date.today().year + 1), "Năm sinh không được ở tương lai."),
        ("birth_year", "1899", "Năm sinh không được trước năm 1900."),
        ("birth_year", "", "Hãy nhập năm sinh (hoặc ngày sinh)."),
        ("phone", "12345", "Số điện thoại không đúng dạng Việt Nam"),
    ],
)
def test_validation_messages_are_in_vietnamese(client_for, staff, club, field, value, message):
    response = client_for(staff).post(reverse("members:member-create"), _member_data(club, **{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Member.objects.exists()


def test_the_same_citizen_id_is_refused_with_a_link_to_the_person(client_for, staff, club, member):
    response = client_for(staff).post(
        reverse("members:member-create"), _member_data(club, citizen_id=member.citizen_id)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Số CCCD này đã có trong hệ thống" in page
    assert f'href="{reverse("members:member-detail", args=[member.pk])}"' in page
    assert Member.objects.count() == 1


def test_a_citizen_id_held_outside_the_users_area_is_refused_without_personal_data(
    client_for, other_staff, other_club, member
):
    response = client_for(other_staff).post(
        reverse("members:member-create"), _member_data(other_club, citizen_id=member.citizen_id)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ở một địa bàn khác" in page
    assert member.full_name not in page
    assert reverse("members:member-detail", args=[member.pk]) not in page
    assert member.club.code not in page
    assert Member.objects.count() == 1


def test_the_same_name_and_birth_year_in_the_commune_needs_a_confirmation(
    client_for, staff, club, member, tan_uyen
):
    second_club = make_club(tan_uyen)
    client = client_for(staff)
    # "Nguyen Thi Hoa" born 1955 already exists in the commune (the `member` fixture), in another club.
    data = _member_data(second_club, full_name="Nguyen thi HOA", birth_year="1955")
    response = client.post(reverse("members:member-create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Trong xã đã có người cùng họ tên và năm sinh" in page
    assert 'type="checkbox" name="confirm_duplicate"' in page
    assert Member.objects.count() == 1
    response = client.post(reverse("members:member-create"), {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Member.objects.count() == 2


def test_the_same_name_in_another_commune_is_no_duplicate(client_for, other_staff, other_club, member):
    data = _member_data(other_club, full_name=member.full_name, birth_year=str(member.birth_year))
    assert client_for(other_staff).post(reverse("members:member-create"), data).status_code == 302


def test_editing_keeps_the_history_in_step(client_for, staff, member):
    data = _member_data(
        member.club, full_name="Nguyễn Thị Hoa Mai", birth_year="1955", joined_on="2024-01-15"
    )
    data["citizen_id"] = member.citizen_id  # the person's own ID is no duplicate
    response = client_for(staff).post(reverse("members:member-edit", args=[member.pk]), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.search_key == "nguyen thi hoa mai"
    assert member.joined_on == D(2024, 1, 15)
    assert Membership.objects.get(member=member).joined_on == D(2024, 1, 15)


def test_leaving_is_recorded_and_validated(client_for, staff, member):
    client = client_for(staff)
    url = reverse("members:member-leave", args=[member.pk])
    response = client.post(url, {"left_on": "2023-12-31", "leave_reason": LeaveReason.WITHDREW})
    assert response.status_code == 200
    assert "Ngày rời CLB không được trước ngày tham gia." in response.content.decode()
    response = client.post(url, {"left_on": "2025-05-01", "leave_reason": LeaveReason.DIED})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.left_on, member.leave_reason) == (D(2025, 5, 1), LeaveReason.DIED)
    assert Membership.objects.get(member=member).left_on == D(2025, 5, 1)
    response = client.post(
        reverse("members:member-rejoin", args=[member.pk]),
        {"club": member.club_id, "joined_on": "2025-09-01"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(member=member).count() == 2


def test_a_move_is_dated_and_limited_to_clubs_the_user_keeps(client_for, staff, member, tan_uyen, other_club):
    target = make_club(tan_uyen)
    client = client_for(staff)
    url = reverse("members:member-move", args=[member.pk])
    response = client.post(url, {"to_club": other_club.pk, "moved_on": "2025-01-01"})
    assert response.status_code == 200
    assert "to_club" in response.context["form"].errors
    response = client.post(url, {"to_club": target.pk, "moved_on": "2025-01-01"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.club == target
    stays = list(
        Membership.objects.filter(member=member).order_by("joined_on").values_list("club_id", "left_on")
    )
    assert stays == [
        (member.memberships.order_by("joined_on").first().club_id, D(2025, 1, 1)),
        (target.pk, None),
    ]


def test_a_household_status_change_is_dated(client_for, staff, member):
    response = client_for(staff).post(
        reverse("members:member-household", args=[member.pk]),
        {"status": Household.NEAR_POOR, "valid_from": "2025-01-01", "standard_period": "2022–2025"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.household == Household.NEAR_POOR
    assert member.household_statuses.get().standard_period == "2022–2025"
