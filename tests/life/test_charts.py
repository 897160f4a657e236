"""The server-drawn SVG line chart (life/charts.py) and the member health card."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from life.charts import Series, blood_pressure_chart, line_chart
from tests.life.factories import D, make_check


def test_points_are_placed_on_a_common_scale_inside_the_plot():
    chart = line_chart(
        [
            Series("a", "#000", [(D(2025, 1, 1), 120), (D(2025, 1, 31), 160)]),
            Series("b", "#111", [(D(2025, 1, 16), 80)]),
        ],
        title="t",
        guides=[(140, "140", "#f00")],
    )
    (a1, a2), (b1,) = chart.series[0].dots, chart.series[1].dots
    assert (a1.x, a2.x) == (chart.left, chart.plot_right)  # first and last day at the edges
    assert a1.x < b1.x < a2.x
    assert a2.y < a1.y < b1.y  # higher values are drawn higher
    for dot in (a1, a2, b1):
        assert chart.top <= dot.y <= chart.plot_bottom
    assert chart.guides[0].y < a1.y
    assert [t.label for t in chart.y_ticks][0] == "80" and chart.y_ticks[-1].label == "160"
    assert [t.anchor for t in chart.x_ticks] == ["start", "middle", "end"]
    assert chart.series[0].path == f"{a1.x},{a1.y} {a2.x},{a2.y}"


def test_one_reading_sits_in_the_middle_and_no_reading_draws_nothing():
    one = line_chart([Series("a", "#000", [(D(2025, 1, 1), 120)])], title="t")
    assert one.series[0].dots[0].x == one.left + (one.width - one.left - one.right) / 2
    assert line_chart([Series("a", "#000", [])], title="t").is_empty


@pytest.mark.django_db
def test_the_member_health_card_draws_valid_svg_in_vietnamese(member, staff):
    for month, (systolic, diastolic) in enumerate([(128, 82), (146, 91), (133, 84), (152, 96)], start=1):
        make_check(member, D(2025, month, 5), systolic, diastolic, weight_kg="50.5")
    with translation.override("vi"):
        html = Template("{% include 'life/_member_health.html' %}").render(
            Context({"member": member, "user": staff})
        )
    # Coordinates keep a decimal point even where numbers are written 1.234,5.
    for value in re.findall(r'\s(?:cx|cy|x|y|x1|x2|y1|y2)="([^"]*)"', html):
        assert re.fullmatch(r"-?\d+(\.\d+)?", value), value
    assert html.count("<circle") == 8
    assert "152/96 mmHg" in html and "Cần chuyển khám" in html


@pytest.mark.django_db
def test_readings_without_blood_pressure_are_left_out_of_the_chart(member):
    make_check(member, D(2025, 1, 5), 130, 80)
    make_check(member, D(2025, 2, 5), None, None, weight_kg="51")
    chart = blood_pressure_chart(member.health_checks.all())
    assert [len(s.dots) for s in chart.series] == [1, 1]
