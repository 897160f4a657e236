import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from places.models import AreaClass, Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province
from places.services import area_classes_set_from_csv, load_places

pytestmark = pytest.mark.django_db


def test_it_loads_the_current_and_legacy_units():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert Commune.objects.filter(division_type="đặc khu").count() == 13
    assert LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == 696
    assert LegacyCommune.objects.count() == 10051


def test_a_second_run_changes_nothing():
    before = list(Commune.objects.order_by("code").values_list("code", "name", "province__code"))
    result = load_places()
    assert not result.changed
    assert all(created == updated == 0 for _total, created, updated in result.counts.values())
    assert list(Commune.objects.order_by("code").values_list("code", "name", "province__code")) == before


def test_the_command_reports_nothing_changed():
    out = io.StringIO()
    call_command("load_places", stdout=out)
    assert "nothing changed" in out.getvalue()


def test_it_restores_a_changed_name_but_keeps_the_area_class():
    commune = Commune.objects.get(code=3598)
    Commune.objects.filter(pk=commune.pk).update(name="Sai tên", area_class=AreaClass.MOUNTAIN)
    result = load_places()
    commune.refresh_from_db()
    assert commune.name == "Xã Tân Uyên"
    assert commune.area_class == AreaClass.MOUNTAIN
    assert result.counts["communes"] == (3321, 0, 1)


def test_legacy_and_current_codes_do_not_collide():
    # Code 4 is Phường Ba Đình today and was Phường Trúc Bạch before July 2025.
    assert Commune.objects.get(code=4).name == "Phường Ba Đình"
    truc_bach = LegacyCommune.objects.get(code=4)
    assert truc_bach.name == "Phường Trúc Bạch"
    assert truc_bach.district.name == "Quận Ba Đình"
    assert list(truc_bach.current_communes.values_list("code", flat=True)) == [4]


def test_split_legacy_communes_point_at_every_current_commune():
    split = LegacyCommune.objects.filter(was_split=True)
    assert split.count() > 400
    sample = split.first()
    assert sample.current_communes.count() > 1


def test_legacy_provinces_know_their_current_province():
    lai_chau = LegacyProvince.objects.get(code=12)
    assert lai_chau.current_province.code == 12
    assert LegacyProvince.objects.filter(current_province__isnull=True).count() == 0


def test_area_classes_from_csv():
    text = "Mã xã,Phân loại vùng,Vùng DTTS\n3598,Miền núi,có\n3388,Đồng bằng,không\n"
    assert area_classes_set_from_csv(text) == 1
    tan_uyen = Commune.objects.get(code=3598)
    assert (tan_uyen.area_class, tan_uyen.ethnic_minority_area) == (AreaClass.MOUNTAIN, True)
    assert area_classes_set_from_csv(text) == 0


def test_a_bad_area_class_row_changes_nothing():
    text = "3598,Miền núi,có\n3388,Cao nguyên,không\n999999,Hải đảo,không\n"
    with pytest.raises(ValidationError) as error:
        area_classes_set_from_csv(text)
    messages = error.value.messages
    assert any("Dòng 2" in m for m in messages)
    assert any("999999" in m for m in messages)
    assert Commune.objects.get(code=3598).area_class == AreaClass.PLAINS
