"""The Django admin before an approved period (issue 16): adding, changing, moving or deleting a record
dated inside it is refused on the page with the period's message (never a server error), the database
unchanged; outside it, or after the province reopens the period, the admin works as before."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from clubs.locks import period_reopen
from life.models import Activity
from members.models import Membership
from tests.conftest import make_member
from tests.life.factories import make_activity, make_check, make_visit, make_volunteer
from tests.period_locks import INSIDE, OUTSIDE, lock_h1, snapshot

pytestmark = pytest.mark.django_db
LOCKED = "không thể ghi hay sửa số liệu"


class _Form(HTMLParser):
    """The values a browser would post from the page's main form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _post_form(client, url, **changes):
    page = client.get(url)
    assert page.status_code == 200
    parser = _Form()
    parser.feed(page.content.decode())
    data = {name: values for name, values in parser.data.items() if values}
    data.pop("csrfmiddlewaretoken", None)
    for name, value in changes.items():
        data[name] = [value]
    return client.post(url, data)


@pytest.fixture
def admin(client_for, admin_user):
    return client_for(admin_user)


def test_a_health_check_of_the_period_cannot_be_moved_out_of_it(
    admin, admin_user, club, tan_uyen, lai_chau_officer
):
    member = make_member(club, full_name="Lò Thị Đo")
    check = make_check(member, INSIDE, systolic=150)
    lock = lock_h1(tan_uyen, lai_chau_officer)
    url = reverse("admin:life_healthcheck_change", args=[check.pk])
    before = snapshot()
    response = _post_form(admin, url, checked_on=f"{OUTSIDE:%d/%m/%Y}", systolic="120")
    assert response.status_code == 200
    page = response.content.decode()
    assert LOCKED in page and "2026-H1" in page and "Lò Văn Duyệt" in page
    assert snapshot() == before
    check.refresh_from_db()
    assert (check.checked_on, check.systolic) == (INSIDE, 150)
    period_reopen(lock=lock, by=lai_chau_officer, reason="Đo sai ngày")
    response = _post_form(
        admin, url, checked_on=f"{OUTSIDE:%d/%m/%Y}", systolic="120", recorded_by=str(admin_user.pk)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    check.refresh_from_db()
    assert (check.checked_on, check.systolic) == (OUTSIDE, 120)


def test_a_visit_cannot_be_moved_into_the_period_and_the_message_is_on_the_date(
    admin, admin_user, club, tan_uyen, lai_chau_officer
):
    volunteer, old = make_volunteer(club, full_name="Lò Văn Khỏe"), make_member(club, full_name="Lò Thị Già")
    visit = make_visit(club, volunteer, old, OUTSIDE)
    lock_h1(tan_uyen, lai_chau_officer)
    url = reverse("admin:life_carevisit_change", args=[visit.pk])
    response = _post_form(admin, url, visited_on=f"{INSIDE:%d/%m/%Y}")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert LOCKED in " ".join(errors["visited_on"])
    visit.refresh_from_db()
    assert visit.visited_on == OUTSIDE
    # A visit outside the period is still moved as before.
    response = _post_form(admin, url, visited_on="03/07/2026", recorded_by=str(admin_user.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    visit.refresh_from_db()
    assert f"{visit.visited_on:%d/%m/%Y}" == "03/07/2026"


def test_an_activity_of_the_period_is_not_deleted_alone_nor_in_bulk(admin, club, tan_uyen, lai_chau_officer):
    approved, later = make_activity(club, INSIDE), make_activity(club, OUTSIDE, title="Sau kỳ")
    lock = lock_h1(tan_uyen, lai_chau_officer)
    response = admin.post(
        reverse("admin:life_activity_delete", args=[approved.pk]), {"post": "yes"}, follow=True
    )
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert Activity.objects.filter(pk=approved.pk).exists()
    changelist = reverse("admin:life_activity_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [approved.pk, later.pk], "post": "yes"}
    response = admin.post(changelist, bulk, follow=True)
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert Activity.objects.count() == 2
    # Outside the period, deleting works; after reopening, so does the approved one.
    admin.post(reverse("admin:life_activity_delete", args=[later.pk]), {"post": "yes"})
    assert not Activity.objects.filter(pk=later.pk).exists()
    period_reopen(lock=lock, by=lai_chau_officer, reason="Ghi trùng")
    admin.post(reverse("admin:life_activity_delete", args=[approved.pk]), {"post": "yes"})
    assert not Activity.objects.exists()


def test_a_members_join_date_and_stays_of_the_period_are_kept(admin, club, tan_uyen, lai_chau_officer):
    member = make_member(club, full_name="Lò Thị Lan", joined_on=INSIDE)
    lock_h1(tan_uyen, lai_chau_officer)
    url = reverse("admin:members_member_change", args=[member.pk])
    before = snapshot()
    response = _post_form(admin, url, joined_on=f"{OUTSIDE:%d/%m/%Y}")
    assert response.status_code == 200 and LOCKED in response.content.decode()
    # Deleting her stay of the period from the inline is refused too.
    stay = Membership.objects.get(member=member)
    prefix = next(name for name in response.context["inline_admin_formsets"][0].formset.management_form.data if name.endswith("TOTAL_FORMS")).rsplit("-", 1)[0]  # fmt: skip
    response = _post_form(admin, url, **{f"{prefix}-0-DELETE": "on"})
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert snapshot() == before and Membership.objects.filter(pk=stay.pk).exists()
    # A name is register data, not figures: it is put right at any time, as on the member's page.
    response = _post_form(admin, url, full_name="Lò Thị Lan (Bản Mè)")
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.errors for f in response.context["inline_admin_formsets"][0].formset],
        response.context["inline_admin_formsets"][0].formset.non_form_errors(),
    )
    member.refresh_from_db()
    assert member.full_name == "Lò Thị Lan (Bản Mè)" and member.joined_on == INSIDE


def test_a_rating_dated_in_the_period_is_not_added(admin, admin_user, club, tan_uyen, lai_chau_officer):
    from life.models import ClubRating

    lock = lock_h1(tan_uyen, lai_chau_officer)
    url = reverse("admin:life_clubrating_add")
    given = {"club": str(club.pk), "year": "2025", "rating": "good", "rated_on": f"{INSIDE:%d/%m/%Y}",
             "rated_by": str(admin_user.pk)}  # fmt: skip
    response = _post_form(admin, url, **given)
    assert response.status_code == 200
    assert LOCKED in " ".join(response.context["adminform"].form.errors["rated_on"])
    assert not ClubRating.objects.exists()
    period_reopen(lock=lock, by=lai_chau_officer, reason="Xếp loại muộn")
    response = _post_form(admin, url, **given)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ClubRating.objects.get().rated_on == INSIDE
