"""The reporting cycle's pages: permission rows for every role, the transitions through the pages, and
bounded query counts."""

import datetime

import pytest
from django.urls import reverse

from clubs.models import PeriodLock, Role
from reports.cycle import commune_submit
from reports.models import CycleReport, CycleStatus
from tests.conftest import LAI_CHAU, TAN_UYEN, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pdf_layout_skipped")]  # who may, not the pages
PERIOD = {"period": "2026-Q1"}


@pytest.fixture
def national(db):
    return make_user("trunguong", Role.NATIONAL)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submitted(dataset, staff, tan_uyen):
    return commune_submit(commune=tan_uyen, period="2026-Q1", user=staff, today=datetime.date(2026, 4, 2))


def status_of(client, url, data=None, post=False):
    return (client.post(url, data or {}) if post else client.get(url, data or {})).status_code


@pytest.mark.parametrize(
    ("who", "commune_page", "province_board", "national_board", "detail"),
    [
        ("admin_user", 200, 200, 200, 200),
        ("lai_chau_officer", 200, 200, 404, 200),
        ("thanh_hoa_officer", 404, 404, 404, 404),
        ("staff", 200, 404, 404, 200),
        ("other_staff", 404, 404, 404, 404),
        ("national", 200, 200, 200, 200),
        ("nobody", 404, 404, 404, 404),
    ],
)
def test_who_may_open_the_cycle_pages(
    request, client_for, submitted, who, commune_page, province_board, national_board, detail
):
    client = client_for(request.getfixturevalue(who))
    assert status_of(client, reverse("reports:cycle-commune", args=[TAN_UYEN]), PERIOD) == commune_page
    assert status_of(client, reverse("reports:cycle-province", args=[LAI_CHAU]), PERIOD) == province_board
    assert status_of(client, reverse("reports:cycle-national"), PERIOD) == national_board
    assert status_of(client, reverse("reports:cycle-detail", args=[submitted.pk])) == detail
    assert status_of(client, reverse("reports:cycle-pdf", args=[submitted.pk])) == detail


def test_anonymous_users_go_to_login(client, submitted):
    assert client.get(reverse("reports:cycle-detail", args=[submitted.pk])).status_code == 302


@pytest.mark.parametrize("who", ["staff", "other_staff", "thanh_hoa_officer", "national", "nobody"])
def test_only_the_province_approves_through_the_page(request, client_for, submitted, who):
    client = client_for(request.getfixturevalue(who))
    assert status_of(client, reverse("reports:cycle-approve", args=[submitted.pk]), post=True) in (403, 404)
    assert status_of(client, reverse("reports:cycle-return", args=[submitted.pk]), {"reason": "x"}, post=True) in (
        403,
        404,
    )
    submitted.refresh_from_db()
    assert submitted.status == CycleStatus.SUBMITTED and not PeriodLock.objects.exists()


@pytest.mark.parametrize("who", ["lai_chau_officer", "thanh_hoa_officer", "other_staff", "national", "nobody"])
def test_only_the_communes_staff_submit_through_the_page(request, client_for, dataset, who):
    client = client_for(request.getfixturevalue(who))
    url = reverse("reports:cycle-commune-submit", args=[TAN_UYEN])
    assert status_of(client, url, PERIOD, post=True) in (403, 404)
    assert not CycleReport.objects.exists()


def test_return_then_resubmit_then_approve_through_the_pages(client_for, dataset, staff, lai_chau_officer):
    commune = client_for(staff)
    response = commune.post(reverse("reports:cycle-commune-submit", args=[TAN_UYEN]), PERIOD, follow=True)
    row = CycleReport.objects.get()
    assert row.status == CycleStatus.SUBMITTED and "Đã nộp báo cáo" in response.content.decode()
    province = client_for(lai_chau_officer)
    province.post(reverse("reports:cycle-return", args=[row.pk]), {"reason": ""})
    row.refresh_from_db()
    assert row.status == CycleStatus.SUBMITTED  # no reason: nothing changes
    province.post(reverse("reports:cycle-return", args=[row.pk]), {"reason": "Thiếu quỹ"})
    page = client_for(staff).get(reverse("reports:cycle-commune", args=[TAN_UYEN]), PERIOD).content.decode()
    assert "Thiếu quỹ" in page
    client_for(staff).post(reverse("reports:cycle-commune-submit", args=[TAN_UYEN]), PERIOD)
    province = client_for(lai_chau_officer)
    province.post(reverse("reports:cycle-approve", args=[row.pk]))
    row.refresh_from_db()
    assert row.status == CycleStatus.APPROVED and row.lock is not None
    board = province.get(reverse("reports:cycle-province", args=[LAI_CHAU]), PERIOD).content.decode()
    assert 'data-status="approved"' in board
    province.post(reverse("reports:cycle-reopen", args=[row.pk]), {"reason": "Sửa số liệu"})
    row.refresh_from_db()
    assert row.status == CycleStatus.RETURNED and row.lock.reopened_at is not None


def test_a_bad_period_is_explained(client_for, dataset, staff):
    page = client_for(staff).get(reverse("reports:cycle-commune", args=[TAN_UYEN]), {"period": "2026-Q7"})
    assert "Kỳ báo cáo không hợp lệ" in page.content.decode()


def test_the_boards_run_a_bounded_number_of_queries(client_for, submitted, lai_chau_officer, national,
                                                    django_assert_max_num_queries):  # fmt: skip
    client = client_for(lai_chau_officer)
    with django_assert_max_num_queries(15):
        assert status_of(client, reverse("reports:cycle-province", args=[LAI_CHAU]), PERIOD) == 200
    client = client_for(national)
    with django_assert_max_num_queries(15):
        assert status_of(client, reverse("reports:cycle-national"), PERIOD) == 200


def test_the_home_links_each_level_to_its_board(client_for, lai_chau_officer, national):
    page = client_for(lai_chau_officer).get(reverse("home")).content.decode()
    assert reverse("reports:cycle-province", args=[LAI_CHAU]) in page
    page = client_for(national).get(reverse("home")).content.decode()
    assert reverse("reports:cycle-national") in page
