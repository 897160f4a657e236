from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from places.services import area_classes_set_from_csv


class Command(BaseCommand):
    help = "Set communes' area class from a CSV file: Mã xã, Phân loại vùng, Vùng DTTS (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            changed = area_classes_set_from_csv(file.read_text(encoding="utf-8-sig"))
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError("Nothing was changed.") from None
        self.stdout.write(f"{changed} communes changed.")
