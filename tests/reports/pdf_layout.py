"""Reads a printed document back, character by character (pdfplumber), and lists what a reader would
see as broken: a character outside the page's margins, outside its table cell, printed over another
one, or a number split over two lines. Used for the progress reports; any paper that follows the
Nghị định 30/2020 layout (templates/print/document.html) can be checked with it.

Each problem is a short sentence naming the page and the text, so a failing test says what to fix.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import pdfplumber

MM = 72 / 25.4  # points per millimetre
# Nghị định 30/2020: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm. The least of each is the
# edge no character may cross; the page number alone sits in the top margin.
MARGINS = {"top": 20 * MM, "bottom": 20 * MM, "left": 30 * MM, "right": 15 * MM}
TOLERANCE = 0.6  # points: a glyph's side bearing may touch a rule

# How a number ends a line when the rest of it went to the next one ("1.253.360.27" / "5 đ", "66," / "7%",
# "≥" / "2.000 đ", "31/12/" / "2030"), and how such a rest begins.
_BROKEN_END = re.compile(r"(\d[.,/]|(?<![\d.])\d{1,3}(?:\.\d{3})*\.\d{1,2}|[≥≤])$")
_NUMBER_END = re.compile(r"\d$")
_REST_START = re.compile(r"^(\d|[.,]\d)")
_UNIT_START = re.compile(r"^(đ(?!\w)|%)")


def _join(chars: list[dict]) -> str:
    """The text of characters on one line, with a space where the gap between two is a space's width
    (spaces are not always characters in a PDF)."""
    text, previous = "", None
    for char in sorted(chars, key=lambda c: c["x0"]):
        if previous is not None and char["x0"] - previous["x1"] > 0.2 * char["size"]:
            text += " "
        text += char["text"]
        previous = char
    return text.strip()


@dataclass
class Line:
    """Characters on one baseline, within one cell or one column of text."""

    chars: list[dict] = field(default_factory=list)

    # Read once the line is complete (`_lines` builds it first).
    @cached_property
    def text(self) -> str:
        return _join(self.chars)

    @cached_property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @cached_property
    def bottom(self) -> float:
        return max(c["bottom"] for c in self.chars)

    @cached_property
    def x0(self) -> float:
        return min(c["x0"] for c in self.chars)

    @cached_property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars)


def _lines(chars: list[dict], *, column_gap: float | None = None) -> list[Line]:
    """Characters grouped into lines by baseline, top to bottom, each left to right; with `column_gap`, a
    horizontal gap that wide starts another line (two columns of text side by side are not one line)."""
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: c["bottom"]):
        if rows and char["bottom"] - rows[-1][0]["bottom"] < 1.5:
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = []
    for row in rows:
        line = None
        for char in sorted(row, key=lambda c: c["x0"]):
            if line is None or (column_gap is not None and char["x0"] - line.chars[-1]["x1"] >= column_gap):
                line = Line([])
                lines.append(line)
            line.chars.append(char)
    return lines


def _split_numbers(lines: list[Line], where: str) -> list[str]:
    """Numbers split between a line and the line under it (same cell or column of text). `lines` come
    top to bottom, as `_lines` gives them."""
    problems = []
    for i, upper in enumerate(lines):
        height = upper.bottom - upper.top
        lower = None
        for line in lines[i + 1 :]:
            if line.top - upper.bottom >= 1.2 * height:
                break
            if line.top >= upper.bottom - 0.5 and line.x0 < upper.x1 and upper.x0 < line.x1:
                lower = line
                break
        if lower is None or not upper.text or not lower.text:
            continue
        end, start = upper.text.split()[-1], lower.text.split()[0]
        if (_BROKEN_END.search(end) and _REST_START.match(start)) or (
            _NUMBER_END.search(end) and _UNIT_START.match(start)
        ):
            problems.append(f"{where}: a number is split over two lines: “{end}” / “{start}”")
    return problems


def _tables(page) -> list:
    """The ruled tables of a page. Cell borders are stroked lines; the charts' bars are filled rectangles
    and make no table."""
    lines = [line for line in page.lines if line.get("stroke", True)]
    vertical = [line for line in lines if abs(line["x0"] - line["x1"]) < 0.1]
    horizontal = [line for line in lines if abs(line["top"] - line["bottom"]) < 0.1]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    return page.find_tables(
        {
            "vertical_strategy": "explicit",
            "horizontal_strategy": "explicit",
            "explicit_vertical_lines": vertical,
            "explicit_horizontal_lines": horizontal,
            "snap_tolerance": 1,
            "intersection_tolerance": 1,
        }
    )


def _inside(char: dict, box: tuple[float, float, float, float], tolerance: float = TOLERANCE) -> bool:
    x0, top, x1, bottom = box
    return (
        char["x0"] >= x0 - tolerance
        and char["x1"] <= x1 + tolerance
        and char["top"] >= top - tolerance
        and char["bottom"] <= bottom + tolerance
    )


def _row_box(cells: list[tuple]) -> tuple[float, float, float, float]:
    return (
        min(c[0] for c in cells),
        min(c[1] for c in cells),
        max(c[2] for c in cells),
        max(c[3] for c in cells),
    )


def _centre_in(char: dict, box: tuple[float, float, float, float]) -> bool:
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _overprinted(lines: list[Line], where: str) -> list[str]:
    """Glyphs drawn over one another on a line: text that ran out of its box into its neighbour's."""
    problems = []
    for line in lines:
        glyphs = [c for c in line.chars if c["text"].strip() and not unicodedata.combining(c["text"])]
        for left, right in zip(glyphs, glyphs[1:], strict=False):
            overlap = left["x1"] - right["x0"]
            if overlap > 0.3 * min(left["x1"] - left["x0"], right["x1"] - right["x0"]) and overlap > 1:
                problems.append(
                    f"{where}: “{left['text']}” and “{right['text']}” are printed over each other"
                )
                break
    return problems


def _text_near(chars: list[dict], char: dict) -> str:
    near = [c for c in chars if abs(c["bottom"] - char["bottom"]) < 1.5 and abs(c["x0"] - char["x0"]) < 60]
    return _join(near)


@dataclass(frozen=True)
class TypeSizes:
    body: float  # the commonest size of text outside tables: the paragraphs
    tables: float  # the commonest size in the tables of portrait pages (the report's own tables)
    annex_tables: float  # the commonest size in the tables of landscape pages (the annexes); 0 without
    smallest: float


@dataclass(frozen=True)
class Printed:
    """What a PDF shows a reader, read once (parsing is most of the time)."""

    problems: list[str]  # everything wrong with its layout, page by page; empty when nothing is
    sizes: TypeSizes
    letterhead: list[str]  # the lines of the issuing body, top left of the first page
    pages: list[tuple[int, int]]  # width × height of each page, in points


def read(content: bytes) -> Printed:
    problems, pages = [], []
    outside, portrait, landscape, smallest = Counter(), Counter(), Counter(), None
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            pages.append((round(page.width), round(page.height)))
            chars = [c for c in page.chars if c["text"].strip()]
            tables = _tables(page)
            problems += _page_problems(page, chars, tables)
            in_tables = portrait if page.height > page.width else landscape
            boxes = [table.bbox for table in tables]
            for char in chars:
                size = round(char["size"], 1)
                smallest = size if smallest is None else min(smallest, size)
                (in_tables if any(_centre_in(char, box) for box in boxes) else outside)[size] += 1
            if page.page_number == 1:
                letterhead = _letterhead(page, chars)

    def commonest(counter: Counter) -> float:
        return counter.most_common(1)[0][0] if counter else 0.0

    sizes = TypeSizes(commonest(outside), commonest(portrait), commonest(landscape), smallest or 0.0)
    return Printed(problems, sizes, letterhead, pages)


def _letterhead(page, chars: list[dict]) -> list[str]:
    """The lines of the issuing body, top left of the first page, down to the number ("Số: …")."""
    middle = (MARGINS["left"] + page.width - MARGINS["right"]) / 2
    texts = [line.text for line in _lines(chars, column_gap=12) if line.x1 < middle]
    return texts[: next((i for i, text in enumerate(texts) if text.startswith("Số:")), 0)]


def _page_problems(page, chars: list[dict], tables: list) -> list[str]:
    where = f"page {page.page_number}"
    problems = []
    width, height = page.width, page.height
    content = (MARGINS["left"], MARGINS["top"], width - MARGINS["right"], height - MARGINS["bottom"])

    # The page number: in the top margin, centred over the text, from page 2 on, and nothing else there.
    header = [c for c in chars if c["bottom"] <= MARGINS["top"] + TOLERANCE]
    in_header = {id(c) for c in header}
    number = "".join(c["text"] for c in sorted(header, key=lambda c: c["x0"]))
    if page.page_number == 1:
        if header:
            problems.append(f"{where}: “{number}” in the top margin of the first page")
    elif number != str(page.page_number):
        problems.append(f"{where}: the top margin reads “{number}”, not the page number")
    elif abs((min(c["x0"] for c in header) + max(c["x1"] for c in header)) - (content[0] + content[2])) > 4:
        problems.append(f"{where}: the page number is not centred over the text")
    for char in chars:
        if id(char) not in in_header and not _inside(char, content):
            problems.append(
                f"{where}: “{_text_near(chars, char)}” crosses the margin "
                f"(x {char['x0']:.0f}–{char['x1']:.0f}, y {char['top']:.0f}–{char['bottom']:.0f} of "
                f"{width:.0f}×{height:.0f} pt)"
            )
            break

    # Table cells: each character wholly inside the cell its centre is in.
    in_tables: set[int] = set()
    for table in tables:
        rows = [
            (_row_box(cells), cells) for cells in ([c for c in row.cells if c] for row in table.rows) if cells
        ]
        in_cells: dict[tuple, list[dict]] = {}
        outside_cells = []
        for char in chars:
            if not _centre_in(char, table.bbox):
                continue
            in_tables.add(id(char))
            row = next((cells for box, cells in rows if _centre_in(char, box)), [])
            cell = next((cell for cell in row if _centre_in(char, cell)), None)
            if cell is None or not _inside(char, cell):
                outside_cells.append(char)
            else:
                in_cells.setdefault(cell, []).append(char)
        if outside_cells:
            problems.append(f"{where}: “{_text_near(chars, outside_cells[0])}” runs out of its table cell")
        for cell_chars in in_cells.values():
            text_lines = _lines(cell_chars)
            problems += _split_numbers(text_lines, f"{where}, table cell")
            problems += _overprinted(text_lines, f"{where}, table cell")

    # Text outside tables, as columns of lines (the letterhead and the signature stand side by side).
    free = _lines([c for c in chars if id(c) not in in_tables | in_header], column_gap=24)
    problems += _split_numbers(free, where)
    problems += _overprinted(free, where)
    return problems
