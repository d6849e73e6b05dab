"""Han text read by PP-OCR: the names, addresses and issuing authorities of resident ID cards.

Why a second engine: Tesseract's Chinese models misread a character of one name in ten on ordinary scans. On 200
development fronts, with both Han models and a third reading to vote, 178 names and 181 addresses came out right;
the right name was among eight Tesseract readings (two models, four sizes) on only 187. PaddleOCR's PP-OCRv6 models,
run by RapidOCR on ONNX Runtime (both Apache-2.0; the models come in RapidOCR's wheel, nothing is fetched), read 199
of those names and all 200 addresses from the same crops, in about 30 ms a field on one core.

Tesseract still reads the numbers, dates, closed lists and machine-readable zones, and its readings of the Han
fields are the second opinion a value needs to be shown as read clearly (cn_id_reader, cn_id_back_reader).

The image goes to the engine as an array in memory: no crop is written to disk. Without rapidocr or onnxruntime
installed, or with DESKTOP_APP_HAN_ENGINE=tesseract (to compare), the readers use Tesseract alone.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

HAN_ENGINE_ENV = "DESKTOP_APP_HAN_ENGINE"

# What the engine is asked: no text-direction pass (the readers give upright crops); the detector sees the crop at
# its own size, not enlarged to 736 px on its shorter side (RapidOCR's default, ten times the work on a field's
# crop); one thread each, as the readers run two documents or two fields side by side on a two-core machine.
_PARAMS = {
    "Global.log_level": "error",
    "Global.use_cls": False,
    "Det.limit_type": "max",
    "Det.limit_side_len": 960,
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}


@dataclass(frozen=True)
class HanLine:
    """A line of text as the engine read it: its characters, its score (0..1) and its box in the image's pixels."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]


_lock = threading.Lock()
_engine: Any = None
_missing = False


def _rapidocr() -> Any:
    """The engine, made on first use (its models load in about half a second); None where it is not installed."""
    global _engine, _missing
    if _engine is None and not _missing:
        try:
            from rapidocr import RapidOCR

            _engine = RapidOCR(params=_PARAMS)
        except Exception:  # not installed, or its runtime will not load: Tesseract alone
            logging.getLogger(__name__).warning("PP-OCR unavailable; Han text is read by Tesseract alone")
            _missing = True
    return _engine


def han_engine_available() -> bool:
    """Whether PP-OCR reads Han text here (installed, loadable, and not turned off)."""
    if os.environ.get(HAN_ENGINE_ENV, "").lower() == "tesseract":
        return False
    with _lock:
        return _rapidocr() is not None


def read_text_lines(image: Image.Image) -> list[HanLine]:
    """The lines of text in `image`, top to bottom and, on one row, left to right; [] where the engine is not
    available or finds nothing. Calls are taken one at a time (one engine, its sessions not shared across threads
    at once)."""
    if not han_engine_available():
        return []
    pixels = np.asarray(image.convert("RGB"))
    with _lock:
        found = _rapidocr()(pixels)
    texts = found.txts or ()
    if not texts:
        return []
    lines = []
    for quad, text, score in zip(found.boxes, texts, found.scores, strict=True):
        xs, ys = [float(p[0]) for p in quad], [float(p[1]) for p in quad]
        lines.append(HanLine(str(text), float(score), (round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys)))))
    return _in_reading_order(lines)


def _in_reading_order(lines: list[HanLine]) -> list[HanLine]:
    """Rows top to bottom (lines whose heights overlap by half share a row), each left to right."""
    rows: list[list[HanLine]] = []
    for line in sorted(lines, key=lambda ln: ln.box[1]):
        if rows:
            last = rows[-1][-1].box
            overlap = min(last[3], line.box[3]) - max(last[1], line.box[1])
            if overlap > 0.5 * min(last[3] - last[1], line.box[3] - line.box[1]):
                rows[-1].append(line)
                continue
        rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda ln: ln.box[0])]
