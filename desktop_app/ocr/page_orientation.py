"""Turning a scanned page upright. A page fed upside down or sideways is turned by the orientation of the form's
code when the page carries one (the form prints it upright: exact, and cheap), else by Tesseract's orientation
detection (OSD) when it is sure enough; a page neither can judge is left as it came.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image

from desktop_app.ocr.form_barcode import FormCode, Hint, read_form_code
from desktop_app.ocr.tesseract_engine import tessdata_folder

try:
    import tesserocr
except ImportError:  # pytesseract-only machines: pages without a code keep the orientation they came in
    tesserocr = None

# Below this, Tesseract's OSD guesses: on a sparse form page an upright one scored ~1, a turned one 0.45-1.1.
OSD_MIN_CONFIDENCE = 0.4
_OSD_SIDE = 1760  # pixels: an A4 page at 150 dpi; at 120 dpi OSD loses its confidence on small print
_osd_lock = threading.Lock()
_osd_engine: Any = None  # a tesserocr.PyTessBaseAPI (tesserocr is not marked as typed)


@dataclass(frozen=True)
class UprightPage:
    """A page turned upright: how far it was turned (counter-clockwise degrees), how that was known, its code."""

    image: Image.Image
    turned: int  # 0, 90, 180 or 270
    by: str  # "code", "feed" (as the feed's earlier page with a code), "osd" or "none"
    code: FormCode | None  # the code found on the page as given (its box is on that image, not the turned one)


def _quarter(degrees: float) -> int:
    return round(degrees / 90) % 4 * 90


def _osd_turn(image: Image.Image) -> int | None:
    global _osd_engine
    if tesserocr is None:
        return None
    tessdata = tessdata_folder("osd")
    if tessdata is None:
        return None
    grey = image.convert("L")
    factor = min(1.0, _OSD_SIDE / max(grey.size))
    if factor < 1.0:
        grey = grey.resize((round(grey.width * factor), round(grey.height * factor)))
    with _osd_lock:
        if _osd_engine is None:
            _osd_engine = tesserocr.PyTessBaseAPI(path=tessdata, lang="osd", psm=tesserocr.PSM.OSD_ONLY)
        engine = _osd_engine
        engine.SetImage(grey)
        found = engine.DetectOrientationScript()
        engine.Clear()
    if not found or float(found.get("orient_conf", 0.0)) < OSD_MIN_CONFIDENCE:
        return None
    return _quarter(float(found["orient_deg"]))


def turn_upright(
    image: Image.Image, hints: Sequence[Hint] = (), *, use_osd: bool = True, feed_turn: int | None = None
) -> UprightPage:
    """The page upright, with how it was turned; never fails (a page nothing can judge comes back unturned).
    `hints`: where the known form versions print their code (form_barcode.read_form_code). `feed_turn`: how an
    earlier page of the same feed was turned by its code: a page without a code asks OSD first, and follows the
    feed only when OSD is not sure. (Following the feed first turned an upright page 2 upside down when only
    page 1 lay the wrong way: found by the independent check.)"""
    code = read_form_code(image, hints)
    if code is not None:
        turn = _quarter(code.orientation)
        return UprightPage(image.rotate(turn, expand=True) if turn else image, turn, "code", code)
    osd = _osd_turn(image) if use_osd else None
    if osd is not None:
        return UprightPage(image.rotate(osd, expand=True) if osd else image, osd, "osd", None)
    if feed_turn is not None:
        turn = _quarter(feed_turn)
        return UprightPage(image.rotate(turn, expand=True) if turn else image, turn, "feed", None)
    return UprightPage(image, 0, "none", None)
