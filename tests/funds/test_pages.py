"""Every funds page: who may see it, who may write, and what it does with what people type."""

import pytest
from django.urls import reverse

from funds.models import EntryKind, FundEntry
from funds.services import fund_transfer
from tests.conftest import make_member
from tests.funds.conftest import D, activity, contribute, income, lend, repay

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(funded_club, staff):
    """A club with a contribution, a transfer, a loan with a repayment."""
    hoa = make_member(funded_club, full_name="Lò Thị Hoa")
    loan = lend(income(funded_club), hoa, 6_000_000, D(2024, 4, 1), rate="0.5")
    repayment = repay(loan, D(2024, 5, 1), 1_000_000, 30_000)
    fund_transfer(
        from_fund=income(funded_club),
        to_fund=activity(funded_club),
        amount=500_000,
        entry_date=D(2024, 5, 2),
        note="",
        recorded_by=staff,
    )
    entry = FundEntry.objects.filter(kind=EntryKind.CONTRIBUTION).first()
    return {"club": funded_club, "loan": loan, "repayment": repayment, "entry": entry, "member": hoa}


# Pages that only read, and pages that write (their GET shows the form).
READ_PAGES = {
    "club-funds": lambda s: reverse("funds:club-funds", args=[s["club"].pk]),
    "club-loans": lambda s: reverse("funds:club-loans", args=[s["club"].pk]),
    "loan-detail": lambda s: reverse("funds:loan-detail", args=[s["loan"].pk]),
    "collection-sheet": lambda s: reverse("life:collection-sheet", args=[s["club"].pk, "2024-06-01"]),
    "collection-start": lambda s: reverse("life:collection-start", args=[s["club"].pk]),
}
WRITE_PAGES = {
    "entry-add": lambda s: reverse("funds:entry-add", args=[s["club"].pk]),
    "transfer": lambda s: reverse("funds:transfer", args=[s["club"].pk]),
    "entry-reverse": lambda s: reverse("funds:entry-reverse", args=[s["entry"].pk]),
    "loan-disburse": lambda s: reverse("funds:loan-disburse", args=[s["club"].pk]),
    "loan-repay": lambda s: reverse("funds:loan-repay", args=[s["loan"].pk]),
    "loan-write-off": lambda s: reverse("funds:loan-write-off", args=[s["loan"].pk]),
    "repayment-reverse": lambda s: reverse("funds:repayment-reverse", args=[s["repayment"].pk]),
}
ALL_PAGES = {**READ_PAGES, **WRITE_PAGES}


def statuses(client, pages, setup, method="get"):
    return {name: getattr(client, method)(url(setup)).status_code for name, url in pages.items()}


def test_anonymous_users_are_sent_to_login(client, setup):
    for name, url in ALL_PAGES.items():
        response = client.get(url(setup))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


@pytest.mark.parametrize("who", ["other_staff", "thanh_hoa_officer", "nobody"])
def test_people_outside_the_area_get_404(client_for, setup, who, request):
    client = client_for(request.getfixturevalue(who))
    assert set(statuses(client, ALL_PAGES, setup).values()) == {404}
    assert set(statuses(client, WRITE_PAGES, setup, "post").values()) == {404}


@pytest.mark.parametrize("who", ["staff", "admin_user"])
def test_commune_staff_and_admins_use_every_page(client_for, setup, who, request):
    client = client_for(request.getfixturevalue(who))
    assert statuses(client, ALL_PAGES, setup) == {
        name: 302 if name == "collection-start" else 200 for name in ALL_PAGES
    }


def test_province_officers_read_but_do_not_write(client_for, setup, lai_chau_officer):
    client = client_for(lai_chau_officer)
    assert statuses(client, READ_PAGES, setup) == {
        name: 302 if name == "collection-start" else 200 for name in READ_PAGES
    }
    assert set(statuses(client, WRITE_PAGES, setup).values()) == {403}
    assert set(statuses(client, WRITE_PAGES, setup, "post").values()) == {403}
    # The collection sheet shows no inputs to them, and refuses their submission.
    sheet = READ_PAGES["collection-sheet"](setup)
    assert 'name="p' not in client.get(sheet).content.decode()
    assert client.post(sheet, {}).status_code == 403


def test_the_area_loan_list_is_scoped(client_for, setup, other_club, staff, other_staff, lai_chau_officer):
    other = make_member(other_club, full_name="Người Than Uyên")
    contribute(income(other_club), 5_000_000, D(2024, 3, 1))
    other_loan = lend(income(other_club), other, 1_000_000, D(2024, 4, 1))

    def listed(user):
        return {loan.pk for loan in client_for(user).get(reverse("funds:loan-list")).context["page"]}

    assert listed(staff) == {setup["loan"].pk}
    assert listed(other_staff) == {other_loan.pk}
    assert listed(lai_chau_officer) == {setup["loan"].pk, other_loan.pk}
