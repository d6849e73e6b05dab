"""The OCR entry point: a scan or photo (an image, a file or its bytes) in, a DocumentResult out. No Qt, no
database.

load → locate (crop, straighten, landscape) → classify (which document, which way up) → the reader for it, then
the others in turn if it finds nothing. A reader that does not fit costs a second or more of Tesseract runs before
it gives up, so the classifier's first choice is what keeps recognition fast; the fallbacks are for what it could
not tell.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PIL import Image

from desktop_app.ocr.classify import CN_ID_BACK, CN_ID_FRONT, MRZ, Classification, classify
from desktop_app.ocr.cn_id_reader import read_cn_id_front
from desktop_app.ocr.loading import load_scan
from desktop_app.ocr.locate import ID1_WIDTH_300DPI, locate
from desktop_app.ocr.mrz_reader import read_mrz
from desktop_app.ocr.result import DocumentResult

_Reader = Callable[[Image.Image], DocumentResult | None]

# At 300 DPI the zone's characters are 2.54 mm (30 px) apart and an ID-1 card is 1011 px wide.
MRZ_PITCH_300DPI = 30.0
_CLOSE_ENOUGH = 0.04  # no resampling for less than this
# What Tesseract makes of a machine-readable zone changes with small changes of scale: where a zone was plainly
# seen and the first reading found nothing, a second one at this much larger often does.
_SECOND_LOOK = 1.06


def recognise(source: Image.Image | Path | bytes, today: date | None = None) -> DocumentResult:
    """Recognise the ID document in `source`: a scanner-bed scan, a tight scan or a photo, any way up.
    UnreadableScan for a file that is not a usable scan.

    Reads TD1, TD2 and TD3 machine-readable zones and both sides of the resident ID card. The result's
    document_image is the document as the reader read it (cropped, straight, upright, at 300 DPI): its field
    boxes refer to it. An unrecognised document comes back with document_type None, the warning
    "document_not_recognised" and the located image; also "document_not_found" when nothing in the scan stood
    out as a document (the readers still try the whole image).
    """
    image = source if isinstance(source, Image.Image) else load_scan(source)
    located = locate(image)
    guess = classify(located.image, located.shape)
    document = located.image.rotate(180) if guess.upside_down else located.image
    readers = _readers(today or date.today())
    for kind in guess.order:
        reader = readers.get(kind)
        if reader is None:
            continue  # the reader for this side of the card is not installed
        scale = _scale_to_300_dpi(document, kind, guess, located.shape)
        looks = (scale, scale * _SECOND_LOOK) if kind == MRZ and guess.kind == MRZ else (scale,)
        for factor in looks:
            given = _scaled(document, factor)
            found = reader(given)
            if found is not None:
                if found.document_image is None:  # a reader that does not say read what it was given
                    found = dataclasses.replace(found, document_image=given)
                return dataclasses.replace(found, warnings=(*located.warnings, *found.warnings))
    return DocumentResult(None, {}, (*located.warnings, "document_not_recognised"), document_image=document)


def _scale_to_300_dpi(document: Image.Image, kind: str, guess: Classification, shape: str | None) -> float:
    """The factor that brings the document to 300 DPI for the reader of `kind`, whose crops and scale factors are
    tuned for it (the MRZ reader misses zones at 1.15 times that size). The zone's own pitch gives it for an MRZ
    document (a TD2 and a TD3 page have the same shape but not the same size); the card's width for the rest; 1
    when neither is known."""
    if kind == MRZ and guess.mrz_pitch is not None:
        return MRZ_PITCH_300DPI / guess.mrz_pitch
    if shape == "id1":
        return ID1_WIDTH_300DPI / document.width
    return 1.0


def _scaled(document: Image.Image, factor: float) -> Image.Image:
    if abs(factor - 1) <= _CLOSE_ENOUGH:
        return document
    size = (max(1, round(document.width * factor)), max(1, round(document.height * factor)))
    return document.resize(size, Image.Resampling.LANCZOS)


def _readers(today: date) -> dict[str, _Reader]:
    readers: dict[str, _Reader] = {
        MRZ: lambda document: read_mrz(document, today),
        CN_ID_FRONT: read_cn_id_front,
    }
    back = _cn_id_back_reader()
    if back is not None:
        readers[CN_ID_BACK] = back
    return readers


def _cn_id_back_reader() -> _Reader | None:
    """read_cn_id_back, when its module is there: it was written alongside this one, and recognise() works with or
    without it."""
    try:
        module = importlib.import_module("desktop_app.ocr.cn_id_back_reader")
    except ModuleNotFoundError as exc:
        if exc.name != "desktop_app.ocr.cn_id_back_reader":
            raise  # the module is there but something it needs is not: a bug to see, not to hide
        return None
    reader: _Reader = module.read_cn_id_back
    return reader
