"""The member import for the people who hold the sheets: commune staff into their own clubs,
province officers into their province's clubs, admins anywhere; the preview shows rows as understood."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member
from sheets.models import ImportJob, JobStatus
from tests.sheets.builders import write_xlsx
from tests.snapshots import changed_tables, db_snapshot

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Hoàn cảnh gia đình"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, tmp_path, rows, **data):
    path = write_xlsx(tmp_path / "ds.xlsx", rows)
    upload = SimpleUploadedFile("ds.xlsx", path.read_bytes(), content_type=XLSX)
    return client.post(reverse("sheets:upload"), {"kind": "members", "file": upload, **data})


ROWS = [
    HEADER,
    ["Lò Thị Mai", datetime.date(1950, 3, 7), "Nữ", "Hộ nghèo"],
    ["Giàng A Páo", "12/11/1949", "nam", "CN"],
]


def test_commune_staff_import_members_into_their_own_club(client_for, staff, club, tmp_path):
    client = client_for(staff)
    response = _upload(client, tmp_path, ROWS, club=club.pk)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.READY and job.created_by == staff
    page = client.get(reverse("sheets:job", args=[job.pk])).content.decode()
    # Each column and what it is read as; the first rows with the parsed date, sex and household.
    assert "<td>B (Ngày sinh)</td><td>Ngày sinh</td>" in page
    assert (
        "<td>2</td><td>Lò Thị Mai</td><td>07/03/1950</td><td>Nữ</td><td>Hộ nghèo</td><td>LCH-TU-01</td>"
        in page
    )
    assert "<td>3</td><td>Giàng A Páo</td><td>12/11/1949</td><td>Nam</td><td>Hộ cận nghèo</td>" in page
    assert Member.objects.count() == 0
    client.post(reverse("sheets:job-commit", args=[job.pk]))
    assert set(Member.objects.filter(club=club).values_list("full_name", flat=True)) == {
        "Lò Thị Mai",
        "Giàng A Páo",
    }


def test_the_preview_shows_every_error_and_the_rows_they_belong_to(client_for, staff, club, tmp_path):
    client = client_for(staff)
    rows = [HEADER, ["Lò Thị Mai", "31/02/1950", "Nữ", "Giàu"], ["Giàng A Páo", "12/11/1949", "nam", ""]]
    _upload(client, tmp_path, rows, club=club.pk)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID
    preview = job.report["preview"]
    assert [r["row"] for r in preview] == [2, 3]
    assert len(preview[0]["errors"]) == 2 and preview[1]["errors"] == []
    assert (preview[1]["birth"], preview[1]["sex"], preview[1]["household"]) == ("12/11/1949", "Nam", "—")
    page = client.get(reverse("sheets:job", args=[job.pk])).content.decode()
    assert '<tr class="table-danger"><td>2</td><td>Lò Thị Mai</td><td>—</td>' in page
    assert "Giàu" in page and "D (Hoàn cảnh gia đình)" in page  # in the error list as well


def test_a_province_officer_imports_into_a_club_of_their_province(
    client_for, lai_chau_officer, other_club, tmp_path
):
    client = client_for(lai_chau_officer)
    assert _upload(client, tmp_path, ROWS, club=other_club.pk).status_code == 302
    job = ImportJob.objects.get()
    client.post(reverse("sheets:job-commit", args=[job.pk]))
    assert Member.objects.filter(club=other_club).count() == 2


def test_staff_cannot_choose_a_club_of_another_commune(client_for, staff, other_club, tmp_path):
    client = client_for(staff)  # logging in writes last_login
    before = db_snapshot()
    response = _upload(client, tmp_path, ROWS, club=other_club.pk)
    assert response.status_code == 200 and response.context["form"].errors["club"]
    assert changed_tables(before, db_snapshot()) == []


def test_an_officer_cannot_choose_a_club_of_another_province(client_for, thanh_hoa_officer, club, tmp_path):
    response = _upload(client_for(thanh_hoa_officer), tmp_path, ROWS, club=club.pk)
    assert response.status_code == 200 and response.context["form"].errors["club"]
    assert ImportJob.objects.count() == 0


def test_the_club_list_holds_only_the_users_clubs(client_for, staff, club, other_club):
    page = client_for(staff).get(reverse("sheets:upload")).content.decode()
    assert f'<option value="{club.pk}">CLB LTHTGN bản Nà Cóc (LCH-TU-01)</option>' in page
    assert other_club.code not in page


def test_a_club_code_column_naming_a_club_outside_the_area_is_an_error(
    client_for, staff, club, other_club, tmp_path
):
    client = client_for(staff)
    rows = [[*HEADER, "Mã CLB"], ["Lò Thị Mai", "07/03/1950", "Nữ", "", club.code],
            ["Giàng A Páo", "12/11/1949", "nam", "", other_club.code]]  # fmt: skip
    _upload(client, tmp_path, rows)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID
    assert {
        "row": 3,
        "column": "E (Mã CLB)",
        "message": "CLB “LCH-THU-01” không thuộc địa bàn của bạn.",
    } in job.report["errors"]
    client.post(reverse("sheets:job-commit", args=[job.pk]))
    assert Member.objects.count() == 0


def test_a_citizen_id_of_a_member_outside_the_area_is_not_named(
    client_for, staff, club, other_club, tmp_path
):
    from tests.conftest import make_member

    make_member(other_club, full_name="Hà Thị Xuân", citizen_id="012345678901")
    rows = [[*HEADER, "Số CCCD"], ["Lò Thị Mai", "07/03/1950", "Nữ", "", "012345678901"]]
    _upload(client_for(staff), tmp_path, rows, club=club.pk)
    messages = [e["message"] for e in ImportJob.objects.get().report["errors"]]
    assert messages == ["Số CCCD 012345678901 đã là của một thành viên ở CLB ngoài địa bàn của bạn."]


def test_only_admins_import_the_other_kinds(client_for, staff, tmp_path):
    path = write_xlsx(tmp_path / "clb.xlsx", [["Mã CLB", "Tên CLB"], ["LCH-TU-09", "CLB mới"]])
    upload = SimpleUploadedFile("clb.xlsx", path.read_bytes(), content_type=XLSX)
    response = client_for(staff).post(reverse("sheets:upload"), {"kind": "clubs", "file": upload})
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    assert ImportJob.objects.count() == 0


def test_the_import_rechecks_the_area_when_it_writes(client_for, staff, club, tmp_path):
    """An assignment removed between the preview and the confirmation: nothing is written."""
    client = client_for(staff)
    _upload(client, tmp_path, ROWS, club=club.pk)
    job = ImportJob.objects.get()
    staff.assignments.update(commune=other_commune_id(club))
    client.post(reverse("sheets:job-commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.INVALID and Member.objects.count() == 0


def other_commune_id(club) -> int:
    from places.models import Commune

    return Commune.objects.exclude(pk=club.commune_id).values_list("pk", flat=True).first()


def test_staff_see_only_the_jobs_they_started(client_for, staff, admin_user, club, tmp_path):
    _upload(client_for(admin_user), tmp_path, ROWS, club=club.pk)
    admins_job = ImportJob.objects.get()
    client = client_for(staff)
    assert client.get(reverse("sheets:job", args=[admins_job.pk])).status_code == 404
    assert client.post(reverse("sheets:job-commit", args=[admins_job.pk])).status_code == 404
    assert admins_job.file_name not in client.get(reverse("sheets:index")).content.decode()
    assert Member.objects.count() == 0
