import datetime
import io
import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import club_figures
from reports.models import Plan, SubmittedReport, Target
from tests.conftest import make_club, make_member
from tests.reports.conftest import ON

pytestmark = pytest.mark.django_db
D = datetime.date
AS_OF = {"as_of": ON.isoformat()}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def province_url(code: int = 12, fmt: str | None = None) -> str:
    if fmt:
        return reverse("reports:province-file", args=[code, fmt])
    return reverse("reports:province", args=[code])


# --- Who may read which report ---------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client_for):
    response = client_for(None).get(province_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("user", ["thanh_hoa_officer", "staff", "nobody"])
def test_others_cannot_report_on_a_province(client_for, request, user):
    client = client_for(request.getfixturevalue(user))
    assert client.get(province_url()).status_code == 404
    assert client.get(province_url(fmt="pdf")).status_code == 404
    assert client.get(province_url(fmt="json")).status_code == 404
    assert client.get(reverse("reports:province-clubs", args=[12])).status_code == 404


@pytest.mark.parametrize("user", ["lai_chau_officer", "staff", "thanh_hoa_officer"])
def test_only_admins_see_the_national_roll_up(client_for, request, user):
    client = client_for(request.getfixturevalue(user))
    assert client.get(reverse("reports:national")).status_code == 404
    assert client.get(reverse("reports:national-file", args=["json"])).status_code == 404


def test_the_province_officer_reads_the_report_in_every_format(client_for, lai_chau_officer, dataset):
    client = client_for(lai_chau_officer)
    page = client.get(province_url(), AS_OF)
    assert page.status_code == 200
    assert "toàn tỉnh có 4 CLB" in page.content.decode()
    data = json.loads(client.get(province_url(fmt="json"), AS_OF).content)
    assert data["indicators"]["members_total"]["value"] == 9
    pdf = client.get(province_url(fmt="pdf"), AS_OF)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(province_url(fmt="xlsx"), AS_OF)
    assert load_workbook(io.BytesIO(xlsx.content))["Theo CLB"].max_row == 5  # header + A, B, C, F
    assert client.get(province_url(fmt="doc")).status_code == 404


def test_the_admin_reads_the_national_roll_up(client_for, admin_user, dataset):
    response = client_for(admin_user).get(reverse("reports:national"), AS_OF)
    assert response.status_code == 200
    assert 'data-province="12"' in response.content.decode()
    data = json.loads(
        client_for(admin_user).get(reverse("reports:national-file", args=["json"]), AS_OF).content
    )
    assert data["indicators"]["clubs_total"]["value"] == 5


def test_the_club_breakdown_page(client_for, lai_chau_officer, dataset):
    response = client_for(lai_chau_officer).get(reverse("reports:province-clubs", args=[12]), AS_OF)
    assert response.status_code == 200
    assert response.content.decode().count("data-club=") == 5  # A, B, C, D (dissolved), F


def test_the_report_page_leads_to_the_club_breakdown(client_for, lai_chau_officer, admin_user, dataset):
    page = client_for(lai_chau_officer).get(province_url(), AS_OF).content.decode()
    section = page.split('<section class="mb-4" id="club-breakdown">')[1].split("</section>")[0]
    assert "Thành viên, cơ cấu thành viên, tỷ lệ vay vốn, quỹ, thực hiện 8 hoạt động và xếp loại" in section
    assert 'trong <span class="text-nowrap">4</span> CLB của tỉnh' in section
    assert f'href="{reverse("reports:province-clubs", args=[12])}?as_of=2026-03-15"' in section
    assert f'href="{province_url(fmt="xlsx")}?as_of=2026-03-15"' in section
    national = client_for(admin_user).get(reverse("reports:national"), AS_OF).content.decode()
    assert 'id="club-breakdown"' not in national  # the roll-up is by province; its xlsx lists the clubs


def test_a_plan_of_another_province_is_not_used(client_for, lai_chau_officer, dataset, thanh_hoa):
    other = Plan.objects.create(
        province=thanh_hoa, name="Đề án Thanh Hóa", start=D(2021, 1, 1), end=D(2030, 1, 1)
    )
    response = client_for(lai_chau_officer).get(province_url(fmt="json"), {**AS_OF, "plan": other.pk})
    assert "plan" not in json.loads(response.content)["scope"]


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_signer_named_in_the_form_is_printed_under_the_signature(client_for, lai_chau_officer, dataset):
    client = client_for(lai_chau_officer)
    signed = {**AS_OF, "signer": "Nguyễn Văn Ký"}
    page = client.get(province_url(), signed).content.decode()
    signature = page.split('<td class="signature">')[1].split("</td>")[0]
    assert (
        "CHỦ TỊCH" in signature
        and '<div class="signer-name"><strong>Nguyễn Văn Ký</strong></div>' in signature
    )
    assert 'name="signer"' in page  # the field of the report's parameters
    assert "CHỦ TỊCH (Ký, ghi rõ họ tên và đóng dấu) Nguyễn Văn Ký" in pdf_text(
        client.get(province_url(fmt="pdf"), signed).content
    )
    client.post(reverse("reports:province-submit", args=[12]) + "?" + urlencode(signed))
    assert "Nguyễn Văn Ký" in pdf_text(SubmittedReport.objects.get().pdf.read())
    # No name given: the line is left blank, to be written by hand.
    page = client.get(province_url(), AS_OF).content.decode()
    assert '<div class="signer-name"><strong></strong></div>' in page
    assert "Nguyễn Văn Ký" not in pdf_text(client.get(province_url(fmt="pdf"), AS_OF).content)


# --- Submitting and comparing ----------------------------------------------------------------


def test_the_province_officer_submits_a_report_that_later_corrections_do_not_change(
    client_for, lai_chau_officer, dataset
):
    client = client_for(lai_chau_officer)
    response = client.post(
        reverse("reports:province-submit", args=[12]) + f"?as_of={ON}", {"note": "6 tháng"}
    )
    submitted = SubmittedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:submitted-detail", args=[submitted.pk]
    )
    assert (submitted.submitted_by, submitted.as_of, submitted.note) == (lai_chau_officer, ON, "6 tháng")
    assert submitted.pdf.read().startswith(b"%PDF")
    assert submitted.figures["indicators"]["members_total"]["value"] == 9

    make_member(dataset.a, full_name="Người bổ sung", joined_on=D(2025, 1, 1))  # a later correction
    submitted.refresh_from_db()
    assert submitted.figures["indicators"]["members_total"]["value"] == 9
    page = client.get(province_url(), {**AS_OF, "compare": submitted.pk}).content.decode()
    assert 'id="comparison-table"' in page
    row = page.split('<tr data-indicator="members_total"><td>')[1].split("</tr>")[0]
    assert ">9<" in row and ">10<" in row and ">1<" in row
    assert client.get(reverse("reports:submitted-pdf", args=[submitted.pk])).status_code == 200


@pytest.mark.parametrize("user", ["staff", "thanh_hoa_officer"])
def test_others_cannot_submit_or_read_a_submitted_report(
    client_for, request, lai_chau_officer, dataset, user
):
    client_for(lai_chau_officer).post(reverse("reports:province-submit", args=[12]) + f"?as_of={ON}")
    submitted = SubmittedReport.objects.get()
    client = client_for(request.getfixturevalue(user))
    assert client.post(reverse("reports:province-submit", args=[12])).status_code == 404
    assert client.get(reverse("reports:submitted-detail", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("reports:submitted-pdf", args=[submitted.pk])).status_code == 404
    listed = client.get(reverse("reports:submitted-list")).content.decode()
    assert reverse("reports:submitted-detail", args=[submitted.pk]) not in listed
    assert SubmittedReport.objects.count() == 1


# --- Plans and targets -------------------------------------------------------------------------


@pytest.fixture
def plans(lai_chau, thanh_hoa):
    national = Plan.objects.create(
        name="Đề án quốc gia", decision_number="1336/QĐ-TTg", start=D(2020, 8, 31), end=D(2025, 12, 31)
    )
    lai_chau_plan = Plan.objects.create(
        province=lai_chau, name="Đề án Lai Châu", start=D(2021, 1, 1), end=D(2030, 12, 31)
    )
    thanh_hoa_plan = Plan.objects.create(
        province=thanh_hoa, name="Đề án Thanh Hóa", start=D(2021, 1, 1), end=D(2025, 12, 31)
    )
    return national, lai_chau_plan, thanh_hoa_plan


def test_plans_are_listed_by_scope(client_for, staff, nobody, plans):
    page = client_for(staff).get(reverse("reports:plan-list")).content.decode()
    assert "Đề án quốc gia" in page and "Đề án Lai Châu" in page and "Đề án Thanh Hóa" not in page
    assert "Đề án quốc gia" not in client_for(nobody).get(reverse("reports:plan-list")).content.decode()


def test_plan_pages_by_role(client_for, lai_chau_officer, thanh_hoa_officer, staff, admin_user, plans):
    national, lai_chau_plan, thanh_hoa_plan = plans
    officer = client_for(lai_chau_officer)
    assert officer.get(reverse("reports:plan-detail", args=[national.pk])).status_code == 200
    assert officer.get(reverse("reports:plan-detail", args=[thanh_hoa_plan.pk])).status_code == 404
    assert officer.get(reverse("reports:plan-edit", args=[lai_chau_plan.pk])).status_code == 200
    assert officer.get(reverse("reports:plan-edit", args=[national.pk])).status_code == 403
    assert officer.get(reverse("reports:plan-edit", args=[thanh_hoa_plan.pk])).status_code == 404
    assert client_for(staff).get(reverse("reports:plan-edit", args=[lai_chau_plan.pk])).status_code == 403
    assert client_for(staff).get(reverse("reports:plan-create")).status_code == 403
    assert client_for(admin_user).get(reverse("reports:plan-edit", args=[national.pk])).status_code == 200


def test_the_province_officer_creates_a_plan_only_for_their_province(
    client_for, lai_chau_officer, lai_chau, thanh_hoa
):
    client = client_for(lai_chau_officer)
    data = {
        "name": "Kế hoạch 2026",
        "start": "2026-01-01",
        "end": "2030-12-31",
        "decision_number": "12/KH-HNCT",
    }
    response = client.post(reverse("reports:plan-create"), {**data, "province": thanh_hoa.pk})
    assert response.status_code == 200 and not Plan.objects.exists()
    response = client.post(reverse("reports:plan-create"), {**data, "province": ""})
    assert response.status_code == 200 and not Plan.objects.exists()  # national: admins only
    response = client.post(reverse("reports:plan-create"), {**data, "province": lai_chau.pk})
    plan = Plan.objects.get()
    assert response.status_code == 302 and plan.province == lai_chau
    assert plan.history.count() == 1


def test_targets_are_managed_by_the_province_officer_and_read_by_staff(
    client_for, lai_chau_officer, staff, thanh_hoa_officer, plans
):
    _national, lai_chau_plan, _thanh_hoa_plan = plans
    url = reverse("reports:target-create", args=[lai_chau_plan.pk])
    data = {"indicator": "members_women_pct", "comparison": "between", "value": "60", "value_max": "70"}
    assert client_for(staff).post(url, data).status_code == 403
    assert client_for(thanh_hoa_officer).post(url, data).status_code == 404
    response = client_for(lai_chau_officer).post(url, {**data, "value_max": "50"})
    assert response.status_code == 200 and not Target.objects.exists()  # max below min
    assert client_for(lai_chau_officer).post(url, data).status_code == 302
    target = Target.objects.get()
    edit = reverse("reports:target-edit", args=[target.pk])
    assert client_for(staff).get(edit).status_code == 403
    response = client_for(lai_chau_officer).post(edit, {**data, "value": "65"})
    target.refresh_from_db()
    assert response.status_code == 302 and target.value == 65
    delete = reverse("reports:target-delete", args=[target.pk])
    assert client_for(staff).post(delete).status_code == 403
    assert client_for(thanh_hoa_officer).post(delete).status_code == 404
    assert client_for(lai_chau_officer).post(delete).status_code == 302
    assert not Target.objects.exists()


# --- Dashboard and speed -----------------------------------------------------------------------


def test_the_home_dashboard_shows_the_figures_of_the_users_area(
    client_for, lai_chau_officer, staff, nobody, dataset
):
    page = client_for(lai_chau_officer).get(reverse("home")).content.decode()
    assert 'id="dashboard"' in page and "Tỉnh Lai Châu" in page
    page = client_for(staff).get(reverse("home")).content.decode()
    assert 'id="dashboard"' in page and "Xã Tân Uyên" in page
    assert 'id="dashboard"' not in client_for(nobody).get(reverse("home")).content.decode()


def test_the_province_officers_dashboard_shows_the_targets_at_risk_and_the_charts(
    client_for, lai_chau_officer, dataset, lai_chau
):
    today = datetime.date.today()
    plan = Plan.objects.create(
        province=lai_chau,
        name="Kế hoạch đang chạy",
        start=today.replace(month=1, day=1),
        end=D(today.year + 1, 12, 31),
    )
    far_off = Target.objects.create(plan=plan, indicator="members_total", value=1000)  # 8 or 9 members
    Target.objects.create(plan=plan, indicator="clubs_total", value=1)  # met
    page = client_for(lai_chau_officer).get(reverse("home")).content.decode()
    dashboard = page.split('id="dashboard"')[1]
    assert "Kế hoạch đang chạy" in dashboard
    at_risk = dashboard.split('id="at-risk-table"')[1].split("</table>")[0]
    assert at_risk.count("<tr data-indicator=") == 1
    # The target links to its line in the province's report (issue 17).
    line = reverse("reports:province", args=[lai_chau.code]) + f"#target-{far_off.pk}"
    assert (
        f'<tr data-indicator="members_total"><td><a href="{line}">Tổng số thành viên</a></td>'
        '<td class="text-end"><span class="text-nowrap">≥ 1.000</span></td>' in at_risk
    )
    assert dashboard.count("<svg") == 2
    assert "<title>Số CLB</title>" in dashboard and "<title>Số thành viên</title>" in dashboard


def test_the_report_page_runs_the_same_queries_with_more_data(
    client_for, lai_chau_officer, dataset, tan_uyen
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(lai_chau_officer)
    client.get(reverse("reports:index"))  # warm the session
    with CaptureQueriesContext(connection) as before:
        assert client.get(province_url(), AS_OF).status_code == 200
    for i in range(5):
        club = make_club(tan_uyen, decision_date=D(2025, 1, 1), launched_on=D(2025, 2, 1))
        for j in range(5):
            make_member(club, full_name=f"Người {i} {j}", joined_on=D(2025, 2, 1))
    # All computed live (SQLite), or the new clubs' computed and the others' reused (PostgreSQL):
    # either way as many queries as the first time.
    with CaptureQueriesContext(connection) as after:
        assert client.get(province_url(), AS_OF).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)
    with CaptureQueriesContext(connection) as unchanged:
        assert client.get(province_url(), AS_OF).status_code == 200
    if club_figures.enabled():  # PostgreSQL: nothing changed, every club's figures are read back
        assert len(unchanged.captured_queries) < len(before.captured_queries)
    else:
        assert len(unchanged.captured_queries) == len(before.captured_queries)


@pytest.mark.parametrize("url", ["home", "reports:province-clubs"])
def test_the_dashboard_and_the_club_page_run_the_same_queries_with_more_data(
    client_for, lai_chau_officer, dataset, tan_uyen, url
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(lai_chau_officer)
    target = reverse(url, args=[12]) if url != "home" else reverse(url)
    client.get(reverse("reports:index"))  # warm the session, not the figures
    with CaptureQueriesContext(connection) as before:
        assert client.get(target, AS_OF).status_code == 200
    for i in range(5):
        club = make_club(tan_uyen, decision_date=D(2025, 1, 1), launched_on=D(2025, 2, 1))
        for j in range(3):
            make_member(club, full_name=f"Người {i} {j}", joined_on=D(2025, 2, 1))
    # The new clubs' figures are computed, the others' reused: as many queries as the first time.
    with CaptureQueriesContext(connection) as after:
        assert client.get(target, AS_OF).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)


def test_the_admins_dashboard_shows_the_country_and_reuses_its_figures_for_a_while(
    client_for, admin_user, dataset
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    client = client_for(admin_user)
    with CaptureQueriesContext(connection) as first:
        page = client.get(reverse("home")).content.decode()
    assert "Toàn quốc" in page and 'data-indicator="members_total"' in page
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("home"))
    assert len(second.captured_queries) < len(first.captured_queries) - 5
    cache.clear()
