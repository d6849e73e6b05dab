"""Resident ID card reading rules that need no Tesseract: an address or authority whose shape speaks against the
reading is never shown as read clearly (a lost final 号/室/组/村, 室 read as 宣), print the reading left out is
seen, the text route tells the card's sides (and a machine-readable zone) by their words, and the words found
place the card's fields."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw

from desktop_app.domain.id_numbers import gb11643_check_char
from desktop_app.ocr.classify import CN_ID_BACK, CN_ID_FRONT, MRZ, kind_of_text
from desktop_app.ocr.cn_id_fields import (
    ShapeCheck,
    check_address,
    check_authority,
    check_name,
    with_numbers_province,
)
from desktop_app.ocr.cn_id_reader import (
    _FRONT_ANCHORS,
    CardFrame,
    _as_lines,
    _unread_lines,
    doubtful,
    fit_text_anchors,
    uncovered_ink,
    with_recovered,
)
from desktop_app.ocr.result import FieldResult
from desktop_app.ocr.tesseract_engine import OcrWord
from desktop_app.services.scan_fill import LOW_CONFIDENCE
from tests.support.id_documents import INK, SANS, _font

# -- the address and the authority -------------------------------------------------------------------------------

WHOLE_ADDRESSES = [
    "示例省演示市样例区测试路12号",
    "示例省演示市样例区测试路12号3栋2单元1004室",
    "测试省演示市测试区城关镇演示村12组",
    "样例省示例市模拟县东风乡范例村",
    "演示省示例市样例区人民中路928号测试小区13幢902户",
]


@pytest.mark.parametrize("address", WHOLE_ADDRESSES)
def test_an_address_of_a_usual_shape_raises_no_doubt(address: str) -> None:
    assert check_address(address) == ShapeCheck(address)


@pytest.mark.parametrize("address", WHOLE_ADDRESSES)
def test_an_address_that_lost_its_last_character_is_doubted(address: str) -> None:
    checked = check_address(address[:-1])
    assert "address_ending_unusual" in checked.doubts
    assert checked.value == address[:-1]  # nothing is made up for a character that was not read


def test_a_room_read_as_xuan_is_put_right_and_left_for_checking() -> None:
    checked = check_address("示例省演示市样例区测试路12号3栋2单元1004宣")
    assert checked.value == "示例省演示市样例区测试路12号3栋2单元1004室"
    assert checked.corrected and checked.doubts == ()
    # 宣 is put right only where a room number ends the address: elsewhere it is a place's own character.
    assert check_address("示例省宣城市样例区测试路12号").value == "示例省宣城市样例区测试路12号"


def test_a_number_followed_by_no_unit_is_doubted() -> None:
    assert "address_unit_unusual" in check_address("示例省演示市测试路12号25林6单元1004室").doubts
    # And a unit with no number before it: the digits of 2号楼 were lost.
    assert "address_unit_unusual" in check_address("范例省范例市样例县解放西路280号号楼104室").doubts
    assert check_address("示例省演示市测试路3-2-501室").doubts == ()


def test_an_authority_must_be_a_public_security_bureau() -> None:
    for authority in ("示例市公安局", "演示县公安局", "示例市公安局测试分局", "示例地区公安局演示县局"):
        assert check_authority(authority).doubts == ()
    assert check_authority("示例市公安局测试分").doubts == ("issuing_authority_shape_unusual",)
    assert check_authority("示例市公交易").doubts == ("issuing_authority_shape_unusual",)
    repaired = check_authority("示例市公安居")
    assert repaired.value == "示例市公安局" and repaired.corrected


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("示例县公安尿", "示例县公安局"),  # the final 局 misread
        ("示例市公交局", "示例市公安局"),  # 安 misread: no bureau of transport issues cards
        ("演示市公安司测试分局", "演示市公安局测试分局"),  # inside a branch's name
        ("演示市公安局测试分扃", "演示市公安局测试分局"),
        ("演示市公安局测试分局二心一二二", "演示市公安局测试分局"),  # a pattern read as characters after it
    ],
)
def test_a_misread_in_the_words_every_authority_prints_is_put_right_and_shown_for_checking(
    read: str, meant: str
) -> None:
    checked = check_authority(read)
    assert (checked.value, checked.doubts, checked.corrected) == (meant, (), True)


def test_an_authority_two_characters_off_or_cut_in_a_branch_name_keeps_its_doubt() -> None:
    assert check_authority("示例市公奶吴").doubts == ("issuing_authority_shape_unusual",)
    # What follows the first bureau holds 分: the rest of a branch's name, not print to drop.
    assert check_authority("示例市公安局测试分").value == "示例市公安局测试分"


@pytest.mark.parametrize(("doubt", "corrected"), [(True, False), (False, True), (True, True)])
def test_a_doubted_or_corrected_value_is_never_shown_as_read_clearly(doubt: bool, corrected: bool) -> None:
    read = FieldResult("示例省演示市测试路12", 0.95, False)
    assert doubtful(read, doubt, corrected).confidence < LOW_CONFIDENCE
    assert doubtful(read, False, False).confidence == 0.95


# -- print the reading left out ----------------------------------------------------------------------------------


def _printed(text: str) -> tuple[Image.Image, list[OcrWord]]:
    """`text` printed black on a pale card at layout (170, 310) (the address's first line), and one word per
    character where it was drawn, as Tesseract would box them."""
    card = Image.new("RGB", (1011, 638), (236, 240, 238))
    draw = ImageDraw.Draw(card)
    font = _font(SANS, 30)
    words, x = [], 170.0
    for ch in text:
        draw.text((x, 320), ch, font=font, fill=INK, anchor="ls")
        left, top, right, bottom = (round(v) for v in draw.textbbox((x, 320), ch, font=font, anchor="ls"))
        words.append(OcrWord(ch, 0.9, (left, top, right, bottom)))
        x += font.getlength(ch)
    return card, words


ADDRESS_AREA = (150, 275, 640, 410)


def test_a_character_left_out_at_the_end_of_a_line_is_seen() -> None:
    card, words = _printed("测试路12号1004室")
    frame = CardFrame.nominal(card)
    assert not uncovered_ink(card, frame, ADDRESS_AREA, words)
    assert uncovered_ink(card, frame, ADDRESS_AREA, words[:-1])  # 室 dropped
    # Two digits of a number are one word to Tesseract: the number's box covers both.
    joined = [*words[:3], OcrWord("12", 0.9, (words[3].box[0], words[3].box[1], words[4].box[2], words[4].box[3]))]
    assert not uncovered_ink(card, frame, ADDRESS_AREA, [*joined, *words[5:]])


# -- the text route ----------------------------------------------------------------------------------------------

NUMBER = "11010519491231002" + gb11643_check_char("11010519491231002")


@pytest.mark.parametrize(
    ("lines", "kind"),
    [
        (["中华人民共和国", "居民身份证", "签发机关 示例市公安局", "有效期限 2016.10.15-2036.10.15"], CN_ID_BACK),
        (["中华人民共和国", "居民喘份证"], CN_ID_BACK),  # the title alone, one character misread
        (["签发机关示例县公安局", "2016.10.15一长期"], CN_ID_BACK),  # one label and a period
        (["姓名 王测试", "性别 男 民族 汉", "公民身份号码", NUMBER], CN_ID_FRONT),
        (["唐起示例", "1958午 5 28", NUMBER], CN_ID_FRONT),  # no label read: the number alone
        (["P<CHNWANG<<CESHI<<<<<<<<<<<<<", "E123456784CHN8001014M3001012<<<<<<<<<<<<<<<<"], MRZ),
        (["示例", "样本 SPECIMEN"], None),
        (["性别 出生日期 签发机关 有效期至"], None),  # a passport's captions point both ways
        ([f"{NUMBER[:-1]}{'0' if NUMBER[-1] != '0' else '1'}"], None),  # a number whose check fails says nothing
    ],
)
def test_the_text_tells_which_document_it_is(lines: list[str], kind: str | None) -> None:
    assert kind_of_text(lines)[0] == kind


def _glyphs(text: str, left: int, middle: int, width: int = 24) -> tuple[OcrWord, ...]:
    return tuple(
        OcrWord(ch, 0.9, (left + i * width, middle - 12, left + (i + 1) * width - 2, middle + 12))
        for i, ch in enumerate(text)
    )


def test_the_words_found_place_the_fields_row_by_row() -> None:
    # A card printed 12 px right of the usual layout, its address row 20 px lower than the others would say.
    lines = [
        _glyphs("姓名", 74, 93),
        _glyphs("王测试", 180, 95, 38),
        _glyphs("出生", 74, 233),
        _glyphs("住址", 74, 323),
        _glyphs("公民身份号码", 74, 553),
        _glyphs(NUMBER, 330, 549, 33),
    ]
    frame = fit_text_anchors(lines, _FRONT_ANCHORS, (1011, 638))
    assert frame is not None
    assert frame.dx == pytest.approx(12, abs=1)
    assert frame.dy_at(91) == pytest.approx(2, abs=1)
    assert frame.dy_at(301) == pytest.approx(22, abs=1)  # the address's own row
    assert fit_text_anchors([_glyphs("示例", 100, 100)], _FRONT_ANCHORS, (1011, 638)) is None


def test_a_long_province_name_misread_by_one_character_is_put_right() -> None:
    checked = check_address("新疆维吉尔自治区福春市湖宝区清城乡江石村1组")
    assert checked.value == "新疆维吾尔自治区福春市湖宝区清城乡江石村1组" and checked.corrected
    # A short name is one character from too many others: 南京市 is not 北京市 misread.
    assert check_address("南京市玄武区测试路1号") == check_address("南京市玄武区测试路1号").__class__(
        "南京市玄武区测试路1号"
    )


def test_a_province_one_character_off_only_one_province_is_put_right() -> None:
    # Development split: 吉林省 read as 古林省; 陋西省 is one character off 陕西, 山西 and 江西 alike.
    checked = check_address("古林省南南市青庆街41号")
    assert checked.value == "吉林省南南市青庆街41号" and checked.corrected
    assert check_address("陋西省西安市测试路1号").value == "陋西省西安市测试路1号"


def test_a_room_read_as_ding_after_its_number_is_a_room() -> None:
    checked = check_address("江苏省城安市江永区江金大道722号11栋4单元2005定")
    assert checked.value.endswith("2005室") and checked.corrected and checked.doubts == ()


@pytest.mark.parametrize("address", ["大道286号15栋6单元706室", "路36号4栋5单元1701室", "华门大街79弄59号", "村"])
def test_an_address_that_names_no_county_lost_its_first_line(address: str) -> None:
    # An independent tester's cards: the first line (四川省成都市武侯区民族…) went to the row above, and the rest
    # came out at 0.87-0.97, no doubt raised.
    assert "address_without_division" in check_address(address).doubts


@pytest.mark.parametrize(
    "address", ["北京市东城区石桥镇金盆村", "溪山县兴永乡山德村", "内蒙古自治区锡林郭勒盟正蓝旗上都镇5号"]
)
def test_an_address_naming_its_division_raises_no_such_doubt(address: str) -> None:
    assert "address_without_division" not in check_address(address).doubts


@pytest.mark.parametrize(
    ("name", "doubted"),
    [("女土家", True), ("别男民族汉", True), ("男", True), ("滕明", False), ("阿依古丽·买买提", False)],
)
def test_a_name_that_is_the_row_below_is_doubted(name: str, doubted: bool) -> None:
    # 女土家 (the sex and ethnicity of the row below) came out as the name 滕明 at 0.94.
    assert bool(check_name(name)) is doubted


def test_a_province_one_character_off_is_put_right_by_the_numbers_region_only() -> None:
    """Independent tester: 陕西省 read as 陋西省, one character off 陕西, 山西 and 江西 alike; the number (61…)
    says which."""
    assert with_numbers_province("陋西省西安市测试路5号", "610113199207209429") == "陕西省西安市测试路5号"
    assert with_numbers_province("可南省南阳市演示村", "411300198001010011") == "河南省南阳市演示村"
    # A province already read, or one the number does not name, or two characters off: left alone.
    assert with_numbers_province("江西省南昌市演示路1号", "610113199207209429") is None
    assert with_numbers_province("陋西省西安市演示路1号", "410113199207209429") is None
    assert with_numbers_province("陋丙省西安市演示路1号", "610113199207209429") is None


# -- lines of a slanted card -------------------------------------------------------------------------------------


def _slanted(text: str, left: int, tops: list[int], height: int = 40) -> list[OcrWord]:
    return [
        OcrWord(ch, 0.9, (left + 45 * i, top, left + 45 * i + 40, top + height))
        for i, (ch, top) in enumerate(zip(text, tops, strict=True))
    ]


def test_a_slanted_cards_runs_join_the_lines_they_continue_not_the_line_below() -> None:
    # A development card turned 5.7 degrees: each line falls to the right, so the end of the first line lies as low
    # as the start of the second, and Tesseract gave the two lines as four runs. Joined by the lines' whole
    # heights, they came out 宁夏回族自华区岭白镇沙福村二组治区安河县阳.
    runs = [
        _slanted("宁夏回族自", 211, [343, 345, 347, 349, 351]),
        _slanted("治区安河县阳", 436, [354, 356, 358, 360, 362, 364]),
        _slanted("华区岭白", 211, [388, 390, 392, 394]),
        _slanted("镇沙福村二组", 391, [398, 400, 402, 404, 406, 408]),
    ]
    lines = _as_lines(runs)
    assert ["".join(w.text for w in line) for line in lines] == ["宁夏回族自治区安河县阳", "华区岭白镇沙福村二组"]
    # One run holding both lines is parted into its rows.
    lines = _as_lines([runs[0] + runs[2] + runs[3] + runs[1]])
    assert ["".join(w.text for w in line) for line in lines] == ["宁夏回族自治区安河县阳", "华区岭白镇沙福村二组"]


def test_a_character_read_alone_goes_on_its_own_line_when_a_glyph_box_spans_two() -> None:
    # Tesseract boxed 岭, 清 and 庆 from their own top to the next line's bottom; the 村 read alone below the line
    # was put first on it (村西岭县石湖区平清乡庆云).
    line = _slanted("西岭县石湖区平清乡庆云", 226, [338, 331, 343, 346, 350, 352, 353, 331, 356, 331, 363])
    line = [replace(w, box=(w.box[0], w.box[1], w.box[2], 401)) if w.text in "岭清庆" else w for w in line]
    village = OcrWord("村", 0.8, (226, 385, 262, 407))
    lines = with_recovered([line], [village])
    assert ["".join(w.text for w in ln) for ln in lines] == ["西岭县石湖区平清乡庆云", "村"]
    # Where its middle lies within the line's usual height, it takes its place on the line.
    lines = with_recovered([line], [OcrWord("号", 0.8, (720, 345, 760, 390))])
    assert ["".join(w.text for w in ln) for ln in lines] == ["西岭县石湖区平清乡庆云号"]


def test_a_last_line_left_out_whole_is_seen_whatever_the_boxes_above_it() -> None:
    # A compact card's address: 山西省安安市安和区泰永 / 东路310号21栋3单元 / 906室, print 24 px high, 34 px apart.
    # Tesseract read the first two lines and boxed some glyphs of the second twice their height, over half of the
    # third: no character-sized patch was left uncovered, and 906室 was lost without a doubt.
    ink = np.zeros((120, 400), dtype=np.uint8)
    for top, width in ((5, 330), (39, 300), (73, 110)):
        ink[top : top + 24, 10 : 10 + width] = 1
    words = [(10 + 30 * i, 5, 38 + 30 * i, 29) for i in range(11)]
    words += [(10 + 30 * i, 39, 38 + 30 * i, 63 if i % 2 else 88) for i in range(10)]
    assert _unread_lines(ink, words) == [(10, 73, 120, 97)]
    # Every line read: nothing. Print above the words (the row above, in a crop made higher) is not looked at.
    assert _unread_lines(ink, [*words, (10, 73, 120, 97)]) == []
    assert _unread_lines(ink, [w for w in words if w[1] > 5]) == [(10, 73, 120, 97)]
