"""Running Tesseract (through pytesseract) on a prepared image region: text lines with word confidences."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytesseract
from PIL import Image

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


def read_lines(image: Image.Image, *, lang: str, config: str) -> list[OcrLine]:
    """The text lines Tesseract reads in `image`, top to bottom, with their mean word confidence."""
    try:
        data = pytesseract.image_to_data(image, lang=lang, config=config, output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError:
        raise OcrEngineMissing("Tesseract is not installed: run 'make setup' (Debian package tesseract-ocr).") from None
    except pytesseract.TesseractError as exc:
        raise OcrEngineMissing(f"Tesseract could not run ({exc.status}): check its language data.") from None
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
