"""Reads on members that the list pages and others share."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from clubs.models import BoardMembership
from members.models import DISADVANTAGED, Household, HouseholdStatus, Member


def household_status_on(on: datetime.date) -> Coalesce:
    """The household status valid on `on`, as an expression on `Member` ('none' when no period covers it)."""
    valid = _valid_on(on).order_by("-valid_from").values("status")[:1]
    return Coalesce(Subquery(valid), Value(Household.NONE))


def household_is(on: datetime.date, status: str) -> Q:
    """Members whose household status on `on` is `status`, as a filter (a semi-join, cheap on big areas)."""
    if status == Household.NONE:
        return ~Q(Exists(_valid_on(on).filter(status__in=DISADVANTAGED)))
    return Q(Exists(_valid_on(on).filter(status=status)))


def _valid_on(on: datetime.date) -> QuerySet[HouseholdStatus]:
    return HouseholdStatus.objects.filter(member=OuterRef("pk"), valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def on_board_on(on: datetime.date) -> Exists:
    """Whether the member holds a board seat on `on`, as an expression on `Member`."""
    return Exists(
        BoardMembership.objects.filter(member=OuterRef("pk"), from_date__lte=on).filter(
            Q(to_date__isnull=True) | Q(to_date__gte=on)
        )
    )


def with_list_figures(members: QuerySet[Member], on: datetime.date) -> QuerySet[Member]:
    """Members with `household_today` and `on_board` computed in the same query (no N+1 in lists)."""
    return members.annotate(household_today=household_status_on(on), on_board=on_board_on(on))
