"""python manage.py backup [FILE]: the database and the media files (report PDFs) in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one tar archive holding the database (pg_dump -Fc, or SQLite's online backup) and every file "
        "under MEDIA_ROOT (the frozen PDFs of submitted reports, uploaded imports). Restore with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output", nargs="?", type=Path, default=None, help="default: clb-backup-<time>.tar"
        )

    def handle(self, *args, output, **options):
        output = output or Path(f"clb-backup-{timezone.localtime():%Y-%m-%d-%H%M%S}.tar")
        try:
            manifest = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Đã sao lưu cơ sở dữ liệu (%(database)s) và %(count)s tệp đính kèm vào %(file)s.")
            % {"database": manifest["database"], "count": manifest["media_files"], "file": output}
        )
