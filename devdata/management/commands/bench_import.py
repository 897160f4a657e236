import json
import statistics
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from devdata.bench_import import KINDS, run


class Command(BaseCommand):
    help = (
        "Time an import (members by default; --kind loans, contributions or all): an N-row xlsx parsed, "
        "validated, matched and committed. Each run is a fresh process (for its memory peak); prints every "
        "run and the median, with rows per second."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=50_000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--once", action="store_true", help="one run in this process, JSON output")
        parser.add_argument("--kind", choices=[*KINDS, "all"], default="members", help="what the sheet holds")

    def handle(self, *args, rows, repeat, once, kind, **options):
        kinds = KINDS if kind == "all" else (kind,)
        if once:
            for each in kinds:
                seconds, peak_mb = run(rows, kind=each)
                figures = {"seconds": round(seconds, 2), "peak_mb": round(peak_mb)}
                figures |= {
                    "kind": each,
                    "rows": rows,
                    "rows_per_s": round(rows / seconds) if seconds else None,
                }
                self.stdout.write(json.dumps(figures))
            return
        for each in kinds:
            self._repeat(rows, repeat, each)

    def _repeat(self, rows: int, repeat: int, kind: str) -> None:
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
                    "--kind",
                    kind,
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(output.strip().splitlines()[-1])
            results.append(result)
            self.stdout.write(
                f"run {attempt}: {rows} rows in {result['seconds']} s, peak {result['peak_mb']} MB"
                f" ({kind}, {result['rows_per_s']} rows/s)"
            )
        seconds = statistics.median(r["seconds"] for r in results)
        self.stdout.write(
            f"median: {seconds} s, peak {statistics.median(r['peak_mb'] for r in results)} MB"
            f" ({kind}, {round(rows / seconds) if seconds else '-'} rows/s)"
        )
