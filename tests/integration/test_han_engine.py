"""The ID cards' Han text read by PP-OCR (desktop_app/ocr/han_reader.py), the real engine on generated cards: the
value it reads is taken, held to Tesseract's readings (one engine's word alone is never "read clearly"); a blue
label beside a value is not read into it; and without the engine the readers read with Tesseract alone."""

from __future__ import annotations

import random
import shutil

import pytest
from PIL import Image, ImageDraw

from desktop_app.ocr import han_reader
from desktop_app.ocr.cn_id_back_reader import read_cn_id_back
from desktop_app.ocr.cn_id_reader import CardFrame, Piece, han_engine_lines, read_cn_id_front
from tests.integration.test_cn_id_reader import back, front, scanned
from tests.support.id_documents import INK, SANS, _font

needs_engines = pytest.mark.skipif(
    shutil.which("tesseract") is None or not han_reader.han_engine_available(),
    reason="tesseract or PP-OCR (rapidocr, onnxruntime) is not installed",
)


@needs_engines
def test_both_sides_read_with_pp_ocr_every_field_exact() -> None:
    for seed in (3, 14):
        card, truth, rng = front(seed)
        result = read_cn_id_front(scanned(card, rng))
        assert result is not None and {k: f.value for k, f in result.fields.items()} == truth
        card, truth, rng = back(seed)
        result = read_cn_id_back(scanned(card, rng))
        assert result is not None and {k: f.value for k, f in result.fields.items()} == truth


@needs_engines
def test_a_blue_label_beside_the_value_is_not_read_into_it() -> None:
    # A card issue whose value starts close after its label: in colour, PP-OCR read 签发机关's 关 as the
    # authority's first character (关桥山县公安局). The labels' blue is made white before it reads.
    image = Image.new("RGB", (1011, 638), (236, 240, 242))
    draw = ImageDraw.Draw(image)
    draw.text((80, 440), "签发机关", font=_font(SANS, 28), fill=(40, 110, 200))
    draw.text((208, 438), "桥山县公安局", font=_font(SANS, 32), fill=INK)
    lines = han_engine_lines(image, CardFrame.nominal(image), Piece("issuing_authority", (180, 428, 1000, 490)))
    assert "".join(w.text for line in lines for w in line) == "桥山县公安局"


@needs_engines
def test_without_pp_ocr_the_readers_read_with_tesseract_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(han_reader.HAN_ENGINE_ENV, "tesseract")
    assert not han_reader.han_engine_available() and han_reader.read_text_lines(Image.new("RGB", (50, 20))) == []
    card, truth, rng = front(3)
    result = read_cn_id_front(scanned(card, rng))
    assert result is not None and result.fields["id_number"].value == truth["id_number"]
    assert result.fields["name"].value == truth["name"]


@needs_engines
def test_pp_ocrs_reading_of_a_zone_is_one_more_reading_placed_on_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from desktop_app.ocr import mrz_reader
    from desktop_app.ocr.mrz_reader import read_mrz
    from tests.support import id_documents as docs

    rng = random.Random(5)
    page, truth = docs.id_card_td1(docs.synthetic_identity(rng, "any"), rng)
    page = page.convert("RGB")
    gray = page.convert("L")
    reading = mrz_reader._engine_reading(gray, page, date(2026, 12, 7))
    assert reading is not None and reading.result.document_type == "mrz_td1"
    assert reading.result.fields["document_number"].value == truth["document_number"]
    # Its three lines lie in the zone, the foot of the card, in the card's own pixels.
    assert len(reading.lines) == 3 and all(line.box[1] > page.height * 0.55 for line in reading.lines)
    assert all(0 <= line.box[0] < line.box[2] <= page.width + 2 for line in reading.lines)
    # The whole reader gives the same, and the engine turned off, Tesseract alone still does.
    found = read_mrz(page, date(2026, 12, 7))
    assert found is not None and found.fields["document_number"].value == truth["document_number"]
    monkeypatch.setenv(han_reader.HAN_ENGINE_ENV, "tesseract")
    assert mrz_reader._engine_reading(gray, page, date(2026, 12, 7)) is None
    found = read_mrz(page, date(2026, 12, 7))
    assert found is not None and found.fields["document_number"].value == truth["document_number"]


@needs_engines
def test_a_value_starting_left_of_its_crop_is_read_whole_and_its_label_left_out() -> None:
    # An independent tester's cards print smaller than the layout, their values closer to their labels: the name's
    # crop cut 赵明远 through its first character, and both engines read 月远 from it (shown as read clearly).
    image = Image.new("RGB", (1011, 638), (236, 240, 242))
    draw = ImageDraw.Draw(image)
    draw.text((52, 66), "姓名", font=_font(SANS, 30), fill=(60, 60, 60))  # grey: a greyscale scan's label
    draw.text((128, 62), "赵明远", font=_font(SANS, 36), fill=INK)
    lines = han_engine_lines(image, CardFrame.nominal(image), Piece("name", (150, 55, 640, 115)))
    assert "".join(w.text for line in lines for w in line) == "赵明远"
    assert min(w.box[0] for line in lines for w in line) < 150


def test_a_labels_end_read_into_a_value_is_left_out() -> None:
    from desktop_app.ocr.cn_id_reader import _without_label
    from desktop_app.ocr.tesseract_engine import OcrWord

    def lines(*texts: str) -> list[list[OcrWord]]:
        return [[OcrWord(text, 0.9, (0, 40 * i, 100, 40 * i + 30))] for i, text in enumerate(texts)]

    def text(found: list[list[OcrWord]]) -> list[str]:
        return [w.text for line in found for w in line]

    assert text(_without_label(lines("名赵明远"), "姓名", True)) == ["赵明远"]
    assert text(_without_label(lines("姓名", "阿依古丽·托合提"), "姓名", True)) == ["阿依古丽·托合提"]
    assert text(_without_label(lines("住址安徽省合肥市", "蜀山区"), "住址", True)) == ["安徽省合肥市", "蜀山区"]
    # 关 alone is left where values start with it (关岭县公安局), unless the crop was widened into the label.
    assert text(_without_label(lines("关岭县公安局"), "签发机关", False)) == ["关岭县公安局"]
    assert text(_without_label(lines("机关关岭县公安局"), "签发机关", False)) == ["关岭县公安局"]
    assert text(_without_label(lines("关南京市公安局"), "签发机关", True)) == ["南京市公安局"]


@needs_engines
@pytest.mark.parametrize(
    ("above", "kept"),
    # The birth date as a greyscale scan shows it, 年 月 日 not blue and so not made white: mostly digits.
    [("新疆维吾尔自治区乌鲁", True), ("1969  12  14", False), ("1969年12月14日", False)],
)
def test_an_addresss_line_just_above_its_crop_is_taken_if_it_is_words(above: str, kept: bool) -> None:
    # An independent tester's card with its rows closer than the layout's: the address crop began at its second
    # line, and both engines read 木齐市天山区… without its first, read clearly. A line of words just above that
    # starts where the address does is its own; the birth date's digits (their 年 月 日 blue, made white) are not.
    from desktop_app.ocr.cn_id_reader import _with_line_above

    image = Image.new("RGB", (1011, 638), (236, 240, 242))
    draw = ImageDraw.Draw(image)
    for y, text in ((236, above), (283, "木齐市天山区河口乡花"), (330, "园村")):
        draw.text((160, y), text, font=_font(SANS, 34), fill=INK)
    frame, piece = CardFrame.nominal(image), Piece("address", (150, 280, 640, 410), lines=True)
    lines = han_engine_lines(image, frame, piece)
    assert "".join(w.text for line in lines for w in line) == "木齐市天山区河口乡花园村"
    joined = "".join(w.text for line in _with_line_above(image, frame, piece, lines) for w in line)
    assert joined == ("新疆维吾尔自治区乌鲁木齐市天山区河口乡花园村" if kept else "木齐市天山区河口乡花园村")
