"""python manage.py restore FILE --yes: put back the database and the media files of a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database DATABASE_URL points at with the one in a `backup` archive, and put its media "
        "files back under MEDIA_ROOT. Stop the app servers and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="confirm: the current data is replaced")

    def handle(self, *args, archive, yes, **options):
        if not yes:
            raise CommandError(
                _(
                    "Khôi phục sẽ thay toàn bộ dữ liệu hiện có bằng dữ liệu trong tệp sao lưu. Hãy dừng ứng dụng rồi chạy lại với --yes."
                )
            )
        if not archive.is_file():
            raise CommandError(_("Không có tệp %(file)s.") % {"file": archive})
        try:
            manifest = restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Đã khôi phục cơ sở dữ liệu (%(database)s, sao lưu lúc %(time)s) và %(count)s tệp đính kèm.")
            % {
                "database": manifest["database"],
                "time": manifest["created_at"],
                "count": manifest["media_files"],
            }
        )
