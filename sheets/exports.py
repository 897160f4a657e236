"""Exports of clubs, members, loans and ledgers with the headers the imports read, so that an
export imported again changes nothing. Only what the user's area covers; citizen IDs only for
those who may edit the register (province officers read but do not need them).

Each function returns (headers, rows); rows is a lazy iterator over a bounded number of queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone, translation

from clubs.access import area_of, scope
from clubs.models import BoardMembership, BoardRole, Club
from funds.models import EntryKind, FundEntry, FundKind, Loan, Purpose, RatePeriod, Source
from funds.selectors import open_loans_owing
from members.ethnicity import ETHNIC_GROUPS
from members.models import Household, Member, Sex
from sheets.columns import CLUB_COLUMNS, CONTRIBUTION_COLUMNS, LOAN_COLUMNS, MEMBER_COLUMNS

_ETHNICITY = dict(ETHNIC_GROUPS)
EXPORT_KINDS = ("clubs", "members", "loans", "ledger")


def may_see_citizen_ids(user: Any) -> bool:
    area = area_of(user)
    return area.is_admin or area.is_commune_staff


def _headers(columns, *, skip=()) -> list[str]:
    return [c.header for c in columns if c.key not in skip]


def _labels(choices) -> dict:
    with translation.override("vi"):  # the import reads Vietnamese labels whatever the user's language
        return {value: str(label) for value, label in choices}


def export_clubs(user: Any, clubs=None, base=None) -> tuple[list[str], Iterator[list]]:
    queryset = scope(base if base is not None else Club.objects.all(), user)
    if clubs is not None:
        queryset = queryset.filter(pk__in=clubs)
    queryset = queryset.select_related("province", "commune", "legacy_commune__district")

    def rows():
        for club in queryset.order_by("code").iterator(chunk_size=2000):
            legacy = club.legacy_commune
            yield [
                club.code, club.name, club.province.name, club.commune.name,
                legacy.name if legacy else "", legacy.district.name if legacy else "", club.villages,
                club.decision_number, club.decision_date, club.launched_on,
            ]  # fmt: skip

    return _headers(CLUB_COLUMNS), rows()


def export_members(user: Any, clubs=None, base=None) -> tuple[list[str], Iterator[list]]:
    """Current members (those who left are in the register, not in the list)."""
    with_ids = may_see_citizen_ids(user)
    club_filter = Q(club__in=clubs) if clubs is not None else Q()
    seat = BoardMembership.objects.filter(member=OuterRef("pk"), to_date__isnull=True).order_by("from_date")
    queryset = (
        scope((base if base is not None else Member.objects).filter(club_filter, left_on__isnull=True), user)
        .annotate(board_role=Subquery(seat.values("role")[:1]))
        .order_by("club__code", "search_key", "id")
        .values(
            "full_name",
            "birth_year",
            "birth_date",
            "sex",
            "ethnicity",
            "household",
            "village",
            "citizen_id",
            "phone",
            "joined_on",
            "board_role",
            "is_volunteer",
            "has_health_insurance",
            "club__code",
        )  # fmt: skip
    )
    sexes, households, roles = _labels(Sex.choices), _labels(Household.choices), _labels(BoardRole.choices)
    skip = () if with_ids else ("citizen_id",)

    def rows():
        for number, m in enumerate(queryset.iterator(chunk_size=5000), start=1):
            row = [
                number, m["full_name"], m["birth_year"], m["birth_date"], sexes[m["sex"]], _ETHNICITY.get(m["ethnicity"], ""),
                households[m["household"]], m["village"], m["citizen_id"] or "", m["phone"], m["joined_on"],
                roles.get(m["board_role"], ""), "x" if m["is_volunteer"] else "", "x" if m["has_health_insurance"] else "",
                m["club__code"],
            ]  # fmt: skip
            if not with_ids:
                del row[8]
            yield row

    return _headers(MEMBER_COLUMNS, skip=skip), rows()


def format_rate(rate, period: str) -> str:
    number = f"{rate.normalize():f}".replace(".", ",")
    return f"{number}%/{'tháng' if period == RatePeriod.MONTH else 'năm'}"


def export_loans(user: Any, clubs=None, base=None) -> tuple[list[str], Iterator[list]]:
    """Loans still owed, with today's outstanding principal as `Dư nợ`."""
    with_ids = may_see_citizen_ids(user)
    club_filter = Q(fund__club__in=clubs) if clubs is not None else Q()
    loans = scope((base if base is not None else Loan.objects).filter(club_filter), user)
    # Plain rows, not model instances: a country's export is 232,000 loans with their club and member.
    queryset = (
        open_loans_owing(loans, timezone.localdate())
        .order_by("fund__club__code", "member__search_key", "disbursed_on", "id")
        .values_list(
            "fund__club__code", "member__full_name", "member__birth_year", "member__citizen_id", "disbursed_on",
            "principal", "term_months", "interest_rate", "rate_period", "purpose", "purpose_text", "outstanding",
        )
    )  # fmt: skip
    purposes = _labels(Purpose.choices)
    skip = () if with_ids else ("citizen_id",)

    def rows():
        for values in queryset.iterator(chunk_size=2000):
            code, name, born, citizen_id, day, principal, term, rate, period, purpose, text, owed = values
            if owed <= 0:
                continue
            label = f"{purposes[purpose]}: {text}" if text else purposes[purpose]
            row = [code, name, born, citizen_id or "", day, principal, term, format_rate(rate, period), label]
            row.append(owed)
            if not with_ids:
                del row[3]
            yield row

    return _headers(LOAN_COLUMNS, skip=skip), rows()


def export_ledger(user: Any, clubs=None, base=None) -> tuple[list[str], Iterator[list]]:
    """Every ledger entry of the funds; importing it back as contributions changes nothing."""
    club_filter = Q(fund__club__in=clubs) if clubs is not None else Q()
    queryset = (
        scope((base if base is not None else FundEntry.objects).filter(club_filter), user)
        .order_by("fund__club__code", "fund__kind", "entry_date", "id")
        .values("id", "fund__club__code", "fund__kind", "entry_date", "kind", "amount", "source", "note")
    )
    funds, kinds, sources = _labels(FundKind.choices), _labels(EntryKind.choices), _labels(Source.choices)

    def rows():
        for e in queryset.iterator(chunk_size=5000):
            yield [
                e["fund__club__code"], funds[e["fund__kind"]], e["entry_date"], e["amount"],
                sources.get(e["source"], ""), e["note"], kinds[e["kind"]], e["id"],
            ]  # fmt: skip

    return _headers(CONTRIBUTION_COLUMNS), rows()


EXPORTERS = {"clubs": export_clubs, "members": export_members, "loans": export_loans, "ledger": export_ledger}
