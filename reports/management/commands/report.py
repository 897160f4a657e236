"""python manage.py report (--commune CODE | --province CODE | --national)
[--period P | --as-of D | --from D --to D] [--plan ID] --format html|pdf|xlsx|json --output FILE [--signer NAME]

--period names a reporting period: 2026-Q3 (a quarter), 2026-H1 (a half year), 2026 (a year); the
figures are those at its end and the events within it, and the title says what the report is."""

import argparse
import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from places.models import Commune, Province
from places.text import formula_error
from reports.exports import lists_clubs, report_document, report_json, report_pdf, report_xlsx
from reports.models import Plan
from reports.periods import PeriodNameError, parse_period
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


def named_period(text: str):
    """A --period option; a wrong one is argparse's error like a wrong date (a CommandError raised here
    would escape run_from_argv, which parses before it catches, as a traceback)."""
    try:
        return parse_period(text)
    except PeriodNameError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class Command(BaseCommand):
    help = "Write the report of a commune, a province (official codes) or the country to a file."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--commune", type=int, metavar="CODE", help="official commune code")
        where.add_argument(
            "--province", type=int, metavar="CODE", help="official province code, e.g. 12 (Lai Châu)"
        )
        where.add_argument("--national", action="store_true")
        parser.add_argument("--period", type=named_period, default=None, help="2026-Q3, 2026-H1 or 2026")
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
        self, *args, commune, province, national, period, as_of, date_from, date_to, plan, format, output,
        signer, **options,
    ):  # fmt: skip
        if error := formula_error(signer, _("Họ tên người ký")):  # as the web form's signer field
            raise CommandError(error)
        if commune is not None:
            try:
                place = Commune.objects.select_related("province").get(code=commune)
            except Commune.DoesNotExist:
                raise CommandError(f"Không có xã, phường nào mã {commune}.") from None
            scope = Scope(province=place.province, commune=place)
        elif province is not None:
            try:
                scope = Scope(province=Province.objects.get(code=province))
            except Province.DoesNotExist:
                raise CommandError(f"Không có tỉnh, thành phố nào mã {province}.") from None
        else:
            scope = Scope()
        if period is not None and (as_of or date_from or date_to):
            raise CommandError("Đã chọn kỳ báo cáo (--period) thì không ghi thêm --as-of, --from hay --to.")
        chosen_period = None
        if period is not None:
            on = period.end
            chosen_period = Period.of(period)
        else:
            on = as_of or datetime.date.today()
            if date_from or date_to:
                chosen_period = Period(date_from or on.replace(month=1, day=1), date_to or on)
                if chosen_period.end < chosen_period.start:
                    raise CommandError("Ngày --to trước ngày --from.")
        if plan is not None:
            try:
                chosen = Plan.objects.get(pk=plan, province=scope.province)
            except Plan.DoesNotExist:
                raise CommandError(f"Không có đề án {plan} cho phạm vi này.") from None
        elif scope.kind == "commune":
            chosen = None  # a province's targets are not a commune's: its report gives figures only
        else:
            chosen = default_plan(scope, on)
        # The html is the printed document (the PDF's source), annex included.
        with_clubs = lists_clubs("pdf" if format == "html" else format, scope, on)
        report = build_report(
            scope, on, chosen_period, chosen, with_breakdowns=format != "json", with_clubs=with_clubs
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
