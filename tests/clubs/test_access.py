"""Who may see and change places; the scoping function itself."""

import pytest
from django.urls import reverse

from clubs.access import area_of, scope
from places.models import AreaClass, Commune, Province
from tests.conftest import TAN_UYEN, THAN_UYEN

pytestmark = pytest.mark.django_db


def detail(code):
    return reverse("clubs:commune-detail", args=[code])


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(detail(TAN_UYEN))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_commune_staff_read_their_commune(client_for, staff):
    assert client_for(staff).get(detail(TAN_UYEN)).status_code == 200


def test_commune_staff_cannot_read_another_commune(client_for, staff):
    assert client_for(staff).get(detail(THAN_UYEN)).status_code == 404


def test_province_officer_reads_every_commune_of_the_province(client_for, lai_chau_officer):
    client = client_for(lai_chau_officer)
    assert client.get(detail(TAN_UYEN)).status_code == 200
    assert client.get(detail(THAN_UYEN)).status_code == 200


def test_lai_chau_officer_cannot_read_thanh_hoa(client_for, lai_chau_officer, thanh_hoa_commune):
    assert client_for(lai_chau_officer).get(detail(thanh_hoa_commune.code)).status_code == 404


def test_a_user_without_assignment_sees_nothing(client_for, nobody):
    client = client_for(nobody)
    assert client.get(detail(TAN_UYEN)).status_code == 404
    response = client.get(reverse("clubs:commune-list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_commune_list_is_scoped(client_for, staff, lai_chau_officer):
    codes = [c.code for c in client_for(staff).get(reverse("clubs:commune-list")).context["page"]]
    assert codes == [TAN_UYEN]
    page = client_for(lai_chau_officer).get(reverse("clubs:commune-list")).context["page"]
    assert page.paginator.count == Commune.objects.filter(province__code=12).count()


def test_commune_list_runs_a_fixed_number_of_queries(client_for, admin_user, django_assert_max_num_queries):
    client = client_for(admin_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("clubs:commune-list"))
    assert len(response.context["page"]) == 50


def test_only_admins_change_area_classes(client_for, admin_user, staff, lai_chau_officer):
    url = reverse("clubs:commune-area-edit", args=[TAN_UYEN])
    data = {"area_class": AreaClass.MOUNTAIN, "ethnic_minority_area": "on"}
    assert client_for(staff).post(url, data).status_code == 403
    assert client_for(lai_chau_officer).post(url, data).status_code == 403
    assert Commune.objects.get(code=TAN_UYEN).area_class == AreaClass.PLAINS
    response = client_for(admin_user).post(url, data)
    assert response.status_code == 302
    assert Commune.objects.get(code=TAN_UYEN).area_class == AreaClass.MOUNTAIN


def test_area_class_csv_upload_is_for_admins(client_for, admin_user, lai_chau_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("clubs:area-classes-upload")
    assert client_for(lai_chau_officer).get(url).status_code == 403
    upload = SimpleUploadedFile("vung.csv", "Mã xã,Vùng,DTTS\n3598,Miền núi,có\n".encode())
    response = client_for(admin_user).post(url, {"file": upload})
    assert response.status_code == 302
    assert Commune.objects.get(code=TAN_UYEN).area_class == AreaClass.MOUNTAIN


def test_area_class_csv_errors_are_shown_and_nothing_changes(client_for, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("vung.csv", "3598,Miền núi,có\n3388,Sa mạc,không\n".encode())
    response = client_for(admin_user).post(reverse("clubs:area-classes-upload"), {"file": upload})
    assert response.status_code == 200
    assert "Dòng 2" in response.content.decode()
    assert Commune.objects.get(code=TAN_UYEN).area_class == AreaClass.PLAINS


def test_area_of_combines_several_assignments(staff, lai_chau, thanh_hoa):
    from clubs.models import Assignment, Role

    Assignment.objects.create(user=staff, role=Role.PROVINCE_OFFICER, province=thanh_hoa)
    area = area_of(type(staff).objects.get(pk=staff.pk))
    assert area.province_ids == {thanh_hoa.id}
    assert area.commune_ids == {Commune.objects.get(code=TAN_UYEN).id}
    provinces = scope(Province.objects.all(), staff)
    assert set(provinces.values_list("code", flat=True)) == {12, 38}


def test_admin_sees_everything(admin_user):
    assert scope(Commune.objects.all(), admin_user).count() == 3321
