import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import Household, LeaveReason, Member, Membership
from members.services import household_on, household_status_set, member_leave, member_move
from tests.conftest import make_member

pytestmark = pytest.mark.django_db
D = datetime.date


def test_creating_a_member_opens_a_membership(club):
    member = make_member(club, full_name="Nguye\u0302\u0303n  Thi\u0323 Hoa", household=Household.POOR)
    assert member.full_name == "Nguyễn Thị Hoa"  # composed and tidied
    assert member.search_key == "nguyen thi hoa"
    assert list(Membership.objects.filter(member=member).values_list("club_id", "left_on")) == [
        (club.pk, None)
    ]
    assert household_on(member, D(2024, 3, 1)) == Household.POOR


def test_a_citizen_id_must_have_12_digits(club):
    with pytest.raises(ValidationError) as error:
        make_member(club, citizen_id="12345")
    assert "citizen_id" in error.value.message_dict
    assert Member.objects.count() == 0


def test_leaving_closes_the_membership_and_keeps_the_person(member):
    member_leave(member=member, left_on=D(2025, 5, 1), reason=LeaveReason.DIED)
    member.refresh_from_db()
    assert member.left_on == D(2025, 5, 1)
    assert member.is_active_on(D(2025, 4, 30))
    assert not member.is_active_on(D(2025, 5, 1))
    assert Membership.objects.get(member=member).left_on == D(2025, 5, 1)


def test_moving_keeps_the_history(member, other_club, club):
    member_move(member=member, to_club=other_club, moved_on=D(2025, 1, 1))
    stays = list(
        Membership.objects.filter(member=member).order_by("joined_on").values_list("club_id", "left_on")
    )
    assert stays == [(club.pk, D(2025, 1, 1)), (other_club.pk, None)]
    member.refresh_from_db()
    assert member.club == other_club


def test_household_status_periods_do_not_overlap(member):
    household_status_set(member=member, status=Household.NEAR_POOR, valid_from=D(2022, 1, 1))
    household_status_set(member=member, status=Household.POOR, valid_from=D(2024, 6, 1))
    household_status_set(member=member, status=Household.NONE, valid_from=D(2023, 1, 1))
    rows = list(
        member.household_statuses.order_by("valid_from").values_list("status", "valid_from", "valid_to")
    )
    assert rows == [
        (Household.NEAR_POOR, D(2022, 1, 1), D(2022, 12, 31)),
        (Household.NONE, D(2023, 1, 1), D(2024, 5, 31)),
        (Household.POOR, D(2024, 6, 1), None),
    ]
    assert household_on(member, D(2023, 6, 1)) == Household.NONE
    assert household_on(member, D(2024, 6, 1)) == Household.POOR
    member.refresh_from_db()
    assert member.household == Household.POOR


def test_age_and_older_person_at_a_date(club):
    exact = make_member(club, birth_year=1966, birth_date=D(1966, 3, 15))
    year_only = make_member(club, full_name="Lò Văn Pẳng", birth_year=1966, sex="M")
    assert not exact.is_older_person(on=D(2026, 3, 14))
    assert exact.is_older_person(on=D(2026, 3, 15))
    assert year_only.is_older_person(on=D(2026, 1, 1))
    assert not year_only.is_older_person(on=D(2025, 12, 31))
    older = set(Member.objects.older_on(D(2026, 3, 15)).values_list("pk", flat=True))
    assert older == {exact.pk, year_only.pk}
    assert set(Member.objects.older_on(D(2026, 3, 14)).values_list("pk", flat=True)) == {year_only.pk}
