"""python manage.py warm_reports [--as-of YYYY-MM-DD]: compute and keep a day's report figures ahead."""

import datetime
import time

from django.core.management.base import BaseCommand

from places.models import Province
from reports import club_figures
from reports.dashboard import dashboard_figures
from reports.management.commands.report import iso_date
from reports.progress import build_report, default_plan
from reports.scope import Scope


class Command(BaseCommand):
    help = (
        "Compute the national roll-up and every province's progress report for a day (default: today) and "
        "keep their per-club figures (reports.club_figures), so that the first reader of the day does not "
        "wait for a country's worth of aggregates. Run it from cron shortly after midnight."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=iso_date, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, as_of, **options):
        if not club_figures.enabled():
            # SQLite (the embedded default) or REPORT_FIGURES_KEPT=0: every report is computed live.
            self.stdout.write(
                "Report figures are not kept on this database (SQLite, or REPORT_FIGURES_KEPT=0)."
            )
            return
        on = as_of or datetime.date.today()
        started = time.monotonic()
        national = Scope()
        build_report(national, on, None, default_plan(national, on))
        dashboard_figures(national, on)
        self.stdout.write(f"Toàn quốc: {time.monotonic() - started:.1f} s")
        for province in Province.objects.filter(clubs__isnull=False).distinct().order_by("code"):
            began = time.monotonic()
            scope = Scope(province=province)
            build_report(scope, on, None, default_plan(scope, on))
            dashboard_figures(scope, on)
            self.stdout.write(f"{province.name}: {time.monotonic() - began:.1f} s")
        club_figures.settle()  # the rows being written beside the reports
        self.stdout.write(f"Figures of {on:%d/%m/%Y} kept in {time.monotonic() - started:.0f} s.")
