"""Writes that span several member tables: joining, leaving, moving, household status changes.

Each function validates with `full_clean()`, runs in one transaction and keeps the denormalised
current state on `Member` (club, join / leave dates, household) equal to the history tables.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from clubs.locks import check_club_id_open, check_club_open, check_open_days
from clubs.models import Club
from members.models import Household, HouseholdStatus, LeaveReason, Member, Membership
from places.text import nfc, search_key


def duplicate_by_citizen_id(citizen_id: str | None, *, exclude_pk: int | None = None) -> Member | None:
    """The member who already holds this citizen ID anywhere in the system."""
    if not citizen_id:
        return None
    return Member.objects.exclude(pk=exclude_pk).select_related("club").filter(citizen_id=citizen_id).first()


def possible_duplicates(
    *, full_name: str, birth_year: int, commune_id: int, exclude_pk: int | None = None
) -> list[Member]:
    """Members of the same commune with the same name (without diacritics) and birth year."""
    return list(
        Member.objects.exclude(pk=exclude_pk)
        .select_related("club")
        .filter(club__commune_id=commune_id, search_key=search_key(full_name), birth_year=birth_year)[:5]
    )


@transaction.atomic
def member_create(
    *,
    club: Club,
    full_name: str,
    birth_year: int,
    sex: str,
    joined_on: datetime.date,
    household: str = Household.NONE,
    household_since: datetime.date | None = None,
    standard_period: str = "",
    **fields,
) -> Member:
    """Register a person in a club, with their first membership and household status rows."""
    check_open_days(commune_id=club.commune_id, days=[joined_on, household_since])
    member = Member(
        club=club,
        full_name=nfc(full_name),
        search_key=search_key(full_name),
        birth_year=birth_year,
        sex=sex,
        joined_on=joined_on,
        household=household,
        **fields,
    )
    if member.citizen_id == "":
        member.citizen_id = None
    member.full_clean()
    member.save()
    Membership.objects.create(member=member, club=club, joined_on=joined_on)
    if household != Household.NONE or household_since:
        HouseholdStatus.objects.create(
            member=member,
            status=household,
            valid_from=household_since or joined_on,
            standard_period=standard_period,
        )
    return member


@transaction.atomic
def member_leave(*, member: Member, left_on: datetime.date, reason: str) -> Member:
    """Record that a member left their club. Members are never deleted by staff."""
    if member.left_on is not None:
        raise ValidationError(
            _("Thành viên này đã rời CLB ngày %(date)s.") % {"date": f"{member.left_on:%d/%m/%Y}"}
        )
    if left_on < member.joined_on:
        raise ValidationError({"left_on": _("Ngày rời CLB không được trước ngày tham gia.")})
    if reason not in LeaveReason.values:
        raise ValidationError({"leave_reason": _("Hãy chọn lý do rời CLB.")})
    check_club_id_open(club_id=member.club_id, day=left_on)
    member.left_on, member.leave_reason = left_on, reason
    member.save(update_fields=["left_on", "leave_reason", "updated_at"])
    _close_stay(member, left_on=left_on, reason=reason)
    return member


def _close_stay(member: Member, *, left_on: datetime.date, reason: str) -> None:
    """End the member's open stay. Saved, not updated in bulk, so that the audit trail keeps it."""
    stay = member.memberships.filter(left_on__isnull=True).first()  # at most one (one_open_membership)
    if stay is not None:
        stay.left_on, stay.leave_reason = left_on, reason
        stay.save(update_fields=["left_on", "leave_reason"])


@transaction.atomic
def member_move(*, member: Member, to_club: Club, moved_on: datetime.date) -> Member:
    """Move a member to another club: the old stay is closed, a new one opens, history is kept."""
    if to_club.pk == member.club_id:
        raise ValidationError({"club": _("Thành viên đã ở CLB này.")})
    if member.left_on is not None:
        raise ValidationError(_("Thành viên đã rời CLB; hãy ghi nhận tham gia lại trước khi chuyển."))
    if moved_on < member.joined_on:
        raise ValidationError({"moved_on": _("Ngày chuyển không được trước ngày tham gia.")})
    check_club_id_open(club_id=member.club_id, day=moved_on)  # leaving the old club
    check_club_open(to_club, moved_on)  # joining the new one
    _close_stay(member, left_on=moved_on, reason=LeaveReason.TRANSFERRED)
    Membership.objects.create(member=member, club=to_club, joined_on=moved_on)
    member.club, member.joined_on = to_club, moved_on
    member.save(update_fields=["club", "joined_on", "updated_at"])
    return member


@transaction.atomic
def member_rejoin(*, member: Member, club: Club, joined_on: datetime.date) -> Member:
    """A member who had left joins a club again."""
    if member.left_on is None:
        raise ValidationError(_("Thành viên vẫn đang sinh hoạt."))
    if joined_on < member.left_on:
        raise ValidationError({"joined_on": _("Ngày tham gia lại không được trước ngày rời CLB.")})
    check_club_open(club, joined_on)
    Membership.objects.create(member=member, club=club, joined_on=joined_on)
    member.club, member.joined_on, member.left_on, member.leave_reason = club, joined_on, None, ""
    member.save(update_fields=["club", "joined_on", "left_on", "leave_reason", "updated_at"])
    return member


@transaction.atomic
def household_status_set(
    *, member: Member, status: str, valid_from: datetime.date, standard_period: str = "", note: str = ""
) -> HouseholdStatus:
    """Record a household status from a date on. The period before it ends the day before."""
    if status not in Household.values:
        raise ValidationError({"status": _("Hoàn cảnh gia đình không hợp lệ.")})
    check_club_id_open(club_id=member.club_id, day=valid_from)
    row = member.household_statuses.filter(valid_from=valid_from).first()
    if row is not None:
        row.status, row.standard_period, row.note = status, standard_period, note
        row.save()
    else:
        day_before = valid_from - datetime.timedelta(days=1)
        # Saved one by one (a member has one or two such periods) so that the audit trail keeps the change.
        for running in member.household_statuses.filter(valid_from__lt=valid_from).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
        ):
            running.valid_to = day_before
            running.save(update_fields=["valid_to"])
        later = member.household_statuses.filter(valid_from__gt=valid_from).order_by("valid_from").first()
        row = HouseholdStatus.objects.create(
            member=member,
            status=status,
            valid_from=valid_from,
            valid_to=later.valid_from - datetime.timedelta(days=1) if later else None,
            standard_period=standard_period,
            note=note,
        )
    current = (
        member.household_statuses.filter(valid_from__lte=datetime.date.today())
        .order_by("-valid_from")
        .first()
    )
    member.household = current.status if current else Household.NONE
    member.save(update_fields=["household", "updated_at"])
    return row


def household_on(member: Member, on: datetime.date) -> str:
    """The household status valid on a date (for one member; reports use the database filter)."""
    row = (
        member.household_statuses.filter(valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .order_by("-valid_from")
        .first()
    )
    return row.status if row else Household.NONE


@transaction.atomic
def member_update(*, member: Member, **fields) -> Member:
    """Correct a member's register data. A new join date is carried to the stay it belongs to.

    Names, phones and the like may be corrected at any time; a join or leave date is changed only
    when neither the old nor the new date lies in an approved period."""
    for name in ("joined_on", "left_on"):
        if name in fields and fields[name] != getattr(member, name):
            old, new = getattr(member, name), fields[name]
            club = fields.get("club") or member.club
            check_open_days(commune_id=club.commune_id, days=[old, new])
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_name = nfc(member.full_name)
    member.search_key = search_key(member.full_name)
    if member.citizen_id == "":
        member.citizen_id = None
    member.full_clean()
    stays = list(member.memberships.order_by("-joined_on")[:2])
    if stays and stays[0].joined_on != member.joined_on:
        current, previous = stays[0], (stays[1] if len(stays) > 1 else None)
        if previous is not None and previous.left_on and member.joined_on < previous.left_on:
            raise ValidationError(
                {
                    "joined_on": _("Ngày tham gia không được trước ngày rời CLB trước (%(date)s).")
                    % {"date": f"{previous.left_on:%d/%m/%Y}"}
                }
            )
        current.joined_on = member.joined_on
        current.full_clean()
        current.save(update_fields=["joined_on"])
    member.save()
    return member
