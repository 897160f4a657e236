import io

import openpyxl
import pytest
import tablib
from django.contrib.auth.models import Permission
from django.urls import reverse

from members.models import Member
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_the_member_admin_exports_the_import_headers(client_for, admin_user, club):
    member = make_member(club, full_name="Lò Thị Lan", birth_year=1950)
    Member.objects.filter(pk=member.pk).update(full_name="=cmd|' /C calc'!A0")  # past the check, as of old
    client = client_for(admin_user)
    url = reverse("admin:members_member_export")
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(url, {"format": "0", "resource": "0", "memberresource_full_name": "on"})
    assert response.status_code == 200, response.content[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Họ và tên", "Năm sinh")
    assert rows[1][1] == "'=cmd|' /C calc'!A0"  # neutralised
    assert client.get(reverse("admin:clubs_club_changelist")).status_code == 200


ADMINS = [("clubs_club", "clubs"), ("members_member", "members"), ("funds_loan", "loans"),
          ("funds_fundentry", "contributions")]  # fmt: skip


@pytest.mark.parametrize(("admin_name", "kind"), ADMINS)
def test_each_changelist_imports_through_the_import_page(client_for, admin_user, club, admin_name, kind):
    client = client_for(admin_user)
    changelist = client.get(reverse(f"admin:{admin_name}_changelist")).content.decode()
    import_url = reverse(f"admin:{admin_name}_import")
    assert f'<a href="{import_url}" class="import_link">Nhập từ tệp</a>' in changelist
    assert reverse(f"admin:{admin_name}_export") in changelist
    response = client.get(import_url)
    assert response.status_code == 302
    assert response.url == f"{reverse('sheets:upload')}?kind={kind}"
    page = client.get(response.url).content.decode()
    assert f'<option value="{kind}" selected>' in page
    # Import-export's own confirm step writes nothing: it too leads to the import page.
    assert client.post(reverse(f"admin:{admin_name}_process_import"), {}).url == response.url


def test_the_admin_import_is_for_administrators_only(client_for, staff):
    staff.is_staff = True  # may open the admin (say, to read), yet is no administrator
    staff.save(update_fields=["is_staff"])
    staff.user_permissions.add(Permission.objects.get(codename="view_member"))
    client = client_for(staff)
    changelist = client.get(reverse("admin:members_member_changelist"))
    assert changelist.status_code == 200 and "Nhập từ tệp" not in changelist.content.decode()
    assert client.get(reverse("admin:members_member_import")).status_code == 403


def test_the_resources_refuse_to_import():
    from sheets.resources import MemberResource

    with pytest.raises(NotImplementedError):
        MemberResource().import_data(tablib.Dataset(headers=["Họ và tên"]))
