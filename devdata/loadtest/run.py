"""`manage.py loadtest`: gunicorn on 127.0.0.1, locust headless against it, p50 / p95 / errors and memory.

1. the dataset (as `bench` makes or restores it);
2. a plan for locust: session cookies for commune staff of several communes, a province officer and
   an admin, and the URLs each uses (their clubs, member lists, searches with names from their
   clubs, the repayment form of loans still owed);
3. gunicorn with config/gunicorn.py on a free loopback port, workers not recycled during the run
   (so that memory growth shows);
4. locust, headless, N users for T seconds, its statistics as CSV;
5. the workers' resident memory at the start and at the end, and the verdict.
Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.test import Client
from django.urls import NoReverseMatch, reverse

from clubs.models import Assignment, Club, Role
from devdata import bench
from funds.models import Loan
from members.models import Member

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _session(user) -> str:
    """A logged-in session for `user`, as the login page would make (without hashing a password 50 times)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def build_plan(world: bench.World, host: str, communes: int = 10, seed: int = 1) -> dict:
    """Who the locust users are and what they click, from the data in the database."""
    rng = random.Random(seed)
    province = world.province
    busiest = list(
        Club.objects.filter(province=province, launched_on__isnull=False, dissolved_on__isnull=True)
        .values("commune_id")
        .annotate(n=Count("id"))
        .order_by("-n", "commune_id")
        .values_list("commune_id", flat=True)[:communes]
    )
    staff = []
    for index, commune_id in enumerate(busiest):
        user, _ = User.objects.get_or_create(username=f"load.staff{index}", defaults={"first_name": "Load"})
        Assignment.objects.get_or_create(user=user, role=Role.COMMUNE_STAFF, commune_id=commune_id)
        clubs = list(
            Club.objects.filter(commune_id=commune_id, launched_on__isnull=False).values_list("id", flat=True)
        )
        names = list(
            Member.objects.filter(club_id__in=clubs, left_on__isnull=True).values_list(
                "search_key", flat=True
            )[:200]
        )
        searches = [
            _url("members:member-list") + "?q=" + "+".join(rng.choice(names).split()[-2:]) for _ in range(10)
        ]
        owed = (
            Loan.objects.filter(fund__club_id__in=clubs, repaid_on__isnull=True, written_off_on__isnull=True)
            .annotate(repaid=Coalesce(Sum("repayments__principal"), 0))
            .filter(principal__gt=F("repaid") + 2_000_000)
            .values_list("id", flat=True)[:20]
        )
        staff.append(
            {
                "session": _session(user),
                "clubs": [_url("clubs:club-detail", pk=pk) for pk in clubs],
                "member_lists": [_url("members:member-list") + f"?club={pk}" for pk in clubs]
                + [_url("members:member-list")],
                "searches": searches,
                "club_loans": [u for u in (_url("funds:club-loans", club_id=pk) for pk in clubs) if u],
                "repay": [u for u in (_url("funds:loan-repay", pk=pk) for pk in owed) if u],
            }
        )
    member_list = _url("members:member-list")
    officer = {
        "session": _session(world.users["officer"]),
        "reports": [u for u in (_url("reports:province", code=province.code),) if u],
        "club_lists": [_url("clubs:club-list"), _url("clubs:club-list") + "?page=2"],
        "member_lists": [
            member_list + "?older=yes&household=poor",
            member_list + "?sex=F&volunteer=yes",
            member_list + "?household=near_poor&older=no",
        ],
        "clubs": [
            _url("clubs:club-detail", pk=pk)
            for pk in Club.objects.filter(province=province).order_by("?").values_list("id", flat=True)[:30]
        ],
    }
    sample = list(Member.objects.filter(Q(left_on__isnull=True)).values_list("search_key", flat=True)[:500])
    admin = {
        "session": _session(world.users["admin"]),
        "searches": [member_list + "?q=" + "+".join(rng.choice(sample).split()) for _ in range(20)],
        "reports": [u for u in (_url("reports:national"),) if u],
    }
    return {
        "host": host,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "roles": {"staff": staff, "officer": [officer], "admin": [admin]},
        "shared": {},
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _workers(master_pid: int) -> list[dict[str, str]]:
    """/proc status fields of each gunicorn worker (the master's children)."""
    workers = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == str(master_pid):
                stat = (status.parent / "stat").read_text().rsplit(")", 1)[1].split()
                fields["cpu_seconds"] = str((int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK"))
                workers.append(fields)
        except OSError:  # the process has gone
            continue
    return workers


def worker_memory_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker, in MB."""
    return sorted(int(w["VmRSS"].split()[0]) / 1024 for w in _workers(master_pid) if "VmRSS" in w)


def worker_cpu_seconds(master_pid: int) -> float:
    return sum(float(w["cpu_seconds"]) for w in _workers(master_pid))


@dataclasses.dataclass
class Outcome:
    users: int
    seconds: int
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    rps: float
    memory_start_mb: list[float]
    memory_end_mb: list[float]
    by_name: list[dict]
    app_cpu_seconds: float = 0.0  # the gunicorn workers' CPU time during the run
    locust_cpu_seconds: float = 0.0
    load_average: tuple = ()
    target_p95_ms: float = 500

    @property
    def ok(self) -> bool:
        return self.failures == 0 and self.p95_ms <= self.target_p95_ms and self.requests > 0


def run(*, users: int, seconds: int, workers: int, world: bench.World, log, output_dir: Path) -> Outcome:
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    plan_path = output_dir / "loadtest-plan.json"
    plan_path.write_text(json.dumps(build_plan(world, host)), encoding="utf-8")
    env = dict(os.environ)
    env.update(
        GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers), GUNICORN_MAX_REQUESTS="0",
        GUNICORN_ACCESS_LOG="",
    )  # fmt: skip
    venv_bin = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(venv_bin / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        _wait_until_up(host, server)
        for session, url in _warm_up_urls(plan_path):  # every worker has loaded templates and code once
            for _ in range(workers):
                _get(host + url, session)
        memory_start = worker_memory_mb(server.pid)
        cpu_start = worker_cpu_seconds(server.pid)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        log(
            f"gunicorn on {host}: {workers} workers, {sum(memory_start):.0f} MB; locust: {users} users for {seconds} s"
        )
        prefix = output_dir / "loadtest"
        locust = subprocess.run(
            [str(venv_bin / "locust"), "-f", str(LOCUSTFILE), "--headless", "--users", str(users),
             "--spawn-rate", str(max(1, users // 10)), "--run-time", f"{seconds}s", "--host", host,
             "--csv", str(prefix), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
            env=env | {"LOADTEST_PLAN": str(plan_path)}, cwd=settings.BASE_DIR, capture_output=True, text=True,
        )  # fmt: skip
        memory_end = worker_memory_mb(server.pid)
        app_cpu = worker_cpu_seconds(server.pid) - cpu_start
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if locust.returncode not in (0, 1):  # 1: the run had failures, read on
            raise RuntimeError(f"locust failed: {locust.stderr[-2000:]}")
        outcome = _outcome(prefix, users, seconds, memory_start, memory_end)
        outcome.app_cpu_seconds = round(app_cpu, 1)
        outcome.locust_cpu_seconds = round(
            children_after.ru_utime
            + children_after.ru_stime
            - children_before.ru_utime
            - children_before.ru_stime,
            1,
        )
        outcome.load_average = os.getloadavg()
        return outcome
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _wait_until_up(host: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {server.stderr.read()[-2000:]}")
        try:
            with urllib.request.urlopen(host + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def _warm_up_urls(plan_path: Path) -> list[tuple[str, str]]:
    """(session, url): the first URL of each kind for each role, so every worker has loaded every page once."""
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    urls = []
    for people in plan["roles"].values():
        person = people[0]
        for key, values in person.items():
            if key not in ("session", "repay") and values:
                urls.append((person["session"], values[0]))
    return urls


def _get(url: str, session: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()


def _outcome(prefix: Path, users: int, seconds: int, memory_start, memory_end) -> Outcome:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    by_name = [
        {
            "name": f"{r['Type']} {r['Name']}",
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "p50_ms": float(r["50%"] or 0),
            "p95_ms": float(r["95%"] or 0),
        }
        for r in rows
        if r["Name"] != "Aggregated"
    ]
    return Outcome(
        users=users,
        seconds=seconds,
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        p50_ms=float(total["50%"] or 0),
        p95_ms=float(total["95%"] or 0),
        rps=float(total["Requests/s"] or 0),
        memory_start_mb=[round(m, 1) for m in memory_start],
        memory_end_mb=[round(m, 1) for m in memory_end],
        by_name=by_name,
    )
