"""Small line charts drawn on the server as inline SVG: no JavaScript, no library, printable.

`line_chart()` turns dated series into coordinates; the template `life/_line_chart.html`
(the `{% line_chart %}` tag of the `life` library) draws them.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from life.selectors import REFERRAL_DIASTOLIC, REFERRAL_SYSTOLIC


@dataclass(frozen=True)
class Series:
    label: str
    color: str
    points: Sequence[tuple[datetime.date, float]]


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class DrawnSeries:
    label: str
    color: str
    path: str  # the `points` attribute of a <polyline>
    dots: list[Dot]


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # SVG text-anchor: the end labels are kept inside the drawing


@dataclass(frozen=True)
class Guide:
    y: float
    label: str
    color: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    title: str
    series: list[DrawnSeries] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(s.dots for s in self.series)

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom


def _nice_step(span: float, ticks: int) -> float:
    """A round step (1, 2, 5 × 10ⁿ) giving about `ticks` gridlines over `span`."""
    raw = max(span / max(ticks, 1), 1e-9)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def line_chart(
    series: Iterable[Series],
    *,
    title: str,
    guides: Iterable[tuple[float, str, str]] = (),
    width: int = 640,
    height: int = 240,
    unit: str = "",
    y_ticks: int = 5,
    x_ticks: int = 6,
) -> LineChart:
    """Lay out dated series on a common scale, with horizontal guide lines (value, label, colour)."""
    series = list(series)
    guides = list(guides)
    left, right, top, bottom = 44, 12, 12, 28
    chart = LineChart(width, height, left, right, top, bottom, title)
    dates = sorted({day for s in series for day, _value in s.points})
    if not dates:
        return chart
    values = [value for s in series for _day, value in s.points] + [value for value, *_rest in guides]
    step = _nice_step(max(values) - min(values) or 10, y_ticks)
    y_low = math.floor(min(values) / step) * step
    y_high = math.ceil(max(values) / step) * step
    if y_high == y_low:
        y_high = y_low + step
    first, last = dates[0], dates[-1]
    days = (last - first).days
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(day: datetime.date) -> float:
        if days == 0:
            return round(left + plot_w / 2, 1)
        return round(left + plot_w * (day - first).days / days, 1)

    def y_of(value: float) -> float:
        return round(top + plot_h * (y_high - value) / (y_high - y_low), 1)

    for s in series:
        points = sorted(s.points)
        dots = [
            Dot(x_of(day), y_of(value), f"{day:%d/%m/%Y}: {s.label} {_number(value)} {unit}".strip())
            for day, value in points
        ]
        chart.series.append(DrawnSeries(s.label, s.color, " ".join(f"{d.x},{d.y}" for d in dots), dots))
    tick = y_low
    while tick <= y_high + 1e-9:
        chart.y_ticks.append(Tick(y_of(tick), _number(tick)))
        tick += step
    # Date labels: the first and last reading and evenly spaced ones between, without repeats.
    count = min(x_ticks, len(dates))
    chosen = sorted({dates[round(i * (len(dates) - 1) / max(count - 1, 1))] for i in range(count)})
    label_format = "%d/%m/%y" if days > 300 else "%d/%m"
    for number, day in enumerate(chosen):
        anchor = "middle"
        if len(chosen) > 1 and number == 0:
            anchor = "start"
        elif len(chosen) > 1 and number == len(chosen) - 1:
            anchor = "end"
        chart.x_ticks.append(Tick(x_of(day), f"{day:{label_format}}", anchor))
    chart.guides.extend(Guide(y_of(value), label, color) for value, label, color in guides)
    return chart


def blood_pressure_chart(checks: Iterable) -> LineChart:
    """Systolic and diastolic pressure of a member over time, with the 140/90 referral lines."""
    readings = [c for c in checks if c.systolic is not None and c.diastolic is not None]
    return line_chart(
        [
            Series(_("Tâm thu"), "#c0392b", [(c.checked_on, c.systolic) for c in readings]),
            Series(_("Tâm trương"), "#1f5fa8", [(c.checked_on, c.diastolic) for c in readings]),
        ],
        title=_("Huyết áp theo thời gian (mmHg)"),
        guides=[
            (REFERRAL_SYSTOLIC, f"{REFERRAL_SYSTOLIC}", "#c0392b"),
            (REFERRAL_DIASTOLIC, f"{REFERRAL_DIASTOLIC}", "#1f5fa8"),
        ],
        unit="mmHg",
    )
