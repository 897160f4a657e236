"""The national role (Trung ương Hội): reads every province, edits, imports and manages nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from clubs.access import area_of, can_edit, require_register_writer, scope
from clubs.models import Assignment, Club, Role
from sheets.jobs import importable_club_ids
from tests.conftest import LAI_CHAU, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(db):
    return make_user("trunguong", Role.NATIONAL)


def test_the_national_level_reads_every_province(national, club, thanh_hoa_club):
    area = area_of(national)
    assert area.is_national and not area.is_admin and not area.is_empty
    assert set(scope(Club.objects.all(), national)) == {club, thanh_hoa_club}
    assert area.covers(province_id=thanh_hoa_club.province_id, commune_id=thanh_hoa_club.commune_id)


def test_the_national_level_changes_nothing(national, club):
    area = area_of(national)
    assert not can_edit(national, club)
    assert not area.can_manage_province(club.province_id)
    with pytest.raises(PermissionDenied):
        require_register_writer(national)
    assert importable_club_ids(national) == frozenset()


def test_a_national_user_with_a_province_imports_only_there(national, club, thanh_hoa_club):
    Assignment.objects.create(user=national, role=Role.PROVINCE_OFFICER, province=club.province)
    assert importable_club_ids(type(national).objects.get(pk=national.pk)) == frozenset({club.pk})


def test_the_national_level_cannot_open_write_pages(client_for, national, club):
    client = client_for(national)
    assert client.get(reverse("clubs:club-detail", args=[club.pk])).status_code == 200
    assert client.get(reverse("clubs:club-edit", args=[club.pk])).status_code == 403
    assert client.post(reverse("clubs:club-edit", args=[club.pk]), {"name": "X"}).status_code == 403
    assert client.get(reverse("members:member-create")).status_code == 403
    assert client.get(reverse("sheets:upload")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302  # not staff: sent to the admin login
    club.refresh_from_db()
    assert club.name != "X"


def test_the_national_role_holds_no_place(lai_chau):
    user = make_user("sai")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(user=user, role=Role.NATIONAL, province=lai_chau)
    assert not Assignment.objects.filter(user=user).exists()
    assert LAI_CHAU == lai_chau.code
