"""A resident card found in a scan by its blue labels, where its outline was not: a card lying half on a sheet of
printed paper, small on an A4 bed, turned a few degrees or any quarter.

On the portrait side the labels stand in a column down the card's left (姓名, 性别, 出生, 住址, some 70 layout px
apart) with 公民身份号码 460 px below the first; on the emblem side 签发机关 stands above 有效期限, the red emblem up to
the left of them. Blue ink is rare elsewhere on a scanner bed, and those figures of word-sized marks rarer still:
found, they give the card's angle, size and place (a similarity fit), and the card is cut out straight, at 300 DPI,
with a little margin, for the reader to place its labels exactly (fit_label_rows).

Pure image work (NumPy and OpenCV); no Tesseract.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from desktop_app.ocr.locate import ID1_WIDTH_300DPI

__all__ = ["LabelSearch", "back_by_labels", "card_by_labels"]

_CARD = (1011, 638)  # the layout's size (at 300 DPI)
# The labels' centres in layout px (their rows and right ends as fit_label_rows has them, their left ends ~62).
_COLUMN = ((92.0, 91.0), (92.0, 161.0), (92.0, 231.0), (92.0, 301.0))
_NUMBER_LABEL = (134.0, 551.0)
_LABEL_HEIGHT = 24.0  # layout px
_MARGIN = 0.04  # of the card's width, cut out around it: the reader fits the labels exactly
_WORK_PIXELS = 3_000_000  # the scan is brought down to about this many pixels for the search
_MOST_MARKS = 120  # more blue words than a card and its neighbour hold: a coloured page, not a card's labels

_Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class _Mark:
    """A word-sized mark of blue ink: its centre and size in the work image."""

    x: float
    y: float
    width: float
    height: float


# How much bluer than red and than green label ink is, and the most red it may hold: as the card reader asks and
# no more red than 160 first (a pale blue card's stock and guilloche hold 200 and more), then any red, then less
# blue (labels a dim, small, blurred scan has greyed: a card at a third of an A4 bed's width).
_BLUE_MARGINS = ((35, 12, 160), (35, 12, 255), (18, 6, 255))


def _blue_marks(rgb: NDArray[np.int16], margins: tuple[int, int, int]) -> list[_Mark]:
    """The blue label words of the work image: blue ink joined along the line into words."""
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    # Ink, not a pale blue card or its guilloche: the labels' red is low where a tinted stock's is high.
    ink = ((blue - red > margins[0]) & (blue - green > margins[1]) & (red < margins[2])).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    glyphs = stats[1:][(stats[1:, cv2.CC_STAT_AREA] >= 4)]
    if len(glyphs) < 5:
        return []
    size = float(np.median(glyphs[:, cv2.CC_STAT_HEIGHT]))
    if size < 4:
        return []
    # Join a word's characters (spaced up to a character apart on some issues): close horizontally and vertically by
    # most of a character, then take the joined marks.
    reach = max(3, round(1.4 * size))
    joined = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, max(1, round(0.3 * size)))))
    count, _, stats, centroids = cv2.connectedComponentsWithStats(joined, connectivity=8)
    marks = []
    for i in range(1, count):
        width, height = float(stats[i, cv2.CC_STAT_WIDTH]), float(stats[i, cv2.CC_STAT_HEIGHT])
        if 0.5 * size <= min(width, height) <= 3.5 * size:
            marks.append(_Mark(float(centroids[i][0]), float(centroids[i][1]), width, height))
    return marks


def _similarity(angle: float, scale: float, layout: tuple[float, float], image: tuple[float, float]) -> _Matrix:
    """The layout-to-image transform turning by `angle`, scaling by `scale` and putting `layout` on `image`."""
    cos, sin = math.cos(angle) * scale, math.sin(angle) * scale
    matrix = np.array([[cos, -sin, 0.0], [sin, cos, 0.0]])
    matrix[:, 2] = np.array(image) - matrix[:, :2] @ np.array(layout)
    return matrix


_ROW_STEP = 70.0  # layout px between two labels of the column (63 to 74 on the card issues seen)


def _column(marks: list[_Mark]) -> list[_Mark] | None:
    """The longest run of two-character marks standing one below another at an even step of 1.6 to 4 label heights
    (the labels 姓名 性别 出生 住址), three at least; None when there is none."""
    # Two characters wide (a lone 年, 月 or 日 is not a label of the column).
    words = [m for m in marks if 1.8 <= max(m.width, m.height) / min(m.width, m.height) <= 4.5]
    best: list[_Mark] | None = None
    for a in words:
        size = min(a.width, a.height)
        for b in words:
            step = math.hypot(b.x - a.x, b.y - a.y)
            if b is a or not 1.6 * size <= step <= 4.2 * size or not _alike(a, b):
                continue
            run = [a, b]
            while len(run) < 4:
                want = (2 * run[-1].x - run[-2].x, 2 * run[-1].y - run[-2].y)
                near = min(words, key=lambda m: math.hypot(m.x - want[0], m.y - want[1]))
                if near in run or math.hypot(near.x - want[0], near.y - want[1]) > 0.45 * step or not _alike(a, near):
                    break
                run.append(near)
            if len(run) >= 3 and (best is None or len(run) > len(best)):
                best = run
    return best


def _alike(a: _Mark, b: _Mark) -> bool:
    """Whether two marks are of a size, as two labels of the column are (their short sides within two thirds)."""
    return 0.6 <= min(a.width, a.height) / min(b.width, b.height) <= 1.67


def _fit(marks: list[_Mark]) -> _Matrix | None:
    """The layout-to-work-image transform of the card whose labels the marks are; None where no column of three
    labels with the number's label below it is seen.

    The column's marks (their principal axis) give the card's angle, whatever way it lies; the number's label,
    found below it where the step says, tells which label the column starts with and, its distance, the scale."""
    column = _column(marks)
    if column is None:
        return None
    top = column[0]
    step = math.hypot(column[-1].x - top.x, column[-1].y - top.y) / (len(column) - 1)
    points = np.array([[m.x, m.y] for m in column])
    down = np.linalg.svd(points - points.mean(axis=0))[2][0]
    if float(down @ (points[-1] - points[0])) < 0:
        down = -down
    # Of the marks below the column's top, about six and a half steps down: the number's label. Which row the top
    # is (姓名, or 性别 where 姓名 was not seen) follows from how far.
    rows = [y for _, y in _COLUMN]
    found: tuple[float, int] | None = None
    for mark in marks:
        short, long = min(mark.width, mark.height), max(mark.width, mark.height)
        if long < 2.5 * short or not 0.6 <= short / min(top.width, top.height) <= 1.6:
            continue  # not a label six characters long in the column's size
        along = float(down @ np.array([mark.x - top.x, mark.y - top.y]))
        across = abs(float(down[0] * (mark.y - top.y) - down[1] * (mark.x - top.x)))
        for row in range(len(rows) - len(column) + 1):
            # Card issues space the column's rows 63 to 74 layout px apart and keep the number's label where it is:
            # the steps down to it vary by a sixth either way.
            expected = (_NUMBER_LABEL[1] - rows[row]) / _ROW_STEP * step
            near = abs(along - expected) <= 0.17 * expected and across <= 1.5 * step
            if near and (found is None or abs(along - expected) < abs(found[0] - expected)):
                found = (along, row)
    if found is None:
        return None
    along, row = found
    scale = along / (_NUMBER_LABEL[1] - rows[row])
    angle = math.atan2(down[1], down[0]) - math.pi / 2
    return _similarity(angle, scale, _COLUMN[row], (top.x, top.y))


class LabelSearch:
    """One scan searched for a resident card's labels, either side: brought down to the work size once, its blue
    marks found once for each set of margins, whichever side is looked for."""

    def __init__(self, image: Image.Image) -> None:
        self._image = image.convert("RGB")
        self._factor, self._pixels = _work(self._image)
        self._marks: dict[tuple[int, int, int], list[_Mark]] = {}

    def _marks_at(self, margins: tuple[int, int, int]) -> list[_Mark]:
        if margins not in self._marks:
            self._marks[margins] = _blue_marks(self._pixels, margins)
        return self._marks[margins]

    def front(self) -> Image.Image | None:
        """The portrait side, cut out straight and upright at 300 DPI with a little margin; None where no column
        of its labels is seen (no colour, another document, the card too small)."""
        for margins in _BLUE_MARGINS:
            marks = self._marks_at(margins)
            # Too few to be the labels, or blue print all over (a coloured page): no card's labels.
            matrix = _fit(marks) if 4 <= len(marks) <= _MOST_MARKS else None
            if matrix is not None:
                return _cut(self._image, matrix, self._factor)
        return None

    def back(self) -> Image.Image | None:
        """The emblem side, cut out straight and upright at 300 DPI with a little margin; None where its two labels
        and its emblem are not seen in their places."""
        emblem = _emblem_centre(self._pixels)
        if emblem is None:
            return None
        for margins in _BLUE_MARGINS:
            marks = self._marks_at(margins)
            matrix = _fit_back(marks, emblem) if 2 <= len(marks) <= _MOST_MARKS else None
            if matrix is not None:
                return _cut(self._image, matrix, self._factor)
        return None


def card_by_labels(image: Image.Image) -> Image.Image | None:
    """The portrait side of a resident card in `image` (LabelSearch.front)."""
    return LabelSearch(image).front()


def back_by_labels(image: Image.Image) -> Image.Image | None:
    """The emblem side of a resident card in `image` (LabelSearch.back)."""
    return LabelSearch(image).back()


def _work(rgb_image: Image.Image) -> tuple[float, NDArray[np.int16]]:
    """The scan brought down to about _WORK_PIXELS, and by what factor."""
    factor = max(1.0, math.sqrt(rgb_image.width * rgb_image.height / _WORK_PIXELS))
    work = (
        rgb_image
        if factor == 1.0
        else rgb_image.resize(
            (round(rgb_image.width / factor), round(rgb_image.height / factor)), Image.Resampling.BILINEAR
        )
    )
    return factor, np.asarray(work, dtype=np.int16)


# The emblem side's layout: the emblem's centre, and the centres of its labels 签发机关 and 有效期限 (their rows and
# right ends as the reader's labels have them, four characters of 24 px).
_EMBLEM = (150.0, 160.0)
_AUTHORITY_LABEL = (238.0, 461.0)
_PERIOD_LABEL = (238.0, 536.0)


def _emblem_centre(rgb: NDArray[np.int16]) -> tuple[float, float, float] | None:
    """The centre and area of the largest red mark of the work image (the emblem's), or None where there is none
    a card's emblem could be."""
    for above_green, above_blue in _RED_MARGINS:
        red_ink = ((rgb[..., 0] - rgb[..., 1] > above_green) & (rgb[..., 0] - rgb[..., 2] > above_blue)).astype(
            np.uint8
        )
        count, _, stats, centroids = cv2.connectedComponentsWithStats(
            cv2.dilate(red_ink, np.ones((3, 3), np.uint8)), connectivity=8
        )
        if count < 2:
            continue
        largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        width, height = stats[largest, cv2.CC_STAT_WIDTH], stats[largest, cv2.CC_STAT_HEIGHT]
        if min(width, height) >= 8 and 0.6 <= width / height <= 1.6:  # a round mark
            return float(centroids[largest][0]), float(centroids[largest][1]), float(max(width, height))
    return None


# How much redder than green and than blue the emblem is: as the classifier asks, then less (an emblem in a lid's
# shadow comes out brown).
_RED_MARGINS = ((30, 40), (20, 25))


def _fit_back(marks: list[_Mark], emblem: tuple[float, float, float]) -> _Matrix | None:
    """The layout-to-work-image transform of the emblem side whose two labels and emblem the marks and the red
    mark are; None where no pair of four-character marks one above the other has the emblem where it belongs.

    The emblem's centre and the first label's lie some 320 layout px apart: their line gives the angle and the
    scale, the labels' own step (75 px) which way is down."""
    words = [m for m in marks if 2.5 <= max(m.width, m.height) / min(m.width, m.height) <= 7.0]
    layout_reach = np.array(_AUTHORITY_LABEL) - np.array(_EMBLEM)
    layout_step = _PERIOD_LABEL[1] - _AUTHORITY_LABEL[1]
    best: tuple[float, _Matrix] | None = None
    for a in words:
        for b in words:
            step = math.hypot(b.x - a.x, b.y - a.y)
            # 75 layout px between labels 24 px tall, whose marks the joining makes a little taller.
            if b is a or not _alike(a, b) or not 1.6 * min(a.width, a.height) <= step <= 4.5 * min(a.width, a.height):
                continue
            # With the step's angle and scale, where the emblem should be; it must be there, give or take a
            # quarter of the way (card issues place it a little apart).
            down = np.array([b.x - a.x, b.y - a.y]) / step
            scale = step / layout_step
            angle = math.atan2(down[1], down[0]) - math.pi / 2
            matrix = _similarity(angle, scale, _AUTHORITY_LABEL, (a.x, a.y))
            want = matrix[:, :2] @ np.array(_EMBLEM) + matrix[:, 2]
            reach = math.hypot(a.x - emblem[0], a.y - emblem[1])
            miss = math.hypot(want[0] - emblem[0], want[1] - emblem[1])
            if miss > 0.3 * reach or not 0.5 <= emblem[2] / (2 * 90 * scale) <= 2.0:
                continue
            # The emblem's line gives the angle and the scale more closely than the labels' short step.
            scale = reach / float(np.hypot(*layout_reach))
            angle = math.atan2(a.y - emblem[1], a.x - emblem[0]) - math.atan2(layout_reach[1], layout_reach[0])
            fitted = _similarity(angle, scale, _AUTHORITY_LABEL, (a.x, a.y))
            if best is None or miss < best[0]:
                best = (miss, fitted)
    return best[1] if best is not None else None


def _cut(rgb_image: Image.Image, matrix: _Matrix, factor: float) -> Image.Image:
    """The card `matrix` places in the work image, cut out of the scan straight at 300 DPI with _MARGIN."""
    # Layout to source pixels, then the card (with its margin) cut out at 300 DPI.
    to_source = matrix * np.array([[factor], [factor]])
    margin = _MARGIN * _CARD[0]
    out_width = round(ID1_WIDTH_300DPI * (1 + 2 * _MARGIN))
    out_height = round((_CARD[1] + 2 * margin) * ID1_WIDTH_300DPI / _CARD[0])
    shift = np.array([[1.0, 0.0, -margin], [0.0, 1.0, -margin], [0.0, 0.0, 1.0]])
    scale_out = ID1_WIDTH_300DPI / _CARD[0]
    out_to_layout = shift @ np.array([[1 / scale_out, 0, 0], [0, 1 / scale_out, 0], [0, 0, 1]])
    out_to_source = np.vstack([to_source, [0, 0, 1]]) @ out_to_layout
    cut = cv2.warpAffine(
        np.asarray(rgb_image),
        out_to_source[:2],
        (out_width, out_height),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return Image.fromarray(cut)
