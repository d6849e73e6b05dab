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


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float  # mean word confidence, 0..1


def read_lines(image: Image.Image, *, lang: str, config: str) -> list[OcrLine]:
    """The text lines Tesseract reads in `image`, top to bottom, with their mean word confidence."""
    try:
        data = pytesseract.image_to_data(image, lang=lang, config=config, output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError:
        raise OcrEngineMissing("Tesseract is not installed: run 'make setup' (Debian package tesseract-ocr).") from None
    except pytesseract.TesseractError as exc:
        raise OcrEngineMissing(f"Tesseract could not run ({exc.status}): check its language data.") from None
    lines: dict[tuple[int, int, int], list[tuple[str, float]]] = {}
    for i, word in enumerate(data["text"]):
        if not word.strip():
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append((word, max(0.0, float(data["conf"][i])) / 100))
    return [
        OcrLine("".join(w for w, _ in words), sum(c for _, c in words) / len(words))
        for _, words in sorted(lines.items())
    ]
