"""Telling which kind of ID document a located image shows and which way up it is, so that the right reader runs
first and on the upright image: a reader that does not fit costs a second or more of Tesseract runs before it
gives up.

Two routes. First, from the pixels alone (classify), three signs each measured on a half-size grey or colour copy
in a few milliseconds:
  - a machine-readable zone: two or three lines of evenly pitched dark glyphs across nearly the whole width at the
    foot of the page (TD1, TD2, TD3);
  - the emblem of a resident ID card's back: a red ring and disc in the top-left corner;
  - the blue pre-printed labels down the left side of a resident ID card's portrait side.
Colours and places differ between card issues, printers and scanners, so where these signs are unsure (or the
reader they chose cannot place its fields), the text (read_card_text): one Tesseract run over a reduced, cleaned
copy of the whole card, looking for what every issue prints: 居民身份证, 中华人民共和国, 签发机关, 有效期限 on the
emblem side; 公民身份号码 and the other labels, and an 18-character number whose check character holds, on the
portrait side; lines of chevrons in a machine-readable zone. Its words also tell the card readers where the
fields are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from desktop_app.domain.id_numbers import has_gb11643_checksum
from desktop_app.ocr.cn_id_fields import printed_word
from desktop_app.ocr.tesseract_engine import OcrWord, han_models, read_glyph_lines

MRZ = "mrz"
CN_ID_FRONT = "cn_id_front"
CN_ID_BACK = "cn_id_back"
KINDS = (MRZ, CN_ID_FRONT, CN_ID_BACK)

_WORK_WIDTH = 500  # pixels across the document: an MRZ glyph is still ~7 px wide, a label ~3 px tall strokes


@dataclass(frozen=True)
class Classification:
    """The likeliest kind first in `order` (all of KINDS, best first); `kind` is None when no sign was clear,
    and `upside_down` says the image must be turned 180° for the first kind's reader. `mrz_pitch` is the
    machine-readable zone's character pitch in the document's pixels when a zone was seen (30 px at 300 DPI)."""

    kind: str | None
    upside_down: bool
    order: tuple[str, ...]
    evidence: dict[str, float]
    mrz_pitch: float | None = None


def classify(document: Image.Image, shape: str | None = None) -> Classification:
    """Which kind of document `document` (cropped, straightened, landscape) shows, and whether it is upside down.

    `shape` is the located outline ("id1", "page" or None): a passport or TD2 page can only be an MRZ document.
    """
    rgb = document if document.mode == "RGB" else document.convert("RGB")
    factor = max(1, round(rgb.width / _WORK_WIDTH))
    small = np.asarray(rgb.reduce(factor) if factor > 1 else rgb, dtype=np.int16)
    turned = small[::-1, ::-1]
    gray = small.mean(axis=2)
    upright_zone, turned_zone = _mrz_lines(gray), _mrz_lines(gray[::-1, ::-1])
    evidence = {
        "mrz_lines": float(len(upright_zone)),
        "mrz_lines_turned": float(len(turned_zone)),
        "emblem": _emblem(small),
        "emblem_turned": _emblem(turned),
        "labels": float(_label_rows(small)),
        "labels_turned": float(_label_rows(turned)),
    }
    mrz = max(evidence["mrz_lines"], evidence["mrz_lines_turned"])
    emblem = max(evidence["emblem"], evidence["emblem_turned"])
    labels = max(evidence["labels"], evidence["labels_turned"])
    if mrz >= 2:
        kind, upside_down = MRZ, evidence["mrz_lines_turned"] > evidence["mrz_lines"]
    elif shape != "page" and emblem >= _EMBLEM_SHARE:
        kind, upside_down = CN_ID_BACK, evidence["emblem_turned"] > evidence["emblem"]
    elif shape != "page" and labels >= _LEAST_LABEL_ROWS:
        kind, upside_down = CN_ID_FRONT, evidence["labels_turned"] > evidence["labels"]
    else:
        kind, upside_down = None, False
    if kind is not None:
        order = (kind, *(k for k in KINDS if k != kind))
    elif shape == "page":
        order = (MRZ, CN_ID_FRONT, CN_ID_BACK)
    else:
        # The resident-card readers turn away a wrong image before running Tesseract; the MRZ reader cannot.
        order = (CN_ID_FRONT, CN_ID_BACK, MRZ)
    pitches = turned_zone if evidence["mrz_lines_turned"] > evidence["mrz_lines"] else upright_zone
    pitch = float(np.median(pitches)) * factor if pitches else None
    return Classification(kind, upside_down, order, evidence, pitch)


# ---------------------------------------------------------------------------------------------------------------
# The machine-readable zone

_MRZ_BAND = 0.3  # the zone's lines lie in the lowest 30% of every TD1, TD2 and TD3 layout
_MRZ_SPAN = 0.7  # an MRZ line runs across 85-90% of the document; the longest other line near the foot, ~60%
_MRZ_GLYPHS = 24  # 30, 36 or 44 characters a line; fillers are glyphs too


def _mrz_lines(gray: NDArray[np.float64]) -> list[float]:
    """The lines at the foot of the page that look like a machine-readable zone's (dark glyphs at an even pitch
    across most of the width): the glyph pitch of each, in `gray`'s pixels."""
    height, width = gray.shape
    band = gray[int(height * (1 - _MRZ_BAND)) :]
    if band.size == 0:
        return []
    ink = band < min(110.0, 0.55 * float(np.median(band)))  # the MRZ is printed black on a pale page
    rows = ink.sum(axis=1) >= 0.05 * width
    pitches = []
    for top, bottom in _runs(rows):
        if bottom - top < 3:
            continue
        columns = np.asarray(ink[top:bottom].any(axis=0), bool)
        glyphs = _runs(columns)
        if len(glyphs) < _MRZ_GLYPHS:
            continue
        starts = np.array([start for start, _ in glyphs], np.float64)
        span = (glyphs[-1][1] - glyphs[0][0]) / width
        steps = np.diff(starts)
        pitch = float(np.median(steps))
        even = float(np.mean(np.abs(steps - pitch) <= max(1.5, 0.25 * pitch)))
        if span >= _MRZ_SPAN and even >= 0.7:
            # First to last glyph over their count, not the median step: steps are whole pixels, ~10 here.
            pitches.append(float(starts[-1] - starts[0]) / (len(starts) - 1))
    return pitches


def _runs(flags: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


# ---------------------------------------------------------------------------------------------------------------
# The resident ID card

_EMBLEM_SHARE = 0.02  # of the top-left corner's pixels: the printed emblem covers ~15%, stray red specks none
_LEAST_LABEL_ROWS = 3  # of the five labels (姓名 性别 出生 住址 公民身份号码)


def _emblem(rgb: NDArray[np.int16]) -> float:
    """The share of red pixels in the top-left corner, where the back of a resident ID card has its emblem; 0
    unless red is concentrated there (a red photo or a colourful background is red all over)."""
    height, width = rgb.shape[:2]
    red_ink = (rgb[..., 0] - rgb[..., 1] > 30) & (rgb[..., 0] - rgb[..., 2] > 40)
    corner = red_ink[: int(height * 0.45), : int(width * 0.3)]
    rest = red_ink[:, int(width * 0.4) :]
    if corner.size == 0 or rest.size == 0:
        return 0.0
    share = float(corner.mean())
    return share if share >= 5 * float(rest.mean()) else 0.0


def _label_rows(rgb: NDArray[np.int16]) -> int:
    """How many separate rows of blue label ink lie in the left quarter of the card, where the portrait side of a
    resident ID card prints its labels. Blue well above red and green, but less so than the card reader asks: at
    half size, blurred and under dim light, the thin strokes mix with the pale card (whose security print is at
    most ~22 bluer than red)."""
    height, width = rgb.shape[:2]
    column = rgb[int(height * 0.05) : int(height * 0.95), int(width * 0.03) : int(width * 0.25)]
    red, green, blue = column[..., 0], column[..., 1], column[..., 2]
    blue_ink = (blue - red > 40) & (blue - green > 18)
    rows = blue_ink.sum(axis=1) >= 3
    least = max(2, round(0.015 * height))  # a label's ink is ~24 px tall at 300 DPI
    return sum(1 for top, bottom in _runs(rows) if bottom - top >= least)


# ---------------------------------------------------------------------------------------------------------------
# The text route

TEXT_WIDTH = 600  # pixels across an ID-1 card for the text pass: labels ~14 px tall, the title and number ~25
_TEXT_MARGIN = 10
# Sparse text (psm 11) finds the scattered labels and values of a card; chi_sim reads digits and chevrons too.
_TEXT_CONFIG = "--psm 11 -c preserve_interword_spaces=1"

_BACK_WORDS = ("居民身份证", "中华人民共和国", "签发机关", "有效期限")
_FRONT_WORDS = ("公民身份号码", "姓名", "性别", "民族", "出生", "住址")
_NUMBER = re.compile("[0-9]{17}[0-9X]")
_PERIOD = re.compile(r"[0-9]{4}\.?[0-9]{2}\.?[0-9]{2}\D{1,3}([0-9]{4}|长期)")
_CHEVRONS = re.compile("[<《く]{5,}")
_NUMBER_LIKE = re.compile("[0-9]{6}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{2,5}[0-9X]")
_BIRTH_LINE = re.compile("(19|20)[0-9]{2}年[0-9]{1,2}月")
_BUREAU = re.compile("公安局|公安分局")


@dataclass(frozen=True)
class CardText:
    """What the text pass read on a document and made of it: `kind` (None when no sign of a known document was
    found), the words of known documents it found (`found`, for the log and the tests), and its lines of
    characters (one OcrWord each, boxes in the document's pixels) for the readers to place their fields by."""

    kind: str | None
    found: tuple[str, ...]
    lines: tuple[tuple[OcrWord, ...], ...]


def read_card_text(document: Image.Image, width: int = TEXT_WIDTH, lang: str | None = None) -> CardText:
    """One Han-model run (`lang`, default the model to read with) over the whole document (upright, as given),
    reduced to `width` and cleaned of its background, and the kind of document its words show."""
    factor = min(1.0, width / document.width)
    sheet = text_sheet(document, factor)
    read = read_glyph_lines(sheet, lang=lang or han_models()[0], config=_TEXT_CONFIG)

    def back(v: int) -> int:
        return round((v - _TEXT_MARGIN) / factor)

    lines = tuple(
        tuple(
            OcrWord(g.text, g.confidence, (back(g.box[0]), back(g.box[1]), back(g.box[2]), back(g.box[3])))
            for g in line.glyphs
        )
        for line in read
    )
    kind, found = kind_of_text(["".join(g.text for g in line) for line in lines])
    return CardText(kind, found, lines)


def text_sheet(document: Image.Image, factor: float) -> Image.Image:
    """The document reduced by `factor`, grey, every print dark on white whatever its colour (labels of any hue,
    black values) and the background gone: the darkest channel divided by its local background, clipped, so that
    pale guilloche lines and tints whiten, and a white margin."""
    darkest = np.asarray(document.convert("RGB"), dtype=np.float32).min(axis=2)
    size = (max(1, round(document.width * factor)), max(1, round(document.height * factor)))
    darkest = cv2.resize(darkest, size, interpolation=cv2.INTER_AREA)
    reach = max(9, round(25 * factor)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach))
    background = cv2.blur(cv2.dilate(darkest, kernel), (reach, reach))
    ink = np.clip((darkest / np.maximum(background, 1.0) - 0.35) / 0.45, 0.0, 1.0) * 255
    return ImageOps.expand(Image.fromarray(ink.astype(np.uint8)), _TEXT_MARGIN, fill=255)


def kind_of_text(lines: Sequence[str]) -> tuple[str | None, tuple[str, ...]]:
    """The kind of document lines of text read on it show, and the signs found; None when the signs are too few
    or point two ways.

    Signs count for a side: on the emblem side its title (two), each label, a validity period, a bureau's name;
    on the portrait side a number whose check character holds (two) or one that holds a birth date where a number
    does, each label, a birth date with 年 and 月. A side needs two, and the other side fewer. Two lines of
    chevrons are a machine-readable zone."""
    joined = [re.sub(r"\s+", "", line) for line in lines]
    text = "\n".join(joined)
    back = [word for word in _BACK_WORDS if printed_word(word).search(text)]
    front = [word for word in _FRONT_WORDS if printed_word(word).search(text)]
    numbers = [number for line in joined for number in _NUMBER.findall(line) if has_gb11643_checksum(number)]
    # A run of digits holding a birth date where the number holds it: the number, a digit or two misread.
    misread = [line for line in joined if _NUMBER_LIKE.search(line)]
    births = [line for line in joined if _BIRTH_LINE.search(line)]
    periods = [line for line in joined if _PERIOD.search(line)]
    bureaus = [line for line in joined if _BUREAU.search(line)]
    zone = [line for line in joined if _CHEVRONS.search(line)]
    signs = {"number": numbers, "number_like": misread, "birth_line": births, "period": periods, "bureau": bureaus}
    found = (*back, *front, *(name for name, lines in signs.items() if lines))
    title = any(w in back for w in _BACK_WORDS[:2])
    back_score = 2 * title + len(set(back) - set(_BACK_WORDS[:2])) + bool(periods) + bool(bureaus)
    front_score = 2 * bool(numbers) + bool(misread and not numbers) + len(front) + bool(births)
    if len(zone) >= 2:
        return MRZ, (*found, "chevrons")
    if back_score >= 2 and front_score < 2:
        return CN_ID_BACK, found
    if front_score >= 2 and back_score < 2:
        return CN_ID_FRONT, found
    return None, found
