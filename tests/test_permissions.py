"""Every URL of the project, for every role, against an explicit table of expected answers.

A URL pattern without a row in TABLE fails `test_every_url_has_a_row`, so nobody can add a page
without deciding who may see it. Admin and static files are left to Django.

Roles:
  anon        not logged in
  staff_in    commune staff of the commune of the object (Xã Tân Uyên)
  staff_out   commune staff of another commune of the same province (Xã Than Uyên)
  officer_in  province officer of the object's province (Lai Châu)
  officer_out province officer of another province (Thanh Hóa)
  admin       administrator
  national    the national level (Trung ương Hội): reads every province, approves the provinces'
              reports, edits, imports and manages nothing (clubs.access.Area.is_national)

Expected answers: 200, 302 (a redirect: to login for anon, or after a successful POST), 403
(may see but not change), 404 (outside the user's area), 405 (method not allowed).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clubs.models import ActivityArea, BoardRole, Team, TeamKind
from clubs.services import board_seat_add
from funds.models import EntryKind, FundKind, Purpose, RatePeriod, RepaymentPlan, Source
from funds.services import fund_entry_add, loan_disburse, loan_repay
from members.models import LeaveReason
from members.services import member_leave
from tests.conftest import THAN_UYEN, make_member

ROLES = ("anon", "staff_in", "staff_out", "officer_in", "officer_out", "admin", "national")
JSON, PDF = "application/json", "application/pdf"
# Who may open or submit a document is what this file checks, not its pages (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("pdf_layout_skipped")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SKIP_PREFIXES = ("admin:",)
SKIP_NAMES = {"set_language", "logout"}  # framework views: covered by tests/clubs/test_site.py


@dataclass
class Row:
    """How to call one URL and what each role gets."""

    kwargs: Any = None  # a function of the world returning the URL kwargs
    expect: dict[str, int] = field(default_factory=dict)
    method: str = "get"
    data: Any = None  # a function of the world returning POST data
    query: Any = None  # a function of the world returning the query string
    content_type: str = ""  # what a 200 must be (files: a PDF, a workbook)


def row(kwargs=None, *, method="get", data=None, query=None, content_type="", **expect) -> Row:
    assert set(expect) == set(ROLES), f"every role needs an answer: {sorted(set(ROLES) - set(expect))}"
    return Row(kwargs, expect, method, data, query, content_type)


def url_name(key: str) -> str:
    """TABLE's keys are URL names, with what tells apart several rows of one URL in brackets:
    `reports:province-file[pdf]`, `sheets:export[loans, one club]`."""
    return key.split("[", 1)[0]


# Shorthands for the common shapes.
def everyone_logged_in(kwargs=None, *, query=None, content_type="", **overrides):
    return row(
        kwargs,
        query=query,
        content_type=content_type,
        **{"anon": 302, **{r: 200 for r in ROLES[1:]}, **overrides},
    )


def in_area_read(kwargs, *, query=None, content_type="", **overrides):
    """A page about one object: read by those whose area covers it, 404 for the others."""
    expect = {
        "anon": 302,
        "staff_in": 200,
        "staff_out": 404,
        "officer_in": 200,
        "officer_out": 404,
        "admin": 200,
        "national": 200,
    }
    return row(kwargs, query=query, content_type=content_type, **{**expect, **overrides})


def not_found(kwargs=None):
    """No such page (an unknown file format or sheet kind): 404 for anyone logged in."""
    return row(kwargs, anon=302, **{role: 404 for role in ROLES[1:]})


def in_area_write(kwargs, **overrides):
    """A form changing register data: commune staff of the place and admins; officers read only."""
    expect = {
        "anon": 302,
        "staff_in": 200,
        "staff_out": 404,
        "officer_in": 403,
        "officer_out": 404,
        "admin": 200,
        "national": 403,
    }
    return row(kwargs, **{**expect, **overrides})


def admin_only(kwargs=None):
    return row(
        kwargs,
        anon=302,
        staff_in=403,
        staff_out=403,
        officer_in=403,
        officer_out=403,
        admin=200,
        national=403,
    )


def national_only(kwargs=None, *, content_type="", national=200):
    """The national roll-up: admins and the national level; everyone else is outside its area."""
    return row(
        kwargs,
        content_type=content_type,
        anon=302,
        staff_in=404,
        staff_out=404,
        officer_in=404,
        officer_out=404,
        admin=200,
        national=national,
    )


def admins_own(kwargs=None):
    """An import job an admin started: nobody else's (404); the national level imports nothing (403)."""
    return national_only(kwargs, national=403)


def province_read(kwargs, *, content_type=""):
    """A province-wide report: its officers and admins; commune staff and other provinces get 404."""
    return row(
        kwargs,
        content_type=content_type,
        anon=302,
        staff_in=404,
        staff_out=404,
        officer_in=200,
        officer_out=404,
        admin=200,
        national=200,
    )


def post_only(kwargs=None):
    return row(
        kwargs,
        anon=302,
        staff_in=405,
        staff_out=405,
        officer_in=405,
        officer_out=405,
        admin=405,
        national=405,
    )


TABLE: dict[str, Row] = {
    "home": everyone_logged_in(),
    "healthz": row(
        anon=200, staff_in=200, staff_out=200, officer_in=200, officer_out=200, admin=200, national=200
    ),
    "login": row(
        anon=200, staff_in=302, staff_out=302, officer_in=302, officer_out=302, admin=302, national=302
    ),
    "password_change": everyone_logged_in(),
    "password_change_done": everyone_logged_in(),
    "clubs:commune-list": everyone_logged_in(),
    "clubs:commune-detail": in_area_read(lambda w: {"code": w.commune.code}),
    "clubs:commune-area-edit": in_area_read(
        lambda w: {"code": w.commune.code}, staff_in=403, officer_in=403, national=403
    ),
    "clubs:area-classes-upload": admin_only(),
    # People in the hierarchy (issue 16): province officers manage their province's commune staff, admins
    # everyone but admins; commune staff manage no one (403); another province's officer does not see
    # them (404). The national level manages province officers: commune staff are not its (404).
    "clubs:people-list": row(
        anon=302, staff_in=403, staff_out=403, officer_in=200, officer_out=200, admin=200, national=200
    ),
    "clubs:person-create": row(
        anon=302, staff_in=403, staff_out=403, officer_in=200, officer_out=200, admin=200, national=200
    ),
    **{
        f"clubs:{name}": row(
            lambda w: {"pk": w.person().pk},
            anon=302, staff_in=403, staff_out=403, officer_in=200, officer_out=404, admin=200, national=404,
        )
        for name in ("person-detail", "person-edit", "person-password-reset")
    },
    "clubs:person-deactivate": post_only(lambda w: {"pk": w.person().pk}),
    "clubs:person-reactivate": post_only(lambda w: {"pk": w.person().pk}),
    # Reports: a province's report is read by its officers and admins (commune staff: their dashboard);
    # the national roll-up by admins. Submitting is POST only (its permissions: tests/reports/test_views.py).
    "reports:index": everyone_logged_in(officer_in=302, officer_out=302),
    "reports:national": national_only(),
    # Every file a report is given as (reports.views.FORMATS), and a format there is not.
    "reports:national-file[json]": national_only(lambda w: {"fmt": "json"}, content_type=JSON),
    "reports:national-file[pdf]": national_only(lambda w: {"fmt": "pdf"}, content_type=PDF),
    "reports:national-file[xlsx]": national_only(lambda w: {"fmt": "xlsx"}, content_type=XLSX),
    "reports:national-file[unknown]": not_found(lambda w: {"fmt": "docx"}),
    "reports:national-submit": post_only(),
    "reports:province": province_read(lambda w: {"code": w.commune.province.code}),
    "reports:province-file[json]": province_read(
        lambda w: {"code": w.commune.province.code, "fmt": "json"}, content_type=JSON
    ),
    "reports:province-file[pdf]": province_read(
        lambda w: {"code": w.commune.province.code, "fmt": "pdf"}, content_type=PDF
    ),
    "reports:province-file[xlsx]": province_read(
        lambda w: {"code": w.commune.province.code, "fmt": "xlsx"}, content_type=XLSX
    ),
    # Another province's report in any format is outside the officer's area (404), not a missing format.
    "reports:province-file[unknown]": row(
        lambda w: {"code": w.commune.province.code, "fmt": "docx"},
        anon=302,
        staff_in=404,
        staff_out=404,
        officer_in=404,
        officer_out=404,
        admin=404,
        national=404,
    ),
    "reports:province-clubs": province_read(lambda w: {"code": w.commune.province.code}),
    "reports:province-submit": post_only(lambda w: {"code": w.commune.province.code}),
    "reports:submitted-list": everyone_logged_in(),
    "reports:submitted-detail": province_read(lambda w: {"pk": w.submitted_report().pk}),
    "reports:submitted-pdf": province_read(lambda w: {"pk": w.submitted_report().pk}),
    # The commune report and the reporting cycle (issue 16).
    "reports:commune": in_area_read(lambda w: {"code": w.commune.code}),
    "reports:commune-file[json]": in_area_read(
        lambda w: {"code": w.commune.code, "fmt": "json"}, content_type=JSON
    ),
    "reports:commune-file[pdf]": in_area_read(
        lambda w: {"code": w.commune.code, "fmt": "pdf"}, content_type=PDF
    ),
    "reports:commune-file[xlsx]": in_area_read(
        lambda w: {"code": w.commune.code, "fmt": "xlsx"}, content_type=XLSX
    ),
    "reports:commune-file[unknown]": not_found(lambda w: {"code": w.commune.code, "fmt": "docx"}),
    "reports:cycle-commune": in_area_read(
        lambda w: {"code": w.commune.code}, query=lambda w: "?period=2026-Q1"
    ),
    "reports:cycle-commune-submit": post_only(lambda w: {"code": w.commune.code}),
    "reports:cycle-province": province_read(lambda w: {"code": w.commune.province.code}),
    "reports:cycle-province-submit": post_only(lambda w: {"code": w.commune.province.code}),
    "reports:cycle-national": national_only(),
    "reports:cycle-detail": in_area_read(lambda w: {"pk": w.cycle_report().pk}),
    "reports:cycle-pdf": in_area_read(lambda w: {"pk": w.cycle_report().pk}, content_type=PDF),
    "reports:cycle-detail[a province's report]": province_read(
        lambda w: {"pk": w.cycle_report(level="province").pk}
    ),
    "reports:cycle-pdf[a province's report]": province_read(
        lambda w: {"pk": w.cycle_report(level="province").pk}, content_type=PDF
    ),
    "reports:cycle-approve": post_only(lambda w: {"pk": w.cycle_report().pk}),
    "reports:cycle-return": post_only(lambda w: {"pk": w.cycle_report().pk}),
    "reports:cycle-reopen": post_only(lambda w: {"pk": w.cycle_report().pk}),
    "reports:plan-list": everyone_logged_in(),
    "reports:plan-create": row(
        anon=302,
        staff_in=403,
        staff_out=403,
        officer_in=200,
        officer_out=200,
        admin=200,
        national=403,
    ),
    "reports:plan-detail": in_area_read(lambda w: {"pk": w.plan().pk}, staff_out=200),
    "reports:plan-edit": in_area_read(
        lambda w: {"pk": w.plan().pk}, staff_in=403, staff_out=403, national=403
    ),
    "reports:target-create": in_area_read(
        lambda w: {"plan_pk": w.plan().pk}, staff_in=403, staff_out=403, national=403
    ),
    "reports:target-edit": in_area_read(
        lambda w: {"pk": w.target().pk}, staff_in=403, staff_out=403, national=403
    ),
    "reports:target-delete": post_only(lambda w: {"pk": w.target().pk}),
    # The register (issue 3).
    "clubs:club-list": everyone_logged_in(),
    "clubs:club-create": row(
        anon=302,
        staff_in=200,
        staff_out=200,
        officer_in=403,
        officer_out=403,
        admin=200,
        national=403,
    ),
    "clubs:club-detail": in_area_read(lambda w: {"pk": w.club.pk}),
    "clubs:club-edit": in_area_write(lambda w: {"pk": w.club.pk}),
    "clubs:board-seat-add": in_area_write(lambda w: {"pk": w.club.pk}),
    "clubs:board-seat-end": in_area_write(lambda w: {"pk": w.club.pk, "seat_pk": w.seat.pk}),
    "clubs:team-create": in_area_write(lambda w: {"pk": w.club.pk}),
    "clubs:team-edit": in_area_write(lambda w: {"pk": w.club.pk, "team_pk": w.team.pk}),
    "members:member-list": everyone_logged_in(),
    "members:member-create": row(
        anon=302,
        staff_in=200,
        staff_out=200,
        officer_in=403,
        officer_out=403,
        admin=200,
        national=403,
    ),
    "members:member-detail": in_area_read(lambda w: {"pk": w.member.pk}),
    "members:member-edit": in_area_write(lambda w: {"pk": w.member.pk}),
    "members:member-leave": in_area_write(lambda w: {"pk": w.member.pk}),
    "members:member-move": in_area_write(lambda w: {"pk": w.member.pk}),
    "members:member-rejoin": in_area_write(lambda w: {"pk": w.former_member.pk}),
    "members:member-household": in_area_write(lambda w: {"pk": w.member.pk}),
    # Funds and loans (issue 4).
    "funds:club-funds": in_area_read(lambda w: {"club_id": w.club.pk}),
    "funds:entry-add": in_area_write(lambda w: {"club_id": w.club.pk}),
    "funds:transfer": in_area_write(lambda w: {"club_id": w.club.pk}),
    "funds:entry-reverse": in_area_write(lambda w: {"pk": w.entry.pk}),
    "funds:loan-list": everyone_logged_in(),
    "funds:club-loans": in_area_read(lambda w: {"club_id": w.club.pk}),
    "funds:loan-disburse": in_area_write(lambda w: {"club_id": w.club.pk}),
    "funds:loan-detail": in_area_read(lambda w: {"pk": w.loan.pk}),
    "funds:loan-repay": in_area_write(lambda w: {"pk": w.loan.pk}),
    "funds:loan-write-off": in_area_write(lambda w: {"pk": w.loan.pk}),
    "funds:repayment-reverse": in_area_write(lambda w: {"pk": w.repayment.pk}),
    # Opens the sheet of the latest meeting: a redirect for whoever may read the club.
    "life:collection-start": in_area_read(
        lambda w: {"club_id": w.club.pk}, staff_in=302, officer_in=302, admin=302, national=302
    ),
    # Read-only for the province officer (the sheet is shown, the submit refused: see tests/funds).
    "life:collection-sheet": in_area_read(lambda w: {"club_id": w.club.pk, "day": datetime.date(2025, 3, 5)}),
    # Field work (issue 17): the papers to print and the meeting day's pages, read by whoever reads the club.
    "clubs:club-members-pdf": in_area_read(lambda w: {"pk": w.club.pk}, content_type="application/pdf"),
    "funds:loan-card-pdf": in_area_read(lambda w: {"pk": w.loan.pk}, content_type="application/pdf"),
    "life:meeting-sheet-pdf": in_area_read(lambda w: {"club_id": w.club.pk}, content_type="application/pdf"),
    "life:meeting-summary": in_area_read(lambda w: {"club_id": w.club.pk, "day": datetime.date(2025, 3, 5)}),
    # The clubs the user records meetings for (commune staff with one club go straight to its sheet).
    "life:meeting-start": everyone_logged_in(staff_in=302, staff_out=302),
    # Offline use (issue 18): the worker and the offline page are the same for everyone and name no one;
    # the phone's JSON end points answer 401 (not a redirect) to a session that has ended. What each
    # role may prepare and sync is walked in tests/life/test_meeting_sync.py (JSON bodies).
    "offline": row(
        anon=200, staff_in=200, staff_out=200, officer_in=200, officer_out=200, admin=200, national=200
    ),
    "service-worker": row(
        content_type="text/javascript",
        anon=200,
        staff_in=200,
        staff_out=200,
        officer_in=200,
        officer_out=200,
        admin=200,
        national=200,
    ),  # fmt: skip
    "life:meeting-prepare": row(
        content_type="application/json",
        anon=401,
        staff_in=200,
        staff_out=200,
        officer_in=200,
        officer_out=200,
        admin=200,
        national=200,
    ),  # fmt: skip
    "life:meeting-sync": row(
        anon=405, staff_in=405, staff_out=405, officer_in=405, officer_out=405, admin=405, national=405
    ),
    # Spreadsheets: everyone with an area imports member lists into its clubs (issue 17; the clubs
    # offered are the user's, tests/sheets/test_import_by_area.py), and sees only the jobs they
    # started: another's job is outside their area (404). Templates and exports for everyone, scoped.
    # The national level imports nothing (403 on every import page) and reads the provinces through
    # their reports, not as whole-country lists of people and loans (exports: 403).
    "sheets:index": everyone_logged_in(),
    "sheets:upload": everyone_logged_in(national=403),
    "sheets:job": admins_own(lambda w: {"pk": w.import_job().pk}),
    "sheets:job-status": admins_own(lambda w: {"pk": w.import_job().pk}),
    "sheets:job-errors": admins_own(lambda w: {"pk": w.import_job().pk}),
    "sheets:job-commit": row(
        lambda w: {"pk": w.import_job().pk},
        method="post",
        anon=302,
        staff_in=404,
        staff_out=404,
        officer_in=404,
        officer_out=404,
        admin=302,
        national=403,
    ),
    **{
        f"{name}[the staff member's own job]": row(
            lambda w: {"pk": w.import_job(started_by="xa.tanuyen").pk},
            anon=302,
            staff_in=200,
            staff_out=404,
            officer_in=404,
            officer_out=404,
            admin=200,
            national=403,
        )
        for name in ("sheets:job", "sheets:job-status", "sheets:job-errors")
    },
    # Every import template, every export (sheets.exports.EXPORT_KINDS) of the user's whole area,
    # of one club (outsiders: 404) and as CSV, and a kind there is not.
    **{
        f"sheets:template[{kind}]": everyone_logged_in(lambda w, kind=kind: {"kind": kind}, content_type=XLSX)
        for kind in ("clubs", "members", "loans", "contributions")
    },
    "sheets:template[unknown]": not_found(lambda w: {"kind": "ledger"}),
    **{
        f"sheets:export[{kind}]": everyone_logged_in(
            lambda w, kind=kind: {"kind": kind}, content_type=XLSX, national=403
        )
        for kind in ("clubs", "members", "loans", "ledger")
    },
    **{
        f"sheets:export[{kind}, one club]": in_area_read(
            lambda w, kind=kind: {"kind": kind},
            query=lambda w: f"?club={w.club.pk}",
            content_type=XLSX,
            national=403,
        )
        for kind in ("clubs", "members", "loans", "ledger")
    },
    "sheets:export[members, csv]": everyone_logged_in(
        lambda w: {"kind": "members"}, query=lambda w: "?format=csv", content_type="text/csv", national=403
    ),
    "sheets:export[unknown]": not_found(lambda w: {"kind": "contributions"}),
}


# Club life (clubs/life_urls.py): reading follows the area, recording is for commune staff.
def _activity(world) -> dict:
    from life.models import Activity

    activity = Activity.objects.create(
        club=world.club, held_on=datetime.date(2025, 3, 1), area=6, kind="training", title="Tập huấn"
    )
    return {"pk": activity.pk}


def _care_assignment(world) -> dict:
    from life.models import CareAssignment

    volunteer = make_member(world.club, full_name="Lò Văn Tình", is_volunteer=True)
    assignment = CareAssignment.objects.create(
        club=world.club, volunteer=volunteer, beneficiary=world.member, from_date=datetime.date(2025, 1, 1)
    )
    return {"pk": assignment.pk}


def _club(world) -> dict:
    return {"club_id": world.club.pk}


TABLE |= {
    "life:club-overview": everyone_logged_in(),
    "life:referral-list": everyone_logged_in(),
    "life:overdue-visits": everyone_logged_in(),
    "life:activity-list": in_area_read(_club),
    "life:activity-add": in_area_write(_club),
    "life:activity-detail": in_area_read(_activity),
    "life:activity-edit": in_area_write(_activity),
    "life:meeting-day": in_area_write(_club),
    "life:health-list": in_area_read(_club),
    "life:health-check-add": in_area_write(_club),
    "life:member-health": in_area_read(lambda w: {"member_id": w.member.pk}),
    "life:care-board": in_area_read(_club),
    "life:care-assignment-add": in_area_write(_club),
    "life:care-assignment-end": row(
        _care_assignment,
        method="post",
        data=lambda w: {"to_date": "2025-06-01"},
        anon=302,
        staff_in=302,
        staff_out=404,
        officer_in=403,
        officer_out=404,
        admin=302,
        national=403,
    ),
    "life:care-visit-add": in_area_write(_club),
    # Everyone in the area reads ratings; rating itself (POST) is tested in tests/life/test_ratings.py.
    "life:ratings": in_area_read(_club),
}


class World:
    """One of everything, in Xã Tân Uyên (Lai Châu), for the URL kwargs."""

    def __init__(self, club, other_club):
        self.club = club
        self.commune = club.commune
        self.other_club = other_club
        self.member = make_member(club, citizen_id="040404040404", joined_on=datetime.date(2024, 3, 1))
        self.former_member = make_member(
            club, full_name="Lò Văn Pọm", sex="M", joined_on=datetime.date(2024, 3, 1)
        )
        member_leave(member=self.former_member, left_on=datetime.date(2025, 1, 1), reason=LeaveReason.MOVED)
        self.seat = board_seat_add(
            club=club, member=self.member, role=BoardRole.CHAIR, from_date=datetime.date(2024, 3, 1)
        )
        self.team = Team.objects.create(
            club=club, kind=TeamKind.TEAM, name="Tổ sức khỏe", area=ActivityArea.HEALTH
        )
        income = club.funds.get(kind=FundKind.INCOME)
        self.entry = fund_entry_add(
            fund=income,
            kind=EntryKind.CONTRIBUTION,
            amount=50_000_000,
            entry_date=datetime.date(2024, 3, 1),
            source=Source.STATE,
            recorded_by=None,
        )
        self.loan = loan_disburse(
            fund=income,
            member=self.member,
            disbursed_on=datetime.date(2024, 4, 1),
            principal=5_000_000,
            purpose=Purpose.LIVESTOCK,
            term_months=12,
            interest_rate=0,
            rate_period=RatePeriod.MONTH,
            plan=RepaymentPlan.EQUAL_MONTHLY,
            recorded_by=None,
        )
        self.repayment = loan_repay(
            loan=self.loan, paid_on=datetime.date(2024, 5, 1), principal=400_000, interest=0, recorded_by=None
        )

    def plan(self):
        from reports.models import Plan

        return Plan.objects.get_or_create(
            province=self.commune.province,
            name="Đề án thử",
            defaults={"start": datetime.date(2021, 1, 1), "end": datetime.date(2030, 12, 31)},
        )[0]

    def target(self):
        from reports.models import Target

        return Target.objects.create(plan=self.plan(), indicator="clubs_total", value=10)

    def submitted_report(self):
        from django.contrib.auth.models import User
        from django.core.files.base import ContentFile

        from reports.models import SubmittedReport

        report = SubmittedReport(
            province=self.commune.province,
            as_of=datetime.date(2026, 6, 30),
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
            figures={"indicators": {}},
            submitted_by=User.objects.filter(is_superuser=True).first(),
        )
        report.pdf.save("permissions-test.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        report.save()
        return report

    def cycle_report(self, status: str = "submitted", level: str = "commune"):
        """The commune's (or its province's compiled) report for 2026-Q1 in `status` (a stand-in PDF)."""
        from django.contrib.auth.models import User
        from django.core.files.base import ContentFile
        from django.utils import timezone

        from reports.models import CycleLevel, CycleReport, CycleStatus

        report = CycleReport(
            level=CycleLevel(level),
            province=self.commune.province,
            commune=self.commune if level == CycleLevel.COMMUNE else None,
            period="2026-Q1",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 3, 31),
            status=CycleStatus(status),
            figures={"indicators": {}},
            submitted_by=User.objects.filter(is_superuser=True).first(),
            submitted_at=timezone.now(),
        )
        report.pdf.save("permissions-test.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        report.save()
        return report

    def person(self):
        """The commune staff of Xã Than Uyên (the walker's staff_out): an account Lai Châu's officer manages."""
        from django.contrib.auth.models import User

        return User.objects.get(username="xa.ngoai")

    def inactive_person(self):
        from clubs.models import Role
        from tests.conftest import make_user

        person = make_user("xa.danghi", Role.COMMUNE_STAFF, commune=THAN_UYEN)
        person.is_active = False
        person.save(update_fields=["is_active"])
        return person

    def import_job(self, started_by: str | None = None):
        """A checked spreadsheet import with an error and its uploaded file, started
        by an admin or by the user named `started_by`."""
        from django.contrib.auth.models import User

        from sheets.models import ImportJob, JobStatus

        users = (
            User.objects.filter(username=started_by) if started_by else User.objects.filter(is_superuser=True)
        )
        from django.core.files.base import ContentFile

        from sheets.workbooks import template_bytes

        job = ImportJob(
            kind="members",
            file_name="a.xlsx",
            created_by=users.first(),
            status=JobStatus.INVALID,
            report={"kind": "members", "errors": [{"row": 8, "column": "", "message": "Thiếu họ và tên."}]},
        )
        # The uploaded file is kept (until clean_imports): the error workbook is made from it.
        job.file.save("a.xlsx", ContentFile(template_bytes("members")), save=True)
        return job


def url_names() -> set[str]:
    """Every named URL pattern of the project, with its namespace."""
    names: set[str] = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{prefix}{pattern.name}")

    walk(get_resolver().url_patterns)
    return {name for name in names if not name.startswith(SKIP_PREFIXES) and name not in SKIP_NAMES}


def test_every_url_has_a_row():
    covered = {url_name(key) for key in TABLE}
    missing = sorted(url_names() - covered)
    assert missing == [], f"add these URLs to TABLE in {__file__}: {missing}"
    stale = sorted(covered - url_names())
    assert stale == [], f"these rows name URLs that no longer exist: {stale}"


def test_every_report_format_and_every_sheet_kind_has_its_rows():
    """A new report format, import template or export kind fails here until TABLE says who gets it."""
    from reports.views import FORMATS
    from sheets.exports import EXPORT_KINDS
    from sheets.models import ImportKind

    needed = (
        {f"reports:{scope}-file[{fmt}]" for scope in ("national", "province") for fmt in FORMATS}
        | {f"sheets:template[{kind}]" for kind in ImportKind.values}
        | {f"sheets:export[{kind}]" for kind in EXPORT_KINDS}
        | {f"sheets:export[{kind}, one club]" for kind in EXPORT_KINDS}
    )
    assert sorted(needed - TABLE.keys()) == []


@pytest.fixture
def people(admin_user, lai_chau_officer, thanh_hoa_officer, staff):
    from clubs.models import Role
    from tests.conftest import make_user

    return {
        "anon": None,
        "staff_in": staff,
        "staff_out": make_user("xa.ngoai", Role.COMMUNE_STAFF, commune=THAN_UYEN),
        "officer_in": lai_chau_officer,
        "officer_out": thanh_hoa_officer,
        "admin": admin_user,
        "national": make_user("trunguong", Role.NATIONAL),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_role_gets_the_expected_answer(name, client, people, club, other_club):
    world = World(club, other_club)
    spec = TABLE[name]
    url = reverse(url_name(name), kwargs=spec.kwargs(world) if spec.kwargs else None)
    url += spec.query(world) if spec.query else ""
    answers = {}
    for role in ROLES:
        client.logout()
        if people[role] is not None:
            client.force_login(people[role])
        if spec.method == "post":
            response = client.post(url, spec.data(world) if spec.data else {})
        else:
            response = client.get(url)
        answers[role] = response.status_code
        if role == "anon" and spec.expect["anon"] == 302 and response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), f"{name}: anonymous must go to login"
        if response.status_code == 200 and spec.content_type:
            assert response["Content-Type"].startswith(spec.content_type), f"{name} as {role}"
    assert answers == spec.expect, f"{name} ({url})"


# ---------------------------------------------------------------------------------------------------------
# POST: what each role gets when it submits a form, and the proof of what was written.
#
# Every URL that writes is posted valid data by every role. An answer that refuses (302 to login, 403,
# 404, 405, or 200: the form shown again with an error) must leave every project table exactly as it
# was (tests/snapshots.py: row counts and a digest of every row); a 302 after the POST of someone
# allowed must have written something. Each role's POST is rolled back afterwards, so every role
# posts to the same world. Every other URL is posted to as well: a page that only reads writes
# nothing, whoever posts to it.
# ---------------------------------------------------------------------------------------------------------

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402

from tests.conftest import PASSWORD  # noqa: E402
from tests.snapshots import changed_tables, db_snapshot  # noqa: E402

WRITES = (302,)  # after a POST, a redirect for someone allowed means it was saved


@dataclass
class Post:
    kwargs: Any  # the world → URL kwargs
    data: Any  # the world → POST data (valid for someone allowed)
    expect: dict[str, int]
    query: str = ""


def post(kwargs, data, *, query="", **expect) -> Post:
    assert set(expect) == set(ROLES), f"every role needs an answer: {sorted(set(ROLES) - set(expect))}"
    return Post(kwargs, data, expect, query)


def register_write(kwargs, data, **overrides) -> Post:
    """Register data of one club: its commune's staff and admins; officers read only; outsiders 404."""
    expect = {
        "anon": 302,
        "staff_in": 302,
        "staff_out": 404,
        "officer_in": 403,
        "officer_out": 404,
        "admin": 302,
        "national": 403,
    }
    return post(kwargs, data, **{**expect, **overrides})


def new_in_own_area(data, **overrides) -> Post:
    """A new club or member: commune staff may create one, but only in their own commune (the form
    refuses another: 200); province officers may not (403)."""
    expect = {
        "anon": 302,
        "staff_in": 302,
        "staff_out": 200,
        "officer_in": 403,
        "officer_out": 403,
        "admin": 302,
        "national": 403,
    }
    return post(None, data, **{**expect, **overrides})


def admin_write(kwargs, data, **overrides) -> Post:
    expect = {
        "anon": 302,
        "staff_in": 403,
        "staff_out": 403,
        "officer_in": 403,
        "officer_out": 403,
        "admin": 302,
        "national": 403,
    }
    return post(kwargs, data, **{**expect, **overrides})


def _club_kw(w):
    return {"club_id": w.club.pk}


def _pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


def _xlsx_upload(name, rows) -> SimpleUploadedFile:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


MEMBER_EDIT = {"full_name": "Nguyễn Thị Hoa", "birth_year": "1955", "sex": "F", "ethnicity": "1",
               "joined_on": "2024-03-01", "citizen_id": "040404040404", "village": "Nà Bó"}  # fmt: skip
LOAN = {"disbursed_on": "2025-01-06", "principal": "2.000.000", "purpose": "livestock", "term_months": "6",
        "interest_rate": "0", "rate_period": "month", "plan": "equal_monthly"}  # fmt: skip

PLAN = {"name": "Đề án nhân rộng CLB đến 2030", "start": "2026-01-01", "end": "2030-12-31"}
TARGET = {"indicator": "clubs_total", "comparison": "at_least", "value": "20"}

POST_TABLE: dict[str, Post] = {
    # A form post is not a sync (the phone sends JSON): refused unread, nothing written; an ended session
    # is 401. The JSON paths of every role: tests/life/test_meeting_sync.py.
    "life:meeting-sync": post(
        None,
        lambda w: {"club": w.club.pk},
        anon=401,
        staff_in=400,
        staff_out=400,
        officer_in=400,
        officer_out=400,
        admin=400,
        national=400,
    ),  # fmt: skip
    "password_change": post(
        None,
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": "mot-mat-khau-moi-2026",
            "new_password2": "mot-mat-khau-moi-2026",
        },
        anon=302,
        staff_in=302,
        staff_out=302,
        officer_in=302,
        officer_out=302,
        admin=302,
        national=302,
    ),  # fmt: skip
    # People in the hierarchy (issue 16): another province's officer may create commune staff only in
    # their own province (the form refuses Xã Tân Uyên: 200) and does not see Lai Châu's staff (404); the
    # national level gives no commune staff role (the form refuses it: 200) and does not see them (404).
    "clubs:person-create": post(
        None,
        lambda w: {"username": "xa.moi", "full_name": "Lò Thị Hoa", "role": "commune_staff",
                   "commune": w.commune.pk, "password1": "mat-khau-dau-2026", "password2": "mat-khau-dau-2026"},
        anon=302, staff_in=403, staff_out=403, officer_in=302, officer_out=200, admin=302, national=200,
    ),  # fmt: skip
    "clubs:person-edit": post(
        lambda w: {"pk": w.person().pk},
        lambda w: {"full_name": "Lò Văn Ngoại", "role": "commune_staff", "commune": w.commune.pk},
        anon=302, staff_in=403, staff_out=403, officer_in=302, officer_out=404, admin=302, national=404,
    ),  # fmt: skip
    "clubs:person-password-reset": post(
        lambda w: {"pk": w.person().pk},
        lambda w: {"password1": "mat-khau-dau-2026", "password2": "mat-khau-dau-2026"},
        anon=302, staff_in=403, staff_out=403, officer_in=302, officer_out=404, admin=302, national=404,
    ),  # fmt: skip
    "clubs:person-deactivate": post(
        lambda w: {"pk": w.person().pk},
        lambda w: {},
        anon=302, staff_in=403, staff_out=403, officer_in=302, officer_out=404, admin=302, national=404,
    ),  # fmt: skip
    "clubs:person-reactivate": post(
        lambda w: {"pk": w.inactive_person().pk},
        lambda w: {},
        anon=302, staff_in=403, staff_out=403, officer_in=302, officer_out=404, admin=302, national=404,
    ),  # fmt: skip
    "clubs:commune-area-edit": post(
        lambda w: {"code": w.commune.code},
        lambda w: {"area_class": "island", "ethnic_minority_area": "on"},
        anon=302,
        staff_in=403,
        staff_out=404,
        officer_in=403,
        officer_out=404,
        admin=302,
        national=403,
    ),  # fmt: skip
    "clubs:area-classes-upload": admin_write(
        None,
        lambda w: {
            "file": SimpleUploadedFile(
                "vung.csv", f"Mã xã,Phân loại vùng,Vùng DTTS\n{w.commune.code},Hải đảo,có\n".encode()
            )
        },
    ),  # fmt: skip
    "clubs:club-create": new_in_own_area(
        lambda w: {
            "code": "LCH-TU-77",
            "name": "CLB bản Mới",
            "commune": w.commune.pk,
            "decision_date": "2024-05-01",
            "launched_on": "2024-06-01",
        },
    ),  # fmt: skip
    "clubs:club-edit": register_write(
        lambda w: {"pk": w.club.pk},
        lambda w: {
            "code": w.club.code,
            "name": "CLB bản Nà Cóc (đổi tên)",
            "commune": w.commune.pk,
            "decision_date": "2024-01-10",
            "launched_on": "2024-02-01",
        },
    ),  # fmt: skip
    "clubs:board-seat-add": register_write(
        lambda w: {"pk": w.club.pk},
        lambda w: {"member": w.second_member.pk, "role": "secretary", "from_date": "2024-06-01"},
    ),
    "clubs:board-seat-end": register_write(
        lambda w: {"pk": w.club.pk, "seat_pk": w.seat.pk}, lambda w: {"to_date": "2025-12-31"}
    ),
    "clubs:team-create": register_write(
        lambda w: {"pk": w.club.pk},
        lambda w: {"kind": "group", "name": "Nhóm 2", "members": [w.member.pk, w.second_member.pk]},
    ),
    "clubs:team-edit": register_write(
        lambda w: {"pk": w.club.pk, "team_pk": w.team.pk},
        lambda w: {"kind": "team", "name": "Tổ chăm sóc sức khỏe", "area": "2", "members": [w.member.pk]},
    ),
    "members:member-create": new_in_own_area(
        lambda w: {
            "club": w.club.pk,
            "full_name": "Lò Thị Ún",
            "birth_year": "1958",
            "sex": "F",
            "ethnicity": "2",
            "household": "poor",
            "joined_on": "2024-03-01",
        },
    ),  # fmt: skip
    "members:member-edit": register_write(_pk("member"), lambda w: MEMBER_EDIT),
    "members:member-leave": register_write(
        _pk("member"), lambda w: {"left_on": "2025-05-01", "leave_reason": "died"}
    ),
    "members:member-move": register_write(
        _pk("member"), lambda w: {"to_club": w.target_club.pk, "moved_on": "2025-01-01"}
    ),
    "members:member-rejoin": register_write(
        _pk("former_member"), lambda w: {"club": w.club.pk, "joined_on": "2025-06-01"}
    ),
    "members:member-household": register_write(
        _pk("member"), lambda w: {"status": "near_poor", "valid_from": "2025-01-01"}
    ),
    "funds:entry-add": register_write(
        _club_kw,
        lambda w: {
            "fund": w.income.pk,
            "kind": "contribution",
            "entry_date": "2025-01-05",
            "amount": "1.000.000",
            "source": "members",
        },
    ),  # fmt: skip
    "funds:transfer": register_write(
        _club_kw, lambda w: {"direction": "income", "amount": "1.000.000", "entry_date": "2025-01-05"}
    ),
    "funds:entry-reverse": register_write(
        _pk("small_entry"), lambda w: {"entry_date": "2025-01-05", "note": "Ghi nhầm"}
    ),
    "funds:loan-disburse": register_write(_club_kw, lambda w: {"member": w.second_member.pk, **LOAN}),
    "funds:loan-repay": register_write(
        _pk("loan"), lambda w: {"paid_on": "2024-06-01", "principal": "400.000", "interest": ""}
    ),
    "funds:loan-write-off": register_write(
        _pk("loan"),
        lambda w: {"written_off_on": "2025-01-05", "reason": "Mất khả năng trả", "approved_by": "BCN"},
    ),
    "funds:repayment-reverse": register_write(_pk("repayment"), lambda w: {"note": "Ghi nhầm"}),
    "life:collection-sheet": register_write(
        lambda w: {"club_id": w.club.pk, "day": datetime.date(2024, 6, 5)},
        lambda w: {f"p{w.loan.pk}": "400.000", f"i{w.loan.pk}": ""},
    ),
    "life:activity-add": register_write(
        _club_kw,
        lambda w: {
            "held_on": "2025-03-01",
            "area": "6",
            "kind": "training",
            "title": "Tập huấn",
            "participants_count": "30",
            "volunteers_count": "2",
        },
    ),
    "life:activity-edit": register_write(
        _activity,
        lambda w: {
            "held_on": "2025-03-01",
            "area": "6",
            "kind": "training",
            "title": "Tập huấn pháp luật",
            "participants_count": "30",
            "volunteers_count": "2",
        },
    ),
    "life:meeting-day": register_write(_club_kw, lambda w: w.meeting_sheet(), query="?date=2025-05-10"),
    "life:health-check-add": register_write(
        _club_kw,
        lambda w: {"member": w.member.pk, "checked_on": "2025-03-05", "systolic": "130", "diastolic": "85"},
    ),
    "life:care-assignment-add": register_write(
        _club_kw,
        lambda w: {"volunteer": w.volunteer.pk, "beneficiary": w.second_member.pk, "from_date": "2025-01-01"},
    ),
    "life:care-assignment-end": register_write(_care_assignment, lambda w: {"to_date": "2025-06-01"}),
    "life:care-visit-add": register_write(
        _club_kw,
        lambda w: {
            "visited_on": "2025-03-20",
            "volunteer": w.volunteer.pk,
            "beneficiary": w.member.pk,
            "tasks": ["meals"],
        },
    ),  # fmt: skip
    # Ratings are the province's: its officers and admins rate, commune staff read.
    "life:ratings": post(
        _club_kw,
        lambda w: {"year": "2025", "rating": "good", "rated_on": "20/12/2025", "note": ""},
        anon=302,
        staff_in=403,
        staff_out=404,
        officer_in=302,
        officer_out=404,
        admin=302,
        national=403,
    ),  # fmt: skip
    # Staff and officers import into the clubs of their area; a club of another commune or province
    # is not among the choices (the form is shown again with the error, nothing written).
    "sheets:upload": post(
        None,
        lambda w: {
            "kind": "members",
            "club": w.club.pk,
            "file": _xlsx_upload(
                "ds.xlsx", [["Họ và tên", "Năm sinh", "Giới tính"], ["Lò Thị Mai", 1950, "Nữ"]]
            ),
        },
        anon=302,
        staff_in=302,
        staff_out=200,
        officer_in=302,
        officer_out=200,
        admin=302,
        national=403,
    ),  # fmt: skip
    # The admin's job: nobody else's to confirm.
    "sheets:job-commit": post(
        lambda w: {"pk": w.ready_job.pk},
        lambda w: {},
        anon=302,
        staff_in=404,
        staff_out=404,
        officer_in=404,
        officer_out=404,
        admin=302,
        national=403,
    ),  # fmt: skip
    # Reports: submitting freezes the figures (and the PDF) of a province, or of the country for admins.
    "reports:national-submit": post(
        None,
        lambda w: {"note": "Sơ kết"},
        anon=302,
        staff_in=404,
        staff_out=404,
        officer_in=404,
        officer_out=404,
        admin=302,
        national=403,
    ),  # fmt: skip
    "reports:province-submit": post(
        lambda w: {"code": w.commune.province.code},
        lambda w: {"note": "Sơ kết"},
        anon=302,
        staff_in=404,
        staff_out=404,
        officer_in=302,
        officer_out=404,
        admin=302,
        national=403,
    ),  # fmt: skip
    # The reporting cycle: commune staff submit their commune's report, the province reviews it.
    "reports:cycle-commune-submit": post(
        lambda w: {"code": w.commune.code},
        lambda w: {"period": "2026-Q1"},
        anon=302,
        staff_in=302,
        staff_out=404,
        officer_in=403,
        officer_out=404,
        admin=302,
        national=403,
    ),  # fmt: skip
    "reports:cycle-province-submit": post(
        lambda w: {"code": w.commune.province.code},
        lambda w: {"period": "2026-Q1"},
        anon=302,
        staff_in=404,
        staff_out=404,
        officer_in=302,
        officer_out=404,
        admin=302,
        national=403,
    ),  # fmt: skip
    **{
        f"reports:cycle-{action}": post(
            lambda w, status=status: {"pk": w.cycle_report(status).pk},
            lambda w: {"reason": "Thiếu số liệu"},
            anon=302,
            staff_in=403,
            staff_out=404,
            officer_in=302,
            officer_out=404,
            admin=302,
            national=403,
        )
        for action, status in (("approve", "submitted"), ("return", "submitted"), ("reopen", "approved"))
    },
    # A province's compiled report is reviewed one level up: the national level (and admins) approve,
    # return or reopen it; its own province's officer reads it but may not (403); commune staff and
    # other provinces do not see it (404).
    **{
        f"reports:cycle-{action}[a province's report]": post(
            lambda w, status=status: {"pk": w.cycle_report(status, level="province").pk},
            lambda w: {"reason": "Thiếu xã Than Uyên"},
            anon=302,
            staff_in=404,
            staff_out=404,
            officer_in=403,
            officer_out=404,
            admin=302,
            national=302,
        )
        for action, status in (("approve", "submitted"), ("return", "submitted"), ("reopen", "approved"))
    },
    # Plans and targets are the province's: commune staff read them; another province's officer
    # may create a plan only for their own province (the form refuses Lai Châu: 200).
    "reports:plan-create": post(
        None,
        lambda w: PLAN | {"province": w.commune.province.pk},
        anon=302,
        staff_in=403,
        staff_out=403,
        officer_in=302,
        officer_out=200,
        admin=302,
        national=403,
    ),  # fmt: skip
    "reports:plan-edit": post(
        lambda w: {"pk": w.plan().pk},
        lambda w: PLAN | {"province": w.commune.province.pk, "name": "Đề án sửa"},
        anon=302,
        staff_in=403,
        staff_out=403,
        officer_in=302,
        officer_out=404,
        admin=302,
        national=403,
    ),  # fmt: skip
    "reports:target-create": post(
        lambda w: {"plan_pk": w.plan().pk},
        lambda w: TARGET,
        anon=302,
        staff_in=403,
        staff_out=403,
        officer_in=302,
        officer_out=404,
        admin=302,
        national=403,
    ),  # fmt: skip
    "reports:target-edit": post(
        lambda w: {"pk": w.target().pk},
        lambda w: TARGET | {"value": "25"},
        anon=302,
        staff_in=403,
        staff_out=403,
        officer_in=302,
        officer_out=404,
        admin=302,
        national=403,
    ),  # fmt: skip
    "reports:target-delete": post(
        lambda w: {"pk": w.target().pk},
        lambda w: {},
        anon=302,
        staff_in=403,
        staff_out=403,
        officer_in=302,
        officer_out=404,
        admin=302,
        national=403,
    ),  # fmt: skip
}


class PostWorld(World):
    """The World, plus what valid posts need: another club of the commune to move to, a second
    member, a volunteer, a small entry that may be reversed, a checked import waiting to be confirmed."""

    def __init__(self, club, other_club):
        from tests.conftest import make_club

        super().__init__(club, other_club)
        self.income = club.funds.get(kind=FundKind.INCOME)
        self.target_club = make_club(club.commune, code="LCH-TU-02", name="CLB bản Nà Bó")
        self.second_member = make_member(club, full_name="Lò Thị Thư", joined_on=datetime.date(2024, 3, 1))
        self.volunteer = make_member(
            club, full_name="Lò Văn Tình", sex="M", is_volunteer=True, joined_on=datetime.date(2024, 3, 1)
        )
        self.small_entry = fund_entry_add(
            fund=self.income,
            kind=EntryKind.CONTRIBUTION,
            amount=1_000_000,
            entry_date=datetime.date(2024, 12, 1),
            source=Source.MEMBERS,
            recorded_by=None,
        )
        self.ready_job = self._ready_job()

    def _ready_job(self, started_by=None):
        from django.contrib.auth.models import User

        from sheets.jobs import job_run
        from sheets.models import ImportJob

        users = (
            User.objects.filter(username=started_by) if started_by else User.objects.filter(is_superuser=True)
        )
        job = ImportJob(kind="members", file_name="ds.xlsx", club=self.club, created_by=users.first())
        upload = _xlsx_upload("ds.xlsx", [["Họ và tên", "Năm sinh", "Giới tính"], ["Lò Thị Mai", 1950, "Nữ"]])
        job.file.save("ds.xlsx", upload, save=True)
        job_run(job.pk)  # the preview: READY, waiting for the admin's confirmation
        job.refresh_from_db()
        assert job.status == "ready", job.report
        return job

    def meeting_sheet(self) -> dict:
        from life.services import members_on
        from tests.life.test_meeting_day import sheet

        members = list(members_on(self.club, datetime.date(2025, 5, 10)))
        return sheet(members, {m: ("present", "", "", "", "") for m in members})


@pytest.fixture
def clients(people):
    """One test client per role, logged in before anything is measured (a login updates last_login)."""
    from django.test import Client

    logged_in = {}
    for role, user in people.items():
        logged_in[role] = Client()
        if user is not None:
            logged_in[role].force_login(user)
    return logged_in


def _post_as_each_role(clients, url, data_for, expect=None) -> tuple[dict, dict]:
    """POST as each role, each in a savepoint rolled back after; the answers and the tables each changed."""
    answers, changed = {}, {}
    before = db_snapshot()
    for role in ROLES:
        savepoint = transaction.savepoint()
        try:
            response = clients[role].post(url, data_for())
            answers[role] = response.status_code
            if response.status_code == 200 and expect and expect[role] != 200:
                answers[role] = (200, _form_errors(response))
            changed[role] = changed_tables(before, db_snapshot())
            if role == "anon" and response.status_code == 302:
                assert response["Location"].startswith(reverse("login")), f"{url}: anonymous must go to login"
        finally:
            transaction.savepoint_rollback(savepoint)
    return answers, changed


def _form_errors(response) -> list:
    """Why a form was shown again: its errors, to make a failing row easy to read."""
    forms = {}
    for context in response.context or []:
        for value in context.flatten().values():
            if hasattr(value, "errors") and hasattr(value, "is_bound") and value.errors:
                forms[id(value)] = value.errors
    return list(forms.values())


# Pages that only read (their POST is checked to write nothing). A new URL goes here or in POST_TABLE.
READS = {
    "home", "healthz", "login", "password_change_done",
    "clubs:commune-list", "clubs:commune-detail", "clubs:club-list", "clubs:club-detail",
    "clubs:people-list", "clubs:person-detail",
    "members:member-list", "members:member-detail",
    "funds:club-funds", "funds:club-loans", "funds:loan-list", "funds:loan-detail", "life:collection-start",
    "clubs:club-members-pdf", "funds:loan-card-pdf", "life:meeting-sheet-pdf", "life:meeting-summary",
    "life:meeting-start", "offline", "service-worker", "life:meeting-prepare",
    "life:club-overview", "life:referral-list", "life:overdue-visits", "life:activity-list",
    "life:activity-detail", "life:health-list", "life:member-health", "life:care-board",
    "sheets:index", "sheets:job", "sheets:job-status", "sheets:job-errors", "sheets:template", "sheets:export",
    "reports:index", "reports:national", "reports:national-file", "reports:province", "reports:province-file",
    "reports:province-clubs", "reports:submitted-list", "reports:submitted-detail", "reports:submitted-pdf",
    "reports:plan-list", "reports:plan-detail",
    "reports:commune", "reports:commune-file", "reports:cycle-commune", "reports:cycle-province",
    "reports:cycle-national", "reports:cycle-detail", "reports:cycle-pdf",
}  # fmt: skip


def test_every_url_is_either_a_write_with_a_post_row_or_a_read():
    writes = {url_name(key) for key in POST_TABLE}
    assert writes & READS == set()
    unclassified = sorted(url_names() - writes - READS)
    assert unclassified == [], f"add these URLs to POST_TABLE or READS in {__file__}: {unclassified}"
    stale = sorted((writes | READS) - url_names())
    assert stale == [], f"these rows name URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_TABLE))
def test_each_role_posting_to_a_write_url(name, clients, club, other_club, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = PostWorld(club, other_club)
    spec = POST_TABLE[name]
    url = reverse(url_name(name), kwargs=spec.kwargs(world) if spec.kwargs else None) + spec.query
    answers, changed = _post_as_each_role(clients, url, lambda: spec.data(world), spec.expect)
    assert answers == spec.expect, f"{name} ({url})"
    for role, code in answers.items():
        if code in WRITES and role != "anon":
            assert changed[role], f"{name}: {role} was answered {code} but nothing was saved"
        else:
            assert changed[role] == [], f"{name}: {role} was refused ({code}) yet changed {changed[role]}"


@pytest.mark.django_db
def test_a_staff_members_own_import_is_confirmed_by_them_or_an_admin_only(
    clients, club, other_club, settings, tmp_path
):
    """Issue 17: the member import of commune staff. Their checked job is written when they (or an
    admin) confirm it; the staff of another commune and the officers get 404 and nothing changes."""
    settings.MEDIA_ROOT = tmp_path / "media"
    world = PostWorld(club, other_club)
    job = world._ready_job(started_by="xa.tanuyen")
    url = reverse("sheets:job-commit", kwargs={"pk": job.pk})
    answers, changed = _post_as_each_role(clients, url, lambda: {})
    assert answers == {"anon": 302, "staff_in": 302, "staff_out": 404, "officer_in": 404, "officer_out": 404,
                       "admin": 302, "national": 403}  # fmt: skip
    assert "members.member" in changed["staff_in"] and "members.member" in changed["admin"]
    for role in ("anon", "staff_out", "officer_in", "officer_out", "national"):
        assert changed[role] == [], role


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(READS))
def test_posting_to_a_page_that_only_reads_writes_nothing(
    name, clients, club, other_club, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = World(club, other_club)
    spec = TABLE[min(key for key in TABLE if url_name(key) == name)]  # one of the URL's rows
    url = reverse(name, kwargs=spec.kwargs(world) if spec.kwargs else None)
    before = db_snapshot()
    answers = {role: clients[role].post(url, {}).status_code for role in ROLES}
    assert 500 not in answers.values(), answers
    assert changed_tables(before, db_snapshot()) == [], f"{name}: a POST wrote ({answers})"
