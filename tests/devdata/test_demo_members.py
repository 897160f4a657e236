"""The Lai Châu demo register: the province's reported figures, consistency, and a second run that adds nothing."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Count, Q

from clubs.models import BoardMembership, Club, Team
from devdata.demo_members import demo_register_create
from members.composition import composition_by_club
from members.models import Household, HouseholdStatus, Member, Membership, active_on_q, household_on_q
from members.services import household_on
from places.models import AreaClass, Commune
from tests.conftest import places_present

pytestmark = pytest.mark.django_db
D = datetime.date


def _members_on(on):
    return Member.objects.filter(
        memberships__in=Membership.objects.filter(active_on_q(on), club__code__startswith="LCH-")
    )


def _board_on(on):
    return BoardMembership.objects.filter(from_date__lte=on).filter(
        Q(to_date__isnull=True) | Q(to_date__gte=on)
    )


@pytest.fixture(scope="module")
def _demo_register(django_db_setup, django_db_blocker):
    """The register is made once for the module's tests, in a transaction undone after the last one
    (each test runs in a savepoint inside it, as usual, so what one test writes the next does not see)."""
    with django_db_blocker.unblock(), transaction.atomic():
        places_present()  # a transactional test before may have emptied them
        assert demo_register_create() > 800
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_register, db):
    return Club.objects.filter(code__startswith="LCH-")


def test_the_june_2019_figures(demo):
    on = D(2019, 6, 30)
    members = _members_on(on)
    assert demo.active_on(on).count() == 18
    assert members.count() == 800
    assert members.exclude(ethnicity=1).count() == 536  # 67% ethnic minority
    assert members.filter(birth_year__lte=1963).count() == 512  # 64% over 55
    assert members.filter(household_on_q(on, [Household.POOR])).count() == 36
    assert members.filter(household_on_q(on, [Household.NEAR_POOR])).count() == 92
    assert _board_on(on).count() == 92
    compositions = composition_by_club(demo, on)
    assert sum(c.members for c in compositions.values()) == 800
    assert sum(c.poor for c in compositions.values()) == 36
    assert sum(c.near_poor for c in compositions.values()) == 92


def test_the_may_2018_figures(demo):
    on = D(2018, 5, 31)
    members = _members_on(on)
    assert demo.active_on(on).count() == 4
    assert members.count() == 196
    assert members.exclude(ethnicity=1).count() == 98  # 50%
    assert members.filter(household_on_q(on, [Household.POOR])).count() == 16  # 8%
    assert members.filter(household_on_q(on, [Household.NEAR_POOR])).count() == 29  # 15%
    assert _board_on(on).count() == 22


def test_the_register_lives_on_after_2019(demo):
    assert Member.objects.filter(left_on__isnull=False).count() >= 15
    moved = Member.objects.annotate(stays=Count("memberships")).filter(stays=2)
    assert moved.count() == 4
    assert BoardMembership.objects.filter(to_date__isnull=False).count() == 3  # three chairs replaced
    changed = HouseholdStatus.objects.filter(valid_from=D(2022, 1, 1)).count()
    assert changed > 30
    # Two clubs meet the whole standard at the start of 2026 (the others are too small, as in 2019).
    met = [c for c in composition_by_club(demo, D(2026, 1, 1)).values() if c.met]
    assert len(met) == 2
    # Each club has its specialised teams and neighbourhood groups.
    assert Team.objects.filter(kind="team").count() == 18 * 4
    assert Team.objects.filter(kind="group").count() > 150


def test_the_history_tables_agree_with_the_members(demo):
    today = datetime.date.today()
    for member in Member.objects.prefetch_related("memberships", "household_statuses"):
        stays = sorted(member.memberships.all(), key=lambda s: s.joined_on)
        last = stays[-1]
        assert (last.club_id, last.joined_on, last.left_on) == (
            member.club_id,
            member.joined_on,
            member.left_on,
        )
        assert all(s.left_on is not None for s in stays[:-1])
        periods = sorted(member.household_statuses.all(), key=lambda p: p.valid_from)
        for earlier, later in zip(periods, periods[1:], strict=False):
            assert earlier.valid_to is not None and earlier.valid_to < later.valid_from
        assert member.household == household_on(member, today)
    for seat in BoardMembership.objects.select_related("member"):
        assert seat.member.memberships.filter(active_on_q(seat.from_date), club=seat.club_id).exists()


def test_names_and_codes_look_real(demo):
    assert list(demo.values_list("code", flat=True)[:3]) == ["LCH-001", "LCH-002", "LCH-003"]
    first = demo.get(code="LCH-001")
    assert first.commune.code == 3598  # Xã Tân Uyên: the demo commune-staff account's area
    assert first.legacy_commune.name == "Xã Trung Đồng"
    assert first.legacy_address == "xã Trung Đồng, huyện Tân Uyên, tỉnh Lai Châu"
    assert demo.filter(commune__code=3598).count() >= 3
    assert demo.values("commune").distinct().count() >= 10
    surnames = set(Member.objects.values_list("full_name", flat=True))
    assert any(n.startswith(("Giàng ", "Sùng ", "Vàng ")) for n in surnames)  # H'Mông
    assert any(n.startswith(("Lò ", "Lường ", "Tòng ")) for n in surnames)  # Thái
    citizen_ids = [c for c in Member.objects.values_list("citizen_id", flat=True) if c]
    assert len(citizen_ids) > 200 and all(len(c) == 12 and c.isdigit() for c in citizen_ids)
    for member in Member.objects.all()[:100]:
        member.full_clean()


def test_lai_chau_communes_get_area_classes(demo):
    communes = Commune.objects.filter(province__code=12)
    assert not communes.filter(area_class=AreaClass.PLAINS).exists()
    assert communes.filter(area_class=AreaClass.BORDER).exists()
    assert communes.get(code=3598).ethnic_minority_area


def test_a_second_run_creates_nothing(demo, django_assert_max_num_queries):
    counts = (Club.objects.count(), Member.objects.count(), Membership.objects.count(), Team.objects.count())
    with django_assert_max_num_queries(5):
        assert demo_register_create() == 0
    assert (
        Club.objects.count(),
        Member.objects.count(),
        Membership.objects.count(),
        Team.objects.count(),
    ) == counts
