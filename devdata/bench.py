"""Benchmarks at country scale: `manage.py bench` (`make bench`).

Each measurement requests a real page through Django's test client, logged in as the role that
uses it, on the generated dataset: a warm-up request, then several timed ones; it reports the
median, the number of SQL queries, and the target. A measurement whose feature has not landed
(its URL does not resolve) is reported as "not available yet", never faked.

The dataset is generated once per (scale, seed, migrations, generator) and kept as a PostgreSQL
dump under var/bench/, so a later run restores it instead of generating it again.
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
from django.db.migrations.loader import MigrationLoader
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from clubs.models import Assignment, Club, Role
from devdata.generate import generate_data, generated_marker, parse_scale, vacuum_analyze
from funds.models import Loan
from members.models import Member
from places.models import Province
from reports.models import ClubFigures

BENCH_DIR = Path(settings.VAR_DIR) / "bench"
NOT_AVAILABLE = "not available yet"
GENERATOR_FILES = ("generate.py", "synthetic_clubs.py", "synthetic_people.py")


# ---------------------------------------------------------------------------
# The dataset: reuse, restore from a dump, or generate (and dump).
# ---------------------------------------------------------------------------


def dataset_key(scale: str, seed: int) -> str:
    """scale, seed, the migrations on disk and the generator's code: what the data depends on."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha1()
    for app, name in sorted(loader.disk_migrations):
        digest.update(f"{app}.{name};".encode())
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

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms else None

    @property
    def meets_target(self) -> bool | None:
        if self.status != "ok" or self.median_ms is None or not self.target_ms:
            return None
        limits = [self.median_ms <= self.target_ms]
        if "peak_mb" in self.extra and "target_mb" in self.extra:
            limits.append(self.extra["peak_mb"] <= self.extra["target_mb"])
        return all(limits)

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.update(median_ms=self.median_ms, meets_target=self.meets_target)
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

    def measure(self, world: World) -> Result:
        result = Result(self.name, self.target_ms, self.role)
        try:
            url = reverse(self.url_name, kwargs=self.kwargs(world))
        except NoReverseMatch:
            result.status = NOT_AVAILABLE
            return result
        result.url = f"{url}?{self.query}" if self.query else url
        client = world.client(self.role)
        result.extra["load_average"] = round(os.getloadavg()[0], 2)  # others' work on the machine slows us
        for run in range(self.runs + 1):  # the first request warms caches up and is not counted
            if self.afresh:
                ClubFigures.objects.all().delete()
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
    province = lambda world: {"code": world.province.code}  # noqa: E731
    return [
        Page("province report, JSON", 300, "officer", "reports:province-file", lambda w: province(w) | {"fmt": "json"}),
        Page("province report, HTML", 500, "officer", "reports:province", province),
        Page("province summary PDF", 3000, "officer", "reports:province-file", lambda w: province(w) | {"fmt": "pdf"},
             runs=3),
        Page("national roll-up, HTML", 3000, "admin", "reports:national", runs=3),
        Page("national roll-up, JSON", 3000, "admin", "reports:national-file", lambda w: {"fmt": "json"}, runs=3),
        # No target of its own: what the first reader waits when `warm_reports` has not run that day.
        Page("national roll-up, JSON, nothing kept yet", 0, "admin", "reports:national-file",
             lambda w: {"fmt": "json"}, runs=1, afresh=True),
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


def measure_import(rows: int = 50_000) -> Result:
    """Import of a member spreadsheet, in a fresh process so that its peak memory is its own."""
    result = Result(f"import of a {rows:,}-row member xlsx", 10_000, "admin", extra={"target_mb": 400})
    completed = subprocess.run(
        [sys.executable, "manage.py", "bench_import", "--rows", str(rows), "--once"],
        capture_output=True, text=True, cwd=settings.BASE_DIR,
    )  # fmt: skip
    if completed.returncode != 0:
        result.status = "error"
        result.note = (completed.stderr or completed.stdout).strip().splitlines()[-1:][0][:300]
        return result
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    result.runs_ms = [round(figures["seconds"] * 1000, 1)]
    result.extra["peak_mb"] = round(figures["peak_mb"], 1)
    result.note = "manage.py bench_import --once (sheets' import engine, fresh process)"
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
    results = []
    for page in pages():
        if include(page.name):
            if runs is not None:
                page.runs = min(page.runs, runs)
            results.append(_logged(page.measure, world, log=log, name=page.name))
    if include("export"):
        results.append(_logged(measure_export, world, export_members, runs or 3, log=log, name="export"))
    if include("import"):
        results.append(_logged(measure_import, import_rows, log=log, name="import"))
    return results


def _logged(function, *args, log, name: str) -> Result:
    log(f"  measuring {name} …")
    try:
        return function(*args)
    except Exception as error:  # a broken page is a finding, not the end of the benchmark
        return Result(name, 0, status="error", note=f"{type(error).__name__}: {error}"[:300])


def table(results: list[Result]) -> str:
    lines = [f"{'measurement':<48} {'median':>10} {'queries':>8} {'target':>9}  result"]
    for r in results:
        if r.status != "ok":
            lines.append(
                f"{r.name:<48} {'—':>10} {'—':>8} {_ms(r.target_ms):>9}  {r.status} {r.note}".rstrip()
            )
            continue
        if not r.target_ms:
            verdict = "(no target)"
        else:
            verdict = "OK" if r.meets_target else f"MISSED by {r.median_ms / r.target_ms * 100 - 100:.0f} %"
        if "peak_mb" in r.extra:
            verdict += f" (peak {r.extra['peak_mb']:.0f} MB / {r.extra['target_mb']} MB)"
        if r.note:
            verdict += f" — {r.note}"
        lines.append(f"{r.name:<48} {_ms(r.median_ms):>10} {r.queries if r.queries is not None else '—':>8} "
                     f"{_ms(r.target_ms):>9}  {verdict}")  # fmt: skip
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    if not value:
        return "—"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def write_results(path: Path, *, dataset: Dataset, scale: str, seed: int, results: list[Result]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "when": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "scale": scale,
        "seed": seed,
        "machine": machine(),
        "dataset": dataclasses.asdict(dataset),
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "measurements": [r.as_dict() for r in results],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
