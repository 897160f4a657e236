"""The 54 official ethnic groups of Viet Nam, with the statistics office's codes (Decision 121-TCTK/PPCĐ)."""

from places.text import search_key

KINH = 1

ETHNIC_GROUPS: list[tuple[int, str]] = [
    (1, "Kinh"), (2, "Tày"), (3, "Thái"), (4, "Hoa"), (5, "Khơ-me"), (6, "Mường"), (7, "Nùng"),
    (8, "H'Mông"), (9, "Dao"), (10, "Gia-rai"), (11, "Ngái"), (12, "Ê-đê"), (13, "Ba-na"),
    (14, "Xơ-đăng"), (15, "Sán Chay"), (16, "Cơ-ho"), (17, "Chăm"), (18, "Sán Dìu"), (19, "Hrê"),
    (20, "Mnông"), (21, "Ra-glai"), (22, "Xtiêng"), (23, "Bru-Vân Kiều"), (24, "Thổ"), (25, "Giáy"),
    (26, "Cơ-tu"), (27, "Gié-Triêng"), (28, "Mạ"), (29, "Khơ-mú"), (30, "Co"), (31, "Tà-ôi"),
    (32, "Chơ-ro"), (33, "Kháng"), (34, "Xinh-mun"), (35, "Hà Nhì"), (36, "Chu-ru"), (37, "Lào"),
    (38, "La Chí"), (39, "La Ha"), (40, "Phù Lá"), (41, "La Hủ"), (42, "Lự"), (43, "Lô Lô"),
    (44, "Chứt"), (45, "Mảng"), (46, "Pà Thẻn"), (47, "Cơ Lao"), (48, "Cống"), (49, "Bố Y"),
    (50, "Si La"), (51, "Pu Péo"), (52, "Brâu"), (53, "Ơ-đu"), (54, "Rơ-măm"),
]  # fmt: skip

# Other spellings found in real registers.
_ALIASES = {
    "mong": 8, "hmong": 8, "h mong": 8, "meo": 8, "khmer": 5, "kho me": 5, "khome": 5, "ede": 12, "e de": 12,
    "jrai": 10, "gia rai": 10, "bahnar": 13, "ba na": 13, "xo dang": 14, "kho mu": 29, "khmu": 29,
    "ha nhi": 35, "lu": 42, "tay": 2, "thai": 3, "nung": 7, "muong": 6,
}  # fmt: skip


def _key(text: str) -> str:
    return search_key(text).replace("-", " ").replace("'", " ").replace("  ", " ").strip()


_BY_KEY = {_key(name): code for code, name in ETHNIC_GROUPS} | _ALIASES


def ethnicity_code(text: str) -> int | None:
    """The official code for an ethnic group as people write it ('Mông', 'H'Mông', 'Khmer'…), or None."""
    key = _key(text or "")
    if key.startswith("dan toc "):
        key = key.removeprefix("dan toc ")
    return _BY_KEY.get(key) or _BY_KEY.get(key.replace(" ", ""))
