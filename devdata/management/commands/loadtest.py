import dataclasses
import datetime
import json
import os

from django.core.management.base import BaseCommand, CommandError

from devdata import bench
from devdata.loadtest import run


class Command(BaseCommand):
    help = (
        "Load test: gunicorn on 127.0.0.1 and locust (headless) with N users doing a realistic mix for a "
        "bounded time; prints p50 / p95 / errors and the workers' memory; fails when p95 > 500 ms or on any error."
    )

    def add_arguments(self, parser):
        env = os.environ.get
        parser.add_argument(
            "--scale", default=env("LOADTEST_SCALE", "province"), help="dataset: province, national…"
        )
        parser.add_argument("--seed", type=int, default=int(env("BENCH_SEED", "1")))
        parser.add_argument("--users", type=int, default=int(env("LOADTEST_USERS", "50")))
        parser.add_argument("--seconds", type=int, default=int(env("LOADTEST_SECONDS", "60")))
        parser.add_argument(
            "--workers", type=int, default=int(env("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
        )
        parser.add_argument(
            "--no-dump", action="store_true", help="neither restore nor keep a dump of the data"
        )

    def handle(self, *args, **options):
        dataset = bench.ensure_dataset(
            options["scale"], options["seed"], self.stdout.write, keep_dump=not options["no_dump"]
        )
        self.stdout.write(
            f"Dataset {dataset.key}: {dataset.clubs:,} clubs, {dataset.active_members:,} active members"
        )
        bench.BENCH_DIR.mkdir(parents=True, exist_ok=True)
        outcome = run.run(
            users=options["users"], seconds=options["seconds"], workers=options["workers"],
            world=bench.bench_world(None), log=self.stdout.write, output_dir=bench.BENCH_DIR,
        )  # fmt: skip
        self.stdout.write(f"\n{'request':<44} {'count':>7} {'errors':>7} {'p50':>8} {'p95':>8}")
        for row in outcome.by_name:
            self.stdout.write(
                f"{row['name']:<44} {row['requests']:>7} {row['failures']:>7} {row['p50_ms']:>6.0f}ms {row['p95_ms']:>6.0f}ms"
            )
        self.stdout.write(
            f"{'all':<44} {outcome.requests:>7} {outcome.failures:>7} {outcome.p50_ms:>6.0f}ms {outcome.p95_ms:>6.0f}ms"
            f"  ({outcome.rps:.1f} requests/s)"
        )
        start, end = sum(outcome.memory_start_mb), sum(outcome.memory_end_mb)
        self.stdout.write(
            f"gunicorn workers' memory: {start:.0f} MB at the start, {end:.0f} MB at the end "
            f"({end - start:+.0f} MB; per worker {outcome.memory_start_mb} → {outcome.memory_end_mb})"
        )
        if outcome.requests:
            self.stdout.write(
                f"CPU: app workers {outcome.app_cpu_seconds:.0f} s ({outcome.app_cpu_seconds * 1000 / outcome.requests:.0f} ms"
                f" a request), locust {outcome.locust_cpu_seconds:.0f} s; load average at the end "
                f"{', '.join(f'{x:.1f}' for x in outcome.load_average)} on {os.cpu_count()} cores"
            )
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = bench.BENCH_DIR / f"loadtest-{stamp}.json"
        path.write_text(json.dumps({"machine": bench.machine(), "dataset": dataclasses.asdict(dataset),
                                    "outcome": dataclasses.asdict(outcome)}, indent=2, default=str))  # fmt: skip
        self.stdout.write(f"Figures written to {path}")
        if not outcome.ok:
            raise CommandError(
                f"Load test failed: p95 {outcome.p95_ms:.0f} ms (target ≤ {outcome.target_p95_ms:.0f} ms), "
                f"{outcome.failures} errors."
            )
        self.stdout.write("Load test passed: p95 within 500 ms and no errors.")
