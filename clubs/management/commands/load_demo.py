from django.core.management.base import BaseCommand

from clubs.demo import demo_users_create
from members.demo import demo_register_create


class Command(BaseCommand):
    help = "Load the demo province (Lai Châu) and one demo account per role. Safe to run again."

    def handle(self, *args, **options):
        users = demo_users_create()
        self.stdout.write(f"Demo accounts: {', '.join(u.username for u in users)}")
        members = demo_register_create()
        self.stdout.write(f"Demo register: {members} members created.")
