"""The portrait side of a Chinese resident ID card: name, sex, ethnicity, birth date, address and the 18-character
citizen number, with the number checked by its GB 11643 check character and the birth date and sex checked
against it.

The card's layout is fixed, so the reader works in layout coordinates (the card at 300 DPI, 1011×638 px) and
pins them to the image by the blue pre-printed labels: they are the only saturated blue on the card, so a colour
test finds their rows without OCR, tells upright from upside down, and turns away anything that is not this side
of the card before Tesseract is started. The values are then cut out, cleaned of labels and background, and laid
on small sheets, three Tesseract runs in all, on two threads: chi_sim on name, ethnicity, birth date and address;
chi_sim held to the closed lists' characters on sex and ethnicity; eng held to digits on the number and the birth
date (and on the number once more when its check character fails).

This module also holds the card geometry and image preparation the emblem-side reader (cn_id_back_reader) shares.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from desktop_app.domain.id_numbers import IdNumberError, has_gb11643_checksum, parse_resident_id
from desktop_app.ocr.cn_id_fields import (
    ETHNIC_GROUP_PATTERN,
    ETHNIC_GROUPS,
    SEXES,
    Matched,
    check_address,
    check_name,
    has_confusable_han,
    join_han,
    match_ethnicity,
    match_sex,
    parse_birth_line,
    printed_word,
    repair_resident_id,
    with_numbers_province,
)
from desktop_app.ocr.han_reader import han_engine_available, read_text_lines
from desktop_app.ocr.han_surnames import SINGLE_SURNAMES, starts_with_surname
from desktop_app.ocr.result import DocumentResult, FieldResult
from desktop_app.ocr.tesseract_engine import OcrWord, han_models, read_glyph_lines, read_lines

Box = tuple[int, int, int, int]
LayoutBox = tuple[float, float, float, float]
Mask = NDArray[np.bool_]

LAYOUT_WIDTH = 1011  # the card (85.6 mm) at 300 DPI: layout coordinates are pixels of such an image
LAYOUT_HEIGHT = 638  # (54 mm)
# chi_sim settings for every Han reading. preserve_interword_spaces keeps chi_sim from padding Han characters with
# spaces it then has to be stripped of. The CJK fixed-pitch model segments a line of Han glyphs as what it is: without
# it, sparse mode now and then drops a name's first character (罗霞样例 read as 霞样例). Tesseract's noise filter
# now and then throws away a whole clean line of dense glyphs (徐演示 came back empty): the crops are already clean.
_HAN_SETTINGS = (
    "-c preserve_interword_spaces=1 -c textord_use_cjk_fp_model=1"
    " -c textord_noise_rejwords=0 -c textord_noise_rejrows=0"
)
# Sparse mode (psm 11): in the block modes, layout analysis drops whole lines of the sheet now and then.
CHINESE_CONFIG = f"--psm 11 {_HAN_SETTINGS}"
MARGIN = 10  # white border around a crop: Tesseract misses glyphs that touch the edge


# ---------------------------------------------------------------------------------------------------------------
# Card geometry, shared with the emblem side


@dataclass(frozen=True)
class CardFrame:
    """Where layout coordinates land in one image of the card: x = dx + scale * X, y = dy + scale * Y.

    Printers and card issues space the rows differently: `rows` holds (layout y of a row's middle, that row's own
    dy) for the rows whose place was seen, and a box takes the dy its first line's place gives (see dy_at)."""

    scale: float
    dx: float = 0.0
    dy: float = 0.0
    rows: tuple[tuple[float, float], ...] = ()

    @classmethod
    def nominal(cls, image: Image.Image) -> CardFrame:
        """The frame of an image cropped exactly to the card's edges."""
        return cls(image.width / LAYOUT_WIDTH)

    def dy_at(self, layout_y: float) -> float:
        """The vertical offset for something at layout y: its row's when rows were seen, between the rows seen
        above and below it in proportion, or the nearest row's."""
        if not self.rows:
            return self.dy
        above = [row for row in self.rows if row[0] <= layout_y]
        below = [row for row in self.rows if row[0] > layout_y]
        if above and below:
            (y_a, dy_a), (y_b, dy_b) = max(above), min(below)
            return dy_a + (dy_b - dy_a) * (layout_y - y_a) / (y_b - y_a)
        return min(self.rows, key=lambda row: abs(row[0] - layout_y))[1]

    def box(self, layout: LayoutBox, width: int, height: int) -> Box:
        """The pixel box of a layout box, clipped to an image of `width` × `height`."""
        left, top, right, bottom = layout
        dy = self.dy_at(min((top + bottom) / 2, top + 30))  # a box's row is its first line's
        # At least a pixel, inside the image, even for a box the frame puts off it (a tiny or odd image).
        x0 = min(max(0, round(self.dx + self.scale * left)), width - 1)
        y0 = min(max(0, round(dy + self.scale * top)), height - 1)
        x1 = max(x0 + 1, min(width, round(self.dx + self.scale * right)))
        y1 = max(y0 + 1, min(height, round(dy + self.scale * bottom)))
        return x0, y0, x1, y1


def blue_ink(image: Image.Image) -> Mask:
    """Pixels of the blue label ink: blue well above red and green. The security background stays pale and
    nearly grey (blue at most ~22 above red), the values are black, so nothing else on the card passes; the
    margins are low enough for labels a blurred, dimly lit, JPEG-compressed scan has greyed."""
    rgb = np.asarray(image, dtype=np.int16)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return (blue - red > 35) & (blue - green > 12)


def is_grey(image: Image.Image) -> bool:
    """True for a scan without colour (a greyscale scan or a photocopy), where blue labels cannot be seen: hardly
    a pixel with one channel well apart from another (the labels alone make about half a per cent)."""
    small = np.asarray(image.reduce(2), dtype=np.int16)
    spread = small.max(axis=2) - small.min(axis=2)
    return float((spread > 50).mean()) < 0.0005


def has_ink(image: Image.Image, box: Box) -> bool:
    """True when `box` of the image holds some dark print: a blank page need not be shown to Tesseract."""
    pixels = np.asarray(image.crop(box).convert("L"))
    return bool(pixels.size) and float((pixels < 110).mean()) > 0.01


def _bands(profile: NDArray[np.int64], least: int, gap: int) -> list[tuple[int, int]]:
    """Runs of rows whose count reaches `least`, with runs less than `gap` apart joined."""
    rows = np.flatnonzero(profile >= least)
    bands: list[tuple[int, int]] = []
    for row in rows.tolist():
        if bands and row - bands[-1][1] <= gap:
            bands[-1] = (bands[-1][0], row + 1)
        else:
            bands.append((row, row + 1))
    return bands


@dataclass(frozen=True)
class Labels:
    """Where one side of the card prints its blue labels, in layout coordinates."""

    rows: tuple[tuple[int, int, int], ...]  # top, bottom and right end of each row of labels down the left
    column: tuple[int, int]  # the x range those are looked for in
    least_rows: int  # how many of the rows must be found
    areas: tuple[LayoutBox, ...]  # every place of the side where blue label ink may be (with some margin)


def fit_label_rows(mask: Mask, labels: Labels) -> CardFrame | None:
    """The frame that puts the side's label rows on the blue bands found in `mask`; None when too few rows are
    there, or when blue ink lies where this side prints none (the other side, a passport page with blue
    captions). The crop may be a few per cent loose or tight: scale and offset are fitted, not assumed. A card
    issue whose rows no one line fits (rows closer together) is fitted row by row (_fit_rows_apart)."""
    width = mask.shape[1]
    scale0 = width / LAYOUT_WIDTH
    x0, x1 = int(labels.column[0] * scale0 * 0.8), min(width, int(labels.column[1] * scale0 * 1.1))
    strip = mask[:, x0:x1]
    bands = [
        (top, bottom)
        for top, bottom in _bands(strip.sum(axis=1), max(2, int(3 * scale0)), max(2, int(5 * scale0)))
        if 10 * scale0 <= bottom - top <= 40 * scale0
    ]
    if len(bands) < labels.least_rows:
        return None
    return _fit_one_line(mask, labels, bands, strip, x0) or _fit_rows_apart(mask, labels, bands, strip, x0)


def _fit_one_line(
    mask: Mask, labels: Labels, bands: Sequence[tuple[int, int]], strip: Mask, x0: int
) -> CardFrame | None:
    """fit_label_rows's frame whose label rows lie on one line: one scale and one dy for the whole card."""
    rows = labels.rows
    height, width = mask.shape
    scale0 = width / LAYOUT_WIDTH
    observed = [(top + bottom) / 2 for top, bottom in bands]
    expected = [(top + bottom) / 2 for top, bottom, _ in rows]
    tolerance = 9 * scale0
    best: list[tuple[float, float]] = []
    best_error, best_scale = 0.0, scale0
    # Every pairing of a band with a label row, at each scale a slack crop could give, proposes an offset; keep
    # the one most rows agree with, and of those the closest fit.
    for scale in np.linspace(0.88 * scale0, 1.12 * scale0, 25).tolist():
        for o in observed:
            for e in expected:
                offset = o - scale * e
                pairs, error = [], 0.0
                for e2 in expected:
                    want = offset + scale * e2
                    near = min(observed, key=lambda o2: abs(o2 - want))
                    if abs(near - want) <= tolerance:
                        pairs.append((e2, near))
                        error += abs(near - want)
                if len(pairs) > len(best) or (len(pairs) == len(best) and error < best_error):
                    best, best_error, best_scale = pairs, error, scale
    if len(best) < labels.least_rows:
        return None
    xs = np.array([e for e, _ in best])
    ys = np.array([o for _, o in best])
    if len(best) >= 2 and float(xs.max() - xs.min()) > 100:
        scale, dy = (float(v) for v in np.polyfit(xs, ys, 1))
    else:  # rows too close together to fit a line through: the scale of the best match will do
        scale, dy = best_scale, float((ys - best_scale * xs).mean())
    if not 0.85 * scale0 <= scale <= 1.15 * scale0:
        return None  # the bands fit the rows only at a size the card cannot have
    dx = _label_dx(strip, x0, labels, scale, [(e, dy) for e, _ in best])
    # No rows of their own: the bands lie within a few pixels of the fitted line, and what Tesseract makes of a
    # crop changes with a pixel's shift; the crops are tuned on this fit.
    frame = CardFrame(scale, dx, dy)
    # A card cropped to its edges puts the labels within a few per cent of where the layout has them.
    if abs(dx) > 0.08 * width or abs(dy) > 0.08 * height:
        return None
    return frame if _labels_in_place(mask, labels, frame) else None


def _label_dx(strip: Mask, x0: int, labels: Labels, scale: float, placed: Sequence[tuple[float, float]]) -> float:
    """The x offset where the labels' ink ends on the right says (their left ends may be cut off by a tight crop):
    `placed` holds each row found, by its layout middle, with the dy it lies at; 0 where no row shows ink."""
    offsets = []
    for middle, dy in placed:
        top, bottom, right = next(r for r in labels.rows if (r[0] + r[1]) / 2 == middle)
        columns = np.flatnonzero(strip[max(0, int(dy + scale * top)) : int(dy + scale * bottom) + 1].sum(axis=0) >= 2)
        if columns.size:
            offsets.append(x0 + float(columns[-1]) + 1 - scale * right)
    return float(np.median(offsets)) if offsets else 0.0


def _labels_in_place(mask: Mask, labels: Labels, frame: CardFrame) -> bool:
    """Whether the blue ink in `mask` lies where `frame` puts the side's labels (a fifth of it elsewhere at most)."""
    inside = np.zeros_like(mask)
    for area in labels.areas:
        x_0, y_0, x_1, y_1 = frame.box(area, mask.shape[1], mask.shape[0])
        inside[y_0:y_1, x_0:x_1] = True
    labelled, stray = int(mask[inside].sum()), int(mask[~inside].sum())
    return stray <= 0.2 * labelled


_ROW_SLACK = 40  # layout px a row of labels may lie off its place on another card issue (rows closer together)


def _fit_rows_apart(
    mask: Mask, labels: Labels, bands: Sequence[tuple[int, int]], strip: Mask, x0: int
) -> CardFrame | None:
    """The frame for a card cropped to its edges whose label rows are spaced unlike the layout's (a card issue
    printing its rows closer together, the number where it always is), so that no one line through them fits:
    the bands taken in order, one to each row of labels within _ROW_SLACK of its place at the card's width, each
    row with its own dy. None when fewer than least_rows rows are found so, or blue ink lies elsewhere.

    Only for a side of several rows: two rows always fit a line."""
    if len(labels.rows) < 4:
        return None
    width = mask.shape[1]
    scale = width / LAYOUT_WIDTH
    observed = [(top + bottom) / 2 for top, bottom in bands]
    pairs: list[tuple[float, float]] = []
    used = -1
    for top, bottom, _ in labels.rows:
        expected = (top + bottom) / 2
        near = [i for i, o in enumerate(observed) if i > used and abs(o - scale * expected) <= _ROW_SLACK * scale]
        if near:
            used = min(near, key=lambda i: abs(observed[i] - scale * expected))
            pairs.append((expected, observed[used]))
    if len(pairs) < labels.least_rows:
        return None
    rows = tuple((e, o - scale * e) for e, o in pairs)
    dx = _label_dx(strip, x0, labels, scale, rows)
    frame = CardFrame(scale, dx, float(np.median([dy for _, dy in rows])), rows)
    if abs(dx) > 0.08 * width:
        return None
    return frame if _labels_in_place(mask, labels, frame) else None


def value_ink(image: Image.Image, box: Box, factor: float) -> tuple[Image.Image, Callable[[Box], Box]]:
    """The black print in `box` of the card, the labels and the background gone: grey, dark on white, resized by
    `factor` and with a white margin; and the function mapping a box in it back to the card image.

    The blue channel already drops the blue labels to a light grey; dividing by the local background (the
    brightest nearby, smoothed) evens out the light, and a clip then whitens what is left of labels and guilloche
    lines."""
    crop = np.asarray(image.crop(box), dtype=np.float32)
    # JPEG keeps colour at half resolution, which bleeds the labels' blue into dark grey in the blue channel
    # alone: adding how much bluer than red a pixel is lifts those remains to white and leaves black ink as it is.
    blue = crop[..., 2]
    lifted = blue + np.maximum(blue - crop[..., 0], 0)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (25, 25))
    background = cv2.blur(cv2.dilate(blue, kernel), (25, 25))
    ratio = lifted / np.maximum(background, 1.0)
    ink = np.clip((ratio - 0.25) / 0.55, 0.0, 1.0) * 255
    gray = Image.fromarray(ink.astype(np.uint8))
    if factor != 1.0:
        gray = gray.resize(
            (max(1, round(gray.width * factor)), max(1, round(gray.height * factor))), Image.Resampling.LANCZOS
        )
    gray = ImageOps.expand(gray, MARGIN, fill=255)
    left, top = box[0], box[1]

    def to_card(found: Box) -> Box:
        return (
            round(left + (found[0] - MARGIN) / factor),
            round(top + (found[1] - MARGIN) / factor),
            round(left + (found[2] - MARGIN) / factor),
            round(top + (found[3] - MARGIN) / factor),
        )

    return gray, to_card


_SNAP = 30  # layout px a crop's top or bottom may move to take in a line of print it would cut through


def snapped(card: Image.Image, box: Box) -> Box:
    """`box` with its top and bottom moved out (by _SNAP at most) where they cut through a line of print: rows
    are spaced differently on other card issues, and a value cut in half is misread."""
    left, top, right, bottom = box
    reach = round(_SNAP * card.width / LAYOUT_WIDTH)
    y0, y1 = max(0, top - reach), min(card.height, bottom + reach)
    if right - left < 8 or y1 - y0 < 8:
        return box
    gray, _ = value_ink(card, (left, y0, right, y1), 1.0)
    ink = np.asarray(gray)[MARGIN:-MARGIN, MARGIN:-MARGIN] < 128
    printed = (ink.sum(axis=1) >= max(3, 0.01 * (right - left))).tolist()
    upper, lower = top - y0, bottom - y0
    if 0 < upper < len(printed) and printed[upper] and printed[upper - 1]:
        while upper > 0 and printed[upper - 1]:
            upper -= 1
    if 0 < lower < len(printed) and printed[lower - 1] and printed[lower]:
        while lower < len(printed) and printed[lower]:
            lower += 1
    return left, y0 + upper, right, y0 + lower


def hull(boxes: Sequence[Box]) -> Box:
    """The smallest box holding all of `boxes` (at least one)."""
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def union(boxes: Sequence[Box]) -> Box | None:
    """The smallest box holding all of `boxes`; None for none."""
    return hull(boxes) if boxes else None


def mean_confidence(words: Sequence[OcrWord]) -> float:
    """The mean word confidence, 0 for no words."""
    return sum(w.confidence for w in words) / len(words) if words else 0.0


def least_confidence(words: Sequence[OcrWord]) -> float:
    """The confidence of free text no check covers: its least sure word's, since one misread character makes the
    whole value wrong and a mean over the rest would hide it."""
    return min((w.confidence for w in words), default=0.0)


def checked_confidence(read: float, *, verified: bool = False, corrected: bool = False, failed: bool = False) -> float:
    """A field's confidence: what Tesseract gave its words, raised when a check confirmed the value, lowered when
    the value had to be corrected or a check failed."""
    if verified and not corrected:
        read = 0.5 + 0.5 * read
    if corrected:
        read *= 0.7
    if failed:
        read *= 0.5
    return round(min(1.0, max(0.0, read)), 3)


@dataclass(frozen=True)
class Anchor:
    """Something printed at a known place of one side's layout, to be found in the whole-card text pass:
    `pattern` matched against a line's characters; `x` the layout x of its left end (of its right end with
    `right`; None where that varies from card to card), `y` the layout y of its middle."""

    pattern: re.Pattern[str]
    x: float | None
    y: float
    right: bool = False
    width: float | None = None  # the layout width of what the pattern matches, where card issues keep it


def anchor(word: str, x: float | None, y: float, right: bool = False) -> Anchor:
    """An anchor for a printed word: read exactly, or (four characters or more) with any one character misread."""
    return Anchor(printed_word(word), x, y, right)


def anchored(lines: Sequence[Sequence[OcrWord]], want: Anchor) -> Box | None:
    """Where `want` was read in `lines` (the text pass's, one character a word): the box of its characters."""
    for line in lines:
        text = "".join(g.text for g in line)
        found = want.pattern.search(text)
        if found is not None and found.end() > found.start() and len(text) == len(line):
            return hull([g.box for g in line[found.start() : found.end()]])
    return None


_TEXT_ROW_SLACK = 45  # layout px: rows placed by text may lie further off the fitted line than blue bands may


def fit_text_anchors(
    lines: Sequence[Sequence[OcrWord]], anchors: Sequence[Anchor], size: tuple[int, int]
) -> CardFrame | None:
    """The frame the anchors found in `lines` (the whole-card text pass, one character a word, boxes in the card
    image's pixels) give; None when none was found, or where they were found puts the card off its own edges.

    Rows found far enough apart give the scale (the crop may hold some of the scanner's bed); one row, or rows
    close together, leave it the card's width. Each row found gives its own dy, the anchors with a fixed left end
    the dx."""
    # The card fills the image's width, or (a crop that holds some of the bed) at least its height.
    nominal = min(size[0] / LAYOUT_WIDTH, size[1] / LAYOUT_HEIGHT)
    seen = [(want, box) for want in anchors if (box := anchored(lines, want)) is not None]
    if not seen:
        return None
    rows: dict[float, list[float]] = {}
    for want, box in seen:
        rows.setdefault(want.y, []).append((box[1] + box[3]) / 2)
    layout_y = np.array(sorted(rows))
    image_y = np.array([float(np.median(rows[y])) for y in layout_y])
    scale, fitted = nominal, False
    # The median of the slopes between rows well apart (Theil and Sen): one row printed off the others' line
    # does not tilt it.
    slopes = [
        (image_y[j] - image_y[i]) / (layout_y[j] - layout_y[i])
        for i in range(len(layout_y))
        for j in range(i + 1, len(layout_y))
        if layout_y[j] - layout_y[i] >= 100
    ]
    if len(layout_y) >= 3 and slopes:
        slope = float(np.median(slopes))
        if 0.6 * nominal <= slope <= 1.3 * nominal:
            scale, fitted = slope, True
    # Too few rows for a slope: something of a known width (the citizen number) still gives the scale, where the
    # card is well smaller than the image (a scan of the bed that was not cut down to the card).
    widths = [(box[2] - box[0]) / want.width for want, box in seen if want.width]
    if not fitted and widths and 0.3 * nominal <= widths[0] <= 0.85 * nominal:
        scale, fitted = widths[0], True
    offsets = image_y - scale * layout_y
    dy = float(np.median(offsets))
    lefts = [box[2 if want.right else 0] - scale * want.x for want, box in seen if want.x is not None]
    dx = float(np.median(lefts)) if lefts else 0.0
    reach = 0.45 if fitted else 0.12
    if abs(dx) > reach * size[0] or abs(dy) > reach * size[1]:
        return None
    own = tuple(
        (float(y), float(offset))
        for y, offset in zip(layout_y, offsets, strict=True)
        if abs(offset - dy) <= _TEXT_ROW_SLACK * scale
    )
    return CardFrame(scale, dx, dy, own)


def turned_frames(image: Image.Image, fit: Callable[[Mask], CardFrame | None]) -> list[tuple[Image.Image, CardFrame]]:
    """The card as it is and turned 180°, each with the frame its labels give, upright first; only those where
    the labels were found."""
    mask = blue_ink(image)
    found = []
    upright = fit(mask)
    if upright is not None:
        found.append((image, upright))
    turned = fit(mask[::-1, ::-1])
    if turned is not None:
        found.append((image.rotate(180), turned))
    return found


@dataclass(frozen=True)
class Piece:
    """A value area of the layout, read at `factor` times 300 DPI; `key` names the field it holds."""

    key: str
    box: LayoutBox
    factor: float = 1.0
    lines: bool = False  # may hold several lines of print: each is laid on the sheet apart (see line_strips)


@dataclass(frozen=True)
class _Placed:
    key: str
    at: Box  # where the piece lies on the sheet
    to_card: Callable[[Box], Box]  # a box on the piece (sheet box less `at`'s corner) to card pixels


_SHEET_GAP = 16  # white between the sheet's pieces: more than a line gap, so no two pieces read as one line


def compose(card: Image.Image, frame: CardFrame, rows: Sequence[Sequence[Piece]]) -> tuple[Image.Image, list[_Placed]]:
    """The pieces cut from the card and cleaned (value_ink), laid out row by row on one white sheet, so that one
    Tesseract run reads them all, each where its words can be told apart by position."""
    cut: list[list[tuple[Piece, Image.Image, Callable[[Box], Box]]]] = []
    for pieces in rows:
        inked = [
            (piece, *value_ink(card, snapped(card, frame.box(piece.box, *card.size)), piece.factor / frame.scale))
            for piece in pieces
        ]
        if len(inked) == 1 and inked[0][0].lines:
            # A piece of several lines alone in its row: each of its lines a row of the sheet.
            piece, image, to_card = inked[0]
            cut += [[(piece, strip, strip_to_card)] for strip, strip_to_card in line_strips(image, to_card)]
        else:
            cut.append(inked)
    width = max(sum(image.width for _, image, _ in row) + _SHEET_GAP * (len(row) - 1) for row in cut)
    height = sum(max(image.height for _, image, _ in row) for row in cut) + _SHEET_GAP * (len(cut) - 1)
    sheet = Image.new("L", (width, height), 255)
    placed = []
    y = 0
    for row in cut:
        x = 0
        for piece, image, to_card in row:
            sheet.paste(image, (x, y))
            placed.append(_Placed(piece.key, (x, y, x + image.width, y + image.height), to_card))
            x += image.width + _SHEET_GAP
        y += max(image.height for _, image, _ in row) + _SHEET_GAP
    return sheet, placed


_STRIP_GAP = 2  # px of white rows, at least, that part two lines of a piece
_STRIP_LEAST = 0.45  # of the tallest line's height: a band of ink lower than this is a speck, not a line


def line_strips(image: Image.Image, to_card: Callable[[Box], Box]) -> list[tuple[Image.Image, Callable[[Box], Box]]]:
    """The lines of print of a cleaned piece (value_ink's, with its margin), each cut apart at the middle of the
    white between it and the next and given a white margin, with the function mapping a box on the strip back to
    the card; the piece as it is when it holds one line, or its lines cannot be told apart (print run together,
    a card turned enough that the lines' rows overlap).

    Tesseract finds the lines of a sheet itself, and on lines set close together (a card issue's address, 38 px
    apart at 28 px print) it now and then runs them into one, reading glyphs of both at once as garbage or
    putting the second line's first character before the first's: laid apart, each line is read as one."""
    ink = np.asarray(image) < 128
    profile = (ink.sum(axis=1) >= max(2, 0.004 * image.width)).tolist()
    bands: list[list[int]] = []
    for y, inked in enumerate(profile):
        if not inked:
            continue
        if bands and y - bands[-1][1] <= _STRIP_GAP:
            bands[-1][1] = y + 1
        else:
            bands.append([y, y + 1])
    tallest = max((bottom - top for top, bottom in bands), default=0)
    lines = [band for band in bands if band[1] - band[0] >= _STRIP_LEAST * tallest]
    if len(lines) < 2:
        return [(image, to_card)]
    cuts = [0, *((a[1] + b[0]) // 2 for a, b in itertools.pairwise(lines)), image.height]
    return [
        (
            ImageOps.expand(image.crop((0, top, image.width, bottom)), (0, MARGIN, 0, MARGIN), fill=255),
            _lowered(to_card, top - MARGIN),
        )
        for top, bottom in itertools.pairwise(cuts)
    ]


# Of a word's usual height: the middles of two rows' words lie further apart than this (two lines of an address 38
# px apart at 28 px print), those of one row's closer (a glyph boxed over two lines inflates the usual height).
_ROW_APART = 0.4


def _rows_of(run: list[OcrWord]) -> list[list[OcrWord]]:
    """A run of words Tesseract gave as one line, parted into the rows of print it holds: on a slanted card it now
    and then reads the start of one line, the whole next line and then the rest of the first as one (宁夏回族自 |
    华区岭白镇沙福村二组 | 治区安河县阳). Rows part where the words' middles lie more than _ROW_APART of a word's
    height apart, top to bottom."""
    if len(run) < 2:
        return [run]
    size = float(np.median([w.box[3] - w.box[1] for w in run]))
    middles = sorted({(w.box[1] + w.box[3]) / 2 for w in run})
    cuts = [(a + b) / 2 for a, b in itertools.pairwise(middles) if b - a > _ROW_APART * size]
    if not cuts:
        return [run]
    rows: list[list[OcrWord]] = [[] for _ in range(len(cuts) + 1)]
    for word in run:
        rows[bisect.bisect(cuts, (word.box[1] + word.box[3]) / 2)].append(word)
    return [row for row in rows if row]


def _lowered(to_card: Callable[[Box], Box], dy: int) -> Callable[[Box], Box]:
    """`to_card` for a box `dy` pixels lower down than the one it was made for."""
    return lambda found: to_card((found[0], found[1] + dy, found[2], found[3] + dy))


def _as_lines(chunks: list[list[OcrWord]]) -> list[list[OcrWord]]:
    """Runs of words (each in Tesseract's reading order) joined into text lines: a run joins the line whose run
    nearest it from left to right its height overlaps by half, left to right. Runs are placed by their whole
    extent, because one word's box can be wrong (a glyph boxed at half its height); and against their nearest
    neighbour, not the line's whole height, because on a slanted card a line's end lies as low as the next line's
    start."""
    rows = [row for chunk in chunks for row in _rows_of(chunk)]
    spans = sorted(((hull([w.box for w in chunk]), chunk) for chunk in rows if chunk), key=lambda c: c[0][1])
    lines: list[list[tuple[Box, list[OcrWord]]]] = []
    for box, chunk in spans:
        best: tuple[float, int] | None = None
        for index, members in enumerate(lines):
            near = min(members, key=lambda m: max(0, box[0] - m[0][2], m[0][0] - box[2]))[0]
            overlap = min(box[3], near[3]) - max(box[1], near[1])
            if overlap > 0.5 * min(box[3] - box[1], near[3] - near[1]) and (best is None or overlap > best[0]):
                best = (overlap, index)
        if best is None:
            lines.append([(box, chunk)])
        else:
            lines[best[1]].append((box, chunk))
    return [[w for _, chunk in sorted(members, key=lambda m: m[0][0]) for w in chunk] for members in lines]


def read_pieces(
    card: Image.Image,
    frame: CardFrame,
    rows: Sequence[Sequence[Piece]],
    *,
    lang: str | None = None,
    config: str = CHINESE_CONFIG,
    glyphs: bool = False,
) -> dict[str, list[list[OcrWord]]]:
    """Tesseract's reading of each piece, in one run: its lines, each a list of words (with `glyphs`, of single
    characters, each with its own confidence) with boxes in card pixels. `lang` None: the Han model to read with."""
    sheet, placed = compose(card, frame, rows)
    lang = lang or han_models()[0]
    lines = (read_glyph_lines if glyphs else read_lines)(sheet, lang=lang, config=config)
    chunks: dict[str, list[list[OcrWord]]] = {p.key: [] for p in placed}
    for line in lines:
        # Sparse mode (psm 11) may run one line across two pieces of a row: split it where the pieces meet.
        per_piece: dict[str, list[OcrWord]] = {}
        for word in line.glyphs if glyphs else line.words:
            x, y = (word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2
            piece = next((p for p in placed if p.at[0] <= x < p.at[2] and p.at[1] <= y < p.at[3]), None)
            if piece is None or not word.text.strip():
                continue
            # Clipped to the piece: a word run across the gap between two pieces of a row belongs to one of them.
            left, top, right, bottom = piece.at
            box = piece.to_card(
                (
                    max(word.box[0], left) - left,
                    max(word.box[1], top) - top,
                    min(word.box[2], right) - left,
                    min(word.box[3], bottom) - top,
                )
            )
            per_piece.setdefault(piece.key, []).append(OcrWord(word.text, word.confidence, box))
        for key, words in per_piece.items():
            chunks[key].append(words)
    return {key: _as_lines(runs) for key, runs in chunks.items()}


def words_of(lines: Sequence[Sequence[OcrWord]]) -> list[OcrWord]:
    """All the words of `lines`, in reading order."""
    return [w for line in lines for w in line]


def han_text(words: Sequence[OcrWord]) -> str:
    """The words as one string, spaces between Han characters dropped and other word breaks kept as one space."""
    return join_han(" ".join(w.text for w in words))


def spaced_text(glyphs: Sequence[OcrWord], gap: float) -> str:
    """Characters of one line joined, with a space wherever more than `gap` pixels lie between two of them (eng
    run on digits separated by removed labels reads them as one word)."""
    text = ""
    for i, glyph in enumerate(glyphs):
        if i and glyph.box[0] - glyphs[i - 1].box[2] > gap:
            text += " "
        text += glyph.text
    return text


# ---------------------------------------------------------------------------------------------------------------
# The portrait side


# Where the front prints its labels: the rows down the left (姓名 性别 出生 住址 公民身份号码: layout y of top and
# bottom, x of the right end), and every blue area, with 民族 and the 年 月 日 between the birth date's digits (where
# the digits' widths put them).
_FRONT_LABELS = Labels(
    rows=((79, 103, 122), (149, 173, 122), (219, 243, 122), (289, 313, 122), (539, 563, 206)),
    column=(40, 230),
    least_rows=4,
    # Each row from the left edge to the photo: where 民族 and the 年 月 日 stand varies with the values' widths and
    # from one card issue to another.
    areas=(
        (30, 62, 150, 120),
        (30, 132, 640, 190),
        (30, 202, 640, 260),
        (30, 272, 160, 330),
        (30, 520, 260, 582),
    ),
)
# The same labels, and the number, as the whole-card text pass finds them (classify.read_card_text): where the
# colours of the card do not show the labels, their words place the card.
_FRONT_ANCHORS = (
    anchor("姓名", 62, 91),
    anchor("性别", 62, 161),
    anchor("民族", None, 161),
    anchor("出生", 62, 231),
    anchor("住址", 62, 301),
    anchor("公民身份号码", 62, 551),
    Anchor(re.compile("[0-9]{15,}[0-9X]"), 318, 547),
    # The whole number, some 580 layout px wide (545 to 615 on the card issues seen): the scale when little else
    # was read.
    Anchor(re.compile("(?<![0-9])[0-9]{17}[0-9X](?![0-9X])"), 318, 547, width=580),
    # The values, which the text pass reads better than the small labels: the sex alone on its line, the birth
    # year, an ethnic group's name.
    Anchor(re.compile("^[男女]$"), 168, 160),
    Anchor(re.compile("^(19|20)[0-9]{2}(?![0-9])"), 168, 229),
    Anchor(re.compile(f"^({ETHNIC_GROUP_PATTERN})$"), None, 160),
)


FRONT_FIELDS = ("name", "sex", "ethnicity", "birth_date", "address", "id_number")


def _fit_front(mask: Mask) -> CardFrame | None:
    return fit_label_rows(mask, _FRONT_LABELS)


_ETHNICITY_BOX: LayoutBox = (390, 135, 640, 185)
# The free-text values left of the photo, each a row of the sheet chi_sim reads. The name (38 px) is brought a
# little below the size of the others (30 px), and the address a little below theirs, where the models misread
# fewest glyphs (development split, 300 fronts: names read at 0.7 right 268 times, at 0.6, 0.8 and 1.0 fewer).
_TEXT_ROWS: tuple[tuple[Piece, ...], ...] = (
    (Piece("name", (150, 55, 640, 115), 0.7),),
    (Piece("ethnicity_free", _ETHNICITY_BOX),),
    (Piece("birth_date", (150, 205, 640, 255)),),
    (Piece("address", (150, 275, 640, 410), 0.85, lines=True),),
)
# Sex and ethnicity come from closed lists: read on their own, one line, with chi_sim held to the characters of
# those lists, which keeps it from reading a rare group's character as a common word's. Held so, it drops the
# second character of some groups (朝鲜 comes out 朝) that it reads unheld: the ethnicity is read both ways.
_CLOSED_ROWS: tuple[tuple[Piece, ...], ...] = (
    (Piece("sex", (150, 135, 270, 185)), Piece("ethnicity", _ETHNICITY_BOX)),
)
_CLOSED_LIST_CONFIG = f"--psm 7 {_HAN_SETTINGS} -c tessedit_char_whitelist=" + "".join(
    sorted(set("".join(ETHNIC_GROUPS + SEXES)))
)
# The digits: the number line, and the birth line a second time (chi_sim and eng misread different digits, and
# which reading agrees with the number settles it). Both in one eng run; digits of both near 22 px tall, which the
# eng model reads best.
_NUMBER_LINE: LayoutBox = (290, 512, 1000, 590)  # the number starts right of its label, at layout x 318
_DIGIT_CONFIG = "--psm 6 -c tessedit_char_whitelist=0123456789X -c load_system_dawg=F -c load_freq_dawg=F"
_DIGIT_GROUP_GAP = 12  # layout px: more than between two digits, less than a removed 年/月 label leaves


# A second look at the number alone, smaller, when the first reading fails its check: the two sizes misread
# different glyphs (an OCR-B 5 read as 39 at one is a 5 at the other).
_NUMBER_CONFIG = "--psm 7 -c tessedit_char_whitelist=0123456789X -c load_system_dawg=F -c load_freq_dawg=F"
# Where the number may start: right of its label, whose ink ends at layout x 206 on the cards the labels place.
_NUMBER_SEARCH_LEFT = 212
_NUMBER_PAD = 12  # layout px of white kept left of the number's first digit
_NUMBER_GAP = 22  # layout px: wider than between two digits, narrower than between the label and the number


def number_line(card: Image.Image, frame: CardFrame) -> LayoutBox:
    """The number line's layout box, its left end where the number's ink starts: other card issues and printers
    set the number anywhere right of its label (from about a quarter of the card's width to well past a third),
    and a crop at a fixed x cuts off its first digits. The ink right of the label is cut into runs at gaps wider
    than between two digits; the widest run is the number (on a scan without colour, the label's black ink is
    the other run)."""
    left, top, right, bottom = _NUMBER_LINE
    search = frame.box((_NUMBER_SEARCH_LEFT, top, right, bottom), *card.size)
    if search[2] - search[0] < 8 or search[3] - search[1] < 8:
        return _NUMBER_LINE
    gray, _ = value_ink(card, search, 1.0)
    ink = np.asarray(gray)[MARGIN:-MARGIN, MARGIN:-MARGIN] < 128
    columns = np.flatnonzero(ink.sum(axis=0) >= 2).tolist()
    if not columns:
        return _NUMBER_LINE
    gap = _NUMBER_GAP * frame.scale
    runs: list[list[int]] = [[columns[0], columns[0]]]
    for x in columns[1:]:
        if x - runs[-1][1] > gap:
            runs.append([x, x])
        else:
            runs[-1][1] = x
    start, end = max(runs, key=lambda run: run[1] - run[0])
    if end - start < 0.3 * 580 * frame.scale:
        return _NUMBER_LINE  # no run as long as a number: keep the layout's place
    found = (search[0] + start - frame.dx) / frame.scale - _NUMBER_PAD
    # Only ever further left than the layout's box: right of it, the layout's box already holds the whole number.
    return (max(_NUMBER_SEARCH_LEFT - 6, min(left, round(found))), top, right, bottom)


def _read_digits(card: Image.Image, frame: CardFrame) -> dict[str, list[list[OcrWord]]]:
    rows = (
        (Piece("birth_digits", (150, 205, 640, 255)),),
        (Piece("id_number", number_line(card, frame), 0.8),),
    )
    return read_pieces(card, frame, rows, lang="eng", config=_DIGIT_CONFIG, glyphs=True)


def _number_text(lines: Sequence[Sequence[OcrWord]]) -> str:
    return "".join(g.text for g in words_of(lines))


def _second_look(card: Image.Image, frame: CardFrame) -> dict[str, list[list[OcrWord]]]:
    """The number read again, when that reading's check character holds; nothing otherwise."""
    rows = ((Piece("id_number", number_line(card, frame), 0.65),),)
    again = read_pieces(card, frame, rows, lang="eng", config=_NUMBER_CONFIG, glyphs=True)
    return again if has_gb11643_checksum(_number_text(again["id_number"])) else {}


def _number_facts(number: str) -> tuple[date | None, str]:
    """The birth date and sex (男/女) a number holds, whatever its region."""
    try:
        birth: date | None = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    return birth, "男" if int(number[16]) % 2 else "女"


def _id_number(
    glyphs: Sequence[OcrWord], births: Sequence[date], sex: str | None, warnings: list[str]
) -> tuple[FieldResult | None, int | None]:
    """The citizen number field, checked and repaired when one character was misread, with its warnings; and the
    position repaired, if one was."""
    if not glyphs:
        return None, None
    text = "".join(g.text for g in glyphs)
    reading = repair_resident_id(text, [g.confidence for g in glyphs], birth_dates=births, sex=sex)
    box = union([g.box for g in glyphs])
    confidence = mean_confidence(glyphs)
    if reading is None:
        warnings.append("id_number_checksum_failed" if len(text) == 18 else "id_number_wrong_length")
        return FieldResult(text, checked_confidence(confidence, failed=True), False, box), None
    corrected = reading.corrected_at is not None
    if corrected:
        warnings.append("id_number_corrected_by_checksum")
    try:
        parse_resident_id(reading.value)
    except IdNumberError as error:
        warnings.append("unknown_region_code" if error.code == "region" else f"id_number_{error.code}")
    # Verified only as read: a repaired number passes its check because it was made to.
    field = FieldResult(
        reading.value, checked_confidence(confidence, verified=not corrected, corrected=corrected), not corrected, box
    )
    return field, reading.corrected_at


def _cross_checked(
    name: str,
    value: str,
    words: Sequence[OcrWord],
    from_number: str | None,
    matched: Matched | None,
    warnings: list[str],
) -> FieldResult:
    """A field the citizen number also states (birth date, sex): verified when the two agree, a warning when
    they do not."""
    agrees = from_number is not None and value == from_number
    disagrees = from_number is not None and not agrees
    if disagrees:
        warnings.append(f"{name}_disagrees_with_id_number")
    corrected = matched is not None and not matched.exact
    return FieldResult(
        value,
        checked_confidence(mean_confidence(words), verified=agrees, corrected=corrected, failed=disagrees),
        agrees,
        union([w.box for w in words]),
    )


def _from_number(printed: FieldResult | None, value: str) -> FieldResult:
    """A birth date or sex as the number (read with a sound check character) states it, where the printed field
    was not read or was read otherwise: at "to check", in the printed field's box when it was read."""
    return FieldResult(value, DOUBTFUL, False, printed.box if printed is not None else None)


def _ethnicity(held: list[OcrWord], free: list[OcrWord], model: str | None = None) -> FieldResult | None:
    """The ethnic group from its two readings (the Han model `model` held to the list's characters, and free): an
    exact one wins, the likelier if both are; else a near match the other reading does not contradict."""
    readings = [(match_ethnicity(han_text(words), model), words) for words in (held, free)]
    found = [(m, words) for m, words in readings if m is not None]
    exact = [(m, words) for m, words in found if m.exact]
    if exact:
        matched, words = max(exact, key=lambda f: mean_confidence(f[1]))
    elif len({m.value for m, _ in found}) == 1:
        matched, words = found[0]
    else:
        return None  # neither reading near one group, or the two near different ones
    confidence = checked_confidence(mean_confidence(words), corrected=not matched.exact)
    return FieldResult(matched.value, confidence, False, union([w.box for w in words]))


_KEEP = {"name": "\u4e00-\u9fff·", "address": "\u4e00-\u9fff0-9A-Za-z()（）·-"}  # what each free-text value holds
# Shown as "read clearly" from here up (services.scan_fill.LOW_CONFIDENCE, which this layer cannot import).
READ_CLEARLY = 0.8
# A free text read less surely than this, or with a doubt, is read a second time: a misread character now and then
# comes with 0.8-0.9, and a second reading that disagrees is what shows it.
_SURE_ENOUGH = 0.9


@dataclass(frozen=True)
class _FreeText:
    """A free-text value (name, address) as read and checked, with what speaks against it."""

    field: FieldResult | None
    warnings: tuple[str, ...]

    @property
    def sure(self) -> bool:
        """Read, nothing against it, and surely: no second look needed."""
        return self.field is not None and not self.warnings and self.field.confidence >= _SURE_ENOUGH

    def rank(self) -> tuple[bool, float]:
        """Which of two readings is the better: one without doubts (a look-alike put right or a character read
        on its own is none: the value then has its shape), then the surer."""
        doubts = [w for w in self.warnings if not w.endswith(("_corrected", "_character_recovered"))]
        return (not doubts, self.field.confidence if self.field else -1.0)


def _free_text(card: Image.Image, frame: CardFrame, piece: Piece, lines: Sequence[Sequence[OcrWord]]) -> _FreeText:
    """A free-text field: all its lines joined with no spaces, only the characters it may hold; held to its
    shape (the address) and to the print (nothing the words do not cover)."""
    name = piece.key
    recovered = _recovered(card, frame, piece, lines)
    if recovered is not None:
        lines = recovered
    words = words_of(lines)
    joined = "".join(han_text(line) for line in lines).translate(_DOTS)
    if name == "name":
        joined = name_dots(joined)
    value = re.sub(f"[^{_KEEP[name]}]", "", joined)
    if name == "address":
        value = value.strip("-")  # a hyphen joins two numbers (3-2-501): at an end it is a speck read as one
    if name == "name":
        value = _with_middle_dot(value.strip("·"), card, frame, piece.box, words)
    if not value:
        return _FreeText(None, ())
    found = FieldResult(value, checked_confidence(least_confidence(words)), False, union([w.box for w in words]))
    doubts: list[str] = []
    corrected = False
    if name == "address":
        shape = check_address(value)
        doubts += shape.doubts
        corrected = shape.corrected
        found = replace(found, value=shape.value)
    if name == "name":
        doubts += check_name(value)
    if uncovered_ink(card, frame, piece.box, words, lines=piece.lines) or ink_past_right_edge(
        card, frame, piece.box, words
    ):
        doubts.append(f"{name}_may_be_incomplete")
    if recovered is not None:
        # A character read on its own, where the first reading left it out: likelier right than the value
        # without it, but one reading only, so shown for checking.
        corrected = True
        doubts.append(f"{name}_character_recovered")
    return _FreeText(doubtful(found, bool(doubts), corrected), (*doubts, *([f"{name}_corrected"] if corrected else [])))


_ONE_LINE_CONFIG = f"--psm 7 {_HAN_SETTINGS}"


def _recovered(
    card: Image.Image, frame: CardFrame, piece: Piece, lines: Sequence[Sequence[OcrWord]]
) -> list[list[OcrWord]] | None:
    """`lines` with the print none of their words covers read on its own and put in its place (a Tesseract run
    for each such place, two at most): Tesseract leaves out a character standing alone, most often an address's
    last (村, 号 on a line of its own); None when nothing was left out, or reading it alone found nothing either."""
    words = words_of(lines)
    missed = uncovered_boxes(card, frame, piece.box, words, lines=piece.lines)
    if not missed or len(missed) > 2:
        return None  # more than a character or two left out: the reading itself is unsound, not to be patched
    size = float(np.median([w.box[3] - w.box[1] for w in words]))
    pad = round(0.35 * size)
    found: list[OcrWord] = []
    for left, top, right, bottom in missed:
        # White above and below as a third of the print's own height: the words' boxes, some twice a glyph's
        # height, would take in the line above a line left out whole.
        rise = min(pad, round(0.35 * (bottom - top)))
        box = (max(0, left - pad), max(0, top - rise), min(card.width, right + pad), min(card.height, bottom + rise))
        gray, to_card = value_ink(card, box, piece.factor / frame.scale)
        read = [w for line in read_lines(gray, lang=han_models()[0], config=_ONE_LINE_CONFIG) for w in line.words]
        text = re.sub(f"[^{_KEEP[piece.key]}]", "", "".join(w.text for w in read))
        if text:
            found.append(OcrWord(text, min(w.confidence for w in read), to_card(hull([w.box for w in read]))))
    if not found:
        return None
    return with_recovered(lines, found)


def with_recovered(lines: Sequence[Sequence[OcrWord]], found: Sequence[OcrWord]) -> list[list[OcrWord]]:
    """`lines` with each word of `found` put on the line whose height holds its middle, in its place from the left,
    or on a line of its own. A line's height is its words' usual one: Tesseract now and then boxes a glyph over two
    lines (an address's 岭 from its own top to the next line's bottom), which put the next line's 村 first."""
    out = [list(line) for line in lines if line]
    for word in found:
        middle = (word.box[1] + word.box[3]) / 2
        line = next((ln for ln in out if _spans(_usual_extent(ln), middle)), None)
        if line is None:
            out.append([word])
        else:
            line.append(word)
            line.sort(key=lambda w: w.box[0])
    out.sort(key=lambda ln: _usual_extent(ln)[1])
    return out


def _spans(box: Box, y: float) -> bool:
    return box[1] <= y <= box[3]


def _usual_extent(line: Sequence[OcrWord]) -> Box:
    """The line's box from its first word's left to its last's right, and from its words' median top to their
    median bottom."""
    return (
        min(w.box[0] for w in line),
        round(float(np.median([w.box[1] for w in line]))),
        max(w.box[2] for w in line),
        round(float(np.median([w.box[3] for w in line]))),
    )


# What chi_sim reads for the middle dot between the parts of a transcribed name (阿依古丽·买买提).
_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", ".": "·", "。": "·"})
# Any mark of one or two characters that is neither a letter nor a digit: 「, *, ' and the like are read there too.
_TICK_BETWEEN_HAN = re.compile("(?<=[\u4e00-\u9fff])\\s*[^\u4e00-\u9fff\\w\\s]{1,2}\\s*(?=[\u4e00-\u9fff])")


def name_dots(text: str) -> str:
    """A name as read with a tick, comma, colon, bracket or star between two characters taken for the middle dot:
    chi_sim reads the dot so when it sits a little high or low (热穆逊.帕克:坎阿, 力别「西仁西). A name holds no
    punctuation of its own."""
    return _TICK_BETWEEN_HAN.sub("·", text)


# The room a middle dot takes between two characters read as words of their own, in character heights: the dot is
# set in a cell of its own (a third to a whole character wide), two characters of a name in about a tenth.
_DOT_GAP = 0.3


# The most a middle dot measures across, in character heights: the blob found on the row, or a word boxed round it.
_DOT_LARGEST = 0.35


def _dot_sized(box: Box, size: float) -> bool:
    return max(box[2] - box[0], box[3] - box[1]) <= _DOT_LARGEST * size


def _gap_at(ordered: Sequence[OcrWord], x: float) -> float:
    """The space between the last word ending left of `x` and the first starting right of it (inf at an end)."""
    left = max((w.box[2] for w in ordered if w.box[2] <= x), default=None)
    right = min((w.box[0] for w in ordered if w.box[0] >= x), default=None)
    return math.inf if left is None or right is None else float(right - left)


def _with_middle_dot(
    value: str, card: Image.Image, frame: CardFrame, layout: LayoutBox, words: Sequence[OcrWord]
) -> str:
    """The name with the middle dots put back where the print has one that Tesseract left out: a small round
    blob of ink, at half the characters' height, in a gap between two characters read. A name of three parts
    has two dots, and Tesseract may keep one and drop the other."""
    han = value.replace("·", "")
    if len(words) < 2 or not re.fullmatch("[\u4e00-\u9fff]+", han):
        return value
    # The dots read, by the number of characters before each.
    dots = {len(part) for part in itertools.accumulate(value.split("·")[:-1], lambda a, b: a + b)}
    box = frame.box(layout, *card.size)
    gray, _ = value_ink(card, box, 1.0)
    ink = (np.asarray(gray) < 110)[MARGIN:-MARGIN, MARGIN:-MARGIN].astype(np.uint8)
    size = float(np.median([w.box[3] - w.box[1] for w in words]))
    middle = float(np.median([(w.box[1] + w.box[3]) / 2 for w in words])) - box[1]
    ordered = sorted(words, key=lambda w: w.box[0])
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    line = slice(max(0, round(middle - 0.6 * size)), round(middle + 0.6 * size))
    for i in range(1, count):
        left, width, height = stats[i, cv2.CC_STAT_LEFT], stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT]
        x, y = centroids[i][0] + box[0], centroids[i][1]
        round_dot = 0.1 * size <= min(width, height) and max(width, height) <= _DOT_LARGEST * size
        if not round_dot or stats[i, cv2.CC_STAT_AREA] < 0.5 * width * height or abs(y - middle) > 0.2 * size:
            continue
        # Alone in its columns, with clear space either side: a dot, not part of a character.
        pad = max(1, round(0.1 * size))
        columns = labels[line, max(0, left - pad) : left + width + pad]
        if np.any((columns != 0) & (columns != i)):
            continue
        if any(word.box[0] < x < word.box[2] and re.search("[^\u4e00-\u9fff]", word.text) for word in words):
            continue  # within a word that holds the dot read (帕克: or .帕克): no dot left out there
        if any(word.box[0] <= x <= word.box[2] and _dot_sized(word.box, size) for word in words):
            # Tesseract took the blob for a word of its own: the text holds it, though its characters may be paired
            # with their neighbours' boxes (达 given the dot's box, "." the next character's).
            continue
        at = 0
        within = False
        for word in ordered:
            chars = len(re.sub("[^\u4e00-\u9fff]", "", word.text))
            if word.box[2] <= x:
                at += chars
            elif word.box[0] < x:  # within a word of several characters, whose box holds the dot's gap too
                within = True
                gap = 0.6 * size
                pitch = max(1.0, (word.box[2] - word.box[0] - gap) / max(1, chars))
                at += min(chars, max(0, round((x - word.box[0] - gap / 2) / pitch)))
        if not within and _gap_at(ordered, x) < _DOT_GAP * size:
            continue  # between two characters set as close as any two: a speck of one of them, not a dot's room
        # Transcribed names: two characters or more either side, and the dots read stand.
        if 2 <= at <= len(han) - 2 and all(abs(at - dot) >= 2 for dot in dots):
            dots.add(at)
    if any(b - a < 2 for a, b in itertools.pairwise(sorted(dots))):
        return value  # parts of one character: not a name's shape, so not dots put in here
    return "·".join(han[a:b] for a, b in itertools.pairwise([0, *sorted(dots), len(han)]))


def _front_fields(
    rows: dict[str, list[list[OcrWord]]], frame: CardFrame, free: dict[str, _FreeText]
) -> tuple[dict[str, FieldResult], list[str]]:
    fields: dict[str, FieldResult] = {}
    warnings: list[str] = []
    for name, reading in free.items():
        if reading.field is not None:
            fields[name] = reading.field
        warnings.extend(reading.warnings)

    sex_words = words_of(rows["sex"])
    sex = match_sex(han_text(sex_words))
    ethnicity = _ethnicity(words_of(rows["ethnicity"]), words_of(rows["ethnicity_free"]))
    if ethnicity is not None:
        fields["ethnicity"] = ethnicity

    # The birth line as chi_sim and as eng read it, each with the words it came from.
    births: list[tuple[date, list[OcrWord]]] = []
    read_dates = []
    for key, text_of in (("birth_date", han_text), ("birth_digits", None)):
        words = words_of(rows[key])
        text = han_text(words) if text_of else spaced_text(words, _DIGIT_GROUP_GAP * frame.scale)
        found = parse_birth_line(text)
        read_dates.append(found)
        if found is not None and found not in (b for b, _ in births):
            births.append((found, words))
    both_agree = read_dates[0] is not None and read_dates[0] == read_dates[1]

    number_field, repaired_at = _id_number(
        words_of(rows["id_number"]), [b for b, _ in births], sex.value if sex else None, warnings
    )
    birth_in_number, sex_in_number = None, None
    if number_field is not None:
        fields["id_number"] = number_field
        if number_field.verified or repaired_at is not None:
            in_number, sex_in_number = _number_facts(number_field.value)
            birth_in_number = in_number.isoformat() if in_number else None
    # A repair made to agree with the printed birth date (or sex) cannot then confirm it.
    if repaired_at is not None and 6 <= repaired_at <= 13:
        birth_in_number = None
    if repaired_at == 16:
        sex_in_number = None

    # The number as read passed its check: it states the birth date and sex better than the small print of the
    # birth line and a lone 男 or 女 (which chi_sim misreads, or leaves out), so it stands in for them where they
    # were not read, or (the date) read two ways and neither its: shown for checking, never as confirmed.
    number_sound = number_field is not None and number_field.verified
    if births:
        # The reading that agrees with the number, if one does: the other misread a digit.
        birth, birth_words = next(((b, w) for b, w in births if b.isoformat() == birth_in_number), births[0])
        fields["birth_date"] = _cross_checked(
            "birth_date", birth.isoformat(), birth_words, birth_in_number, None, warnings
        )
        if birth_in_number is None and not both_agree:
            # Nothing confirms it, and chi_sim and eng did not read the same date: to check.
            fields["birth_date"] = doubtful(fields["birth_date"], True, False)
        elif number_sound and birth_in_number is not None and birth.isoformat() != birth_in_number and not both_agree:
            # chi_sim and eng read the small print differently, and neither as the number has it: a misread
            # digit. (Where both read the same other date, that is what the card prints: kept, and flagged.)
            fields["birth_date"] = _from_number(fields["birth_date"], birth_in_number)
    elif number_sound and birth_in_number is not None:
        fields["birth_date"] = _from_number(None, birth_in_number)
        warnings.append("birth_date_from_id_number")
    if sex is not None:
        fields["sex"] = _cross_checked("sex", sex.value, sex_words, sex_in_number, sex, warnings)
    elif number_sound and sex_in_number is not None:
        fields["sex"] = _from_number(None, sex_in_number)
        warnings.append("sex_from_id_number")
    address = fields.get("address")
    if address is not None and number_sound and number_field is not None:
        province = with_numbers_province(address.value, number_field.value)
        if province is not None:
            fields["address"] = doubtful(replace(address, value=province), False, True)
            warnings.append("address_province_from_id_number")
    if number_field is not None and any(w.endswith("_disagrees_with_id_number") for w in warnings):
        # The printed fields and the number disagree: either may be wrong, so the number loses confidence too.
        fields["id_number"] = replace(number_field, confidence=checked_confidence(number_field.confidence, failed=True))
    warnings.extend(f"{name}_not_read" for name in FRONT_FIELDS if name not in fields)
    return fields, warnings


def _ethnicity_rows(
    card: Image.Image, frame: CardFrame, text: Sequence[Sequence[OcrWord]] | None
) -> tuple[tuple[tuple[Piece, ...], ...], tuple[tuple[Piece, ...], ...]]:
    """_TEXT_ROWS and _CLOSED_ROWS with the ethnicity's box starting where the 民族 label ends on this card, when
    that is far from where the layout has it (the label is placed after the sex's value, and printers differ)."""
    end = _label_end(card, frame, text)
    # Where the label's end was seen, the value's box starts just after it, nearer or further than the layout's
    # (a box starting a few pixels late cuts off a group printed close to its label). An end left of the sex's
    # value, or leaving no room for a group's name before the photo, is not the label's.
    if end is None or not 230 <= end <= 540:
        return _TEXT_ROWS, _CLOSED_ROWS
    box = (end + 6, *_ETHNICITY_BOX[1:])

    def moved(rows: tuple[tuple[Piece, ...], ...]) -> tuple[tuple[Piece, ...], ...]:
        return tuple(
            tuple(replace(p, box=box) if p.key in ("ethnicity", "ethnicity_free") else p for p in row) for row in rows
        )

    return moved(_TEXT_ROWS), moved(_CLOSED_ROWS)


def _label_end(card: Image.Image, frame: CardFrame, text: Sequence[Sequence[OcrWord]] | None) -> float | None:
    """Where the 民族 label ends, in layout x: by its blue ink, or (where no blue label is seen) by its words in
    the text pass. The ink first: the text pass's glyph boxes of that row are often wrong (a label glyph boxed
    across the value), and a box started late cuts a group printed close to its label."""
    by_ink = _label_end_by_ink(card, frame)
    if by_ink is None:
        start = _value_start_by_ink(card, frame)
        by_ink = None if start is None else start - 20
    if by_ink is not None or text is None:
        return by_ink
    for line in text:
        chars = "".join(g.text for g in line)
        at = chars.find("民族")
        if at >= 0 and len(chars) == len(line):
            return (line[at + 1].box[2] - frame.dx) / frame.scale
    group = _group_in_text(text)
    return None if group is None else (group.box[0] - frame.dx) / frame.scale - 16


def _label_end_by_ink(card: Image.Image, frame: CardFrame) -> float | None:
    """Where the 民族 label's blue ink ends, in layout x; None where no blue label is seen in that row."""
    left, top, right, bottom = frame.box((230, 135, 640, 187), *card.size)
    columns = np.flatnonzero(blue_ink(card.crop((left, top, right, bottom))).sum(axis=0) >= 2).tolist()
    # The label is the first stretch of blue two characters wide (its characters a few pixels apart); a speck of
    # blue elsewhere is not it.
    runs: list[list[int]] = []
    for x in columns:
        if runs and x - runs[-1][1] <= 14 * frame.scale:
            runs[-1][1] = x
        else:
            runs.append([x, x])
    # Two characters, not more: a longer stretch is blue security print along the row, not the label.
    label = next((run for run in runs if 30 * frame.scale <= run[1] - run[0] <= 110 * frame.scale), None)
    return None if label is None else (left + label[1] + 1 - frame.dx) / frame.scale


def _value_start_by_ink(card: Image.Image, frame: CardFrame) -> float | None:
    """Where the ethnic group's black print starts, in layout x: the last stretch of value ink in its row, set
    apart from what stands before it (the sex, a label not printed in blue) by more than a character's gap; None
    where that row shows no such stretch. For a label too pale to be told blue (a faded or washed-out scan)."""
    left, top, right, bottom = frame.box((230, 135, 640, 187), *card.size)
    if right - left < 8 or bottom - top < 8:
        return None
    gray, _ = value_ink(card, (left, top, right, bottom), 1.0)
    ink = np.asarray(gray)[MARGIN:-MARGIN, MARGIN:-MARGIN] < 110
    columns = np.flatnonzero(ink.sum(axis=0) >= 2).tolist()
    runs: list[list[int]] = []
    for x in columns:
        if runs and x - runs[-1][1] <= 16 * frame.scale:
            runs[-1][1] = x
        else:
            runs.append([x, x])
    # A character is some 30 layout px wide: a narrower stretch is a speck, not a group's name.
    wide = [run for run in runs if run[1] - run[0] >= 18 * frame.scale]
    return None if not wide else (left + wide[-1][0] - frame.dx) / frame.scale


# The surname's glyph alone, held to the common surnames' characters (han_surnames), at the size chi_sim reads Han
# glyphs best.
_SURNAME_CONFIG = f"--psm 10 {_HAN_SETTINGS} -c tessedit_char_whitelist=" + "".join(sorted(SINGLE_SURNAMES))
_SURNAME_GLYPH_PX = 48
_SURNAME_LEAST_CONFIDENCE = 0.5  # a glyph held to the list and read less surely is no surname of it


def _surname_read_again(card: Image.Image, name: _FreeText) -> _FreeText:
    """The name with its first character read again alone, held to the common surnames, where it is none of them
    (卢 read as 卜, 吕 as 目, 王 as 土: development split, a third of the names misread); the surname so read is
    offered for checking, never as read clearly. Left as it is where the glyph held to the list is read unsurely
    (a rare surname, or a first character lost, the glyph there a given name's)."""
    found = name.field
    if found is None or found.box is None or "·" in found.value or len(found.value) < 2:
        return name
    if starts_with_surname(found.value):
        return name
    left, top, right, bottom = found.box
    # A glyph's size: the value's width a character (a word's box may be taller than its glyphs).
    size = min(bottom - top, (right - left) / len(found.value))
    if size < 8:
        return name
    pad = round(0.2 * size)
    box = (
        max(0, round(left - pad)),
        max(0, top - pad),
        min(card.width, round(left + size + pad / 2)),
        min(card.height, bottom + pad),
    )
    gray, _ = value_ink(card, box, _SURNAME_GLYPH_PX / size)
    # Each Han model held to the list: taken where both read the same surname, or the first reads one surely (a
    # glyph the unheld model reads as no surname comes out with confidence 0 however plain it is, so one model's
    # word alone is not enough).
    readings = []
    for lang in (model for model in han_models() if model is not None):
        read = [w for line in read_lines(gray, lang=lang, config=_SURNAME_CONFIG) for w in line.words]
        readings.append(("".join(w.text for w in read).strip(), min((w.confidence for w in read), default=0.0)))
    text, confidence = readings[0]
    agreed = len(readings) > 1 and readings[1][0] == text
    if len(text) != 1 or text not in SINGLE_SURNAMES or not (agreed or confidence >= _SURNAME_LEAST_CONFIDENCE):
        return name
    again = doubtful(replace(found, value=text + found.value[1:]), False, True)
    return _FreeText(again, (*name.warnings, "name_surname_read_again"))


def _held_to_text_pass(name: _FreeText, text: Sequence[Sequence[OcrWord]]) -> _FreeText:
    """The name, doubted when the whole-card pass read a line holding it and a character or two more: the close
    reading lost a character at an end (the crop cut it off, or Tesseract dropped it)."""
    if name.field is None or name.warnings:
        return name
    value = name.field.value
    for line in text:
        chars = re.sub(r"[^\u4e00-\u9fff·]", "", "".join(g.text for g in line))
        if value in chars and 0 < len(chars) - len(value) <= 2 and not re.match("姓?名", chars):
            return _FreeText(doubtful(name.field, True, False), ("name_may_be_incomplete",))
    return name


def _group_in_text(text: Sequence[Sequence[OcrWord]]) -> OcrWord | None:
    """An ethnic group's name standing alone on a line of the whole-card text pass, as one word (box and mean
    confidence of its characters)."""
    for line in text:
        chars = "".join(g.text for g in line)
        if chars in ETHNIC_GROUPS and len(chars) == len(line):
            return OcrWord(chars, mean_confidence(line), hull([g.box for g in line]))
    return None


def _read_front(
    card: Image.Image, frame: CardFrame, words: Sequence[Sequence[OcrWord]] | None = None
) -> DocumentResult:
    text_rows, closed_rows = _ethnicity_rows(card, frame, words)
    # Three Tesseract runs on two threads (one per core): the long chi_sim one on one, the two short ones in turn
    # on the other.
    with ThreadPoolExecutor(max_workers=2) as pool:
        text = pool.submit(read_pieces, card, frame, text_rows)
        digits = pool.submit(_read_digits, card, frame)
        closed = pool.submit(read_pieces, card, frame, closed_rows, config=_CLOSED_LIST_CONFIG)
        rows = text.result() | digits.result() | closed.result()
    if not has_gb11643_checksum(_number_text(rows["id_number"])):
        rows |= _second_look(card, frame)
    free = _read_free_text(card, frame, rows)
    if words is not None:
        free["name"] = _held_to_text_pass(free["name"], words)
    if not han_engine_available():
        free["name"] = _surname_read_again(card, free["name"])  # PP-OCR misreads few surnames (han_reader)
    fields, warnings = _front_fields(rows, frame, free)
    second_model = han_models()[1]
    if "ethnicity" not in fields and second_model is not None:
        # Neither reading named a group: the second model's, held to the list (it reads 汉 at an edge the standard
        # model leaves out), shown for checking.
        again = read_pieces(card, frame, closed_rows, lang=second_model, config=_CLOSED_LIST_CONFIG)
        found = _ethnicity(words_of(again["ethnicity"]), [], second_model)
        if found is not None:
            fields["ethnicity"] = replace(found, confidence=min(DOUBTFUL, found.confidence))
            warnings.remove("ethnicity_not_read")
    if "ethnicity" not in fields:
        # Nor that: PP-OCR's reading (Tesseract's models read a bold 畲 as 界 or nothing at all), exact only, shown
        # for checking.
        piece = next(p for row in closed_rows for p in row if p.key == "ethnicity")
        lines = han_engine_lines(card, frame, piece)
        matched = match_ethnicity(han_text(words_of(lines))) if lines else None
        if matched is not None and matched.exact:
            read = words_of(lines)
            fields["ethnicity"] = FieldResult(
                matched.value, min(DOUBTFUL, least_confidence(read)), False, union([w.box for w in read])
            )
            warnings.remove("ethnicity_not_read")
    group = None if words is None or "ethnicity" in fields else _group_in_text(words)
    if group is not None:
        # Neither close reading named a group, the whole-card pass did: a third reading, shown for checking.
        fields["ethnicity"] = FieldResult(group.text, min(DOUBTFUL, group.confidence), False, group.box)
        warnings.remove("ethnicity_not_read")
    return DocumentResult("cn_id_front", fields, tuple(warnings), card)


# Name and address once more, at another size, when the first reading is doubtful: what Tesseract makes of a crop
# changes with its size and place, and a reading that holds to its shape and covers the print is worth one run.
_FREE_TEXT_AGAIN = {
    piece.key: replace(piece, factor=piece.factor * 0.88) for row in _TEXT_ROWS for piece in row if piece.key in _KEEP
}


# And a third time, larger, when the two readings disagree: the value two of three readings give wins.
_FREE_TEXT_THIRD = {
    piece.key: replace(piece, factor=piece.factor * 1.15) for row in _TEXT_ROWS for piece in row if piece.key in _KEEP
}


def _read_free_text(card: Image.Image, frame: CardFrame, rows: dict[str, list[list[OcrWord]]]) -> dict[str, _FreeText]:
    """Name and address as PP-OCR reads them (han_reader), held to Tesseract's readings: a value no Tesseract
    reading gives is shown to check (readings_differ). Where PP-OCR is not available or reads nothing, Tesseract's
    (_tesseract_free_text)."""
    chosen, readings = _tesseract_free_text(card, frame, rows)
    if not han_engine_available():
        return chosen
    pieces = {piece.key: piece for row in _TEXT_ROWS for piece in row}
    for name in _KEEP:
        lines = han_engine_lines(card, frame, pieces[name])
        if name == "address" and lines:
            lines = _with_line_above(card, frame, pieces[name], lines)
        found = _free_text(card, frame, pieces[name], lines) if lines else _FreeText(None, ())
        if found.field is not None:
            chosen[name] = held_to_tesseract(name, found, readings.get(name, [chosen[name]]))
    return chosen


def _with_line_above(
    card: Image.Image, frame: CardFrame, piece: Piece, lines: list[list[OcrWord]]
) -> list[list[OcrWord]]:
    """The address's lines with the line of print just above its crop where that line starts where the address
    does and is words, not the birth date's digits (whose 年 月 日 are blue, made white): a card printed with its
    rows closer than the layout's, whose address crop began at its second line (both engines read 木齐市天山区…
    without 新疆维吾尔自治区乌鲁, read clearly). The value then differs from Tesseract's: to check."""
    first = lines[0][0].box
    height = first[3] - first[1]
    left, top, right, _ = frame.box(piece.box, *card.size)
    if top - height < 0:
        return lines
    above = _engine_lines(card, (left, max(0, first[1] - round(1.4 * height)), right, first[1] + 2), 1.0 / frame.scale)
    if len(above) != 1:
        return lines
    line = above[0][0]
    text = re.sub(r"\s", "", line.text)
    digits = sum(ch.isdigit() for ch in text)
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    starts_alike = abs(line.box[0] - first[0]) <= 0.6 * height
    if han < 2 or digits * 3 > len(text) or not starts_alike or line.box[3] > first[1] + 0.3 * height:
        return lines
    return [above[0], *lines]


# The most confidence a value PP-OCR reads and no Tesseract reading gives may have: "to check".
UNSECONDED_CONFIDENCE = 0.75


def held_to_tesseract(name: str, found: _FreeText, tesseract: Sequence[_FreeText]) -> _FreeText:
    """PP-OCR's value `found`, below "read clearly" with a warning where none of Tesseract's readings gives it: one
    engine's word alone is no check."""
    assert found.field is not None
    field, warnings = seconded(name, found.field, found.warnings, [_value(reading) for reading in tesseract])
    return found if field is found.field else _FreeText(field, warnings)


def seconded(
    name: str, field: FieldResult, warnings: Sequence[str], others: Sequence[str | None]
) -> tuple[FieldResult, tuple[str, ...]]:
    """`field` (PP-OCR's) and its warnings as they are where one of the `others` (Tesseract's values) gives its
    value; else capped at UNSECONDED_CONFIDENCE, with "<name>_readings_differ"."""
    if field.value in others:
        return field, tuple(warnings)
    capped = replace(field, confidence=min(field.confidence, UNSECONDED_CONFIDENCE))
    return capped, (*warnings, f"{name}_readings_differ")


def han_engine_lines(card: Image.Image, frame: CardFrame, piece: Piece) -> list[list[OcrWord]]:
    """The lines of `piece` as PP-OCR reads them, each one word with its box in card pixels ([] where the engine is
    not available). The crop is seen as at 300 DPI (as the layout is), in colour, with the blue of the labels made
    white: the engine read the end of a label beside the value (关 of 签发机关) as the value's first character. (In
    value_ink's grey it read a few characters less well: 強 for 强.)

    Where a line starts at the crop's left edge, the value may go on left of it (a card printed smaller than the
    layout, its values closer to their labels: 赵明远 read 月远 by both engines from the same cut crop): the crop is
    widened to the left, twice at most, and the label's characters read at its start (名 of 姓名) dropped."""
    box = snapped(card, frame.box(piece.box, *card.size))
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        return []
    label = _LABELS.get(piece.key, "")
    # A label's last character alone is dropped only where no value starts with it (关 starts 关岭县公安局), or
    # where the crop was widened into the label.
    lines = _without_label(_engine_lines(card, box, 1.0 / frame.scale), label, piece.key != "issuing_authority")
    for _ in range(2):
        if not lines or box[0] == 0 or not _cut_at_left(card, box, lines, frame.scale):
            return lines
        height = float(np.median([line[0].box[3] - line[0].box[1] for line in lines]))
        box = (max(0, box[0] - round(height)), *box[1:])
        lines = _without_label(_engine_lines(card, box, 1.0 / frame.scale), label, True)
    return lines


_LEFT_EDGE = 4  # layout px: a line starting this close to the crop's left edge may have been cut by it


def _cut_at_left(card: Image.Image, box: Box, lines: Sequence[Sequence[OcrWord]], scale: float) -> bool:
    """Whether print runs across the left edge of the crop `box` where a line read starts at it: a glyph cut in
    two (a line that merely starts near the edge, its first glyph whole, is not)."""
    edge = box[0] + _LEFT_EDGE * scale
    for line in lines:
        if line[0].box[0] > edge:
            continue
        top, bottom = line[0].box[1], line[0].box[3]
        strip = (max(0, box[0] - 2), top, min(card.width, box[0] + 3), bottom)
        if strip[2] - strip[0] < 2 or bottom - top < 4:
            continue
        gray, _ = value_ink(card, strip, 1.0)
        if int((np.asarray(gray)[MARGIN:-MARGIN, MARGIN:-MARGIN] < 110).sum()) >= 3:
            return True
    return False


# The label printed before each value PP-OCR reads, whose characters a widened crop may take in.
_LABELS = {"name": "姓名", "address": "住址", "issuing_authority": "签发机关", "ethnicity": "民族"}


def _without_label(lines: list[list[OcrWord]], label: str, last_alone: bool) -> list[list[OcrWord]]:
    """`lines` with the end of `label` (two characters or more, or with `last_alone` its last one too) dropped from
    the start of the first line, where a label not printed in blue (a greyscale scan) was read into the value."""
    if not lines or not label:
        return lines
    first = lines[0][0]
    text = first.text.strip()
    for cut in range(len(label) if last_alone else len(label) - 1):
        end = label[cut:]
        if text == end:
            return lines[1:]  # the label read as a line of its own
        if text.startswith(end):
            return [[replace(first, text=text[len(end) :])], *lines[1:]]
    return lines


def _engine_lines(card: Image.Image, box: Box, factor: float) -> list[list[OcrWord]]:
    """PP-OCR's lines of the card's `box` seen at `factor`, the labels' blue made white; boxes in card pixels."""
    crop = np.asarray(card.crop(box).convert("RGB"), dtype=np.int16)
    bluish = crop[..., 2] - crop[..., 0] > _LABEL_BLUE
    crop = np.where(bluish[..., None], 255, crop).astype(np.uint8)
    image = Image.fromarray(crop)
    if abs(factor - 1.0) > 0.02:
        image = image.resize(
            (max(1, round(image.width * factor)), max(1, round(image.height * factor))), Image.Resampling.LANCZOS
        )

    def to_card(found: Box) -> Box:
        return (
            round(box[0] + found[0] / factor),
            round(box[1] + found[1] / factor),
            round(box[0] + found[2] / factor),
            round(box[1] + found[3] / factor),
        )

    return [[OcrWord(line.text, line.confidence, to_card(line.box))] for line in read_text_lines(image)]


_LABEL_BLUE = 40  # how much bluer than red a pixel of a label is (black print and the card's stock are not)


def _tesseract_free_text(
    card: Image.Image, frame: CardFrame, rows: dict[str, list[list[OcrWord]]]
) -> tuple[dict[str, _FreeText], dict[str, list[_FreeText]]]:
    """Name and address as Tesseract reads them, with every reading made of each: read a second time when the first
    reading is doubtful and a third when the two disagree. The value two readings agree on wins (held below "read
    clearly" unless nothing else speaks against it); failing that, one without doubts before one with, then the
    surer, and doubted.

    With a second Han model, the second reading is always made, by that model at the same size: the standard
    model is sure of some of its misreadings (贾 as 资 at 0.9), and two models seldom make the same one."""
    pieces = {piece.key: piece for row in _TEXT_ROWS for piece in row}
    first = {name: _free_text(card, frame, pieces[name], rows[name]) for name in _KEEP}
    second_model = han_models()[1]
    if second_model is not None:
        doubtful_names = [name for name, text in first.items() if text.field is not None]
        again_pieces = {name: pieces[name] for name in doubtful_names}
    else:
        # A value holding a character of a known look-alike pair (巷/埠) is read twice even when read surely.
        doubtful_names = [name for name, text in first.items() if not text.sure or _has_confusable(text)]
        again_pieces = {name: _FREE_TEXT_AGAIN[name] for name in doubtful_names}
    if not doubtful_names:
        return first, {name: [text] for name, text in first.items()}
    again = read_pieces(card, frame, [(again_pieces[name],) for name in doubtful_names], lang=second_model)
    readings = {
        name: [first[name], _free_text(card, frame, again_pieces[name], again[name])] for name in doubtful_names
    }
    split = [name for name in doubtful_names if len({_value(r) for r in readings[name]}) > 1]
    if split:
        third = read_pieces(card, frame, [(_FREE_TEXT_THIRD[name],) for name in split])
        for name in split:
            readings[name].append(_free_text(card, frame, _FREE_TEXT_THIRD[name], third[name]))
    chosen = dict(first)
    for name in doubtful_names:
        chosen[name] = held_to_confusables(name, _vote(name, readings[name]), readings[name])
    return chosen, {name: readings.get(name, [first[name]]) for name in first}


def _has_confusable(reading: _FreeText) -> bool:
    return reading.field is not None and has_confusable_han(reading.field.value)


# The most confidence a value holding a look-alike character that only one reading gave may have: "to check".
_CONFUSABLE_CONFIDENCE = 0.75


def held_to_confusables(name: str, kept: _FreeText, readings: Sequence[_FreeText]) -> _FreeText:
    """`kept` below "read clearly", with a warning, when it holds a character of a known look-alike pair (巷/埠,
    室/宣) and fewer than two of the independent `readings` give its value."""
    if kept.field is None or not has_confusable_han(kept.field.value):
        return kept
    if sum(1 for reading in readings if _value(reading) == kept.field.value) >= 2:
        return kept
    capped = replace(kept.field, confidence=min(kept.field.confidence, _CONFUSABLE_CONFIDENCE))
    return _FreeText(capped, (*kept.warnings, f"{name}_lookalike_character"))


def _value(reading: _FreeText) -> str | None:
    return reading.field.value if reading.field is not None else None


def _vote(name: str, readings: list[_FreeText]) -> _FreeText:
    """The reading to keep of two or three (see _read_free_text)."""
    read = [(reading, reading.field) for reading in readings if reading.field is not None]
    values = [found.value for _, found in read]
    if len(set(values)) <= 1:
        return max(readings, key=_FreeText.rank)
    votes = {value: values.count(value) for value in values}
    agreed = max(votes, key=lambda value: votes[value])
    # Two readings of three agree: likelier right than either alone, but a third said otherwise. No agreement:
    # the likeliest one. Either way, one to check.
    pool = [(r, f) for r, f in read if f.value == agreed] if votes[agreed] >= 2 else read
    pick, found = max(pool, key=lambda pair: pair[0].rank())
    return _FreeText(doubtful(found, True, False), (*pick.warnings, f"{name}_readings_differ"))


DOUBTFUL = 0.6  # the most confidence a value whose shape or print speaks against it may have: "to check"


def doubtful(found: FieldResult, doubt: bool, corrected: bool) -> FieldResult:
    """`found` held below "read clearly" when something speaks against it or a look-alike was put right."""
    confidence = found.confidence
    if corrected:
        confidence = min(checked_confidence(confidence, corrected=True), 0.75)
    if doubt:
        confidence = min(confidence, DOUBTFUL)
    return replace(found, confidence=round(confidence, 3))


def uncovered_ink(
    card: Image.Image, frame: CardFrame, layout: LayoutBox, words: Sequence[OcrWord], *, lines: bool = False
) -> bool:
    """True when the value area `layout` holds print that none of the words read covers, the size of a
    character or more: a character Tesseract left out, most often a line's last."""
    return bool(uncovered_boxes(card, frame, layout, words, lines=lines))


def ink_past_right_edge(card: Image.Image, frame: CardFrame, layout: LayoutBox, words: Sequence[OcrWord]) -> bool:
    """True when a line read runs to the right edge of the value area `layout` and print of its size goes on
    past it: a value set wider than the layout (a long address line on another card issue) whose end the crop
    cut off. What stands past the edge must be glyphs on the line's rows, not the photo (far taller)."""
    box = frame.box(layout, *card.size)
    if not words or box[2] >= card.width - 4:
        return False
    size = float(np.median([w.box[3] - w.box[1] for w in words]))
    for word in words:
        if word.box[2] < box[2] - 1.5 * size:
            continue  # this line ends well inside the area
        top, bottom = word.box[1], word.box[3]
        area = (box[2], max(0, round(top - 2 * size)), min(card.width, round(box[2] + 2 * size)),
                min(card.height, round(bottom + 2 * size)))  # fmt: skip
        if area[2] - area[0] < 4 or area[3] - area[1] < 4:
            continue
        gray, _ = value_ink(card, area, 1.0)
        ink = (np.asarray(gray) < 110)[MARGIN:-MARGIN, MARGIN:-MARGIN].astype(np.uint8)
        count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        for i in range(1, count):
            x, y = int(stats[i, cv2.CC_STAT_LEFT]), area[1] + int(stats[i, cv2.CC_STAT_TOP])
            height, width = int(stats[i, cv2.CC_STAT_HEIGHT]), int(stats[i, cv2.CC_STAT_WIDTH])
            on_line = y >= top - 0.3 * size and y + height <= bottom + 0.3 * size
            glyph_sized = 0.45 * size <= height <= 1.3 * size and width <= 1.5 * size
            if on_line and glyph_sized and x <= 0.8 * size and int(stats[i, cv2.CC_STAT_AREA]) >= 0.05 * size * size:
                return True
    return False


def uncovered_boxes(
    card: Image.Image, frame: CardFrame, layout: LayoutBox, words: Sequence[OcrWord], *, lines: bool = False
) -> list[Box]:
    """The boxes (card pixels) of the print in the value area `layout` that none of the words read covers, each
    the size of a character or more, with the uncovered specks beside it (the parts of one character). The area
    is the one read (snapped): on a compact card issue an address's third line (906室) lies across the layout's
    bottom, Tesseract left it out, and an area cut above it saw nothing missing. With `lines` (a value of several
    lines), a last line left out whole is one such box too."""
    box = snapped(card, frame.box(layout, *card.size))
    if box[2] - box[0] < 4 or box[3] - box[1] < 4 or not words:
        return []
    gray, _ = value_ink(card, box, 1.0)
    ink = (np.asarray(gray) < 110)[MARGIN:-MARGIN, MARGIN:-MARGIN].astype(np.uint8)
    size = float(np.median([w.box[3] - w.box[1] for w in words]))
    pad = max(2, round(0.3 * size))
    covered = np.zeros_like(ink)
    for word in words:
        left, top, right, bottom = (v - o for v, o in zip(word.box, (box[0], box[1], box[0], box[1]), strict=True))
        covered[max(0, top - pad) : max(0, bottom + pad), max(0, left - pad) : max(0, right + pad)] = 1
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink & (1 - covered), connectivity=8)
    parts = [
        (int(stats[i, cv2.CC_STAT_LEFT]), int(stats[i, cv2.CC_STAT_TOP]),
         int(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH]),
         int(stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT]), int(stats[i, cv2.CC_STAT_AREA]))
        for i in range(1, count)
    ]  # fmt: skip
    found: list[Box] = []
    for left, top, right, bottom, area in parts:
        if bottom - top >= 0.45 * size and right - left >= 0.2 * size and area >= 0.08 * size * size:
            # With the specks within a third of a character of it: the rest of the same glyph.
            near = [
                p for p in parts
                if p[0] <= right + size / 3 and p[2] >= left - size / 3 and p[1] <= bottom + size / 3
                and p[3] >= top - size / 3
            ]  # fmt: skip
            whole = hull([p[:4] for p in near])
            placed = (box[0] + whole[0], box[1] + whole[1], box[0] + whole[2], box[1] + whole[3])
            if not any(placed[0] < f[2] and f[0] < placed[2] and placed[1] < f[3] and f[1] < placed[3] for f in found):
                found.append(placed)
    for line in _unread_lines(ink, [_moved(w.box, -box[0], -box[1]) for w in words]) if lines else ():
        placed = _moved(line, box[0], box[1])
        if not any(placed[0] < f[2] and f[0] < placed[2] and placed[1] < f[3] and f[1] < placed[3] for f in found):
            found.append(placed)
    return found


def _moved(box: Box, dx: int, dy: int) -> Box:
    return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy


def _unread_lines(ink: NDArray[np.uint8], words: Sequence[Box]) -> list[Box]:
    """The lines of print in `ink` (the value area's) within the words' columns below every word's middle: a last
    line Tesseract left out whole (an address's third line, 906室). Boxes in `ink`'s pixels, as `words`'. (Print
    above the words is not looked at: that is the row above's, taken in by a crop made higher to hold a line.)

    Whole lines are looked for apart from single characters because Tesseract sometimes boxes a line's glyphs
    twice their height, and the boxes then cover half the line below."""
    left, right = max(0, min(w[0] for w in words)), min(ink.shape[1], max(w[2] for w in words))
    if right - left < 4:
        return []
    column = ink[:, left:right]
    printed = (column.sum(axis=1) >= max(3, 0.02 * (right - left))).tolist()
    bands: list[list[int]] = []
    for y, inked in enumerate(printed):
        if inked and bands and y - bands[-1][1] <= _STRIP_GAP:
            bands[-1][1] = y + 1
        elif inked:
            bands.append([y, y + 1])
    middles = [(w[1] + w[3]) / 2 for w in words]
    read = [bottom - top for top, bottom in bands if any(top <= m <= bottom for m in middles)]
    if not read:
        return []
    usual = float(np.median(read))
    lines: list[Box] = []
    for top, bottom in bands:
        if bottom - top < 0.5 * usual or top <= max(middles):
            continue
        columns = np.flatnonzero(column[top:bottom].any(axis=0))
        lines.append((left + int(columns[0]), top, left + int(columns[-1]) + 1, bottom))
    return lines


def read_cn_id_front(card: Image.Image, text: Sequence[Sequence[OcrWord]] | None = None) -> DocumentResult | None:
    """Every field of the portrait side of a resident ID card in `card` (cropped to the card and straightened,
    upright or upside down); None when `card` is not that side of the card.

    `text` is the whole-card text pass (classify.read_card_text) of an upright `card` that the pass found to be
    this side: the card is then read wherever its words place it (its layout when they place nothing), never
    turned away. Field boxes refer to the returned document_image, the card turned upright."""
    rgb = card.convert("RGB")
    if text is not None:
        return _read_front(rgb, fit_text_anchors(text, _FRONT_ANCHORS, rgb.size) or CardFrame.nominal(rgb), text)
    found = turned_frames(rgb, _fit_front)
    if found:
        turned, frame = found[0]
        return _read_front(turned, frame)
    if not is_grey(rgb):
        return None  # a colour image without the blue labels in their places is not this side of a card
    # Without colour the labels cannot place the card: the number, read on the nominal layout, must.
    for turned in (rgb, rgb.rotate(180)):
        frame = CardFrame.nominal(turned)
        if not has_ink(turned, frame.box(_NUMBER_LINE, *turned.size)):
            continue
        if repair_resident_id(_number_text(_read_digits(turned, frame)["id_number"])) is not None:
            return _read_front(turned, frame)
    return None
