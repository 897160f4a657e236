import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from devdata.generate import DEFAULT_PROVINCE, generate_data, reset_generated


class Command(BaseCommand):
    help = (
        "Generate realistic synthetic clubs, members, funds, loans and club life: --scale province "
        "(1,200 clubs / 70,000 members in one province), national (20,000 clubs / 1.1 million members) "
        "or N-clubs. Reproducible for a seed; a second run with the same scale and seed does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", default="province", help="province, national or N-clubs (e.g. 50-clubs)"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--province",
            type=int,
            default=DEFAULT_PROVINCE,
            help="province code for province and N-clubs scales",
        )
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=None,
            help="last day of the simulated history (YYYY-MM-DD, default today)",
        )
        parser.add_argument("--force", action="store_true", help="add synthetic data next to real clubs")
        parser.add_argument("--reset", action="store_true", help="remove earlier generated data first")
        parser.add_argument("--reset-only", action="store_true", help="remove the generated data and stop")

    def handle(self, *args, scale, seed, province, until, force, reset, reset_only, **options):
        if reset_only:
            self.stdout.write(
                f"Removed {reset_generated()} generated clubs and everything that belonged to them."
            )
            return
        try:
            result = generate_data(
                scale=scale, seed=seed, province_code=province, until=until, force=force, reset=reset,
                log=self.stdout.write,
            )  # fmt: skip
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if result.nothing_to_do:
            self.stdout.write(
                f"Generated data for scale={result.scale} seed={result.seed} is already there: nothing to do."
            )
            return
        self.stdout.write(
            f"Generated {result.clubs:,} clubs, {result.members:,} members, {result.rows:,} rows "
            f"in {result.seconds:.1f} s (scale={result.scale} seed={result.seed})."
        )
