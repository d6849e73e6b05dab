"""Fillers misread as letters, told by the glyph's height (issue 12: EMMA<LUCAS read EMMAKLUCAS at 0.85)."""

from __future__ import annotations

from datetime import date

from PIL import Image, ImageDraw

from desktop_app.ocr.mrz import parse_mrz
from desktop_app.ocr.mrz_reader import _document, _Reading, glyph_reading, mrz_text
from desktop_app.ocr.tesseract_engine import OcrLine, OcrWord

CAP, FILLER = 21, 18  # OCR-B's capitals and its '<' (about 85% of the cap height), in pixels
BAND = Image.new("L", (1400, 60), 255)


def glyph_line(text: str, short: set[int], short_height: int = FILLER) -> OcrLine:
    """A line as Tesseract gives it: one glyph per character, 30 px apart; fillers are filler-high, the positions
    in `short` `short_height`, the rest cap-high (digits a little taller, as in OCR-B)."""
    glyphs = []
    for i, char in enumerate(text):
        height = FILLER if char == "<" else short_height if i in short else CAP + 2 * char.isdigit()
        glyphs.append(OcrWord(char, 0.96, (30 * i, 40 - height, 30 * i + 18, 40)))
    return OcrLine(text, 0.96, (0, 40 - CAP, 30 * len(text), 40), (), tuple(glyphs))


def test_a_short_letter_between_two_given_names_is_a_filler() -> None:
    text = "V<CHNTANAKA<<LAURA<EMMAKLUCAS<<<<<<<"
    assert mrz_text(glyph_line(text, {text.index("KLUCAS")}), BAND) == "V<CHNTANAKA<<LAURA<EMMA<LUCAS<<<<<<<"


def test_a_cap_high_letter_between_two_given_names_stays_a_letter() -> None:
    text = "V<CHNTANAKA<<LAURA<EMMAKLUCAS<<<<<<<"
    assert mrz_text(glyph_line(text, set()), BAND) == text


def test_on_a_line_of_digits_a_short_letter_between_two_characters_stays() -> None:
    # OCR-B's digits stand taller than its letters: beside them a letter can look short without being a filler.
    text = "Z7CR0FX5D<5FRA5104298M2507215<<<<<<<<"
    assert mrz_text(glyph_line(text, {text.index("X")}), BAND) == text


def drawn(shapes: str) -> tuple[Image.Image, OcrLine]:
    """A band with one drawn glyph per character of `shapes` ('I': serifs across top and foot, 'L': a stem and a
    foot), each read by Tesseract as L."""
    band = Image.new("L", (40 * len(shapes) + 40, 60), 255)
    draw = ImageDraw.Draw(band)
    glyphs = []
    for i, shape in enumerate(shapes):
        left, top, right, bottom = 20 + 40 * i, 10, 20 + 40 * i + 16, 10 + CAP
        if shape == "I":
            draw.rectangle((left, top, right, top + 3), fill=0)
            draw.rectangle((left + 6, top, left + 10, bottom), fill=0)
        else:
            draw.rectangle((left, top, left + 4, bottom), fill=0)
        draw.rectangle((left, bottom - 3, right, bottom), fill=0)
        glyphs.append(OcrWord("L", 0.95, (left, top, right + 1, bottom + 1)))
    return band, OcrLine("L" * len(shapes), 0.95, (0, 10, band.width, 10 + CAP), (), tuple(glyphs))


def test_an_i_read_as_l_is_put_back_by_its_serifs_and_an_l_stays() -> None:
    # CHOI read CHOL, DUBOIS read DUBOLS: OCR-B's I has a serif across its top, an L a bare top right.
    band, line = drawn("ILLI")
    assert mrz_text(line, band) == "ILLI"


def test_a_letter_put_back_by_its_shape_or_height_alone_is_marked() -> None:
    text = "V<CHNTANAKA<<LAURA<EMMAKLUCAS<<<<<<<"
    assert glyph_reading(glyph_line(text, {text.index("KLUCAS")}), BAND) == (
        "V<CHNTANAKA<<LAURA<EMMA<LUCAS<<<<<<<",
        True,
    )
    assert glyph_reading(glyph_line(text, set()), BAND) == (text, False)
    # A short letter among the fillers after the name is a misread filler beyond doubt.
    assert glyph_reading(glyph_line("P<UTOERIKSSON<<ANNA<<K<<", {21}), BAND) == ("P<UTOERIKSSON<<ANNA<<<<<", False)
    band, line = drawn("ILLI")
    assert glyph_reading(line, band) == ("ILLI", True)


def test_a_name_read_by_glyph_shape_alone_is_at_most_check_with_care() -> None:
    lines = ["V<CHNTANAKA<<LAURA<EMMA<LUCIA<<<<<<<", "Z405672470FRA6104298M2507215<<<<<<<<"]
    result = parse_mrz(lines, date(2026, 5, 1))
    placed = [OcrLine(text, 0.95, (20, 10 + 40 * i, 1100, 40 + 40 * i)) for i, text in enumerate(lines)]
    image = Image.new("RGB", (1240, 120), "white")  # no printed page above the zone to confirm the name

    def read(inferred: bool) -> dict[str, float]:
        document = _document([_Reading(result, 0.95, placed, image, inferred)])
        return {name: document.fields[name].confidence for name in ("surname", "given_names")}

    assert read(False) == {"surname": 0.85, "given_names": 0.85}
    assert read(True) == {"surname": 0.7, "given_names": 0.7}
