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
from dataclasses import dataclass, replace
from datetime import date

from PIL import Image

from desktop_app.domain.normaliser import LONG_TERM
from desktop_app.ocr.cn_id_fields import Validity, check_authority, parse_validity, regular_term
from desktop_app.ocr.cn_id_reader import (
    DOUBTFUL,
    READ_CLEARLY,
    Anchor,
    Box,
    CardFrame,
    Labels,
    Mask,
    Piece,
    anchor,
    anchored,
    checked_confidence,
    doubtful,
    fit_label_rows,
    fit_text_anchors,
    han_engine_lines,
    han_text,
    has_ink,
    is_grey,
    least_confidence,
    mean_confidence,
    read_pieces,
    seconded,
    turned_frames,
    uncovered_ink,
    union,
    words_of,
)
from desktop_app.ocr.han_reader import han_engine_available
from desktop_app.ocr.result import DocumentResult, FieldResult
from desktop_app.ocr.tesseract_engine import OcrWord, han_models

BACK_FIELDS = ("issuing_authority", "valid_from", "valid_until")
# The two labels (签发机关 有效期限): layout y of their tops and bottoms and x of their right ends, the x range
# they are looked for in, and the areas blue ink may lie in: nowhere else on this side.
_BACK_LABELS = Labels(
    rows=((449, 473, 286), (524, 548, 286)),
    column=(160, 320),
    least_rows=2,
    areas=((110, 430, 320, 492), (110, 505, 320, 567)),
)
# The same labels, the title and the values as the whole-card text pass finds them (classify.read_card_text).
# The labels by their right ends, which stand a set distance before the values; the rest by their rows alone.
_PERIOD_START = Anchor(re.compile(r"[0-9]{4}\.?[0-9]{2}\.?[0-9]{2}"), None, 536)
_BUREAU = Anchor(re.compile("公安|分局"), None, 461)
_BACK_ANCHORS = (
    anchor("签发机关", 286, 461, right=True),
    anchor("有效期限", 286, 536, right=True),
    _PERIOD_START,
    _BUREAU,
    anchor("中华人民共和国", None, 130),
    anchor("居民身份证", None, 218),
)
# The values start at layout x 330 here, on other issues and printers from 10 px after the labels' end (286) to
# some 60 px further; an authority's name may run nearly to the card's edge.
_VALUES_LEFT = 296
_AUTHORITY = Piece("issuing_authority", (_VALUES_LEFT, 428, 1000, 490))
_VALIDITY = Piece("validity", (_VALUES_LEFT, 503, 1000, 565))
# The validity line again for eng, held to digits, dots and the hyphen; digits ~22 px tall, as for the number.
_DATES = Piece("dates", _VALIDITY.box, 0.8)
_DATE_CONFIG = "--psm 7 -c tessedit_char_whitelist=0123456789.- -c load_system_dawg=F -c load_freq_dawg=F"


def _fit_back(mask: Mask) -> CardFrame | None:
    return fit_label_rows(mask, _BACK_LABELS)


def _read_dates(card: Image.Image, frame: CardFrame, dates: Piece = _DATES) -> list[OcrWord]:
    """The validity line as eng reads it, glyph by glyph, boxes in card pixels."""
    rows = read_pieces(card, frame, ((dates,),), lang="eng", config=_DATE_CONFIG, glyphs=True)
    return words_of(rows["dates"])


@dataclass(frozen=True)
class _Period:
    """The validity period made of the two readings of its line (chi_sim's and eng's)."""

    period: Validity | None
    mixed: bool  # a start from one reading and an end from the other
    agreed: bool  # both readings gave this very period


def _validity(chinese: str, digits: str) -> _Period:
    """The period from the two readings, whether it took both to make sense of it, and whether they agree.

    Only chi_sim sees 长期; eng, held to digits, misreads fewer of them. A reading whose term is a regular one
    with an end date wins, chi_sim's first; failing that, a start from one and an end from the other may make one;
    failing that, a 长期 read (one reading's 长期 is no match for the other's second date that makes a regular
    term: a card printed 2006.03.30-2011.03.30 was read 长期 by chi_sim)."""
    from_chinese = parse_validity(chinese)
    long_term = from_chinese is not None and from_chinese.valid_until is None
    from_digits = parse_validity(digits + (LONG_TERM if long_term else ""))
    candidates = [v for v in (from_chinese, from_digits) if v is not None]
    if from_chinese is not None and from_digits is not None:
        candidates += [
            Validity(from_chinese.valid_from, from_digits.valid_until),
            Validity(from_digits.valid_from, from_chinese.valid_until),
        ]
    regular = [
        (i, c)
        for i, c in enumerate(candidates)
        if c.valid_until is not None and regular_term(c.valid_from, c.valid_until)
    ]
    long = [(i, c) for i, c in enumerate(candidates) if c.valid_until is None]
    ranked = regular or long or list(enumerate(candidates))
    if not ranked:
        return _Period(None, False, False)
    i, chosen = ranked[0]
    return _Period(chosen, i > 1, from_chinese == from_digits == chosen)


def _both_read(chinese: str, digits: str, start: date) -> bool:
    """Whether chi_sim's and eng's readings of the validity line both give `start` as its first date."""
    readings = (parse_validity(chinese), parse_validity(digits + LONG_TERM))
    return all(reading is not None and reading.valid_from == start for reading in readings)


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
    authority = _authority_field(rows)
    if authority is not None:
        fields["issuing_authority"] = authority

    validity_words = words_of(rows["validity"])
    found = _validity(han_text(validity_words), "".join(g.text for g in digits))
    period, mixed = found.period, found.mixed
    shifted = False
    if period is None:
        # The period read on the authority's row: the card's rows were placed one too low (a card on a page beside
        # another document, placed by its words). Taken, but for checking: the rows' places were wrong once.
        lines = [line for line in rows["issuing_authority"] if _is_period(line)]
        if lines:
            period = _validity(han_text(words_of(lines)), "").period
            validity_words, digits, mixed, shifted = words_of(lines), [], False, period is not None
    if period is not None:
        regular = regular_term(period.valid_from, period.valid_until)
        if not regular:
            warnings.append("validity_term_irregular")
        # The term confirms the two dates only as both readings gave them: the same misread digit in both dates
        # (2015.03.26-2020.03.26 read with both days 20) keeps the term, and a period pieced together from two
        # readings was searched for. 长期 no check confirms.
        confirmed = regular and found.agreed and period.valid_until is not None
        confidence = checked_confidence(
            mean_confidence([*validity_words, *(digits if mixed else ())]),
            verified=confirmed,
            corrected=mixed,
            failed=not regular,
        )
        if not (found.agreed or mixed):
            confidence = min(confidence, DOUBTFUL)  # one reading only, the other gave nothing or another period
        # eng's glyph boxes place the hyphen best; chi_sim's words are the fallback.
        from_box, until_box = _date_boxes(digits if any(g.text == "-" for g in digits) else validity_words)
        # Without an end date nothing checks the start but a second reading: chi_sim's and eng's must agree.
        start_checked = period.valid_until is not None or _both_read(
            han_text(validity_words), "".join(g.text for g in digits), period.valid_from
        )
        start_confidence = confidence if start_checked else min(confidence, DOUBTFUL)
        # Two readings alike are no check: on a development card printed 2024.08.19-长期 chi_sim and eng both read
        # 2021. Only a regular term confirms a start.
        start_confirmed = confirmed
        fields["valid_from"] = FieldResult(_iso(period.valid_from), start_confidence, start_confirmed, from_box)
        fields["valid_until"] = FieldResult(_iso(period.valid_until), confidence, confirmed, until_box)
        if shifted:
            for name in ("valid_from", "valid_until"):
                fields[name] = replace(doubtful(fields[name], True, False), verified=False)
            warnings.append("validity_read_on_another_row")
    warnings.extend(f"{name}_not_read" for name in BACK_FIELDS if name not in fields)
    return fields, warnings


def _pieces(frame: CardFrame, text: Sequence[Sequence[OcrWord]] | None) -> tuple[Piece, Piece, Piece]:
    """The authority, validity and dates pieces, starting further left where the text pass saw the values begin
    before _VALUES_LEFT (no label was read to place them)."""
    starts = [box[0] for want in (_PERIOD_START, _BUREAU) if text and (box := anchored(text, want)) is not None]
    left = min(starts, default=None)
    if left is None or (left - frame.dx) / frame.scale - 14 >= _VALUES_LEFT:
        return _AUTHORITY, _VALIDITY, _DATES
    start = max(150.0, (left - frame.dx) / frame.scale - 14)
    authority, validity, dates = (replace(p, box=(start, *p.box[1:])) for p in (_AUTHORITY, _VALIDITY, _DATES))
    return authority, validity, dates


def _read_back(card: Image.Image, frame: CardFrame, text: Sequence[Sequence[OcrWord]] | None = None) -> DocumentResult:
    authority_piece, validity_piece, dates_piece = _pieces(frame, text)
    # Two Tesseract runs side by side, one per core.
    with ThreadPoolExecutor(max_workers=2) as pool:
        chinese = pool.submit(read_pieces, card, frame, ((authority_piece,), (validity_piece,)))
        dates = pool.submit(_read_dates, card, frame, dates_piece)
        rows = chinese.result()
        digits = dates.result()
    fields, warnings = _back_fields(rows, digits)
    authority, doubts = _checked_authority(card, frame, authority_piece, rows, fields.get("issuing_authority"))
    read = [authority.value] if authority is not None else []
    second_model = han_models()[1]
    if authority is not None and second_model is not None:
        authority, doubts, others = _second_opinion(card, frame, authority_piece, authority, doubts, second_model)
        read += others
    elif authority is not None and (doubts or authority.confidence < READ_CLEARLY):
        # Once more at another size: what Tesseract makes of a crop changes with its size; the better reading wins.
        again_piece = replace(authority_piece, factor=0.85)
        again = read_pieces(card, frame, ((again_piece,),))
        second, second_doubts = _checked_authority(card, frame, again_piece, again, _authority_field(again))
        if second is not None and (len(second_doubts), -second.confidence) < (len(doubts), -authority.confidence):
            authority, doubts, second, second_doubts = second, second_doubts, authority, doubts
        if second is not None and not second_doubts and second.value != authority.value:
            # Two readings without a fault, two values: a third, larger, settles which (chi_sim now and then
            # reads a character that is not there, 和白沙县公安局, at one size and not at another); the teller
            # checks either way.
            third_piece = replace(authority_piece, factor=1.15)
            third = read_pieces(card, frame, ((third_piece,),))
            tie_break, _ = _checked_authority(card, frame, third_piece, third, _authority_field(third))
            if tie_break is not None and tie_break.value == second.value:
                authority = second
            authority, doubts = doubtful(authority, True, False), [*doubts, "issuing_authority_readings_differ"]
    engine = _by_han_engine(card, frame, authority_piece, read)
    if engine is not None:
        authority, doubts = engine
    if authority is not None:
        fields["issuing_authority"] = authority
        warnings.extend(doubts)
    return DocumentResult("cn_id_back", fields, tuple(warnings), card)


def _by_han_engine(
    card: Image.Image, frame: CardFrame, piece: Piece, tesseract: Sequence[str]
) -> tuple[FieldResult, list[str]] | None:
    """The authority as PP-OCR reads it (han_reader), held to its shape and print as Tesseract's is, and to check
    where none of Tesseract's readings (`tesseract`) gives it; None where PP-OCR is not available or reads none."""
    if not han_engine_available():
        return None
    rows = {"issuing_authority": han_engine_lines(card, frame, piece)}
    found, doubts = _checked_authority(card, frame, piece, rows, _authority_field(rows))
    if found is None:
        return None
    found, warnings = seconded("issuing_authority", found, doubts, tesseract)
    return found, list(warnings)


def _second_opinion(
    card: Image.Image, frame: CardFrame, piece: Piece, authority: FieldResult, doubts: list[str], model: str
) -> tuple[FieldResult, list[str], list[str]]:
    """The authority as the standard model read it, held to what the second Han model reads at the same size: the
    same value keeps its level; another value calls a third reading (the standard model, smaller), the value two
    of the three give wins (else the first), and the teller checks it. Also the values the other readings gave."""
    other_rows = read_pieces(card, frame, ((piece,),), lang=model)
    other, _ = _checked_authority(card, frame, piece, other_rows, _authority_field(other_rows))
    if other is not None and other.value == authority.value:
        return authority, doubts, [other.value]
    third_piece = replace(piece, factor=0.85)
    third_rows = read_pieces(card, frame, ((third_piece,),))
    third, third_doubts = _checked_authority(card, frame, third_piece, third_rows, _authority_field(third_rows))
    read = [found.value for found in (other, third) if found is not None]
    if other is not None and third is not None and third.value == other.value != authority.value:
        authority, doubts = third, third_doubts
    return doubtful(authority, True, False), [*doubts, "issuing_authority_readings_differ"], read


def _checked_authority(
    card: Image.Image, frame: CardFrame, piece: Piece, rows: dict[str, list[list[OcrWord]]], found: FieldResult | None
) -> tuple[FieldResult | None, list[str]]:
    """The authority held to its shape (a public security bureau) and to the print (nothing its words do not
    cover), with what speaks against it."""
    if found is None:
        return None, []
    shape = check_authority(found.value)
    doubts = list(shape.doubts)
    if uncovered_ink(card, frame, piece.box, words_of(rows["issuing_authority"])):
        doubts.append("issuing_authority_may_be_incomplete")
    checked = doubtful(replace(found, value=shape.value), bool(doubts), shape.corrected)
    return checked, doubts + (["issuing_authority_corrected"] if shape.corrected else [])


_PERIOD_LINE = re.compile(r"[0-9]{4}\.[0-9]{2}|长期")
# The label 签发机关 read into the value where it is not blue (and the crop had to start before it ended).
_LABEL_PREFIX = re.compile("^[\u4e00-\u9fff]{0,3}机关|^签发[机关]{0,2}")


def _is_period(line: Sequence[OcrWord]) -> bool:
    """Whether a line read is the validity period (its digits may come as words of their own, spaced)."""
    return _PERIOD_LINE.search(re.sub(r"\s+", "", han_text(line))) is not None


def _authority_field(rows: dict[str, list[list[OcrWord]]]) -> FieldResult | None:
    """The authority as read: its Han characters, without a label read into it; its least sure word's confidence."""
    lines = rows["issuing_authority"]
    # A line of the validity period (a card whose rows stand closer than the layout's) is not the authority's.
    period = next((i for i, line in enumerate(lines) if _is_period(line)), len(lines))
    words = words_of(lines[:period])
    authority = _LABEL_PREFIX.sub("", re.sub(r"[^\u4e00-\u9fff]", "", han_text(words)))
    if not authority:
        return None
    return FieldResult(authority, checked_confidence(least_confidence(words)), False, union([w.box for w in words]))


def read_cn_id_back(card: Image.Image, text: Sequence[Sequence[OcrWord]] | None = None) -> DocumentResult | None:
    """The issuing authority and validity period on the emblem side of a resident ID card in `card` (cropped to the
    card and straightened, upright or upside down); None when `card` is not that side of the card.

    `text` is the whole-card text pass (classify.read_card_text) of an upright `card` that the pass found to be
    this side: the card is then read wherever its words place it, never turned away. valid_until is an ISO date
    or 长期. Field boxes refer to the returned document_image, the card turned upright."""
    rgb = card.convert("RGB")
    if text is not None:
        return _read_back(rgb, fit_text_anchors(text, _BACK_ANCHORS, rgb.size) or CardFrame.nominal(rgb), text)
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
