"""Finding and reading the machine-readable zone at the foot of a passport page or ID card."""

from __future__ import annotations

from datetime import date

from PIL import Image, ImageOps

from desktop_app.ocr.mrz import MrzNotFound, MrzResult, parse_mrz
from desktop_app.ocr.result import DocumentResult, FieldResult
from desktop_app.ocr.tesseract_engine import MRZ_CONFIG, OcrLine, read_lines

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
_SCALES = (0.7, 0.55, 1.0)


def _band(gray: Image.Image, scale: float) -> Image.Image:
    width, height = gray.size
    band = gray.crop((0, int(height * (1 - _BAND)), width, height))
    band = band.resize((max(1, int(band.width * scale)), max(1, int(band.height * scale))), Image.Resampling.LANCZOS)
    return ImageOps.expand(band, 10, fill=255)  # a white margin around tight text helps Tesseract


def _candidate_lines(lines: list[OcrLine]) -> list[OcrLine]:
    return [line for line in lines if len(line.text) >= 25]


def _score(result: MrzResult) -> int:
    return sum(1 for f in result.fields.values() if f.verified) - len(result.warnings)


def read_mrz(image: Image.Image, today: date) -> DocumentResult | None:
    """The MRZ document in `image` (upright or upside down), or None when no zone is found."""
    gray = ImageOps.grayscale(image)
    best: tuple[int, MrzResult, float] | None = None
    for turned in (gray, gray.rotate(180)):
        for scale in _SCALES:
            lines = _candidate_lines(read_lines(_band(turned, scale), lang="eng", config=MRZ_CONFIG))
            if len(lines) < 2:
                continue
            try:
                result = parse_mrz([line.text for line in lines], today)
            except MrzNotFound:
                continue
            ocr_confidence = sum(line.confidence for line in lines) / len(lines)
            if best is None or _score(result) > best[0]:
                best = (_score(result), result, ocr_confidence)
            if result.composite_ok and not result.warnings:
                return _document(result, ocr_confidence)
        if best is not None:
            break
    return None if best is None else _document(best[1], best[2])


def _document(result: MrzResult, ocr_confidence: float) -> DocumentResult:
    fields = {
        name: FieldResult(
            value=field.value,
            confidence=round(min(field.confidence, ocr_confidence) if not field.verified else field.confidence, 3),
            verified=field.verified,
        )
        for name, field in result.fields.items()
        if name in MRZ_FIELDS
    }
    return DocumentResult(result.document_type, fields, tuple(w.code for w in result.warnings))
