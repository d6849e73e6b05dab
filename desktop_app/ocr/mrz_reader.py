"""Finding and reading the machine-readable zone at the foot of a passport page or ID card, and checking what it
says against the printed page above it.

The zone is read in a few passes and each field voted on; a check digit confirms a field only where the passes
agree on it. The printed page is then read once (mrz_viz): surname, given names, document number and dates it
repeats are confirmed, those it shows otherwise lowered and warned."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np
from PIL import Image, ImageOps

from desktop_app.ocr.han_reader import read_text_lines
from desktop_app.ocr.mrz import (
    FILLER,
    MrzField,
    MrzNotFound,
    MrzResult,
    check_digit,
    field_spans,
    letter_count,
    parse_mrz,
)
from desktop_app.ocr.mrz_viz import (
    Agreement,
    VisualZone,
    compare_date,
    compare_name,
    compare_number,
    lookalikes_only,
    page_number,
    page_spelling,
    visual_zone,
)
from desktop_app.ocr.ocrb_shapes import by_shape, is_filler
from desktop_app.ocr.result import DocumentResult, FieldResult
from desktop_app.ocr.tesseract_engine import MRZ_CONFIG, OcrLine, OcrWord, read_glyph_lines, read_lines

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
# Each pass: (scale, binarise). Binarising locally recovers glyphs at a line's start that Tesseract drops on the
# grey image, and loses others: the passes disagree in different places, and the fields are voted on.
_PASSES = ((0.7, False), (0.7, True), (0.55, False), (1.0, True))
_WHOLE_PAGE_PASSES = ((0.7, True), (0.7, False))


_MARGIN = 10  # a white margin around tight text helps Tesseract


def _band(gray: Image.Image, scale: float, binarise: bool = False, share: float = _BAND) -> tuple[Image.Image, int]:
    """The bottom band of the page (`share` of its height), scaled and with a white margin, and where the band
    starts in the page."""
    width, height = gray.size
    top = _above_print(gray, int(height * (1 - share)))
    band = gray.crop((0, top, width, height))
    band = band.resize((max(1, int(band.width * scale)), max(1, int(band.height * scale))), Image.Resampling.LANCZOS)
    if binarise:
        block = max(15, int(band.height * 0.15)) | 1  # about one line high: follows uneven light
        pixels = cv2.adaptiveThreshold(
            np.asarray(band), 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15
        )
        band = Image.fromarray(pixels)
    return ImageOps.expand(band, _MARGIN, fill=255), top


_BAND_REACH = 0.1  # of the page's height: how far up the band's top may move to take in a line it cuts through
_INKED_ROW = 0.02  # of the width: a row with more dark pixels than this runs through a line of print


def _above_print(gray: Image.Image, top: int) -> int:
    """`top`, or higher up (by _BAND_REACH of the page at most) where a row of print runs through it: a TD1 zone
    fills a third of the card, and one cut out with a little of the bed below it, or printed a little higher,
    lost the top half of its first line to the band (its document number read as letters, every pass)."""
    if top <= 0:
        return top
    reach = max(0, top - round(_BAND_REACH * gray.height))
    strip = np.asarray(gray.crop((0, reach, gray.width, top + 1)))
    threshold, _ = cv2.threshold(strip, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = (strip < threshold).sum(axis=1)
    # Over the least dark row's count: the bed at the sides of a loose cut is dark in every row.
    inked = (dark > dark.min() + _INKED_ROW * gray.width).tolist()
    if not (inked[-1] and len(inked) > 1 and inked[-2]):
        return top
    row = len(inked) - 1
    while row > 0 and inked[row]:
        row -= 1
    return reach + row if not inked[row] else top


# Tesseract's English model drifts on long filler runs ('<<<<<<' turns into 'KKKKKK', sometimes 'S' or 'E'), above
# all in the name area, which no check digit covers. The glyph itself tells: OCR-B's '<' is about 85% of the cap
# height and centred, so a "letter" that short is a filler.
_FILLER_MISREADS = frozenset("KLCEXS")
_FILLER_HEIGHT = 0.9


def _height(glyph: OcrWord) -> int:
    return glyph.box[3] - glyph.box[1]


def _without_overlaps(glyphs: tuple[OcrWord, ...]) -> list[OcrWord]:
    """The glyphs without the spurious extra characters Tesseract sometimes lays over a neighbour: the MRZ is
    monospaced, so of two glyphs whose centres fall in one cell of the pitch grid, only the likelier stays."""
    centres = [(g.box[0] + g.box[2]) / 2 for g in glyphs]
    steps = sorted(b - a for a, b in itertools.pairwise(centres))
    if len(steps) < 5:
        return list(glyphs)
    pitch = steps[len(steps) // 2]
    kept: list[tuple[OcrWord, float]] = []
    for glyph, centre in zip(glyphs, centres, strict=True):
        if kept and centre - kept[-1][1] < 0.6 * pitch:
            if glyph.confidence > kept[-1][0].confidence:
                kept[-1] = (glyph, centre)
            continue
        kept.append((glyph, centre))
    return [g for g, _ in kept]


def _holes(band: Image.Image, box: tuple[int, int, int, int]) -> int:
    """How many enclosed counters the glyph in `box` has (a 6 has one, a G none)."""
    left, top, right, bottom = box
    crop = np.asarray(band.crop((left - 1, top - 1, right + 2, bottom + 2)))
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0
    least = 0.02 * (right - left) * (bottom - top)
    return sum(1 for i, c in enumerate(contours) if hierarchy[0][i][3] >= 0 and cv2.contourArea(c) >= least)


# OCR-B's I has serifs across the top and the foot; Tesseract reads a slightly blurred I as L, whose top right is
# bare (CHOI read CHOL, DUBOIS read DUBOLS). Share of the top third's right half that is ink: 0 on an L, about 0.2
# to 0.4 on an I.
_SERIF_INK = 0.15


def _top_right_ink(band: Image.Image, box: tuple[int, int, int, int]) -> float:
    left, top, right, bottom = box
    crop = np.asarray(band.crop((left - 1, top - 1, right + 2, bottom + 2)))
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    corner = ink[: ink.shape[0] // 3, ink.shape[1] // 2 + 1 :]
    return float(corner.mean()) / 255 if corner.size else 0.0


def mrz_text(line: OcrLine, band: Image.Image) -> str:
    """The line's MRZ characters as read from `band`, with fillers misread as letters put back by the glyph's
    height, and a G read as 6 or an I read as L put back by its shape."""
    return glyph_reading(line, band)[0]


def glyph_reading(line: OcrLine, band: Image.Image) -> tuple[str, bool]:
    """mrz_text, and whether a letter between two letters was taken for a filler or an L for an I by its shape
    alone: a name so read is to be checked unless the printed page shows it. A digit or letter of a look-alike
    pair (1/I, 2/Z, 5/S, 8/B) whose shape matches the other in OCR-B by a clear margin is read as that one
    (ocrb_shapes).

    Check digits cannot catch G for 6: their values (16 and 6) differ by 10, so every weight gives the same check
    digit, and Tesseract's English model reads OCR-B's G as 6 at the start of a document number. A 6 has a closed
    counter and a G none."""
    glyphs = _without_overlaps(line.glyphs)
    if not glyphs:
        return line.text, False
    reference = sorted(_height(g) for g in glyphs if g.text.isalnum() and g.confidence >= 0.9)
    cap_height = reference[len(reference) // 2] if len(reference) >= 5 else 0
    short = [g.text in _FILLER_MISREADS and _height(g) < _FILLER_HEIGHT * cap_height for g in glyphs]
    # OCR-B's digits stand taller than its letters (33 and 29-31 units), so on a line of digits a letter can look
    # short too: a short letter is taken for a filler only beside a filler (or another short letter) or at the
    # line's end, where fillers run, never between two letters or digits (Z7CR0FX5D).
    # A line of letters and fillers only (a name line) has no taller digits to compare with: there a short letter
    # between two letters is a filler too (EMMA<LUCAS read EMMAKLUCAS), and the name only read, to be checked
    # (`inferred`): about 1% of real letters measure as short.
    names_only = sum(g.text.isdigit() for g in glyphs) <= 1
    last = len(glyphs) - 1
    beside = [
        i == last or any(0 <= j <= last and (glyphs[j].text == "<" or short[j]) for j in (i - 1, i + 1))
        for i in range(len(glyphs))
    ]
    chars: list[str] = []
    inferred = False
    for i, (g, is_short, near_filler) in enumerate(zip(glyphs, short, beside, strict=True)):
        between = 0 < i < last and glyphs[i - 1].text.isalpha() and glyphs[i + 1].text.isalpha()
        if is_short and (near_filler or (names_only and between)):
            chars.append("<")
            inferred = inferred or not near_filler
        elif is_filler(g.text, band, g.box):
            # The chevron's shape, not the letter's (IVAN<XIAOMING read IVANKXIAOMING): inside a word of letters
            # it splits a name in two, which only the page can confirm.
            chars.append("<")
            inferred = inferred or between
        elif g.text == "6" and _holes(band, g.box) == 0:
            chars.append("G")
        elif g.text == "L" and _top_right_ink(band, g.box) >= _SERIF_INK:
            chars.append("I")
            inferred = True
        else:
            chars.append(by_shape(g.text, band, g.box))  # I read as 1, S as 5...: put back by the glyph's shape
    return "".join(chars), inferred


def _candidate_lines(lines: list[OcrLine]) -> list[OcrLine]:
    return [line for line in lines if len(line.text) >= 25]


# Warnings about what no reading can settle (a name ending in a letter a filler may be misread as, a 6 that may be
# a G): they say nothing about how well this pass read the zone.
_ADVISORY = frozenset({"name_filler_like_end", "name_truncated", "six_or_g", "eight_or_s"})


def _misreadings(result: MrzResult) -> list[str]:
    return [w.code for w in result.warnings if w.code not in _ADVISORY]


def _score(result: MrzResult) -> int:
    # A line of the wrong length was fitted by guesswork: worth more than any other warning.
    verified = sum(1 for f in result.fields.values() if f.verified)
    return verified - sum(3 if code == "line_length" else 1 for code in _misreadings(result))


@dataclass(frozen=True)
class _Reading:
    result: MrzResult
    ocr_confidence: float
    lines: list[OcrLine]  # the zone's lines, with boxes in `image` coordinates
    image: Image.Image  # the document as read (turned upright)
    inferred: bool = False  # a letter of the name line put back by its height or shape alone (glyph_reading)


def read_mrz(image: Image.Image, today: date) -> DocumentResult | None:
    """The MRZ document in `image` (upright or upside down), or None when no zone is found.

    The zone is read at a few scales until one reading is clean (every check digit holds, no warning); otherwise
    each field takes the value most readings agree on, a value a check digit confirms first."""
    readings: list[_Reading] = []
    # Where the document was not cut out of the scan cleanly, the zone need not be in the page's foot: the whole
    # image is read before giving up.
    for passes, share in ((_PASSES, _BAND), (_WHOLE_PAGE_PASSES, 1.0)):
        for turned in (image, image.rotate(180)):
            gray = ImageOps.grayscale(turned)
            engine = _engine_reading(gray, turned, today) if share == _BAND else None
            if engine is not None:
                readings.append(engine)
                if engine.result.composite_ok and not _misreadings(engine.result):
                    return _document(readings)
            for scale, binarise in passes:
                band, top = _band(gray, scale, binarise, share)
                lines = _candidate_lines(read_glyph_lines(band, lang="eng", config=MRZ_CONFIG))
                if len(lines) < 2:
                    continue
                read = [glyph_reading(line, band) for line in lines]
                try:
                    result = parse_mrz([text for text, _ in read], today)
                except MrzNotFound:
                    continue
                if share == 1.0 and (
                    "zone_implausible" in result.warning_codes() or not any(_passes(result, n) for n in _CHECKED)
                ):
                    continue  # lines of the printed page that happen to have a zone's length, not a zone
                ocr_confidence = sum(line.confidence for line in lines) / len(lines)
                placed = [_in_image(line, scale, top) for line in lines[-_lines(result.document_type) :]]
                # The zone is the last lines read; its name is on the last of TD1's three, the first of two.
                inferred = read[-1 if result.document_type == "mrz_td1" else -2][1]
                readings.append(_Reading(result, ocr_confidence, placed, turned, inferred))
                if result.composite_ok and not _misreadings(result):
                    # Clean: no need for more passes. The earlier ones still vote: where they read a field
                    # otherwise, the glyphs are hard to read, and a check digit that holds may hold by chance.
                    return _document(readings)
            if readings:
                return _document(readings)
    return None


# PP-OCR reads the band at the scale of Tesseract's first pass: OCR-B about 30 px high at 300 DPI.
_ENGINE_SCALE = 0.7
# What PP-OCR reads for a filler now and then; spaces it puts between runs of characters are no part of a zone.
_ENGINE_FILLERS = str.maketrans({"«": "<<", "‹": "<", "＜": "<", "く": "<", " ": ""})


def _engine_reading(gray: Image.Image, turned: Image.Image, today: date) -> _Reading | None:
    """The zone as PP-OCR reads it (han_reader): one more reading for the vote, the first made. On development
    scans where every Tesseract pass misread a document number in two or three places (H1WES1WDC as HTWESTWOC,
    MSHK9N9NA as MSHKINONA), it read the number right. None where the engine is not available or reads no zone."""
    band, top = _band(gray, _ENGINE_SCALE, False, _BAND)
    found = read_text_lines(band)
    lines = _candidate_lines(
        [OcrLine(line.text.upper().translate(_ENGINE_FILLERS), line.confidence, line.box) for line in found]
    )
    if len(lines) < 2:
        return None
    try:
        result = parse_mrz([line.text for line in lines], today)
    except MrzNotFound:
        return None
    confidence = sum(line.confidence for line in lines) / len(lines)
    placed = [_in_image(line, _ENGINE_SCALE, top) for line in lines[-_lines(result.document_type) :]]
    return _Reading(result, confidence, placed, turned)


def _lines(document_type: str) -> int:
    return 3 if document_type == "mrz_td1" else 2


def _in_image(line: OcrLine, scale: float, top: int) -> OcrLine:
    """The line with its box in the coordinates of the image the band was cut from."""
    left, upper, right, lower = line.box
    box = (
        round((left - _MARGIN) / scale),
        round((upper - _MARGIN) / scale) + top,
        round((right - _MARGIN) / scale),
        round((lower - _MARGIN) / scale) + top,
    )
    return OcrLine(line.text, line.confidence, box)


def _field_box(reading: _Reading, name: str) -> tuple[int, int, int, int] | None:
    """The field's box: its share of its line's box (the MRZ is monospaced)."""
    line_index, start, end = field_spans(reading.result.document_type)[name]
    if line_index >= len(reading.lines):
        return None
    left, top, right, bottom = reading.lines[line_index].box
    width = (right - left) / _LENGTH[reading.result.document_type]
    return (round(left + start * width), top, round(left + end * width), bottom)


_LENGTH = {"mrz_td3": 44, "mrz_td2": 36, "mrz_td1": 30}


def _document(readings: list[_Reading]) -> DocumentResult:
    """One result from the readings: the best-scoring reading, each field voted on by all of them, then checked
    against the printed page above the zone."""
    best = max(readings, key=lambda r: _score(r.result))
    same_layout = [r for r in readings if r.result.document_type == best.result.document_type]
    fields: dict[str, FieldResult] = {}
    evidence: dict[str, ZoneEvidence] = {}
    warnings = [w.code for w in best.result.warnings]
    for name in MRZ_FIELDS:
        chosen = _vote(name, same_layout, best)
        if chosen is None:
            continue
        reading, field, agreement, conflict, inference = chosen
        verified = field.verified and not conflict
        confidence = field.confidence if verified else min(field.confidence, reading.ocr_confidence)
        if conflict:
            # Two readings of the zone each satisfied the check digit with a different value: at least one of them
            # passed by chance, and the check digit cannot say which.
            confidence = min(confidence, _CONFLICT_CONFIDENCE)
            warnings.append(f"readings_conflict:{name}")
        if agreement < 1.0:
            warnings.append(f"readings_disagree:{name}")
            if verified:
                # The readings disagree, so the glyphs are hard to read: each difference is another reading the
                # check digit is asked to rule out, and one in ten misreadings passes it.
                verified, confidence = False, min(confidence, _DISPUTED_CONFIDENCE)
            else:
                confidence *= 0.8
        if name in ("surname", "given_names") and any(
            r.inferred and r.result.fields[name].value == field.value for r in same_layout if name in r.result.fields
        ):
            # A letter of it was read as a filler (or an L as an I) by its height or shape alone: no check digit
            # covers a name, so only the printed page can confirm it.
            confidence = min(confidence, _INFERRED_NAME_CONFIDENCE)
        if name in ("surname", "given_names") and _poorly_read(reading.result):
            # No check digit covers a name; where one that covers the zone's other fields fails (or a line had to be
            # fitted to its length), the glyphs of this zone are misread, and the name's may be too.
            confidence = min(confidence, _INFERRED_NAME_CONFIDENCE)
        if inference is not None:
            # Another pass read a tail of filler look-alikes on it and the tail was taken for fillers, or a letter in
            # a gap this one read: an inference no check digit covers, so at most "check" until the page shows it.
            verified, confidence = False, min(confidence, _INFERRED_NAME_CONFIDENCE)
            warnings.append(f"{inference}:{name}")
        fields[name] = FieldResult(field.value, round(confidence, 3), verified, _field_box(reading, name))
        rivals = (
            value
            for r in same_layout
            if name in r.result.fields
            for value in (r.result.fields[name].value, *r.result.fields[name].alternatives)
            if value and value != field.value
        )
        evidence[name] = ZoneEvidence(
            checked=name in _CHECKED and _passes(reading.result, name),
            rivals=tuple(dict.fromkeys(rivals)),
            check=_check_character(reading.result, name),
        )
    names = NameEvidence(
        read=tuple(dict.fromkeys(pair for r in same_layout for pair in _names_of(r.result)[:1])),
        possible=tuple(dict.fromkeys(pair for r in same_layout for pair in _names_of(r.result)[1:])),
    )
    fields, checked = cross_check_page(_page_above(best), fields, evidence, names)
    return DocumentResult(best.result.document_type, fields, (*warnings, *checked), best.image.convert("RGB"))


_CHECKED = frozenset({"document_number", "birth_date", "expiry_date"})
_POOR_READING = frozenset({"check_failed", "composite_failed", "line_length", "zone_implausible"})
_CONFLICT_CONFIDENCE = 0.3
_INFERRED_NAME_CONFIDENCE = 0.7
_DISPUTED_CONFIDENCE = 0.7


def _poorly_read(result: MrzResult) -> bool:
    return bool(_POOR_READING & result.warning_codes())


def _passes(result: MrzResult, name: str) -> bool:
    """Whether the field's check digit holds on its value (as read or corrected)."""
    failed = {"check_failed", "ambiguous_correction", "check_digit_guessed", "invalid_date"}
    return name in result.fields and bool(result.fields[name].value) and not result.warning_codes(name) & failed


def _check_character(result: MrzResult, name: str) -> str:
    """The check digit of the document number as the zone holds it, or "" (another field, a number that
    continues in the optional data)."""
    if name != "document_number" or len(result.value(name)) != 9:
        return ""
    line, _, end = field_spans(result.document_type)[name]
    check = result.lines[line][end : end + 1] if line < len(result.lines) else ""
    return check if check.isdigit() else ""


def _names_of(result: MrzResult) -> list[tuple[str, str]]:
    """The (surname, given names) a reading gave, and the others its name area could hold."""
    if "surname" not in result.fields:
        return []
    given = result.fields["given_names"].value if "given_names" in result.fields else ""
    return [(result.fields["surname"].value, given), *result.name_readings]


def _vote(
    name: str, readings: list[_Reading], best: _Reading
) -> tuple[_Reading, MrzField, float, bool, str | None] | None:
    """The reading and value of the field: a value a check digit verified in any reading, else the value most
    readings give (the best reading's on a tie), the share of readings that agree with it, and whether readings
    verified different values, and what was inferred about a name (a tail another reading gave dropped as misread
    fillers, a letter another reading gave in a gap of this one)."""
    present = [(r, r.result.fields[name]) for r in readings if name in r.result.fields]
    if not present:
        return None
    verified = [(r, f) for r, f in present if f.verified]
    # A check digit holds by chance one time in ten: on a line whose length had to be fitted (a character lost
    # or added) that is how a shifted value verifies. Readings of the exact length come first.
    exact = [(r, f) for r, f in verified if not any(w.code == "line_length" for w in r.result.warnings)]
    # Verified by none: readings of the exact length before the fitted ones, whose fields a lost character may have
    # shifted (S29647062 read 29647062 and fitted to 29<647062 twice, whole once: the whole one); not one holding
    # a filler inside (OX96CUD<X: a glyph read as a filler, where the fitted readings had the X).
    whole = [
        (r, f)
        for r, f in present
        if not any(w.code == "line_length" for w in r.result.warnings) and FILLER not in f.value.strip(FILLER)
    ]
    pool = exact or verified or whole or present
    counts = Counter(f.value for _, f in pool)
    top = max(counts.values())
    preferred = [(r, f) for r, f in pool if counts[f.value] == top]
    reading, field = next(((r, f) for r, f in preferred if r is best), preferred[0])
    inference: str | None = None  # what was inferred about a name beyond what the readings gave
    if name in ("surname", "given_names"):
        if name == "surname":
            # A surname part of one letter (X ONG) where another reading has a letter in the gap (XIONG): OCR-B's
            # thin I read as a filler. A surname has no initials, so the joined reading is the likelier.
            joined = [(r, f) for r, f in present if _letter_for_gap(field.value, f.value)]
            if joined:
                reading, field = joined[0]
                field = dataclasses.replace(field, verified=False)
                inference = "name_gap_filled"  # no check digit covers it: "check" at most (see _document)
        # Where another reading is this one without a tail of filler look-alikes (JAN against JANK, SOPHIE against
        # SOPHIEX), the tail is misread fillers: a filler is often read as a letter, a letter seldom as a filler.
        shorter = [(r, f) for r, f in present if _filler_tail(field.value, f.value)]
        if shorter:
            reading, field = min(shorter, key=lambda pair: len(pair[1].value))
            inference = "name_tail_dropped"
        # A final E is a letter of many names (CLAIRE, GEORGE, MARIE): where a pass reads it, it is kept (to be
        # checked), never dropped as a misread filler.
        kept = field.value + "E"
        with_e = [(r, f) for r, f in present if f.value == kept or kept in f.alternatives]
        if field.value and with_e:
            reading, field = with_e[0]
            field = dataclasses.replace(field, value=kept, verified=False)
            inference = "name_tail_dropped"
    agreement = sum(1 for _, f in present if f.value == field.value) / len(present)
    conflict = len({f.value for _, f in verified}) > 1
    return reading, field, agreement, conflict, inference


def _letter_for_gap(spaced: str, joined: str) -> bool:
    """Whether `joined` is `spaced` with a letter where `spaced` has a gap beside a part of one letter (X ONG and
    XIONG, but not ANNA MARIA and ANNAXMARIA)."""
    if len(spaced) != len(joined):
        return False
    gaps = [i for i, (a, b) in enumerate(zip(spaced, joined, strict=True)) if a != b]
    if len(gaps) != 1 or spaced[gaps[0]] != " " or not joined[gaps[0]].isalpha():
        return False
    return any(len(part) == 1 for part in spaced.split(" "))


def _filler_tail(longer: str, shorter: str) -> bool:
    """Whether `longer` is `shorter` followed by letters that are misread fillers' look-alikes only; a lone E is
    not such a tail (CLAIRE is not CLAIR with a misread filler)."""
    tail = longer[len(shorter) :].replace(" ", "")
    if tail == "E":
        return False
    return bool(shorter) and bool(tail) and longer.startswith(shorter) and set(tail) <= _FILLER_MISREADS


def dropped_final_e(value: str, readings: Iterable[str]) -> bool:
    """Whether a word of `value` is, in one of the other `readings`, the same word with an E after it: the E was
    taken for a misread filler, and a final E is a letter of many names (CLAIRE, GEORGE, MARIE)."""
    words = value.split()
    for other in readings:
        other_words = set(other.split())
        if any(word + "E" in other_words and word not in other_words for word in words):
            return True
        if other.startswith(value + "E"):
            return True
    return False


# -- the printed page above the zone -----------------------------------------------------------------------------

_PAGE_CONFIG = "--psm 3"
_MIN_PAGE_HEIGHT = 60  # pixels above the zone: less than this holds no printed field
_CONFIRMED_BY_PAGE = 0.99
_PAGE_DISAGREES = 0.6


def _page_above(reading: _Reading) -> VisualZone | None:
    """The printed page above the zone, read once as a whole (layouts differ from issuer to issuer); None where
    there is too little of it."""
    top = min(line.box[1] for line in reading.lines) - _MARGIN
    if top < _MIN_PAGE_HEIGHT:
        return None
    page = ImageOps.grayscale(reading.image).crop((0, 0, reading.image.width, top))
    chinese = "issuing_country" in reading.result.fields and reading.result.value("issuing_country") == "CHN"
    lines = read_lines(ImageOps.expand(page, _MARGIN, fill=255), lang="eng", config=_PAGE_CONFIG)
    return visual_zone(lines, local_names=chinese)


@dataclass(frozen=True)
class NameEvidence:
    """The (surname, given names) the readings of the zone gave (`read`), and the others their name areas could
    hold with a letter or two taken for misread fillers (`possible`)."""

    read: tuple[tuple[str, str], ...] = ()
    possible: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ZoneEvidence:
    """What the zone says for a field besides its value: whether a check digit covers it and holds on the value,
    and the other values the readings gave or the check digit left open."""

    checked: bool = False
    rivals: tuple[str, ...] = ()
    check: str = ""  # the field's check digit as read, where a reading of another value may be held to it


def cross_check_page(
    zone: VisualZone | None,
    fields: dict[str, FieldResult],
    evidence: dict[str, ZoneEvidence],
    names: NameEvidence | None = None,
) -> tuple[dict[str, FieldResult], list[str]]:
    """The fields after comparing them with the printed page: a field the page repeats is confirmed (for a name,
    where the page shows one of the name area's other readings whole, that reading is taken and confirmed); one
    the page shows differently is lowered to be checked, with a warning "visual_zone_disagrees:<field>".

    The page confirms a document number or date only where its check digit holds too: OCR makes the same
    mistakes on the page as in the zone (O for 0 in a number), so the page settles nothing between values that
    differ only in such look-alikes."""
    if zone is None:
        return fields, []
    checked = dict(fields)
    warnings: list[str] = []

    def agree(name: str, value: str | None = None) -> None:
        field = checked[name]
        if value is not None and value != field.value:
            warnings.append(f"visual_zone_chose:{name}")
        final = field.value if value is None else value
        if name in _NAME_FIELDS and dropped_final_e(final, _name_readings_of(name, field.value, evidence, names)):
            # The value is a reading with a final E taken for a filler: the page cannot tell a dropped letter from
            # a misread filler, so it stays to be checked.
            checked[name] = FieldResult(final, min(field.confidence, _INFERRED_NAME_CONFIDENCE), False, field.box)
            warnings.append(f"name_final_e_dropped:{name}")
            return
        confidence = field.confidence if field.verified else _CONFIRMED_BY_PAGE
        checked[name] = FieldResult(final, confidence, True, field.box)

    def disagree(name: str) -> None:
        field = checked[name]
        checked[name] = FieldResult(field.value, min(field.confidence, _PAGE_DISAGREES), False, field.box)
        warnings.append(f"visual_zone_disagrees:{name}")

    _check_names(zone, checked, names or NameEvidence(), agree, disagree, warnings)
    number = checked.get("document_number")
    if number is not None and number.value:
        found = compare_number(number.value, zone, number.verified)
        about = evidence.get("document_number", ZoneEvidence())
        if found is Agreement.AGREES and about.checked:
            if not any(lookalikes_only(number.value, rival) for rival in about.rivals):
                agree("document_number")
        elif found is not Agreement.SILENT:
            if found is Agreement.DISAGREES:
                disagree("document_number")
            if not number.verified and about.check:
                # The zone's reading fails its check digit; the page's, look-alikes apart the same, satisfies it,
                # or one pieced together from both readings does: that is offered, still to be checked.
                printed = page_number(number.value, zone, lambda word: check_digit(word) == about.check)
                if printed is not None:
                    checked["document_number"] = dataclasses.replace(checked["document_number"], value=printed)
                    warnings.append("visual_zone_chose:document_number")
    dates = {n: _iso(checked[n].value) for n in ("birth_date", "expiry_date") if n in checked}
    for name, day in dates.items():
        if day is None:
            continue
        others = [d for n, d in dates.items() if n != name and d is not None]
        found = compare_date(day, zone, others, expiry=name == "expiry_date")
        if found is Agreement.AGREES and evidence.get(name, ZoneEvidence()).checked:
            agree(name)
        elif found is Agreement.DISAGREES:
            disagree(name)
    return checked, warnings


_NAME_FIELDS = ("surname", "given_names")


def _name_readings_of(
    name: str, value: str, evidence: dict[str, ZoneEvidence], names: NameEvidence | None
) -> list[str]:
    """Every value the zone's readings gave the name part, or their name areas could hold."""
    index = _NAME_FIELDS.index(name)
    pairs = [*names.read, *names.possible] if names is not None else []
    return [value, *evidence.get(name, ZoneEvidence()).rivals, *(pair[index] for pair in pairs)]


def _check_names(
    zone: VisualZone,
    fields: dict[str, FieldResult],
    names: NameEvidence,
    agree: Callable[[str, str | None], None],
    disagree: Callable[[str], None],
    warnings: list[str],
) -> None:
    if "surname" not in fields or "given_names" not in fields:
        return
    surname, given = fields["surname"].value, fields["given_names"].value
    # The name as the zone gave it, or another reading of the name area, that the page shows whole: both parts,
    # each exactly as printed.
    shown = [
        (s, g)
        for s, g in dict.fromkeys([(surname, given), *names.read, *names.possible])
        if g and compare_name(s, g, zone) is Agreement.AGREES and compare_name(g, s, zone) is Agreement.AGREES
    ]
    if len(shown) == 1 and given and _dropped_letters((surname, given), shown[0]) > 1:
        # The zone's reading has its '<<' (its structure holds), and the page shows whole only a reading that is it
        # with two letters or more taken for fillers (ELLE as EL): the page may have lost them as well (its print
        # is smaller, its font not OCR-B). The zone's reading stays, to be checked. (Where the zone lost its '<<',
        # VAN<DER<BERGK<IANK, the page's reading is the better.)
        for name in _NAME_FIELDS:
            field = fields[name]
            fields[name] = FieldResult(field.value, min(field.confidence, _PAGE_DISAGREES), False, field.box)
        warnings.append("visual_zone_shorter:given_names")
        return
    if len(shown) == 1:
        agree("surname", shown[0][0])
        agree("given_names", shown[0][1])
        return
    verdicts = {
        "surname": compare_name(surname, given, zone),
        "given_names": compare_name(given, surname, zone) if given else Agreement.SILENT,
    }
    if not shown and verdicts["surname"] is not Agreement.AGREES:
        # The page shows only the surname of one of the other passes' readings (its given names not found on the
        # page, nor contradicted): that reading's split of the area is the one printed. Its given names stay a
        # reading to check.
        partial = {
            (s, g)
            for s, g in names.read
            if (s, g) != (surname, given)
            and compare_name(s, g, zone) is Agreement.AGREES
            and compare_name(g, s, zone) is Agreement.SILENT
        }
        if len(partial) == 1:
            (s, g) = partial.pop()
            agree("surname", s)
            field = fields["given_names"]
            fields["given_names"] = FieldResult(g, min(field.confidence, _PAGE_DISAGREES), False, field.box)
            warnings.append("visual_zone_chose:given_names")
            return
    for name, verdict in verdicts.items():
        if verdict is Agreement.AGREES and not shown:
            agree(name, None)
        elif verdict is Agreement.DISAGREES:
            disagree(name)
            spelling = page_spelling(fields[name].value, zone)
            if spelling is not None:
                # The zone's reading has the look of a known OCR-B misreading of the page's: the page's spelling
                # is offered, still to be checked (each spelling has one reading behind it).
                fields[name] = dataclasses.replace(fields[name], value=spelling)
                warnings.append(f"visual_zone_chose:{name}")


def _dropped_letters(zone: tuple[str, str], page: tuple[str, str]) -> int:
    """How many more letters the zone's (surname, given names) has than the page's."""
    return letter_count("".join(zone)) - letter_count("".join(page))


def _iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
