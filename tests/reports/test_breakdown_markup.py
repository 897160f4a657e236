"""The breakdown tables' rows written by one filter are the markup a template loop over them wrote."""

from types import SimpleNamespace

from django.template import Context, Template
from hypothesis import example, given
from hypothesis import strategies as st

from reports.formatting import number_vi
from reports.views import BREAKDOWN_CODES

LOOP = {
    "commune": "{% load reports %}{% for commune, values in rows %}\n    <tr data-commune=\"{{ commune.code }}\">"
    "<td>{{ commune.name }}</td>{{ values|number_cells:codes }}</tr>\n    {% endfor %}",
    "province": "{% load reports %}{% for province, values in rows %}\n    <tr data-province=\"{{ province.code }}\">"
    "<td>{{ province.short_name }}</td>{{ values|number_cells:codes }}</tr>\n    {% endfor %}",
}


def _rows():
    values = {code: n * 1234567 for n, code in enumerate(BREAKDOWN_CODES)}
    values[BREAKDOWN_CODES[1]] = 66.7
    values[BREAKDOWN_CODES[2]] = None
    place = SimpleNamespace(code=14812, name='Xã "A" <&> Bình', short_name="Lai Châu <b>")
    other = SimpleNamespace(code=7, name="Phường Ba Đình", short_name="Hà Nội")
    return [(place, values), (other, dict.fromkeys(BREAKDOWN_CODES, 0))]


def test_the_rows_of_a_breakdown_are_those_the_template_loop_wrote():
    rows = _rows()
    for kind, loop in LOOP.items():
        context = Context({"rows": rows, "codes": BREAKDOWN_CODES})
        written = Template("{% load reports %}{{ rows|" + kind + "_rows:codes }}").render(context)
        assert written == Template(loop).render(context)
        assert "&lt;" in written and "<b>" not in written  # names escaped


@given(st.integers(-(2**60), 2**60))
@example(0)
@example(-1234567)
@example(2**53 - 1)
def test_integers_are_written_as_through_a_float(value):
    """number_vi's integer path gives the text the float formatting gave (exact below 2**53)."""
    through_float = f"{value:,.0f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if abs(value) < 2**53:
        assert number_vi(value) == through_float
    assert number_vi(value, 1) == f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
