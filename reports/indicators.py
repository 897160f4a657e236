"""The indicator catalogue, and how every indicator is computed for a scope, a date and a period.

A scope is the whole country, a province, a set of communes (optionally only those of some area
classes) or one club. Stocks (members, clubs, statuses, balances) are read **as of** a date; events
(new clubs, new members, loans disbursed, meetings held) are counted over a period, by default the
year to date.

Everything is aggregated in the database with a fixed number of queries whatever the data size
(about nine). Each query groups by club; the per-club rows (a few thousand per province, 20,000
nationally) are then summed per group in Python. That loop is over clubs, never over members, and it
is what lets one pass give the scope's total, the commune breakdown, the national roll-up by province
and the club breakdown with the very same numbers. Club-by-club judgements (≥ 5 volunteers, all 8
activity areas, composition standard) are made on those rows before they are counted.

`compute_indicators()` gives one dict for a scope; `compute_groups()` gives several groupings from one
pass; `indicators_by_province()` (the national roll-up), `indicators_by_commune()` and
`indicators_by_club()` give one dict per group, with the same codes. Pass `codes` to run only the
queries those codes need.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from decimal import Decimal
from functools import partial
from operator import itemgetter
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth

from clubs.models import (
    ActivityArea,
    BoardMembership,
    Club,
    active_q,
    existing_q,
    founded_in_q,
    not_launched_q,
)
from config.collector import collector_paused
from funds.selectors import POOR_BORROWERS, SOURCES, fund_figures_by_club, plain_rows
from life.models import Activity as ClubActivity
from life.models import ActivityType, ClubRating, Rating
from life.selectors import last_twelve_months
from members.composition import share_between, share_pct, standards_by_province
from members.ethnicity import KINH
from members.models import (
    Household,
    Membership,
    Sex,
    active_on_q,
    health_insured_on_q,
    household_valid_on_q,
    older_person_q,
)
from places.models import REMOTE_AREA_CLASSES, AreaClass, Province
from reports import club_figures, member_facts, side_by_side
from reports.catalogue import BY_CODE, CATALOGUE, FUND_CODES, Number
from reports.scope import Period, Scope

POOR_OR_NEAR = (Household.POOR, Household.NEAR_POOR)
# The codes that need, of the funds' figures, only the borrowers on the date.
BORROWER_CODES = frozenset(
    {"borrowers_total", "members_borrowing_pct", "clubs_borrowing_50_pct", "clubs_all_8_and_borrowing_50_pct"}
)

# ---------------------------------------------------------------------------
# Computation: one pass of per-club aggregates, rolled up to any grouping.
#
# Every query groups by club (a few thousand rows at most per province, 20,000 nationally) and the
# rows are summed per group in Python. So one pass gives the scope's total, the commune breakdown, the
# national roll-up by province and the club breakdown at once, with the same numbers in each.
# ---------------------------------------------------------------------------

# The queries, and the codes each one feeds; compute only what the codes asked for need.
PARTS: dict[str, set[str]] = {
    "members": {
        "members_total", "members_women", "members_women_pct", "members_older", "members_older_pct",
        "members_younger_pct", "members_ethnic_minority_pct", "members_per_club_avg", "volunteers_total",
        "clubs_with_5_volunteers_pct", "members_health_insured", "members_health_insured_pct",
    },
    # The members' household status on the date: a join of the members query (runs it too), the costliest
    # part of it, made only for the codes that need it (the composition standard counts the poor too).
    "households": {
        "members_poor", "members_near_poor", "members_hardship", "members_poor_near_poor_pct",
        "members_older_poor", "members_older_near_poor", "clubs_composition_ok_pct",
    },
    # Judged on the members' counts: runs the members query too.
    "composition": {"clubs_composition_ok_pct", "clubs_composition_1336_pct"},
    "new_members": {"members_new_in_period", "members_older_new_in_period"},
    "board": {"board_members_total"},
    # The 8 areas and ≥ 50 % borrowing together (1336/QĐ-TTg) need the funds query as well.
    "activities": {"clubs_all_8_activities_pct", "meetings_held_pct", "clubs_all_8_and_borrowing_50_pct"},
    "ratings": {"clubs_rated_good_pct", "clubs_rated_weak"},
    # funds.selectors.fund_figures_by_club; % borrowing is over members_total, so members run too.
    # The poor borrowers are counted with them (funds.selectors.POOR_BORROWERS).
    "funds": {*FUND_CODES, "clubs_all_8_and_borrowing_50_pct", "borrowers_poor_near_poor"},
    # Only the borrowers of the funds' figures, when no other is asked for (targets as of a past date):
    # the open loans' count, without their outstanding principal, the ledger or the loans' totals.
    "borrowers": BORROWER_CODES,
    "communes": {
        "communes_total", "communes_with_club", "communes_with_club_pct", "communes_with_club_pct_plains",
        "communes_with_club_pct_remote",
    },
}  # fmt: skip

GROUPINGS = ("total", "province", "commune", "club")
# The codes whose value depends on the period: the events counted over it, and the monthly meetings held
# in it (a stock read as of the date otherwise). The others are the same whatever the period.
PERIOD_CODES = frozenset(
    {indicator.code for indicator in CATALOGUE if indicator.over_period} | {"meetings_held_pct"}
)
# The funds' figures used here (funds.selectors.FIGURE_KEYS): neither the active members (the members
# query counts them) nor the repayment rate are.
FUND_FIGURES = frozenset(
    {"capital", "capital_by_source", "capital_income_fund", "capital_activity_fund", "clubs_with_both_funds",
     "outstanding", "borrowers", "members_ever_borrowed", "borrowed_in_period", "disbursed_in_period",
     "par30_outstanding", POOR_BORROWERS}
)  # fmt: skip
# Those of them the open loans' query gives (the rest: the ledger's and the loans' totals).
OPEN_LOAN_FIGURES = frozenset({"outstanding", "borrowers", "par30_outstanding", POOR_BORROWERS})
_ONE = Value(1)
# Below this, _pct divides in integers (see there).
_EXACT = 10**15


def flag(condition: Q) -> Case:
    """1 where the condition holds, else 0 (to sum in an aggregate or per group)."""
    return Case(When(condition, then=_ONE), default=Value(0), output_field=IntegerField())


def _pct(part: Number, whole: Number) -> float | None:
    """members.composition.share_pct (one decimal, halves up), as a JSON number.

    Counts and amounts (plain ints) are divided in integers, exactly: the same number as share_pct's
    Decimal gives (its 28 digits round nothing below 10**15), at a fraction of the cost — a province's
    page asks some 4,000 of them. Anything else goes through share_pct."""
    if type(part) is int and type(whole) is int and 0 <= part < _EXACT and 0 < whole < _EXACT:
        tenths, rest = divmod(1000 * part, whole)
        return (tenths + (2 * rest >= whole)) / 10
    share = share_pct(part, whole)
    return None if share is None else float(share)


def _ratio(part: Number, whole: Number) -> float | None:
    if part is None or not whole:
        return None
    return round(part / whole, 1)


def _months(start: datetime.date, end: datetime.date) -> int:
    """Calendar months touched by [start, end]."""
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _parts_for(codes: set[str] | None) -> set[str]:
    parts = set(PARTS) if codes is None else {part for part, fed in PARTS.items() if fed & codes}
    # The borrowers alone when no other funds' figure is asked for, else the whole funds query.
    if codes is not None and not (codes & PARTS["funds"]) - BORROWER_CODES:
        parts.discard("funds")
    else:
        parts.discard("borrowers")
    if parts & {"composition", "funds", "borrowers", "households"}:
        parts.add("members")
    return parts


ClubRows = dict[int, dict[str, Any]]


def _club_rows(scope: Scope, on: datetime.date, period: Period, parts: set[str]) -> ClubRows:
    """Raw per-club figures (numerators and denominators) for every club of the scope: the clubs' own
    statuses, then one query per part asked for (PART_QUERIES), then the club-by-club judgements."""
    return _club_rows_many(scope, [(on, period, parts)])[0]


Spec = tuple[datetime.date, Period, set[str]]


def _club_rows_many(scope: Scope, specs: list[Spec]) -> list[ClubRows]:
    """_club_rows for several (date, period, parts) at once: the members of every date in one scan of
    the memberships (MANY_DATES), the other parts one query per date."""
    results = []
    for on, period, _parts in specs:
        # As the driver gives them (plain_rows): ids, flags and a date need no converter (the country's
        # 20,000 clubs: 53 → 45 ms of CPU a call, and a national report makes four).
        names, rows = plain_rows(
            Club.objects.filter(scope.club_q())
            .order_by()
            .values("id", "province_id", "commune_id", "launched_on")
            .annotate(
                existing=flag(existing_q(on)),
                active=flag(active_q(on)),
                not_launched=flag(not_launched_q(on)),
                new=flag(founded_in_q(period.start, period.end)),
                active_at_end=flag(active_q(period.end)),
            )
        )
        clubs = {}
        for values in rows:
            row = dict(zip(names, values, strict=True))
            row["ratings"] = {}
            clubs[row["id"]] = row
        results.append(clubs)
    if any(spec[2] & FROM_FACTS for spec in specs):
        member_facts.bring_up_to_date(scope)  # before the groups: they read the facts side by side
    asked = set().union(*(parts for _on, _period, parts in specs))
    side_by_side.run(
        [partial(_run_parts, names, scope, results, specs) for names in PART_GROUPS if asked.intersection(names)]
    )
    for clubs, (_on, period, parts) in zip(results, specs, strict=True):
        _judge_clubs(clubs, period, parts)
    return results


def _run_parts(names: tuple[str, ...], scope: Scope, results: list[ClubRows], specs: list[Spec]) -> None:
    """The queries of the parts named, for every spec that asks for them, filling the clubs' rows."""
    for part in names:
        asked = [(clubs, spec) for clubs, spec in zip(results, specs, strict=True) if part in spec[2]]
        if part in MANY_DATES and len(asked) > 1:
            MANY_DATES[part](scope, asked)
        else:
            for clubs, (on, period, parts) in asked:
                PART_QUERIES[part](clubs, scope, on, period, parts)


def _add(clubs: ClubRows, rows, **names: str) -> None:
    """Copy each grouped row's figures onto its club (names: club field = row field)."""
    for row in rows:
        club = clubs.get(row["club_id"])
        if club is not None:
            for target, source in names.items():
                club[target] = row[source]


def _plain_rows(queryset: QuerySet) -> list[dict[str, Any]]:
    """The rows of a values() queryset of counts as the database gives them (integers on both databases),
    without Django's converters: an int() call per value, 50,000 values for a province's members (about
    25 ms of Python of a province report with nothing kept)."""
    names, rows = plain_rows(queryset)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _members_part(clubs: ClubRows, scope: Scope, on: datetime.date, period: Period, parts: set[str]) -> None:
    """Members active on the date, attributed to the club of their membership on that date, with the
    household status valid that day when asked for ("households"; periods do not overlap: at most one
    joined row per member)."""
    _members_part_many(scope, [(clubs, (on, period, parts))])


def _members_part_many(scope: Scope, asked: list[tuple[ClubRows, Spec]]) -> None:
    """_members_part at several dates in one scan of the memberships: the rows active on any of the
    dates, grouped by club and by the dates each is active on (a flag per date, computed once per row),
    then summed per date here (at most a few groups per club). Only what depends on the date (older,
    insured, the household status valid then) is counted once per date."""
    if member_facts.enabled():
        _members_from_facts(scope, asked)
        return
    many = len(asked) > 1
    rows = Membership.objects.filter(scope.club_q("club__"))
    on_any = Q()
    flags = {}
    counts: dict[str, Count] = {
        "total": Count("id"),
        "women": Count("id", filter=Q(member__sex=Sex.FEMALE)),
        "minority": Count("id", filter=~Q(member__ethnicity=KINH)),
        "volunteers": Count("id", filter=Q(member__is_volunteer=True)),
    }
    for i, (_clubs, (on, _period, parts)) in enumerate(asked):
        on_date = existing_q(on, "club__") & active_on_q(on)
        on_any |= on_date
        flags[f"on_{i}"] = flag(on_date)
        older = older_person_q(on, prefix="member__")
        counts.update(
            {
                f"older_{i}": Count("id", filter=older),
                f"insured_{i}": Count("id", filter=health_insured_on_q(on, "member__")),
            }
        )
        if "households" in parts:
            status = f"household_on_{i}__status"
            rows = rows.annotate(
                **{
                    f"household_on_{i}": FilteredRelation(
                        "member__household_statuses",
                        condition=household_valid_on_q(on, "member__household_statuses__"),
                    )
                }
            )
            counts.update(
                {
                    f"poor_{i}": Count("id", filter=Q(**{status: Household.POOR})),
                    f"near_poor_{i}": Count("id", filter=Q(**{status: Household.NEAR_POOR})),
                    f"hardship_{i}": Count("id", filter=Q(**{status: Household.HARDSHIP})),
                    f"older_poor_{i}": Count("id", filter=older & Q(**{status: Household.POOR})),
                    f"older_near_poor_{i}": Count("id", filter=older & Q(**{status: Household.NEAR_POOR})),
                }
            )
    rows = rows.filter(on_any).order_by()
    if many:
        grouped = rows.annotate(**flags).values("club_id", *flags).annotate(**counts)
    else:
        grouped = rows.values("club_id").annotate(**counts)
    names_of = []
    for i, (_clubs, (_on, _period, parts)) in enumerate(asked):
        names = {"members": "total", "women": "women", "minority": "minority", "volunteers": "volunteers",
                 "older": f"older_{i}", "insured": f"insured_{i}"}  # fmt: skip
        if "households" in parts:
            names.update({name: f"{name}_{i}" for name in PART_FIELDS["households"]})
        names_of.append(names)
    for row in _plain_rows(grouped):
        for i, (clubs, _spec) in enumerate(asked):
            club = clubs.get(row["club_id"])
            if club is None or (many and not row[f"on_{i}"]):
                continue
            for target, source in names_of[i].items():
                club[target] = club.get(target, 0) + row[source]


def _members_from_facts(scope: Scope, asked: list[tuple[ClubRows, Spec]]) -> None:
    """_members_part_many counted from reports.member_facts: the same figures, without joining the members
    and their household statuses. A club counts on a date only if it existed then (its own row)."""
    names = {"members": "total", "women": "women", "minority": "minority", "volunteers": "volunteers"}
    # Per date: its flag, and (figure, column) pairs, named once rather than for every row.
    dates = [
        (clubs, f"on_{i}", (*names.items(), ("older", f"older_{i}"), ("insured", f"insured_{i}")))
        for i, (clubs, _spec) in enumerate(asked)
    ]
    for row in member_facts.members_rows(scope, [on for _clubs, (on, _period, _parts) in asked]):
        for clubs, flag_name, pairs in dates:
            if not row[flag_name]:
                continue
            club = clubs.get(row["club_id"])
            if club is None or not club["existing"]:
                continue
            for target, source in pairs:
                club[target] = club.get(target, 0) + row[source]
    households = {i: on for i, (_clubs, (on, _period, parts)) in enumerate(asked) if "households" in parts}
    columns = [(asked[i][0], [(name, f"{name}_{i}") for name in PART_FIELDS["households"]]) for i in households]
    for row in member_facts.household_rows(scope, households):
        for clubs, pairs in columns:
            club = clubs.get(row["club_id"])
            if club is None or not club["existing"]:
                continue
            for target, source in pairs:
                club[target] = club.get(target, 0) + row[source]


def _new_members_part(
    clubs: ClubRows, scope: Scope, on: datetime.date, period: Period, parts: set[str]
) -> None:
    """A first membership of any club began in the period (moving between clubs is not joining)."""
    _new_members_part_many(scope, [(clubs, (on, period, parts))])


def _new_members_part_many(scope: Scope, asked: list[tuple[ClubRows, Spec]]) -> None:
    """_new_members_part for several (date, period) in one scan: the first memberships begun in any of
    the periods, grouped by club and by the periods they began in (a flag per period). A member's first
    memberships all begin on the same day, so fall in one group: the distinct counts of a club's groups
    add up."""
    if member_facts.enabled():
        rows = member_facts.new_members_rows(
            scope, [(on, period.start, period.end) for _clubs, (on, period, _parts) in asked]
        )
        for row in rows:
            for i, (clubs, _spec) in enumerate(asked):
                club = clubs.get(row["club_id"])
                if club is not None and row[f"in_{i}"]:
                    club["new_members"] = club.get("new_members", 0) + row["n"]
                    club["new_older"] = club.get("new_older", 0) + row[f"older_{i}"]
        return
    many = len(asked) > 1
    earlier = Membership.objects.filter(member_id=OuterRef("member_id"), joined_on__lt=OuterRef("joined_on"))
    in_any = Q()
    flags = {}
    counts = {"n": Count("member_id", distinct=True)}
    for i, (_clubs, (on, period, _parts)) in enumerate(asked):
        in_period = Q(joined_on__range=(period.start, period.end))
        in_any |= in_period
        flags[f"in_{i}"] = flag(in_period)
        counts[f"older_{i}"] = Count("member_id", distinct=True, filter=older_person_q(on, prefix="member__"))
    rows = Membership.objects.filter(scope.club_q("club__")).filter(in_any).exclude(Exists(earlier)).order_by()
    if many:
        grouped = rows.annotate(**flags).values("club_id", *flags).annotate(**counts)
    else:
        grouped = rows.values("club_id").annotate(**counts)
    for row in _plain_rows(grouped):
        for i, (clubs, _spec) in enumerate(asked):
            club = clubs.get(row["club_id"])
            if club is None or (many and not row[f"in_{i}"]):
                continue
            club["new_members"] = club.get("new_members", 0) + row["n"]
            club["new_older"] = club.get("new_older", 0) + row[f"older_{i}"]


def _board_part(clubs: ClubRows, scope: Scope, on: datetime.date, period: Period, parts: set[str]) -> None:
    _add(
        clubs,
        BoardMembership.objects.filter(
            Q(to_date__isnull=True) | Q(to_date__gte=on),
            scope.club_q("club__"),
            existing_q(on, "club__"),
            from_date__lte=on,
        )
        .order_by()
        .values("club_id")
        .annotate(n=Count("member_id", distinct=True)),
        board="n",
    )


def _activities_part(
    clubs: ClubRows, scope: Scope, on: datetime.date, period: Period, parts: set[str]
) -> None:
    """One scan for both, with club life's definitions (life.selectors.area_coverage and meetings_held,
    which take two queries each): areas covered in the 12 calendar months up to the date, and months
    with a monthly meeting in the period."""
    last_year = Q(held_on__range=last_twelve_months(on))
    meetings = Q(kind=ActivityType.MONTHLY_MEETING, held_on__range=(period.start, period.end))
    _add(
        clubs,
        ClubActivity.objects.filter(scope.club_q("club__"))
        .filter(last_year | meetings)
        .order_by()
        .values("club_id")
        .annotate(
            areas=Count("area", distinct=True, filter=last_year),
            months=Count(TruncMonth("held_on"), distinct=True, filter=meetings),
        ),
        areas="areas",
        meeting_months="months",
    )


def _funds_part(clubs: ClubRows, scope: Scope, on: datetime.date, period: Period, parts: set[str]) -> None:
    """The funds' figures in two halves side by side (reports.side_by_side): the open loans' query, the
    heaviest of a report with nothing kept, beside the ledger's and the loans' totals. Where the members'
    facts are kept, the borrowers and the poor borrowers are counted from them, beside both
    (member_facts.borrowers), and the open loans' query sums what they owe only."""
    clubs_qs = Club.objects.filter(scope.club_q())
    from_facts = member_facts.enabled()
    open_figures = OPEN_LOAN_FIGURES - {"borrowers", POOR_BORROWERS} if from_facts else OPEN_LOAN_FIGURES
    halves: list[dict[int, dict]] = [{}, {}]
    counted: dict[int, tuple[int, int]] = {}

    def half(i: int, only: frozenset[str]) -> None:
        halves[i] = fund_figures_by_club(clubs_qs, on, period=(period.start, period.end), only=only)

    side_by_side.run(
        [
            partial(half, 0, open_figures),
            partial(half, 1, FUND_FIGURES - OPEN_LOAN_FIGURES),
            (lambda: counted.update(member_facts.borrowers(scope, on, poor=True))) if from_facts else None,
        ]
    )
    by_club = halves[1]
    for club_id, open_loans in halves[0].items():
        figures = by_club.setdefault(club_id, open_loans)
        figures.update({name: open_loans[name] for name in open_figures})
        if from_facts:
            figures["borrowers"], figures[POOR_BORROWERS] = counted.get(club_id, (0, 0))
    for club_id, figures in by_club.items():
        club = clubs.get(club_id)
        if club is None:
            continue
        club.update(
            capital=figures["capital"],
            outstanding=figures["outstanding"],
            borrowers=figures["borrowers"],
            ever_borrowed=figures["members_ever_borrowed"],
            borrowed_in_period=figures["borrowed_in_period"],
            disbursed=figures["disbursed_in_period"],
            par30_outstanding=figures["par30_outstanding"],
            has_both_funds=figures["clubs_with_both_funds"],
            borrowers_poor=figures[POOR_BORROWERS],
            **{f"capital_{source}": amount for source, amount in figures["capital_by_source"].items()},
        )


def _borrowers_part(
    clubs: ClubRows, scope: Scope, on: datetime.date, period: Period, parts: set[str]
) -> None:
    """The borrowers alone, as the funds' figures count them (one query over the open loans; from the
    members' facts where they are kept)."""
    if member_facts.enabled():
        for club_id, (borrowers, _poor) in member_facts.borrowers(scope, on, poor=False).items():
            if club_id in clubs:
                clubs[club_id]["borrowers"] = borrowers
        return
    by_club = fund_figures_by_club(Club.objects.filter(scope.club_q()), on, only={"borrowers"})
    for club_id, figures in by_club.items():
        club = clubs.get(club_id)
        if club is not None:
            club["borrowers"] = figures["borrowers"]


def _ratings_part(clubs: ClubRows, scope: Scope, on: datetime.date, period: Period, parts: set[str]) -> None:
    rows = ClubRating.objects.filter(scope.club_q("club__"), rated_on__lte=on).order_by()
    for row in rows.values("club_id", "year", "rating"):
        if row["club_id"] in clubs:
            clubs[row["club_id"]]["ratings"][row["year"]] = row["rating"]


# The query of each part (PARTS says which codes each feeds).
PART_QUERIES = {
    "members": _members_part,
    "new_members": _new_members_part,
    "board": _board_part,
    "activities": _activities_part,
    "funds": _funds_part,
    "borrowers": _borrowers_part,
    "ratings": _ratings_part,
}
# The parts counted from reports.member_facts when it is kept (PostgreSQL): the borrowers with the funds.
FROM_FACTS = frozenset({"members", "new_members", "funds", "borrowers"})
# The parts that compute several dates in one scan (_club_rows_many).
MANY_DATES = {"members": _members_part_many, "new_members": _new_members_part_many}
# The parts in groups that run side by side (reports.side_by_side), the heaviest first (on the request's
# own connection), of about the same time each (a province with nothing kept: the members' scan; the
# funds' four queries; the new members and the rest). Every field of a club row is filled by the parts of
# one group only (PART_FIELDS), so groups running at once never write the same entry of a row (each
# entry of a dict is set atomically: the rows are shared, not copied).
PART_GROUPS = (("members",), ("funds", "borrowers"), ("new_members", "activities", "board", "ratings"))


def _judge_clubs(clubs: ClubRows, period: Period, parts: set[str]) -> None:
    """Fill every figure of the parts asked for (0 where a club had no rows), so that rows can be summed
    field by field and kept as plain lists (reports.club_figures); then judge each club."""
    counted = [
        name for name in row_fields(parts) if name not in ("province_id", "commune_id", "ratings", *JUDGED)
    ]
    areas = len(ActivityArea)
    for row in clubs.values():
        for name in counted:
            if row.get(name) is None:
                row[name] = 0
        # The club-by-club judgements, counted per group (_roll_up).
        active = row["active"]
        row["with_5_volunteers"] = int(active and row.get("volunteers", 0) >= MIN_VOLUNTEERS)
        row["both_funds"] = int(active and row.get("has_both_funds", 0))
        row["all_8"] = int(active and row.get("areas", 0) >= areas)
        # At least half of the club's members borrowing (1336/QĐ-TTg), alone and with the 8 areas.
        members = row.get("members", 0)
        row["borrowing_50"] = int(active and members > 0 and 2 * row.get("borrowers", 0) >= members)
        row["all_8_borrowing_50"] = row["all_8"] * row["borrowing_50"]
        row["composition_1336"] = int(active and meets_1336_composition(row))
        due = 0
        launched = row.pop("launched_on")
        if row["active_at_end"] and launched:
            due = _months(max(period.start, launched), period.end)
        row["meetings_due"] = due
        row["meetings_held"] = min(row.get("meeting_months", 0), due)
        row["ratings"] = sorted(row["ratings"].items())  # (year, rating) pairs: plain JSON


# The fields of a club row, by the query that fills them.
PART_FIELDS: dict[str | None, tuple[str, ...]] = {
    None: ("province_id", "commune_id", "existing", "active", "not_launched", "new", "active_at_end",
           "ratings", "with_5_volunteers", "both_funds", "all_8", "meetings_due", "meetings_held", "borrowing_50",
           "all_8_borrowing_50", "composition_1336"),
    "members": ("members", "women", "older", "minority", "volunteers", "insured"),
    "households": ("poor", "near_poor", "hardship", "older_poor", "older_near_poor"),
    "new_members": ("new_members", "new_older"),
    "board": ("board",),
    "activities": ("areas", "meeting_months"),
    "funds": ("capital", "outstanding", "borrowers", "ever_borrowed", "disbursed", "par30_outstanding", "has_both_funds",
              "borrowed_in_period", "borrowers_poor", *(f"capital_{source}" for source in SOURCES)),
    "borrowers": ("borrowers",),
}  # fmt: skip


def row_fields(parts: set[str]) -> tuple[str, ...]:
    return tuple(
        name for part, names in PART_FIELDS.items() if part is None or part in parts for name in names
    )


def _as_lists(clubs: ClubRows, fields: tuple[str, ...]) -> dict[int, list]:
    """The computed club rows as the lists the kept ones are read back as: each row's values in `fields`
    order, how it is kept, and how it is rolled up (_groups). (The values taken by one itemgetter call: a
    comprehension over the 40 names took 35–65 ms for 20,000 clubs, this 22–42 ms.)"""
    if len(fields) == 1:
        return {club_id: [row[fields[0]]] for club_id, row in clubs.items()}
    values = itemgetter(*fields)
    return {club_id: list(values(row)) for club_id, row in clubs.items()}


def _judge_composition(clubs: dict[int, list], on: datetime.date, at: dict[str, int]) -> None:
    """Whether each active club meets its province's composition standard, on the counts already taken:
    appended to each club row (a list, its fields at the positions `at` gives).

    The criteria are those of members.composition (the register's composition check), compared with its
    own exact rule `share_between`; building its Composition/Criterion objects for 20,000 clubs would cost
    most of a second, so the six checks are spelled out here (a test keeps the two in agreement).
    """
    province = at["province_id"]
    standards = standards_by_province({row[province] for row in clubs.values()})
    national = standards[None]
    active, members, older, women, volunteers = (
        at[name] for name in ("active", "members", "older", "women", "volunteers")
    )
    poor, near_poor, hardship = at["poor"], at["near_poor"], at["hardship"]
    for row in clubs.values():
        if not row[active]:
            row.append(0)
            continue
        s = standards.get(row[province]) or national
        n = row[members] or 0
        old = row[older] or 0
        # Checked in order, each only when those before it hold: most clubs fail one of the first.
        row.append(
            int(
                s.members_min <= n <= s.members_max
                and share_between(row[women] or 0, n, s.women_pct_min, s.women_pct_max)
                and share_between(old, n, s.older_pct_min, s.older_pct_max)
                and share_between(n - old, n, s.younger_pct_min, s.younger_pct_max)
                and share_between(
                    (row[poor] or 0) + (row[near_poor] or 0) + (row[hardship] or 0),
                    n,
                    s.poor_pct_min,
                    s.poor_pct_max,
                )
                and (row[volunteers] or 0) >= s.volunteers_min
            )
        )


# Each club's composition as Decision 1336/QĐ-TTg states it (5133/QĐ-UBND Thanh Hóa says the same):
# 50–70 members, 60–70 % women, 60–70 % older people, 30–40 % younger people. A fixed rule, unlike the
# standard an admin may set per province (clubs_composition_ok_pct), so it is judged with the rows.
COMPOSITION_1336 = {"members": (50, 70), "women": (60, 70), "older": (60, 70), "younger": (30, 40)}


def meets_1336_composition(row: dict[str, Any]) -> bool:
    """Whether a club row's counts meet COMPOSITION_1336 (shares compared exactly, not after rounding)."""
    n = row.get("members", 0)
    older = row.get("older", 0)
    low, high = COMPOSITION_1336["members"]
    return (
        low <= n <= high
        and share_between(row.get("women", 0), n, *COMPOSITION_1336["women"])
        and share_between(older, n, *COMPOSITION_1336["older"])
        and share_between(n - older, n, *COMPOSITION_1336["younger"])
    )


def _commune_rows(scope: Scope, on: datetime.date) -> list[dict[str, Any]]:
    """Each commune of the scope with its area class and whether a club exists there on the date."""
    has_club = Exists(Club.objects.filter(existing_q(on), commune_id=OuterRef("id")))
    return list(
        scope.communes().order_by().values("id", "province_id", "area_class").annotate(has_club=has_club)
    )


# Per-club figures that add up across clubs, and the club-by-club judgements counted per group.
ADDED = (
    "existing", "active", "not_launched", "new", "members", "women", "older", "minority", "volunteers", "poor",
    "near_poor", "hardship", "new_members", "new_older", "board", "capital", *(f"capital_{s}" for s in SOURCES),
    "outstanding", "borrowers", "ever_borrowed", "disbursed", "par30_outstanding", "older_poor", "older_near_poor",
    "insured", "borrowed_in_period", "borrowers_poor",
)  # fmt: skip
JUDGED = ("with_5_volunteers", "composition_ok", "both_funds", "all_8", "meetings_held", "meetings_due",
          "borrowing_50", "all_8_borrowing_50", "composition_1336")  # fmt: skip


def _roll_up(clubs: dict[int, list], at: dict[str, int], group_field: str | None) -> dict[Any, dict]:
    """Per-group sums of the club rows (lists, their fields at the positions `at` gives); threshold
    indicators judged club by club first.

    Each group's rows are read once, every summed field of a row at a time (an itemgetter of them all),
    and the columns summed in C: a province's 1,200 rows by some fifty fields are summed in a
    millisecond, where a pass over the rows per field took ten."""
    grouped: dict[Any, list[list]] = defaultdict(list)
    if group_field is None:
        grouped[None] = list(clubs.values())
    elif group_field == "id":
        for club_id, row in clubs.items():
            grouped[club_id].append(row)
    else:
        group_at = at[group_field]
        for row in clubs.values():
            grouped[row[group_at]].append(row)
    # Rows hold the fields of the queries that ran (_club_rows): sum those, the others stay 0.
    present = [name for name in ADDED + JUDGED if name in at]
    positions = [at[name] for name in present]
    pick = itemgetter(*positions) if len(positions) > 1 else (lambda row: tuple(row[i] for i in positions))
    zeros = dict.fromkeys(ADDED + JUDGED, 0)
    ratings_of, province_of, existing_of = (
        itemgetter(at["ratings"]),
        itemgetter(at["province_id"]),
        itemgetter(at["existing"]),
    )
    groups = {}
    for key, rows in grouped.items():
        sums: dict[str, Any] = zeros.copy()
        if rows:  # none only in a scope without a club: every sum stays 0
            sums.update(zip(present, map(sum, zip(*map(pick, rows), strict=True)), strict=True))
        sums["ratings"] = _latest_ratings(map(ratings_of, rows))
        sums["provinces"] = set(map(province_of, filter(existing_of, rows)))
        groups[key] = sums
    return groups


def _latest_ratings(every_ratings) -> dict[int, Counter]:
    """{latest year: how many clubs were rated what that year}, from each club's (year, rating) pairs (one
    per year, in year order: _judge_clubs sorts them; tuples when computed, lists when read back from
    the kept JSON): the only year _latest_rating reads. Empty when no club was rated."""
    tops = [ratings[-1] for ratings in every_ratings if ratings]
    if not tops:
        return {}
    latest = max(year for year, _rating in tops)
    return {latest: Counter(rating for year, rating in tops if year == latest)}


def _roll_up_communes(communes: list[dict[str, Any]], group_field: str | None) -> dict[Any, dict[str, int]]:
    groups: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in communes:
        key = None if group_field is None else (row["id"] if group_field == "commune" else row["province_id"])
        sums = groups[key]
        remote = row["area_class"] in REMOTE_AREA_CLASSES
        kind = "remote" if remote else ("plains" if row["area_class"] == AreaClass.PLAINS else "other")
        sums["total"] += 1
        sums[kind] += 1
        if row["has_club"]:
            sums["with_club"] += 1
            sums[f"{kind}_with_club"] += 1
    return groups


def _latest_rating(by_year: dict[int, Counter] | None) -> tuple[float | None, int | None]:
    """(% rated khá or vững mạnh, number rated yếu) in the latest year with ratings."""
    if not by_year:
        return None, None
    counts = by_year[max(by_year)]
    rated = sum(counts.values())
    return _pct(counts[Rating.GOOD] + counts[Rating.STRONG], rated), counts[Rating.WEAK]


# (code, summed field) of the capital by source, named once rather than for every group (_derive).
_CAPITAL_BY_SOURCE = tuple((f"fund_capital_{source}_vnd", f"capital_{source}") for source in SOURCES)


def _derive(
    sums: dict, communes: dict[str, int] | None, parts: set[str], provinces_total: int | None
) -> dict:
    """The catalogue's values from one group's sums. Codes whose query did not run stay None."""
    values: dict[str, Number] = dict.fromkeys(BY_CODE)
    active = sums["active"]
    values.update(
        clubs_total=sums["existing"],
        clubs_active=active,
        clubs_not_launched=sums["not_launched"],
        clubs_new_in_period=sums["new"],
    )
    if provinces_total:
        values["provinces_with_club_pct"] = _pct(len(sums["provinces"]), provinces_total)
    if "members" in parts:
        total, older = sums["members"], sums["older"]
        values.update(
            members_total=total,
            members_women=sums["women"],
            members_women_pct=_pct(sums["women"], total),
            members_older=older,
            members_older_pct=_pct(older, total),
            members_younger_pct=_pct(total - older, total),
            members_ethnic_minority_pct=_pct(sums["minority"], total),
            members_per_club_avg=_ratio(total, active),
            volunteers_total=sums["volunteers"],
            clubs_with_5_volunteers_pct=_pct(sums["with_5_volunteers"], active),
            members_health_insured=sums["insured"],
            members_health_insured_pct=_pct(sums["insured"], total),
        )
    if "households" in parts:
        total = sums["members"]
        values.update(
            members_poor=sums["poor"],
            members_near_poor=sums["near_poor"],
            members_hardship=sums["hardship"],
            members_poor_near_poor_pct=_pct(sums["poor"] + sums["near_poor"], total),
            members_older_poor=sums["older_poor"],
            members_older_near_poor=sums["older_near_poor"],
        )
    if "composition" in parts:
        # The standard counts the poor: judged only when the households were read.
        if "households" in parts:
            values["clubs_composition_ok_pct"] = _pct(sums["composition_ok"], active)
        values["clubs_composition_1336_pct"] = _pct(sums["composition_1336"], active)
    if "funds" in parts:
        values.update(
            fund_capital_vnd=sums["capital"],
            **{code: sums[name] for code, name in _CAPITAL_BY_SOURCE},
            loans_outstanding_vnd=sums["outstanding"],
            borrowers_total=sums["borrowers"],
            # Over the members the report counts, so the two figures read together.
            members_borrowing_pct=_pct(sums["borrowers"], sums["members"]),
            members_ever_borrowed=sums["ever_borrowed"],
            members_borrowed_in_period=sums["borrowed_in_period"],
            borrowers_poor_near_poor=sums["borrowers_poor"],
            clubs_borrowing_50_pct=_pct(sums["borrowing_50"], active),
            loans_disbursed_in_period_vnd=sums["disbursed"],
            par30_pct=_pct(sums["par30_outstanding"], sums["outstanding"]),
            clubs_with_both_funds_pct=_pct(sums["both_funds"], active),
        )
    if "borrowers" in parts:
        values.update(
            borrowers_total=sums["borrowers"],
            members_borrowing_pct=_pct(sums["borrowers"], sums["members"]),
            clubs_borrowing_50_pct=_pct(sums["borrowing_50"], active),
        )
    if "new_members" in parts:
        values["members_new_in_period"] = sums["new_members"]
        values["members_older_new_in_period"] = sums["new_older"]
    if "board" in parts:
        values["board_members_total"] = sums["board"]
    if "activities" in parts:
        values["clubs_all_8_activities_pct"] = _pct(sums["all_8"], active)
        values["meetings_held_pct"] = _pct(sums["meetings_held"], sums["meetings_due"])
        if parts & {"funds", "borrowers"}:
            values["clubs_all_8_and_borrowing_50_pct"] = _pct(sums["all_8_borrowing_50"], active)
    if "ratings" in parts:
        values["clubs_rated_good_pct"], values["clubs_rated_weak"] = _latest_rating(sums["ratings"])
    if "communes" in parts and communes is not None:
        values.update(
            communes_total=communes["total"],
            communes_with_club=communes["with_club"],
            communes_with_club_pct=_pct(communes["with_club"], communes["total"]),
            communes_with_club_pct_plains=_pct(communes["plains_with_club"], communes["plains"]),
            communes_with_club_pct_remote=_pct(communes["remote_with_club"], communes["remote"]),
        )
    return values


GROUP_FIELDS = {"total": None, "province": "province_id", "commune": "commune_id", "club": "id"}
MIN_VOLUNTEERS = 5


def compute_groups(
    scope: Scope,
    on: datetime.date,
    period: Period | None = None,
    groupings: tuple[str, ...] = ("total",),
    codes: set[str] | None = None,
) -> dict[str, dict[Any, dict[str, Number]]]:
    """The indicators for the scope as a whole ('total', key None) and/or per province, commune or club.

    All groupings come from the same queries (at most nine, whatever the data size). `codes` limits
    the work to the queries those codes need; the other codes are None.
    """
    return compute_groups_many(scope, [(on, period, groupings, codes)])[0]


Request = tuple[datetime.date, Period | None, tuple[str, ...], set[str] | None]


@collector_paused()
def compute_groups_many(scope: Scope, requests: list[Request]) -> list[dict[str, dict[Any, dict[str, Number]]]]:
    """compute_groups for several (date, period, groupings, codes) of one scope at once: the per-club rows
    of the dates not kept are computed together (_club_rows_many: the members of every date in one scan),
    so that a report and its targets' other dates read the memberships once."""
    specs = []
    entries = []
    every_fields = []
    for on, period, _groupings, codes in requests:
        period = period or Period.year_to_date(on)
        parts = _parts_for(codes)
        specs.append((on, period, parts))
        # Kept per club between reports (reports.club_figures); the composition is judged afresh, on the
        # standards in force, and the communes are counted live (they are few).
        # (The key names them by their first three letters, which tell them apart: a key is 100 characters.)
        queried = sorted(parts - {"composition", "communes"})
        fields = row_fields(parts)
        # Computed rows are turned into the lists they are kept as (_as_lists), so that those read back
        # are used as parsed, without a dict per club.
        entries.append(
            club_figures.Entry(
                f"rows|{on}|{period.start}|{period.end}|{'+'.join(part[:3] for part in queried)}"
            )
        )
        every_fields.append(fields)
    if _by_province(scope, requests):
        # The country: sums kept per province, each from its club rows (kept or computed) when it changed.
        every_sums = club_figures.province_sums_many(
            entries,
            scope,
            lambda some, which: [
                _roll_up(clubs, _judged_positions(clubs, specs[i], every_fields[i]), "province_id")
                for i, clubs in zip(which, _club_rows_of(entries, specs, every_fields, some, which), strict=True)
            ],
            encode=_sums_as_json,
            decode=_sums_from_json,
        )
        return [
            _derive_groups(scope, {"total": {None: _combine(sums.values())}, "province": sums}, {}, on, groupings, parts)
            for sums, (on, period, parts), (_on, _period, groupings, _codes) in zip(every_sums, specs, requests, strict=True)
        ]  # fmt: skip
    every_rows = _club_rows_of(entries, specs, every_fields, scope, list(range(len(entries))))
    return [
        _groups(scope, clubs, on, period, groupings, parts, fields)
        for clubs, (on, period, parts), (_on, _period, groupings, _codes), fields in zip(
            every_rows, specs, requests, every_fields, strict=True
        )
    ]


def _club_rows_of(
    entries: list[club_figures.Entry], specs: list[Spec], every_fields: list[tuple[str, ...]], scope: Scope,
    which: list[int],
) -> list[dict[int, list]]:
    """The club rows (lists of each entry's fields) of the entries numbered `which`, for the scope: those
    kept, the others computed together (_club_rows_many). Entries that query nothing but the clubs' own
    rows (targets counting clubs or communes only) are computed each time: one query of the clubs costs
    less than writing and reading back a row per club (20,000 for the country: 0.6 s to keep)."""
    queried = [i for i in which if specs[i][2] - {"composition", "communes"}]
    rows = dict(
        zip(
            queried,
            club_figures.club_rows_many(
                [entries[i] for i in queried],
                scope,
                lambda some, among: [
                    _as_lists(clubs, every_fields[queried[j]])
                    for j, clubs in zip(among, _club_rows_many(some, [specs[queried[j]] for j in among]), strict=True)
                ],
            ) if queried else [],
            strict=True,
        )
    )  # fmt: skip
    live = [i for i in which if i not in rows]
    if live:
        computed = _club_rows_many(scope, [specs[i] for i in live])
        rows.update({i: _as_lists(clubs, every_fields[i]) for i, clubs in zip(live, computed, strict=True)})
    return [rows[i] for i in which]


def _by_province(scope: Scope, requests: list[Request]) -> bool:
    """Whether the requests are answered from sums kept per province (reports.club_figures): the
    country or an area group of it, as a whole or by province."""
    return club_figures.enabled() and scope.kind == "national" and all(
        set(groupings) <= {"total", "province"} for _on, _period, groupings, _codes in requests
    )


def _judged_positions(clubs: dict[int, list], spec: Spec, fields: tuple[str, ...]) -> dict[str, int]:
    """The position of each field in the club rows, after the composition is judged (appended to each
    row) when the parts ask for it."""
    on, _period, parts = spec
    at = {name: i for i, name in enumerate(fields)}
    if "composition" in parts and "households" in parts:
        _judge_composition(clubs, on, at)
        at["composition_ok"] = len(fields)
    return at


def _combine(every_sums) -> dict:
    """The sums of several groups as one group's (_roll_up's sums of all their clubs at once)."""
    total: dict[str, Any] = dict.fromkeys(ADDED + JUDGED, 0)
    provinces: set[int] = set()
    latest_year, latest = None, Counter()
    for sums in every_sums:
        for name in ADDED + JUDGED:
            total[name] += sums[name]
        provinces |= sums["provinces"]
        for year, counts in sums["ratings"].items():  # one year at most: the group's latest
            if latest_year is None or year > latest_year:
                latest_year, latest = year, Counter(counts)
            elif year == latest_year:
                latest.update(counts)
    total["ratings"] = {latest_year: latest} if latest_year is not None else {}
    total["provinces"] = provinces
    return total


def _sums_as_json(sums: dict) -> list:
    """A group's sums as kept (reports.club_figures.province_sums_many): plain JSON lists."""
    ratings = [[year, sorted(counts.items())] for year, counts in sums["ratings"].items()]
    return [[sums[name] for name in ADDED + JUDGED], ratings, sorted(sums["provinces"])]


def _sums_from_json(kept: list) -> dict:
    values, ratings, provinces = kept
    sums: dict[str, Any] = dict(zip(ADDED + JUDGED, values, strict=True))
    sums["ratings"] = {year: Counter(dict(counts)) for year, counts in ratings}
    sums["provinces"] = set(provinces)
    return sums


def _groups(
    scope: Scope,
    clubs: dict[int, list],
    on: datetime.date,
    period: Period,
    groupings: tuple[str, ...],
    parts: set[str],
    fields: tuple[str, ...],
) -> dict[str, dict[Any, dict[str, Number]]]:
    """The groupings' figures from the club rows (lists of `fields`, as kept: _as_lists)."""
    at = _judged_positions(clubs, (on, period, parts), fields)
    keys = {}
    if "commune" in groupings:
        keys["commune"] = sorted({row[at["commune_id"]] for row in clubs.values()})
    if "club" in groupings:
        keys["club"] = sorted(club_id for club_id, row in clubs.items() if row[at["existing"]])
    sums = {grouping: _roll_up(clubs, at, GROUP_FIELDS[grouping]) for grouping in groupings}
    return _derive_groups(scope, sums, keys, on, groupings, parts)


def _derive_groups(
    scope: Scope,
    sums_of: dict[str, dict[Any, dict]],
    keys_of: dict[str, list],
    on: datetime.date,
    groupings: tuple[str, ...],
    parts: set[str],
) -> dict[str, dict[Any, dict[str, Number]]]:
    """The groupings' figures from each grouping's sums (_roll_up); `keys_of` the commune and club keys
    (the total's and the provinces' are known)."""
    communes = (
        _commune_rows(scope, on) if "communes" in parts and scope.kind not in ("club", "clubs") else None
    )
    result: dict[str, dict[Any, dict[str, Number]]] = {}
    for grouping in groupings:
        sums = sums_of[grouping]
        commune_sums = (
            None
            if communes is None
            else _roll_up_communes(communes, None if grouping == "total" else grouping)
        )
        if grouping == "total":
            keys = [None]
        elif grouping == "province":
            keys = list(Province.objects.order_by("code").values_list("id", flat=True))
        else:
            keys = keys_of[grouping]
        provinces_total = None
        if grouping == "total" and scope.kind == "national" and not scope.area_group:
            provinces_total = (
                len({row["province_id"] for row in communes}) if communes else Province.objects.count()
            )
        empty = {**dict.fromkeys(ADDED + JUDGED, 0), "ratings": {}, "provinces": set()}
        result[grouping] = {
            key: _derive(
                sums.get(key) or empty,
                None
                if commune_sums is None or grouping == "club"
                else commune_sums.get(key, defaultdict(int)),
                parts,
                provinces_total,
            )
            for key in keys
        }
    return result


def compute_indicators(
    scope: Scope, on: datetime.date, period: Period | None = None, codes: set[str] | None = None
) -> dict[str, Number]:
    """Every indicator of the catalogue for the scope, as of `on`; events over `period` (default: year to date)."""
    return compute_groups(scope, on, period, ("total",), codes)["total"][None]


def indicators_by_province(on: datetime.date, period: Period | None = None) -> dict[int, dict[str, Number]]:
    """The national roll-up: one dict per province (every province, with zeros where there is no club)."""
    return compute_groups(Scope(), on, period, ("province",))["province"]


def indicators_by_commune(
    scope: Scope, on: datetime.date, period: Period | None = None
) -> dict[int, dict[str, Number]]:
    """One dict per commune of the scope that has or had a club."""
    return compute_groups(scope, on, period, ("commune",))["commune"]


def indicators_by_club(
    scope: Scope, on: datetime.date, period: Period | None = None
) -> dict[int, dict[str, Number]]:
    """One dict per club of the scope that exists on the date."""
    return compute_groups(scope, on, period, ("club",))["club"]


def as_number(value: Decimal | int | float | None) -> Number:
    """Decimals from target values as plain ints or floats (JSON, xlsx)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
