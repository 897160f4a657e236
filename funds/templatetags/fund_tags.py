"""Fund blocks other pages include: a club's balances on the club page, a member's loans on theirs."""

from decimal import Decimal

from django import template
from django.utils import timezone

from clubs.access import can_edit
from clubs.models import Club
from funds.models import FundKind, Loan
from funds.selectors import fund_balances_from, fund_figures, loan_status, loans_with_position

register = template.Library()


@register.inclusion_tag("funds/_club_summary_card.html", takes_context=True)
def club_fund_summary(context, club: Club) -> dict:
    """Both funds' balances today and the loan figures of one club, with links to the fund pages."""
    today = timezone.localdate()
    figures = fund_figures(Club.objects.filter(pk=club.pk), today)
    balances = fund_balances_from(figures)
    request = context.get("request")
    return {
        "club": club,
        "today": today,
        "income": balances[FundKind.INCOME],
        "activity": balances[FundKind.ACTIVITY],
        "figures": figures,
        "can_edit": request is not None and can_edit(request.user, club),
    }


@register.inclusion_tag("funds/_member_loans_table.html", takes_context=True)
def member_loans(context, member) -> dict:
    """A member's loans, newest first, with what is outstanding and their status today."""
    today = timezone.localdate()
    loans = list(
        loans_with_position(Loan.objects.filter(member=member).select_related("fund__club"), today).order_by(
            "-disbursed_on", "-id"
        )
    )
    for loan in loans:
        loan.status = loan_status(loan, today)
    return {"member": member, "loans": loans, "today": today}


@register.filter
def user_name(user) -> str:
    """Who recorded something: their full name, else their login, else nothing (imports, demo)."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


@register.filter
def rate(value) -> str:
    """An interest rate as Vietnamese write it: 0.500 → '0,5', 12 → '12'."""
    if value in (None, ""):
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")
