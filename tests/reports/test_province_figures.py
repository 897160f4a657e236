"""The country's reports from sums kept per province: the same figures as computed live, never out of date.

A province's row (reports.club_figures.province_sums_many) is used while its clubs, their versions and the
composition standards are as they were: every change below must be seen by the next national report.
Kept on PostgreSQL only, as the club rows are.
"""

import datetime

import pytest
from django.utils import timezone

from clubs.models import Club, CompositionStandard
from places.models import AreaClass, Commune
from reports import club_figures
from reports.indicators import compute_groups
from reports.models import ClubFigures, ProvinceFigures
from reports.scope import Scope
from tests.conftest import make_club, make_member
from tests.reports.conftest import ON
from tests.reports.test_club_figures import CHANGES, live

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql(reason="figures are kept on PostgreSQL only")]

NATIONAL = ("total", "province")


def national(scope=None):
    return compute_groups(scope or Scope(), ON, None, NATIONAL)


def test_the_country_is_summed_per_province_and_read_back_the_same(dataset, lai_chau, thanh_hoa):
    first = national()
    assert set(ProvinceFigures.objects.values_list("province_id", flat=True)) == {lai_chau.pk, thanh_hoa.pk}
    assert first == live(Scope(), groupings=NATIONAL)
    assert first["total"][None]["members_total"] == first["province"][lai_chau.pk]["members_total"] + first[
        "province"
    ][thanh_hoa.pk]["members_total"]


def test_a_second_national_report_reads_no_club_row(dataset, monkeypatch):
    first = national()

    def not_needed(*args, **kwargs):
        raise AssertionError("a club row read where the province's sums are kept")

    monkeypatch.setattr(club_figures, "club_rows_many", not_needed)
    assert national() == first


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_kind_of_change_is_seen_by_the_next_national_report(dataset, change):
    national()
    change(dataset)
    assert national() == live(Scope(), groupings=NATIONAL)


def test_only_the_province_that_changed_is_summed_again(dataset, lai_chau, thanh_hoa, monkeypatch):
    national()
    stamps = dict(ProvinceFigures.objects.values_list("province_id", "stamp"))
    make_member(dataset.a, full_name="Lò Văn Mới", birth_year=1950, sex="M", joined_on=datetime.date(2026, 3, 2))
    read = []
    real = club_figures.club_rows_many
    monkeypatch.setattr(club_figures, "club_rows_many", lambda entries, scope, compute: read.append(scope.province and scope.province.pk)
                        or real(entries, scope, compute))  # fmt: skip
    again = national()
    assert read == [lai_chau.pk]  # the club rows of Lai Châu alone
    assert again == live(Scope(), groupings=NATIONAL)
    now = dict(ProvinceFigures.objects.values_list("province_id", "stamp"))
    assert now[thanh_hoa.pk] == stamps[thanh_hoa.pk] and now[lai_chau.pk] != stamps[lai_chau.pk]


def test_a_club_moved_to_another_province_or_created_or_removed_is_seen(dataset, lai_chau, thanh_hoa):
    national()
    other = Commune.objects.filter(province=thanh_hoa).exclude(pk=dataset.e.commune_id).first()
    Club.objects.filter(pk=dataset.a.pk).update(province=thanh_hoa, commune=other)
    assert national() == live(Scope(), groupings=NATIONAL)
    make_club(other, code="NEW", decision_date=datetime.date(2025, 1, 5), launched_on=datetime.date(2025, 2, 1))
    assert national() == live(Scope(), groupings=NATIONAL)
    gone = make_club(other, code="GONE", launched_on=datetime.date(2025, 1, 1))
    national()
    gone.funds.all().delete()
    gone.delete()
    after = national()
    assert after == live(Scope(), groupings=NATIONAL)
    assert after["total"][None]["clubs_total"] == live(Scope())["total"][None]["clubs_total"]


def test_an_edited_composition_standard_is_judged_afresh(dataset, lai_chau):
    before = national()
    CompositionStandard.objects.update_or_create(province=lai_chau, defaults={"members_min": 1, "women_pct_min": 0,
        "women_pct_max": 100, "older_pct_min": 0, "older_pct_max": 100, "younger_pct_min": 0, "younger_pct_max": 100,
        "poor_pct_min": 0, "poor_pct_max": 100, "volunteers_min": 0})  # fmt: skip
    after = national()
    assert after == live(Scope(), groupings=NATIONAL)
    assert after["province"][lai_chau.pk] != before["province"][lai_chau.pk]


def test_an_area_group_of_the_country_follows_its_communes(dataset, than_uyen):
    """A commune classed anew moves its clubs in or out of an area group with no club changed."""
    mountain = Scope().with_area_group("mountain")
    national(mountain)
    assert ClubFigures.objects.exists()
    Commune.objects.filter(pk=than_uyen.pk).update(area_class=AreaClass.PLAINS)
    after = national(mountain)
    assert after == live(mountain, groupings=NATIONAL)
    assert after != live(Scope(), groupings=NATIONAL)  # not the whole country either


def test_rows_nobody_asked_for_in_keep_days_are_forgotten_when_others_are_kept(dataset, lai_chau):
    old = timezone.now() - datetime.timedelta(days=club_figures.KEEP_DAYS + 1)
    ClubFigures.objects.create(club=dataset.a, key="rows|old", version=0, figures="[]")
    ProvinceFigures.objects.create(province=lai_chau, key="rows|old", stamp="-", figures="[]")
    ClubFigures.objects.filter(key="rows|old").update(computed_at=old)
    ProvinceFigures.objects.filter(key="rows|old").update(computed_at=old)
    national()
    assert not ClubFigures.objects.filter(key="rows|old").exists()
    assert not ProvinceFigures.objects.filter(key="rows|old").exists()
    assert ClubFigures.objects.exists() and ProvinceFigures.objects.exists()
