"""The member list's paging at scale: exact counts for small results, "more than N" past the cap,
name order either way, and the list figures computed for the page's rows only."""

import datetime

import pytest

from members import selectors
from members.models import Member
from tests.conftest import make_member

pytestmark = pytest.mark.django_db
NAMES = [
    "Nguyễn Thị Hoa",
    "Lò Văn Páo",
    "Trần Thị Mai",
    "Nguyễn Văn An",
    "Giàng A Sử",
    "Lê Thị Lan",
    "Bùi Văn Hải",
]


@pytest.fixture
def seven(club):
    return [make_member(club, full_name=name) for name in NAMES]


def page_names(number, per_page=3):
    page, members, _sort = selectors.member_page(
        Member.objects.all(), number=number, on=datetime.date.today(), per_page=per_page
    )
    return page, [m.full_name for m in members]


def test_few_matches_are_counted_exactly_and_sorted_by_name(seven):
    page, names = page_names(1)
    assert page.paginator.count == 7 and not page.paginator.capped
    assert names == ["Bùi Văn Hải", "Giàng A Sử", "Lê Thị Lan"]
    assert page_names(3)[1] == ["Trần Thị Mai"]


def test_past_the_cap_the_list_says_more_and_still_pages_by_name(seven, monkeypatch):
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 4)
    page, names = page_names(1)
    assert page.paginator.capped and page.paginator.count == 4
    assert names == ["Bùi Văn Hải", "Giàng A Sử", "Lê Thị Lan"]
    assert page_names(2)[1] == ["Lò Văn Páo"]


def test_page_members_carry_the_list_figures(seven, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        _page, members, _sort = selectors.member_page(
            Member.objects.all(), number=1, on=datetime.date.today(), per_page=50
        )
        assert {m.household_today for m in members} == {"none"}
        assert not any(m.on_board for m in members)
        assert {m.club.code for m in members} == {"LCH-TU-01"}


def test_the_list_page_says_when_there_are_more(client_for, admin_user, seven, monkeypatch):
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 4)
    response = client_for(admin_user).get("/members/")
    assert "Hơn 4 thành viên" in response.content.decode()
