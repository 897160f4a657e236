"""Per-club report figures, kept between reports while the club does not change.

A report aggregates every club of its scope: at country scale 20,000 clubs, a million members, several
million ledger entries, instalments and activities, which takes seconds however well it is indexed.
But the per-club rows (reports.indicators._club_rows) depend only on the club's own data, the date and
the period, so they are kept (ClubFigures) and reused until something of that club changes.

What "changes" means is decided by the database, not by the code that writes: statement-level
triggers (reports migration 0002) on every table the figures are read from give the clubs whose rows
were inserted, updated or deleted a new version (ClubChange), whatever wrote them — a form, an
import, the admin, a shell. A kept row is used only while its version is the club's current one.

The version is read *before* the figures are computed, so a change committed while they are being
computed leaves a row whose version is already behind: it is recomputed next time, never trusted.

Kept on PostgreSQL only; with the embedded SQLite default (small data) everything is computed live.
The key also holds a digest of the code that computes the figures, so a new definition never reads
rows an older one wrote.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import msgspec
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction

from clubs.models import Club, CompositionStandard
from places.models import Province
from reports import side_by_side
from reports.models import ClubChange, ClubFigures, ProvinceFigures
from reports.scope import Scope

logger = logging.getLogger(__name__)

# Rows nobody asked for in this long are removed (the key holds the date: old dates go cold).
KEEP_DAYS = 30

Rows = dict[int, dict[str, Any]]
# The kept rows' JSON parsed by msgspec: the same Python values as json.loads, in half its time (a
# province's report parses some 450 KB of them).
_parse = msgspec.json.Decoder().decode
_encode = msgspec.json.Encoder().encode

_SOURCES = ("reports/indicators.py", "reports/club_figures.py", "reports/member_facts.py", "reports/scope.py",
            "funds/selectors.py", "life/selectors.py", "members/models.py", "members/composition.py",
            "clubs/models.py")  # fmt: skip


def _code_digest() -> str:
    digest = hashlib.sha1(f"older={settings.OLDER_PERSON_AGE};".encode())
    for name in _SOURCES:
        digest.update((Path(settings.BASE_DIR) / name).read_bytes())
    return digest.hexdigest()[:10]


CODE_DIGEST = _code_digest()


def _same(value: Any) -> Any:
    return value


def enabled() -> bool:
    return connection.vendor == "postgresql" and settings.REPORT_FIGURES_KEPT


def club_rows(
    key: str,
    scope,
    compute: Callable[[Any], Rows],
    *,
    encode: Callable[[dict], Any] = _same,
    decode: Callable[[Any], dict] = _same,
) -> Rows:
    """`compute(scope)` for every club of the scope, reusing the rows kept under `key` that are current.

    `compute` gives one row per club of the scope it is passed (a reports.scope.Scope; it may be
    handed a narrower one, of just the clubs to recompute). One query finds what is kept; one
    computation covers what is not; one statement keeps it.
    """
    entry = Entry(key, encode, decode)
    return club_rows_many([entry], scope, lambda some, which: [compute(some)])[0]


@dataclass(frozen=True)
class Entry:
    """One set of kept rows: its key, and how a row is written to and read from its text."""

    key: str
    encode: Callable[[dict], Any] = _same
    decode: Callable[[Any], dict] = _same


def club_rows_many(
    entries: list[Entry], scope, compute: Callable[[Any, list[int]], list[Rows]]
) -> list[Rows]:
    """club_rows for several keys of one scope: `compute(scope, which)` gives the rows of the entries
    numbered `which` (those with something not kept) in one computation, for the clubs of the scope
    it is passed (the union of what each entry misses when they are few)."""
    if not enabled():
        return compute(scope, list(range(len(entries))))
    found, missing = _read_kept(entries, scope)
    which = [i for i, stale in enumerate(missing) if stale]
    if not which:
        return found
    every_stale = set().union(*(missing[i] for i in which))
    # Most clubs to do: the scope's own filters find them faster than a list of ids.
    clubs = len(found[which[0]]) + len(missing[which[0]])
    narrower = scope if len(every_stale) > clubs - len(every_stale) else Scope(club_ids=frozenset(every_stale))
    computed_all = compute(narrower, which)
    keys, kept = [], []
    for i, computed in zip(which, computed_all, strict=True):
        stale = {club_id: version for club_id, version in missing[i].items() if club_id in computed}
        keys.append(f"{entries[i].key}|{CODE_DIGEST}")
        kept.extend(
            f"{len(keys)}\t{club_id}\t{version}\t{_encode(entries[i].encode(computed[club_id])).decode()}"
            for club_id, version in stale.items()
        )
        found[i].update({club_id: computed[club_id] for club_id in stale})
    _keep(keys, kept)
    return found


def _read_kept(entries: list[Entry], scope) -> tuple[list[Rows], list[dict[int, int]]]:
    """The rows kept for each entry that are current, and the clubs of each whose row is missing or stale
    (with the version to keep their new row under): one query for every entry, a row per club with the
    kept rows of all the keys side by side, each key a constant found by the unique index on (key, club).

    Read with the cursor itself (no model rows) and parsed in one go per entry (_parse): one parse of a
    JSON list of all the rows costs a fraction of one per row. (PostgreSQL joining the texts itself, string_agg, cost
    its server more than the rows it saved sending.)"""
    try:
        clubs_sql, clubs_params = Club.objects.filter(scope.club_q()).order_by().values("id").query.sql_with_params()
    except EmptyResultSet:  # a scope that can hold no club (no commune, no club id)
        return [{} for _entry in entries], [{} for _entry in entries]
    table = ClubFigures._meta.db_table
    columns = "".join(f", f{i}.version, f{i}.figures" for i in range(len(entries)))
    joins = "".join(
        f" LEFT JOIN {table} f{i} ON f{i}.club_id = c.id AND f{i}.key = %s" for i in range(len(entries))
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, COALESCE(v.version, 0){columns} FROM {Club._meta.db_table} c "
            f"LEFT JOIN {ClubChange._meta.db_table} v ON v.club_id = c.id{joins} WHERE c.id IN ({clubs_sql})",
            [*(f"{entry.key}|{CODE_DIGEST}" for entry in entries), *clubs_params],
        )
        kept = cursor.fetchall()
    found: list[Rows] = []
    missing: list[dict[int, int]] = []
    for i in range(len(entries)):
        version_at, text_at = 2 + 2 * i, 3 + 2 * i
        ids, texts = [], []
        stale: dict[int, int] = {}
        for row in kept:
            if row[version_at] == row[1]:
                ids.append(row[0])
                texts.append(row[text_at])
            else:
                stale[row[0]] = row[1]
        decode = entries[i].decode
        found.append(dict(zip(ids, map(decode, _parse(f"[{','.join(texts)}]")), strict=True)))
        missing.append(stale)
    return found, missing


def forget_all() -> int:
    """Forget every figure kept, so that the next report computes from the data (how the benchmark
    measures a report with nothing kept; warm_reports fills them again). Returns the rows removed."""
    settle()  # a write still under way would bring back what is forgotten here
    return ClubFigures.objects.all().delete()[0] + ProvinceFigures.objects.all().delete()[0]


# The writes of kept rows under way beside the requests that computed them (_keep).
_writing: list[threading.Thread] = []
_writing_lock = threading.Lock()


def _keep(keys: list[str], rows: list[str]) -> None:
    """Insert or replace the rows in one statement, whatever the keys and clubs, and forget the rows
    nobody asked for in KEEP_DAYS. Each row is a line "key's number in `keys` from 1, club id, version,
    figures as JSON", tab-separated (JSON text holds no raw tab or line break).

    The rows travel as one text, cut into lines and fields by the server: a fifth of what a JSON array
    cost it to parse (json_array_elements parses each element again for every field taken from it: 30 of
    a province's 45 ms), and one string join here instead of an array parameter built value by value.
    They are a cache (a row lost is computed again, never read wrong), so when nothing else is written
    in the transaction its commit does not wait for the write-ahead log to reach the disk
    (synchronous_commit off: a crash can lose these rows only).

    Written beside the request, on a connection of its own, when the report's queries may run side by
    side (reports.side_by_side.possible: outside a transaction, which the rows would otherwise belong
    to): the reader has its figures already and need not wait for them to be kept (a province's 1,200
    rows 30 ms, the country's 20,000 about 0.2 s). A report that comes before the write ends computes
    the rows again, as it would have without them. `settle()` waits for the writes under way.
    """
    if not side_by_side.possible():
        _upsert_lines(ClubFigures, "club_id", ("version", "bigint"), keys, rows)
        return
    thread = threading.Thread(target=_keep_aside, args=(keys, rows), name="report-keep")
    with _writing_lock:
        _writing[:] = [writing for writing in _writing if writing.is_alive()]
        _writing.append(thread)
    thread.start()  # not a daemon: a process that ends waits for it


def _keep_aside(keys: list[str], rows: list[str]) -> None:
    try:
        _upsert_lines(ClubFigures, "club_id", ("version", "bigint"), keys, rows)
    except Exception:  # a cache not written is computed again; the report was answered already
        logger.exception("Report figures could not be kept")
    finally:
        connections.close_all()  # this thread's connection


def settle() -> None:
    """Wait for the kept rows being written beside their requests (_keep)."""
    with _writing_lock:
        writing, _writing[:] = list(_writing), []
    for thread in writing:
        thread.join()


def _upsert_lines(model, owner: str, third: tuple[str, str], keys: list[str], rows: list[str]) -> None:
    """_keep for either table of kept figures (ClubFigures, ProvinceFigures): the lines "key's number in
    `keys` from 1, owner id, third column, figures" inserted or replaced, and the rows nobody asked for in
    KEEP_DAYS forgotten, in one statement. `third`: the column that says whether a row is current, and its
    SQL type."""
    table = model._meta.db_table
    column, sql_type = third
    alone = not connection.in_atomic_block  # else the caller's own writes would commit unsynchronised too
    with transaction.atomic():
        with connection.cursor() as cursor:
            if alone:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} WHERE computed_at < now() - make_interval(days => %s)) "
                f"INSERT INTO {table} ({owner}, key, {column}, figures, computed_at) "
                "SELECT split_part(line, E'\\t', 2)::bigint, (%s::text[])[split_part(line, E'\\t', 1)::int], "
                f"split_part(line, E'\\t', 3)::{sql_type}, split_part(line, E'\\t', 4), now() "
                "FROM string_to_table(%s, E'\\n') AS line "
                f"ON CONFLICT (key, {owner}) DO UPDATE SET {column} = EXCLUDED.{column}, "
                "figures = EXCLUDED.figures, computed_at = EXCLUDED.computed_at",
                [KEEP_DAYS, keys, "\n".join(rows)],
            )


def tracking_off_sql(tables: list[str]) -> tuple[list[str], list[str]]:
    """Statements that turn the change triggers off on those of `tables` that have them, and back on.

    For generate_data only, which writes brand-new clubs in one transaction: nothing was kept for them
    yet, and firing the triggers for millions of COPY rows would cost minutes.
    """
    if connection.vendor != "postgresql":
        return [], []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
            "WHERE tgname LIKE 'reports_changed_%%' AND tgrelid = ANY(%s::regclass[]) ORDER BY 1",
            [tables],
        )
        watched = [table for (table,) in cursor.fetchall()]
    off = [f"ALTER TABLE {table} DISABLE TRIGGER {name}" for table in watched for name in TRIGGERS]
    on = [f"ALTER TABLE {table} ENABLE TRIGGER {name}" for table in watched for name in TRIGGERS]
    return off, on


TRIGGERS = ("reports_changed_insert", "reports_changed_update", "reports_changed_delete")


# ---------------------------------------------------------------------------
# A level up: the sums of each province's club rows, for the country's reports.
# ---------------------------------------------------------------------------
#
# A national report reads 20,000 kept club rows per date, parses and sums them: about a third of a
# second of Python however little changed. Summed per province once, they are kept as one row per
# province (ProvinceFigures), used while the province is as it was: the same clubs with the same versions
# (every change gives a club a version newer than any before: a province's digest of its (club, version)
# pairs changes with any change to its clubs, any club created, moved in or out, or removed) and the same
# composition standards (judged afresh on every read of club rows: a standard edited must be seen).

Sums = dict[int, Any]  # province id → what the caller's roll-up gives for its clubs


def province_sums_many(
    entries: list[Entry],
    scope,
    roll_up: Callable[[Any, list[int]], list[Sums]],
    *,
    encode: Callable[[Any], Any],
    decode: Callable[[Any], Any],
) -> list[Sums]:
    """For each entry (a key of club rows), the sums per province of the scope (national, or its area
    group): those kept where the province is as it was, the others from `roll_up(narrower, which)`,
    which gives the entries numbered `which` for the provinces of the scope `narrower` (the scope, or
    one province of it when few are to do). Each computed province row is kept."""
    if not enabled():
        return roll_up(scope, list(range(len(entries))))
    keys = [f"{entry.key}|{scope.area_group or ''}|{CODE_DIGEST}" for entry in entries]
    # Read before anything is computed (as club versions are): a change made meanwhile leaves a stamp behind.
    stamps, kept = _province_stamps_and_kept(scope, keys)
    found: list[Sums] = [
        {province_id: decode(_parse(text)) for province_id, text in kept.get(key, {}).items()} for key in keys
    ]
    missing = [set(stamps) - set(current) for current in found]
    which = [i for i, stale in enumerate(missing) if stale]
    if not which:
        return found
    every_stale = set().union(*(missing[i] for i in which))
    if 2 * len(every_stale) > len(stamps):
        computed = roll_up(scope, which)
    else:
        computed = [{} for _i in which]
        for province_id in sorted(every_stale):
            # The scope narrowed to one province (its filter needs only the id).
            narrower = replace(scope, province=Province(pk=province_id))
            for sums, more in zip(computed, roll_up(narrower, which), strict=True):
                sums.update(more)
    rows = []
    for i, sums in zip(which, computed, strict=True):
        for province_id in missing[i]:
            if province_id in sums:
                found[i][province_id] = sums[province_id]
                rows.append(f"{i + 1}\t{province_id}\t{stamps[province_id]}\t{_encode(encode(sums[province_id])).decode()}")
    _keep_provinces(keys, rows)
    return found


def _province_stamps_and_kept(scope, keys: list[str]) -> tuple[dict[int, str], dict[str, dict[int, str]]]:
    """Each province of the scope that has a club in it → its stamp: the digest of its clubs and their
    versions, and of the composition standards; and the rows kept under `keys` whose stamp is the
    current one, {key: {province id: figures}}. One query."""
    try:
        clubs_sql, clubs_params = Club.objects.filter(scope.club_q()).order_by().values("id").query.sql_with_params()
    except EmptyResultSet:
        return {}, {}
    standards = CompositionStandard._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH standards AS (SELECT md5(string_agg(s::text, ',' ORDER BY s.id)) AS digest FROM {standards} s), "
            f"stamps AS (SELECT c.province_id, md5(string_agg(c.id::text || ':' || COALESCE(v.version, 0)::text, ',' "
            f"ORDER BY c.id)) || '|' || COALESCE((SELECT digest FROM standards), '') AS stamp "
            f"FROM {Club._meta.db_table} c LEFT JOIN {ClubChange._meta.db_table} v ON v.club_id = c.id "
            f"WHERE c.id IN ({clubs_sql}) GROUP BY c.province_id) "
            f"SELECT s.province_id, s.stamp, f.key, f.figures FROM stamps s LEFT JOIN {ProvinceFigures._meta.db_table} f "
            "ON f.province_id = s.province_id AND f.stamp = s.stamp AND f.key = ANY(%s)",
            [*clubs_params, keys],
        )
        stamps: dict[int, str] = {}
        kept: dict[str, dict[int, str]] = {}
        for province_id, stamp, key, figures in cursor.fetchall():
            stamps[province_id] = stamp
            if key is not None:
                kept.setdefault(key, {})[province_id] = figures
    return stamps, kept


def _keep_provinces(keys: list[str], rows: list[str]) -> None:
    """Insert or replace the province rows (lines "key's number in `keys` from 1, province id, stamp,
    figures"), as _keep does the clubs'."""
    _upsert_lines(ProvinceFigures, "province_id", ("stamp", "text"), keys, rows)
