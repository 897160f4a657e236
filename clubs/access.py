"""Who may see and change what.

Every queryset the UI shows goes through `scope()`, and every view that takes an id
fetches its object with `get_for_user()` (404 outside the user's area). Each model that
can be scoped says how to reach its province and commune with `scope_lookups`.

Roles:
- admin: everything, everywhere;
- province officer: reads all data of their province, prints its reports, manages its
  plans, targets and club ratings, but does not edit the register;
- commune staff: reads and edits the clubs (and their members, funds, activities) of the
  communes assigned to them;
- national (Trung ương Hội): reads everything in every province and approves the provinces'
  reports (reporting cycle), but edits, imports and manages no data (it does manage the province officers' accounts).

Whose accounts each role manages (province officers: their province's commune staff; the national
level: province officers; admins: everyone but admins) is clubs/accounts.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from clubs.models import Role


@dataclass(frozen=True)
class Area:
    is_admin: bool = False
    # Province officers read everything in these provinces.
    province_ids: frozenset[int] = frozenset()
    # Commune staff read and edit in these communes...
    commune_ids: frozenset[int] = frozenset()
    # ...which lie in these provinces (so they may see the province itself).
    commune_province_ids: frozenset[int] = frozenset()
    # The national level reads every province, read-only.
    is_national: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.is_admin or self.is_national or self.province_ids or self.commune_ids)

    @property
    def reads_everything(self) -> bool:
        """Admins and the national level see every province (only admins change anything)."""
        return self.is_admin or self.is_national

    @property
    def national_only(self) -> bool:
        """The national level and nothing else: reads every province, writes nowhere."""
        return self.is_national and not (self.is_admin or self.province_ids or self.commune_ids)

    def writable_q(self, province_lookup: str, commune_lookup: str | None) -> Q:
        """Like q(), without what the national role adds: the rows a user may import or write into."""
        if self.is_admin:
            return Q()
        return replace(self, is_national=False).q(province_lookup, commune_lookup)

    @property
    def is_province_officer(self) -> bool:
        return bool(self.province_ids)

    @property
    def is_commune_staff(self) -> bool:
        return bool(self.commune_ids)

    @property
    def manages_people(self) -> bool:
        """Creates and manages accounts below their own role (clubs/accounts.py)."""
        return self.is_admin or self.is_national or self.is_province_officer

    def q(self, province_lookup: str, commune_lookup: str | None) -> Q:
        """A filter selecting the rows inside this area."""
        if self.reads_everything:
            return Q()
        condition = Q(pk__in=[])
        if self.province_ids:
            condition |= Q(**{f"{province_lookup}__in": self.province_ids})
        if self.commune_ids:
            if commune_lookup is None:  # the model is a province
                condition |= Q(**{f"{province_lookup}__in": self.commune_province_ids})
            else:
                condition |= Q(**{f"{commune_lookup}__in": self.commune_ids})
        return condition

    def covers(self, *, province_id: int | None, commune_id: int | None) -> bool:
        if self.reads_everything:
            return True
        return province_id in self.province_ids or commune_id in self.commune_ids

    def can_edit_commune(self, commune_id: int | None) -> bool:
        return self.is_admin or commune_id in self.commune_ids

    def can_manage_province(self, province_id: int | None) -> bool:
        """Plans, targets, club ratings, submitted reports of a province."""
        return self.is_admin or province_id in self.province_ids


def area_of(user: Any) -> Area:
    """The area a user works in, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Area()
    cached = getattr(user, "_area", None)
    if cached is not None:
        return cached
    is_admin = user.is_superuser
    is_national = False
    provinces: set[int] = set()
    communes: set[int] = set()
    commune_provinces: set[int] = set()
    for role, province_id, commune_id, commune_province_id in user.assignments.values_list(
        "role", "province_id", "commune_id", "commune__province_id"
    ):
        if role == Role.ADMIN:
            is_admin = True
        elif role == Role.PROVINCE_OFFICER:
            provinces.add(province_id)
        elif role == Role.COMMUNE_STAFF:
            communes.add(commune_id)
            commune_provinces.add(commune_province_id)
        elif role == Role.NATIONAL:
            is_national = True
    area = Area(
        is_admin, frozenset(provinces), frozenset(communes), frozenset(commune_provinces), is_national
    )
    user._area = area
    return area


def scope[M: Model](queryset: QuerySet[M], user: Any) -> QuerySet[M]:
    """Only the rows of `queryset` that lie in the user's area."""
    province_lookup, commune_lookup = queryset.model.scope_lookups
    area = area_of(user)
    if area.is_empty:
        return queryset.none()
    return queryset.filter(area.q(province_lookup, commune_lookup))


def get_for_user[M: Model](queryset: QuerySet[M], user: Any, **lookup: Any) -> M:
    """The object for this user, or 404 when it does not exist or lies outside their area."""
    try:
        return scope(queryset, user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def _follow(obj: Model, lookup: str | None) -> Any:
    if lookup is None:
        return None
    value: Any = obj
    for part in lookup.split("__"):
        value = getattr(value, part)
        if value is None:
            return None
    return value


def place_of(obj: Model) -> tuple[int | None, int | None]:
    """(province id, commune id) of a scoped object."""
    province_lookup, commune_lookup = type(obj).scope_lookups
    return _follow(obj, province_lookup), _follow(obj, commune_lookup)


def can_edit(user: Any, obj: Model) -> bool:
    """Whether the user may change the register data of `obj` (a club, a member, a loan…)."""
    _province_id, commune_id = place_of(obj)
    return area_of(user).can_edit_commune(commune_id)


def require_edit(user: Any, obj: Model) -> None:
    if not can_edit(user, obj):
        raise PermissionDenied(_("Bạn chỉ có quyền xem dữ liệu này, không có quyền sửa."))


def require_register_writer(user: Any) -> None:
    """Founding a club needs a commune to put it in: admins and commune staff only."""
    area = area_of(user)
    if not (area.is_admin or area.is_commune_staff):
        raise PermissionDenied(_("Bạn chỉ có quyền xem dữ liệu này, không có quyền sửa."))


def require_province_manager(user: Any, province_id: int | None) -> None:
    if not area_of(user).can_manage_province(province_id):
        raise PermissionDenied(_("Chỉ cán bộ Hội NCT tỉnh hoặc quản trị viên mới được làm việc này."))
