"""The emblem side of a Chinese resident ID card: the issuing authority and the validity period, the period
checked against the terms the law allows (5, 10 or 20 years, or 长期).

Like the portrait side (cn_id_reader, whose card geometry this shares), the two blue labels 签发机关 and 有效期限
place the card and tell which way up it lies before any OCR; then chi_sim reads both values in one run while eng,
held to digits, reads the dates again beside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from PIL import Image

from desktop_app.domain.normaliser import LONG_TERM
from desktop_app.ocr.cn_id_fields import Validity, parse_validity, regular_term
from desktop_app.ocr.cn_id_reader import (
    Box,
    CardFrame,
    Labels,
    Mask,
    Piece,
    checked_confidence,
    fit_label_rows,
    han_text,
    has_ink,
    is_grey,
    mean_confidence,
    read_pieces,
    turned_frames,
    union,
    words_of,
)
from desktop_app.ocr.result import DocumentResult, FieldResult
from desktop_app.ocr.tesseract_engine import OcrWord

BACK_FIELDS = ("issuing_authority", "valid_from", "valid_until")
# The two labels (签发机关 有效期限): layout y of their tops and bottoms and x of their right ends, the x range
# they are looked for in, and the areas blue ink may lie in: nowhere else on this side.
_BACK_LABELS = Labels(
    rows=((449, 473, 286), (524, 548, 286)),
    column=(160, 320),
    least_rows=2,
    areas=((175, 435, 300, 487), (175, 510, 300, 562)),
)
# The values start at layout x 330; an authority's name may run nearly to the card's edge.
_AUTHORITY = Piece("issuing_authority", (315, 428, 1000, 490))
_VALIDITY = Piece("validity", (315, 503, 1000, 565))
# The validity line again for eng, held to digits, dots and the hyphen; digits ~22 px tall, as for the number.
_DATES = Piece("dates", _VALIDITY.box, 0.8)
_DATE_CONFIG = "--psm 7 -c tessedit_char_whitelist=0123456789.- -c load_system_dawg=F -c load_freq_dawg=F"


def _fit_back(mask: Mask) -> CardFrame | None:
    return fit_label_rows(mask, _BACK_LABELS)


def _read_dates(card: Image.Image, frame: CardFrame) -> list[OcrWord]:
    """The validity line as eng reads it, glyph by glyph, boxes in card pixels."""
    rows = read_pieces(card, frame, ((_DATES,),), lang="eng", config=_DATE_CONFIG, glyphs=True)
    return words_of(rows["dates"])


def _validity(chinese: str, digits: str) -> tuple[Validity | None, bool]:
    """The period from the two readings, and whether it took the digits-only reading to make sense of it.

    Only chi_sim sees 长期; eng, held to digits, misreads fewer of them. A reading whose term is regular wins,
    chi_sim's first; failing that, a start from one and an end from the other may make one."""
    from_chinese = parse_validity(chinese)
    long_term = from_chinese is not None and from_chinese.valid_until is None
    from_digits = parse_validity(digits + (LONG_TERM if long_term else ""))
    candidates = [v for v in (from_chinese, from_digits) if v is not None]
    if from_chinese is not None and from_digits is not None:
        candidates += [
            Validity(from_chinese.valid_from, from_digits.valid_until),
            Validity(from_digits.valid_from, from_chinese.valid_until),
        ]
    for i, candidate in enumerate(candidates):
        if regular_term(candidate.valid_from, candidate.valid_until):
            return candidate, i > 0
    return (candidates[0], False) if candidates else (None, False)


def _iso(day: date | None) -> str:
    return LONG_TERM if day is None else day.isoformat()


def _date_boxes(line: Sequence[OcrWord]) -> tuple[Box | None, Box | None]:
    """The boxes of the period's two ends: the printed line split at its hyphen (at its middle when no hyphen was
    read)."""
    box = union([w.box for w in line])
    if box is None:
        return None, None
    hyphens = [w.box for w in line if w.text in ("-", "一")]
    left, right = (hyphens[0][0], hyphens[0][2]) if hyphens else ((box[0] + box[2]) // 2,) * 2
    return (box[0], box[1], left, box[3]), (right, box[1], box[2], box[3])


def _back_fields(
    rows: dict[str, list[list[OcrWord]]], digits: list[OcrWord]
) -> tuple[dict[str, FieldResult], list[str]]:
    fields: dict[str, FieldResult] = {}
    warnings: list[str] = []
    authority_words = words_of(rows["issuing_authority"])
    authority = re.sub(r"[^\u4e00-\u9fff]", "", han_text(authority_words))
    if authority:
        fields["issuing_authority"] = FieldResult(
            authority,
            checked_confidence(mean_confidence(authority_words)),
            False,
            union([w.box for w in authority_words]),
        )

    validity_words = words_of(rows["validity"])
    period, mixed = _validity(han_text(validity_words), "".join(g.text for g in digits))
    if period is not None:
        regular = regular_term(period.valid_from, period.valid_until)
        if not regular:
            warnings.append("validity_term_irregular")
        confidence = checked_confidence(
            mean_confidence([*validity_words, *(digits if mixed else ())]),
            verified=regular,
            corrected=mixed,
            failed=not regular,
        )
        # eng's glyph boxes place the hyphen best; chi_sim's words are the fallback.
        from_box, until_box = _date_boxes(digits if any(g.text == "-" for g in digits) else validity_words)
        fields["valid_from"] = FieldResult(_iso(period.valid_from), confidence, regular, from_box)
        fields["valid_until"] = FieldResult(_iso(period.valid_until), confidence, regular, until_box)
    warnings.extend(f"{name}_not_read" for name in BACK_FIELDS if name not in fields)
    return fields, warnings


def _read_back(card: Image.Image, frame: CardFrame) -> DocumentResult:
    # Two Tesseract runs side by side, one per core.
    with ThreadPoolExecutor(max_workers=2) as pool:
        text = pool.submit(read_pieces, card, frame, ((_AUTHORITY,), (_VALIDITY,)))
        dates = pool.submit(_read_dates, card, frame)
        rows = text.result()
        digits = dates.result()
    fields, warnings = _back_fields(rows, digits)
    return DocumentResult("cn_id_back", fields, tuple(warnings), card)


def read_cn_id_back(card: Image.Image) -> DocumentResult | None:
    """The issuing authority and validity period on the emblem side of a resident ID card in `card` (cropped to the
    card and straightened, upright or upside down); None when `card` is not that side of the card.

    valid_until is an ISO date or 长期. Field boxes refer to the returned document_image, the card turned upright."""
    rgb = card.convert("RGB")
    found = turned_frames(rgb, _fit_back)
    if found:
        turned, frame = found[0]
        return _read_back(turned, frame)
    if not is_grey(rgb):
        return None  # a colour image without the two blue labels in their places is not this side of a card
    # Without colour the labels cannot place the card: the dates, read on the nominal layout, must.
    for turned in (rgb, rgb.rotate(180)):
        if not has_ink(turned, CardFrame.nominal(turned).box(_VALIDITY.box, *turned.size)):
            continue
        digits = "".join(g.text for g in _read_dates(turned, CardFrame.nominal(turned)))
        # Dotted, as only this side prints dates: the portrait side's number holds eight digits that may pass.
        if re.search(r"\d{4}\.\d{2}\.\d{2}", digits) and parse_validity(digits + LONG_TERM) is not None:
            return _read_back(turned, CardFrame.nominal(turned))
    return None
