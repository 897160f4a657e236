from django.core.management.base import BaseCommand

from reports.plans import plans_load


class Command(BaseCommand):
    help = "Load the national and provincial plans (Đề án) with their targets. Safe to run again."

    def handle(self, *args, **options):
        self.stdout.write(f"Plans created: {plans_load()}")
