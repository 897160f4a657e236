"""Pages of the funds: a club's ledger, loans, repayments and write-offs (the collection sheet of a
meeting day is in life.views, with the meeting day).

Reads go through `scope` / `get_for_user`; writes check `require_edit` (commune staff of the
club's commune, or an admin) and call the services, which validate and write in one transaction.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs.access import can_edit, get_for_user, require_edit, require_register_writer, scope
from clubs.forms import ClubForm, date_from_text, show_refusal
from clubs.models import Club
from clubs.printing import pdf_response
from funds import services
from funds.forms import (
    EntryForm,
    LedgerFilterForm,
    LoanFilterForm,
    LoanForm,
    RepaymentForm,
    RepaymentReverseForm,
    ReverseForm,
    TransferForm,
    WriteOffForm,
)
from funds.models import EntryKind, FundEntry, FundKind, Loan, Repayment, Source
from funds.selectors import (
    fund_balances,
    fund_balances_from,
    fund_figures,
    loan_status,
    loans_with_position,
)
from members.selectors import LIST_COUNT_CAP, CappedPaginator

PAGE_SIZE = 50


def _club_for(request: HttpRequest, club_id: int) -> Club:
    return get_for_user(Club.objects.select_related("province", "commune"), request.user, pk=club_id)


def _form_page(request, template_context: dict) -> HttpResponse:
    return render(request, "funds/form.html", template_context)


def _on_date(request: HttpRequest) -> datetime.date:
    """The `on` date of a page (dd/mm/yyyy or yyyy-mm-dd in the query string), today by default."""
    return date_from_text(request.GET.get("on")) or timezone.localdate()


# ---------------------------------------------------------------------------
# Founding a club opens its funds.
# ---------------------------------------------------------------------------


@login_required
def club_create(request: HttpRequest) -> HttpResponse:
    """Found a club: its register data, and its two funds opened with it. Its URL is `clubs:club-create`
    (config/urls.py)."""
    require_register_writer(request.user)
    form = ClubForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in {"code", "name", "commune"}}
        try:
            club = services.club_found(
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                commune=form.cleaned_data["commune"],
                **fields,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã thêm CLB %(club)s.") % {"club": club})
            return redirect("clubs:club-detail", pk=club.pk)
    return render(request, "clubs/club_form.html", {"form": form, "club": None})


# ---------------------------------------------------------------------------
# A club's funds: balances, capital by source, the ledger
# ---------------------------------------------------------------------------


@login_required
def club_funds(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club_for(request, club_id)
    on = _on_date(request)
    figures = fund_figures(Club.objects.filter(pk=club.pk), on)
    form = LedgerFilterForm(request.GET or None)
    entries = (
        FundEntry.objects.filter(fund__club=club)
        .select_related("fund", "member", "recorded_by", "reverses", "loan__member")
        .annotate(is_reversed=Exists(FundEntry.objects.filter(reverses=OuterRef("pk"))))
        .order_by("-entry_date", "-id")
    )
    if form.is_valid():
        entries = form.apply(entries)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    sources = [(label, figures["capital_by_source"][value]) for value, label in Source.choices]
    return render(
        request,
        "funds/club_funds.html",
        {
            "club": club,
            "on": on,
            "balances": fund_balances_from(figures),
            "figures": figures,
            "sources": sources,
            "form": form,
            "page": page,
            "can_edit": can_edit(request.user, club),
            "reversible_kinds": {
                EntryKind.CONTRIBUTION,
                EntryKind.EXPENSE,
                EntryKind.INTEREST,
                EntryKind.TRANSFER_IN,
                EntryKind.TRANSFER_OUT,
            },
        },
    )


@login_required
def entry_add(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club_for(request, club_id)
    require_edit(request.user, club)
    initial = {}
    if request.GET.get("fund") in FundKind.values:
        initial["fund"] = club.funds.filter(kind=request.GET["fund"]).first()
    form = EntryForm(request.POST or None, club=club, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.fund_entry_add(
                fund=data["fund"],
                kind=data["kind"],
                amount=data["amount"],
                entry_date=data["entry_date"],
                source=data["source"],
                category=data["category"],
                member=data["member"],
                document_number=data["document_number"],
                note=data["note"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã ghi sổ quỹ."))
            return redirect("funds:club-funds", club_id=club.pk)
    return _form_page(
        request, {"club": club, "form": form, "title": _("Ghi sổ quỹ"), "back": ("funds:club-funds", club.pk)}
    )


@login_required
def entry_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_for_user(FundEntry.objects.select_related("fund__club", "member"), request.user, pk=pk)
    require_edit(request.user, entry)
    club = entry.fund.club
    form = ReverseForm(request.POST or None, lock_club=club)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_entry_reverse(
                entry=entry,
                entry_date=form.cleaned_data["entry_date"],
                note=form.cleaned_data["note"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã ghi bút toán đảo."))
            return redirect("funds:club-funds", club_id=club.pk)
    return _form_page(
        request,
        {
            "club": club,
            "form": form,
            "title": _("Đảo bút toán"),
            "entry": entry,
            "confirm": _("Ghi bút toán đảo? Bút toán cũ sẽ bị triệt tiêu."),
            "back": ("funds:club-funds", club.pk),
        },
    )


@login_required
def transfer(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club_for(request, club_id)
    require_edit(request.user, club)
    form = TransferForm(request.POST or None, lock_club=club)
    if request.method == "POST" and form.is_valid():
        funds = {fund.kind: fund for fund in club.funds.all()}
        source_kind = form.cleaned_data["direction"]
        target_kind = FundKind.ACTIVITY if source_kind == FundKind.INCOME else FundKind.INCOME
        try:
            services.fund_transfer(
                from_fund=funds[source_kind],
                to_fund=funds[target_kind],
                amount=form.cleaned_data["amount"],
                entry_date=form.cleaned_data["entry_date"],
                note=form.cleaned_data["note"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã chuyển tiền giữa hai quỹ."))
            return redirect("funds:club-funds", club_id=club.pk)
    return _form_page(
        request, {"club": club, "form": form, "title": _("Chuyển quỹ"), "back": ("funds:club-funds", club.pk)}
    )


# ---------------------------------------------------------------------------
# Loans
# ---------------------------------------------------------------------------


def _loan_list_page(request: HttpRequest, loans: QuerySet[Loan], context: dict) -> HttpResponse:
    form = LoanFilterForm(request.GET or None)
    on = form.on_date()
    if form.is_valid():
        loans = form.apply(loans, on)
    # Counted up to a cap, as the member list: the exact count of a broad filter over the country's
    # 860,000 loans cost more than the page (an admin's "overdue" list: 0.26 s of its 0.29 s).
    found = len(loans.order_by().values_list("pk", flat=True)[: LIST_COUNT_CAP + 1])
    loans = loans_with_position(loans.select_related("member", "fund__club"), on).order_by(
        "-disbursed_on", "-id"
    )
    paginator = CappedPaginator(
        loans, PAGE_SIZE, cap=LIST_COUNT_CAP, capped=found > LIST_COUNT_CAP, count=found
    )
    page = paginator.get_page(request.GET.get("page"))
    for loan in page:
        loan.status = loan_status(loan, on)
    return render(request, "funds/loan_list.html", {"form": form, "page": page, "on": on, **context})


@login_required
def loan_list(request: HttpRequest) -> HttpResponse:
    return _loan_list_page(request, scope(Loan.objects.all(), request.user), {"club": None})


@login_required
def club_loans(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club_for(request, club_id)
    return _loan_list_page(
        request,
        Loan.objects.filter(fund__club=club),
        {"club": club, "can_edit": can_edit(request.user, club)},
    )


def _loan_for(request: HttpRequest, pk: int) -> Loan:
    return get_for_user(
        Loan.objects.select_related("member", "fund__club", "recorded_by"), request.user, pk=pk
    )


@login_required
def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan_for(request, pk)
    on = _on_date(request)
    loan = (
        loans_with_position(Loan.objects.filter(pk=loan.pk), on)
        .select_related("member", "fund__club", "recorded_by")
        .get()
    )
    status = loan_status(loan, on)
    instalments = list(loan.instalments.order_by("number"))
    for instalment in instalments:
        instalment.is_due = instalment.due_on <= on
        instalment.is_paid = instalment.paid_on is not None and instalment.paid_on <= on
        instalment.on_time = instalment.is_paid and instalment.paid_on <= instalment.due_on
        instalment.days_late = (
            (on - instalment.due_on).days if instalment.due_on < on and not instalment.is_paid else 0
        )
    repayments = list(
        loan.repayments.select_related("recorded_by")
        .annotate(is_reversed=Exists(Repayment.objects.filter(reverses=OuterRef("pk"))))
        .order_by("paid_on", "id")
    )
    entries = list(loan.fund_entries.select_related("recorded_by").order_by("entry_date", "id"))
    return render(
        request,
        "funds/loan_detail.html",
        {
            "loan": loan,
            "club": loan.fund.club,
            "on": on,
            "status": status,
            "instalments": instalments,
            "repayments": repayments,
            "entries": entries,
            "can_edit": can_edit(request.user, loan),
            "totals": {
                "principal_due": sum(i.principal_due for i in instalments),
                "interest_due": sum(i.interest_due for i in instalments),
                "principal_paid": sum(r.principal for r in repayments),
                "interest_paid": sum(r.interest for r in repayments),
            },
        },
    )


@login_required
def loan_disburse(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club_for(request, club_id)
    require_edit(request.user, club)
    fund = club.funds.get(kind=FundKind.INCOME)
    form = LoanForm(request.POST or None, club=club)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = services.loan_disburse(
                fund=fund,
                member=data["member"],
                disbursed_on=data["disbursed_on"],
                principal=data["principal"],
                purpose=data["purpose"],
                purpose_text=data["purpose_text"],
                term_months=data["term_months"],
                interest_rate=data["interest_rate"],
                rate_period=data["rate_period"],
                plan=data["plan"],
                custom_schedule=data["custom_schedule"] or None,
                note=data["note"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã giải ngân khoản vay và lập lịch trả nợ."))
            return redirect("funds:loan-detail", pk=loan.pk)
    cash = fund_balances([fund.pk], timezone.localdate())[fund.pk]["cash"]
    return _form_page(
        request,
        {
            "club": club,
            "form": form,
            "title": _("Giải ngân khoản vay"),
            "back": ("funds:club-loans", club.pk),
            "cash": cash,
        },
    )


@login_required
def loan_repay(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan_for(request, pk)
    require_edit(request.user, loan)
    form = RepaymentForm(request.POST or None, lock_club=loan.fund.club)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.loan_repay(
                loan=loan,
                paid_on=data["paid_on"],
                principal=data["principal"] or 0,
                interest=data["interest"] or 0,
                note=data["note"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã ghi lần trả nợ."))
            return redirect("funds:loan-detail", pk=loan.pk)
    return _form_page(
        request,
        {
            "club": loan.fund.club,
            "loan": loan,
            "form": form,
            "title": _("Ghi trả nợ"),
            "back": ("funds:loan-detail", loan.pk),
        },
    )


@login_required
def repayment_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    repayment = get_for_user(
        Repayment.objects.select_related("loan__member", "loan__fund__club"), request.user, pk=pk
    )
    require_edit(request.user, repayment)
    loan = repayment.loan
    form = RepaymentReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.repayment_reverse(
                repayment=repayment, note=form.cleaned_data["note"], recorded_by=request.user
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã hủy lần trả nợ."))
            return redirect("funds:loan-detail", pk=loan.pk)
    return _form_page(
        request,
        {
            "club": loan.fund.club,
            "loan": loan,
            "repayment": repayment,
            "form": form,
            "title": _("Hủy lần trả nợ ghi nhầm"),
            "confirm": _("Hủy lần trả nợ này của %(name)s?") % {"name": loan.member.full_name},
            "back": ("funds:loan-detail", loan.pk),
        },
    )


@login_required
def loan_write_off(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan_for(request, pk)
    require_edit(request.user, loan)
    form = WriteOffForm(request.POST or None, lock_club=loan.fund.club)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.loan_write_off(
                loan=loan,
                written_off_on=data["written_off_on"],
                reason=data["reason"],
                approved_by=data["approved_by"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã xóa nợ khoản vay."))
            return redirect("funds:loan-detail", pk=loan.pk)
    return _form_page(
        request,
        {
            "club": loan.fund.club,
            "loan": loan,
            "form": form,
            "title": _("Xóa nợ khó đòi"),
            "confirm": _("Xóa nợ khoản vay của %(name)s? Việc này không hoàn lại được.")
            % {"name": loan.member.full_name},
            "back": ("funds:loan-detail", loan.pk),
        },
    )


@login_required
def loan_card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's loan card (A4): the loan, its schedule and every payment, with blank lines for
    the payments still to come, signed by the treasurer at each meeting."""
    loan = _loan_for(request, pk)
    today = timezone.localdate()
    loan = loans_with_position(Loan.objects.filter(pk=loan.pk), today).select_related("member", "fund__club__commune").get()
    instalments = list(loan.instalments.order_by("number"))
    for instalment in instalments:
        instalment.total = instalment.principal_due + instalment.interest_due
    unpaid = sum(1 for i in instalments if i.paid_on is None)
    return pdf_response(
        "papers/loan_card.html",
        {
            "loan": loan,
            "club": loan.fund.club,
            "today": today,
            "outstanding": loan.outstanding,
            "status": loan_status(loan, today),
            "instalments": instalments,
            "repayments": list(loan.repayments.order_by("paid_on", "id")),
            "blank_lines": range(max(3, unpaid)),
        },
        filename=f"the-vay-{loan.member.full_name}-{loan.disbursed_on:%Y%m%d}",
        request=request,
    )
