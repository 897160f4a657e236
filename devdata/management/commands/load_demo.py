from django.core.management.base import BaseCommand

from devdata.demo_accounts import demo_users_create
from devdata.demo_funds import demo_funds_create
from devdata.demo_life import demo_life_create
from devdata.demo_members import demo_register_create
from funds.money import format_vnd
from reports.plans import plans_load


class Command(BaseCommand):
    help = "Load the demo province (Lai Châu) and one demo account per role. Safe to run again."

    def handle(self, *args, **options):
        users = demo_users_create()
        self.stdout.write(f"Demo accounts: {', '.join(u.username for u in users)}")
        members = demo_register_create()
        self.stdout.write(f"Demo register: {members} members created.")
        # After the register's demo: it fills the funds of the Lai Châu clubs that exist.
        funds = demo_funds_create()
        if funds:
            figures = funds["at_anchor"]
            self.stdout.write(
                f"Demo funds on {funds['anchor']:%d/%m/%Y}: capital {format_vnd(figures['capital'])}, "
                f"{figures['borrowers']} borrowers, {format_vnd(figures['outstanding'])} outstanding"
            )
        # After the register demo: club life needs the LCH-… clubs and their members.
        activities = demo_life_create()
        self.stdout.write(f"Demo club life: {activities} activities created.")
        self.stdout.write(f"Plans created: {plans_load()}")
