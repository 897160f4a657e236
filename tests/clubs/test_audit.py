import datetime

import pytest
from django.template import Context, Template

from members.models import Household
from members.services import household_status_set

pytestmark = pytest.mark.django_db


def render_history(obj):
    return Template("{% load audit %}{% change_history obj %}").render(Context({"obj": obj}))


def test_the_history_shows_who_changed_which_field(club, staff):
    club.name = "CLB bản Nà Cóc mới"
    club._history_user = staff
    club.save()
    html = render_history(club)
    assert "Lịch sử thay đổi" in html
    assert "tên CLB" in html
    assert "CLB bản Nà Cóc mới" in html
    assert "xa.tanuyen" in html  # the staff fixture's full name is its user name
    assert "Tạo mới" in html


def test_household_status_changes_are_recorded(member):
    household_status_set(member=member, status=Household.POOR, valid_from=datetime.date(2025, 1, 1))
    row = member.household_statuses.get()
    assert row.history.count() == 1
    assert "Tạo mới" in render_history(row)


def test_the_history_panel_runs_a_fixed_number_of_queries(club, django_assert_max_num_queries):
    for number in range(10):
        club.notes = f"ghi chú {number}"
        club.save()
    with django_assert_max_num_queries(1):
        render_history(club)
