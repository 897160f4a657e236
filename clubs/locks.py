"""Approved periods are closed: no write dated inside one may change a commune's figures.

The province approves a commune's report for a period (reports app), which calls `period_lock`; it
can reopen the period with a reason (`period_reopen`). Every write path — forms, the meeting day,
imports, the admin — asks `check_open` (one date) or `check_open_days` (many dates, one query) before
it writes, and shows the `PeriodLocked` message, which names the period and who approved it.
Corrections go in the open period (a reversing entry, a later status) or wait for a reopening."""

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs.models import Club, PeriodLock
from places.models import Commune
from places.text import formula_error


class PeriodLocked(ValidationError):
    """A write dated inside an approved period. `lock` is the period that refuses it."""

    def __init__(self, lock: PeriodLock, day: datetime.date, field: str | None = None) -> None:
        self.lock = lock
        self.day = day
        self.field = field  # the form field holding the day, where the refusal is shown (forms.show_refusal)
        super().__init__(locked_message(lock, day), code="period_locked")


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else "?"


def locked_message(lock: PeriodLock, day: datetime.date) -> str:
    approved_on = timezone.localtime(lock.approved_at).date()
    return _(
        "Kỳ báo cáo %(label)s (%(start)s–%(end)s) của %(commune)s đã được %(approver)s duyệt ngày "
        "%(approved)s: không thể ghi hay sửa số liệu ngày %(day)s. Hãy ghi điều chỉnh vào kỳ đang mở, "
        "hoặc đề nghị Hội NCT tỉnh mở lại kỳ."
    ) % {
        "label": lock.label,
        "start": lock.starts_on.strftime("%d/%m/%Y"),
        "end": lock.ends_on.strftime("%d/%m/%Y"),
        "commune": lock.commune.name if lock.commune_id else "",
        "approver": _person(lock.approved_by),
        "approved": approved_on.strftime("%d/%m/%Y"),
        "day": day.strftime("%d/%m/%Y"),
    }


def _active_locks(commune_id: int):
    return PeriodLock.objects.filter(commune_id=commune_id, reopened_at__isnull=True).select_related(
        "commune", "approved_by"
    )


def lock_for(*, commune_id: int | None, day: datetime.date | None) -> PeriodLock | None:
    """The approved period of this commune that holds `day`, if any (one query)."""
    if commune_id is None or day is None:
        return None
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return _active_locks(commune_id).filter(starts_on__lte=day, ends_on__gte=day).first()


# (("club" | "commune"), id, day) a many-line write has just checked, in its transaction: see known_open.
_known_open: ContextVar[frozenset[tuple[str, int, datetime.date]]] = ContextVar(
    "known_open", default=frozenset()
)


def _day(day: datetime.date) -> datetime.date:
    if isinstance(day, datetime.datetime):
        return timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day


@contextmanager
def known_open(club: Club, day: datetime.date) -> Iterator[None]:
    """For a write of many lines on one day (the meeting day, the collection sheet) that has just
    checked the day with `check_club_open`: inside, the per-line checks of that club (or its commune)
    on that day ask the database nothing more, so the lock costs one query, not one per line."""
    with known_open_days([(club.pk, club.commune_id, day)]):
        yield


@contextmanager
def known_open_days(checked: Iterable[tuple[int, int, datetime.date]]) -> Iterator[None]:
    """As `known_open` for many (club id, commune id, day) at once: an import that has checked every
    row's date in one query (in its transaction) before writing the rows through the services."""
    keys = set()
    for club_id, commune_id, day in checked:
        keys |= {("club", club_id, _day(day)), ("commune", commune_id, _day(day))}
    token = _known_open.set(_known_open.get() | keys)
    try:
        yield
    finally:
        _known_open.reset(token)


def check_open(*, commune_id: int | None, day: datetime.date | None) -> None:
    """Raise PeriodLocked when `day` lies in an approved period of the commune."""
    if day is not None and ("commune", commune_id, _day(day)) in _known_open.get():
        return
    lock = lock_for(commune_id=commune_id, day=day)
    if lock is not None:
        raise PeriodLocked(lock, day)


def check_club_open(club: Club, day: datetime.date | None) -> None:
    check_open(commune_id=club.commune_id, day=day)


def check_club_id_open(*, club_id: int | None, day: datetime.date | None) -> None:
    """As `check_club_open` when only the club's id is at hand (a fund, a loan): one query, joined."""
    if club_id is None or day is None:
        return
    day = _day(day)
    if ("club", club_id, day) in _known_open.get():
        return
    lock = (
        # The club's commune by a subquery of forward links only: a reverse join (commune__clubs) fails
        # where the app registry is narrowed (available_apps in tests/funds/test_concurrency.py).
        PeriodLock.objects.filter(
            commune_id=Club.objects.filter(pk=club_id).values("commune_id")[:1], reopened_at__isnull=True
        )
        .filter(starts_on__lte=day, ends_on__gte=day)
        .select_related("commune", "approved_by")
        .first()
    )
    if lock is not None:
        raise PeriodLocked(lock, day)


def check_open_days(*, commune_id: int | None, days: Iterable[datetime.date | None]) -> None:
    """For imports and other many-row writes: one query, raises for the earliest locked day."""
    days = sorted({d for d in days if d is not None})
    if commune_id is None or not days:
        return
    locks = list(_active_locks(commune_id).filter(starts_on__lte=days[-1], ends_on__gte=days[0]))
    for day in days:
        for lock in locks:
            if lock.starts_on <= day <= lock.ends_on:
                raise PeriodLocked(lock, day)


def active_locks_by_club(
    club_ids: Iterable[int], first: datetime.date, last: datetime.date
) -> dict[int, list[PeriodLock]]:
    """The active locks meeting first..last of each club's commune (imports, the admin: many clubs and
    dates). Two queries whatever the number of rows: the clubs' communes, then their locks."""
    communes = dict(Club.objects.filter(pk__in=set(club_ids)).values_list("pk", "commune_id"))
    locks = active_locks_by_commune(communes.values(), first, last)
    return {club_id: locks.get(commune_id, []) for club_id, commune_id in communes.items()}


def active_locks_by_commune(
    commune_ids: Iterable[int | None], first: datetime.date, last: datetime.date
) -> dict[int, list[PeriodLock]]:
    """The active locks meeting first..last of each commune: one query (a club not yet saved, by its commune)."""
    locks: dict[int, list[PeriodLock]] = {}
    found = PeriodLock.objects.filter(
        commune_id__in={pk for pk in commune_ids if pk is not None},
        reopened_at__isnull=True,
        starts_on__lte=last,
        ends_on__gte=first,
    ).select_related("commune", "approved_by")
    for lock in found:
        locks.setdefault(lock.commune_id, []).append(lock)
    return locks


# A club's own dates: its founding (decision, launch) and its life (suspended, resumed, dissolved) are
# counted by the reports (clubs decided, launched, active in a period), so they are dated writes too.
CLUB_DATES = ("decision_date", "launched_on", "suspended_on", "resumed_on", "dissolved_on")


def check_club_dates(*, club: Club, before: Club | None = None) -> None:
    """Refuse a new club, or a change of a club's dates, that touches an approved period: each date given
    (in its commune) and, for a change, each date as it was (in the commune it was in). One query."""
    dated = club_dated(club, before)
    if not dated:
        return
    locks = active_locks_by_commune({commune_id for _d, commune_id, _f in dated}, dated[0][0], dated[-1][0])
    for day, commune_id, name in dated:
        for lock in locks.get(commune_id, ()):
            if lock.starts_on <= day <= lock.ends_on:
                raise PeriodLocked(lock, day, field=name)


def club_dated(club: Club, before: Club | None = None) -> list[tuple[datetime.date, int, str]]:
    """(day, commune id, field) a new club, or a change of a club, writes: every date of a new club; a
    changed date as it was and as it becomes; every date twice when the club changes commune. By day."""
    dated: list[tuple[datetime.date, int, str]] = []
    for name in CLUB_DATES:
        new = getattr(club, name)
        old = getattr(before, name) if before is not None else None
        if before is not None and new == old and club.commune_id == before.commune_id:
            continue
        if new is not None and club.commune_id is not None:
            dated.append((new, club.commune_id, name))
        if old is not None and before.commune_id is not None:
            dated.append((old, before.commune_id, name))
    return sorted(dated)


@transaction.atomic
def period_lock(
    *, commune: Commune, label: str, starts_on: datetime.date, ends_on: datetime.date, by: Any
) -> PeriodLock:
    """Close a commune's period (called when the province approves its report)."""
    lock = PeriodLock(
        commune=commune,
        label=label,
        starts_on=starts_on,
        ends_on=ends_on,
        approved_by=by,
        approved_at=timezone.now(),
    )
    lock.full_clean()
    lock.save()
    return lock


@transaction.atomic
def period_reopen(*, lock: PeriodLock, by: Any, reason: str) -> PeriodLock:
    """Open an approved period again; the reason is kept (and the history of the row)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Hãy ghi lý do mở lại kỳ báo cáo."), code="reason_required")
    if error := formula_error(reason, _("Lý do mở lại"), prose=True):  # the field's NoFormulaStart
        raise ValidationError(error, code="formula")
    lock = PeriodLock.objects.select_for_update().get(pk=lock.pk)
    if lock.reopened_at is not None:
        raise ValidationError(_("Kỳ báo cáo này đã được mở lại."), code="already_reopened")
    lock.reopened_by = by
    lock.reopened_at = timezone.now()
    lock.reopen_reason = reason
    lock.save(update_fields=["reopened_by", "reopened_at", "reopen_reason"])
    return lock
