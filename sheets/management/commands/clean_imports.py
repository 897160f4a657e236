"""python manage.py clean_imports [--days N] [--dry-run]: delete uploaded import files no longer needed."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sheets.limits import clean_imports, files_kept_days


class Command(BaseCommand):
    help = (
        "Delete the uploaded file of every import job that is done, and of every other finished job older "
        "than IMPORT_FILES_KEPT_DAYS (default 30) days; run it daily from cron. A running job keeps its file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override IMPORT_FILES_KEPT_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="only count")

    def handle(self, *args, days, dry_run, **options):
        if days is not None and days < 0:
            raise CommandError(_("Số ngày giữ tệp phải là số không âm."))
        deleted, closed = clean_imports(days=days, dry_run=dry_run)
        kept = files_kept_days() if days is None else days
        if dry_run:
            self.stdout.write(
                _("Sẽ xóa %(count)s tệp đã nhập (giữ %(days)s ngày).") % {"count": deleted, "days": kept}
            )
        else:
            self.stdout.write(
                _(
                    "Đã xóa %(count)s tệp đã nhập (giữ %(days)s ngày); %(closed)s lần nhập chờ xác nhận đã đóng."
                )
                % {"count": deleted, "days": kept, "closed": closed}
            )
