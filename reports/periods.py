"""Named reporting periods, parsed in one place: a quarter (`2026-Q3`), a half year (`2026-H1` =
01/01–30/06) or a year (`2026`). The association reports every six months ("sơ kết 6 tháng") and every
year ("tổng kết năm"); the title of a report says which."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings

QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
PATTERN = re.compile(r"^\s*(\d{4})(?:-([QqHh])(\d))?\s*$")


class PeriodNameError(ValueError):
    """A period name that means nothing; the message is Vietnamese, for the user."""


@dataclass(frozen=True)
class NamedPeriod:
    """One reporting period: `kind` is 'year', 'half' or 'quarter'; `number` the half or quarter."""

    year: int
    kind: str
    number: int = 0

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.year)
        return f"{self.year}-{'H' if self.kind == 'half' else 'Q'}{self.number}"

    @property
    def start(self) -> datetime.date:
        if self.kind == "year":
            return datetime.date(self.year, 1, 1)
        months = 6 if self.kind == "half" else 3
        return datetime.date(self.year, (self.number - 1) * months + 1, 1)

    @property
    def end(self) -> datetime.date:
        if self.kind == "year":
            return datetime.date(self.year, 12, 31)
        months = 6 if self.kind == "half" else 3
        last_month = self.number * months
        following = datetime.date(self.year + (last_month == 12), last_month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)

    @property
    def name(self) -> str:
        """What the period is called in a sentence: "6 tháng đầu năm 2026"."""
        if self.kind == "year":
            return f"năm {self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"quý {QUARTER_NAMES[self.number]} năm {self.year}"

    @property
    def title(self) -> str:
        """The report's title: "Báo cáo sơ kết 6 tháng đầu năm 2026", "Báo cáo tổng kết năm 2026"."""
        if self.kind == "year":
            return f"Báo cáo tổng kết năm {self.year}"
        if self.kind == "half" and self.number == 1:
            return f"Báo cáo sơ kết 6 tháng đầu năm {self.year}"
        return f"Báo cáo {self.name}"

    @property
    def heading(self) -> str:
        """The title without "Báo cáo", for under the printed "BÁO CÁO": "Sơ kết 6 tháng đầu năm 2026"."""
        rest = self.title.removeprefix("Báo cáo ")
        return rest[0].upper() + rest[1:]

    def deadline(self, level: str = "commune") -> datetime.date:
        """The day the report is due: some days after the period ends (settings, per kind; a province's
        compiled report later than its communes')."""
        if level == "province":
            days = settings.REPORT_PROVINCE_DEADLINE_DAYS.get(self.kind, 30)
            return self.end + datetime.timedelta(days=days)
        days = settings.REPORT_DEADLINE_DAYS.get(self.kind, 15)
        return self.end + datetime.timedelta(days=days)

    def opens_on(self) -> datetime.date:
        """The first day a report for the period may be submitted: the end, less a window (settings)."""
        days = settings.REPORT_SUBMIT_WINDOW_DAYS
        return self.end - datetime.timedelta(days=days)

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> NamedPeriod:
    """`2026`, `2026-H1`, `2026-Q3` (case-insensitive) → the period; anything else → PeriodNameError."""
    match = PATTERN.match(text or "")
    if not match:
        raise PeriodNameError(
            f"Kỳ báo cáo không hợp lệ: “{text}”. Hãy ghi năm (2026), nửa năm (2026-H1, 2026-H2) "
            "hoặc quý (2026-Q1 … 2026-Q4)."
        )
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise PeriodNameError(f"Năm của kỳ báo cáo không hợp lệ: {year} (từ 2000 đến 2100).")
    if match.group(2) is None:
        return NamedPeriod(year, "year")
    kind = "half" if match.group(2).upper() == "H" else "quarter"
    number = int(match.group(3))
    if not 1 <= number <= (2 if kind == "half" else 4):
        raise PeriodNameError(
            f"Kỳ báo cáo không hợp lệ: “{text}”. Nửa năm là H1 hoặc H2, quý là Q1 đến Q4."
        )
    return NamedPeriod(year, kind, number)


def periods_of_kind(kind: str, on: datetime.date, count: int = 4) -> list[NamedPeriod]:
    """The latest `count` periods of a kind that have begun by `on`, newest first."""
    result: list[NamedPeriod] = []
    year = on.year
    while len(result) < count:
        if kind == "year":
            candidates = [NamedPeriod(year, "year")]
        elif kind == "half":
            candidates = [NamedPeriod(year, "half", 2), NamedPeriod(year, "half", 1)]
        else:
            candidates = [NamedPeriod(year, "quarter", n) for n in (4, 3, 2, 1)]
        result.extend(p for p in candidates if p.start <= on)
        year -= 1
    return result[:count]


def due_period(kind: str, on: datetime.date) -> NamedPeriod:
    """The period of this kind whose report is due next: the latest one that has ended or is within
    its submission window."""
    for period in periods_of_kind(kind, on, 3):
        if period.opens_on() <= on:
            return period
    return periods_of_kind(kind, on, 3)[-1]
