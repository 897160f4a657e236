from django.core.management.base import BaseCommand

from places.services import load_places


class Command(BaseCommand):
    help = (
        "Load (or refresh) the official provinces and communes, current and legacy, from vietnam-provinces."
    )

    def handle(self, *args, **options):
        result = load_places()
        for name, (total, created, updated) in result.counts.items():
            self.stdout.write(f"{name}: {total} ({created} new, {updated} updated)")
        if not result.changed:
            self.stdout.write("Places are up to date: nothing changed.")
