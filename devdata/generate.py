"""Realistic synthetic data at country scale, written fast: `manage.py generate_data`.

    province  1,200 clubs / ~70,000 members in one province (Thanh Hóa by default)
    national  20,000 clubs / ~1.1 million members across the 34 provinces
    N-clubs   N clubs in one province (tests use a few dozen)

The simulation itself is in devdata/synthetic_clubs.py. This module plans how many clubs go
where, hands out primary keys, and writes the rows: with PostgreSQL's COPY (psycopg 3
`cursor.copy`, in a second thread while the next batch is simulated), otherwise with batched
INSERTs. The whole run is one transaction. Nothing is switched off: check constraints stay, and
foreign keys and indexes either stay (small runs: checked at the end of each COPY) or, for large
runs, are dropped and re-created inside the transaction, which checks every row before commit.
The id sequences are moved past the generated ids before commit, so the app inserts normally
afterwards. Memory stays bounded: rows go to the database every few hundred thousand, province
by province. Generated history has no django-simple-history rows (as for data loaded by a
migration); the audit trail starts with the first change made in the app.

Generated clubs are recognisable by their code (`SIM-<province>-<number>`) and carry the run's
scale and seed in their notes. A second run with the same scale and seed does nothing; another
scale or seed needs `reset=True`, and `reset_generated()` removes it all.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import operator
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from clubs.models import Club
from devdata import synthetic_clubs
from devdata.synthetic_clubs import FIELDS, OWN_IDS, CommuneInfo, Ids, Rows, Settings, commune_build
from devdata.synthetic_people import DEFAULT_PROFILE, PROVINCE_PROFILES
from funds.models import Fund
from funds.totals import totals_recompute
from members.models import Member
from places.models import Commune, LegacyCommune, LegacyProvince, Province
from reports import club_figures, member_facts
from reports.models import Comparison, Plan, Target
from reports.plans import COMPOSITION, plans_load
from reports.scope import Scope

GENERATED_PREFIX = "SIM-"
DEFAULT_PROVINCE = 38  # Thanh Hóa
FLUSH_ROWS = 400_000
_NOTES = re.compile(r"scale=(?P<scale>[\w-]+) seed=(?P<seed>-?\d+)")


@dataclasses.dataclass(frozen=True)
class Scale:
    name: str
    clubs: int
    members: int
    national: bool

    @property
    def avg_members(self) -> float:
        return self.members / self.clubs


def parse_scale(text: str) -> Scale:
    """'province', 'national' or 'N-clubs' (e.g. '50-clubs')."""
    text = (text or "").strip().lower()
    if text == "province":
        return Scale("province", 1_200, 70_000, national=False)
    if text == "national":
        return Scale("national", 20_000, 1_100_000, national=True)
    match = re.fullmatch(r"(\d+)-clubs?", text)
    if match and int(match.group(1)) > 0:
        clubs = int(match.group(1))
        return Scale(f"{clubs}-clubs", clubs, round(clubs * 58.3), national=False)
    raise ValidationError(f"Unknown scale {text!r}: use province, national or N-clubs (e.g. 50-clubs).")


# ---------------------------------------------------------------------------
# Tables: the generator's rows → the model's columns.
# ---------------------------------------------------------------------------

# Fields the generator fills ahead of a model change on another branch; left out while a model lacks them.
OPTIONAL_FIELDS: frozenset[str] = frozenset()


def _models() -> dict[str, type[models.Model]]:
    get = apps.get_model
    return {
        "club": get("clubs", "Club"),
        "member": get("members", "Member"),
        "membership": get("members", "Membership"),
        "household": get("members", "HouseholdStatus"),
        "board": get("clubs", "BoardMembership"),
        "team": get("clubs", "Team"),
        "team_member": get("clubs", "Team").members.through,
        "fund": get("funds", "Fund"),
        "loan": get("funds", "Loan"),
        "instalment": get("funds", "Instalment"),
        "repayment": get("funds", "Repayment"),
        "entry": get("funds", "FundEntry"),
        "activity": get("life", "Activity"),
        "participant": get("life", "Activity").participants.through,
        "attendance": get("life", "Attendance"),
        "health_check": get("life", "HealthCheck"),
        "care_assignment": get("life", "CareAssignment"),
        "care_visit": get("life", "CareVisit"),
        "rating": get("life", "ClubRating"),
    }


# Write order: every table after the tables it refers to.
TABLE_ORDER = tuple(FIELDS)


class TableWriter:
    """Writes generator rows (FIELDS order) into one table, filling columns the generator does not know
    with the model field's default, so that a field added later with a default does not break it."""

    def __init__(self, name: str, model: type[models.Model]):
        self.name = name
        self.table = model._meta.db_table
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        fields = FIELDS[name]
        missing = [f for f in fields if f not in by_name and f not in OPTIONAL_FIELDS]
        if missing:
            raise RuntimeError(
                f"{model.__name__} has no field(s) {missing}: update devdata/synthetic_clubs.FIELDS"
            )
        keep = [i for i, f in enumerate(fields) if f in by_name]
        self.columns = [by_name[fields[i]].column for i in keep]
        extras = []
        for f in model._meta.concrete_fields:
            if f.attname in fields or f.primary_key:
                continue
            if not (f.has_default() or f.null or f.has_db_default()):
                raise RuntimeError(
                    f"{model.__name__}.{f.name} has no default: teach the generator to fill it"
                )
            if f.has_db_default():
                continue
            value = f.get_default()
            if isinstance(f, models.JSONField):
                value = json.dumps(value)
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = timezone.now()
            self.columns.append(f.column)
            extras.append(value)
        self.extras = tuple(extras)
        self.project: Callable[[tuple], tuple] | None = None
        if len(keep) != len(fields):
            getter = operator.itemgetter(*keep)
            self.project = (lambda row: (getter(row),)) if len(keep) == 1 else getter

    def rows(self, rows: Iterable[tuple]) -> Iterable[tuple]:
        project, extras = self.project, self.extras
        if project is None and not extras:
            return rows
        if project is None:
            return (row + extras for row in rows)
        return (project(row) + extras for row in rows)

    def write(self, cursor, rows: list[tuple]) -> None:
        """Write with a raw psycopg cursor (COPY) on PostgreSQL, else with Django's cursor (INSERTs)."""
        if not rows:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quote(self.table)} ({columns}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in self.rows(rows):
                    write_row(row)
        else:
            marks = ", ".join(["%s"] * len(self.columns))
            sql = f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})"
            batch = [tuple(_sqlite_value(v) for v in row) for row in self.rows(rows)]
            for start in range(0, len(batch), 5000):
                cursor.executemany(sql, batch[start : start + 5000])


class Flusher:
    """Writes batches of rows, table by table in reference order.

    On PostgreSQL the COPY runs in a second thread on the same connection (same transaction), so
    that the next batch is simulated while the server stores this one: the two cores both work.
    The main thread touches the database only after `wait()`.
    """

    def __init__(self, writers: dict[str, TableWriter]):
        self.writers = writers
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.written = 0

    def submit(self, rows: Rows) -> None:
        self.wait()
        self.written += rows.count
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                self._write(cursor, rows)
            return
        raw = connection.connection  # the psycopg connection inside Django's, in its open transaction
        self.thread = threading.Thread(target=self._run, args=(raw, rows), name="generate-copy", daemon=True)
        self.thread.start()

    def _run(self, raw, rows: Rows) -> None:
        try:
            with raw.cursor() as cursor:
                self._write(cursor, rows)
        except BaseException as error:  # handed to the main thread by wait()
            self.error = error

    def _write(self, cursor, rows: Rows) -> None:
        for name in TABLE_ORDER:
            batch = rows.get(name)
            if batch:
                self.writers[name].write(cursor, batch)

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            raise error


def _sqlite_value(value):
    if isinstance(value, datetime.datetime):  # Django keeps naive UTC text in SQLite
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# ---------------------------------------------------------------------------
# Where the clubs go.
# ---------------------------------------------------------------------------


def plan_provinces(scale: Scale, seed: int, province_code: int) -> list[tuple[int, int]]:
    """(province code, number of clubs) for each province of the run."""
    if not scale.national:
        return [(province_code, scale.clubs)]
    rng = random.Random(f"{seed}:national")
    provinces = list(Province.objects.order_by("code").values_list("code", flat=True))
    counts = Counter(Commune.objects.values_list("province__code", flat=True))
    weights = {code: counts[code] * rng.uniform(0.7, 1.3) for code in provinces}
    total = sum(weights.values())
    shares = {code: scale.clubs * w / total for code, w in weights.items()}
    plan = {code: int(share) for code, share in shares.items()}
    # Largest remainders get the clubs left over.
    for code in sorted(shares, key=lambda c: shares[c] - plan[c], reverse=True)[
        : scale.clubs - sum(plan.values())
    ]:
        plan[code] += 1
    return [(code, plan[code]) for code in provinces if plan[code]]


def _communes(province: Province) -> list[CommuneInfo]:
    communes = list(
        Commune.objects.filter(province=province)
        .order_by("code")
        .values_list("id", "code", "name", "division_type", "area_class", "ethnic_minority_area")
    )
    link = LegacyCommune.current_communes.through
    legacy: dict[int, list[tuple[int, str, str]]] = {}
    for commune_id, legacy_id, name, district in (
        link.objects.filter(commune__province=province)
        .order_by("commune_id", "legacycommune__code")
        .values_list("commune_id", "legacycommune_id", "legacycommune__name", "legacycommune__district__name")
    ):
        legacy.setdefault(commune_id, []).append((legacy_id, name, district))
    return [
        CommuneInfo(cid, code, name, kind, province.id, province.code, area, minority, legacy.get(cid, []))
        for cid, code, name, kind, area, minority in communes
    ]


def _allocate(rng: random.Random, communes: list[CommuneInfo], clubs: int) -> list[tuple[CommuneInfo, int]]:
    """Clubs per commune: most communes have several, about one in ten none."""
    weights = [0.0 if rng.random() < 0.1 else rng.lognormvariate(0, 0.6) for _ in communes]
    if not any(weights):
        weights = [1.0] * len(communes)
    counts = Counter(rng.choices(range(len(communes)), weights=weights, k=clubs))
    return [(communes[i], counts[i]) for i in range(len(communes)) if counts[i]]


def _id_prefixes() -> dict[int, tuple[int, ...]]:
    """Citizen ID province codes (the legacy provinces) for each current province, each code used once."""
    seen: set[int] = set()
    result: dict[int, list[int]] = {}
    for code, current in LegacyProvince.objects.order_by("current_province__code", "code").values_list(
        "code", "current_province__code"
    ):
        if current is not None and code not in seen:
            seen.add(code)
            result.setdefault(current, []).append(code)
    return {current: tuple(codes) for current, codes in result.items()}


# ---------------------------------------------------------------------------
# Running it.
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class ProvinceResult:
    province: str
    clubs: int
    members: int
    rows: int
    seconds: float


@dataclasses.dataclass
class GenerateResult:
    scale: str
    seed: int
    provinces: list[ProvinceResult]
    seconds: float
    nothing_to_do: bool = False

    @property
    def clubs(self) -> int:
        return sum(p.clubs for p in self.provinces)

    @property
    def members(self) -> int:
        return sum(p.members for p in self.provinces)

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.provinces)


def generated_clubs() -> models.QuerySet:
    return Club.objects.filter(code__startswith=GENERATED_PREFIX)


def generated_marker() -> tuple[str, int] | None:
    """(scale, seed) of the generated data in the database, or None."""
    notes = generated_clubs().order_by("id").values_list("notes", flat=True).first()
    if notes is None:
        return None
    match = _NOTES.search(notes)
    return (match["scale"], int(match["seed"])) if match else ("?", 0)


def generate_data(
    *,
    scale: str,
    seed: int = 1,
    province_code: int = DEFAULT_PROVINCE,
    until: datetime.date | None = None,
    force: bool = False,
    reset: bool = False,
    bulk: bool | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> GenerateResult:
    """Generate a synthetic dataset in one transaction. See the module docstring.

    `bulk` (PostgreSQL only; by default for 500 clubs or more) loads the way pg_restore does: the
    foreign keys and secondary indexes of the written tables are dropped inside the transaction and
    re-created before it commits, which validates every row at once instead of row by row.
    """
    started = time.monotonic()
    plan_scale = parse_scale(scale)
    until = until or datetime.date.today()
    if not Province.objects.exists():
        raise ValidationError("No places in the database: run `manage.py load_places` first.")
    if not plan_scale.national and not Province.objects.filter(code=province_code).exists():
        raise ValidationError(f"No province with code {province_code}.")
    if not force and Club.objects.exclude(code__startswith=GENERATED_PREFIX).exists():
        raise ValidationError(
            "The database holds clubs that were not generated: refusing to add synthetic data to real data "
            "(use --force to add it anyway)."
        )
    marker = generated_marker()
    if marker == (plan_scale.name, seed) and not reset:
        return GenerateResult(plan_scale.name, seed, [], time.monotonic() - started, nothing_to_do=True)
    if marker is not None and not reset:
        raise ValidationError(
            f"The database already holds generated data (scale={marker[0]} seed={marker[1]}): "
            "use --reset to replace it."
        )
    postgres = connection.vendor == "postgresql"
    plan = plan_provinces(plan_scale, seed, province_code)
    if bulk is None:
        bulk = postgres and plan_scale.clubs >= 500
    bulk = bulk and postgres
    writers = {name: TableWriter(name, model) for name, model in _models().items()}
    results = []
    with transaction.atomic():
        if marker is not None:
            log(f"Removed the generated data ({reset_generated()} clubs).")
        notes = (
            f"Dữ liệu mô phỏng: generate_data scale={plan_scale.name} seed={seed}, đến ngày {until:%d/%m/%Y}."
        )
        taken: frozenset[str] = frozenset()
        if force:
            taken = frozenset(Member.objects.exclude(citizen_id=None).values_list("citizen_id", flat=True))
        prefixes = _id_prefixes()
        tables = [writer.table for writer in writers.values()]
        with connection.cursor() as cursor:
            if postgres:
                # Nobody else inserts into the tables whose ids we hand out until we commit; foreign
                # keys are checked at the end of each COPY rather than queued until the commit.
                quoted = ", ".join(connection.ops.quote_name(writers[name].table) for name in OWN_IDS)
                cursor.execute(f"LOCK TABLE {quoted} IN SHARE ROW EXCLUSIVE MODE")
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            ids = Ids({name: _next_id(cursor, writers[name].table) for name in OWN_IDS})
            restore = _bulk_begin(cursor, tables) if bulk else []
            # Only new clubs are written: nothing kept for them to invalidate (reports.club_figures).
            tracking_off, tracking_on = club_figures.tracking_off_sql(tables)
            for statement in tracking_off:
                cursor.execute(statement)
        flusher = Flusher(writers)
        provinces = Province.objects.in_bulk([code for code, _clubs in plan], field_name="code")
        communes = {code: _communes(provinces[code]) for code, _clubs in plan}
        for code, clubs in plan:
            province = provinces[code]
            settings = Settings(
                until=until,
                seed=str(seed),
                profile=PROVINCE_PROFILES.get(code, DEFAULT_PROFILE),
                id_prefixes=prefixes.get(code) or (code,),
                avg_members=plan_scale.avg_members,
                notes=notes,
                postgres=postgres,
                taken_citizen_ids=taken,
            )
            result = _province_run(province, communes[code], clubs, seed, settings, flusher, ids)
            log(
                f"{result.province}: {result.clubs:,} clubs, {result.members:,} members, {result.rows:,} rows "
                f"in {result.seconds:.1f} s"
            )
            results.append(result)
        flusher.wait()
        plans = plans_create(plan, until)
        if plans:
            log(f"Plans with targets: {plans} created")
        with connection.cursor() as cursor:
            if restore:
                restore_started = time.monotonic()
                for statement in restore:
                    cursor.execute(statement)
                log(
                    f"Indexes and foreign keys re-created and checked in {time.monotonic() - restore_started:.1f} s"
                )
            # The funds' running totals (funds.totals) from the rows just written, before change tracking
            # is back on (nothing was kept for these new clubs). Statistics first: the recompute joins the
            # rows just written, and without them the planner takes the tables for empty (nested loops).
            if connection.vendor == "postgresql":
                for table in ("funds_loan", "funds_repayment", "funds_fundentry", "funds_instalment",
                              "members_member", "members_membership", "members_householdstatus"):  # fmt: skip
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            totals_recompute(Fund.objects.filter(club__in=generated_clubs()).values("pk"))
            # The members' facts the reports count (reports.member_facts) of the new clubs (those behind), as
            # their first report would write them.
            member_facts.bring_up_to_date(Scope())
            for statement in tracking_on:
                cursor.execute(statement)
            for name in OWN_IDS:
                _advance_sequence(cursor, writers[name].table)
    if postgres:
        analyse_started = time.monotonic()
        what = vacuum_analyze(tables)
        log(f"{what} in {time.monotonic() - analyse_started:.1f} s")
    return GenerateResult(plan_scale.name, seed, results, time.monotonic() - started)


GENERATED_PLAN_NOTE = "Kế hoạch mô phỏng, tạo bởi generate_data."


def plans_create(plan: list[tuple[int, int]], until: datetime.date) -> int:
    """The real plans (reports.plans), and for each generated province without one a plan to 2030 whose
    targets fit its size (marked as simulated, removed by reset_generated). Returns how many were made."""
    created = plans_load()
    for code, clubs in plan:
        if Plan.objects.filter(province__code=code).exists():
            continue
        province = Province.objects.get(code=code)
        made = Plan.objects.create(
            province=province,
            name=f"Kế hoạch nhân rộng mô hình CLB Liên thế hệ tự giúp nhau {province.name} giai đoạn 2021 - 2030",
            decision_issuer=f"UBND {province.name}",
            start=datetime.date(2021, 1, 1),
            end=datetime.date(2030, 12, 31),
            is_demo=True,
            notes=GENERATED_PLAN_NOTE,
        )
        at_least, at_most = Comparison.AT_LEAST, Comparison.AT_MOST
        targets = [
            ("clubs_new_in_period", at_least, round(clubs * 0.6), None),
            ("members_total", at_least, round(clubs * 55), None),
            ("communes_with_club_pct", at_least, 90, None),
            *COMPOSITION,
            ("members_borrowing_pct", at_least, 50, None),
            ("par30_pct", at_most, 5, None),
            ("clubs_all_8_activities_pct", at_least, 70, None),
            ("clubs_rated_good_pct", at_least, 90, None),
        ]
        for indicator, comparison, value, value_max in targets:
            target = Target(
                plan=made, indicator=indicator, comparison=comparison, value=value, value_max=value_max
            )
            target.full_clean()
            target.save()
        created += 1
    return created


def vacuum_analyze(tables: list[str]) -> str:
    """Statistics for the planner and, outside a transaction, the visibility map too (VACUUM), so that
    index-only scans need not visit the rows and the first readers need not set hint bits."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")
    return command


def _bulk_begin(cursor, tables: list[str]) -> list[str]:
    """Drop the foreign keys and secondary indexes of `tables`; return the statements that put them back.

    Primary keys and unique constraints stay (other tables' foreign keys may depend on them).
    Re-creating a unique index or adding a foreign key checks every row, so nothing goes unchecked.
    """
    quote = connection.ops.quote_name
    cursor.execute(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
        [tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes] + [
        f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
        for table, name, definition in foreign_keys
    ]


def _province_run(
    province: Province,
    communes: list[CommuneInfo],
    clubs: int,
    seed: int,
    settings: Settings,
    flusher: Flusher,
    ids: Ids,
) -> ProvinceResult:
    started = time.monotonic()
    rng = random.Random(f"{seed}:{province.code}:communes")
    allocation = _allocate(rng, communes, clubs)
    members = written = 0
    rows = Rows()
    number = 1
    for commune, count in allocation:
        members += commune_build(
            settings=settings, commune=commune, clubs_count=count, first_number=number, ids=ids, rows=rows
        )
        number += count
        if rows.count >= FLUSH_ROWS:
            written += rows.count
            flusher.submit(rows)
            rows = Rows()
    written += rows.count
    flusher.submit(rows)
    return ProvinceResult(province.name, clubs, members, written, time.monotonic() - started)


def _next_id(cursor, table: str) -> int:
    quoted = connection.ops.quote_name(table)
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")
    highest = cursor.fetchone()[0]
    if connection.vendor == "postgresql":
        cursor.execute("SELECT last_value, is_called FROM " + _sequence(cursor, table))
        last, called = cursor.fetchone()
        return max(highest, last if called else last - 1) + 1
    if connection.vendor == "sqlite":
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        return max(highest, row[0] if row else 0) + 1
    return highest + 1


def _sequence(cursor, table: str) -> str:
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    return cursor.fetchone()[0]


def _advance_sequence(cursor, table: str) -> None:
    """Move the table's id sequence past the ids written, so the app's next insert takes a free id."""
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows explicit ids by itself
    quoted = connection.ops.quote_name(table)
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {quoted}",
        [table],
    )


# ---------------------------------------------------------------------------
# Removing it.
# ---------------------------------------------------------------------------

# Each table's rows that belong to generated clubs, children before parents.
_GENERATED_CLUBS = f"SELECT id FROM clubs_club WHERE code LIKE '{GENERATED_PREFIX}%'"
_GENERATED_MEMBERS = f"SELECT id FROM members_member WHERE club_id IN ({_GENERATED_CLUBS})"
_GENERATED_FUNDS = f"SELECT id FROM funds_fund WHERE club_id IN ({_GENERATED_CLUBS})"
_GENERATED_ACTIVITIES = f"SELECT id FROM clubs_activity WHERE club_id IN ({_GENERATED_CLUBS})"
_GENERATED_LOANS = f"SELECT id FROM funds_loan WHERE fund_id IN ({_GENERATED_FUNDS})"
_DELETES = (
    ("clubs_carevisit", f"club_id IN ({_GENERATED_CLUBS})"),
    ("clubs_careassignment", f"club_id IN ({_GENERATED_CLUBS})"),
    ("clubs_clubrating", f"club_id IN ({_GENERATED_CLUBS})"),
    ("clubs_healthcheck", f"club_id IN ({_GENERATED_CLUBS})"),
    ("clubs_attendance", f"activity_id IN ({_GENERATED_ACTIVITIES})"),
    ("clubs_activity_participants", f"activity_id IN ({_GENERATED_ACTIVITIES})"),
    ("clubs_activity", f"club_id IN ({_GENERATED_CLUBS})"),
    ("funds_fundmonth", f"fund_id IN ({_GENERATED_FUNDS})"),
    ("funds_fundentry", f"fund_id IN ({_GENERATED_FUNDS})"),
    ("funds_repayment", f"loan_id IN ({_GENERATED_LOANS})"),
    ("funds_instalment", f"loan_id IN ({_GENERATED_LOANS})"),
    ("funds_loan", f"fund_id IN ({_GENERATED_FUNDS})"),
    ("funds_fund", f"club_id IN ({_GENERATED_CLUBS})"),
    ("clubs_team_members", f"team_id IN (SELECT id FROM clubs_team WHERE club_id IN ({_GENERATED_CLUBS}))"),
    ("clubs_team", f"club_id IN ({_GENERATED_CLUBS})"),
    ("clubs_boardmembership", f"club_id IN ({_GENERATED_CLUBS})"),
    ("members_householdstatus", f"member_id IN ({_GENERATED_MEMBERS})"),
    ("members_membership", f"member_id IN ({_GENERATED_MEMBERS})"),
    ("members_member", f"club_id IN ({_GENERATED_CLUBS})"),
    ("clubs_club", f"code LIKE '{GENERATED_PREFIX}%'"),
)


@transaction.atomic
def reset_generated() -> int:
    """Remove every generated club and what belongs to it. Returns the number of clubs removed.

    When the database holds nothing but generated clubs, the register tables are truncated (fast,
    and the id sequences restart, so a new run gets the same ids); otherwise the generated rows are
    deleted table by table.
    """
    count = generated_clubs().count()
    if not count:
        return 0
    tables = [table for table, _where in _DELETES]
    Plan.objects.filter(notes=GENERATED_PLAN_NOTE).delete()  # their targets go with them
    with connection.cursor() as cursor:
        if (
            connection.vendor == "postgresql"
            and not Club.objects.exclude(code__startswith=GENERATED_PREFIX).exists()
        ):
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            # CASCADE also empties tables of other features that point at these rows (all generated).
            cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
            member_facts.forget_gone()  # the ids start again: no row may be taken for a new club's
            return count
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Self-references inside the ledger first, so rows can go in any order.
        cursor.execute(
            "UPDATE funds_fundentry SET transfer_pair_id = NULL, reverses_id = NULL "
            f"WHERE fund_id IN ({_GENERATED_FUNDS})"
        )
        for table, where in _DELETES:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)} WHERE {where}")
    member_facts.forget_gone()
    return count


__all__ = [
    "GENERATED_PREFIX",
    "GenerateResult",
    "Scale",
    "generate_data",
    "generated_clubs",
    "generated_marker",
    "parse_scale",
    "reset_generated",
    "synthetic_clubs",
]
