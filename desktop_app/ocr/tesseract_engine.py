"""Running Tesseract (through pytesseract) on a prepared image region: text lines with word confidences."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TypeVar

import pytesseract
from PIL import Image

_T = TypeVar("_T")

# Each call starts a Tesseract process; one thread each keeps two calls from fighting over two cores.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

MRZ_CONFIG = (
    "--psm 6 -c tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789< -c load_system_dawg=F -c load_freq_dawg=F"
)


class OcrEngineMissing(RuntimeError):
    """Tesseract (or its language data) is not installed."""


Box = tuple[int, int, int, int]  # left, top, right, bottom in the image given to Tesseract


@dataclass(frozen=True)
class OcrWord:
    text: str
    confidence: float  # 0..1
    box: Box


@dataclass(frozen=True)
class OcrLine:
    text: str  # the words joined without spaces (MRZ, numbers and Chinese have none that matter)
    confidence: float  # mean word confidence, 0..1
    box: Box = (0, 0, 0, 0)
    words: tuple[OcrWord, ...] = ()
    glyphs: tuple[OcrWord, ...] = ()  # one per character, from read_glyph_lines only


def _run(call: Callable[[], _T]) -> _T:
    try:
        return call()
    except pytesseract.TesseractNotFoundError:
        raise OcrEngineMissing("Tesseract is not installed: run 'make setup' (Debian package tesseract-ocr).") from None
    except pytesseract.TesseractError as exc:
        raise OcrEngineMissing(f"Tesseract could not run ({exc.status}): check its language data.") from None


def read_lines(image: Image.Image, *, lang: str, config: str) -> list[OcrLine]:
    """The text lines Tesseract reads in `image`, top to bottom, with their mean word confidence."""
    data = _run(lambda: pytesseract.image_to_data(image, lang=lang, config=config, output_type=pytesseract.Output.DICT))
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for i, word in enumerate(data["text"]):
        if not word.strip():
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        left, top = int(data["left"][i]), int(data["top"][i])
        box = (left, top, left + int(data["width"][i]), top + int(data["height"][i]))
        lines.setdefault(key, []).append(OcrWord(word, max(0.0, float(data["conf"][i])) / 100, box))
    return [_line(tuple(words)) for _, words in sorted(lines.items())]


def _line(words: tuple[OcrWord, ...]) -> OcrLine:
    box = (
        min(w.box[0] for w in words),
        min(w.box[1] for w in words),
        max(w.box[2] for w in words),
        max(w.box[3] for w in words),
    )
    return OcrLine("".join(w.text for w in words), sum(w.confidence for w in words) / len(words), box, words)


def read_glyph_lines(image: Image.Image, *, lang: str, config: str) -> list[OcrLine]:
    """Like read_lines, and each line also carries its characters with their own boxes and confidences (from
    Tesseract's hOCR with character boxes, in the same single run)."""
    hocr = _run(
        lambda: pytesseract.image_to_pdf_or_hocr(
            image, lang=lang, config=config + " -c hocr_char_boxes=1", extension="hocr"
        )
    )
    parser = _HocrGlyphs()
    parser.feed(hocr.decode("utf-8"))
    lines = []
    for glyphs in parser.lines:
        if glyphs:
            line = _line(tuple(glyphs))
            lines.append(OcrLine(line.text, line.confidence, line.box, (), tuple(glyphs)))
    return lines


_BBOXES = re.compile(r"x_bboxes (-?\d+) (-?\d+) (-?\d+) (-?\d+); x_conf ([\d.]+)")


class _HocrGlyphs(HTMLParser):
    """Collects the ocrx_cinfo spans of each ocr_line of Tesseract's hOCR output (stdlib parser: the input is
    Tesseract's own output, and this is all of hOCR that is needed)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[list[OcrWord]] = []
        self._glyph: tuple[Box, float] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        kind = attributes.get("class")
        if kind == "ocr_line" or kind == "ocr_header" or kind == "ocr_caption" or kind == "ocr_textfloat":
            self.lines.append([])
        elif kind == "ocrx_cinfo":
            found = _BBOXES.search(attributes.get("title") or "")
            if found:
                left, top, right, bottom = (int(found.group(i)) for i in range(1, 5))
                self._glyph = ((left, top, right, bottom), float(found.group(5)) / 100)

    def handle_data(self, data: str) -> None:
        if self._glyph is not None and self.lines and data.strip():
            box, confidence = self._glyph
            self.lines[-1].append(OcrWord(data.strip(), max(0.0, confidence), box))
            self._glyph = None

    def handle_endtag(self, tag: str) -> None:
        self._glyph = None
