"""Names, ethnic groups and place names for the synthetic data of `generate_data`.

Who lives where follows the published census shares closely enough for realistic reports:
Kinh everywhere; Thái, H'Mông, Dao, Tày, Nùng, Mường… in the northern mountains; Khơ-me in the
Mekong delta; Ê-đê, Gia-rai, Ba-na, Cơ-ho, Mnông in the Central Highlands. Names are built the way
each group writes them (Kinh "Nguyễn Thị Hoa", Ê-đê "H'Nhi Niê", Gia-rai "Ksor Phai", H'Mông
"Giàng A Páo"…). Every choice takes the caller's `random.Random`, so a seed gives the same people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Ethnic group codes (members.ethnicity.ETHNIC_GROUPS).
KINH, TAY, THAI, HOA, KHMER, MUONG, NUNG, HMONG, DAO, JARAI = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
EDE, BANA, XODANG, SANCHAY, COHO, CHAM, SANDIU, HRE, MNONG, RAGLAI = 12, 13, 14, 15, 16, 17, 18, 19, 20, 21
XTIENG, BRU, GIAY, COTU, GIETRIENG, MA, KHMU, CO, TAOI, CHORO, HANHI, CHUT = (
    22, 23, 25, 26, 27, 28, 29, 30, 31, 32, 35, 44,
)  # fmt: skip


@dataclass(frozen=True)
class ProvinceProfile:
    region: str  # north, north_mountain, central, highlands, south, mekong
    minority_share: float  # share of club members from ethnic minorities
    minorities: dict[int, int]  # ethnic group code -> weight among the minorities


# By current province code (34 provinces from 1 July 2025).
PROVINCE_PROFILES: dict[int, ProvinceProfile] = {
    1: ProvinceProfile("north", 0.01, {MUONG: 70, DAO: 20, TAY: 10}),
    4: ProvinceProfile("north_mountain", 0.93, {TAY: 42, NUNG: 33, HMONG: 12, DAO: 11, SANCHAY: 2}),
    8: ProvinceProfile("north_mountain", 0.75, {TAY: 32, HMONG: 30, DAO: 16, NUNG: 8, SANCHAY: 8, GIAY: 6}),
    11: ProvinceProfile("north_mountain", 0.80, {THAI: 48, HMONG: 40, KHMU: 6, HANHI: 3, GIAY: 3}),
    12: ProvinceProfile("north_mountain", 0.85, {HMONG: 40, THAI: 33, DAO: 15, HANHI: 5, GIAY: 5, KHMU: 2}),
    14: ProvinceProfile("north_mountain", 0.82, {THAI: 65, HMONG: 18, MUONG: 9, DAO: 4, KHMU: 4}),
    15: ProvinceProfile("north_mountain", 0.58, {HMONG: 30, TAY: 25, DAO: 20, THAI: 10, GIAY: 6, NUNG: 6, HANHI: 3}),
    19: ProvinceProfile("north_mountain", 0.33, {TAY: 46, NUNG: 16, DAO: 15, SANDIU: 14, SANCHAY: 6, HMONG: 3}),
    20: ProvinceProfile("north_mountain", 0.83, {NUNG: 52, TAY: 42, DAO: 5, HMONG: 1}),
    22: ProvinceProfile("north", 0.11, {DAO: 50, TAY: 25, SANDIU: 15, SANCHAY: 10}),
    24: ProvinceProfile("north", 0.07, {NUNG: 40, TAY: 25, SANCHAY: 15, SANDIU: 15, HOA: 5}),
    25: ProvinceProfile("north", 0.24, {MUONG: 78, DAO: 9, THAI: 8, TAY: 5}),
    31: ProvinceProfile("north", 0.002, {HOA: 100}),
    33: ProvinceProfile("north", 0.002, {MUONG: 100}),
    37: ProvinceProfile("north", 0.03, {MUONG: 100}),
    38: ProvinceProfile("north", 0.16, {MUONG: 55, THAI: 38, HMONG: 3, DAO: 2, KHMU: 2}),
    40: ProvinceProfile("central", 0.14, {THAI: 70, KHMU: 13, HMONG: 10, MUONG: 7}),
    42: ProvinceProfile("central", 0.003, {MUONG: 100}),
    44: ProvinceProfile("central", 0.06, {BRU: 80, TAOI: 15, CHUT: 5}),
    46: ProvinceProfile("central", 0.04, {TAOI: 60, COTU: 40}),
    48: ProvinceProfile("central", 0.06, {COTU: 50, XODANG: 20, GIETRIENG: 20, CO: 10}),
    51: ProvinceProfile("highlands", 0.30, {XODANG: 40, HRE: 35, BANA: 10, CO: 10, GIETRIENG: 5}),
    52: ProvinceProfile("highlands", 0.30, {JARAI: 65, BANA: 35}),
    56: ProvinceProfile("central", 0.10, {RAGLAI: 50, CHAM: 40, COHO: 10}),
    66: ProvinceProfile("highlands", 0.22, {EDE: 55, TAY: 12, NUNG: 12, MNONG: 10, JARAI: 6, HMONG: 5}),
    68: ProvinceProfile("highlands", 0.18, {COHO: 50, MNONG: 18, MA: 15, CHAM: 10, TAY: 4, NUNG: 3}),
    75: ProvinceProfile("south", 0.05, {XTIENG: 50, HOA: 30, CHORO: 10, NUNG: 10}),
    79: ProvinceProfile("south", 0.02, {HOA: 90, KHMER: 5, CHAM: 5}),
    80: ProvinceProfile("south", 0.01, {KHMER: 60, HOA: 20, CHAM: 20}),
    82: ProvinceProfile("mekong", 0.002, {HOA: 100}),
    86: ProvinceProfile("mekong", 0.10, {KHMER: 95, HOA: 5}),
    91: ProvinceProfile("mekong", 0.08, {KHMER: 85, CHAM: 8, HOA: 7}),
    92: ProvinceProfile("mekong", 0.18, {KHMER: 90, HOA: 10}),
    96: ProvinceProfile("mekong", 0.04, {KHMER: 85, HOA: 15}),
}  # fmt: skip
DEFAULT_PROFILE = ProvinceProfile("north", 0.02, {MUONG: 50, TAY: 50})


def _weighted(spec: str) -> tuple[list[str], list[int]]:
    """'Nguyễn:32 Trần:11 Lê' → (names, cumulative weights); a name without weight counts 1."""
    names, cumulative, total = [], [], 0
    for item in spec.split():
        name, _, weight = item.partition(":")
        total += int(weight or 1)
        names.append(name.replace("_", " "))
        cumulative.append(total)
    return names, cumulative


def _pick(rng: random.Random, table: tuple[list[str], list[int]]) -> str:
    names, cumulative = table
    return rng.choices(names, cum_weights=cumulative)[0]


KINH_SURNAMES = {
    "north": _weighted(
        "Nguyễn:32 Trần:11 Lê:10 Phạm:7 Hoàng:5 Vũ:4 Đỗ:3 Bùi:3 Đặng:2 Ngô:2 Dương:2 Đinh:2 Trịnh:2 Đào:2 "
        "Phan:2 Lương:1 Mai:1 Hà:1 Cao:1 Tạ:1 Lại:1 Đoàn:1 Vương:1 Nghiêm:1 Khổng:1 Kiều:1"
    ),
    "central": _weighted(
        "Nguyễn:32 Trần:10 Lê:10 Phạm:6 Hoàng:4 Võ:4 Phan:4 Hồ:3 Đặng:2 Bùi:2 Ngô:2 Đỗ:2 Dương:1 Thái:1 "
        "Trương:1 Đinh:1 Hà:1 Mai:1 Lương:1 Văn:1 Tôn:1"
    ),
    "south": _weighted(
        "Nguyễn:32 Trần:11 Lê:9 Phạm:6 Huỳnh:5 Võ:5 Phan:3 Trương:2 Đặng:2 Bùi:2 Đỗ:1 Hồ:2 Ngô:2 Dương:1 "
        "Lý:1 Lâm:1 Châu:1 Tô:1 Đoàn:1 Thái:1 Cao:1 La:1"
    ),
}
KINH_SURNAMES["north_mountain"] = KINH_SURNAMES["north"]
KINH_SURNAMES["highlands"] = KINH_SURNAMES["central"]
KINH_SURNAMES["mekong"] = KINH_SURNAMES["south"]

WOMEN_OLD = _weighted(
    "Hoa:3 Lan:3 Mai:3 Huệ:2 Cúc:2 Đào:2 Hồng:2 Nga:2 Thảo Tuyết:2 Xuân:2 Hương:3 Hạnh:2 Liên:2 Loan "
    "Lý:2 Nhung Oanh Phượng Sen:2 Tâm Thu:2 Thủy:2 Vân:2 Yến Hằng:2 Dung:2 Hiền Hòa:2 Hợi Tý Mão Dậu Nụ "
    "Mận Quế Thoa Thơm Xoan Bích Chi Duyên Gấm Hà:2 Hải Hậu Lài Lụa Minh Ngân Nhàn Phương Tình Tươi Vinh "
    "Vui Nguyệt Thanh Thắm Lựu Lê Tám Năm Sáu Bảy Dần Chanh Nhị Hiên Khuyên Ngọt Nhài"
)
WOMEN_YOUNG = _weighted(
    "Anh:2 Chi Giang:2 Hà:3 Hằng:2 Hiền:2 Huyền:2 Linh:3 Ly Loan Mai:2 Nga Ngọc:2 Nhung Phương:2 Quỳnh "
    "Thảo:3 Thu:2 Trang:3 Vân Yến Hương:3 Lan Dung Hạnh Thúy Tuyết Hoa Liên Nhàn Oanh Thủy:2 Hồng Lý Tâm"
)
MEN_OLD = _weighted(
    "Bình:2 Chiến Chính Cường:2 Đông Dũng:2 Hải:2 Hòa:2 Hùng:3 Hưng Khánh Lâm Lợi Long:2 Minh:3 Nam:2 "
    "Nghĩa Phúc Quang:2 Sơn:2 Tâm Thắng:2 Thành:3 Thanh:2 Thịnh Tiến:2 Toàn Trung:2 Tuấn Vinh Xuân Kha Lực "
    "Quý Sửu Tý Dần Thìn Ngọ Hợi Lộc Tài Tín Trọng Đức:2 Hiển Khải Kỳ Luân Mạnh Phong Thông Tường Văn"
)
MEN_YOUNG = _weighted(
    "Anh:2 Cường Đạt Dũng:2 Duy Hiếu Hoàng Hùng:2 Huy:2 Khánh Kiên Long:2 Mạnh Nam:2 Phong Quân Sơn:2 "
    "Thắng Trung:2 Tú Tùng Việt Tuấn:3 Hải Hưng Linh Lâm Minh:2 Quang Thành Tiến Toàn Vũ"
)
SOUTH_ORDER_NAMES = _weighted("Hai Ba:2 Tư:2 Năm:2 Sáu:2 Bảy:2 Tám:2 Chín Mười Út:2")
WOMEN_MIDDLE_YOUNG = _weighted("Thị:10 Thu:2 Ngọc:2 Thanh:2 Minh Kim:2 Hồng Phương Thúy Bích Mỹ")
MEN_MIDDLE = _weighted(
    "Văn:14 Đức:2 Hữu:2 Quang:2 Minh:2 Xuân Công:2 Đình:2 Ngọc Mạnh Trọng Bá Thanh Quốc Tiến Duy Thế"
)

# Other groups: (surnames, men's middle names, women's middle names, men's given, women's given).
# Empty middle names mean none is written.
_MINORITY_NAMES: dict[int, tuple] = {
    THAI: (
        "Lò:5 Lường:3 Quàng:3 Cầm:3 Tòng:2 Vì:3 Điêu Lù Sầm Hà:2 Bạc Mè Lèo Khoàng Lương:2 Hoàng Lê",
        "Văn", "Thị",
        "Ón Pánh Xiên Ọi Thương Hặc Pằn Cương Khăm Inh Sương Phương Chiêng Biên Nhất Thiêm Hom Ếch Ban",
        "Ún Xuân Piếng Pâng Thoa Thảnh Ọng Bua Mai Ín Pọm Ngoan Lả Hương Thoan Ênh Phanh Lún Sương Ngọc",
    ),
    HMONG: (
        "Giàng:4 Sùng:3 Vàng:3 Thào:3 Lầu:2 Lý:2 Hầu:2 Mùa:2 Vừ:2 Hạng Tráng Cứ Chá Ly Mã Sình Cháng",
        "A:5 Văn:2 Seo Mí Chứ", "Thị:6 Mỷ Thị",
        "Páo Chứ Dính Sử Lử Tủa Chua Sính Pó Dế Lềnh Chống Tráng Vảng Sềnh Chu Giàng Khua Nhà Thề Dơ",
        "Dợ Mỷ Sua Dinh Máy Pàng Chứ Xúa Dung Mai Ly Sinh Mỷ Pà Dở Chá Máy Dua Xúa Chía Sí",
    ),
    DAO: (
        "Triệu:4 Bàn:3 Đặng:3 Lý:2 Phàn:2 Chảo:2 Tẩn:2 Chìu Sần Lò Trương",
        "Văn:4 Láo Tòn Phủ Kiềm Tả", "Thị:5 Mẩy Tả Mùi",
        "Lở Sử Chàn Phin Quẩy Kiềm Sài Vần Sểnh Vảy Chòi Pu Chiêu Phúc Tài Lai Quý",
        "Mẩy Mùi Xuân Dung Liều Nái Sếnh Chài Kiều Pham Mai Lan Seo Phấy Dùn Xuân",
    ),
    TAY: (
        "Hoàng:4 Nông:3 Ma:2 Lục:2 Hà:2 Lộc:2 Hứa Triệu Bế:2 Âu Đàm Vi Lương Ngôn Hoàng",
        "Văn", "Thị",
        "Dền Slao Khuân Pảo Thái Tày Chung Lìn Dần Hiếu Kiên Thành Tuấn Minh Bình Quyết Tường Hùng Sinh",
        "Nhung Lý Hoa Lan Cúc Mai Pín Slâm Hương Phượng Tuyết Thoa Nga Diệu Xuân Hằng Thơm Luyến",
    ),
    NUNG: (
        "Hoàng:4 Lương:2 Lục:2 Mã Vi:2 Chu Nông:2 Hà Dương Lăng Sầm Hứa Lý",
        "Văn", "Thị",
        "Slinh Pháo Dìn Kháng Lầu Tằng Vảy Páo Minh Đức Thắng Hưng Bình Hải Quang Lợi Sơn Toàn",
        "Slằn Mùi Páo Sám Mai Hoa Liên Thảo Nhung Thơm Hậu Phương Diệp Thúy Hà Lan Dung",
    ),
    MUONG: (
        "Bùi:5 Đinh:4 Quách:2 Hà:2 Xa Cao Bạch Quách Phạm Trương",
        "Văn", "Thị",
        "Khương Lào Mướng Thằng Pịch Đoàn Thức Bình Chiến Hải Hùng Lâm Tiến Thanh Quyết Toản Tư",
        "Nếp Lanh Thơm Hiền Nga Bướm Xuyến Mai Hoa Hồng Lan Huệ Thu Dung Chắt Lượm Nhàn",
    ),
    KHMER: (
        "Thạch:5 Danh:4 Sơn:3 Kim:3 Lâm:2 Lý:2 Châu:2 Trà Kiên Thị Dương",
        "", "Thị",
        "Sóc Phol Sô_Phal Chanh_Thu Kha Sal Pho Thum Sanh Rươne Sang Sóc_Kha Chhay Sà_Rươn Chết Sóc_Hên",
        "Sa_Ra Sa_Rươn Sa_Quênh Mây Nương Sa_Rum Sóc_Nang Thu Phia Chanh_Đa Sà_Ri Sa_Mi Ni Kim_Nang Sô_Phia",
    ),
    HOA: (
        "Lý:3 Trương:3 Lâm:3 Quách:2 Tăng:2 Hứa:2 Diệp:2 Lưu:2 Mạc Châu:2 Dương Hồng Huỳnh Trần",
        "Kiến Quốc Vĩnh Chí Gia Văn", "Cẩm Tú Mỹ Ngọc Thục Thị:3 Lệ",
        "Phát Tài Lợi Kiệt Hưng Cường Thành Minh Hải Sơn Vinh Phong Huy",
        "Phụng Quyên Hồng Phương Liên Mai Lan Linh Anh Ngọc Trân Hoa Thanh",
    ),
    KHMU: (
        "Vi:3 Lò:3 Lù:2 Cụt Quang Vừ Lương Kha",
        "Văn", "Thị",
        "Sinh Phăn Mun Khăm Ỏn Bun Xoan Pâng Ín Chum Thoong",
        "Ỏn Bua Pâu Xuân Ín Mai Lả Xoan Dung Phăn Vân",
    ),
    HANHI: (
        "Lỳ:3 Chu:3 Pờ:2 Phu Lò Hờ Ly",
        "Xé Mé Gạ Chờ", "Mé:3 Thị",
        "Xá Lò Hừ Chừ Gơ Pó Xe Phà Chà",
        "Xá Gơ Chừ Phà Chu Pó Mì Lù",
    ),
    GIAY: (
        "Vàng:3 Lù:2 Hoàng:2 Sần Giàng Lò",
        "Văn Seo", "Thị",
        "Chín Dinh Pủ Sỉn Lâm Chấn Phẩu Vần",
        "Dung Mây Pham Xuân Hoa Kim Thoa",
    ),
    SANDIU: ("Trần:2 Lê:2 Diệp Lý Lưu Đàm Tạ", "Văn", "Thị", "Cố Tải Sầu Phúc Vân Tư Lợi", "Cẩu Mùi Chản Liên Hoa"),
    SANCHAY: ("Hoàng:2 Lâm La Trần Đinh Lý", "Văn", "Thị", "Chiến Sềnh Thanh Hòa Ngọc", "Lanh Sau Mai Hoa Nga"),
    BRU: ("Hồ:6 Lê Nguyễn Trần", "Văn", "Thị", "Đươi Chạnh Tâm Rô Thư Pả Khăm Lai Xa", "Bưm Xoan Thỉ Sương Na Đẹp Nhâm"),
    TAOI: ("Hồ:4 Kăn Lê Nguyễn Pả Căn", "Văn", "Thị", "Xoa Ra Dưa Lợi Các Tăm Kôn", "Nhảy Ơn Bai Thoan Rao Ple"),
    COTU: ("Alăng:3 Bhling:2 Zơrâm:2 Clâu:2 Briu:2 Hôih Pơloong Ating", "", "Thị", "Mia Đinh Bốn Liêc Khoai Rớt Zuôn", "Bốn Mơi Thị Dưr Thương Pơi"),
    CHUT: ("Hồ:3 Cao Đinh", "Văn", "Thị", "Xiêng Nghé Hùng Khăm", "Lươn Mơ Thới"),
    XODANG: ("A:3 Y", "", "", "Hơ Thuộc Nhong Dơi Jar Ríp Khun Kiếp", "Sui Thơm Hlin Brang Ơn Nghĩa Vân"),
    GIETRIENG: ("Bling:2 Đinh Y A", "Văn", "Thị", "Đích Hoa Xuân Công Nưa", "Nhung Ly Ưu Thư"),
    CO: ("Đinh:3 Hồ Phạm", "Văn", "Thị", "Bé Điều Cam Ngọt Bá", "Dương Nhót Lém Bôn"),
    HRE: ("Đinh:5 Phạm:2 Đinh Thị", "Văn", "Thị", "Lót Gió Mươi Tiết Rơ Hà Đức Bin", "Nhàn Bông Thị Hoa Dế Mươn Reo"),
    BANA: ("Đinh:4 A Y", "Văn", "Thị", "Hmun Blik Đôn Krúi Thuyết Hyơn Rin", "Dưng Blưh Hmia Nơm H'Yêu Lông"),
    JARAI: (
        "Ksor:4 Rơ_Châm:3 Rơ_Mah:3 Siu:3 Nay:2 Kpă:2 Puih:2 Rah_Lan Rơ_Lan Đinh",
        "", "",
        "Phai Hlin Ngơi Bơ Tin Blui Hyơ Đơk Jơn Yul Hơm Kơ Pui Thuy Blơng Đun",
        "Nin Bơ Hiu Ly Phuôn Hyơ Blưk Thuỳ Ngơi Hen Ái Dung Mlan Hlơm",
    ),
    EDE: (
        "Niê:4 Êban:3 Mlô:2 Byă:2 Ktla Adrơng Hwing Kbuôr Ayŭn Êñuôl Buôn_Yă Knul",
        "Y", "H'",
        "Bih Khu Tlam Ngơn Jô Dhăm Blir Ju Yơn Phi Thuân Kông Sơn Tuin Wơn",
        "Nhi Ră Tuyết Lan Mai Bia Nguyễn Ju Loan Dơn Hằng Thu Ni Blan",
    ),
    COHO: ("K':3 Ka:3 Kră Liêng Cil Bon", "", "", "Brèo Nghia Sơn Bình Đin Ha Dũng Lợi", "Hiền Hồng Diệp Nhi Bel Srôn Lan"),
    MNONG: ("Điểu:4 Thị:2 Y", "", "", "K'Ré Bơ Ân Sáu Du Hoan Mơ", "Srai Nang Bích Ry Hoan Nhi"),
    MA: ("Điểu:3 K':2 Ka", "", "", "Kìn Luôn Ma Điệt Ba Krúi", "Hương Tâm Nhum Sa Bá"),
    XTIENG: ("Điểu:4 Thị:2 Lâm", "", "", "Lên Mách Trân Ut Bướt Chinh", "Bích Sa Rum Lan Thơm"),
    CHORO: ("Điểu:3 Thị:2 Võ", "", "", "Mành Tiên Lê Hồng Ẩn", "Bông Sen Thắm Lài"),
    CHAM: (
        "Đàng:3 Thuận:2 Quảng:2 Lâm Châu:2 Báo Thông Từ Thiên_Sanh Phú Mã",
        "Văn Năng Đại", "Thị",
        "Thọ Tuyên Sanh Hòa Lành Sum Thành Đức Vũ Hải Ly",
        "Hoa Hương Thanh Xuân Đào Lệ Mai Liên Lan",
    ),
    RAGLAI: ("Pinăng:3 Chamaléa:3 Katơr:2 Mang Cao Ma", "Văn", "Thị", "Hải Điều Thọ Ngọc Đẹp Thức", "Hương Thảo Hồng Dung Lý Nhung"),
}  # fmt: skip

# Groups whose names start with a word that says the sex: (men, women).
_SEX_PREFIX = {
    XODANG: ("A", "Y"), COHO: ("K'", "Ka"), MA: ("K'", "Ka"), MNONG: ("Điểu", "Thị"),
    XTIENG: ("Điểu", "Thị"), CHORO: ("Điểu", "Thị"),
}  # fmt: skip

_PARSED: dict[int, tuple] = {
    code: tuple(_weighted(part) if part.strip() else None for part in spec)
    for code, spec in _MINORITY_NAMES.items()
}


def full_name(rng: random.Random, *, ethnicity: int, female: bool, older: bool, region: str) -> str:
    """A plausible full name for a person of this group, sex and generation, written as the group does."""
    if ethnicity == KINH or ethnicity not in _PARSED:
        return _kinh_name(rng, female=female, older=older, region=region)
    surnames, men_middle, women_middle, men_given, women_given = _PARSED[ethnicity]
    middle_table = women_middle if female else men_middle
    given = _pick(rng, women_given if female else men_given)
    middle = _pick(rng, middle_table) if middle_table else ""
    if ethnicity == EDE:  # "Y Bih Niê", "H'Nhi Mlô": the clan name comes last
        return (
            f"{middle}{given} {_pick(rng, surnames)}"
            if middle == "H'"
            else f"{middle} {given} {_pick(rng, surnames)}"
        )
    if ethnicity in _SEX_PREFIX:  # "A Hơ" / "Y Sui", "K'Brèo" / "Ka Hiền", "Điểu Lên" / "Thị Bích"
        prefix = _SEX_PREFIX[ethnicity][female]
        return f"{prefix}{given}" if prefix.endswith("'") else f"{prefix} {given}"
    surname = _pick(rng, surnames)
    if ethnicity == JARAI and female and rng.random() < 0.6:  # "Siu H'Nin"
        return f"{surname} H'{given}"
    if not female and older and rng.random() < 0.15 and ethnicity in (TAY, NUNG, MUONG):
        return f"{surname} {_pick(rng, MEN_OLD)}"  # some older men have no middle name
    return " ".join(part for part in (surname, middle.strip(), given) if part)


def _kinh_name(rng: random.Random, *, female: bool, older: bool, region: str) -> str:
    surname = _pick(rng, KINH_SURNAMES.get(region, KINH_SURNAMES["north"]))
    southern = region in ("south", "mekong")
    if female:
        middle = "Thị" if older and rng.random() < 0.88 else _pick(rng, WOMEN_MIDDLE_YOUNG)
        if older and southern and rng.random() < 0.12:
            given = _pick(rng, SOUTH_ORDER_NAMES)
        else:
            given = _pick(rng, WOMEN_OLD if older else WOMEN_YOUNG)
        if not older and rng.random() < 0.15:  # "Nguyễn Thị Thu Hà"
            return f"{surname} {middle} {_pick(rng, WOMEN_YOUNG)} {given}"
        return f"{surname} {middle} {given}"
    middle = "Văn" if older and rng.random() < (0.8 if southern else 0.6) else _pick(rng, MEN_MIDDLE)
    if older and southern and rng.random() < 0.15:
        given = _pick(rng, SOUTH_ORDER_NAMES)
    else:
        given = _pick(rng, MEN_OLD if older else MEN_YOUNG)
    return f"{surname} {middle} {given}"


# ---------------------------------------------------------------------------
# Villages: what a club covers, named as each region names its hamlets.
# ---------------------------------------------------------------------------

_DIRECTIONS = "Đông|Tây|Nam|Bắc|Thượng|Hạ|Trung|Tân Lập|Hòa Bình|Phú Thịnh|An Vinh|Yên Thái|Đoài|Chùa|Đình|Giữa|Mới|Đồng Tâm|Quyết Tiến|Thành Công".split(
    "|"
)
_MOUNTAIN_1 = "Nà Pá Nậm Hua Phiêng Co Huổi Khau Lũng Bó Pác Khuổi Tà Sín Na Mường Hát Phai".split()
_MOUNTAIN_2 = (
    "Cóc Khoang Cuổi Pe Lúc Mận Hịa Sang Phầy Hán Chang Lìu Pằng Tẳm Vai Ngoang Nọi Lếch Lay Ỏ Mạ".split()
)
_HIGHLAND_1 = "Ea Kô Ia Đăk Krông Plei Kon".split()
_HIGHLAND_2 = "Kmăt Sút Tling Drông Bông Brel Ji Ring Mơ Hra Pông Ktur Ơi Kép Tơ Kla".split()
_MEKONG = "Phú Hòa|Tân Lập|Long Thạnh|Mỹ An|Bình Phú|Thạnh Lợi|Tân Hưng|An Thới|Vĩnh Hòa|Phước Lộc|Hòa Lợi|Tân Quy".split(
    "|"
)
_KHMER_PLACES = "Soài Chếk|Bưng Sa|Tà Lọt|Pì Pốc|Trà Tim|Chông Nô|Ô Rồ|Kà Xóc|Bưng Cốc|Tha La".split("|")


def village_name(rng: random.Random, *, region: str, urban: bool, ethnicity: int) -> str:
    """A hamlet or residential group: 'Thôn Đông', 'Bản Nà Cóc', 'Buôn Ea Kmăt', 'Ấp Tân Lập', 'Tổ dân phố 5'."""
    if urban:
        return f"{'Khu phố' if region in ('south', 'mekong') else 'Tổ dân phố'} {rng.randint(1, 30)}"
    if ethnicity in (EDE, MNONG) and region == "highlands":
        return f"Buôn {rng.choice(_HIGHLAND_1)} {rng.choice(_HIGHLAND_2)}"
    if ethnicity in (JARAI, BANA, XODANG):
        return f"Plei {rng.choice(_HIGHLAND_2)}" if rng.random() < 0.6 else f"Làng {rng.choice(_HIGHLAND_2)}"
    if ethnicity == KHMER:
        return (
            f"Phum {rng.choice(_KHMER_PLACES)}" if rng.random() < 0.3 else f"Sóc {rng.choice(_KHMER_PLACES)}"
        )
    if ethnicity in (THAI, HMONG, DAO, TAY, NUNG, KHMU, HANHI, GIAY) or region == "north_mountain":
        return f"Bản {rng.choice(_MOUNTAIN_1)} {rng.choice(_MOUNTAIN_2)}"
    if region in ("south", "mekong"):
        return f"Ấp {rng.choice(_MEKONG)}" if rng.random() < 0.6 else f"Ấp {rng.randint(1, 12)}"
    if rng.random() < 0.55:
        return f"Thôn {rng.choice(_DIRECTIONS)}"
    return f"{'Xóm' if rng.random() < 0.4 else 'Thôn'} {rng.randint(1, 15)}"
