"""Issue 12: Han look-alikes chi_sim reads at 0.8 and more (巷 as 埠, 室 as 宣). A free-text value holding a character
of a known pair is "read clearly" only where two independent readings agree on it. No Tesseract runs here."""

from __future__ import annotations

from desktop_app.ocr.cn_id_fields import HAN_CONFUSABLE_PAIRS, has_confusable_han
from desktop_app.ocr.cn_id_reader import READ_CLEARLY, _FreeText, held_to_confusables, held_to_tesseract
from desktop_app.ocr.result import FieldResult


def _reading(value: str, confidence: float = 0.93) -> _FreeText:
    return _FreeText(FieldResult(value, confidence, False), ())


def test_the_pairs_seen_are_known() -> None:
    pairs = {frozenset(pair) for pair in HAN_CONFUSABLE_PAIRS}
    assert {frozenset("巷埠"), frozenset("室宣")} <= pairs
    assert has_confusable_han("示例市测试区幸福埠12号") and has_confusable_han("样例路8号1004室")
    assert not has_confusable_han("示例市测试区幸福路12号")


def test_a_lane_read_as_a_port_by_one_reading_only_is_not_read_clearly() -> None:
    # The first reading (surely, 0.93) gives 埠 where the card prints 巷; the second reading gives 巷.
    wrong, right = _reading("示例市测试区幸福埠12号"), _reading("示例市测试区幸福巷12号", 0.9)
    kept = held_to_confusables("address", wrong, [wrong, right])
    assert kept.field is not None and kept.field.confidence < READ_CLEARLY
    assert "address_lookalike_character" in kept.warnings


def test_two_readings_that_agree_keep_their_confidence() -> None:
    first, second = _reading("示例市测试区幸福巷12号"), _reading("示例市测试区幸福巷12号", 0.91)
    assert held_to_confusables("address", first, [first, second]) == first


def test_a_value_without_a_look_alike_is_left_alone() -> None:
    only = _reading("示例市测试区幸福路12号")
    assert held_to_confusables("address", only, [only]) == only


def test_a_value_pp_ocr_reads_and_no_tesseract_reading_gives_is_to_check() -> None:
    # PP-OCR (han_reader) reads 侯琴 at 0.99; Tesseract's two models read 侯珊 and 修琴. One engine's word alone is
    # no check: shown to check, with the readings' disagreement named.
    found = _reading("侯琴", 0.99)
    kept = held_to_tesseract("name", found, [_reading("侯珊", 0.75), _reading("修琴", 0.0)])
    assert kept.field is not None and kept.field.value == "侯琴" and kept.field.confidence < READ_CLEARLY
    assert "name_readings_differ" in kept.warnings
    # A Tesseract reading giving the same value seconds it: its own confidence and doubts stand.
    assert held_to_tesseract("name", found, [_reading("侯珊", 0.75), _reading("侯琴", 0.6)]) == found
