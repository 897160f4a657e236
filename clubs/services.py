"""Writes on clubs that need more than a form: creation, register changes, the board and teams."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clubs.locks import check_club_dates
from clubs.models import BoardMembership, Club, Team
from places.models import Commune


@transaction.atomic
def club_create(*, code: str, name: str, commune: Commune, **fields) -> Club:
    """A new club in a commune. Its two funds are opened by `funds.services.club_found`, which calls this."""
    club = Club(
        code=code.strip().upper(),
        name=name.strip(),
        commune=commune,
        province_id=commune.province_id,
        **fields,
    )
    club.full_clean()
    check_club_dates(club=club)
    club.save()
    return club


@transaction.atomic
def board_seat_add(*, club: Club, member, role: str, from_date: datetime.date) -> BoardMembership:
    if member.club_id != club.pk:
        raise ValidationError({"member": _("Người này không phải thành viên của CLB.")})
    if not member.is_active_on(from_date):
        raise ValidationError({"from_date": _("Vào ngày này người đó không sinh hoạt ở CLB.")})
    if club.board.filter(member=member, to_date__isnull=True).exists():
        raise ValidationError({"member": _("Người này đang giữ một chức vụ trong Ban Chủ nhiệm.")})
    seat = BoardMembership(club=club, member=member, role=role, from_date=from_date)
    seat.full_clean()
    seat.save()
    return seat


@transaction.atomic
def club_update(*, club: Club, **fields) -> Club:
    """Change a club's register data. The province follows the commune. Its dates, as they were and as
    they become, may not touch an approved period (clubs.locks.check_club_dates)."""
    # From the database: a model form has already put the new values on `club`.
    before = Club.objects.filter(pk=club.pk).first()
    for name, value in fields.items():
        setattr(club, name, value)
    club.code = club.code.strip().upper()
    club.name = club.name.strip()
    club.province_id = club.commune.province_id
    club.full_clean()
    check_club_dates(club=club, before=before)
    club.save()
    return club


@transaction.atomic
def board_seat_end(*, seat: BoardMembership, to_date: datetime.date) -> BoardMembership:
    """Close a board seat; the row stays as the board's history."""
    if seat.to_date is not None:
        raise ValidationError(
            _("Nhiệm kỳ này đã kết thúc ngày %(date)s.") % {"date": f"{seat.to_date:%d/%m/%Y}"}
        )
    if to_date < seat.from_date:
        raise ValidationError({"to_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    seat.to_date = to_date
    seat.full_clean()
    seat.save(update_fields=["to_date"])
    return seat


@transaction.atomic
def team_save(
    *,
    club: Club,
    kind: str,
    name: str,
    members: list,
    area: int | None = None,
    leader=None,
    team: Team | None = None,
) -> Team:
    """Create a team or group of a club, or change one, with its members."""
    outsiders = [m for m in [*members, *([leader] if leader else [])] if m.club_id != club.pk]
    if outsiders:
        raise ValidationError(
            {"members": _("%(name)s không phải thành viên của CLB.") % {"name": outsiders[0].full_name}}
        )
    if leader is not None and leader not in members:
        members = [*members, leader]
    team = team or Team(club=club)
    if team.club_id != club.pk:
        raise ValidationError(_("Tổ/nhóm này thuộc CLB khác."))
    team.kind, team.name, team.area, team.leader = kind, name.strip(), area, leader
    team.full_clean()
    team.save()
    team.members.set(members)
    return team
