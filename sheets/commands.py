"""What the import_* management commands share: run the import, print the summary and every error."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from clubs.models import Club
from sheets.engine import run_import
from sheets.report import ImportReport


def format_issue(issue) -> str:
    where = _("Dòng %(row)s") % {"row": issue.row} if issue.row else _("Tệp")
    if issue.column:
        where += _(", cột %(column)s") % {"column": issue.column}
    return f"{where}: {issue.message}"


class ImportCommand(BaseCommand):
    kind = ""
    takes_club = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="xlsx, xls, ods or csv")
        if self.takes_club:
            parser.add_argument("--club", metavar="CODE", help="the club of every row without a 'Mã CLB'")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args, **options) -> None:
        with translation.override("vi"):
            report = self.run(options)
            for line in report.summary_lines():
                self.stdout.write(line)
            for issue in report.errors:
                self.stdout.write(format_issue(issue))
            if report.refused:
                raise CommandError(_("Không nhập được tệp này: không ghi gì."), returncode=1)
            if not report.ok:
                raise CommandError(_("Có dòng không hợp lệ: không ghi dòng nào."), returncode=1)
            if options["dry_run"]:
                self.stdout.write(_("Chạy thử: không ghi gì."))
            elif report.committed:
                self.stdout.write(self.style.SUCCESS(_("Đã ghi vào cơ sở dữ liệu.")))
            else:
                self.stdout.write(_("Không có gì cần ghi."))

    def run(self, options) -> ImportReport:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không có tệp %(path)s.") % {"path": path}, returncode=1)
        club = None
        if options.get("club"):
            club = Club.objects.filter(code=options["club"].strip().upper()).first()
            if club is None:
                raise CommandError(_("Không có CLB mã “%(code)s”.") % {"code": options["club"]}, returncode=1)
        return run_import(self.kind, path, club=club, commit=not options["dry_run"], file_name=path.name)
