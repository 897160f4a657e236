"""`manage.py set_area_classes FILE`: communes' area classes from a CSV, all rows or none."""

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from places.models import AreaClass, Commune

pytestmark = pytest.mark.django_db
TAN_UYEN, THAN_UYEN = 3598, 3595


def _area(code: int) -> tuple[str, bool]:
    commune = Commune.objects.get(code=code)
    return commune.area_class, commune.ethnic_minority_area


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str):
        path = tmp_path / "vung.csv"
        path.write_text(text, encoding="utf-8-sig")  # as Excel saves "CSV UTF-8"
        return path

    return write


def test_it_sets_the_area_classes(csv_file, capsys):
    path = csv_file("Mã xã,Phân loại vùng,Vùng DTTS\n3598,Miền núi,có\n3595,Biên giới,Không\n")
    call_command("set_area_classes", str(path))
    assert capsys.readouterr().out.strip() == "2 communes changed."
    assert _area(TAN_UYEN) == (AreaClass.MOUNTAIN, True)
    assert _area(THAN_UYEN) == (AreaClass.BORDER, False)
    call_command("set_area_classes", str(path))  # a second run changes nothing
    assert capsys.readouterr().out.strip() == "0 communes changed."


def test_bad_rows_are_named_in_vietnamese_and_nothing_is_written(csv_file, capsys):
    before = _area(TAN_UYEN)
    path = csv_file(
        "3598,Miền núi,có\n3595,Cao nguyên,không\nabc,Hải đảo,không\n3598,Hải đảo,chưa rõ\n999999,Hải đảo,có\n"
    )
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("set_area_classes", str(path))
    errors = capsys.readouterr().err
    assert "Dòng 2: phân loại vùng phải là Đồng bằng, Miền núi, Biên giới hoặc Hải đảo." in errors
    assert "Dòng 3: mã xã “abc” không phải là số." in errors
    assert "Dòng 4: cột vùng DTTS phải là “có” hoặc “không”." in errors
    assert "Không có xã/phường nào mang mã 999999." in errors
    assert _area(TAN_UYEN) == before  # row 1 was valid, but nothing is written when any row is bad


def test_bad_rows_end_the_command_with_exit_code_1(csv_file, capsys):
    path = csv_file("3598,Cao nguyên,có\n")
    with pytest.raises(SystemExit) as exit:
        ManagementUtility(["manage.py", "set_area_classes", str(path)]).execute()
    assert exit.value.code == 1
    assert "Dòng 1: phân loại vùng" in capsys.readouterr().err
