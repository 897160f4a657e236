"""Small SVG charts drawn on the server, so the page and the PDF show the very same picture.

Two shapes are all the reports need — bars of "% of target" and columns over time — so a few dozen
lines of our own beat a charting dependency: no JavaScript, no fonts to embed, output that WeasyPrint
draws as vectors and that tests can read.
"""

from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from reports.formatting import number_vi

# The document font: one family keeps the PDF quick to write (each family embedded costs time).
FONT = "Document Serif, Liberation Serif, Times New Roman, DejaVu Serif, serif"
COLOURS = {"met": "#198754", "exceeded": "#0f5132", "not_met": "#dc3545", "no_data": "#adb5bd"}


def _svg(width: int, height: int, body: list[str], title: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}" '
        f'font-family="{FONT}" font-size="13"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def target_bars(rows: list[tuple[str, float | None, str]], *, width: int = 640) -> SafeString:
    """Horizontal bars: for each target its actual as % of the target value, a line at 100%."""
    title = "Thực hiện so với chỉ tiêu (%)"
    if not rows:
        return _svg(width, 30, [f'<text x="0" y="20">{escape(title)}: —</text>'], title)
    # Type sizes that stay readable once the chart is scaled to the printed page (about 0.73: 13 → 9.5 pt).
    label_w, bar_h, gap, top = 300, 16, 6, 26
    plot_w = width - label_w - 60
    scale_max = max(150.0, min(max((pct or 0) for _l, pct, _s in rows), 300.0))
    height = top + len(rows) * (bar_h + gap) + 10
    x100 = label_w + plot_w * 100 / scale_max
    body = [f'<text x="0" y="13" font-weight="bold">{escape(title)}</text>']
    for i, (label, pct, status) in enumerate(rows):
        y = top + i * (bar_h + gap)
        length = plot_w * min(pct or 0, scale_max) / scale_max
        body.append(f'<text x="0" y="{y + bar_h - 3}">{escape(_short(label, 40))}</text>')
        body.append(
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h}" '
            f'fill="{COLOURS.get(status, COLOURS["no_data"])}"/>'
        )
        body.append(f'<text x="{label_w + length + 4:.1f}" y="{y + bar_h - 3}">{number_vi(pct, 0)}%</text>')
    body.append(
        f'<line x1="{x100:.1f}" y1="{top - 4}" x2="{x100:.1f}" y2="{height - 6}" stroke="#333" '
        'stroke-dasharray="4 2"/>'
    )
    body.append(f'<text x="{x100 + 2:.1f}" y="{top - 6}" font-size="11">100%</text>')
    return _svg(width, height, body, title)


def columns(points: list[tuple[str, int | float | None]], title: str, *, width: int = 360) -> SafeString:
    """Columns over time (one per label), each with its value above it (below the title: the tallest
    column's value never runs into it)."""
    height, top, bottom, left = 190, 34, 22, 8
    plot_h = height - top - bottom
    peak = max([value or 0 for _label, value in points] + [1])
    step = (width - left * 2) / max(len(points), 1)
    body = [f'<text x="0" y="13" font-weight="bold">{escape(title)}</text>']
    for i, (label, value) in enumerate(points):
        bar_h = plot_h * (value or 0) / peak
        x = left + i * step + step * 0.15
        y = top + plot_h - bar_h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{bar_h:.1f}" fill="#2e7d32"/>'
        )
        body.append(
            f'<text x="{x + step * 0.35:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="12">'
            f"{number_vi(value)}</text>"
        )
        body.append(
            f'<text x="{x + step * 0.35:.1f}" y="{height - 6}" text-anchor="middle" font-size="12">'
            f"{escape(label)}</text>"
        )
    body.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - left}" y2="{top + plot_h}" stroke="#555"/>'
    )
    return _svg(width, height, body, title)
