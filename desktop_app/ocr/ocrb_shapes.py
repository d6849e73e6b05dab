"""Which of two OCR-B look-alikes a glyph of a machine-readable zone is, by its shape against the font's own.

Tesseract's English model reads OCR-B's I as 1 (and now and then 5 as S, 8 as B, 2 as Z) where nothing but the
check digit tells them apart, and a document number may hold either (W7TL432L9, FJJZGQV1N). A check digit cannot
choose between a digit and its look-alike when another reading passes too; the glyph's shape can. Each glyph is
compared with the characters drawn in OCR-B (the font ICAO 9303 prescribes, Debian's fonts-ocr-b): cut to its ink,
brought to one height, blurred a little, and correlated. Only a clear margin changes what Tesseract read.

0 and O are left alone: in OCR-B they differ by a few per cent of width, less than a scan's blur and JPEG change
it (measured on scans of the development split: the shape chose right 54% of the time).

Written here rather than taken from a library: no maintained package classifies OCR-B glyphs; this is a template
match of a few lines with OpenCV, which the reader already uses.
"""

from __future__ import annotations

import os
from functools import cache

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

# Pairs told apart by shape, each way round.
_PAIRS = (("1", "I"), ("2", "Z"), ("5", "S"), ("8", "B"))
PAIR_OF = {a: b for pair in _PAIRS for a, b in (pair, pair[::-1])}
# The least difference of correlation that overrides Tesseract (correlations of unit vectors, -1..1). Measured on
# the 3,376 glyphs read as one of a pair in every pass over the development split's 90 zones: of Tesseract's 48
# misreadings within a pair the shape put back 41, and it turned 1 right reading wrong.
MARGIN = 0.1

# What Tesseract reads OCR-B's filler '<' as, on blurred or small zones: above all K, and S, X, 5, 6, C, E, L. On
# the development split's zones the filler's shape against the letter's put back 485 of 493 such misreadings with
# this margin, and took 2 of 2,152 real letters (and digits) for fillers.
FILLER_MISREADS = frozenset("KXSLCE56")

_HEIGHT, _WIDTH = 32, 28
_FONT_FILES = (
    "/usr/share/fonts/opentype/ocr-b/OCRB.otf",  # Debian, Ubuntu: fonts-ocr-b
    "/usr/share/fonts/ocr-b/OCRB.otf",
    "/usr/local/share/fonts/OCRB.otf",
)
FONT_ENV = "DESKTOP_APP_OCRB_FONT"

Shape = NDArray[np.float32]


def _font_file() -> str | None:
    for path in (os.environ.get(FONT_ENV, ""), *_FONT_FILES):
        if path and os.path.isfile(path):
            return path
    return None


def _normalised(ink: NDArray[np.uint8]) -> Shape | None:
    """The ink (1 where printed) cut to its box, scaled to the common height (width in proportion, centred),
    blurred, zero mean and unit length; None for no ink."""
    ys, xs = np.nonzero(ink)
    if len(ys) == 0:
        return None
    cut = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(np.float32)
    height, width = cut.shape
    new_width = min(_WIDTH, max(1, round(width * _HEIGHT / height)))
    scaled = cv2.resize(cut, (new_width, _HEIGHT), interpolation=cv2.INTER_AREA)
    placed = np.zeros((_HEIGHT, _WIDTH), np.float32)
    left = (_WIDTH - new_width) // 2
    placed[:, left : left + new_width] = scaled
    out = np.asarray(cv2.GaussianBlur(placed, (3, 3), 0.8), dtype=np.float32)
    out -= out.mean()
    length = float(np.linalg.norm(out))
    return out / length if length else None


@cache
def _templates() -> dict[str, Shape]:
    path = _font_file()
    if path is None:
        return {}
    font = ImageFont.truetype(path, 120)
    shapes: dict[str, Shape] = {}
    for char in {*PAIR_OF, *FILLER_MISREADS, "<"}:
        image = Image.new("L", (200, 200), 255)
        ImageDraw.Draw(image).text((40, 20), char, font=font, fill=0)
        shape = _normalised((np.asarray(image) < 128).astype(np.uint8))
        if shape is not None:
            shapes[char] = shape
    return shapes


def _glyph(crop: NDArray[np.uint8]) -> Shape | None:
    """The glyph in a grey crop (dark on light), specks dropped."""
    if crop.size == 0 or crop.min() == crop.max():
        return None
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8))
    if count <= 1:
        return None
    largest = int(stats[1:, cv2.CC_STAT_AREA].max())
    kept = np.zeros_like(ink, dtype=np.uint8)
    for i in range(1, count):
        if stats[i, cv2.CC_STAT_AREA] >= 0.15 * largest:
            kept[labels == i] = 1
    return _normalised(kept)


def by_shape(char: str, band: Image.Image, box: tuple[int, int, int, int]) -> str:
    """`char` as Tesseract read the glyph at `box` in the grey `band`, or its look-alike when the glyph's shape
    matches that one in OCR-B by a clear margin. Unchanged without the font or for a character of no pair."""
    other = PAIR_OF.get(char)
    return other if other is not None and _clearly(band, box, other, over=char) else char


def is_filler(char: str, band: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Whether the glyph at `box` that Tesseract read as `char` (K, X, S...) has the shape of OCR-B's filler '<'
    by a clear margin. False without the font, or for a character it does not misread so."""
    return char in FILLER_MISREADS and _clearly(band, box, "<", over=char)


def _clearly(band: Image.Image, box: tuple[int, int, int, int], shape: str, *, over: str) -> bool:
    """Whether the glyph at `box` matches `shape` in OCR-B better than `over` by MARGIN; False without the font."""
    templates = _templates()
    if shape not in templates or over not in templates:
        return False
    glyph = _glyph(_crop(band, box))
    if glyph is None:
        return False
    return float((glyph * templates[shape]).sum()) - float((glyph * templates[over]).sum()) > MARGIN


def _crop(band: Image.Image, box: tuple[int, int, int, int]) -> NDArray[np.uint8]:
    left, top, right, bottom = box
    return np.asarray(band.crop((max(0, left - 2), max(0, top - 2), right + 3, bottom + 3)))
