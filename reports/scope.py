"""Where and when a report's figures are taken: a scope (the country, a province, some communes, some
clubs) and a period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clubs.models import Club
from places.models import Commune, Province
from reports.catalogue import AREA_GROUP_LABELS, AREA_GROUPS
from reports.periods import NamedPeriod


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    # The named period (2026-H1…) these dates are, when the report was asked for one.
    named: NamedPeriod | None = field(default=None, compare=False)

    @classmethod
    def year_to_date(cls, on: datetime.date) -> Period:
        return cls(on.replace(month=1, day=1), on)

    @classmethod
    def of(cls, named: NamedPeriod) -> Period:
        return cls(named.start, named.end, named)

    def as_dict(self) -> dict[str, str]:
        data = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.named is not None:
            data["name"] = self.named.label
            data["title"] = self.named.title
        return data


@dataclass(frozen=True)
class Scope:
    """Where the figures are taken: all fields empty means the whole country."""

    province: Province | None = None
    commune: Commune | None = None  # one commune's report (its province is set too)
    commune_ids: frozenset[int] | None = None
    area_group: str | None = None  # a key of AREA_GROUPS
    club: Club | None = None
    club_ids: frozenset[int] | None = None  # a page of clubs, for breakdowns shown a page at a time
    name: str = field(default="", compare=False)

    @property
    def kind(self) -> str:
        if self.club is not None:
            return "club"
        if self.club_ids is not None:
            return "clubs"
        if self.commune is not None:
            return "commune"
        if self.commune_ids is not None:
            return "communes"
        if self.province is not None:
            return "province"
        return "national"

    def with_area_group(self, area_group: str | None) -> Scope:
        return replace(self, area_group=area_group)

    def club_q(self, prefix: str = "") -> Q:
        """A filter on Club rows (or on rows reaching a club through `prefix`, e.g. 'club__')."""
        q = Q()
        if self.province is not None:
            q &= Q(**{f"{prefix}province_id": self.province.pk})
        if self.commune is not None:
            q &= Q(**{f"{prefix}commune_id": self.commune.pk})
        if self.commune_ids is not None:
            q &= Q(**{f"{prefix}commune_id__in": sorted(self.commune_ids)})
        if self.club is not None:
            q &= Q(**{f"{prefix}id": self.club.pk})
        if self.club_ids is not None:
            q &= Q(**{f"{prefix}id__in": sorted(self.club_ids)})
        if self.area_group:
            q &= Q(**{f"{prefix}commune__area_class__in": list(AREA_GROUPS[self.area_group])})
        return q

    def communes(self) -> QuerySet[Commune]:
        communes = Commune.objects.all()
        if self.province is not None:
            communes = communes.filter(province_id=self.province.pk)
        if self.commune is not None:
            communes = communes.filter(pk=self.commune.pk)
        if self.commune_ids is not None:
            communes = communes.filter(id__in=sorted(self.commune_ids))
        if self.area_group:
            communes = communes.filter(area_class__in=list(AREA_GROUPS[self.area_group]))
        return communes

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "name": str(self.label)}
        if self.province is not None:
            data["province_code"] = self.province.code
        if self.commune is not None:
            data["commune_code"] = self.commune.code
        if self.commune_ids is not None:
            data["commune_ids"] = sorted(self.commune_ids)
        if self.club is not None:
            data["club_code"] = self.club.code
        if self.area_group:
            data["area_group"] = self.area_group
        return data

    @property
    def label(self) -> str:
        if self.name:
            base = self.name
        elif self.club is not None:
            base = self.club.name
        elif self.commune is not None:
            base = self.commune.name
        elif self.province is not None:
            base = self.province.name
        else:
            base = str(_("Toàn quốc"))
        if self.area_group:
            return f"{base} – {AREA_GROUP_LABELS[self.area_group]}"
        return base
