"""python manage.py report (--province CODE | --national) [--as-of D] [--from D --to D] [--plan ID]
--format html|pdf|xlsx|json --output FILE [--signer NAME]"""

import argparse
import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from places.models import Province
from reports.exports import lists_clubs, report_document, report_json, report_pdf, report_xlsx
from reports.models import Plan
from reports.progress import build_report, default_plan
from reports.scope import Period, Scope


def iso_date(text: str) -> datetime.date:
    """A date option; a wrong one is argparse's error (usage and message, no traceback; CommandError
    under call_command), in Vietnamese."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(text)s” không phải một ngày có thật (viết theo dạng NNNN-TT-NN, ví dụ 2026-02-28).")
            % {"text": text}
        ) from None


class Command(BaseCommand):
    help = "Write the progress report of a province (official code) or of the country to a file."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument(
            "--province", type=int, metavar="CODE", help="official province code, e.g. 12 (Lai Châu)"
        )
        where.add_argument("--national", action="store_true")
        parser.add_argument("--as-of", type=iso_date, default=None, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--from", dest="date_from", type=iso_date, default=None)
        parser.add_argument("--to", dest="date_to", type=iso_date, default=None)
        parser.add_argument("--plan", type=int, default=None, help="plan id (default: the plan running then)")
        parser.add_argument("--format", choices=["html", "pdf", "xlsx", "json"], required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument(
            "--signer",
            default="",
            metavar="NAME",
            help="name printed under the signature (default: left blank)",
        )

    def handle(
        self, *args, province, national, as_of, date_from, date_to, plan, format, output, signer, **options
    ):
        if province is not None:
            try:
                scope = Scope(province=Province.objects.get(code=province))
            except Province.DoesNotExist:
                raise CommandError(f"No province with code {province}.") from None
        else:
            scope = Scope()
        on = as_of or datetime.date.today()
        period = None
        if date_from or date_to:
            period = Period(date_from or on.replace(month=1, day=1), date_to or on)
            if period.end < period.start:
                raise CommandError("--to is before --from.")
        if plan is not None:
            try:
                chosen = Plan.objects.get(pk=plan, province=scope.province)
            except Plan.DoesNotExist:
                raise CommandError(f"No plan {plan} for this scope.") from None
        else:
            chosen = default_plan(scope, on)
        # The html is the printed document (the PDF's source), annex included.
        with_clubs = lists_clubs("pdf" if format == "html" else format, scope, on)
        report = build_report(
            scope, on, period, chosen, with_breakdowns=format != "json", with_clubs=with_clubs
        )
        report.signer_name = signer
        if format == "pdf":
            output.write_bytes(report_pdf(report))
        elif format == "xlsx":
            output.write_bytes(report_xlsx(report))
        elif format == "json":
            output.write_text(report_json(report), encoding="utf-8")
        else:
            output.write_text(report_document(report), encoding="utf-8")
        self.stdout.write(f"{output} written.")
