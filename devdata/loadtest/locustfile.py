"""Locust users for `make loadtest`: people working in the app at the same time.

Runs inside locust (no Django here). The plan — session cookies per role and the URLs each may
use, prepared by `manage.py loadtest` from the database — comes as JSON in LOADTEST_PLAN.
Traffic goes only to the --host given (127.0.0.1).

The mix, per user and over a working session: commune staff (most users) open their clubs, member
lists and searches, and enter repayments at the monthly meeting; province officers read reports,
club lists and filtered member lists; an admin searches across the country.
"""

import datetime
import json
import os
import random
import re

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"], encoding="utf-8").read())
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Worker(HttpUser):
    abstract = True
    role = ""
    wait_time = between(2, 8)  # a person reads the page, or fills in the next line, before clicking again

    def on_start(self):
        self.me = random.choice(PLAN["roles"][self.role])
        self.client.cookies.set(PLAN["session_cookie"], self.me["session"])

    def visit(self, key: str, name: str):
        urls = self.me.get(key) or PLAN["shared"].get(key)
        if urls:
            self.client.get(random.choice(urls), name=name)


class CommuneStaff(_Worker):
    role = "staff"
    weight = 16

    @task(4)
    def club_page(self):
        self.visit("clubs", "club page")

    @task(3)
    def member_list(self):
        self.visit("member_lists", "member list")

    @task(3)
    def member_search(self):
        self.visit("searches", "member search")

    @task(2)
    def club_loans(self):
        self.visit("club_loans", "club loans")

    @task(2)
    def enter_repayment(self):
        """The repayment form, then the repayment: a small part of the principal, paid today."""
        loans = self.me.get("repay")
        if not loans:
            return
        url = random.choice(loans)
        form = self.client.get(url, name="repayment form")
        token = CSRF_INPUT.search(form.text or "")
        if not token:
            return
        self.client.post(
            url,
            data={
                "csrfmiddlewaretoken": token.group(1),
                "paid_on": datetime.date.today().isoformat(),
                "principal": "10.000",
                "interest": "",
                "note": "Thu nợ tại buổi sinh hoạt (kiểm thử tải)",
            },
            headers={"Referer": PLAN["host"] + url},
            name="enter a repayment",
        )


class ProvinceOfficer(_Worker):
    role = "officer"
    weight = 3

    @task(3)
    def report(self):
        self.visit("reports", "province report")

    @task(2)
    def club_list(self):
        self.visit("club_lists", "club list")

    @task(3)
    def member_list(self):
        self.visit("member_lists", "member list (province, filtered)")

    @task(2)
    def club_page(self):
        self.visit("clubs", "club page")


class Admin(_Worker):
    role = "admin"
    weight = 1

    @task(2)
    def search(self):
        self.visit("searches", "member search (country)")

    @task(1)
    def national(self):
        self.visit("reports", "national report")
