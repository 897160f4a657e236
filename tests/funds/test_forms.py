"""What the funds pages do with what people type: money as 1.234.567 or 1,5 triệu, errors in Vietnamese."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from funds.models import EntryKind, FundEntry, Loan, Purpose, Repayment, RepaymentPlan, Source
from tests.conftest import make_club, make_member
from tests.funds.conftest import D, activity, contribute, income, lend, repay

pytestmark = pytest.mark.django_db


@pytest.fixture
def hoa(funded_club):
    return make_member(funded_club, full_name="Lò Thị Hoa")


@pytest.fixture
def web(client_for, staff):
    return client_for(staff)


def test_a_contribution_typed_as_1_5_trieu(web, funded_club, hoa):
    response = web.post(
        reverse("funds:entry-add", args=[funded_club.pk]),
        {
            "fund": activity(funded_club).pk,
            "kind": EntryKind.CONTRIBUTION,
            "entry_date": "05/03/2024",
            "amount": "1,5 triệu",
            "source": Source.MEMBERS,
            "member": hoa.pk,
            "document_number": "PT-01",
        },
    )
    assert response.status_code == 302
    entry = FundEntry.objects.get(fund=activity(funded_club))
    assert (entry.amount, entry.entry_date, entry.source, entry.member, entry.document_number) == (
        1_500_000,
        D(2024, 3, 5),
        Source.MEMBERS,
        hoa,
        "PT-01",
    )
    page = web.get(reverse("funds:club-funds", args=[funded_club.pk])).content.decode()
    assert "1.500.000 đ" in page and "50.000.000 đ" in page


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"amount": "1,5"}, "amount", "không hợp lệ"),
        ({"amount": "0"}, "amount", "lớn hơn 0"),
        ({"source": ""}, "source", "nguồn"),
        ({"kind": EntryKind.EXPENSE, "source": "", "category": "meetings"}, "kind", "quỹ hoạt động"),
    ],
)
def test_a_bad_entry_is_shown_again_with_its_error(web, funded_club, changes, field, message):
    data = {
        "fund": income(funded_club).pk,
        "kind": EntryKind.CONTRIBUTION,
        "entry_date": "2024-03-05",
        "amount": "100.000",
        "source": Source.STATE,
        **changes,
    }
    response = web.post(reverse("funds:entry-add", args=[funded_club.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert FundEntry.objects.count() == 1  # only the fixture's contribution


def test_a_transfer_and_its_reversal(web, funded_club):
    response = web.post(
        reverse("funds:transfer", args=[funded_club.pk]),
        {"direction": "income", "amount": "2.000.000", "entry_date": "2024-03-10", "note": "Chi sinh hoạt"},
    )
    assert response.status_code == 302
    out = FundEntry.objects.get(kind=EntryKind.TRANSFER_OUT)
    response = web.post(
        reverse("funds:entry-reverse", args=[out.pk]), {"entry_date": "2024-03-11", "note": "Nhầm"}
    )
    assert response.status_code == 302
    assert FundEntry.objects.filter(kind=EntryKind.CORRECTION).count() == 2
    # Asking again is refused with a message, not an error page.
    response = web.post(
        reverse("funds:entry-reverse", args=[out.pk]), {"entry_date": "2024-03-11", "note": "Nhầm"}
    )
    assert response.status_code == 200
    assert "đã được đảo" in response.content.decode()


def test_disbursing_a_loan_from_the_form(web, funded_club, hoa):
    response = web.post(
        reverse("funds:loan-disburse", args=[funded_club.pk]),
        {
            "member": hoa.pk,
            "disbursed_on": "01/04/2024",
            "principal": "5 triệu",
            "purpose": Purpose.LIVESTOCK,
            "purpose_text": "Nuôi lợn",
            "term_months": "10",
            "interest_rate": "0,5",
            "rate_period": "month",
            "plan": RepaymentPlan.EQUAL_MONTHLY,
        },
    )
    loan = Loan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "funds:loan-detail", args=[loan.pk]
    )
    assert (loan.principal, str(loan.interest_rate), loan.instalments.count()) == (5_000_000, "0.500", 10)
    page = web.get(response["Location"]).content.decode()
    assert "5.000.000 đ" in page and "25.000 đ" in page  # first month's interest


def test_a_custom_schedule_typed_line_by_line(web, funded_club, hoa):
    response = web.post(
        reverse("funds:loan-disburse", args=[funded_club.pk]),
        {
            "member": hoa.pk,
            "disbursed_on": "2024-04-01",
            "principal": "3.000.000",
            "purpose": Purpose.CROPS,
            "term_months": "12",
            "interest_rate": "0",
            "rate_period": "year",
            "plan": RepaymentPlan.CUSTOM,
            "custom_schedule": "01/10/2024; 1.000.000\n01/04/2025; 2 triệu; 0\n",
        },
    )
    assert response.status_code == 302
    assert list(Loan.objects.get().instalments.values_list("due_on", "principal_due")) == [
        (D(2024, 10, 1), 1_000_000),
        (D(2025, 4, 1), 2_000_000),
    ]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"principal": "60 triệu"}, "principal", "chỉ còn 50.000.000 đ"),
        ({"plan": RepaymentPlan.CUSTOM}, "custom_schedule", "lịch trả riêng"),
        ({"plan": RepaymentPlan.CUSTOM, "custom_schedule": "mai; 1000"}, "custom_schedule", "Dòng 1"),
        (
            {"plan": RepaymentPlan.CUSTOM, "custom_schedule": "01/10/2024; 1.000.000"},
            "custom_schedule",
            "phải bằng",
        ),
        ({"purpose": Purpose.OTHER}, "purpose_text", "cụ thể"),
        ({"interest_rate": "-1"}, "interest_rate", ""),
    ],
)
def test_a_refused_loan_shows_why_and_saves_nothing(web, funded_club, hoa, changes, field, message):
    data = {
        "member": hoa.pk,
        "disbursed_on": "2024-04-01",
        "principal": "3.000.000",
        "purpose": Purpose.CROPS,
        "term_months": "12",
        "interest_rate": "0",
        "rate_period": "month",
        "plan": RepaymentPlan.EQUAL_MONTHLY,
        **changes,
    }
    response = web.post(reverse("funds:loan-disburse", args=[funded_club.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Loan.objects.exists()


def test_the_repayment_form_refuses_interest_beyond_the_schedule(web, funded_club, hoa):
    loan = lend(income(funded_club), hoa, 3_000_000, D(2024, 4, 1), term=3, rate="1")  # 30k+20k+10k
    url = reverse("funds:loan-repay", args=[loan.pk])
    response = web.post(url, {"paid_on": "2024-05-01", "principal": "1.000.000", "interest": "600.000"})
    assert response.status_code == 200
    assert "lớn hơn số lãi còn phải trả của cả khoản vay (60.000 đ)" in " ".join(
        response.context["form"].errors["interest"]
    )
    free = lend(income(funded_club), hoa, 1_000_000, D(2024, 4, 1), rate="0")
    response = web.post(
        reverse("funds:loan-repay", args=[free.pk]), {"paid_on": "2024-05-01", "interest": "10.000"}
    )
    assert "không tính lãi" in response.content.decode()
    assert not Repayment.objects.exists()
    assert not FundEntry.objects.filter(kind=EntryKind.INTEREST).exists()


def test_repaying_writing_off_and_cancelling_from_the_forms(web, funded_club, hoa):
    loan = lend(income(funded_club), hoa, 3_000_000, D(2024, 4, 1), rate="1")
    response = web.post(
        reverse("funds:loan-repay", args=[loan.pk]),
        {"paid_on": "2024-05-01", "principal": "1.000.000", "interest": "30k"},
    )
    assert response.status_code == 302
    repayment = Repayment.objects.get()
    assert (repayment.principal, repayment.interest) == (1_000_000, 30_000)

    response = web.post(
        reverse("funds:loan-repay", args=[loan.pk]), {"paid_on": "2024-05-02", "principal": "2.000.001"}
    )
    assert response.status_code == 200
    assert "lớn hơn số còn nợ (2.000.000 đ)" in response.content.decode()
    response = web.post(reverse("funds:loan-repay", args=[loan.pk]), {"paid_on": "2024-05-02"})
    assert "gốc hoặc tiền lãi" in response.content.decode()

    response = web.post(reverse("funds:repayment-reverse", args=[repayment.pk]), {"note": "Ghi nhầm số"})
    assert response.status_code == 302
    assert Repayment.objects.filter(reverses=repayment).exists()

    response = web.post(
        reverse("funds:loan-write-off", args=[loan.pk]),
        {
            "written_off_on": "2024-12-01",
            "reason": "Gia đình gặp thiên tai",
            "approved_by": "Ban Chủ nhiệm CLB",
        },
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert (loan.written_off_amount, loan.write_off_approved_by) == (3_000_000, "Ban Chủ nhiệm CLB")
    page = web.get(reverse("funds:loan-detail", args=[loan.pk])).content.decode()
    assert "Gia đình gặp thiên tai" in page and "Đã xóa nợ" in page


def test_the_ledger_filters(web, funded_club):
    contribute(activity(funded_club), 700_000, D(2024, 3, 2), source=Source.DONOR_PERSON)
    url = reverse("funds:club-funds", args=[funded_club.pk])
    assert len(web.get(url).context["page"]) == 2
    assert [e.amount for e in web.get(url, {"fund": "activity"}).context["page"]] == [700_000]
    assert [e.amount for e in web.get(url, {"source": "state"}).context["page"]] == [50_000_000]
    assert [e.amount for e in web.get(url, {"date_from": "2024-03-02"}).context["page"]] == [700_000]
    # Balances at an earlier date.
    response = web.get(url, {"on": "2024-03-01"})
    assert response.context["figures"]["capital"] == 50_000_000


def test_the_loan_list_filters(web, funded_club, hoa):
    mai = make_member(funded_club, full_name="Tòng Thị Mai")
    late = lend(
        income(funded_club), hoa, 1_000_000, D(2024, 4, 1), term=2, purpose=Purpose.TRADE
    )  # due 01/05, 01/06
    on_time = lend(income(funded_club), mai, 1_000_000, D(2024, 4, 1), term=2)
    repay(on_time, D(2024, 5, 1), 500_000)
    # Late on 31/05 and repaid in full since: on that date its instalments say it was late, not its
    # running totals (nothing unpaid now). Still late today, and never repaid: the totals say it.
    repay(late, D(2024, 7, 15), 1_000_000)
    still_late = lend(income(funded_club), make_member(funded_club, full_name="Lò Văn Pọm"), 1_000_000, D(2024, 4, 1), term=2)  # fmt: skip
    url = reverse("funds:club-loans", args=[funded_club.pk])

    def listed(**params):
        return {loan.pk for loan in web.get(url, {"on": "2024-05-31", **params}).context["page"]}

    assert listed() == {late.pk, on_time.pk, still_late.pk}
    assert listed(status="overdue") == {late.pk, still_late.pk}
    assert listed(status="active") == {on_time.pk}
    assert listed(late="0") == {late.pk, still_late.pk}
    assert listed(late="30") == set()  # 30 days late on 31/05 is not more than 30
    assert listed(late="30", on="2024-06-01") == {late.pk, still_late.pk}
    assert listed(status="overdue", on="2024-08-01") == {on_time.pk, still_late.pk}  # `late` repaid on 15/07
    assert listed(status="repaid", on="2024-08-01") == {late.pk}
    assert listed(purpose="trade") == {late.pk}
    assert listed(q="tong thi") == {on_time.pk}


def test_the_loan_list_counts_up_to_a_cap_and_says_more(web, funded_club, hoa, monkeypatch):
    """Past the cap the list says "more than": counting every loan of a broad filter over the country
    cost more than the page. Under it the count is exact."""
    people = [hoa, *(make_member(funded_club, full_name=f"Người Vay {n}") for n in range(2))]
    loans = [lend(income(funded_club), person, 1_000_000, D(2024, 4, 1 + n), term=2) for n, person in enumerate(people)]
    url = reverse("funds:club-loans", args=[funded_club.pk])
    monkeypatch.setattr("funds.views.LIST_COUNT_CAP", 2)
    response = web.get(url)
    assert response.context["page"].paginator.capped
    assert "Hơn 2 khoản vay" in response.content.decode()
    # Pages reach as far as the cap (as the member list's): here the two newest loans.
    assert [loan.pk for loan in response.context["page"]] == [loans[2].pk, loans[1].pk]
    monkeypatch.setattr("funds.views.LIST_COUNT_CAP", 3)
    response = web.get(url)
    assert not response.context["page"].paginator.capped and response.context["page"].paginator.count == 3
    assert "3 khoản vay" in response.content.decode() and "Hơn" not in response.content.decode()


def test_the_collection_sheet_saves_every_line_or_none(web, funded_club, hoa):
    mai = make_member(funded_club, full_name="Tòng Thị Mai")
    a = lend(income(funded_club), hoa, 2_000_000, D(2024, 4, 1), term=2, rate="1")
    b = lend(income(funded_club), mai, 1_000_000, D(2024, 4, 1), term=1)
    url = reverse("life:collection-sheet", args=[funded_club.pk, "2024-05-01"])
    page = web.get(url)
    rows = {loan.pk: loan for loan, *_ in page.context["rows"]}
    assert (rows[a.pk].principal_due_now, rows[a.pk].interest_due_now) == (1_000_000, 20_000)
    assert (rows[b.pk].principal_due_now, rows[b.pk].interest_due_now) == (1_000_000, 0)

    # One line above the debt: nothing is saved, the line says why, the typed values stay.
    response = web.post(url, {f"p{a.pk}": "1.000.000", f"i{a.pk}": "20.000", f"p{b.pk}": "1.000.001"})
    assert response.status_code == 200
    assert not Repayment.objects.exists()
    assert FundEntry.objects.filter(kind=EntryKind.INTEREST).count() == 0
    page = response.content.decode()
    assert "lớn hơn số còn nợ" in page and 'value="1.000.001"' in page

    response = web.post(
        url, {f"p{a.pk}": "1 triệu", f"i{a.pk}": "20.000", f"p{b.pk}": "1.000.000", f"i{b.pk}": ""}
    )
    assert response.status_code == 302
    assert set(Repayment.objects.values_list("loan_id", "paid_on", "principal", "interest")) == {
        (a.pk, D(2024, 5, 1), 1_000_000, 20_000),
        (b.pk, D(2024, 5, 1), 1_000_000, 0),
    }
    # b is repaid: it still shows on that day (paid today), not on the next meeting.
    assert b.pk in {loan.pk for loan, *_ in web.get(url).context["rows"]}
    next_meeting = reverse("life:collection-sheet", args=[funded_club.pk, "2024-06-01"])
    assert {loan.pk for loan, *_ in web.get(next_meeting).context["rows"]} == {a.pk}


def test_the_collection_sheet_refuses_what_is_not_money(web, funded_club, hoa):
    loan = lend(income(funded_club), hoa, 2_000_000, D(2024, 4, 1), term=2)
    url = reverse("life:collection-sheet", args=[funded_club.pk, "2024-05-01"])
    response = web.post(url, {f"p{loan.pk}": "một triệu"})
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()
    assert not Repayment.objects.exists()


def test_the_collection_sheet_opens_on_the_chosen_date(web, funded_club):
    response = web.get(reverse("life:collection-start", args=[funded_club.pk]), {"date": "2024-05-01"})
    assert response["Location"] == reverse("life:collection-sheet", args=[funded_club.pk, "2024-05-01"])


def test_the_club_and_member_partials(funded_club, hoa, staff, django_assert_max_num_queries):
    loan = lend(income(funded_club), hoa, 2_000_000, D(2024, 4, 1), term=2)
    repay(loan, D(2024, 5, 1), 1_000_000)
    request = RequestFactory().get("/")
    request.user = staff
    with django_assert_max_num_queries(14):
        html = render_to_string("funds/_club_summary.html", {"club": funded_club, "request": request})
    assert "49.000.000 đ" in html  # cash: 50 M − 2 M + 1 M
    assert reverse("funds:loan-disburse", args=[funded_club.pk]) in html
    with django_assert_max_num_queries(2):
        html = render_to_string("funds/_member_loans.html", {"member": hoa})
    assert (
        "2.000.000 đ" in html
        and "1.000.000 đ" in html
        and reverse("funds:loan-detail", args=[loan.pk]) in html
    )


def test_the_nav_link_shows_to_people_with_an_area(client_for, staff, nobody):
    assert reverse("funds:loan-list") in client_for(staff).get(reverse("home")).content.decode()
    assert reverse("funds:loan-list") not in client_for(nobody).get(reverse("home")).content.decode()


def test_the_admin_shows_the_ledger_but_does_not_edit_it(client_for, admin_user, funded_club):
    client = client_for(admin_user)
    entry = FundEntry.objects.get()
    assert client.get(reverse("admin:funds_fundentry_changelist")).status_code == 200
    assert client.get(reverse("admin:funds_fundentry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:funds_fundentry_add")).status_code == 403
    client.post(reverse("admin:funds_fundentry_change", args=[entry.pk]), {"amount": "1"})
    entry.refresh_from_db()
    assert entry.amount == 50_000_000
    assert client.get(reverse("admin:funds_loan_changelist")).status_code == 200


def _many_loans(commune, clubs: int, loans_each: int):
    for _ in range(clubs):
        club = make_club(commune)
        contribute(income(club), 100_000_000, D(2024, 3, 1))
        for n in range(loans_each):
            loan = lend(
                income(club),
                make_member(club, full_name=f"Người vay {n}"),
                1_000_000,
                D(2024, 4, 1),
                term=2,
                rate="0.5",
            )
            repay(loan, D(2024, 5, 1), 500_000, 5_000)


def test_lists_run_a_bounded_number_of_queries(
    client_for, admin_user, tan_uyen, django_assert_max_num_queries
):
    _many_loans(tan_uyen, clubs=3, loans_each=8)
    client = client_for(admin_user)
    club_id = income(make_club(tan_uyen)).club_id  # an empty club, for the empty pages
    busiest = Loan.objects.values_list("fund__club_id", flat=True).first()
    loan = Loan.objects.first()
    pages = {
        reverse("funds:loan-list"): 24,
        reverse("funds:club-loans", args=[busiest]): 8,
        reverse("funds:club-funds", args=[busiest]): 9,  # the contribution and 8 interest entries
        reverse("life:collection-sheet", args=[busiest, "2024-06-01"]): 8,
        reverse("funds:loan-detail", args=[loan.pk]): None,
        reverse("funds:club-funds", args=[club_id]): 0,
    }
    for url, rows in pages.items():
        with django_assert_max_num_queries(15, info=url):
            response = client.get(url)
        assert response.status_code == 200
        if rows is not None and "page" in response.context:
            assert len(response.context["page"]) == rows, url
        if rows is not None and "rows" in response.context:
            assert len(response.context["rows"]) == rows, url


def test_the_collection_sheet_opens_on_the_latest_meeting(web, funded_club):
    from clubs.models import ActivityArea
    from life.models import Activity, ActivityType

    for held_on in (D(2024, 4, 5), D(2024, 5, 5)):
        Activity.objects.create(
            club=funded_club,
            held_on=held_on,
            area=ActivityArea.values[0],
            kind=ActivityType.MONTHLY_MEETING,
            title="Sinh hoạt",
        )
    response = web.get(reverse("life:collection-start", args=[funded_club.pk]))
    assert response["Location"] == reverse("life:collection-sheet", args=[funded_club.pk, "2024-05-05"])
    page = web.get(response["Location"])
    assert page.context["meetings"] == [D(2024, 5, 5), D(2024, 4, 5)]
    assert reverse("life:collection-sheet", args=[funded_club.pk, "2024-04-05"]) in page.content.decode()
