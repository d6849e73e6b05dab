"""The OCR entry point: an image (or a file) in, a DocumentResult out. No Qt, no database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PIL import Image

from desktop_app.ocr.cn_id_reader import read_cn_id_front
from desktop_app.ocr.loading import load_scan
from desktop_app.ocr.mrz_reader import read_mrz
from desktop_app.ocr.result import DocumentResult


def recognise(source: Image.Image | Path | bytes, today: date | None = None) -> DocumentResult:
    """Recognise the ID document in `source`. UnreadableScan for a file that is not a usable scan.

    Reads machine-readable zones (TD1, TD2, TD3) and the citizen number of a Chinese ID card's portrait side
    so far; other documents come back with document_type None.
    """
    image = source if isinstance(source, Image.Image) else load_scan(source)
    found = read_mrz(image, today or date.today()) or read_cn_id_front(image)
    if found is not None:
        return found
    return DocumentResult(None, {}, ("document_not_recognised",))
