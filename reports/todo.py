"""The commune staff's home: "Việc cần làm", what is waiting for them in their clubs this month.

Each part is a short list (the first few) with its full count and a link to the page that has them
all, so the home page runs a fixed number of queries whatever the size of the area.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from clubs.models import Club, active_q
from funds.models import FundKind, Instalment, Loan
from funds.selectors import instalment_unpaid_q, loan_open_q, overdue_loans
from life.models import Activity, ActivityType
from life.selectors import referral_list, visits_overdue
from members.forms import clubs_editable_by

SHOWN = 8


@dataclass
class TodoList:
    """The first few items of one kind of task, and how many there are in all."""

    items: list[Any]
    count: int

    @classmethod
    def of(cls, queryset: QuerySet, shown: int = SHOWN) -> TodoList:
        items = list(queryset[: shown + 1])
        count = len(items) if len(items) <= shown else queryset.count()
        return cls(items[:shown], count)


@dataclass
class Todo:
    on: datetime.date
    month_end: datetime.date
    meetings: TodoList
    overdue: TodoList
    due: TodoList
    referrals: TodoList
    visits: TodoList
    # Reports due (the reporting cycle, issue 16) join here when that lands: a TodoList of them.
    reports_due: TodoList | None = None
    clubs: list[Club] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        parts = (self.meetings, self.overdue, self.due, self.referrals, self.visits, self.reports_due)
        return not any(part and part.count for part in parts)


def month_end(on: datetime.date) -> datetime.date:
    return on.replace(day=calendar.monthrange(on.year, on.month)[1])


def todo_for(user, on: datetime.date) -> Todo:
    """What commune staff have to do in the clubs they record for, as of `on`."""
    clubs = clubs_editable_by(user).filter(active_q(on))
    end = month_end(on)
    met_this_month = Activity.objects.filter(
        club=OuterRef("pk"),
        kind=ActivityType.MONTHLY_MEETING,
        held_on__gte=on.replace(day=1),
        held_on__lte=end,
    )
    loans = Loan.objects.filter(fund__club__in=clubs, fund__kind=FundKind.INCOME)
    due = (
        Instalment.objects.filter(loan__in=loans.filter(loan_open_q(on)), due_on__gte=on, due_on__lte=end)
        .filter(instalment_unpaid_q(on))
        .select_related("loan__member", "loan__fund__club")
        .order_by("due_on", "loan__member__search_key", "pk")
    )
    return Todo(
        on=on,
        month_end=end,
        meetings=TodoList.of(
            clubs.annotate(met=Exists(met_this_month)).filter(met=False).order_by("name", "pk"), shown=20
        ),
        overdue=TodoList.of(overdue_loans(loans, on).select_related("member", "fund__club")),
        due=TodoList.of(due),
        referrals=TodoList.of(referral_list(clubs, on)),
        visits=TodoList.of(visits_overdue(clubs, on)),
    )
