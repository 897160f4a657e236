"""The pages show a lock's refusal beside the date on the form that was sent (issue 16), and save nothing."""

import pytest
from django.urls import reverse

from funds.forms import EntryForm, LoanForm, RepaymentForm, ReverseForm, TransferForm, WriteOffForm
from funds.models import FundEntry
from life.forms import ActivityForm, CareVisitForm, ClubRatingForm, HealthCheckForm
from members.forms import HouseholdStatusForm, LeaveForm, MemberForm
from tests.conftest import make_member
from tests.funds.conftest import contribute, income
from tests.period_locks import INSIDE, OUTSIDE, lock_h1, snapshot

pytestmark = pytest.mark.django_db

DAY = f"{INSIDE:%d/%m/%Y}"


@pytest.fixture
def lock(club, tan_uyen, lai_chau_officer):
    return lock_h1(tan_uyen, lai_chau_officer)


def _refused_on(form, field):
    assert not form.is_valid()
    message = " ".join(form.errors[field])
    assert "2026-H1" in message and "Lò Văn Duyệt" in message and DAY in message
    return message


def test_each_dated_form_puts_the_refusal_on_its_date(club, member, staff, lock):
    fund = income(club)
    forms = [
        (EntryForm({"fund": fund.pk, "kind": "contribution", "entry_date": DAY, "amount": "1.000.000", "source": "state"}, club=club), "entry_date"),
        (ReverseForm({"entry_date": DAY, "note": "Nhầm"}, lock_club=club), "entry_date"),
        (TransferForm({"direction": "income", "amount": "1000", "entry_date": DAY}, lock_club=club), "entry_date"),
        (LoanForm({"member": member.pk, "disbursed_on": DAY, "principal": "1.000.000", "purpose": "livestock", "term_months": 6, "interest_rate": "0", "rate_period": "month", "plan": "equal_monthly"}, club=club), "disbursed_on"),
        (RepaymentForm({"paid_on": DAY, "principal": "1000"}, lock_club=club), "paid_on"),
        (WriteOffForm({"written_off_on": DAY, "reason": "x", "approved_by": "y"}, lock_club=club), "written_off_on"),
        (ActivityForm({"held_on": DAY, "area": 4, "kind": "culture", "title": "Văn nghệ", "participants_count": 3, "volunteers_count": 0}, club=club), "held_on"),
        (HealthCheckForm({"member": member.pk, "checked_on": DAY, "systolic": 120, "diastolic": 80}, club=club), "checked_on"),
        (ClubRatingForm({"year": 2025, "rating": "good", "rated_on": DAY}, club=club), "rated_on"),
        (LeaveForm({"left_on": DAY, "leave_reason": "moved"}, member=member), "left_on"),
        (HouseholdStatusForm({"status": "poor", "valid_from": DAY}, member=member), "valid_from"),
        (MemberForm({"club": club.pk, "full_name": "Hà Thị Mới", "birth_year": 1950, "sex": "F", "ethnicity": 1, "household": "none", "joined_on": DAY}, user=staff), "joined_on"),
    ]  # fmt: skip
    for form, field in forms:
        _refused_on(form, field)
    assert not CareVisitForm({"visited_on": DAY}, club=club).is_valid()


def test_the_same_forms_pass_outside_the_period(club, member, lock):
    day = f"{OUTSIDE:%d/%m/%Y}"
    assert ReverseForm({"entry_date": day, "note": "Nhầm"}, lock_club=club).is_valid()
    assert LeaveForm({"left_on": day, "leave_reason": "moved"}, member=member).is_valid()


def test_a_member_of_the_period_may_have_their_name_corrected(client_for, staff, club, lock):
    person = make_member(club, full_name="Nguyễn Văn Sai", sex="M", joined_on=OUTSIDE.replace(year=2025))
    form = MemberForm(
        {"full_name": "Nguyễn Văn Đúng", "birth_year": 1955, "sex": "M", "ethnicity": 1,
         "joined_on": f"{person.joined_on:%d/%m/%Y}"},
        instance=person, user=staff,
    )  # fmt: skip
    assert form.is_valid(), form.errors


def test_the_entry_page_shows_the_refusal_and_saves_nothing(client_for, staff, club, lock):
    before = snapshot()
    response = client_for(staff).post(
        reverse("funds:entry-add", args=[club.pk]),
        {"fund": income(club).pk, "kind": "contribution", "entry_date": DAY, "amount": "1.000.000", "source": "state"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-H1" in page and "Lò Văn Duyệt" in page
    assert snapshot() == before


def test_reversing_an_entry_of_the_period_today_works_from_the_page(client_for, staff, club, tan_uyen, lai_chau_officer):
    wrong = contribute(income(club), 3_000_000, INSIDE)
    lock_h1(tan_uyen, lai_chau_officer)
    client = client_for(staff)
    url = reverse("funds:entry-reverse", args=[wrong.pk])
    response = client.post(url, {"entry_date": DAY, "note": "Ghi nhầm"})
    assert response.status_code == 200 and "2026-H1" in response.content.decode()
    assert not FundEntry.objects.filter(reverses=wrong).exists()
    response = client.post(url, {"entry_date": f"{OUTSIDE:%d/%m/%Y}", "note": "Ghi nhầm"})
    assert response.status_code == 302
    assert FundEntry.objects.get(reverses=wrong).entry_date == OUTSIDE


def test_the_leave_page_shows_the_refusal(client_for, staff, club, member, lock):
    response = client_for(staff).post(
        reverse("members:member-leave", args=[member.pk]), {"left_on": DAY, "leave_reason": "moved"}
    )
    assert response.status_code == 200 and "2026-H1" in response.content.decode()
    member.refresh_from_db()
    assert member.left_on is None
