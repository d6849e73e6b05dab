"""Finding and reading the machine-readable zone at the foot of a passport page or ID card."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np
from PIL import Image, ImageOps

from desktop_app.ocr.mrz import MrzField, MrzNotFound, MrzResult, field_spans, parse_mrz
from desktop_app.ocr.result import DocumentResult, FieldResult
from desktop_app.ocr.tesseract_engine import MRZ_CONFIG, OcrLine, OcrWord, read_glyph_lines

MRZ_FIELDS = (
    "surname",
    "given_names",
    "document_number",
    "nationality",
    "issuing_country",
    "birth_date",
    "sex",
    "expiry_date",
)
# The zone fills the lowest part of the page; these scales bring OCR-B glyphs near the ~30 px Tesseract reads best
# at for scans of 300 DPI (the first that yields verified check digits wins).
_BAND = 0.32
# Each pass: (scale, binarise). Binarising locally recovers glyphs at a line's start that Tesseract drops on the
# grey image, and loses others: the passes disagree in different places, and the fields are voted on.
_PASSES = ((0.7, False), (0.7, True), (0.55, False), (1.0, True))


_MARGIN = 10  # a white margin around tight text helps Tesseract


def _band(gray: Image.Image, scale: float, binarise: bool = False) -> tuple[Image.Image, int]:
    """The bottom band of the page, scaled and with a white margin, and where the band starts in the page."""
    width, height = gray.size
    top = int(height * (1 - _BAND))
    band = gray.crop((0, top, width, height))
    band = band.resize((max(1, int(band.width * scale)), max(1, int(band.height * scale))), Image.Resampling.LANCZOS)
    if binarise:
        block = max(15, int(band.height * 0.15)) | 1  # about one line high: follows uneven light
        pixels = cv2.adaptiveThreshold(
            np.asarray(band), 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15
        )
        band = Image.fromarray(pixels)
    return ImageOps.expand(band, _MARGIN, fill=255), top


# Tesseract's English model drifts on long filler runs ('<<<<<<' turns into 'KKKKKK', sometimes 'S' or 'E'), above
# all in the name area, which no check digit covers. The glyph itself tells: OCR-B's '<' is about 85% of the cap
# height and centred, so a "letter" that short is a filler.
_FILLER_MISREADS = frozenset("KLCEXS")
_FILLER_HEIGHT = 0.9


def _height(glyph: OcrWord) -> int:
    return glyph.box[3] - glyph.box[1]


def _without_overlaps(glyphs: tuple[OcrWord, ...]) -> list[OcrWord]:
    """The glyphs without the spurious extra characters Tesseract sometimes lays over a neighbour: the MRZ is
    monospaced, so of two glyphs whose centres fall in one cell of the pitch grid, only the likelier stays."""
    centres = [(g.box[0] + g.box[2]) / 2 for g in glyphs]
    steps = sorted(b - a for a, b in itertools.pairwise(centres))
    if len(steps) < 5:
        return list(glyphs)
    pitch = steps[len(steps) // 2]
    kept: list[tuple[OcrWord, float]] = []
    for glyph, centre in zip(glyphs, centres, strict=True):
        if kept and centre - kept[-1][1] < 0.6 * pitch:
            if glyph.confidence > kept[-1][0].confidence:
                kept[-1] = (glyph, centre)
            continue
        kept.append((glyph, centre))
    return [g for g, _ in kept]


def _holes(band: Image.Image, box: tuple[int, int, int, int]) -> int:
    """How many enclosed counters the glyph in `box` has (a 6 has one, a G none)."""
    left, top, right, bottom = box
    crop = np.asarray(band.crop((left - 1, top - 1, right + 2, bottom + 2)))
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0
    least = 0.02 * (right - left) * (bottom - top)
    return sum(1 for i, c in enumerate(contours) if hierarchy[0][i][3] >= 0 and cv2.contourArea(c) >= least)


def mrz_text(line: OcrLine, band: Image.Image) -> str:
    """The line's MRZ characters as read from `band`, with fillers misread as letters put back by the glyph's
    height, and a G read as 6 put back by its shape.

    Check digits cannot catch G for 6: their values (16 and 6) differ by 10, so every weight gives the same check
    digit, and Tesseract's English model reads OCR-B's G as 6 at the start of a document number. A 6 has a closed
    counter and a G none."""
    glyphs = _without_overlaps(line.glyphs)
    if not glyphs:
        return line.text
    reference = sorted(_height(g) for g in glyphs if g.text.isalnum() and g.confidence >= 0.9)
    cap_height = reference[len(reference) // 2] if len(reference) >= 5 else 0
    chars = []
    for g in glyphs:
        if g.text in _FILLER_MISREADS and _height(g) < _FILLER_HEIGHT * cap_height:
            chars.append("<")
        elif g.text == "6" and _holes(band, g.box) == 0:
            chars.append("G")
        else:
            chars.append(g.text)
    return "".join(chars)


def _candidate_lines(lines: list[OcrLine]) -> list[OcrLine]:
    return [line for line in lines if len(line.text) >= 25]


def _score(result: MrzResult) -> int:
    # A line of the wrong length was fitted by guesswork: worth more than any other warning.
    verified = sum(1 for f in result.fields.values() if f.verified)
    return verified - sum(3 if w.code == "line_length" else 1 for w in result.warnings)


@dataclass(frozen=True)
class _Reading:
    result: MrzResult
    ocr_confidence: float
    lines: list[OcrLine]  # the zone's lines, with boxes in `image` coordinates
    image: Image.Image  # the document as read (turned upright)


def read_mrz(image: Image.Image, today: date) -> DocumentResult | None:
    """The MRZ document in `image` (upright or upside down), or None when no zone is found.

    The zone is read at a few scales until one reading is clean (every check digit holds, no warning); otherwise
    each field takes the value most readings agree on, a value a check digit confirms first."""
    readings: list[_Reading] = []
    for turned in (image, image.rotate(180)):
        gray = ImageOps.grayscale(turned)
        for scale, binarise in _PASSES:
            band, top = _band(gray, scale, binarise)
            lines = _candidate_lines(read_glyph_lines(band, lang="eng", config=MRZ_CONFIG))
            if len(lines) < 2:
                continue
            try:
                result = parse_mrz([mrz_text(line, band) for line in lines], today)
            except MrzNotFound:
                continue
            ocr_confidence = sum(line.confidence for line in lines) / len(lines)
            placed = [_in_image(line, scale, top) for line in lines[-_lines(result.document_type) :]]
            readings.append(_Reading(result, ocr_confidence, placed, turned))
            if result.composite_ok and not result.warnings:
                return _document(readings[-1:])
        if readings:
            break
    return _document(readings) if readings else None


def _lines(document_type: str) -> int:
    return 3 if document_type == "mrz_td1" else 2


def _in_image(line: OcrLine, scale: float, top: int) -> OcrLine:
    """The line with its box in the coordinates of the image the band was cut from."""
    left, upper, right, lower = line.box
    box = (
        round((left - _MARGIN) / scale),
        round((upper - _MARGIN) / scale) + top,
        round((right - _MARGIN) / scale),
        round((lower - _MARGIN) / scale) + top,
    )
    return OcrLine(line.text, line.confidence, box)


def _field_box(reading: _Reading, name: str) -> tuple[int, int, int, int] | None:
    """The field's box: its share of its line's box (the MRZ is monospaced)."""
    line_index, start, end = field_spans(reading.result.document_type)[name]
    if line_index >= len(reading.lines):
        return None
    left, top, right, bottom = reading.lines[line_index].box
    width = (right - left) / _LENGTH[reading.result.document_type]
    return (round(left + start * width), top, round(left + end * width), bottom)


_LENGTH = {"mrz_td3": 44, "mrz_td2": 36, "mrz_td1": 30}


def _document(readings: list[_Reading]) -> DocumentResult:
    """One result from the readings: the best-scoring reading, each field voted on by all of them."""
    best = max(readings, key=lambda r: _score(r.result))
    same_layout = [r for r in readings if r.result.document_type == best.result.document_type]
    fields: dict[str, FieldResult] = {}
    warnings = [w.code for w in best.result.warnings]
    for name in MRZ_FIELDS:
        chosen = _vote(name, same_layout, best)
        if chosen is None:
            continue
        reading, field, agreement = chosen
        confidence = field.confidence if field.verified else min(field.confidence, reading.ocr_confidence)
        if agreement < 1.0:
            confidence *= 0.8  # the readings disagreed on it
            warnings.append(f"readings_disagree:{name}")
        fields[name] = FieldResult(field.value, round(confidence, 3), field.verified, _field_box(reading, name))
    return DocumentResult(best.result.document_type, fields, tuple(warnings), best.image.convert("RGB"))


def _vote(name: str, readings: list[_Reading], best: _Reading) -> tuple[_Reading, MrzField, float] | None:
    """The reading and value of the field: a value a check digit verified in any reading, else the value most
    readings give (the best reading's on a tie), and the share of readings that agree with it."""
    present = [(r, r.result.fields[name]) for r in readings if name in r.result.fields]
    if not present:
        return None
    verified = [(r, f) for r, f in present if f.verified]
    # A check digit holds by chance one time in ten: on a line whose length had to be fitted (a character lost
    # or added) that is how a shifted value verifies. Readings of the exact length come first.
    exact = [(r, f) for r, f in verified if not any(w.code == "line_length" for w in r.result.warnings)]
    pool = exact or verified or present
    counts = Counter(f.value for _, f in pool)
    top = max(counts.values())
    preferred = [(r, f) for r, f in pool if counts[f.value] == top]
    reading, field = next(((r, f) for r, f in preferred if r is best), preferred[0])
    agreement = sum(1 for _, f in present if f.value == field.value) / len(present)
    return reading, field, agreement
