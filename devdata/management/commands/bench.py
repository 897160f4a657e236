import datetime
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from devdata import bench


def _words(text: str) -> list[str]:
    return [word.strip().lower() for word in text.split(",") if word.strip()]


class Command(BaseCommand):
    help = (
        "Measure the pages that must stay fast at country scale, on generated data (built once, then "
        "kept as a dump under var/bench/): median of several runs, queries, target and a naive reference "
        "measured in the same run. Writes the figures to var/bench/results-<timestamp>.json; exits 1 when a "
        "target is missed by more than 50 %%."
    )

    def add_arguments(self, parser):
        env = os.environ.get
        parser.add_argument(
            "--scale", default=env("BENCH_SCALE", "national"), help="national, province or N-clubs"
        )
        parser.add_argument("--seed", type=int, default=int(env("BENCH_SEED", "1")))
        parser.add_argument("--province", type=int, default=None, help="province code looked at (default 38)")
        parser.add_argument(
            "--only", default="", help="comma-separated words: measurements whose name has one"
        )
        parser.add_argument(
            "--skip", default="", help="comma-separated words: leave out measurements with one"
        )
        parser.add_argument(
            "--runs", type=int, default=None, help="timed runs each (default 5, 3 for slow ones)"
        )
        parser.add_argument("--export-members", type=int, default=100_000)
        parser.add_argument("--import-rows", type=int, default=50_000)
        parser.add_argument(
            "--no-dump", action="store_true", help="neither restore nor keep a dump of the data"
        )
        parser.add_argument(
            "--output", default=None, help="JSON file (default var/bench/results-<time>.json)"
        )
        parser.add_argument(
            "--no-fail", action="store_true", help="exit 0 even when a target is missed by more than 50 %%"
        )

    def handle(self, *args, **options):
        if settings.DEBUG:
            self.stderr.write("Note: DEBUG is on; `make bench` runs with DEBUG=0 as production does.")
        scale, seed = options["scale"], options["seed"]
        load_start = os.getloadavg()
        self.stdout.write(f"Load average (1 / 5 / 15 min) at the start: {bench.load_average()}")
        try:
            dataset = bench.ensure_dataset(scale, seed, self.stdout.write, keep_dump=not options["no_dump"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Dataset {dataset.key}: {dataset.how} in {dataset.seconds:.0f} s — {dataset.clubs:,} clubs, "
            f"{dataset.members:,} members ({dataset.active_members:,} active), {dataset.loans:,} loans"
        )
        wanted, unwanted = _words(options["only"]), _words(options["skip"])

        def include(name: str) -> bool:
            name = name.lower()
            return (not wanted or any(w in name for w in wanted)) and not any(w in name for w in unwanted)

        world = bench.bench_world(options["province"])
        results = bench.run_all(
            world,
            include=include,
            runs=options["runs"],
            export_members=options["export_members"],
            import_rows=options["import_rows"],
            log=self.stdout.write,
        )
        self.stdout.write("")
        self.stdout.write(bench.table(results))
        self.stdout.write(bench.references_legend(world.references))
        self.stdout.write(f"Load average (1 / 5 / 15 min) at the end: {bench.load_average()}")
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        output = Path(options["output"]) if options["output"] else bench.BENCH_DIR / f"results-{stamp}.json"
        path = bench.write_results(
            output, dataset=dataset, scale=scale, seed=seed, results=results, references=world.references,
            load_average_start=load_start,
        )  # fmt: skip
        self.stdout.write(f"\nFigures written to {path}")
        self.stdout.write(bench.verdict(results))
        if bench.failures(results) and not options["no_fail"]:
            raise CommandError("a target was missed by more than 50 % (see above)")
