"""The composition check against the ISHC standard, counted in the database at any date."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from clubs.models import Club, CompositionStandard
from members.composition import composition, composition_by_club
from members.models import Household, LeaveReason
from members.services import household_status_set, member_leave, member_move
from tests.conftest import make_club, make_member

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2026, 3, 15)


@pytest.fixture
def hand_built(club, other_club):
    """Six people around `club`; on 15/03/2026 five of them are in it."""
    make_member(club, full_name="Lò Thị Ún", birth_year=1950, household=Household.POOR)
    make_member(club, full_name="Tòng Thị Xương", birth_year=1966, birth_date=D(1966, 3, 15))  # 60 on ON
    changed = make_member(
        club,
        full_name="Nguyễn Văn Nam",
        birth_year=1990,
        sex="M",
        is_volunteer=True,
        household=Household.NEAR_POOR,
    )
    household_status_set(member=changed, status=Household.NONE, valid_from=D(2026, 1, 1))
    left = make_member(club, full_name="Giàng Thị Mỷ", birth_year=1980, household=Household.POOR)
    member_leave(member=left, left_on=D(2026, 1, 10), reason=LeaveReason.WITHDREW)
    mover = make_member(other_club, full_name="Lường Văn Pản", birth_year=1950, sex="M")
    member_move(member=mover, to_club=club, moved_on=D(2026, 2, 1))
    make_member(club, full_name="Vàng Thị Dua", birth_year=1985, household=Household.HARDSHIP)
    return club


def test_figures_on_the_date(hand_built):
    c = composition(hand_built, ON)
    # In: Ún, Xương (60 today), Nam, Pản (moved in), Dua. Out: Mỷ (left before the date).
    assert (c.members, c.women, c.older, c.younger) == (5, 3, 3, 2)
    # Nam's household stopped being near-poor on 01/01/2026; Mỷ (poor) had left.
    assert (c.poor, c.near_poor, c.hardship, c.disadvantaged) == (1, 0, 1, 2)
    assert c.volunteers == 1
    assert (c.women_pct, c.older_pct, c.younger_pct, c.disadvantaged_pct) == (
        Decimal("60.0"),
        Decimal("60.0"),
        Decimal("40.0"),
        Decimal("40.0"),
    )
    met = {criterion.key: criterion.met for criterion in c.criteria}
    assert met == {
        "members": False,  # 5 is not 50–70
        "women": True,
        "older": True,
        "younger": True,
        "disadvantaged": False,  # 40% is not 60–70%
        "volunteers": False,  # 1 < 5
    }
    assert not c.met


def test_the_day_before_someone_turns_60(hand_built):
    c = composition(hand_built, ON - datetime.timedelta(days=1))
    assert (c.members, c.older, c.younger) == (5, 2, 3)
    assert not c.criterion("older").met  # 40%


def test_the_labels_name_the_older_person_age_of_the_settings(hand_built):
    with override_settings(OLDER_PERSON_AGE=65):
        c = composition(hand_built, ON)
        assert c.criterion("older").label == "Người cao tuổi (từ 65 tuổi)"
        assert c.criterion("younger").label == "Người trẻ tuổi (dưới 65 tuổi)"
        with translation.override("en"):
            c = composition(hand_built, ON)
        assert c.criterion("older").label == "Older people (65 and over)"
        assert c.criterion("younger").label == "Younger people (under 65)"
    assert composition(hand_built, ON).criterion("older").label == "Người cao tuổi (từ 60 tuổi)"


def test_an_earlier_date_uses_the_status_and_memberships_of_that_date(hand_built, other_club):
    c = composition(hand_built, D(2025, 6, 1))
    # Mỷ was still in, Pản was still in the other club, Nam's household was near-poor.
    assert (c.members, c.poor, c.near_poor, c.hardship) == (5, 2, 1, 1)
    assert composition(other_club, D(2025, 6, 1)).members == 1
    assert composition(other_club, ON).members == 0


def test_a_province_standard_replaces_the_national_one(hand_built, lai_chau):
    CompositionStandard.objects.create(province=None, members_min=60)
    assert composition(hand_built, ON).criterion("members").minimum == 60
    CompositionStandard.objects.create(province=lai_chau, members_min=5, members_max=10, poor_pct_min=40)
    c = composition(hand_built, ON)
    assert c.criterion("members").met
    assert c.criterion("disadvantaged").met


def test_percentages_are_compared_exactly_not_after_rounding(club):
    # 2 women of 3 members = 66.67%: within 60–70; 1 of 3 = 33.3%: below 60.
    for i in range(2):
        make_member(club, full_name=f"Lò Thị {i}")
    make_member(club, full_name="Lò Văn A", sex="M")
    c = composition(club, ON)
    assert c.women_pct == Decimal("66.7")
    assert c.criterion("women").met


def test_a_club_without_members_meets_nothing(club):
    c = composition(club, ON)
    assert c.members == 0
    assert c.women_pct is None
    assert not any(criterion.met for criterion in c.criteria)


def test_a_club_meeting_every_criterion(club):
    # 50 members: 30 women, 30 older, 20 younger, 30 poor or near-poor, 5 volunteers.
    for i in range(50):
        make_member(
            club,
            full_name=f"Thành viên {i}",
            sex="F" if i < 30 else "M",
            birth_year=1950 if i % 5 < 3 else 1990,
            household=Household.POOR if i % 2 else (Household.NEAR_POOR if i % 10 < 2 else Household.NONE),
            is_volunteer=i < 5,
        )
    c = composition(club, ON)
    assert (c.members, c.women, c.older, c.volunteers) == (50, 30, 30, 5)
    assert c.disadvantaged == 30
    assert c.met


def test_bulk_runs_a_fixed_number_of_queries(tan_uyen, django_assert_num_queries):
    clubs = [make_club(tan_uyen) for _ in range(6)]
    for club in clubs:
        for i in range(3):
            make_member(club, full_name=f"Người {i}", household=Household.POOR)
    with django_assert_num_queries(3):
        result = composition_by_club(Club.objects.filter(commune=tan_uyen), ON)
    assert set(result) == {club.pk for club in clubs}
    assert all(c.members == 3 and c.poor == 3 for c in result.values())
    with django_assert_num_queries(3):
        composition_by_club(Club.objects.filter(pk=clubs[0].pk), ON)


def test_bulk_with_no_clubs_is_empty(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert composition_by_club(Club.objects.none(), ON) == {}
