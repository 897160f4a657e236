import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Household, HouseholdStatus, Member, Membership, Sex
from sheets import jobs, reading
from sheets.models import ImportJob, JobStatus
from tests.conftest import make_member
from tests.sheets.builders import header_merges, office_member_rows, office_sheet_rows, write_xlsx

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, tmp_path, rows=None, **data):
    path = write_xlsx(tmp_path / "Danh sách.xlsx", office_sheet_rows(rows), merges=header_merges())
    upload = SimpleUploadedFile("Danh sách.xlsx", path.read_bytes(), content_type=XLSX)
    return client.post(reverse("sheets:upload"), {"kind": "members", "file": upload, **data})


def test_upload_preview_confirm_commit(client_for, admin_user, club, tmp_path):
    client = client_for(admin_user)
    response = _upload(client, tmp_path, club=club.pk)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("sheets:job", args=[job.pk])
    assert job.status == JobStatus.READY and job.club == club
    page = client.get(response.url).content.decode()
    assert "thêm mới" in page and "Xác nhận ghi: 5 thêm mới, 0 cập nhật" in page
    assert Member.objects.count() == 0  # the preview writes nothing
    response = client.post(reverse("sheets:job-commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.committed_at is not None
    assert Member.objects.filter(club=club).count() == 5
    assert "Đã ghi dữ liệu vào hệ thống" in client.get(reverse("sheets:job", args=[job.pk])).content.decode()
    assert (
        client.post(reverse("sheets:job-commit", args=[job.pk])).status_code == 302
    )  # a second confirm does nothing
    assert Member.objects.count() == 5


def test_the_lai_chau_sample_imports_through_the_page_on_either_database(client_for, admin_user, club):
    """Upload → preview → "Xác nhận ghi" with a real-shaped commune list, as an admin does on `make run`.

    On the embedded SQLite default the confirm once ended in "Lỗi hệ thống" (the history rows of the
    bulk insert); `make test` runs this on both databases.
    """
    client = client_for(admin_user)
    sample = (Path(__file__).parent / "fixtures" / "lai-chau-huoi-luong-members.xlsx").read_bytes()
    upload = SimpleUploadedFile("DS Huổi Luông.xlsx", sample, content_type=XLSX)
    response = client.post(
        reverse("sheets:upload"), {"kind": "members", "file": upload, "club": club.pk}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.READY
    assert "Xác nhận ghi: 52 thêm mới, 0 cập nhật" in client.get(response.url).content.decode()
    client.post(reverse("sheets:job-commit", args=[job.pk]))
    job.refresh_from_db()
    page = client.get(reverse("sheets:job", args=[job.pk])).content.decode()
    assert job.status == JobStatus.DONE, job.report
    assert "Đã ghi dữ liệu vào hệ thống" in page and "Lỗi hệ thống" not in page
    members = Member.objects.filter(club=club)
    assert members.count() == 52 and members.filter(sex=Sex.FEMALE).count() == 33
    cho = members.get(full_name="Lường Thị Chơ")
    assert (cho.birth_year, cho.household, cho.joined_on) == (
        1952,
        Household.POOR,
        datetime.date(2018, 5, 19),
    )
    assert cho.search_key == "luong thi cho"  # found by a search typed without diacritics
    # Each new member has its stay in the club and its "+" history record, by the admin who confirmed.
    assert Membership.objects.filter(club=club, left_on__isnull=True).count() == 52
    records = Member.history.filter(club_id=club.pk)
    assert records.count() == 52 and set(records.values_list("history_type", "history_user_id")) == {
        ("+", admin_user.pk)
    }
    assert (
        HouseholdStatus.objects.filter(member__club=club).count()
        == members.exclude(household=Household.NONE).count()
    )


def test_the_preview_shows_what_will_change_for_updated_rows(client_for, admin_user, club, tmp_path):
    client = client_for(admin_user)
    _upload(client, tmp_path, club=club.pk)
    first = client.get(reverse("sheets:job", args=[ImportJob.objects.get().pk])).content.decode()
    assert "Những gì sẽ thay đổi" not in first  # only new rows: nothing to compare
    make_member(club, full_name="Nguyễn Thị Hoa", birth_year=1955, household=Household.NONE, village="Nà Bó")
    _upload(client, tmp_path, club=club.pk)
    job = ImportJob.objects.latest("created_at")
    page = client.get(reverse("sheets:job", args=[job.pk])).content.decode()
    assert "Xác nhận ghi: 4 thêm mới, 1 cập nhật" in page
    assert "Những gì sẽ thay đổi" in page
    assert '<td>Hoàn cảnh gia đình</td><td class="text-danger"><del>Không</del></td>' in page
    assert '<td class="text-success">Hộ nghèo</td>' in page
    assert "Nguyễn Thị Hoa (1955)" in page and "<td>Thôn/tổ dân phố</td>" not in page  # unchanged: not shown
    assert (
        Member.objects.get(full_name="Nguyễn Thị Hoa").household == Household.NONE
    )  # a preview writes nothing


def test_a_file_over_20_mb_is_refused_by_the_upload_form(client_for, admin_user, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 1_000)  # the test file stands for a 20 MB one
    response = _upload(client_for(admin_user), tmp_path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tệp quá lớn" in page and "Mỗi lần chỉ nhập tệp tối đa 20 MB: hãy chia thành nhiều tệp." in page
    assert ImportJob.objects.count() == 0


def test_an_invalid_file_shows_its_errors_and_gives_an_error_workbook(client_for, admin_user, club, tmp_path):
    client = client_for(admin_user)
    data = office_member_rows()
    data[1][5] = "Giàu"
    _upload(client, tmp_path, data, club=club.pk)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID
    page = client.get(reverse("sheets:job", args=[job.pk])).content.decode()
    assert "F (Hoàn cảnh)" in page and "Xác nhận ghi" not in page
    response = client.get(reverse("sheets:job-errors", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Năm sinh Nam" and rows[0][-1] == "Lỗi"
    errored = [row for row in rows[1:] if row[-1]]
    assert len(errored) == 1 and errored[0][1] == "Giàng A Páo" and "Giàu" in errored[0][-1]
    assert len([row for row in rows[1:] if row[1]]) >= 5  # every original row is there to fix and re-upload
    assert client.post(reverse("sheets:job-commit", args=[job.pk])).status_code == 302
    assert Member.objects.count() == 0


def test_a_file_with_only_headers_is_refused_in_the_page(client_for, admin_user, club, tmp_path):
    client = client_for(admin_user)
    _upload(client, tmp_path, [[], ["", "Tổng số: 0 thành viên"]], club=club.pk)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID
    page = client.get(reverse("sheets:job", args=[job.pk])).content.decode()
    assert "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề (dòng 6, trang “DS thanh vien”)" in page
    assert "Xác nhận ghi" not in page
    assert client.post(reverse("sheets:job-commit", args=[job.pk])).status_code == 302
    assert Member.objects.count() == 0


def test_a_large_file_runs_as_a_task_with_a_fallback_when_no_worker_takes_it(
    client_for, admin_user, club, tmp_path, monkeypatch, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, never run
    monkeypatch.setattr(jobs, "INLINE_MAX_BYTES", 10)
    client = client_for(admin_user)
    _upload(client, tmp_path, club=club.pk)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.QUEUED
    status = client.get(reverse("sheets:job-status", args=[job.pk])).json()
    assert status["running"] and status["status"] == "queued"
    assert 'class="progress-bar' in client.get(reverse("sheets:job", args=[job.pk])).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(updated_at=job.updated_at.replace(year=2020))
    status = client.get(reverse("sheets:job-status", args=[job.pk])).json()  # nobody took it: run it here
    assert (status["status"], status["progress"], status["running"]) == ("ready", 100, False)


def test_the_task_runs_the_job(admin_user, club, tmp_path, settings):
    from sheets.jobs import run_import_job

    job = ImportJob(kind="members", file_name="a.xlsx", club=club, created_by=admin_user)
    path = write_xlsx(tmp_path / "a.xlsx", office_sheet_rows(), merges=header_merges())
    job.file.save("a.xlsx", io.BytesIO(path.read_bytes()))
    run_import_job.enqueue(str(job.pk))  # the immediate backend of the embedded default
    job.refresh_from_db()
    assert job.status == JobStatus.READY and job.report["new"] == 5


@pytest.mark.parametrize("kind", ["clubs", "members", "loans", "contributions"])
def test_templates_have_headers_drop_downs_an_example_and_instructions(client_for, staff, kind, tmp_path):
    response = client_for(staff).get(reverse("sheets:template", args=[kind]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    data = workbook["Dữ liệu"]
    headers = [cell.value for cell in data[1]]
    assert "Mã CLB" in headers
    assert data.data_validations.dataValidation  # drop-down lists for coded columns
    assert "Hướng dẫn" in workbook.sheetnames and workbook["Danh mục"].sheet_state == "hidden"
    path = tmp_path / "mau.xlsx"
    path.write_bytes(response.content)
    from sheets.engine import run_import

    report = run_import(kind, path)  # the untouched template: the example row is passed over
    assert report.rows == 0 and not report.errors
    assert report.refused.startswith("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề (dòng 1")


# ------------------------------------------------------------------------------- permissions


def _job(admin_user, club):
    job = ImportJob(kind="members", file_name="a.xlsx", created_by=admin_user, status=JobStatus.INVALID)
    job.file.save("a.xlsx", io.BytesIO(b"x"), save=False)
    job.report = {"kind": "members", "errors": [{"row": 8, "column": "", "message": "x"}]}
    job.save()
    return job


@pytest.mark.parametrize(
    "name", ["sheets:upload", "sheets:job", "sheets:job-status", "sheets:job-errors", "sheets:job-commit"]
)
def test_jobs_started_by_others_are_hidden_from_staff_and_officers(
    client_for, admin_user, staff, lai_chau_officer, nobody, club, name
):
    """Issue 17: staff and officers import members too, but see only their own jobs (404 for others')."""
    job = _job(admin_user, club)
    url = reverse(name, args=[] if name == "sheets:upload" else [job.pk])
    method = "post" if name == "sheets:job-commit" else "get"
    anonymous = getattr(client_for(None), method)(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert getattr(client_for(nobody), method)(url).status_code == 403
    for user in (staff, lai_chau_officer):
        assert getattr(client_for(user), method)(url).status_code == (200 if name == "sheets:upload" else 404)
    assert getattr(client_for(admin_user), method)(url).status_code in (200, 302)


def test_an_unknown_job_is_404(client_for, admin_user):
    assert (
        client_for(admin_user).get("/sheets/import/00000000-0000-0000-0000-000000000000/").status_code == 404
    )


def test_export_permissions(
    client_for, staff, other_staff, nobody, lai_chau_officer, thanh_hoa_officer, club
):
    url = reverse("sheets:export", args=["members"])
    assert client_for(None).get(url).status_code == 302
    assert client_for(nobody).get(url).status_code == 403
    assert client_for(staff).get(url).status_code == 200
    assert client_for(staff).get(url, {"club": club.pk}).status_code == 200
    assert client_for(other_staff).get(url, {"club": club.pk}).status_code == 404
    assert client_for(thanh_hoa_officer).get(url, {"club": club.pk}).status_code == 404
    assert client_for(lai_chau_officer).get(url, {"club": club.pk, "format": "csv"}).status_code == 200
    assert client_for(staff).get(reverse("sheets:export", args=["nothing"])).status_code == 404


def test_the_hub_and_the_navigation_show_what_each_role_may_use(client_for, admin_user, staff, nobody):
    admin_page = client_for(admin_user).get(reverse("sheets:index")).content.decode()
    assert reverse("sheets:upload") in admin_page and "Nhập, xuất Excel" in admin_page
    staff_page = client_for(staff).get(reverse("sheets:index")).content.decode()
    # Staff import member lists (issue 17), not the other kinds.
    assert f"{reverse('sheets:upload')}?kind=members" in staff_page
    assert f"{reverse('sheets:upload')}?kind=clubs" not in staff_page
    assert reverse("sheets:export", args=["members"]) in staff_page
    assert "Nhập, xuất Excel" in staff_page
    assert reverse("sheets:index") not in client_for(nobody).get(reverse("home")).content.decode()
    assert client_for(None).get(reverse("sheets:index")).status_code == 302
