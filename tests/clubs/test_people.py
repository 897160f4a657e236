"""People in the hierarchy (issue 16): province officers manage the commune staff of their province, the
national level the province officers, admins everyone but admins; nobody gives a role wider than their
own or an area outside their own; every change is audited; a password set by someone else is changed
at the next login; a deactivated account cannot log in.

People (tests/conftest.py): `lai_chau_officer`, `thanh_hoa_officer`, `staff` (Xã Tân Uyên, Lai Châu),
`other_staff` (Xã Than Uyên, Lai Châu), `admin_user`; here `national` and a Thanh Hóa commune's staff.
"""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from clubs import accounts
from clubs.access import area_of
from clubs.models import AccountAction, AccountEvent, Assignment, PasswordChangeDue, Role
from tests.conftest import PASSWORD, make_user
from tests.snapshots import changed_tables, db_snapshot

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "mat-khau-moi-2026"
CHOSEN = "mat-khau-rieng-cua-toi-7"


@pytest.fixture
def national(db):
    return make_user("trunguong", Role.NATIONAL)


@pytest.fixture
def thanh_hoa_staff(thanh_hoa_commune):
    return make_user("xa.thanhhoa", Role.COMMUNE_STAFF, commune=thanh_hoa_commune.code)


def _new_person(role=None, **place):
    data = {
        "username": "xa.moi",
        "full_name": "Lò Thị Hoa",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    if role:
        data["role"] = role
    return data | place


# --- who may give what --------------------------------------------------------------------------------


def test_each_role_gives_only_roles_below_its_own(admin_user, national, lai_chau_officer, staff):
    assert accounts.grantable_roles(area_of(admin_user)) == [
        Role.NATIONAL,
        Role.PROVINCE_OFFICER,
        Role.COMMUNE_STAFF,
    ]
    assert accounts.grantable_roles(area_of(national)) == [Role.PROVINCE_OFFICER]
    assert accounts.grantable_roles(area_of(lai_chau_officer)) == [Role.COMMUNE_STAFF]
    assert accounts.grantable_roles(area_of(staff)) == []


def test_places_must_lie_inside_the_givers_area(
    admin_user, national, lai_chau_officer, tan_uyen, thanh_hoa_commune, lai_chau, thanh_hoa
):
    officer, nat, admin = area_of(lai_chau_officer), area_of(national), area_of(admin_user)
    assert accounts.may_grant(officer, Role.COMMUNE_STAFF, province=None, commune=tan_uyen)
    assert not accounts.may_grant(officer, Role.COMMUNE_STAFF, province=None, commune=thanh_hoa_commune)
    assert not accounts.may_grant(officer, Role.PROVINCE_OFFICER, province=lai_chau, commune=None)
    assert not accounts.may_grant(officer, Role.ADMIN, province=None, commune=None)
    assert accounts.may_grant(nat, Role.PROVINCE_OFFICER, province=thanh_hoa, commune=None)
    assert not accounts.may_grant(nat, Role.NATIONAL, province=None, commune=None)
    assert not accounts.may_grant(nat, Role.ADMIN, province=None, commune=None)
    assert not accounts.may_grant(nat, Role.COMMUNE_STAFF, province=None, commune=tan_uyen)
    assert accounts.may_grant(admin, Role.NATIONAL, province=None, commune=None)
    assert not accounts.may_grant(admin, Role.ADMIN, province=None, commune=None)
    # A role with the wrong kind of place is refused whoever gives it.
    assert not accounts.may_grant(admin, Role.COMMUNE_STAFF, province=lai_chau, commune=None)
    assert not accounts.may_grant(admin, Role.PROVINCE_OFFICER, province=None, commune=tan_uyen)


def test_a_province_officer_manages_only_the_commune_staff_of_their_province(
    lai_chau_officer, thanh_hoa_officer, staff, other_staff, thanh_hoa_staff, national, admin_user
):
    assert set(accounts.people_managed_by(lai_chau_officer)) == {staff, other_staff}
    assert set(accounts.people_managed_by(thanh_hoa_officer)) == {thanh_hoa_staff}
    assert set(accounts.people_managed_by(national)) == {lai_chau_officer, thanh_hoa_officer}
    assert set(accounts.people_managed_by(admin_user)) == {
        lai_chau_officer, thanh_hoa_officer, staff, other_staff, thanh_hoa_staff, national
    }  # fmt: skip
    assert list(accounts.people_managed_by(staff)) == []


def test_nobody_manages_someone_who_also_holds_a_wider_role(lai_chau_officer, national, staff, thanh_hoa):
    # Commune staff of Lai Châu who is also a province officer elsewhere: resetting their password would
    # take over an officer's account.
    Assignment.objects.create(user=staff, role=Role.PROVINCE_OFFICER, province=thanh_hoa)
    assert staff not in accounts.people_managed_by(lai_chau_officer)
    assert staff not in accounts.people_managed_by(national)  # national does not give commune staff
    with pytest.raises(PermissionDenied):
        accounts.account_password_reset(actor=lai_chau_officer, person=staff, password=NEW_PASSWORD)
    assert staff.account_events.count() == 0


def test_the_services_refuse_a_forged_grant_even_without_the_form(
    lai_chau_officer, national, thanh_hoa_commune, lai_chau
):
    with pytest.raises(PermissionDenied):
        accounts.account_create(
            actor=lai_chau_officer, username="x1", full_name="X", password=NEW_PASSWORD,
            role=Role.COMMUNE_STAFF, commune=thanh_hoa_commune,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        accounts.account_create(
            actor=lai_chau_officer, username="x2", full_name="X", password=NEW_PASSWORD,
            role=Role.PROVINCE_OFFICER, province=lai_chau,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        accounts.account_create(
            actor=national, username="x3", full_name="X", password=NEW_PASSWORD, role=Role.ADMIN
        )
    assert not User.objects.filter(username__in=["x1", "x2", "x3"]).exists()
    assert AccountEvent.objects.count() == 0


# --- the pages, for each role --------------------------------------------------------------------------


def _answers(client_for, people, method, url, data=None):
    answers = {}
    for role, user in people.items():
        client = client_for(user)
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        answers[role] = response.status_code
        if user is None and response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))
    return answers


@pytest.fixture
def people(admin_user, national, lai_chau_officer, thanh_hoa_officer, staff):
    return {
        "anon": None,
        "staff": staff,
        "officer_in": lai_chau_officer,
        "officer_out": thanh_hoa_officer,
        "national": national,
        "admin": admin_user,
    }


def test_the_list_and_the_new_account_form_are_for_managers_only(client_for, people):
    expected = {
        "anon": 302,
        "staff": 403,
        "officer_in": 200,
        "officer_out": 200,
        "national": 200,
        "admin": 200,
    }
    assert _answers(client_for, people, "get", reverse("clubs:people-list")) == expected
    assert _answers(client_for, people, "get", reverse("clubs:person-create")) == expected


@pytest.mark.parametrize("name", ["clubs:person-detail", "clubs:person-edit", "clubs:person-password-reset"])
def test_a_commune_staff_members_pages_are_their_province_officers_and_the_admins(
    client_for, people, other_staff, name
):
    url = reverse(name, args=[other_staff.pk])
    assert _answers(client_for, people, "get", url) == {
        "anon": 302, "staff": 403, "officer_in": 200, "officer_out": 404, "national": 404, "admin": 200,
    }  # fmt: skip


@pytest.mark.parametrize("name", ["clubs:person-detail", "clubs:person-edit", "clubs:person-password-reset"])
def test_a_province_officers_pages_are_the_national_levels_and_the_admins(client_for, people, name):
    url = reverse(name, args=[people["officer_in"].pk])
    assert _answers(client_for, people, "get", url) == {
        "anon": 302, "staff": 403, "officer_in": 404, "officer_out": 404, "national": 200, "admin": 200,
    }  # fmt: skip


def test_nobody_opens_an_admins_pages(client_for, people):
    url = reverse("clubs:person-detail", args=[people["admin"].pk])
    assert _answers(client_for, people, "get", url) == {
        "anon": 302, "staff": 403, "officer_in": 404, "officer_out": 404, "national": 404, "admin": 404,
    }  # fmt: skip


@pytest.mark.parametrize("name", ["clubs:person-deactivate", "clubs:person-reactivate"])
def test_deactivating_and_reactivating_are_posts(client_for, people, other_staff, name):
    client = client_for(people["officer_in"])
    assert client.get(reverse(name, args=[other_staff.pk])).status_code == 405


def test_deactivating_a_commune_staff_member_for_each_role(client_for, people, other_staff):
    url = reverse("clubs:person-deactivate", args=[other_staff.pk])
    answers = {}
    for role, user in people.items():
        client = client_for(user)  # a login writes last_login: before the snapshot
        before = db_snapshot()
        answers[role] = client.post(url).status_code
        other_staff.refresh_from_db()
        if role in ("officer_in", "admin"):
            assert not other_staff.is_active, role
            other_staff.is_active = True
            other_staff.save(update_fields=["is_active"])
        else:
            assert other_staff.is_active and changed_tables(before, db_snapshot()) == [], role
    assert answers == {
        "anon": 302,
        "staff": 403,
        "officer_in": 302,
        "officer_out": 404,
        "national": 404,
        "admin": 302,
    }


# --- forged posts: no role wider than one's own, no area outside one's own -------------------------------


FORGED_BY_OFFICER = {
    "a province officer": lambda w: _new_person(Role.PROVINCE_OFFICER, province=w["lai_chau"].pk),
    "a national user": lambda w: _new_person(Role.NATIONAL),
    "an admin": lambda w: _new_person(Role.ADMIN),
    "commune staff of another province": lambda w: _new_person(
        Role.COMMUNE_STAFF, commune=w["thanh_hoa_commune"].pk
    ),
    "commune staff with no commune": lambda w: _new_person(Role.COMMUNE_STAFF),
}


@pytest.mark.parametrize("what", list(FORGED_BY_OFFICER))
def test_a_province_officer_cannot_create(what, client_for, lai_chau_officer, lai_chau, thanh_hoa_commune):
    world = {"lai_chau": lai_chau, "thanh_hoa_commune": thanh_hoa_commune}
    client = client_for(lai_chau_officer)
    before = db_snapshot()
    response = client.post(reverse("clubs:person-create"), FORGED_BY_OFFICER[what](world))
    assert response.status_code == 200 and response.context["form"].errors
    assert changed_tables(before, db_snapshot()) == []


@pytest.mark.parametrize("role", [Role.ADMIN, Role.NATIONAL, Role.COMMUNE_STAFF])
def test_the_national_level_creates_province_officers_only(client_for, national, role, tan_uyen):
    client = client_for(national)
    before = db_snapshot()
    data = _new_person(role, commune=tan_uyen.pk)
    response = client.post(reverse("clubs:person-create"), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert changed_tables(before, db_snapshot()) == []


def test_an_admin_cannot_make_an_admin_on_these_pages(client_for, admin_user):
    client = client_for(admin_user)
    before = db_snapshot()
    response = client.post(reverse("clubs:person-create"), _new_person(Role.ADMIN))
    assert response.status_code == 200 and "role" in response.context["form"].errors
    assert changed_tables(before, db_snapshot()) == []


def test_commune_staff_cannot_create_anyone(client_for, staff, tan_uyen):
    client = client_for(staff)
    before = db_snapshot()
    response = client.post(
        reverse("clubs:person-create"), _new_person(Role.COMMUNE_STAFF, commune=tan_uyen.pk)
    )
    assert response.status_code == 403
    assert changed_tables(before, db_snapshot()) == []


@pytest.mark.parametrize(
    "data",
    [
        lambda w: {"full_name": "Lò Văn A", "role": Role.PROVINCE_OFFICER, "province": w["lai_chau"].pk},
        lambda w: {"full_name": "Lò Văn A", "role": Role.COMMUNE_STAFF, "commune": w["thanh_hoa_commune"].pk},
        lambda w: {"full_name": "Lò Văn A", "role": Role.ADMIN},
    ],
    ids=["promoted to province officer", "moved to another province", "made admin"],
)
def test_a_province_officer_cannot_widen_a_staff_members_role(
    client_for, lai_chau_officer, staff, lai_chau, thanh_hoa_commune, data
):
    client = client_for(lai_chau_officer)
    before = db_snapshot()
    world = {"lai_chau": lai_chau, "thanh_hoa_commune": thanh_hoa_commune}
    response = client.post(reverse("clubs:person-edit", args=[staff.pk]), data(world))
    assert response.status_code == 200 and response.context["form"].errors
    assert changed_tables(before, db_snapshot()) == []


def test_a_province_officer_cannot_touch_another_provinces_staff(
    client_for, lai_chau_officer, thanh_hoa_staff
):
    client = client_for(lai_chau_officer)
    before = db_snapshot()
    pk = thanh_hoa_staff.pk
    assert client.post(reverse("clubs:person-deactivate", args=[pk])).status_code == 404
    assert (
        client.post(
            reverse("clubs:person-password-reset", args=[pk]),
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("clubs:person-edit", args=[pk]), {"full_name": "X", "role": Role.COMMUNE_STAFF}
        ).status_code
        == 404
    )
    assert changed_tables(before, db_snapshot()) == []


def test_the_national_level_cannot_reset_an_admins_or_a_national_users_password(
    client_for, national, admin_user
):
    other_national = make_user("trunguong2", Role.NATIONAL)
    client = client_for(national)
    before = db_snapshot()
    reset = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    for person in (admin_user, other_national, national):
        url = reverse("clubs:person-password-reset", args=[person.pk])
        assert client.post(url, reset).status_code == 404
    assert changed_tables(before, db_snapshot()) == []


# --- what each change writes ---------------------------------------------------------------------------


def test_creating_commune_staff_gives_the_role_and_records_it(client_for, lai_chau_officer, tan_uyen):
    data = _new_person(Role.COMMUNE_STAFF, commune=tan_uyen.pk)
    response = client_for(lai_chau_officer).post(reverse("clubs:person-create"), data)
    person = User.objects.get(username="xa.moi")
    assert response.status_code == 302 and response["Location"] == reverse(
        "clubs:person-detail", args=[person.pk]
    )
    assert person.get_full_name() == "Lò Thị Hoa" and person.check_password(NEW_PASSWORD)
    assert list(person.assignments.values_list("role", "commune_id")) == [(Role.COMMUNE_STAFF, tan_uyen.pk)]
    assert PasswordChangeDue.objects.filter(user=person).exists()
    event = person.account_events.get()
    assert (event.actor, event.action, event.role, event.commune) == (
        lai_chau_officer, AccountAction.CREATED, Role.COMMUNE_STAFF, tan_uyen
    )  # fmt: skip
    assert area_of(User.objects.get(pk=person.pk)).commune_ids == {tan_uyen.pk}


def test_the_national_level_creates_a_province_officer(client_for, national, thanh_hoa):
    data = _new_person(Role.PROVINCE_OFFICER, province=thanh_hoa.pk) | {"username": "tinh.moi"}
    assert client_for(national).post(reverse("clubs:person-create"), data).status_code == 302
    person = User.objects.get(username="tinh.moi")
    assert area_of(person).province_ids == {thanh_hoa.pk}
    assert person.account_events.get().actor == national


def test_a_new_account_needs_a_free_name_and_a_good_password(client_for, lai_chau_officer, staff, tan_uyen):
    client = client_for(lai_chau_officer)
    before = db_snapshot()
    taken = _new_person(Role.COMMUNE_STAFF, commune=tan_uyen.pk) | {"username": "XA.TANUYEN"}
    response = client.post(reverse("clubs:person-create"), taken)
    assert "Tên đăng nhập này đã có người dùng." in response.context["form"].errors["username"]
    weak = _new_person(Role.COMMUNE_STAFF, commune=tan_uyen.pk) | {
        "password1": "12345678",
        "password2": "12345678",
    }
    response = client.post(reverse("clubs:person-create"), weak)
    assert response.status_code == 200 and response.context["form"].errors["password1"]
    assert changed_tables(before, db_snapshot()) == []


def test_changing_the_role_records_what_it_was(client_for, lai_chau_officer, staff, than_uyen):
    data = {"full_name": "Nguyễn Thị Mai", "role": Role.COMMUNE_STAFF, "commune": than_uyen.pk}
    assert (
        client_for(lai_chau_officer).post(reverse("clubs:person-edit", args=[staff.pk]), data).status_code
        == 302
    )
    assert list(staff.assignments.values_list("commune_id", flat=True)) == [than_uyen.pk]
    event = staff.account_events.get()
    assert (event.action, event.actor, event.commune) == (
        AccountAction.ROLE_CHANGED,
        lai_chau_officer,
        than_uyen,
    )
    assert event.previous == "Cán bộ Hội NCT xã – Xã Tân Uyên"
    staff.refresh_from_db()
    assert staff.get_full_name() == "Nguyễn Thị Mai"
    # Saving the same role again is not a change.
    assert (
        client_for(lai_chau_officer).post(reverse("clubs:person-edit", args=[staff.pk]), data).status_code
        == 302
    )
    assert staff.account_events.count() == 1


def test_deactivating_reactivating_and_resetting_are_recorded(client_for, lai_chau_officer, staff):
    client = client_for(lai_chau_officer)
    client.post(reverse("clubs:person-deactivate", args=[staff.pk]))
    client.post(reverse("clubs:person-reactivate", args=[staff.pk]))
    reset = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(reverse("clubs:person-password-reset", args=[staff.pk]), reset).status_code == 302
    events = list(staff.account_events.order_by("at", "id").values_list("action", "actor"))
    assert events == [
        (AccountAction.DEACTIVATED, lai_chau_officer.pk),
        (AccountAction.REACTIVATED, lai_chau_officer.pk),
        (AccountAction.PASSWORD_RESET, lai_chau_officer.pk),
    ]
    staff.refresh_from_db()
    assert staff.is_active and staff.check_password(NEW_PASSWORD)
    assert PasswordChangeDue.objects.filter(user=staff).exists()
    page = client.get(reverse("clubs:person-detail", args=[staff.pk])).content.decode()
    assert "Đặt lại mật khẩu" in page and "Khóa tài khoản" in page and "data-confirm" in page


def test_two_passwords_that_differ_change_nothing(client_for, lai_chau_officer, staff):
    client = client_for(lai_chau_officer)
    before = db_snapshot()
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    response = client.post(reverse("clubs:person-password-reset", args=[staff.pk]), data)
    assert "Hai mật khẩu không giống nhau." in response.context["form"].errors["password2"]
    assert changed_tables(before, db_snapshot()) == []


# --- the password set by someone else is changed at the next login ---------------------------------------


def _log_in(username, password) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, "the login failed"
    return client


def test_a_new_user_must_choose_a_password_before_anything_else(client_for, lai_chau_officer, tan_uyen, club):
    client_for(lai_chau_officer).post(
        reverse("clubs:person-create"), _new_person(Role.COMMUNE_STAFF, commune=tan_uyen.pk)
    )
    person = User.objects.get(username="xa.moi")
    client = _log_in("xa.moi", NEW_PASSWORD)
    change = reverse("password_change")
    for url in (
        reverse("home"),
        reverse("clubs:club-detail", args=[club.pk]),
        reverse("members:member-list"),
    ):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, change), url
    response = client.post(reverse("clubs:club-edit", args=[club.pk]), {"name": "X"})
    assert (response.status_code, response["Location"]) == (302, change)
    page = client.get(change)
    assert page.status_code == 200 and "Mật khẩu của bạn do người khác đặt" in page.content.decode()
    assert client.get(reverse("healthz")).status_code == 200

    # Keeping the password someone else set is not choosing one's own.
    same = {"old_password": NEW_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(change, same)
    assert "Mật khẩu mới phải khác mật khẩu hiện tại." in response.context["form"].errors["new_password2"]
    assert PasswordChangeDue.objects.filter(user=person).exists()
    data = {"old_password": NEW_PASSWORD, "new_password1": CHOSEN, "new_password2": CHOSEN}
    assert client.post(change, data).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert not PasswordChangeDue.objects.filter(user=person).exists()
    assert person.account_events.filter(action=AccountAction.PASSWORD_CHANGED, actor=person).exists()
    # And at the next login too.
    assert _log_in("xa.moi", CHOSEN).get(reverse("home")).status_code == 200


def test_logging_out_still_works_while_the_password_is_due(lai_chau_officer, staff):
    accounts.account_password_reset(actor=lai_chau_officer, person=staff, password=NEW_PASSWORD)
    client = _log_in(staff.username, NEW_PASSWORD)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_reset_ends_the_sessions_open_with_the_old_password(lai_chau_officer, staff):
    client = _log_in(staff.username, PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    accounts.account_password_reset(actor=lai_chau_officer, person=staff, password=NEW_PASSWORD)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert _log_in(staff.username, NEW_PASSWORD).get(reverse("home"))["Location"] == reverse(
        "password_change"
    )


def test_changing_ones_own_password_is_for_everyone_and_recorded(staff):
    client = _log_in(staff.username, PASSWORD)
    data = {"old_password": PASSWORD, "new_password1": CHOSEN, "new_password2": CHOSEN}
    assert client.post(reverse("password_change"), data).status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(CHOSEN)
    assert list(staff.account_events.values_list("action", "actor")) == [
        (AccountAction.PASSWORD_CHANGED, staff.pk)
    ]


# --- a deactivated account -----------------------------------------------------------------------------


def test_a_deactivated_user_cannot_log_in_and_their_session_ends(client_for, lai_chau_officer, staff):
    open_session = _log_in(staff.username, PASSWORD)
    client_for(lai_chau_officer).post(reverse("clubs:person-deactivate", args=[staff.pk]))
    assert open_session.get(reverse("home"))["Location"].startswith(reverse("login"))
    response = Client().post(reverse("login"), {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 200 and not response.context["user"].is_authenticated
    # Nothing of theirs is deleted: the account and its role are there to be reactivated.
    assert User.objects.filter(pk=staff.pk, is_active=False).exists() and staff.assignments.exists()


def test_deactivating_twice_says_so_and_records_once(client_for, lai_chau_officer, staff):
    client = client_for(lai_chau_officer)
    client.post(reverse("clubs:person-deactivate", args=[staff.pk]))
    response = client.post(reverse("clubs:person-deactivate", args=[staff.pk]), follow=True)
    assert "Tài khoản này đã bị khóa." in response.content.decode()
    assert staff.account_events.count() == 1


# --- the list ------------------------------------------------------------------------------------------


def test_the_list_runs_a_fixed_number_of_queries(
    client_for, lai_chau_officer, tan_uyen, than_uyen, django_assert_max_num_queries
):
    client = client_for(lai_chau_officer)
    for n in range(3):
        make_user(f"xa.{n}", Role.COMMUNE_STAFF, commune=tan_uyen.code)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("clubs:people-list")).status_code == 200
    for n in range(3, 30):
        make_user(f"xa.{n}", Role.COMMUNE_STAFF, commune=than_uyen.code if n % 2 else tan_uyen.code)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(reverse("clubs:people-list"))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.content.decode().count('href="/people/') >= 30
    # Those who have not yet chosen their own password are marked (a reset, here).
    accounts.account_password_reset(
        actor=lai_chau_officer, person=User.objects.get(username="xa.7"), password=CHOSEN
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("clubs:people-list")).content.decode()
    assert page.count("Chưa đổi mật khẩu") == 1


def test_the_list_finds_names_without_diacritics_and_by_status(
    client_for, lai_chau_officer, staff, other_staff
):
    other_staff.first_name, other_staff.last_name = "Nguyễn", "Thị Lụa"
    other_staff.is_active = False
    other_staff.save()
    client = client_for(lai_chau_officer)
    found = client.get(reverse("clubs:people-list"), {"q": "nguyen thi lua"}).context["page"]
    assert list(found) == [other_staff]
    assert list(client.get(reverse("clubs:people-list"), {"status": "active"}).context["page"]) == [staff]


def test_the_navigation_shows_accounts_to_managers_only(client_for, lai_chau_officer, national, staff):
    link = f'href="{reverse("clubs:people-list")}"'
    assert link in client_for(lai_chau_officer).get(reverse("home")).content.decode()
    assert link in client_for(national).get(reverse("home")).content.decode()
    assert link not in client_for(staff).get(reverse("home")).content.decode()


def test_the_people_pages_read_in_english(client_for, lai_chau_officer, staff):
    client = client_for(lai_chau_officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    accounts.account_deactivate(actor=lai_chau_officer, person=staff)
    page = client.get(reverse("clubs:person-detail", args=[staff.pk])).content.decode()
    assert "Account log" in page and "Reactivate the account" in page and "Deactivated" in page
    assert "Nhật ký tài khoản" not in page
    assert "Staff accounts" in client.get(reverse("clubs:people-list")).content.decode()
