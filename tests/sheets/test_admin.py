import io

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_the_member_admin_exports_the_import_headers(client_for, admin_user, club):
    make_member(club, full_name="=cmd|' /C calc'!A0", birth_year=1950)
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
