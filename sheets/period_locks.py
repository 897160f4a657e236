"""Imports are all or nothing before an approved period too (issue 16).

A row that would write something dated inside an approved (locked) period of its club's commune is an
error at the preview, with its row number and the period's message, so the file is refused and nothing
is written. One query for every club and every date of the file, however many rows it has."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F

from clubs.locks import locked_message
from clubs.models import PeriodLock
from sheets.report import ImportReport

# (sheet row, column label, club id, date written)
Dated = tuple[int, str, int | None, datetime.date | None]


def refuse_locked_rows(report: ImportReport, rows: Iterable[Dated]) -> int:
    """Add an error for every row dated inside an active lock of its club's commune; how many."""
    rows = [row for row in rows if row[2] is not None and row[3] is not None]
    if not rows:
        return 0
    days = [row[3] for row in rows]
    locks: dict[int, list[PeriodLock]] = defaultdict(list)
    found = (
        PeriodLock.objects.filter(reopened_at__isnull=True, starts_on__lte=max(days), ends_on__gte=min(days))
        .annotate(for_club=F("commune__clubs__id"))
        .filter(for_club__in={row[2] for row in rows})
        .select_related("commune", "approved_by")
    )
    for lock in found:
        locks[lock.for_club].append(lock)
    refused = set()
    for number, column, club_id, day in rows:
        for lock in locks.get(club_id, ()):
            if lock.starts_on <= day <= lock.ends_on:
                report.add_error(number, column, locked_message(lock, day))
                refused.add(number)
                break
    return len(refused)
