"""Benchmarks at country scale: `manage.py bench` (`make bench`).

Each measurement requests a real page through Django's test client, logged in as the role that
uses it, on the generated dataset: a warm-up request, then several timed ones; it reports the
median, the number of SQL queries, and the target. A measurement whose feature has not landed
(its URL does not resolve) is reported as "not available yet", never faked.

Each figure of issue 19 is printed with its target and a naive reference measured in the same run
(hand-written SQL over the same data), and the command fails when a median misses its target by more
than 50 % (FAIL_FACTOR): slow enough to be a regression, not the noise of a shared machine.

The dataset is generated once per (scale, seed, generator code) and kept as a PostgreSQL dump under
var/bench/, so a later run restores it instead of generating it again; `migrate` then brings a dump made
before a new migration forward (data migrations fill what they add).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from clubs.models import Assignment, Club, Role
from devdata.generate import generate_data, generated_marker, parse_scale, vacuum_analyze
from funds.models import Loan
from members.models import Member
from places.models import Province
from reports import member_facts
from reports.club_figures import forget_all, settle
from reports.scope import Scope

BENCH_DIR = Path(settings.VAR_DIR) / "bench"
NOT_AVAILABLE = "not available yet"
# A target missed by more than this factor fails the benchmark (exit status 1).
FAIL_FACTOR = 1.5
GENERATOR_FILES = ("generate.py", "synthetic_clubs.py", "synthetic_people.py")


# ---------------------------------------------------------------------------
# The dataset: reuse, restore from a dump, or generate (and dump).
# ---------------------------------------------------------------------------


def dataset_key(scale: str, seed: int) -> str:
    """scale, seed and the generator's code: what the data depends on. Not the migrations: a dump made
    before a new migration is restored and migrated forward (ensure_dataset), not generated again."""
    digest = hashlib.sha1()
    here = Path(__file__).resolve().parent
    for name in GENERATOR_FILES:
        digest.update((here / name).read_bytes())
    return f"{scale}-seed{seed}-{digest.hexdigest()[:12]}"


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise RuntimeError(f"{name} not found (apt-get install postgresql-client)")


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": str(db.get("HOST") or ""),
            "PGPORT": str(db.get("PORT") or ""),
            "PGUSER": str(db.get("USER") or ""),
            "PGPASSWORD": str(db.get("PASSWORD") or ""),
            "PGDATABASE": str(db["NAME"]),
        }
    )
    return {k: v for k, v in env.items() if v != ""}


def _database_is_empty() -> bool:
    tables = connection.introspection.table_names()
    return "clubs_club" not in tables or not Club.objects.exists()


@dataclasses.dataclass
class Dataset:
    key: str
    how: str  # "reused", "restored", "generated"
    seconds: float
    clubs: int = 0
    members: int = 0
    active_members: int = 0
    loans: int = 0
    rows_generated: int = 0


def ensure_dataset(scale: str, seed: int, log: Callable[[str], None], *, keep_dump: bool = True) -> Dataset:
    """Make sure the database holds the generated dataset for (scale, seed); keep a dump of what is generated."""
    scale = parse_scale(scale).name
    key = dataset_key(scale, seed)
    dump = BENCH_DIR / f"{key}.dump"
    started = time.monotonic()
    tables = connection.introspection.table_names()
    if "clubs_club" in tables and generated_marker() == (scale, seed):
        call_command("migrate", verbosity=0, interactive=False)
        dataset = Dataset(key, "reused", time.monotonic() - started)
    elif keep_dump and dump.exists() and _database_is_empty():
        log(f"Restoring the {scale} dataset from {dump} …")
        subprocess.run(
            [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--jobs", "2", "--dbname",
             _pg_env()["PGDATABASE"], str(dump)],
            env=_pg_env(), check=True,
        )  # fmt: skip
        connection.close()
        call_command("migrate", verbosity=0, interactive=False)
        vacuum_analyze(connection.introspection.table_names())  # pg_restore leaves no statistics
        dataset = Dataset(key, "restored", time.monotonic() - started)
    else:
        call_command("migrate", verbosity=0, interactive=False)
        if not Province.objects.exists():
            call_command("load_places", verbosity=0)
        log(f"Generating the {scale} dataset (seed {seed}) …")
        result = generate_data(scale=scale, seed=seed, reset=True, log=log)
        dataset = Dataset(key, "generated", time.monotonic() - started, rows_generated=result.rows)
        if keep_dump and connection.vendor == "postgresql":
            BENCH_DIR.mkdir(parents=True, exist_ok=True)
            for stale in BENCH_DIR.glob(f"{scale}-seed{seed}-*.dump"):
                stale.unlink()  # made by an older generator or schema
            dump_started = time.monotonic()
            partial = dump.with_suffix(".partial")
            subprocess.run(
                [_pg_tool("pg_dump"), "--format", "custom", "--compress", "1", "--file", str(partial)],
                env=_pg_env(), check=True,
            )  # fmt: skip
            partial.rename(dump)
            log(
                f"Kept as {dump} ({dump.stat().st_size / 2**20:,.0f} MB, {time.monotonic() - dump_started:.0f} s)"
            )
    # The members' facts the reports count (reports.member_facts) as the writers leave them: the generator
    # writes its clubs'; a dataset made before them, or changed since, has them written here, not by the
    # first report measured.
    facts_started = time.monotonic()
    behind = member_facts.bring_up_to_date(Scope())
    if behind:
        log(f"Members' facts written for {behind:,} clubs in {time.monotonic() - facts_started:.1f} s")
    dataset.clubs = Club.objects.count()
    dataset.members = Member.objects.count()
    dataset.active_members = Member.objects.filter(left_on__isnull=True).count()
    dataset.loans = Loan.objects.count()
    return dataset


# ---------------------------------------------------------------------------
# Who asks: one account per role, in the places the benchmark looks at.
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class World:
    province: Province
    club: Club
    users: dict[str, User]
    clients: dict[str, Client] = dataclasses.field(default_factory=dict)
    references: dict[str, Any] = dataclasses.field(default_factory=dict)

    def client(self, role: str) -> Client:
        if role not in self.clients:
            client = Client(HTTP_HOST="localhost")
            client.force_login(self.users[role])
            self.clients[role] = client
        return self.clients[role]


def bench_world(province_code: int | None = None) -> World:
    """The province looked at (Thanh Hóa, or the one with most clubs), its biggest club, and the users."""
    provinces = Province.objects.annotate(n=Count("clubs")).filter(n__gt=0)
    province = provinces.filter(code=province_code).first() if province_code else None
    province = province or provinces.filter(code=38).first() or provinces.order_by("-n").first()
    club = (
        Club.objects.filter(province=province, launched_on__isnull=False, dissolved_on__isnull=True)
        .annotate(n=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("-n", "id")
        .first()
    )
    users = {}
    for role, username in (("admin", "bench.admin"), ("officer", "bench.officer"), ("staff", "bench.staff")):
        user, _created = User.objects.get_or_create(username=username, defaults={"first_name": "Bench"})
        users[role] = user
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save(update_fields=["is_staff", "is_superuser"])
    Assignment.objects.filter(user__in=[users["officer"], users["staff"]]).delete()
    Assignment.objects.create(user=users["officer"], role=Role.PROVINCE_OFFICER, province=province)
    Assignment.objects.create(user=users["staff"], role=Role.COMMUNE_STAFF, commune_id=club.commune_id)
    return World(province, club, users)


# ---------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class Result:
    name: str
    target_ms: float
    role: str = ""
    url: str = ""
    status: str = "ok"  # ok, failed, not available yet, error
    runs_ms: list[float] = dataclasses.field(default_factory=list)
    queries: int | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)
    note: str = ""
    # The naive reference measured in the same run (Reference.name) and its median, when there is one.
    reference: str = ""
    reference_ms: float | None = None

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms else None

    def _ratios(self) -> list[float]:
        """How far each limit is used: median / target, peak memory / its target, the rows per second
        wanted / those reached (1.0 = exactly on target)."""
        ratios = [self.median_ms / self.target_ms]
        if "peak_mb" in self.extra and "target_mb" in self.extra:
            ratios.append(self.extra["peak_mb"] / self.extra["target_mb"])
        if self.extra.get("rows_per_s") and self.extra.get("target_rows_per_s"):
            ratios.append(self.extra["target_rows_per_s"] / self.extra["rows_per_s"])
        return ratios

    @property
    def meets_target(self) -> bool | None:
        if self.status != "ok" or self.median_ms is None or not self.target_ms:
            return None
        return max(self._ratios()) <= 1

    @property
    def fails(self) -> bool:
        """Missed by more than 50 % (FAIL_FACTOR), or broken (an error, not a 200): what fails `make bench`.
        A measurement without a target, or whose feature is not there yet, never fails."""
        if self.status in ("failed", "error"):
            return bool(self.target_ms)
        if self.meets_target is None:
            return False
        return max(self._ratios()) > FAIL_FACTOR

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.update(median_ms=self.median_ms, meets_target=self.meets_target, fails=self.fails)
        return data


@dataclasses.dataclass
class Page:
    """A page measured through the test client."""

    name: str
    target_ms: float
    role: str
    url_name: str
    kwargs: Callable[[World], dict] = lambda world: {}
    query: str = ""
    runs: int = 5
    # Measure the first request of a day: nothing kept by reports.club_figures before each run.
    afresh: bool = False
    reference: str = ""  # the naive reference it is compared with (a Reference's name)

    def measure(self, world: World) -> Result:
        result = Result(self.name, self.target_ms, self.role, reference=self.reference)
        try:
            url = reverse(self.url_name, kwargs=self.kwargs(world))
        except NoReverseMatch:
            result.status = NOT_AVAILABLE
            return result
        result.url = f"{url}?{self.query}" if self.query else url
        client = world.client(self.role)
        result.extra["load_average"] = round(os.getloadavg()[0], 2)  # others' work on the machine slows us
        for run in range(self.runs + 1):  # the first request warms caches up and is not counted
            settle()  # figures kept beside the last request (reports.club_figures._keep) are in
            if self.afresh:
                forget_all()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(result.url)
                size = _consume(response)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                result.status = "failed"
                result.note = f"HTTP {response.status_code}"
                return result
            if run:
                result.runs_ms.append(round(elapsed, 1))
            result.queries = len(queries)
            result.extra["bytes"] = size
        return result


def _consume(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def pages() -> list[Page]:
    """The pages measured: issue 19's figures first (target, naive reference), then the others."""
    province = lambda world: {"code": world.province.code}  # noqa: E731
    json_ = {"fmt": "json"}
    return [
        Page("province report, JSON, figures kept", 60, "officer", "reports:province-file",
             lambda w: province(w) | json_, reference="province"),
        Page("province report, JSON, nothing kept", 250, "officer", "reports:province-file",
             lambda w: province(w) | json_, afresh=True, reference="province"),
        Page("province report, HTML", 120, "officer", "reports:province", province, reference="province"),
        Page("province summary PDF", 1000, "officer", "reports:province-file", lambda w: province(w) | {"fmt": "pdf"}),
        Page("commune report", 50, "staff", "reports:commune", lambda w: {"code": w.club.commune.code}),
        Page("national roll-up, JSON, figures kept", 300, "admin", "reports:national-file", lambda w: json_,
             reference="national"),
        Page("national roll-up, HTML, figures kept", 300, "admin", "reports:national", runs=3, reference="national"),
        # What the first reader of a day waits when `warm_reports` has not run.
        Page("national roll-up, JSON, nothing kept", 3000, "admin", "reports:national-file", lambda w: json_,
             runs=3, afresh=True, reference="national"),
        Page("member list, all members (admin)", 150, "admin", "members:member-list"),
        Page("member search without diacritics (admin)", 150, "admin", "members:member-list",
             query="q=nguyen+thi+hoa"),
        Page("member search, one common surname (admin)", 150, "admin", "members:member-list", query="q=nguyen"),
        Page("member list, poor households (admin)", 150, "admin", "members:member-list", query="household=poor"),
        Page("member search + filters (admin)", 150, "admin", "members:member-list",
             query="q=thi&sex=F&older=yes&household=poor"),
        Page("member list of a province, filtered (officer)", 150, "officer", "members:member-list",
             query="older=yes&household=near_poor&volunteer=no"),
        Page("member search in a commune (staff)", 150, "staff", "members:member-list", query="q=van"),
        Page("club page", 150, "staff", "clubs:club-detail", lambda w: {"pk": w.club.pk}),
        Page("club list of a province (officer)", 150, "officer", "clubs:club-list"),
    ]  # fmt: skip


# ---------------------------------------------------------------------------
# Naive references: what one hand-written query takes over the same data, in the same run.
# ---------------------------------------------------------------------------

# Members, women %, borrowing % and PAR30 at a date, the plain way: members on the date joined to their
# clubs; each loan's principal repaid summed from its repayments; a loan is late when an instalment due
# more than 30 days ago asks more principal than was repaid. No kept figure, no running total.
NAIVE_SQL = """
WITH members AS (
    SELECT m.id, m.sex, c.province_id
    FROM members_member m JOIN clubs_club c ON c.id = m.club_id
    WHERE m.joined_on <= %s AND (m.left_on IS NULL OR m.left_on > %s) {where}
), repaid AS (
    SELECT r.loan_id, SUM(r.principal) AS principal FROM funds_repayment r WHERE r.paid_on <= %s
    GROUP BY r.loan_id
), loans AS (
    SELECT l.id, l.member_id, c.province_id,
           l.principal - l.opening_repaid - COALESCE(p.principal, 0) AS outstanding,
           l.opening_repaid + COALESCE(p.principal, 0) AS repaid
    FROM funds_loan l JOIN funds_fund f ON f.id = l.fund_id JOIN clubs_club c ON c.id = f.club_id
    LEFT JOIN repaid p ON p.loan_id = l.id
    WHERE l.disbursed_on <= %s AND (l.written_off_on IS NULL OR l.written_off_on > %s) {where}
), late AS (
    SELECT DISTINCT i.loan_id FROM funds_instalment i JOIN loans o ON o.id = i.loan_id
    WHERE o.outstanding > 0 AND i.due_on < %s AND i.principal_due_cumulative > o.repaid
), by_member AS (
    SELECT province_id, COUNT(*) AS members, COUNT(*) FILTER (WHERE sex = 'F') AS women,
           COUNT(*) FILTER (WHERE id IN (SELECT member_id FROM loans WHERE outstanding > 0)) AS borrowers
    FROM members GROUP BY province_id
), by_loan AS (
    SELECT province_id, SUM(outstanding) AS outstanding,
           SUM(outstanding) FILTER (WHERE id IN (SELECT loan_id FROM late)) AS late
    FROM loans WHERE outstanding > 0 GROUP BY province_id
)
SELECT m.province_id, m.members, 100.0 * m.women / m.members, 100.0 * m.borrowers / m.members,
       100.0 * COALESCE(l.late, 0) / NULLIF(l.outstanding, 0)
FROM by_member m LEFT JOIN by_loan l ON l.province_id = m.province_id
"""


@dataclasses.dataclass
class Reference:
    name: str  # "province", "national"
    label: str
    runs_ms: list[float] = dataclasses.field(default_factory=list)
    rows: list[tuple] = dataclasses.field(default_factory=list)

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms else None


def measure_reference(
    name: str, world: World, *, on: datetime.date | None = None, runs: int = 5
) -> Reference:
    """The naive query for a province (the one looked at) or the whole country (grouped by province)."""
    on = on or datetime.date.today()
    where, extra = ("AND c.province_id = %s", [world.province.pk]) if name == "province" else ("", [])
    label = (
        f"one hand-written SQL query: members, women %, borrowing %, PAR30 of {world.province.name}"
        if name == "province"
        else "naive GROUP BY province over all members and loans (members, women %, borrowing %, PAR30)"
    )
    params = [on, on, *extra, on, on, on, *extra, on - datetime.timedelta(days=30)]
    reference = Reference(name, label)
    # As PostgreSQL runs a query by default, with its parallel workers (config.settings turns them off for
    # the application's connections, whose reports run their queries side by side themselves).
    workers = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if workers:
            cursor.execute("SET max_parallel_workers_per_gather = 2")
        try:
            for run in range(runs + 1):  # the first run warms the caches up, as for the pages
                started = time.perf_counter()
                cursor.execute(NAIVE_SQL.format(where=where), params)
                rows = cursor.fetchall()
                if run:
                    reference.runs_ms.append(round((time.perf_counter() - started) * 1000, 1))
        finally:
            if workers:
                cursor.execute("RESET max_parallel_workers_per_gather")
    reference.rows = rows
    return reference


# The imports measured by `manage.py bench_import` (sheets' engine, a fresh process each): kind, rows, and
# the targets of issue 19 (whole run ≤ 4 s for 50,000 rows, ≥ 12,000 rows a second, ≤ 300 MB).
# The loan and contribution imports are held to the members' rate per row (issue 19).
IMPORTS = [("members", 50_000), ("loans", 20_000), ("contributions", 20_000)]
IMPORT_TARGET_MS = 4000  # for 50,000 rows, in proportion for another number
IMPORT_TARGET_ROWS_PER_S = 12_000
IMPORT_TARGET_MB = 300


def measure_import(rows: int = 50_000, kind: str = "members") -> Result:
    """An import of a `rows`-row sheet in a fresh process (`manage.py bench_import --once`), so that its
    peak memory is its own. Its time is the one bench_import reports; rows/s follows from it."""
    target_ms = IMPORT_TARGET_MS * rows / 50_000
    result = Result(
        f"import of a {rows:,}-row {kind} xlsx", target_ms, "admin",
        extra={"target_mb": IMPORT_TARGET_MB, "target_rows_per_s": IMPORT_TARGET_ROWS_PER_S},
    )  # fmt: skip
    command = [sys.executable, "manage.py", "bench_import", "--rows", str(rows), "--once"]
    if kind != "members":
        command += ["--kind", kind]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, cwd=settings.BASE_DIR)
    process_s = time.perf_counter() - started
    if completed.returncode != 0:
        result.status = "error"
        result.note = ((completed.stderr or completed.stdout).strip().splitlines() or ["no output"])[-1][:300]
        return result
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    result.runs_ms = [round(figures["seconds"] * 1000, 1)]
    result.extra.update(
        peak_mb=round(figures["peak_mb"], 1),
        rows_per_s=round(rows / figures["seconds"]),
        process_s=round(process_s, 2),  # the subprocess from start to end, sheet building included
        reported=figures,
    )
    result.note = "manage.py bench_import --once (fresh process)"
    return result


def measure_export(world: World, members: int = 100_000, runs: int = 3) -> Result:
    """The member export page (xlsx) for a user whose area holds about `members` current members.

    The page exports the user's whole area; a commune staff account assigned to enough communes
    (people may hold several assignments) gives an area of the size wanted.
    """
    result = Result(f"export of {members:,} members", 10_000, "staff of many communes")
    try:
        url = reverse("sheets:export", kwargs={"kind": "members"})
    except NoReverseMatch:
        result.status = NOT_AVAILABLE
        return result
    communes, total = [], 0
    for commune_id, count in (
        Member.objects.filter(left_on__isnull=True)
        .values_list("club__commune_id")
        .annotate(n=Count("id"))
        .order_by("-n", "club__commune_id")
    ):
        communes.append(commune_id)
        total += count
        if total >= members:
            break
    user, _created = User.objects.get_or_create(username="bench.export", defaults={"first_name": "Bench"})
    Assignment.objects.filter(user=user).delete()
    Assignment.objects.bulk_create(
        [Assignment(user=user, role=Role.COMMUNE_STAFF, commune_id=commune_id) for commune_id in communes]
    )
    world.users["export"] = user
    result.url = url
    result.extra.update(members=total, communes=len(communes))
    if total < members:
        result.note = f"the dataset holds only {total:,} current members"
    client = world.client("export")
    for run in range(runs + 1):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            size = _consume(response)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            result.status, result.note = "failed", f"HTTP {response.status_code}"
            return result
        if run:
            result.runs_ms.append(round(elapsed, 1))
        result.queries = len(queries)
        result.extra["bytes"] = size
    return result


# ---------------------------------------------------------------------------
# Running them all
# ---------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    database = connection.vendor
    if connection.vendor == "sqlite":
        database = f"SQLite {connection.Database.sqlite_version}"
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
            cursor.execute("SHOW fsync")
            database += f", fsync {cursor.fetchone()[0]}"  # issue 19's figures are taken with it on
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_gib, 1),
        "python": platform.python_version(),
        "database": database,
        "debug": settings.DEBUG,
        "load_average": os.getloadavg(),
    }


def run_all(
    world: World,
    *,
    include: Callable[[str], bool] = lambda name: True,
    runs: int | None = None,
    export_members: int = 100_000,
    import_rows: int = 50_000,
    log=print,
) -> list[Result]:
    results, references = [], {}
    for page in pages():
        if not include(page.name):
            continue
        if page.reference and page.reference not in references:
            log(f"  measuring the naive reference ({page.reference}) …")
            try:
                references[page.reference] = measure_reference(page.reference, world, runs=runs or 5)
            except Exception as error:  # a reference that cannot run (SQLite too old…) leaves a blank
                log(f"    not measured: {type(error).__name__}: {error}"[:300])
                references[page.reference] = None
        if runs is not None:
            page.runs = min(page.runs, runs)
        result = _logged(page.measure, world, log=log, name=page.name, target_ms=page.target_ms)
        if references.get(page.reference) is not None:
            result.reference_ms = references[page.reference].median_ms
        results.append(result)
    if include("export"):
        results.append(_logged(measure_export, world, export_members, runs or 3, log=log, name="export"))
    for kind, rows in IMPORTS:
        if include("import") and include(kind):
            rows = import_rows if kind == "members" else rows
            results.append(_logged(measure_import, rows, kind, log=log, name=f"import ({kind})", target_ms=1))
    world.references = {name: ref for name, ref in references.items() if ref is not None}
    return results


def _logged(function, *args, log, name: str, target_ms: float = 0) -> Result:
    log(f"  measuring {name} …")
    try:
        return function(*args)
    except Exception as error:  # a broken page is a finding, not the end of the benchmark
        return Result(name, target_ms, status="error", note=f"{type(error).__name__}: {error}"[:300])


def table(results: list[Result]) -> str:
    """One line a measurement: median, queries, target, the naive reference of the same run, verdict."""
    lines = [f"{'measurement':<48} {'median':>9} {'queries':>7} {'target':>8} {'naive':>8}  result"]
    for r in results:
        reference = _ms(r.reference_ms) if r.reference else ""
        if r.status != "ok":
            verdict = f"{r.status} {r.note}".rstrip()
            if r.fails:
                verdict = f"FAILED: {verdict}"
            lines.append(f"{r.name:<48} {'—':>9} {'—':>7} {_ms(r.target_ms):>8} {reference:>8}  {verdict}")
            continue
        if not r.target_ms:
            verdict = "(no target)"
        elif r.meets_target:
            verdict = "OK"
        else:
            over = f"{(max(r._ratios()) - 1) * 100:.0f} %"
            verdict = (
                f"FAILED: over target by {over}" if r.fails else f"missed by {over} (within the 50 % allowed)"
            )
        if r.reference_ms and r.median_ms:
            verdict += f"; {r.median_ms / r.reference_ms:.2f}× the naive query"
        if "peak_mb" in r.extra:
            verdict += f" (peak {r.extra['peak_mb']:.0f} MB / {r.extra['target_mb']} MB"
            if "rows_per_s" in r.extra:
                verdict += f", {r.extra['rows_per_s']:,} rows/s / {r.extra['target_rows_per_s']:,}"
            verdict += ")"
        if r.note:
            verdict += f" — {r.note}"
        lines.append(f"{r.name:<48} {_ms(r.median_ms):>9} {r.queries if r.queries is not None else '—':>7} "
                     f"{_ms(r.target_ms):>8} {reference:>8}  {verdict}")  # fmt: skip
    return "\n".join(lines)


def references_legend(references: dict[str, Reference]) -> str:
    return "\n".join(
        f"naive = {ref.label}: median {_ms(ref.median_ms)} of {len(ref.runs_ms)} runs"
        for ref in references.values()
    )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def failures(results: list[Result]) -> list[Result]:
    """The measurements that fail the benchmark: a target missed by more than 50 %, or broken."""
    return [r for r in results if r.fails]


def verdict(results: list[Result]) -> str:
    failed = failures(results)
    if not failed:
        return "Every target held, or was missed by at most 50 %."
    return f"{len(failed)} target(s) missed by more than 50 % (or broken): " + "; ".join(
        r.name for r in failed
    )


def _ms(value: float | None) -> str:
    if not value:
        return "—"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def write_results(
    path: Path,
    *,
    dataset: Dataset,
    scale: str,
    seed: int,
    results: list[Result],
    references: dict[str, Reference] | None = None,
    load_average_start: tuple[float, float, float] | None = None,
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "when": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "scale": scale,
        "seed": seed,
        "machine": machine(),
        # 1, 5 and 15 minutes, at the start and the end of the run: others' work on the machine slows us.
        "load_average": {"start": load_average_start, "end": os.getloadavg()},
        "fail_factor": FAIL_FACTOR,
        "failed": [r.name for r in failures(results)],
        "references": {
            name: {"label": ref.label, "runs_ms": ref.runs_ms, "median_ms": ref.median_ms}
            for name, ref in (references or {}).items()
        },
        "dataset": dataclasses.asdict(dataset),
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "measurements": [r.as_dict() for r in results],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
