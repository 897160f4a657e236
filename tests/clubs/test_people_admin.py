"""The Django admin's user pages are another way to change people's accounts: what an admin does there is
recorded like on the people pages (clubs/accounts.py), and a password set there must be changed by its
owner at their next login."""

import pytest
from django.urls import reverse

from clubs.models import AccountAction, Assignment, PasswordChangeDue, Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "mat-khau-dat-boi-admin-1"


def _change_form_data(response) -> dict:
    """What the admin's user page would send back unchanged: its fields and its roles' inline rows."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name in ("last_login", "date_joined"):
            data[f"{name}_0"] = value.strftime("%Y-%m-%d") if value else ""
            data[f"{name}_1"] = value.strftime("%H:%M:%S") if value else ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None and name != "password":
            data[name] = str(value)
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
        management = fs.management_form
        for name in management.fields:
            data[f"{fs.prefix}-{name}"] = str(management[name].value())
        for sub in fs.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value not in (None, False):
                    data[f"{sub.prefix}-{name}"] = str(value)
    return data


def test_deactivating_and_giving_roles_in_the_admin_is_recorded(client_for, admin_user, staff, than_uyen):
    client = client_for(admin_user)
    url = reverse("admin:auth_user_change", args=[staff.pk])
    data = _change_form_data(client.get(url))
    data.pop("is_active")
    assert client.post(url, data).status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active
    event = staff.account_events.get()
    assert (event.action, event.actor) == (AccountAction.DEACTIVATED, admin_user)

    data = _change_form_data(client.get(url))
    data["is_active"] = "on"
    data["assignments-0-commune"] = str(than_uyen.pk)
    assert client.post(url, data).status_code == 302
    assert list(staff.assignments.values_list("commune_id", flat=True)) == [than_uyen.pk]
    actions = list(staff.account_events.order_by("id").values_list("action", "commune_id", "previous"))
    assert actions == [
        (AccountAction.DEACTIVATED, None, "Cán bộ Hội NCT xã – Xã Tân Uyên"),
        (AccountAction.REACTIVATED, None, "Cán bộ Hội NCT xã – Xã Tân Uyên"),
        (AccountAction.ROLE_CHANGED, than_uyen.pk, "Cán bộ Hội NCT xã – Xã Tân Uyên"),
    ]


def test_a_password_an_admin_sets_in_the_admin_must_be_changed(client_for, admin_user, staff):
    client = client_for(admin_user)
    url = reverse("admin:auth_user_password_change", args=[staff.pk])
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    assert client.post(url, data).status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    assert PasswordChangeDue.objects.filter(user=staff).exists()
    assert list(staff.account_events.values_list("action", "actor")) == [
        (AccountAction.PASSWORD_RESET, admin_user.pk)
    ]
    # A form sent back with an error changes and records nothing.
    client.post(url, {"password1": NEW_PASSWORD, "password2": "khac"})
    assert staff.account_events.count() == 1


def test_a_user_created_in_the_admin_is_recorded_and_must_change_the_password(
    client_for, admin_user, tan_uyen
):
    client = client_for(admin_user)
    data = {
        "username": "xa.admin",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "usable_password": "true",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-role": Role.COMMUNE_STAFF,
        "assignments-0-commune": str(tan_uyen.pk),
    }
    response = client.post(reverse("admin:auth_user_add"), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    assignment = Assignment.objects.get(user__username="xa.admin")
    person = assignment.user
    assert PasswordChangeDue.objects.filter(user=person).exists()
    event = person.account_events.get()
    assert (event.action, event.actor, event.role, event.commune) == (
        AccountAction.CREATED,
        admin_user,
        Role.COMMUNE_STAFF,
        tan_uyen,
    )


def test_the_account_log_is_read_only_in_the_admin(client_for, admin_user, lai_chau_officer, staff):
    from clubs.accounts import account_deactivate

    account_deactivate(actor=lai_chau_officer, person=staff)
    client = client_for(admin_user)
    assert client.get(reverse("admin:clubs_accountevent_changelist")).status_code == 200
    assert client.get(reverse("admin:clubs_accountevent_add")).status_code == 403
