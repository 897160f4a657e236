"""Figures stay on one line, inside their card or cell, at phone and desktop width: the dashboard's key
figures ("1.253.360.27 / 5 đ" was the fault) and the report page."""

import datetime

import pytest
from django.urls import reverse

from funds.models import EntryKind, FundKind, Source
from funds.services import fund_entry_add
from tests.browser.conftest import fits_the_screen, log_in, shoot
from tests.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db(transaction=True)

# Each non-breaking figure: the tops of its line boxes (one line: one top), and whether it runs out of the
# card or table cell it is in.
FIGURES_JS = """() => [...document.querySelectorAll('.text-nowrap')]
  .filter(e => /\\d/.test(e.textContent) && !e.closest('.table-responsive'))
  .concat([...document.querySelectorAll('.table-responsive .text-nowrap')].filter(e => /\\d/.test(e.textContent)))
  .map(e => {
    const tops = new Set([...e.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    const box = e.closest('.card-body, td, th');
    const out = box && e.getBoundingClientRect().right > box.getBoundingClientRect().right + 1;
    return {text: e.textContent, lines: tops.size, out: Boolean(out)};
  })"""


def test_figures_stay_on_one_line_in_their_card_or_cell(page, lai_chau_officer, club):
    fund_entry_add(
        fund=club.funds.get(kind=FundKind.INCOME),
        kind=EntryKind.CONTRIBUTION,
        amount=1_253_360_275,
        entry_date=datetime.date.today(),
        source=Source.STATE,
        recorded_by=None,
    )
    for name in ("Lường Thị Chơ", "Giàng A Páo", "Tẩn Thị Vân"):
        make_member(club, full_name=name)
    log_in(page, lai_chau_officer.username, PASSWORD)
    for url, name in [
        (reverse("home"), "figures-dashboard"),
        (reverse("reports:province", args=[12]), "figures-report"),
    ]:
        page.goto(f"{page.base_url}{url}")
        shoot(page, name)
        figures = page.evaluate(FIGURES_JS)
        assert "1.253.360.275 đ" in [figure["text"] for figure in figures], url
        assert [f for f in figures if f["lines"] != 1 or f["out"]] == [], url
        assert fits_the_screen(page), url
