"""Imports are all or nothing before an approved period too (issue 16).

A row that would write something dated inside an approved (locked) period of its club's commune is an
error at the preview, with its row number and the period's message, so the file is refused and nothing
is written. One query for every club and every date of the file (and one for the clubs' communes), however many rows it has."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from clubs.locks import active_locks_by_club, active_locks_by_commune, known_open_days, locked_message
from clubs.models import Club
from sheets.report import ImportReport, RowWriteError

# (sheet row, column label, club id, date written)
Dated = tuple[int, str, int | None, datetime.date | None]


def refuse_locked_rows(report: ImportReport, rows: Iterable[Dated]) -> int:
    """Add an error for every row dated inside an active lock of its club's commune; how many."""
    rows = [row for row in rows if row[2] is not None and row[3] is not None]
    if not rows:
        return 0
    days = [row[3] for row in rows]
    return _refuse(report, rows, active_locks_by_club({row[2] for row in rows}, min(days), max(days)))


def refuse_locked_commune_rows(report: ImportReport, rows: Iterable[Dated]) -> int:
    """As `refuse_locked_rows` for rows that name their commune, not a club (a club not yet saved, a
    club's own dates): (sheet row, column label, commune id, date). One query."""
    rows = [row for row in rows if row[2] is not None and row[3] is not None]
    if not rows:
        return 0
    days = [row[3] for row in rows]
    locks = active_locks_by_commune({row[2] for row in rows}, min(days), max(days))
    return _refuse(report, sorted(rows, key=lambda row: (row[0], row[3])), locks, one_per_row=True)


def recheck_commune_rows(rows: list[Dated]) -> None:
    """Inside an import's transaction: the rows' dates asked once more (one query); a period approved
    since the preview refuses the file."""
    again = ImportReport(kind="", file_name="")
    if refuse_locked_commune_rows(again, rows):
        first = again.errors[0]
        raise RowWriteError(first.row, first.column, first.message)


def _refuse(report: ImportReport, rows: list[Dated], locks: dict, *, one_per_row: bool = False) -> int:
    refused = set()
    for number, column, key, day in rows:
        if one_per_row and number in refused:
            continue  # a club's several dates: one message, for its earliest locked date
        for lock in locks.get(key, ()):
            if lock.starts_on <= day <= lock.ends_on:
                report.add_error(number, column, locked_message(lock, day))
                refused.add(number)
                break
    return len(refused)


@contextmanager
def rows_checked(rows: list[Dated]) -> Iterator[None]:
    """Around an import's writes, inside its transaction: every row's date asked once more (one query;
    a period approved since the preview refuses the file) and then trusted by the services each row
    goes through, so the lock costs one query for the file, not one per row."""
    again = ImportReport(kind="", file_name="")
    if refuse_locked_rows(again, rows):
        first = again.errors[0]
        raise RowWriteError(first.row, first.column, first.message)
    communes = dict(Club.objects.filter(pk__in={row[2] for row in rows}).values_list("pk", "commune_id"))
    with known_open_days(
        (club_id, communes[club_id], day) for _n, _c, club_id, day in rows if club_id in communes
    ):
        yield
