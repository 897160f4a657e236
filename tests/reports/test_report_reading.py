"""Reading a report fast gives what the slower ways gave: the kept rows' JSON parsed by msgspec, the
breakdown rows written by one filter, integers formatted without a float."""

import json
from types import SimpleNamespace

from django.template import Context, Template
from hypothesis import example, given
from hypothesis import strategies as st

from reports import club_figures
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


_KEPT_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5),
    max_leaves=20,
)


@given(st.lists(st.lists(_KEPT_VALUE, max_size=8), max_size=5))
def test_kept_rows_parse_to_the_values_json_gives(rows):
    """The kept rows are parsed with msgspec (club_figures._parse): the very values json.loads gives
    (standard JSON: the rows hold counts, amounts, ids and ratings, never NaN or Infinity)."""
    text = "[" + ",".join(json.dumps(row, separators=(",", ":")) for row in rows) + "]"
    parsed = club_figures._parse(text)
    assert parsed == json.loads(text)
    assert [list(map(type, row)) for row in parsed] == [list(map(type, row)) for row in rows]
