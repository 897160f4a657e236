"""Reads on members that the list pages and others share."""

import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from clubs.models import BoardMembership
from members.models import DISADVANTAGED, Household, HouseholdStatus, Member, household_valid_on_q


def household_status_on(on: datetime.date) -> Coalesce:
    """The household status valid on `on`, as an expression on `Member` ('none' when no period covers it)."""
    valid = _valid_on(on).order_by("-valid_from").values("status")[:1]
    return Coalesce(Subquery(valid), Value(Household.NONE))


def household_is(on: datetime.date, status: str) -> Q:
    """Members whose household status on `on` is `status`, as a filter (a semi-join, cheap on big areas)."""
    if status == Household.NONE:
        return ~Q(Exists(_valid_on(on).filter(status__in=DISADVANTAGED)))
    return Q(Exists(_valid_on(on).filter(status=status)))


def _valid_on(on: datetime.date) -> QuerySet[HouseholdStatus]:
    return HouseholdStatus.objects.filter(household_valid_on_q(on), member=OuterRef("pk"))


def on_board_on(on: datetime.date) -> Exists:
    """Whether the member holds a board seat on `on`, as an expression on `Member`."""
    return Exists(
        BoardMembership.objects.filter(member=OuterRef("pk"), from_date__lte=on).filter(
            Q(to_date__isnull=True) | Q(to_date__gte=on)
        )
    )


def with_list_figures(members: QuerySet[Member], on: datetime.date) -> QuerySet[Member]:
    """Members with `household_today` and `on_board` computed in the same query (no N+1 in lists)."""
    return members.annotate(household_today=household_status_on(on), on_board=on_board_on(on))


# ---------------------------------------------------------------------------
# One page of a member list, fast at a million members.
# ---------------------------------------------------------------------------

LIST_COUNT_CAP = 5_000
# With words to find, the trigram index hands the matches over cheaply, so more are fetched and sorted
# here: a full name shared by ~10,000 people sits together in name order, far down the index.
LIST_COUNT_CAP_SEARCH = 20_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap`: past that, the list says "more than 5,000".

    Counting every match of a broad filter over a million members costs more than the page itself;
    nobody pages past the first few hundred, and a narrower filter gives the exact count again.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        cap: int = LIST_COUNT_CAP,
        capped: bool = False,
        count: int | None = None,
    ):
        super().__init__(object_list, per_page)
        self.cap = cap
        self.capped = capped
        self.known_count = count  # the matches, when the caller has counted them (up to the cap)

    @cached_property
    def count(self) -> int:
        if self.capped:
            return self.cap
        return len(self.object_list) if self.known_count is None else self.known_count


# Sort keys of the member list: what is fetched beside (search_key, id) to sort the matches here.
SORT_FIELDS = {"name": None, "birth_year": "birth_year", "club": "club__name"}


def member_page(
    members: QuerySet[Member],
    *,
    number,
    on: datetime.date,
    per_page: int,
    searching: bool = False,
    sort: str = "name",
) -> tuple[Page, list[Member], str]:
    """The requested page of `members` in `sort` order (name by default; "-birth_year" reverses),
    its members with the list figures, and the sort order actually used.

    Each step has a plan that stays good whatever the filter, at a million members:
    1. up to LIST_COUNT_CAP + 1 matches (name, id and the sort key) — LIST_COUNT_CAP_SEARCH + 1 when
       `searching` names — in no particular order: the database stops as soon
       as it has them. When that is all of them, they are sorted here and counted exactly — a LIMIT
       query in name order would walk the name index past everyone before "Nguyễn" to find a rare
       full name. When there are more, the list is "more than 5,000" and the page comes from
       the database's LIMIT/OFFSET in name order (either way), which finds common matches at once;
       other sort orders would need a sort of every match, so they wait for a narrower filter;
    2. the page's members with `household_today` and `on_board`, computed for those rows only.
    """
    key = sort.lstrip("-")
    if key not in SORT_FIELDS:
        sort, key = "name", "name"
    reverse = sort.startswith("-")
    extra = SORT_FIELDS[key]
    cap = LIST_COUNT_CAP_SEARCH if searching else LIST_COUNT_CAP
    fields = ["search_key", "id"] + ([extra] if extra else [])
    matches = list(members.order_by().values_list(*fields)[: cap + 1])
    if len(matches) <= cap:
        if extra:
            # Unknown values (no birth year) last whichever way; ties in name order.
            matches.sort(key=lambda row: (row[0], row[1]))
            known = sorted((row for row in matches if row[2] is not None), key=lambda row: row[2], reverse=reverse)
            ordered = known + [row for row in matches if row[2] is None]
        else:
            ordered = sorted(matches, key=lambda row: (row[0], row[1]), reverse=reverse)
        paginator = CappedPaginator([row[1] for row in ordered], per_page, cap=cap)
    else:
        if extra:
            sort, reverse = "name", False
        order = ("-search_key", "-id") if reverse else ("search_key", "id")
        ids = members.order_by(*order).values_list("id", flat=True)
        paginator = CappedPaginator(ids, per_page, cap=cap, capped=True)
    page = paginator.get_page(number)
    ids = list(page.object_list)
    by_id = {m.pk: m for m in with_list_figures(Member.objects.select_related("club").filter(pk__in=ids), on)}
    return page, [by_id[pk] for pk in ids], sort
