import pytest

from sheets.legacy_text import (
    detect_legacy,
    encode_tcvn3,
    encode_vni,
    tcvn3_to_unicode,
    to_unicode,
    vni_to_unicode,
)

# Real words as they appear in old sheets, and what they say.
TCVN3 = {
    "Hµ Néi": "Hà Nội",
    "Céng hoµ x· héi chñ nghÜa ViÖt Nam": "Cộng hoà xã hội chủ nghĩa Việt Nam",
    "§éc lËp - Tù do - H¹nh phóc": "Độc lập - Tự do - Hạnh phúc",
    "L\xadêng ThÞ Ch¬": "Lường Thị Chơ",
    "NguyÔn V¨n Th¾ng": "Nguyễn Văn Thắng",
    "Hé nghÌo": "Hộ nghèo",
    "Hé cËn nghÌo": "Hộ cận nghèo",
    "Khã kh¨n": "Khó khăn",
    "TØnh Lai Ch©u": "Tỉnh Lai Châu",
    "Th«n/Tæ d©n phè": "Thôn/Tổ dân phố",
    "Giµng A P¸o": "Giàng A Páo",
    "Lý ThÞ Mû": "Lý Thị Mỷ",
    "DANH S¸CH THµNH VI£N": "DANH SÁCH THÀNH VIÊN",  # typed in the capitals font .VnTimeH
    "TrÇn ThÞ ¸nh": "Trần Thị Ánh",
    "Quúnh, Mü, Tr\xadêng, Thø, Tõ, Phô n÷, Sè, Míi, Hîp": "Quỳnh, Mỹ, Trường, Thứ, Từ, Phụ nữ, Số, Mới, Hợp",
}
VNI = {
    "Haø Noäi": "Hà Nội",
    "Ñoäc laäp - Töï do - Haïnh phuùc": "Độc lập - Tự do - Hạnh phúc",
    "Löôøng Thò Chô": "Lường Thị Chơ",
    "Nguyeãn Vaên Thaéng": "Nguyễn Văn Thắng",
    "Hoä caän ngheøo": "Hộ cận nghèo",
    "Khoù khaên": "Khó khăn",
    "Tænh Lai Chaâu": "Tỉnh Lai Châu",
    "Quyønh, Myõ, Nghóa, Ñaëng": "Quỳnh, Mỹ, Nghĩa, Đặng",
    "NGUYEÃN THÒ": "NGUYỄN THỊ",
}


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3.items())
def test_tcvn3_words(legacy, unicode):
    assert tcvn3_to_unicode(legacy) == unicode


@pytest.mark.parametrize(("legacy", "unicode"), VNI.items())
def test_vni_words(legacy, unicode):
    assert vni_to_unicode(legacy) == unicode


def test_the_encoding_is_detected_from_the_sheet_text():
    assert detect_legacy(TCVN3) == "tcvn3"
    assert detect_legacy(VNI) == "vni"
    assert detect_legacy(["Nguyễn Thị Hoa", "Hà", "Lý", "Café", "HN"]) is None
    assert (
        detect_legacy(["Họ và tên", "Nguyễn Thị Hoa", "Thái", "½"]) is None
    )  # a stray sign in a Unicode sheet
    assert (
        detect_legacy(["Họ và tên", "Năm sinh", *TCVN3]) == "tcvn3"
    )  # Unicode template headers over old data


def test_unicode_text_is_never_converted_only_composed():
    assert to_unicode("Nguyễn Thị Hà", "tcvn3") == "Nguyễn Thị Hà"
    assert to_unicode("Hà", "vni") == "Hà"
    assert to_unicode("Nguye\u0302\u0303n", None) == "Nguyễn"


@pytest.mark.parametrize(
    "text", ["Nguyễn Thị Hoa", "Lường Văn Thắng", "Hộ cận nghèo", "Đặng Quỳnh Mỹ", "Tình nguyện viên"]
)
def test_round_trips_through_both_encodings(text):
    assert tcvn3_to_unicode(encode_tcvn3(text)) == text
    assert vni_to_unicode(encode_vni(text)) == text
