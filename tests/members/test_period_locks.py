"""Members joining or leaving and household statuses dated inside an approved period are refused (issue 16)."""

import pytest

from clubs.locks import PeriodLocked
from members.models import Member
from members.services import household_status_set, member_leave, member_move, member_rejoin, member_update
from tests.conftest import make_member
from tests.funds.conftest import D
from tests.period_locks import INSIDE, OUTSIDE, lock_h1, refused_outside_and_reopened, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def lock(club, tan_uyen, lai_chau_officer):
    return lock_h1(tan_uyen, lai_chau_officer)


def test_joining_inside_the_period_is_refused(club, lock, lai_chau_officer):
    refused_outside_and_reopened(
        lock,
        lai_chau_officer,
        lambda: make_member(club, full_name="Hà Thị Mới", joined_on=INSIDE),
        lambda: make_member(club, full_name="Hà Thị Sau", joined_on=OUTSIDE),
    )


def test_a_household_status_from_a_day_in_the_period_is_refused_at_joining_too(club, lock):
    before = snapshot()
    with pytest.raises(PeriodLocked):
        make_member(
            club, full_name="Hà Thị Nghèo", joined_on=OUTSIDE, household="poor", household_since=INSIDE
        )
    assert snapshot() == before


def test_leaving_inside_the_period_is_refused(club, member, lock, lai_chau_officer):
    other = make_member(club, full_name="Lò Văn Đi", sex="M")
    refused_outside_and_reopened(
        lock,
        lai_chau_officer,
        lambda: member_leave(member=member, left_on=INSIDE, reason="moved"),
        lambda: member_leave(member=other, left_on=OUTSIDE, reason="moved"),
    )


def test_moving_or_rejoining_inside_the_period_is_refused(club, other_club, member, lock, lai_chau_officer):
    # Moving leaves the locked commune's club: refused even though the new club's commune is open.
    refused_outside_and_reopened(
        lock,
        lai_chau_officer,
        lambda: member_move(member=Member.objects.get(pk=member.pk), to_club=other_club, moved_on=INSIDE),
    )
    gone = make_member(other_club, full_name="Lò Văn Về", sex="M")
    member_leave(member=gone, left_on=D(2025, 1, 1), reason="moved")
    lock = lock_h1(club.commune, lai_chau_officer)
    refused_outside_and_reopened(
        lock,
        lai_chau_officer,
        lambda: member_rejoin(member=Member.objects.get(pk=gone.pk), club=club, joined_on=INSIDE),
    )


def test_a_household_status_inside_the_period_is_refused(member, lock, lai_chau_officer):
    refused_outside_and_reopened(
        lock,
        lai_chau_officer,
        lambda: household_status_set(member=member, status="near_poor", valid_from=INSIDE),
        lambda: household_status_set(member=member, status="poor", valid_from=OUTSIDE),
    )


def test_a_join_date_is_not_moved_into_or_out_of_the_period_but_names_may_be_corrected(
    club, tan_uyen, lai_chau_officer
):
    joined = make_member(club, full_name="Nguyễn Văn Sửa", sex="M", joined_on=INSIDE)
    lock_h1(tan_uyen, lai_chau_officer)
    for day in (OUTSIDE, D(2026, 2, 1)):
        with pytest.raises(PeriodLocked):
            member_update(member=Member.objects.get(pk=joined.pk), joined_on=day)
    member_update(member=Member.objects.get(pk=joined.pk), full_name="Nguyễn Văn Sửa Tên")
    joined.refresh_from_db()
    assert (joined.full_name, joined.joined_on) == ("Nguyễn Văn Sửa Tên", INSIDE)
    assert joined.memberships.get().joined_on == INSIDE
