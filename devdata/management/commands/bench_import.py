import json
import statistics
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from devdata.bench_import import run


class Command(BaseCommand):
    help = (
        "Time a member import: an N-row xlsx parsed, validated, matched and committed. Each run is a "
        "fresh process (for its memory peak); prints every run and the median."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=50_000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--once", action="store_true", help="one run in this process, JSON output")

    def handle(self, *args, rows, repeat, once, **options):
        if once:
            seconds, peak_mb = run(rows)
            self.stdout.write(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb)}))
            return
        results = []
        for attempt in range(1, repeat + 1):
            output = subprocess.run(
                [
                    sys.executable,
                    str(settings.BASE_DIR / "manage.py"),
                    "bench_import",
                    "--rows",
                    str(rows),
                    "--once",
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(output.strip().splitlines()[-1])
            results.append(result)
            self.stdout.write(
                f"run {attempt}: {rows} rows in {result['seconds']} s, peak {result['peak_mb']} MB"
            )
        self.stdout.write(
            f"median: {statistics.median(r['seconds'] for r in results)} s, "
            f"peak {statistics.median(r['peak_mb'] for r in results)} MB"
        )
