"""People in the hierarchy: who may give which role where, and the changes to people's accounts.

Province officers create, deactivate and reset the passwords of commune staff in their province; the
national level does the same for province officers (any province); an admin for every role but admin
(admins are made in the Django admin). Nobody gives a role wider than their own or an area outside
their own, and nobody manages a person who holds a role they could not give (resetting the password of
someone wider would be taking over their account). Everyone changes their own password.

Every change writes an AccountEvent (who, whom, what, when). A password set by someone else leaves a
PasswordChangeDue: at their next login the person is sent to choose their own (clubs/middleware.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from clubs.access import Area, area_of
from clubs.models import AccountAction, AccountEvent, Assignment, PasswordChangeDue, Role
from places.models import Commune, Province

# The session remembers from the login on that the password must be changed: no query per request.
SESSION_KEY = "password_change_due"

# ---------------------------------------------------------------------------
# Who may give what.
# ---------------------------------------------------------------------------


def grantable_roles(area: Area) -> list[str]:
    """The roles a person with this area may give, widest first."""
    roles = []
    if area.is_admin:
        roles.append(Role.NATIONAL)
    if area.is_admin or area.is_national:
        roles.append(Role.PROVINCE_OFFICER)
    if area.is_admin or area.is_province_officer:
        roles.append(Role.COMMUNE_STAFF)
    return roles


def grantable_q(area: Area, prefix: str = "") -> Q:
    """The assignments (rows of Assignment, through `prefix`) this area may give: Q(pk__in=[]) for none."""
    p = prefix
    condition = Q(pk__in=[])
    roles = grantable_roles(area)
    if area.is_admin:
        return Q(**{f"{p}role__in": roles})
    if Role.PROVINCE_OFFICER in roles:
        condition |= Q(**{f"{p}role": Role.PROVINCE_OFFICER})
    if Role.COMMUNE_STAFF in roles:
        condition |= Q(**{f"{p}role": Role.COMMUNE_STAFF, f"{p}commune__province_id__in": area.province_ids})
    return condition


def may_grant(area: Area, role: str, *, province: Province | None, commune: Commune | None) -> bool:
    """Whether this area may give `role` in that place (and the place fits the role)."""
    if role not in grantable_roles(area):
        return False
    if role == Role.NATIONAL:
        return province is None and commune is None
    if role == Role.PROVINCE_OFFICER:
        return province is not None and commune is None
    if role == Role.COMMUNE_STAFF:
        return (
            commune is not None
            and province is None
            and (area.is_admin or commune.province_id in area.province_ids)
        )
    return False


def people_managed_by(actor: Any) -> QuerySet[User]:
    """The accounts `actor` may manage: every role they hold is one `actor` may give, and they are not
    Django-admin staff. An admin also manages accounts that hold no role yet. Never `actor` themselves."""
    area = area_of(actor)
    if not grantable_roles(area):
        return User.objects.none()
    people = User.objects.filter(is_superuser=False, is_staff=False).exclude(pk=actor.pk)
    allowed = grantable_q(area)
    beyond = Assignment.objects.filter(user=OuterRef("pk")).exclude(allowed)
    people = people.exclude(Exists(beyond))
    if not area.is_admin:
        people = people.filter(Exists(Assignment.objects.filter(allowed, user=OuterRef("pk"))))
    return people


def person_for(actor: Any, pk: int) -> User:
    """The account for this manager, or 404 (as for anything outside one's area: `get_for_user`)."""
    try:
        return people_managed_by(actor).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def require_people_manager(actor: Any) -> Area:
    area = area_of(actor)
    if not grantable_roles(area):
        raise PermissionDenied(
            _("Chỉ cán bộ Hội NCT tỉnh, Trung ương Hội và quản trị viên mới quản lý tài khoản.")
        )
    return area


def _require_grant(actor: Any, role: str, province: Province | None, commune: Commune | None) -> None:
    if not may_grant(area_of(actor), role, province=province, commune=commune):
        raise PermissionDenied(_("Bạn không được giao vai trò này ở địa bàn này."))


def _require_manages(actor: Any, person: User) -> None:
    if not people_managed_by(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("Bạn không quản lý tài khoản này."))


def roles_text(person: User) -> str:
    """The roles a person holds, in Vietnamese (the audit keeps what was, as it read then)."""
    with translation.override("vi"):
        parts = [
            f"{Role(a.role).label} – {a.commune or a.province}"
            if (a.commune or a.province)
            else str(Role(a.role).label)
            for a in person.assignments.select_related("province", "commune").order_by("role", "id")
        ]
    return "; ".join(parts)[:500]


def _record(actor: Any, person: User, action: str, **fields: Any) -> AccountEvent:
    return AccountEvent.objects.create(
        person=person,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        **fields,
    )


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from None


# ---------------------------------------------------------------------------
# Changes to accounts.
# ---------------------------------------------------------------------------


@transaction.atomic
def account_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    password: str,
    role: str,
    province: Province | None = None,
    commune: Commune | None = None,
) -> User:
    """A new account holding one role; its password was chosen by `actor`, so it must be changed."""
    _require_grant(actor, role, province, commune)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập này đã có người dùng.")})
    first, _sep, last = full_name.strip().partition(" ")
    user = User(username=username, first_name=first, last_name=last)
    _check_password(password, user)
    user.set_password(password)
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same name, created a moment ago by someone else
        raise ValidationError({"username": _("Tên đăng nhập này đã có người dùng.")}) from None
    Assignment.objects.create(user=user, role=role, province=province, commune=commune)
    PasswordChangeDue.objects.create(user=user)
    _record(actor, user, AccountAction.CREATED, role=role, province=province, commune=commune)
    return user


@transaction.atomic
def account_role_set(
    *, actor: Any, person: User, role: str, province: Province | None = None, commune: Commune | None = None
) -> bool:
    """The person now holds exactly this role (their other roles end). False when nothing changed."""
    _require_manages(actor, person)
    _require_grant(actor, role, province, commune)
    held = list(person.assignments.values_list("role", "province_id", "commune_id"))
    wanted = (role, province.pk if province else None, commune.pk if commune else None)
    if held == [wanted]:
        return False
    previous = roles_text(person)
    person.assignments.all().delete()
    Assignment.objects.create(user=person, role=role, province=province, commune=commune)
    _record(
        actor,
        person,
        AccountAction.ROLE_CHANGED,
        role=role,
        province=province,
        commune=commune,
        previous=previous,
    )
    return True


@transaction.atomic
def account_name_set(*, actor: Any, person: User, full_name: str) -> None:
    _require_manages(actor, person)
    first, _sep, last = full_name.strip().partition(" ")
    if (person.first_name, person.last_name) != (first, last):
        person.first_name, person.last_name = first, last
        person.save(update_fields=["first_name", "last_name"])


@transaction.atomic
def account_deactivate(*, actor: Any, person: User) -> None:
    """The person can no longer log in (their sessions end too); nothing of theirs is deleted."""
    _require_manages(actor, person)
    if not person.is_active:
        raise ValidationError(_("Tài khoản này đã bị khóa."))
    person.is_active = False
    person.save(update_fields=["is_active"])
    _record(actor, person, AccountAction.DEACTIVATED, previous=roles_text(person))


@transaction.atomic
def account_reactivate(*, actor: Any, person: User) -> None:
    _require_manages(actor, person)
    if person.is_active:
        raise ValidationError(_("Tài khoản này đang hoạt động."))
    person.is_active = True
    person.save(update_fields=["is_active"])
    _record(actor, person, AccountAction.REACTIVATED, previous=roles_text(person))


@transaction.atomic
def account_password_reset(*, actor: Any, person: User, password: str) -> None:
    """A new password chosen by `actor`: the person's sessions end and they choose their own at next login."""
    _require_manages(actor, person)
    _check_password(password, person)
    person.set_password(password)
    person.save(update_fields=["password"])
    PasswordChangeDue.objects.get_or_create(user=person)
    _record(actor, person, AccountAction.PASSWORD_RESET)


@transaction.atomic
def own_password_changed(*, user: User, session: Any = None) -> None:
    """After a person changed their own password (the form saved it): no longer due, and recorded."""
    PasswordChangeDue.objects.filter(user=user).delete()
    if session is not None:
        session.pop(SESSION_KEY, None)
    _record(user, user, AccountAction.PASSWORD_CHANGED)


def mark_session_at_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    """Receiver of user_logged_in (every way of logging in: the login page, the admin's): the session
    remembers that the password must be changed, so the pages need no query to know it."""
    if request is not None and hasattr(request, "session"):
        if PasswordChangeDue.objects.filter(user=user).exists():
            request.session[SESSION_KEY] = True
        else:
            request.session.pop(SESSION_KEY, None)


# ---------------------------------------------------------------------------
# The Django admin's user pages (clubs/admin.py): an admin may do anything there, but it is recorded the
# same way, and a password an admin sets there must be changed by its owner too.
# ---------------------------------------------------------------------------


def admin_change_record(*, actor: Any, person: User, action: str, previous: str = "") -> AccountEvent:
    fields: dict[str, Any] = {"previous": previous}
    if action in (AccountAction.CREATED, AccountAction.ROLE_CHANGED):
        held = list(person.assignments.all()[:2])
        if len(held) == 1:
            fields |= {
                "role": held[0].role,
                "province_id": held[0].province_id,
                "commune_id": held[0].commune_id,
            }
    if action in (AccountAction.CREATED, AccountAction.PASSWORD_RESET) and person.pk != getattr(
        actor, "pk", None
    ):
        PasswordChangeDue.objects.get_or_create(user=person)
    return _record(actor, person, action, **fields)
