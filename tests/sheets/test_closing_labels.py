"""The cheap first look of closing_kind (is the text's first word one a totals or signature label
begins with?) against the patterns themselves: it must never let a label through as a member row,
nor turn a member row into a label."""

import random
import sys

import pytest

from places.text import search_key
from sheets.layout import SIGNATURE, TOTALS, _closing_kind, closing_kind
from tests.sheets.builders import CLOSINGS

# Every label the import tests know (tests/sheets/builders.py, test_import_members.py, the patterns'
# comments) and the other shapes the patterns take.
LABELS = {
    TOTALS: [
        "Cộng", "Tổng cộng", "Tổng số: 5 thành viên", "Tổng số: 52 thành viên", "Cộng bản Mè", "Cộng bản Hon",
        "TỔNG", "TỔNG CỘNG:", "Tổng (5 thành viên)", "Cộng 12", "Tổng hợp", "Tổng toàn xã", "Tổng chung",
        "Cộng thôn Nà Bó", "Cộng xóm 3", "Cộng xã", "Cộng phường", "Tổng CLB", "Tổng danh sách",
        "Tổng thành viên", "Tô\u0302\u0309ng cộng", "\u200bTổng cộng", "...Tổng cộng", "TỔNG.CỘNG", "Cộng:",
    ],
    SIGNATURE: [
        "Người lập", "Người lập biểu", "NGƯỜI LẬP BIỂU", "Người ký", "Người duyệt", "TM. BAN CHỦ NHIỆM",
        "TM.BAN CHỦ NHIỆM", "T/M BAN CHỦ NHIỆM", "T / M Ban chủ nhiệm", "TM: BCN", "XÁC NHẬN CỦA UBND XÃ",
        "Ký tên", "Ký và ghi rõ họ tên", "Thủ trưởng đơn vị", "Ban chủ nhiệm CLB",
        "Chủ tịch UBND xã", "Ghi chú: danh sách ở trang sau", "Ghi chú :", "UBND XÃ TÂN UYÊN", "UBND:",
        "Ủy ban nhân dân xã Tân Uyên", "THƯ KÝ", "Thủ quỹ", "CHỦ NHIỆM CLB", "Chủ nhiệm", "Phó chủ nhiệm",
        "PHÓ CHỦ NHIỆM CÂU LẠC BỘ", "Trưởng ban", "Trưởng thôn", "Kế toán", "Cán bộ xã", "Đại diện hội",
        "Tân Uyên, ngày 15 tháng 3 năm 2018", "Ngày 15 tháng 3 năm 2018", "ngày … tháng … năm 2024",
        "Lai Châu,ngày 1 tháng 1 năm 2020",
    ],
}
# Names that begin with the letters, or the words, labels begin with, and other cells of a member row.
NOT_LABELS = [
    "Tống Văn Minh", "Tống Thị Lan", "Tống Văn Bình", "Tăng Thị Mai", "Ngô Văn Ngày", "Ngày Thị Hoa",
    "Cồng Văn Tổng", "Công Thị Lý", "Chu Văn An", "Chu Thị Tịch", "Thu Hà", "Thủ Văn Quỹ", "Kế Văn Toán",
    "Cấn Văn Bộ", "Cán Thị Bé", "Đại Văn Diện", "Phó Đức Chính", "Trương Thị Ban", "Trưởng Văn Thôn",
    "Ban Thị Chủ", "Bàn Văn Nhiệm", "Ký Văn Tên", "Kỳ Thị Duyên", "Xa Văn Nhàn", "Uy Văn Bản", "Ủy Thị Lan",
    "Nguyễn Văn Lập", "Người Văn Lập", "Tẩn Thị Vân", "Tạ Thị Mai", "Tô Thị Mười", "T Văn Mạnh", "Tmọ A Páo",
    "Lường Thị Chơ", "Giàng A Páo", "Nguye\u0302\u0303n Thi\u0323 Hoa", "Vàng Văn Khiêm", "Lò Văn Lập",
    "Hoàng Văn Thụ", "Trong đó: nữ", "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)",
    "Xã Tân Uyên, Lai Châu, ngày 2 tháng 2 năm 2022", "Chăn nuôi", "Nuôi lợn", "LCH-TU-09", "Bản Mè",
    "0,5%/tháng", "24 tháng", "3 hộ nghèo", "Hộ nghèo", "Nữ", "Nam", "x", "", " ", ".", "..", ",", "\u200b",
    "\u0301", "\u0301 Tổng cộng", ". Tổng cộng",
]  # fmt: skip


def _everything_we_know() -> list[str]:
    cells = [cell for rows in CLOSINGS.values() for row in rows for cell in row if isinstance(cell, str)]
    return [*LABELS[TOTALS], *LABELS[SIGNATURE], *NOT_LABELS, *cells]


def test_the_labels_are_labels_and_the_names_are_not():
    assert {text: closing_kind(text) for text in LABELS[TOTALS]} == dict.fromkeys(LABELS[TOTALS], TOTALS)
    assert {text: closing_kind(text) for text in LABELS[SIGNATURE]} == dict.fromkeys(LABELS[SIGNATURE], SIGNATURE)
    names = NOT_LABELS[: NOT_LABELS.index("Trong đó: nữ")]
    assert {text: closing_kind(text) for text in names} == dict.fromkeys(names)


@pytest.mark.parametrize("text", _everything_we_know())
def test_the_first_look_agrees_with_the_patterns(text):
    assert closing_kind(text) == _closing_kind(text)


def test_every_beginning_and_every_end_of_a_known_text_agrees_with_the_patterns():
    """The pieces of labels: a first-word list that missed a word the patterns take would show here."""
    for text in _everything_we_know():
        for cut in range(len(text) + 1):
            for piece in (text[:cut], text[cut:], text[:cut].upper(), text[cut:].lower()):
                assert closing_kind(piece) == _closing_kind(piece), piece


def test_random_texts_made_of_label_words_agree_with_the_patterns():
    words = sorted({word for text in _everything_we_know() for word in text.replace(".", " . ").split()})
    glue = [" ", "  ", ".", ". ", ",", ", ", ":", "/", " / ", "\u200b", "\u0301", "\t", "\u00a0", "(", "1"]
    rng = random.Random(19)
    for _attempt in range(20_000):
        parts = []
        for _word in range(rng.randint(1, 4)):
            parts += [rng.choice(words), rng.choice(glue)]
        text = "".join(parts[: rng.choice((-1, len(parts)))])
        assert closing_kind(text) == _closing_kind(text), text


def test_search_key_turns_no_character_into_spacing_or_a_comma():
    """What the first look rests on: a text's spacing and commas are its key's, so the first word of the
    key is the key of the first word. Every character there is, at once."""
    characters = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]
    spacing = [c for c in characters if c.isspace()]
    others = "".join(c for c in characters if not c.isspace() and c != ",")
    key = search_key(f"a{others}b")
    assert " " not in key and "," not in key
    assert [search_key(f"a{c}b") for c in spacing] == ["a b"] * len(spacing)
    assert search_key("a,b") == "a,b"
