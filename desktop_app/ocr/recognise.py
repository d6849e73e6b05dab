"""The OCR entry point: a scan or photo (an image, a file or its bytes) in, a DocumentResult out. No Qt, no
database.

load → locate (crop, straighten, landscape) → classify (which document, which way up, from colours and layout)
→ the reader for it. Where the pixels tell nothing, or their reader cannot place its fields, the text: one
Tesseract run over the whole card (classify.read_card_text) says which side of a resident ID card it is, which way
up, and where its fields are. Before it, where the pixels showed no zone at the document's foot, a
machine-readable zone is looked for anywhere in the scan at any angle (mrz_zone): a card lying on printed paper,
beside a second card or turned a quarter defeats the locator, not its zone. Then the other readers in turn. A
reader that does not fit costs a second or more of Tesseract runs before it gives up, so the classifier's first
choice is what keeps recognition fast; the fallbacks are for what it could not tell.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PIL import Image

from desktop_app.ocr.card_by_labels import LabelSearch
from desktop_app.ocr.classify import (
    CN_ID_BACK,
    CN_ID_FRONT,
    MRZ,
    TEXT_WIDTH,
    CardText,
    Classification,
    classify,
    read_card_text,
)
from desktop_app.ocr.cn_id_back_reader import read_cn_id_back
from desktop_app.ocr.cn_id_reader import READ_CLEARLY, read_cn_id_front
from desktop_app.ocr.loading import load_scan
from desktop_app.ocr.locate import ID1_WIDTH_300DPI, LocatedDocument, locate
from desktop_app.ocr.mrz_reader import read_mrz
from desktop_app.ocr.mrz_zone import find_zone, zone_count
from desktop_app.ocr.result import DocumentResult
from desktop_app.ocr.tesseract_engine import OcrWord, han_models
from desktop_app.redacted_log import log_failure

log = logging.getLogger(__name__)

_Reader = Callable[[Image.Image], DocumentResult | None]
_TextReader = Callable[[Image.Image, Sequence[Sequence[OcrWord]]], DocumentResult | None]
_TEXT_READERS: dict[str, _TextReader] = {CN_ID_FRONT: read_cn_id_front, CN_ID_BACK: read_cn_id_back}

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
    "document_not_recognised", why ("no_known_document_signs": neither colours and layout nor text showed a
    known document; "mrz_unreadable": a machine-readable zone was seen but not read) and the located image; or
    "document_not_found" instead of a why when nothing in the scan stood out as a document (the readers still try
    the whole image).
    """
    image = source if isinstance(source, Image.Image) else load_scan(source)
    try:
        return _one_document(_recognise_image(image, today or date.today()), image)
    except ValueError as exc:
        # A reader given a shape it was not written for (a region cut outside the image): that is a reader that
        # found nothing, not the end of the teller's scan or of a batch. Logged, so that the bug is seen.
        log_failure(log, "a reader failed on the document", exc)
        return DocumentResult(None, {}, ("document_not_recognised", "reader_failed"), document_image=image)


def _recognise_image(image: Image.Image, today: date) -> DocumentResult:
    located = locate(image)
    guess = classify(located.image, located.shape)
    document = located.image.rotate(180) if guess.upside_down else located.image
    readers = _readers(today)

    def attempt(kind: str, given: Image.Image | None = None) -> DocumentResult | None:
        reader = readers.get(kind)
        if reader is None:
            return None  # the reader for this side of the card is not installed
        scale = _scale_to_300_dpi(document, kind, guess, located.shape)
        looks = (scale, scale * _SECOND_LOOK) if kind == MRZ and guess.kind == MRZ else (scale,)
        for factor in looks:
            image = given if given is not None else _scaled(document, factor)
            found = reader(image)
            if found is not None:
                return _finished(found, image, located.warnings)
        return None

    # Edges the locator is unsure of (or a cut whose proportions are no document's) may be a pale card's on a
    # light bed, cut out wrong: a reading of that cut that left a field unread is kept only when the card's words
    # read on the whole scan give no more fields.
    uncertain = located.found and ("document_edges_uncertain" in located.warnings or located.shape is None)
    weak: DocumentResult | None = None
    # The pixels' answer first: it costs no Tesseract run, and its reader turns away a card it cannot place.
    if guess.kind is not None:
        found = attempt(guess.kind)
        if found is not None and (not uncertain or _complete(found)):
            return _beside_a_card(found, guess)
        weak = found
    mrz_seen = guess.kind == MRZ
    # Then a machine-readable zone anywhere in the scan, at any angle: where the document's outline was missed (a
    # card on printed paper, beside another card, turned a quarter), the zone itself says where the document is.
    # Some tens of milliseconds of pixels unless a zone is seen.
    zone = find_zone(image)
    if zone is not None:
        found = read_mrz(zone.document, today)
        # Where the pixels showed a side of a resident card, a zone no check digit of which holds, or with too few
        # signs of a real one (a second card's across the frame's edge, half of it cut off), is not read instead
        # of the card.
        card_seen = guess.kind in (CN_ID_FRONT, CN_ID_BACK)
        unsound = found is not None and (
            "zone_implausible" in found.warnings or not any(field.verified for field in found.fields.values())
        )
        if found is not None and not (card_seen and unsound):
            return _beside_a_card(_finished(found, zone.document, ()), guess)
        mrz_seen = True
    # Then the text: its words say which side of a card it is, which way up, and where the fields are.
    if guess.kind != MRZ:
        found, text_kind = _by_text(document, located)
        # A card whose outline was missed (lying half on printed paper, small on an A4 bed): its labels place
        # it, where its words placed it badly (a frame of words cannot turn) or not at all (or a zone's chevrons
        # on the paper beside it made the words look like a zone's). Tens of milliseconds of pixels unless its
        # labels are seen. Taken where checks confirm more of its reading, or it reads more.
        found = _surer(found, _card_by_its_labels(image, located))
        # A side placed but nothing read on it (a small card on a page: its words' frame fits no card) is kept
        # only if nothing better comes.
        if found is not None and found.fields and (not uncertain or _complete(found)):
            return found
        weak = _fuller(weak, found)
        mrz_seen = mrz_seen or text_kind == MRZ
    if uncertain and image.width >= image.height:
        # The cut may have lost the card: its words, read on the whole scan, place it wherever it lies. Not on a
        # portrait scan: there the card lies turned a quarter (the pass reads upright lines only) or small on a
        # page, and the pass over so tall an image costs seconds for nothing.
        found, text_kind = _by_text(image, dataclasses.replace(located, image=image, shape=None))
        weak = _fuller(weak, found)
        mrz_seen = mrz_seen or text_kind == MRZ
    if weak is not None and weak.fields:
        return weak
    if weak is None:
        # The other readers, where no side was placed at all. The zone found anywhere in the scan was read above;
        # read on the document as located too, where that failed: the zone's own cut-out may have clipped or
        # tilted it (a TD2 visa turned 6° on a grey bed).
        for kind in guess.order:
            if kind != guess.kind:
                found = attempt(kind)
                if found is not None and found.fields:
                    return found
                # A reader that placed its side on the scan but read nothing: kept, if nothing better comes
                weak = weak or found
    if weak is None and image.height > image.width and not mrz_seen:
        # Last, on a portrait scan (a card small on an A4 bed, its edges lost against a page or a lid): the card's
        # words, read on the whole scan at a size that gives a card a third to half the scan's width the text
        # pass's own, say where it lies; cut out around them, it is read as any card not cut from its bed
        # (development split: three of six such cards recognised only so). Seconds, for scans that would otherwise
        # come back unrecognised: not where a side was placed but read empty (10 s more for nothing, measured).
        found = _card_by_its_words(image, located)
        if found is not None:
            return found
    if weak is not None:
        return weak
    # Why, unless nothing stood out as a document at all (document_not_found says it).
    why = ("mrz_unreadable",) if mrz_seen else () if not located.found else ("no_known_document_signs",)
    return DocumentResult(None, {}, (*located.warnings, "document_not_recognised", *why), document_image=document)


# The width the whole of a portrait scan is read at by the last-resort text pass: an ID-1 card 40% of an A4 scan's
# width then comes to the text pass's own TEXT_WIDTH.
_WHOLE_SCAN_TEXT_WIDTH = round(2.5 * TEXT_WIDTH)

# The most confidence a field may have when the scan holds a second document's zone: "to check".
_SECOND_DOCUMENT_CONFIDENCE = 0.6


def _one_document(found: DocumentResult, scan: Image.Image) -> DocumentResult:
    """`found` with nothing confirmed and the warning "more_than_one_document" when it was read from a
    machine-readable zone and the scan holds more than one: the zone read may be another document's than the one
    the teller means (a second passport or card in the frame), and its check digits hold for that one all the
    same. The teller is to scan the documents one at a time, or check every field."""
    if not (found.document_type or "").startswith("mrz") or zone_count(scan) < 2:
        return found
    return _unconfirmed(found)


def _beside_a_card(found: DocumentResult, guess: Classification) -> DocumentResult:
    """`found`, read from a machine-readable zone, as _one_document has it where the scan shows the labels of a
    resident card's portrait side too (four of its five rows): a card on the bed with a visa page across the
    frame's edge, the zone read being the visa's (development split: its birth date came out confirmed for the
    card's holder)."""
    labels = max(guess.evidence.get("labels", 0.0), guess.evidence.get("labels_turned", 0.0))
    if not (found.document_type or "").startswith("mrz") or labels < _CARD_BESIDE_LABEL_ROWS:
        return found
    return _unconfirmed(found)


_CARD_BESIDE_LABEL_ROWS = 4


def _unconfirmed(found: DocumentResult) -> DocumentResult:
    """`found` with nothing confirmed, every field to check, and the warning "more_than_one_document"."""
    if "more_than_one_document" in found.warnings:
        return found
    fields = {
        name: dataclasses.replace(field, verified=False, confidence=min(field.confidence, _SECOND_DOCUMENT_CONFIDENCE))
        for name, field in found.fields.items()
    }
    return dataclasses.replace(found, fields=fields, warnings=(*found.warnings, "more_than_one_document"))


def _card_by_its_words(image: Image.Image, located: LocatedDocument) -> DocumentResult | None:
    """A resident ID card somewhere on a portrait scan, found by the words the whole-scan text pass reads: the
    scan cut down to them (with the margins a card has around its print) and read by the text route; else the
    whole scan read as a page (where a card must show its number or its title)."""
    text = read_card_text(image, _WHOLE_SCAN_TEXT_WIDTH, han_models()[0])
    if text.kind not in _TEXT_READERS:
        return None
    boxes = [word.box for line in text.lines for word in line if word.confidence >= _WORD_CONFIDENCE]
    if boxes:
        left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        across, down = right - left, bottom - top
        crop = image.crop(
            (
                max(0, round(left - 0.3 * across)),
                max(0, round(top - 0.5 * down)),
                min(image.width, round(right + 0.3 * across)),
                min(image.height, round(bottom + 0.3 * down)),
            )
        )
        found, _ = _by_text(crop, dataclasses.replace(located, image=crop, shape=None))
        if found is not None and found.fields:
            return found
    whole = dataclasses.replace(located, image=image, shape="page")  # as a page: its number or title, at least
    found, _ = _by_text(image, whole, width=_WHOLE_SCAN_TEXT_WIDTH, upright_read=text)  # its first pass made above
    return found


def _card_by_its_labels(image: Image.Image, located: LocatedDocument) -> DocumentResult | None:
    """A side of a resident card cut out of the scan where its blue labels place it (LabelSearch: the portrait
    side's column, the emblem side's two labels and emblem), read by its labels, or where they do not place it
    exactly enough, by its words."""
    search = LabelSearch(image)
    sides = ((search.front, read_cn_id_front, CN_ID_FRONT), (search.back, read_cn_id_back, CN_ID_BACK))
    for cut_out, reader, kind in sides:
        card = cut_out()
        if card is None:
            continue
        found = reader(card)
        if found is None or not _complete(found):
            by_text, _ = _by_text(card, dataclasses.replace(located, image=card, shape="id1"))
            found = _fuller(found, by_text if by_text is not None and by_text.document_type == kind else None)
        if found is not None:
            return _finished(found, card, located.warnings)
    return None


_WORD_CONFIDENCE = 0.5  # a word of the card's print, not a speck or a line of the page beside it


def _complete(found: DocumentResult) -> bool:
    """True when the reader read every field of its side (it warns "<field>_not_read" for each it did not)."""
    return not any(warning.endswith("_not_read") for warning in found.warnings)


def _surer(first: DocumentResult | None, second: DocumentResult | None) -> DocumentResult | None:
    """Of two readings, the one a check confirms more fields of, then the one with more fields, then the one with
    more fields read clearly; the first on a tie. (A slanted card placed by its words read its authority's end
    as 青河县h and lost it; cut out straight by its labels, both Han models read it whole.)"""

    def rank(found: DocumentResult) -> tuple[int, int, int]:
        fields = found.fields.values()
        clearly = sum(1 for field in fields if field.confidence >= READ_CLEARLY)
        return sum(1 for field in fields if field.verified), len(found.fields), clearly

    if first is None or (second is not None and rank(second) > rank(first)):
        return second
    return first


def _fuller(first: DocumentResult | None, second: DocumentResult | None) -> DocumentResult | None:
    """Of two readings, the one with more fields; the first on a tie."""
    if first is None or (second is not None and len(second.fields) > len(first.fields)):
        return second
    return first


def _finished(found: DocumentResult, given: Image.Image, warnings: tuple[str, ...]) -> DocumentResult:
    if found.document_image is None:  # a reader that does not say read what it was given
        found = dataclasses.replace(found, document_image=given)
    return dataclasses.replace(found, warnings=(*warnings, *found.warnings))


def _by_text(
    document: Image.Image, located: LocatedDocument, width: int | None = None, upright_read: CardText | None = None
) -> tuple[DocumentResult | None, str | None]:
    """The card read by the text route: the whole-card text pass on the card at 300 DPI, upright and then (when
    that found nothing) turned, and the reader of the side it found given its words; when neither way showed a
    known document, the same with the second Han model (each model finds the labels on cards the other misses).
    The result, and the kind the text showed (MRZ: a zone the card readers cannot read). `upright_read`: the
    first of those passes (the standard model, upright, at `width`) where the caller has made it already."""
    card = _scaled(document, ID1_WIDTH_300DPI / document.width) if located.shape == "id1" else document
    # Not cut out as a card: some of the bed or the page is in it, so a little more detail for the card's text.
    width = width or (TEXT_WIDTH if located.shape == "id1" else round(1.5 * TEXT_WIDTH))
    models = [model for model in han_models() if model is not None]
    for lang, turned in ((lang, turned) for lang in models for turned in (card, card.rotate(180))):
        first = upright_read is not None and lang == models[0] and turned is card
        text = upright_read if first and upright_read is not None else read_card_text(turned, width, lang)
        if text.kind == MRZ:
            return None, MRZ
        # A passport page prints 性别, 出生 and 签发机关 too: as a page, a card must show its number or its title.
        if located.shape == "page" and not {"number", "居民身份证"} & set(text.found):
            continue
        reader = _TEXT_READERS.get(text.kind or "")
        if reader is not None:
            found = reader(turned, text.lines)
            if found is not None:
                return _finished(found, turned, located.warnings), text.kind
    return None, None


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
    return {
        MRZ: lambda document: read_mrz(document, today),
        CN_ID_FRONT: read_cn_id_front,
        CN_ID_BACK: read_cn_id_back,
    }
