"""Abbreviations (issue 17): said in full at their first use in running text, explained in a tooltip
(<abbr title>) wherever else they stand."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_club_page_says_what_par30_is_and_explains_tnv(client_for, staff, club, member):
    page = client_for(staff).get(reverse("clubs:club-detail", args=[club.pk])).content.decode()
    assert 'tabindex="0">PAR30</abbr> (dư nợ quá hạn trên 30 ngày):' in page
    assert '<th><abbr title="tình nguyện viên" tabindex="0">TNV</abbr></th>' in page


def test_the_fund_page_says_what_par30_is(client_for, staff, club):
    page = client_for(staff).get(reverse("funds:club-funds", args=[club.pk])).content.decode()
    assert "Nợ có rủi ro <abbr" in page and "PAR30</abbr> (dư nợ quá hạn trên 30 ngày)" in page


def test_the_ratings_page_says_what_nct_is(client_for, staff, club):
    page = client_for(staff).get(reverse("life:ratings", args=[club.pk])).content.decode()
    assert 'tabindex="0">NCT</abbr> (người cao tuổi) tỉnh hoặc quản trị viên ghi.' in page
