"""Fund blocks other pages include: a club's balances on the club page, a member's loans on theirs."""

from django import template
from django.utils import timezone

from clubs.access import can_edit
from clubs.models import Club
from funds.models import FundKind, Loan
from funds.selectors import fund_balances, fund_figures, loan_status, loans_with_position

register = template.Library()


@register.inclusion_tag("funds/_club_summary_card.html", takes_context=True)
def club_fund_summary(context, club: Club) -> dict:
    """Both funds' balances today and the loan figures of one club, with links to the fund pages."""
    today = timezone.localdate()
    funds = {fund.kind: fund for fund in club.funds.all()}
    balances = fund_balances([fund.pk for fund in funds.values()], today)
    request = context.get("request")
    return {
        "club": club,
        "today": today,
        "income": balances.get(funds[FundKind.INCOME].pk) if FundKind.INCOME in funds else None,
        "activity": balances.get(funds[FundKind.ACTIVITY].pk) if FundKind.ACTIVITY in funds else None,
        "figures": fund_figures(Club.objects.filter(pk=club.pk), today),
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
