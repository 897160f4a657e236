"""A club's composition on a date, checked against the ISHC standard (50–70 members, 60–70 % women…).

The figures are counted in the database, over `Membership` rows running on the date, so a member
who moved between clubs counts in the club they were in on that day. The household status is the
one valid on the date (`HouseholdStatus`), not today's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clubs.models import Club, CompositionStandard
from members.models import Household, Membership, active_on_q, household_valid_on_q, older_person_q


@dataclass(frozen=True)
class Criterion:
    """One line of the composition check: a figure, its bounds and whether it lies within them."""

    key: str
    label: str | Promise
    figure: Decimal | int | None  # a percentage (one decimal) or a count; None when the club has no members
    minimum: int | None
    maximum: int | None
    is_percentage: bool
    met: bool


@dataclass(frozen=True)
class Composition:
    """A club's composition on a date, checked against the standard that applies to its province."""

    club_id: int
    on: datetime.date
    members: int = 0
    women: int = 0
    older: int = 0
    poor: int = 0
    near_poor: int = 0
    hardship: int = 0
    volunteers: int = 0
    criteria: tuple[Criterion, ...] = field(default=(), repr=False)

    @property
    def younger(self) -> int:
        return self.members - self.older

    @property
    def disadvantaged(self) -> int:
        """Poor, near-poor and hardship households together."""
        return self.poor + self.near_poor + self.hardship

    def pct(self, count: int) -> Decimal | None:
        return share_pct(count, self.members)

    @property
    def women_pct(self) -> Decimal | None:
        return self.pct(self.women)

    @property
    def older_pct(self) -> Decimal | None:
        return self.pct(self.older)

    @property
    def younger_pct(self) -> Decimal | None:
        return self.pct(self.younger)

    @property
    def poor_pct(self) -> Decimal | None:
        return self.pct(self.poor)

    @property
    def near_poor_pct(self) -> Decimal | None:
        return self.pct(self.near_poor)

    @property
    def hardship_pct(self) -> Decimal | None:
        return self.pct(self.hardship)

    @property
    def disadvantaged_pct(self) -> Decimal | None:
        return self.pct(self.disadvantaged)

    @property
    def met(self) -> bool:
        """Every criterion of the standard is met."""
        return all(c.met for c in self.criteria)

    @property
    def missed(self) -> list[str | Promise]:
        """The criteria not met, named: "Chưa đạt" says which."""
        return [c.label for c in self.criteria if not c.met]

    def criterion(self, key: str) -> Criterion:
        """One criterion by key: members, women, older, younger, disadvantaged, volunteers."""
        return next(c for c in self.criteria if c.key == key)


def share_pct(count: int | None, total: int | None) -> Decimal | None:
    """count ÷ total as a percentage with one decimal, halves rounded up (24,45 → 24,5): the one rounding
    every page and report shows. None when there is nothing to divide by."""
    if count is None or not total:
        return None
    return (Decimal(100 * count) / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share_between(count: int, total: int, low: int | None, high: int | None) -> bool:
    """Whether count/total, as a percentage, lies in [low, high]; compared exactly, not after rounding."""
    if not total:
        return False
    return (low is None or 100 * count >= low * total) and (high is None or 100 * count <= high * total)


def _criteria(c: Composition, s: CompositionStandard) -> tuple[Criterion, ...]:
    n = c.members
    # The labels name the age the figures were counted with (members.models.older_person_q).
    age = {"age": settings.OLDER_PERSON_AGE}

    def share(key: str, label: Promise, count: int, low: int, high: int) -> Criterion:
        return Criterion(key, label, c.pct(count), low, high, True, share_between(count, n, low, high))

    return (
        Criterion(
            "members",
            _("Số thành viên"),
            n,
            s.members_min,
            s.members_max,
            False,
            s.members_min <= n <= s.members_max,
        ),
        share("women", _("Nữ"), c.women, s.women_pct_min, s.women_pct_max),
        share(
            "older", _("Người cao tuổi (từ %(age)d tuổi)") % age, c.older, s.older_pct_min, s.older_pct_max
        ),
        share(
            "younger",
            _("Người trẻ tuổi (dưới %(age)d tuổi)") % age,
            c.younger,
            s.younger_pct_min,
            s.younger_pct_max,
        ),
        share(
            "disadvantaged",
            _("Hộ nghèo, cận nghèo, hoàn cảnh khó khăn"),
            c.disadvantaged,
            s.poor_pct_min,
            s.poor_pct_max,
        ),
        Criterion(
            "volunteers",
            _("Tình nguyện viên chăm sóc tại nhà"),
            c.volunteers,
            s.volunteers_min,
            None,
            False,
            c.volunteers >= s.volunteers_min,
        ),
    )


def standards_by_province(province_ids: set[int]) -> dict[int | None, CompositionStandard]:
    """The standards for these provinces in one query; key None is the national one (or the defaults)."""
    rows = CompositionStandard.objects.filter(Q(province_id__in=province_ids) | Q(province__isnull=True))
    standards: dict[int | None, CompositionStandard] = {row.province_id: row for row in rows}
    standards.setdefault(None, CompositionStandard())
    return standards


def composition_by_club(clubs: QuerySet[Club], on: datetime.date) -> dict[int, Composition]:
    """The composition of every club in `clubs` on `on`, in three queries however many clubs there are.

    Clubs with no member on the date are included, with zero figures (and so not meeting the standard).
    """
    province_of = dict(clubs.order_by().values_list("id", "province_id"))
    if not province_of:
        return {}
    standards = standards_by_province(set(province_of.values()))
    counts = (
        Membership.objects.filter(active_on_q(on), club_id__in=clubs.order_by().values("id"))
        # The member's household status period covering `on`: at most one, periods do not overlap.
        .annotate(
            status_on=FilteredRelation(
                "member__household_statuses",
                condition=household_valid_on_q(on, "member__household_statuses__"),
            )
        )
        .values("club_id")
        .order_by()
        .annotate(
            members=Count("id"),
            women=Count("id", filter=Q(member__sex="F")),
            older=Count("id", filter=older_person_q(on, prefix="member__")),
            poor=Count("id", filter=Q(status_on__status=Household.POOR)),
            near_poor=Count("id", filter=Q(status_on__status=Household.NEAR_POOR)),
            hardship=Count("id", filter=Q(status_on__status=Household.HARDSHIP)),
            volunteers=Count("id", filter=Q(member__is_volunteer=True)),
        )
    )
    figures = {row.pop("club_id"): row for row in counts}
    result = {}
    for club_id, province_id in province_of.items():
        composition = Composition(club_id=club_id, on=on, **figures.get(club_id, {}))
        standard = standards.get(province_id) or standards[None]
        result[club_id] = replace(composition, criteria=_criteria(composition, standard))
    return result


def composition(club: Club, on: datetime.date) -> Composition:
    """One club's composition on `on` (see `composition_by_club`)."""
    return composition_by_club(Club.objects.filter(pk=club.pk), on)[club.pk]


def club_ids_by_composition(clubs: QuerySet[Club], on: datetime.date, *, met: bool) -> list[int]:
    """Ids of the clubs in `clubs` whose composition meets (or does not meet) the standard on `on`."""
    return [club_id for club_id, c in composition_by_club(clubs, on).items() if c.met == met]
