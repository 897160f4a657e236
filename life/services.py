"""Writes about club life: activities, the monthly meeting day, health checks, home care, ratings.

Each function validates everything before it writes and runs in one transaction: bad input raises
`ValidationError` with a Vietnamese message and leaves the database as it was.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from clubs.locks import check_club_id_open, check_club_open, check_open_days, known_open
from clubs.models import ActivityArea, Club
from funds.models import EntryKind, Fund, FundEntry, FundKind, Source
from funds.services import CollectionLine, collection_sheet_save, fund_entry_add, fund_entry_reverse
from life.models import (
    Activity,
    ActivityType,
    Attendance,
    AttendanceStatus,
    CareAssignment,
    CareTask,
    CareVisit,
    ClubRating,
    HealthCheck,
    Rating,
)
from members.models import Member, active_on_q

# ---------------------------------------------------------------------------
# Health checks.
# ---------------------------------------------------------------------------

HEALTH_FIELDS = ("weight_kg", "systolic", "diastolic", "pulse")

# Plausible readings (the same bounds as the model's validators), with the words to explain a refusal.
HEALTH_LIMITS: dict[str, tuple[int, int, Any, str]] = {
    "weight_kg": (20, 200, gettext_lazy("Cân nặng"), "kg"),
    "systolic": (60, 260, gettext_lazy("Huyết áp tâm thu (số trên)"), "mmHg"),
    "diastolic": (30, 160, gettext_lazy("Huyết áp tâm trương (số dưới)"), "mmHg"),
    "pulse": (30, 220, gettext_lazy("Mạch"), gettext_lazy("lần/phút")),
}


def _number(value: Any) -> str:
    """A reading as people write it: 0 not 0,0; 52,5 with a decimal comma."""
    if isinstance(value, Decimal | float) and value == int(value):
        return str(int(value))
    return f"{value}".replace(".", ",")


def health_check_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """Why a reading is implausible, by field; empty when it may be saved. Shared by forms and services."""
    errors: dict[str, str] = {}
    for field, (low, high, label, unit) in HEALTH_LIMITS.items():
        value = values.get(field)
        if value is not None and not low <= value <= high:
            errors[field] = _(
                "%(label)s %(value)s %(unit)s không hợp lý: hãy nhập từ %(low)s đến %(high)s %(unit)s."
            ) % {
                "label": label,
                "value": _number(value),
                "unit": unit,
                "low": low,
                "high": high,
            }
    systolic, diastolic = values.get("systolic"), values.get("diastolic")
    if (systolic is None) != (diastolic is None):
        missing = "diastolic" if diastolic is None else "systolic"
        errors.setdefault(missing, _("Hãy nhập đủ cả hai số huyết áp (tâm thu và tâm trương)."))
    elif systolic is not None and not errors.keys() & {"systolic", "diastolic"} and systolic <= diastolic:
        errors["diastolic"] = _("Huyết áp tâm thu (số trên) phải lớn hơn tâm trương (số dưới).")
    if all(values.get(field) is None for field in HEALTH_FIELDS):
        errors["__all__"] = _("Hãy nhập ít nhất một chỉ số: cân nặng, huyết áp hoặc mạch.")
    return errors


def _today() -> datetime.date:
    return timezone.localdate()


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > _today():
        raise ValidationError({field: _("Ngày không được sau hôm nay.")})


def _member_of(club: Club, member: Member, field: str) -> None:
    if member.club_id != club.pk:
        raise ValidationError(
            {field: _("%(name)s không phải thành viên của CLB.") % {"name": member.full_name}}
        )


@transaction.atomic
def health_check_add(
    *,
    member: Member,
    checked_on: datetime.date,
    weight_kg: Decimal | None = None,
    systolic: int | None = None,
    diastolic: int | None = None,
    pulse: int | None = None,
    note: str = "",
    recorded_by: Any = None,
) -> HealthCheck:
    """Record one health check of a member, in the member's club."""
    values = {"weight_kg": weight_kg, "systolic": systolic, "diastolic": diastolic, "pulse": pulse}
    errors = health_check_errors(values)
    if errors:
        raise ValidationError(errors)
    _not_in_future(checked_on, "checked_on")
    check_club_id_open(club_id=member.club_id, day=checked_on)
    if not member.is_active_on(checked_on):
        raise ValidationError({"checked_on": _("Ngày đo nằm ngoài thời gian sinh hoạt của thành viên.")})
    check = HealthCheck(
        member=member,
        club_id=member.club_id,
        checked_on=checked_on,
        note=note,
        recorded_by=recorded_by,
        **values,
    )
    check.full_clean(exclude=["recorded_by"])
    check.save()
    return check


# ---------------------------------------------------------------------------
# Activities.
# ---------------------------------------------------------------------------


def _contribution_entry(
    *,
    club: Club,
    fund_kind: str,
    amount: int,
    entry_date: datetime.date,
    source: str,
    note: str,
    recorded_by: Any,
) -> FundEntry:
    """Book money raised by an activity as a contribution to one of the club's funds."""
    fund = Fund.objects.filter(club=club, kind=fund_kind).first()
    if fund is None:
        raise ValidationError({"book_to_fund": _("CLB chưa có quỹ này.")})
    return fund_entry_add(
        fund=fund,
        kind=EntryKind.CONTRIBUTION,
        amount=amount,
        entry_date=entry_date,
        source=source,
        note=note[:300],
        recorded_by=recorded_by,
    )


def _reverse_entry(entry: FundEntry, *, recorded_by: Any) -> FundEntry:
    """The ledger is never edited: a booked contribution is cancelled by a reversing entry of the
    same date, so the fund's history reads right at every date."""
    return fund_entry_reverse(
        entry=entry,
        entry_date=entry.entry_date,
        note=(_("Sửa hoạt động: %(title)s") % {"title": entry.note})[:300],
        recorded_by=recorded_by,
    )


def _check_activity(
    activity: Activity, participants: Sequence[Member], book_to_fund: str | None, source: str
) -> None:
    _not_in_future(activity.held_on, "held_on")
    for member in participants:
        _member_of(activity.club, member, "participants")
    if activity.money_raised is not None and activity.money_raised < 0:
        raise ValidationError({"money_raised": _("Số tiền không được âm.")})
    if book_to_fund:
        if book_to_fund not in FundKind.values:
            raise ValidationError({"book_to_fund": _("Hãy chọn quỹ để ghi số tiền.")})
        if not activity.money_raised:
            raise ValidationError({"money_raised": _("Hãy nhập số tiền vận động được để ghi vào quỹ.")})
        if source not in Source.values:
            raise ValidationError({"source": _("Hãy chọn nguồn đóng góp.")})
    activity.participants_count = max(activity.participants_count, len(participants))
    activity.full_clean(exclude=["recorded_by"])


@transaction.atomic
def activity_create(
    *,
    club: Club,
    held_on: datetime.date,
    area: int,
    kind: str,
    title: str,
    description: str = "",
    participants_count: int = 0,
    participants: Sequence[Member] = (),
    volunteers_count: int = 0,
    money_raised: int | None = None,
    book_to_fund: str | None = None,
    source: str = "",
    recorded_by: Any = None,
) -> Activity:
    """Log an activity. With `book_to_fund` ("income" or "activity"), the money raised is booked as a
    contribution to that fund in the same step."""
    activity = Activity(
        club=club,
        held_on=held_on,
        area=area,
        kind=kind,
        title=title.strip(),
        description=description,
        participants_count=participants_count,
        volunteers_count=volunteers_count,
        money_raised=money_raised,
        recorded_by=recorded_by,
    )
    _check_activity(activity, participants, book_to_fund, source)
    check_club_open(club, held_on)
    if book_to_fund:
        activity.fund_entry = _contribution_entry(
            club=club,
            fund_kind=book_to_fund,
            amount=money_raised,
            entry_date=held_on,
            source=source,
            note=activity.title,
            recorded_by=recorded_by,
        )
    activity.save()
    if participants:
        activity.participants.set(participants)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    participants: Sequence[Member] | None = None,
    book_to_fund: str | None = None,
    source: str = "",
    recorded_by: Any = None,
    **fields: Any,
) -> Activity:
    """Change an activity. When the money booked to a fund changes (amount, date or fund), the old
    entry is reversed and a new one booked; `book_to_fund=None` on a booked activity reverses it."""
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("club", "fund_entry__fund")
        .get(pk=activity.pk)
    )
    was_meeting = activity.kind == ActivityType.MONTHLY_MEETING
    held_on = activity.held_on
    # An activity of an approved period stays as approved, and none is moved into one.
    check_open_days(commune_id=activity.club.commune_id, days=[held_on, fields.get("held_on")])
    for name, value in fields.items():
        setattr(activity, name, value)
    if "title" in fields:
        activity.title = activity.title.strip()
    if was_meeting and activity.attendance.exists():
        # The day's attendance, checks and repayments are tied to the date and the kind.
        if activity.kind != ActivityType.MONTHLY_MEETING:
            raise ValidationError(
                {"kind": _("Buổi sinh hoạt đã có điểm danh: không thể đổi sang loại hoạt động khác.")}
            )
        if activity.held_on != held_on:
            raise ValidationError(
                {"held_on": _("Buổi sinh hoạt đã có điểm danh theo ngày này: không thể đổi ngày.")}
            )
    kept = list(participants) if participants is not None else list(activity.participants.all())
    old = activity.fund_entry
    if book_to_fund and not source and old is not None:
        source = old.source  # kept unless changed
    _check_activity(activity, kept, book_to_fund, source)
    wanted = (book_to_fund, activity.money_raised, activity.held_on, source) if book_to_fund else None
    booked = (old.fund.kind, old.amount, old.entry_date, old.source) if old else None
    if wanted != booked:
        if old is not None:
            _reverse_entry(old, recorded_by=recorded_by)
            activity.fund_entry = None
        if book_to_fund:
            activity.fund_entry = _contribution_entry(
                club=activity.club,
                fund_kind=book_to_fund,
                amount=activity.money_raised,
                entry_date=activity.held_on,
                source=source,
                note=activity.title,
                recorded_by=recorded_by,
            )
    activity.save()
    if participants is not None:
        activity.participants.set(kept)
    return activity


# ---------------------------------------------------------------------------
# The monthly meeting day: attendance, health checks and the collection sheet of repayments.
# ---------------------------------------------------------------------------


def members_on(club: Club, on: datetime.date) -> QuerySet[Member]:
    """Members in the club on a date, by their membership history (a member who has moved on since
    still counts at a past meeting)."""
    return (
        Member.objects.filter(active_on_q(on, prefix="memberships__"), memberships__club=club)
        .distinct()
        .order_by("search_key", "pk")
    )


def meeting_title(held_on: datetime.date) -> str:
    return _("Sinh hoạt định kỳ tháng %(month)s") % {"month": f"{held_on:%m/%Y}"}


def health_title(held_on: datetime.date) -> str:
    return _("Đo cân nặng, huyết áp tại buổi sinh hoạt %(date)s") % {"date": f"{held_on:%d/%m/%Y}"}


@transaction.atomic
def meeting_day_save(
    *,
    club: Club,
    held_on: datetime.date,
    attendance: Mapping[int, str],
    health_checks: Mapping[int, Mapping[str, Any]],
    repayments: Sequence[CollectionLine] = (),
    area: int = ActivityArea.SELF_HELP,
    title: str = "",
    description: str = "",
    recorded_by: Any = None,
) -> Activity:
    """Record a monthly meeting in one step: the attendance of every member of the club on that day
    (member id → present / absent / represented), the health checks taken (member id → readings) and
    the loan repayments collected (the funds' collection sheet: lines with nothing paid are skipped).

    Saving the same day again replaces that day's attendance and the checks of the members on the
    sheet, so a sheet can be corrected;
    repayments are added to those already recorded (a repayment is cancelled in the loans pages).
    The checks hang on a "health check" activity of the same day (area 2), so that 8-area coverage
    sees the club's health care. All or nothing: one bad line of any kind and nothing is saved; the
    error lists every bad line.
    """
    _not_in_future(held_on, "held_on")
    check_club_open(club, held_on)  # the whole day is refused: attendance, readings and repayments
    members = {m.pk: m for m in members_on(club, held_on)}
    errors: list[str] = []
    unknown = (set(attendance) | set(health_checks)) - set(members)
    if unknown:
        errors.append(
            _("Có người không phải thành viên của CLB vào ngày sinh hoạt (mã %(ids)s).")
            % {"ids": ", ".join(str(pk) for pk in sorted(unknown))}
        )
    missing = [m.full_name for pk, m in members.items() if pk not in attendance]
    if missing:
        errors.append(_("Chưa điểm danh: %(names)s.") % {"names": ", ".join(missing)})
    for pk, status in attendance.items():
        if status not in AttendanceStatus.values and pk in members:
            errors.append(_("%(name)s: trạng thái điểm danh không hợp lệ.") % {"name": members[pk].full_name})
    readings: dict[int, dict[str, Any]] = {}
    for pk, values in health_checks.items():
        values = {field: values.get(field) for field in HEALTH_FIELDS} | {"note": values.get("note") or ""}
        if all(values[field] is None for field in HEALTH_FIELDS):
            continue  # nothing measured for this member today
        for message in health_check_errors(values).values():
            name = members[pk].full_name if pk in members else str(pk)
            errors.append(f"{name}: {message}")
        readings[pk] = values
    if repayments:
        # Recorded first so their refusals join the others; raising below undoes them with the rest.
        try:
            with known_open(club, held_on):  # checked above: one query for the whole day
                collection_sheet_save(
                    club=club, paid_on=held_on, lines=list(repayments), recorded_by=recorded_by
                )
        except ValidationError as error:
            errors.extend(_repayment_errors(error, repayments))
    if errors:
        raise ValidationError(errors)

    meeting = (
        Activity.objects.select_for_update()
        .filter(club=club, held_on=held_on, kind=ActivityType.MONTHLY_MEETING)
        .first()
    ) or Activity(club=club, held_on=held_on, kind=ActivityType.MONTHLY_MEETING, recorded_by=recorded_by)
    meeting.area = area
    meeting.title = title.strip() or meeting.title or meeting_title(held_on)
    meeting.description = description or meeting.description
    meeting.participants_count = sum(1 for s in attendance.values() if s != AttendanceStatus.ABSENT)
    meeting.full_clean(exclude=["recorded_by"])
    meeting.save()
    Attendance.objects.filter(activity=meeting).delete()
    Attendance.objects.bulk_create(
        [Attendance(activity=meeting, member_id=pk, status=status) for pk, status in attendance.items()]
    )
    _meeting_health_checks_save(club, held_on, set(attendance), readings, recorded_by)
    return meeting


def _repayment_errors(error: ValidationError, lines: Sequence[CollectionLine]) -> list[str]:
    """The collection sheet's refusals (by line index) as lines naming the borrower."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    found = []
    for index, messages in error.message_dict.items():
        loan = lines[index].loan
        who = _("%(name)s (khoản vay ngày %(date)s)") % {
            "name": loan.member.full_name,
            "date": f"{loan.disbursed_on:%d/%m/%Y}",
        }
        found.extend(f"{who}: {message}" for message in messages)
    return found


def _meeting_health_checks_save(
    club: Club,
    held_on: datetime.date,
    on_sheet: set[int],
    readings: dict[int, dict[str, Any]],
    recorded_by: Any,
) -> None:
    """The day's checks of the members on the sheet become exactly `readings`, on one health
    activity. Checks that day of anyone not on the sheet (say a member who left the club that day)
    are not the sheet's to delete: they stay, and so does the activity they hang on."""
    health = (
        Activity.objects.filter(
            club=club, held_on=held_on, kind=ActivityType.HEALTH_CHECK, health_checks__isnull=False
        )
        .distinct()
        .first()
    )
    HealthCheck.objects.filter(club=club, checked_on=held_on, member_id__in=on_sheet).exclude(
        member_id__in=readings
    ).delete()
    others = health.health_checks.exclude(member_id__in=on_sheet).count() if health is not None else 0
    if not readings:
        if health is not None and not others:
            health.delete()
        elif health is not None:
            health.participants_count = others
            health.save(update_fields=["participants_count"])
        return
    if health is None:
        health = Activity(
            club=club,
            held_on=held_on,
            area=ActivityArea.HEALTH,
            kind=ActivityType.HEALTH_CHECK,
            title=health_title(held_on),
            recorded_by=recorded_by,
        )
    health.participants_count = len(readings) + others
    health.save()
    existing = {c.member_id: c for c in HealthCheck.objects.filter(club=club, checked_on=held_on)}
    new, changed = [], []
    for pk, values in readings.items():
        check = existing.get(pk) or HealthCheck(
            member_id=pk, club=club, checked_on=held_on, recorded_by=recorded_by
        )
        for field, value in values.items():
            setattr(check, field, value)
        check.activity = health
        check.full_clean(exclude=["member", "club", "activity", "recorded_by"])
        (changed if check.pk else new).append(check)
    # With history rows, as a save() would write them: health data keeps its audit trail.
    bulk_create_with_history(new, HealthCheck, default_user=recorded_by)
    bulk_update_with_history(
        changed, HealthCheck, [*HEALTH_FIELDS, "note", "activity"], default_user=recorded_by
    )


# ---------------------------------------------------------------------------
# Home care.
# ---------------------------------------------------------------------------


@transaction.atomic
def care_assignment_add(
    *,
    club: Club,
    volunteer: Member,
    beneficiary: Member,
    from_date: datetime.date,
    to_date: datetime.date | None = None,
) -> CareAssignment:
    """Assign a volunteer of the club to look after a member at home."""
    _member_of(club, volunteer, "volunteer")
    _member_of(club, beneficiary, "beneficiary")
    if volunteer.pk == beneficiary.pk:
        raise ValidationError({"beneficiary": _("Tình nguyện viên không thể tự chăm sóc chính mình.")})
    if not volunteer.is_volunteer:
        raise ValidationError(
            {"volunteer": _("%(name)s chưa được ghi là tình nguyện viên.") % {"name": volunteer.full_name}}
        )
    overlapping = CareAssignment.objects.filter(volunteer=volunteer, beneficiary=beneficiary).filter(
        Q(to_date__isnull=True) | Q(to_date__gte=from_date)
    )
    if to_date:
        overlapping = overlapping.filter(from_date__lte=to_date)
    if overlapping.exists():
        raise ValidationError(
            _("Tình nguyện viên này đã được phân công chăm sóc người này trong thời gian đó.")
        )
    check_club_open(club, from_date)
    assignment = CareAssignment(
        club=club, volunteer=volunteer, beneficiary=beneficiary, from_date=from_date, to_date=to_date
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def care_assignment_end(*, assignment: CareAssignment, to_date: datetime.date) -> CareAssignment:
    if assignment.to_date is not None:
        raise ValidationError(_("Phân công này đã kết thúc."))
    if to_date < assignment.from_date:
        raise ValidationError({"to_date": _("Ngày kết thúc phân công không được trước ngày bắt đầu.")})
    check_club_id_open(club_id=assignment.club_id, day=to_date)
    assignment.to_date = to_date
    assignment.save(update_fields=["to_date"])
    return assignment


@transaction.atomic
def care_visit_add(
    *,
    club: Club,
    visited_on: datetime.date,
    volunteer: Member,
    beneficiary: Member,
    tasks: Iterable[str],
    note: str = "",
    recorded_by: Any = None,
) -> CareVisit:
    """Record a home visit by a volunteer and what they did."""
    tasks = list(dict.fromkeys(tasks))
    _member_of(club, volunteer, "volunteer")
    _member_of(club, beneficiary, "beneficiary")
    _not_in_future(visited_on, "visited_on")
    if volunteer.pk == beneficiary.pk:
        raise ValidationError({"beneficiary": _("Người được thăm phải khác tình nguyện viên.")})
    if not tasks:
        raise ValidationError({"tasks": _("Hãy chọn ít nhất một việc đã làm.")})
    if set(tasks) - set(CareTask.values):
        raise ValidationError({"tasks": _("Công việc không hợp lệ.")})
    check_club_open(club, visited_on)
    visit = CareVisit(
        club=club,
        visited_on=visited_on,
        volunteer=volunteer,
        beneficiary=beneficiary,
        tasks=tasks,
        note=note,
        recorded_by=recorded_by,
    )
    visit.full_clean(exclude=["recorded_by"])
    visit.save()
    return visit


# ---------------------------------------------------------------------------
# Ratings.
# ---------------------------------------------------------------------------


@transaction.atomic
def club_rating_save(
    *, club: Club, year: int, rating: str, rated_on: datetime.date, note: str = "", rated_by: Any = None
) -> ClubRating:
    """Record the club's rating for a year; a second save for the same year corrects it.

    Permission (a province officer of the club's province, or an admin) is checked by the caller.
    """
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Hãy chọn một mức xếp loại.")})
    founded = club.decision_date or club.launched_on
    if founded and year < founded.year:
        raise ValidationError({"year": _("CLB chưa thành lập vào năm này.")})
    if year > _today().year:
        raise ValidationError({"year": _("Chưa thể xếp loại cho năm sau.")})
    if rated_on.year < year:
        raise ValidationError({"rated_on": _("Ngày xếp loại phải trong hoặc sau năm được xếp loại.")})
    _not_in_future(rated_on, "rated_on")
    row = ClubRating.objects.select_for_update().filter(club=club, year=year).first() or ClubRating(
        club=club, year=year
    )
    # A rating given inside an approved period stays; a new one is dated in an open period.
    check_open_days(commune_id=club.commune_id, days=[rated_on, row.rated_on])
    row.rating, row.rated_on, row.note, row.rated_by = rating, rated_on, note, rated_by
    row.full_clean(exclude=["rated_by"])
    row.save()
    return row
