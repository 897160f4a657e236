"""The printed report as a reader gets it, read back character by character (tests/reports/pdf_layout.py):
no character outside its table cell or the page's margins, no number split over two lines, the type sizes
and the letterhead of Nghị định 30/2020 — for the real demo province (Lai Châu, as `make run` loads it),
a generated 150-club province, the national roll-up of each, and the widest figures a report can hold.
"""

import dataclasses
import datetime

import pytest

from devdata.demo_accounts import demo_users_create
from devdata.demo_funds import demo_funds_create
from devdata.demo_life import demo_life_create
from devdata.demo_members import demo_register_create
from devdata.generate import generate_data, reset_generated
from places.models import Province
from reports.catalogue import BY_CODE, Unit
from reports.exports import ANNEX_COMMUNES_MAX, lists_clubs, prints_commune_annex, report_pdf
from reports.plans import plans_load
from reports.progress import ProgressReport, build_report, default_plan
from reports.scope import Scope
from tests.conftest import LAI_CHAU, THANH_HOA, places_present
from tests.reports.pdf_layout import read

A4_PORTRAIT, A4_LANDSCAPE = (595, 842), (842, 595)
UNTIL = datetime.date(2026, 6, 30)


def printed(scope: Scope, on: datetime.date) -> tuple[ProgressReport, bytes]:
    """The report as the PDF link serves it: the plan running then, the annex by club when it fits."""
    report = build_report(
        scope, on, plan=default_plan(scope, on), with_clubs=lists_clubs("pdf", scope, on), document_date=on
    )
    return report, report_pdf(report)


def assert_printed_well(report: ProgressReport, content: bytes) -> None:
    printed = read(content)
    assert printed.problems == []

    # Nghị định 30/2020: body 13–14 pt; the report's tables 11 pt at least, the annexes (landscape, up
    # to 14 columns) 9 pt at least; chart labels scaled to the page no smaller than 7.5 pt.
    sizes = printed.sizes
    assert 13 <= sizes.body <= 14, sizes
    assert sizes.tables >= 11, sizes
    assert sizes.annex_tables >= 9 or sizes.annex_tables == 0, sizes
    assert sizes.smallest >= 7.5, sizes

    # The issuing body breaks between its parts, never inside one ("TỈNH LAI / CHÂU").
    lines = printed.letterhead
    assert " ".join(lines) == " ".join(report.issuer_parts)
    parts = iter(report.issuer_parts)
    for line in lines:
        taken = next(parts)
        while taken != line:
            assert line.startswith(taken + " "), (line, report.issuer_parts)
            taken += " " + next(parts)

    # Portrait pages for the report, landscape ones for its annexes, all A4.
    pages = printed.pages
    portrait = pages.index(A4_LANDSCAPE) if A4_LANDSCAPE in pages else len(pages)
    assert set(pages[:portrait]) == {A4_PORTRAIT} and set(pages[portrait:]) <= {A4_LANDSCAPE}
    annexes = bool(report.provinces or report.clubs or prints_commune_annex(report))
    assert (portrait < len(pages)) == annexes


@pytest.fixture
def demo(db):
    """The demo province as `make run` loads it (devdata's loaders, as tests/devdata use them)."""
    demo_users_create()
    demo_register_create()
    demo_funds_create()
    demo_life_create()
    plans_load()


def test_the_demo_province_and_its_national_roll_up_print_within_their_cells_and_margins(demo):
    today = datetime.date.today()
    for scope in (Scope(province=Province.objects.get(code=LAI_CHAU)), Scope()):
        report, content = printed(scope, today)
        assert report.plan is not None and report.clubs  # targets, and the annex by club
        assert_printed_well(report, content)


@pytest.fixture(scope="module")
def province_of_150_clubs(django_db_setup, django_db_blocker):
    """150 generated clubs in Thanh Hóa (`generate_data --scale 150-clubs`), made once for the module and
    removed after it, as tests/scale do."""
    from reports.models import Plan

    with django_db_blocker.unblock():
        places_present()  # a transactional test before may have emptied them
        plans_before = set(Plan.objects.values_list("pk", flat=True))
        generate_data(scale="150-clubs", seed=11, until=UNTIL)
    yield
    with django_db_blocker.unblock():
        reset_generated()
        Plan.objects.exclude(pk__in=plans_before).delete()


@pytest.mark.django_db
def test_a_province_of_150_clubs_and_the_national_roll_up_print_within_their_cells_and_margins(
    province_of_150_clubs,
):
    """One test for everything printed from the generated province, so that it is generated once (two
    tests sharing the module's fixture were sometimes run apart, and it was made twice: 20–55 s each)."""
    thanh_hoa = Scope(province=Province.objects.get(code=THANH_HOA))
    report, content = printed(thanh_hoa, UNTIL)
    assert len(report.clubs) > 140 and len(report.communes) > 50  # a few dissolved by then
    assert_printed_well(report, content)

    report, content = printed(Scope(), UNTIL)
    assert len(report.clubs) > 140 and len(report.provinces) == 34
    assert_printed_well(report, content)

    # A province too large for the annex by club, with more communes than a short annex: the summary alone.
    report = build_report(thanh_hoa, UNTIL, plan=default_plan(thanh_hoa, UNTIL), document_date=UNTIL)
    assert report.clubs is None and len(report.communes) > ANNEX_COMMUNES_MAX
    content = report_pdf(report)
    assert_printed_well(report, content)
    assert set(read(content).pages) == {A4_PORTRAIT}

    _the_widest_figures_a_report_can_hold_stay_in_their_cells()


# The widest figures each table is laid out for (templates/reports/progress_pdf.html): a province's or
# the nation's totals up to 999.999.999.999 đ and 9.999.999 members, a club's up to 9.999.999.999 đ.
WIDEST = {Unit.VND: 999_999_999_999, Unit.COUNT: 9_999_999, Unit.PERCENT: 100.0, Unit.RATIO: 999.9}
WIDEST_CLUB = {Unit.VND: 9_999_999_999, Unit.COUNT: 999, Unit.PERCENT: 66.7, Unit.RATIO: 99.9}


def _widest(values: dict, widest: dict) -> dict:
    return {code: widest[BY_CODE[code].unit] if code in BY_CODE else value for code, value in values.items()}


def _the_widest_figures_a_report_can_hold_stay_in_their_cells():
    """The commune annex is the province annex's table (the same columns), so one province covers both."""
    scope = Scope(province=Province.objects.get(code=THANH_HOA))
    report = build_report(scope, UNTIL, plan=default_plan(scope, UNTIL), with_clubs=True, document_date=UNTIL)
    widest = dataclasses.replace(
        report,
        indicators=_widest(report.indicators, WIDEST),
        communes=[(commune, _widest(values, WIDEST)) for commune, values in report.communes],
        clubs=[(club, _widest(values, WIDEST_CLUB)) for club, values in report.clubs[:40]],
    )
    for row in widest.targets:
        row.actual = row.projection = WIDEST[row.indicator.unit]
        if row.indicator.unit == Unit.VND:
            row.target.value = WIDEST[Unit.VND]
    assert_printed_well(widest, report_pdf(widest))
