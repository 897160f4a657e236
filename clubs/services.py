"""Writes on clubs that need more than a form: creation with its two funds, board changes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clubs.models import BoardMembership, Club, Commune
from funds.models import Fund, FundKind


@transaction.atomic
def club_create(*, code: str, name: str, commune: Commune, **fields) -> Club:
    """A new club in a commune, with its income-generation fund and activity fund."""
    club = Club(
        code=code.strip().upper(),
        name=name.strip(),
        commune=commune,
        province_id=commune.province_id,
        **fields,
    )
    club.full_clean()
    club.save()
    opened = club.launched_on or club.decision_date
    Fund.objects.bulk_create([Fund(club=club, kind=kind, opened_on=opened) for kind in FundKind.values])
    return club


@transaction.atomic
def board_seat_add(*, club: Club, member, role: str, from_date: datetime.date) -> BoardMembership:
    if member.club_id != club.pk:
        raise ValidationError({"member": _("Người này không phải thành viên của CLB.")})
    seat = BoardMembership(club=club, member=member, role=role, from_date=from_date)
    seat.full_clean()
    seat.save()
    return seat
