"""A report's independent queries run side by side, each on a connection of its own (PostgreSQL).

A report with nothing kept runs a handful of heavy aggregates one after the other (the members, the
loans, the new members…), each on one core of the database server while the others wait. Run side by
side they use every core the server has: a province's first report of a day waits for its slowest
group of queries, not for their sum.

Each group runs in a thread with its own database connection (Django's connections are per thread),
opened for it and closed after; the request's own connection runs the first group. The context
(which database a report reads from: config.db_router) goes with each group. Nothing is gained in
consistency or lost by it: outside a transaction every query already reads its own snapshot, and the
kept figures' versions are read before any of them (reports.club_figures).

Only outside a transaction: inside one, the other connections would not see what it has written (a
test's data, a view's own writes), so there the groups run one after the other on the one connection.
Never on SQLite (one writer, small data: nothing to gain). A group whose connection cannot be opened (the
server at its connection limit) runs on the request's connection after the others: slower, not failed.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import OperationalError, connection, connections

Group = Callable[[], None]


def possible() -> bool:
    return (
        settings.REPORT_QUERIES_SIDE_BY_SIDE
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


def run(groups: list[Group]) -> int:
    """Call every group (a callable that queries and keeps what it finds); side by side when possible(),
    else one after the other. Returns how many connections were used. The groups must not write to
    the same objects: each fills its own rows, which the caller merges afterwards."""
    groups = [group for group in groups if group is not None]
    if len(groups) < 2 or not possible():
        for group in groups:
            group()
        return 1
    first, *others = groups
    with ThreadPoolExecutor(max_workers=len(others), thread_name_prefix="report-query") as pool:
        futures = [pool.submit(_on_own_connection, contextvars.copy_context(), group) for group in others]
        first()
        # A group's error is raised here, in the request; a group that found no connection runs here.
        left = [group for group, future in zip(others, futures, strict=True) if not future.result()]
    for group in left:
        group()
    return 1 + len(others) - len(left)


def _on_own_connection(context: contextvars.Context, group: Group) -> bool:
    """Run the group on a new connection of this thread; False when none could be opened."""
    try:
        try:
            connection.ensure_connection()
        except OperationalError:
            return False
        context.run(group)
        return True
    finally:
        connections.close_all()  # this thread's connections: the thread ends with the report
