"""The commune staff's home: "Việc cần làm", what is waiting for them in their clubs this month.

Each part is a short list (the first few) with its full count and a link to the page that has them
all, so the home page runs a fixed number of queries whatever the size of the area.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from clubs.access import area_of
from clubs.models import Club, active_q
from funds.models import FundKind, Instalment, Loan
from funds.selectors import instalment_unpaid_q, loan_open_q, overdue_loans
from funds.totals import month_end
from life.models import Activity, ActivityType
from life.selectors import referral_list, visits_overdue
from members.forms import clubs_editable_by
from places.models import Commune
from reports.cycle import communes_expected
from reports.models import CycleLevel, CycleReport, CycleStatus
from reports.periods import NamedPeriod, due_period

SHOWN = 8


@dataclass
class ReportDue:
    """A commune's report for a period that is due and not yet approved (the reporting cycle)."""

    commune: Any
    period: NamedPeriod
    report: CycleReport | None
    on: datetime.date

    @property
    def deadline(self) -> datetime.date:
        return self.period.deadline()

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else _("chưa nộp")

    @property
    def overdue(self) -> bool:
        return self.on > self.deadline and (self.report is None or self.report.status == CycleStatus.RETURNED)


def reports_due(commune_ids, on: datetime.date) -> TodoList:
    """The half-year and year reports of these communes that are open for submission and not approved:
    the latest due of each kind, of this year or the last, and only for a commune that had a club in the
    period (reports.cycle.communes_expected): a commune founded this year is not asked for last year's,
    and an old year's report stops being due once the next year's is (four queries)."""
    periods = {due_period(kind, on) for kind in ("half", "year")}
    periods = sorted(
        (p for p in periods if p.opens_on() <= on and p.year >= on.year - 1), key=lambda p: (p.end, p.kind)
    )
    expected = {p.label: communes_expected(commune_ids, p) for p in periods}
    communes = list(Commune.objects.filter(pk__in=commune_ids).order_by("name"))
    reports = {
        (r.commune_id, r.period): r
        for r in CycleReport.objects.filter(
            level=CycleLevel.COMMUNE, commune_id__in=commune_ids, period__in=[p.label for p in periods]
        )
    }
    items = [
        ReportDue(commune, period, reports.get((commune.pk, period.label)), on)
        for commune in communes
        for period in periods
        if commune.pk in expected[period.label]
        and getattr(reports.get((commune.pk, period.label)), "status", None) != CycleStatus.APPROVED
    ]
    return TodoList(items[:SHOWN], len(items))


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
    # Reports due (the reporting cycle): a TodoList of ReportDue.
    reports_due: TodoList | None = None
    clubs: list[Club] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        parts = (self.meetings, self.overdue, self.due, self.referrals, self.visits, self.reports_due)
        return not any(part and part.count for part in parts)


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
        reports_due=reports_due(area_of(user).commune_ids, on),
    )
