"""The memberships as the reports count them, with their members' properties copied beside them.

A report counts, for every club of its scope and at one or two dates, the members active then: women,
minorities, volunteers, older people, the insured, and by household status. From the register that is a
join of every membership with its member and with the member's household status of the day, for every
membership of the scope: on a province of 80,000 memberships about 140 ms of the server's time of a
report with nothing kept, and again as much for the new members (a membership with no earlier one of
the same member, an anti-join over all memberships).

Nothing of that depends on the date but a few comparisons, so it is written once per club:

- MembershipFact: one row per membership, with its member's sex, minority, volunteering, the first day
  they count as older (from the birth date or year, as members.models.older_person_q reads them), the
  last day of their health insurance card, and whether it is the member's first membership of the club
  (none of theirs began earlier; of two begun the same day in one club, the first written);
- HouseholdFact: each household status period of a member cut to their membership of the club, the
  days the status held while they were in it;
- BorrowingFact: each loan of the club's funds cut to its borrower's memberships of the club (the days
  they held it open as a member), and to their poor or near-poor household facts there.

A report at any date then counts those rows alone, with no join (a sixth of the time). The borrowers
of the whole country had been the open loans matched to the active memberships, two hashes over a
million rows (1.6 s); from their own rows, a scan of them (0.14 s).

When they are written: the rows of a club are current while its ClubChange version is the one they
were written at (ClubFacts), the version the database's triggers give a club on every change of its
memberships, of the members and of their household statuses (reports migration 0002), whatever
wrote them (and of the club's loans, for the borrowers). The data generator writes its new clubs' rows in
the transaction that makes them; a report first writes the rows of any club of its scope still behind
(after a form's change: a club's rows, a millisecond; after a member import, which sits below the reports
and cannot write them: the clubs imported into, about 1 ms each), so it never counts stale rows. The version is read
before the rows are written: a change committed meanwhile leaves them behind, to be written again.

PostgreSQL only, as the kept figures (reports.club_figures.enabled); on SQLite the reports count the
register itself.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction

from clubs.models import Club
from funds.models import Fund, Loan
from members.ethnicity import KINH
from members.models import Household, HouseholdStatus, Member, Membership, Sex
from reports import club_figures
from reports.models import BorrowingFact, ClubChange, ClubFacts, HouseholdFact, MembershipFact

# Any date after every real one: a health insurance card with no expiry date.
NO_END = datetime.date(9999, 12, 31)
# pg_advisory_xact_lock key: one writer of the facts at a time (two reports bringing the same club up to
# date would both insert its rows).
_LOCK = 0x4D454D46  # "MEMF"

_M, _P, _H = Membership._meta.db_table, Member._meta.db_table, HouseholdStatus._meta.db_table
_FACT, _HFACT, _STATE = MembershipFact._meta.db_table, HouseholdFact._meta.db_table, ClubFacts._meta.db_table
_BFACT, _L, _F = BorrowingFact._meta.db_table, Loan._meta.db_table, Fund._meta.db_table


def _older_from(birth_date: str, birth_year: str) -> str:
    """SQL: the first day a person counts as older, the inverse of members.models.older_person_q (older on
    D when born on or before D less AGE years, 29 February read as 28; or, with only a year, from
    1 January of the year they reach AGE). Born on 29 February: 28 February AGE years on, plus a day
    (29 February, or 1 March in a common year)."""
    age = int(settings.OLDER_PERSON_AGE)
    return (
        f"CASE WHEN {birth_date} IS NOT NULL THEN CASE "
        f"WHEN EXTRACT(MONTH FROM {birth_date}) = 2 AND EXTRACT(DAY FROM {birth_date}) = 29 "
        f"THEN make_date(EXTRACT(YEAR FROM {birth_date})::int + {age}, 2, 28) + 1 "
        f"ELSE ({birth_date} + make_interval(years => {age}))::date END "
        f"WHEN {birth_year} IS NOT NULL THEN make_date({birth_year} + {age}, 1, 1) END"
    )


_WRITE_MEMBERSHIPS = f"""
INSERT INTO {_FACT} (club_id, member_id, joined_on, left_on, woman, minority, volunteer, older_from,
                     insured_to, first)
SELECT m.club_id, m.member_id, m.joined_on, m.left_on,
       COALESCE(p.sex = %(woman)s, false), COALESCE(p.ethnicity <> %(kinh)s, false),
       COALESCE(p.is_volunteer, false), {_older_from("p.birth_date", "p.birth_year")},
       CASE WHEN p.has_health_insurance THEN COALESCE(p.health_insurance_expires_on, %(no_end)s) END,
       NOT EXISTS (SELECT 1 FROM {_M} e WHERE e.member_id = m.member_id AND (e.joined_on < m.joined_on
                   OR e.joined_on = m.joined_on AND e.club_id = m.club_id AND e.id < m.id))
FROM {_M} m JOIN {_P} p ON p.id = m.member_id
WHERE m.club_id = ANY(%(clubs)s)
"""
# A membership is active from joined_on to the day before left_on; a status from valid_from to valid_to.
_WRITE_HOUSEHOLDS = f"""
INSERT INTO {_HFACT} (club_id, member_id, status, starts_on, ends_on, older_from)
SELECT f.club_id, f.member_id, h.status, GREATEST(f.joined_on, h.valid_from), LEAST(f.left_on - 1, h.valid_to), f.older_from
FROM {_FACT} f JOIN {_H} h ON h.member_id = f.member_id
WHERE f.club_id = ANY(%(clubs)s)
  AND GREATEST(f.joined_on, h.valid_from) <= COALESCE(LEAST(f.left_on - 1, h.valid_to), %(no_end)s)
"""

# A loan is open from disbursed_on to the day before it was repaid or written off (funds.selectors.loan_open_q),
# a membership fact active to the day before left_on, a household fact valid to ends_on. LEAST and GREATEST
# pass over NULLs: a loan still open ends where the membership or status does.
_LOAN_LAST_DAY = "LEAST(l.repaid_on, l.written_off_on) - 1"
# The pieces of a club, member and kind that overlap or touch are joined into one (an island: each piece
# that begins after every earlier one has ended starts the next), so that on any date at most one row of
# each runs and the count needs no DISTINCT (0.41 -> 0.2 s for the whole country).
_PIECES = f"""
SELECT f.club_id, f.member_id, GREATEST(l.disbursed_on, f.joined_on) AS starts_on,
       LEAST({_LOAN_LAST_DAY}, f.left_on - 1) AS ends_on, false AS poor
FROM {_L} l JOIN {_F} d ON d.id = l.fund_id JOIN {_FACT} f ON f.club_id = d.club_id AND f.member_id = l.member_id
WHERE d.club_id = ANY(%(clubs)s)
  AND GREATEST(l.disbursed_on, f.joined_on) <= COALESCE(LEAST({_LOAN_LAST_DAY}, f.left_on - 1), %(no_end)s)
UNION ALL
SELECT h.club_id, h.member_id, GREATEST(l.disbursed_on, h.starts_on), LEAST({_LOAN_LAST_DAY}, h.ends_on), true
FROM {_L} l JOIN {_F} d ON d.id = l.fund_id JOIN {_HFACT} h ON h.club_id = d.club_id AND h.member_id = l.member_id
WHERE d.club_id = ANY(%(clubs)s) AND h.status IN (%(poor)s, %(near_poor)s)
  AND GREATEST(l.disbursed_on, h.starts_on) <= COALESCE(LEAST({_LOAN_LAST_DAY}, h.ends_on), %(no_end)s)
"""
_SAME = "PARTITION BY club_id, member_id, poor ORDER BY starts_on, ends_on NULLS LAST"
_WRITE_BORROWINGS = f"""
INSERT INTO {_BFACT} (club_id, member_id, starts_on, ends_on, poor)
SELECT club_id, member_id, min(starts_on), NULLIF(max(COALESCE(ends_on, %(no_end)s)), %(no_end)s), poor
FROM (SELECT *, count(*) FILTER (WHERE reach IS NULL OR starts_on > reach + 1) OVER ({_SAME} ROWS UNBOUNDED PRECEDING) AS island
      FROM (SELECT *, max(COALESCE(ends_on, %(no_end)s)) OVER ({_SAME} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
            FROM ({_PIECES}) pieces) reached) islands
GROUP BY club_id, member_id, poor, island
"""

DIGEST = hashlib.sha1(
    f"{_WRITE_MEMBERSHIPS}{_WRITE_HOUSEHOLDS}{_WRITE_BORROWINGS}{KINH}{Sex.FEMALE}".encode()
).hexdigest()[:12]


def enabled() -> bool:
    return club_figures.enabled()


def _clubs_sql(scope) -> tuple[str, tuple]:
    """The ids of the scope's clubs as SQL to put in `IN (…)`; one that gives none for a scope that can hold
    no club (the ORM refuses to write SQL for it)."""
    try:
        return Club.objects.filter(scope.club_q()).order_by().values("id").query.sql_with_params()
    except EmptyResultSet:
        return "SELECT NULL::bigint WHERE false", ()


def behind(scope) -> dict[int, int]:
    """The clubs of the scope whose facts are missing or behind, with their current version."""
    clubs_sql, params = _clubs_sql(scope)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, COALESCE(v.version, 0) FROM {Club._meta.db_table} c "
            f"LEFT JOIN {ClubChange._meta.db_table} v ON v.club_id = c.id "
            f"LEFT JOIN {_STATE} s ON s.club_id = c.id "
            f"WHERE c.id IN ({clubs_sql}) "
            "AND (s.club_id IS NULL OR s.version <> COALESCE(v.version, 0) OR s.digest <> %s)",
            [*params, DIGEST],
        )
        return dict(cursor.fetchall())


def bring_up_to_date(scope) -> int:
    """Write the facts of the clubs of the scope that are behind (none on SQLite). Returns how many."""
    if not enabled():
        return 0
    clubs = behind(scope)
    if clubs:
        write(clubs)
    return len(clubs)


def write(clubs: dict[int, int]) -> None:
    """Replace the facts of the clubs given ({club id: version read before}).

    One round trip: the statements go as one text (Django's PostgreSQL cursor binds the parameters
    itself), which the server runs as one transaction when none is open (an implicit one, as for any
    multi-statement query), so a reader sees a club's old rows or its new ones, never neither. The
    advisory lock makes two writers of the same clubs take turns."""
    ids = sorted(clubs)
    statements = [
        "SELECT pg_advisory_xact_lock(%(lock)s)",
        *(f"DELETE FROM {table} WHERE club_id = ANY(%(clubs)s)" for table in (_BFACT, _HFACT, _FACT)),
        _WRITE_MEMBERSHIPS,
        _WRITE_HOUSEHOLDS,
        _WRITE_BORROWINGS,
        f"INSERT INTO {_STATE} (club_id, version, digest) "
        "SELECT unnest(%(clubs)s::bigint[]), unnest(%(versions)s::bigint[]), %(digest)s "
        "ON CONFLICT (club_id) DO UPDATE SET version = EXCLUDED.version, digest = EXCLUDED.digest",
    ]
    params: dict[str, Any] = {
        "lock": _LOCK, "clubs": ids, "versions": [clubs[i] for i in ids], "digest": DIGEST,
        "woman": Sex.FEMALE, "kinh": KINH, "no_end": NO_END, "poor": Household.POOR, "near_poor": Household.NEAR_POOR,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(";\n".join(statement.strip() for statement in statements), params)


def forget() -> None:
    """Every fact gone (tests; the benchmark's measure of a report whose clubs all changed)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (_STATE, _BFACT, _HFACT, _FACT):
            cursor.execute(f"DELETE FROM {table}")


def forget_gone() -> None:
    """The rows of clubs that no longer exist (for a writer that removes clubs in bulk: their ids may be
    given again, by a sequence restarted, and a new club must not find an old one's facts current)."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (_STATE, _BFACT, _HFACT, _FACT):
            cursor.execute(f"DELETE FROM {table} WHERE club_id NOT IN (SELECT id FROM {Club._meta.db_table})")


# ---------------------------------------------------------------------------
# Counting: the rows of reports.indicators' members and new members parts, from the facts.
# ---------------------------------------------------------------------------


def _fetch(sql: str, params: list) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def members_rows(scope, dates: list[datetime.date]) -> list[dict[str, Any]]:
    """Per club and combination of the dates it is active on (on_0, on_1…): the memberships active on
    any of the dates, total, women, minority, volunteers, and by date older_i and insured_i. Whether the
    club itself existed on a date is the caller's (indicators: the club's own row)."""
    clubs_sql, clubs_params = _clubs_sql(scope)
    active = "(f.joined_on <= %s AND (f.left_on IS NULL OR f.left_on > %s))"
    flags = [f"{active} AS on_{i}" for i in range(len(dates))]
    counts = ["count(*) AS total", "count(*) FILTER (WHERE f.woman) AS women",
              "count(*) FILTER (WHERE f.minority) AS minority", "count(*) FILTER (WHERE f.volunteer) AS volunteers"]  # fmt: skip
    for i in range(len(dates)):
        counts += [f"count(*) FILTER (WHERE f.older_from <= %s) AS older_{i}",
                   f"count(*) FILTER (WHERE f.insured_to >= %s) AS insured_{i}"]  # fmt: skip
    groups = ", ".join(str(n) for n in range(1, len(dates) + 2))
    sql = (
        f"SELECT f.club_id, {', '.join(flags)}, {', '.join(counts)} FROM {_FACT} f "
        f"WHERE f.club_id IN ({clubs_sql}) AND ({' OR '.join([active] * len(dates))}) GROUP BY {groups}"
    )
    params = [
        *(day for day in dates for _twice in (0, 1)),
        *(day for day in dates for _twice in (0, 1)),
        *clubs_params,
        *(day for day in dates for _twice in (0, 1)),
    ]
    return _fetch(sql, params)


HOUSEHOLD_COUNTS = ("poor", "near_poor", "hardship", "older_poor", "older_near_poor")


def household_rows(scope, dates: dict[int, datetime.date]) -> list[dict[str, Any]]:
    """Per club, for each date numbered i: the members active then by their household status then
    (poor_i, near_poor_i, hardship_i) and the older among the poor and near-poor (older_poor_i,
    older_near_poor_i)."""
    if not dates:
        return []
    clubs_sql, clubs_params = _clubs_sql(scope)
    valid = "(h.starts_on <= %s AND (h.ends_on IS NULL OR h.ends_on >= %s))"
    counts, params = [], []
    for i, day in dates.items():
        for name, status, older in (("poor", "poor", False), ("near_poor", "near_poor", False),
                                    ("hardship", "hardship", False), ("older_poor", "poor", True),
                                    ("older_near_poor", "near_poor", True)):  # fmt: skip
            older_sql = " AND h.older_from <= %s" if older else ""
            counts.append(f"count(*) FILTER (WHERE {valid} AND h.status = %s{older_sql}) AS {name}_{i}")
            params += [day, day, status, *([day] if older else [])]
    sql = (
        f"SELECT h.club_id, {', '.join(counts)} FROM {_HFACT} h WHERE h.club_id IN ({clubs_sql}) "
        f"AND ({' OR '.join([valid] * len(dates))}) GROUP BY 1"
    )
    return _fetch(sql, [*params, *clubs_params, *(day for day in dates.values() for _twice in (0, 1))])


def new_members_rows(scope, asked: list[tuple[datetime.date, datetime.date, datetime.date]]) -> list[dict]:
    """Per club and combination of the periods (in_0, in_1…): the members whose first membership began
    in the period, n, and by period older_i those older on its report date. `asked`: (report date,
    period start, period end) each."""
    clubs_sql, clubs_params = _clubs_sql(scope)
    within = "(f.joined_on BETWEEN %s AND %s)"
    flags = [f"{within} AS in_{i}" for i in range(len(asked))]
    # One first membership per member and club at most (MembershipFact.first): counted without DISTINCT.
    counts = ["count(*) AS n"] + [
        f"count(*) FILTER (WHERE f.older_from <= %s) AS older_{i}" for i in range(len(asked))
    ]
    groups = ", ".join(str(n) for n in range(1, len(asked) + 2))
    sql = (
        f"SELECT f.club_id, {', '.join(flags)}, {', '.join(counts)} FROM {_FACT} f "
        f"WHERE f.first AND f.club_id IN ({clubs_sql}) AND ({' OR '.join([within] * len(asked))}) "
        f"GROUP BY {groups}"
    )
    periods = [value for _on, start, end in asked for value in (start, end)]
    return _fetch(sql, [*periods, *(on for on, _start, _end in asked), *clubs_params, *periods])


def borrowers(scope, on: datetime.date, *, poor: bool) -> dict[int, tuple[int, int]]:
    """Per club: (borrowers, poor borrowers) on the date, as funds.selectors counts them — the members
    active in the club then who hold a loan of the club open then, and of them those of a poor or
    near-poor household then (0 unless `poor`): the borrowing facts running on the date, one at most per
    member and kind however many loans they hold."""
    clubs_sql, clubs_params = _clubs_sql(scope)
    kinds = "" if poor else " AND NOT b.poor"
    sql = (
        "SELECT b.club_id, count(*) FILTER (WHERE NOT b.poor), count(*) FILTER (WHERE b.poor) "
        f"FROM {_BFACT} b WHERE b.club_id IN ({clubs_sql}) "
        f"AND b.starts_on <= %s AND (b.ends_on IS NULL OR b.ends_on >= %s){kinds} GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*clubs_params, on, on])
        return {club_id: (b, p) for club_id, b, p in cursor.fetchall()}
