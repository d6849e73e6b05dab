"""Issue 12: look-alikes of a machine-readable zone told apart by their shape in OCR-B (desktop_app/ocr/ocrb_shapes).

Tesseract's English model reads OCR-B's I as 1 in document numbers (W7TL432L9, FJJZGQV1N), where the check digit
cannot always say which one is printed. Glyphs here are drawn in the OCR-B font, shrunk to a scan's size, blurred
and JPEG-compressed, and read "wrong" on purpose."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from desktop_app.ocr import ocrb_shapes
from desktop_app.ocr.mrz_reader import glyph_reading
from desktop_app.ocr.tesseract_engine import OcrLine, OcrWord

needs_font = pytest.mark.skipif(ocrb_shapes._font_file() is None, reason="the OCR-B font (fonts-ocr-b) is missing")


def scanned(
    text: str, height: int = 30, quality: int = 50, blur: float = 0.8
) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """`text` printed in OCR-B with capitals about `height` px tall, blurred and JPEG-compressed; each glyph's box."""
    font = ImageFont.truetype(ocrb_shapes._font_file() or "", round(height * 1.4))
    pitch = round(height * 0.85)
    band = Image.new("L", (pitch * len(text) + 40, height * 2 + 20), 255)
    draw = ImageDraw.Draw(band)
    boxes = []
    for i, char in enumerate(text):
        x = 20 + pitch * i
        draw.text((x, 10), char, font=font, fill=0)
        left, top, right, bottom = draw.textbbox((x, 10), char, font=font)
        boxes.append((left, top, right, bottom))
    band = band.filter(ImageFilter.GaussianBlur(blur))
    out = io.BytesIO()
    band.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("L"), boxes


@needs_font
@pytest.mark.parametrize(
    ("printed", "read"),
    [("I", "1"), ("1", "I"), ("S", "5"), ("5", "S"), ("B", "8"), ("8", "B"), ("Z", "2"), ("2", "Z")],
)
@pytest.mark.parametrize("height", [24, 30, 44])
def test_a_look_alike_misread_is_put_back_by_its_shape(printed: str, read: str, height: int) -> None:
    band, boxes = scanned(printed, height)
    assert ocrb_shapes.by_shape(read, band, boxes[0]) == printed


@needs_font
@pytest.mark.parametrize("char", list("1I5S8B2Z"))
def test_a_right_reading_stays(char: str) -> None:
    band, boxes = scanned(char)
    assert ocrb_shapes.by_shape(char, band, boxes[0]) == char


@needs_font
def test_zero_and_o_and_other_characters_are_left_to_tesseract() -> None:
    band, boxes = scanned("0OA<")
    assert [ocrb_shapes.by_shape(c, band, box) for c, box in zip("O0A<", boxes, strict=True)] == list("O0A<")


@needs_font
def test_a_document_number_read_with_1_for_i_is_read_as_printed() -> None:
    # The zone's line as Tesseract gave it: every I of W7TI432I9 read as 1.
    printed = "W7TI432I9"
    band, boxes = scanned(printed)
    read = printed.replace("I", "1")
    glyphs = tuple(OcrWord(c, 0.9, box) for c, box in zip(read, boxes, strict=True))
    line = OcrLine(read, 0.9, (0, 0, band.width, band.height), (), glyphs)
    assert glyph_reading(line, band)[0] == printed


def test_without_the_font_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocrb_shapes, "_font_file", lambda: None)
    ocrb_shapes._templates.cache_clear()
    try:
        band = Image.new("L", (60, 60), 255)
        ImageDraw.Draw(band).rectangle((20, 10, 26, 50), fill=0)
        assert ocrb_shapes.by_shape("1", band, (20, 10, 27, 51)) == "1"
    finally:
        ocrb_shapes._templates.cache_clear()


@needs_font
@pytest.mark.parametrize("read", list("KXS5"))
def test_a_filler_read_as_a_letter_has_the_fillers_shape(read: str) -> None:
    band, boxes = scanned("<")
    assert ocrb_shapes.is_filler(read, band, boxes[0])


@needs_font
@pytest.mark.parametrize("char", list("KXSLCE56"))
def test_a_letter_is_not_taken_for_a_filler(char: str) -> None:
    band, boxes = scanned(char)
    assert not ocrb_shapes.is_filler(char, band, boxes[0])


@needs_font
def test_a_filler_between_two_given_names_read_as_k_is_a_filler_to_check() -> None:
    # IVAN<XIAOMING read IVANKXIAOMING: the chevron's shape splits the name, which the page must confirm.
    printed = "IVAN<XIAOMING"
    band, boxes = scanned(printed)
    glyphs = tuple(OcrWord(c, 0.9, box) for c, box in zip("IVANKXIAOMING", boxes, strict=True))
    line = OcrLine("IVANKXIAOMING", 0.9, (0, 0, band.width, band.height), (), glyphs)
    assert glyph_reading(line, band) == (printed, True)
