"""Finding the ID document in a scan or a photo: the card (or passport page) cropped to its edges, straightened,
rectified when photographed at an angle, and turned to landscape.

Three steps, each on as few pixels as it needs, so that an A4 scan at 300 DPI takes a few tens of milliseconds:
  1. On a copy about 1000 px long, the marks that stand out from the background (print, the photo, the card's own
     edge) give a coarse quadrilateral and the document's angle.
  2. At about 300 DPI, narrow strips across each side of that quadrilateral, rectified, are averaged along the side
     into a profile; the card's edge is the outermost sharp, even step in colour between two flat stretches.
  3. The four edges give the corners; one perspective warp cuts the document out at full resolution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

# Long side of the copy the document is looked for in: the smallest card on an A4 bed is still ~200 px wide there.
WORK_PIXELS = 1000
# Edges are measured on strips sampled at most this many pixels along the document's long side: ~300 DPI.
REFINE_PIXELS = 1100

ID1_ASPECT = 85.6 / 54  # ISO/IEC 7810 ID-1: resident ID cards, TD1 identity cards
PAGE_ASPECT = 125 / 88  # TD3 passport data page; a TD2 document (105 × 74 mm) has nearly the same, 1.419
_SHAPE_TOLERANCE = 0.04  # measured proportions are within 1% on scans, 2-3% on photos
# The cut-out keeps the source's pixels per millimetre, but no fewer than at 300 DPI (a smaller source is enlarged,
# so that no reader gets less than it is tuned for) and no more than half as many again (more only costs time).
# recognise() brings it to exactly 300 DPI for the readers.
ID1_WIDTH_300DPI = 1011
PAGE_WIDTH_300DPI = 1240  # TD2; a TD3 page is 1476 px wide and keeps its own width
MAX_SCALE_OVER_300DPI = 1.5

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]
_Float = NDArray[np.float64]
_U8 = NDArray[np.uint8]


@dataclass(frozen=True)
class LocatedDocument:
    """Where the document is in a scan, and the document itself.

    `image` is cropped to the document's edges, straightened and landscape, but possibly upside down (the
    classifier and the readers settle 0° against 180°). `corners` are the source positions of `image`'s top-left,
    top-right, bottom-right and bottom-left corners (they may lie a little outside the source: a tight scan's
    corners are cut off). `shape` is "id1" (an 85.6 × 54 mm card), "page" (TD2/TD3, 1.42) or None when the edges'
    proportions match neither.
    """

    image: Image.Image
    corners: Quad
    shape: str | None
    warnings: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        """False when nothing stood out from the background and `image` is the whole scan."""
        return "document_not_found" not in self.warnings


def locate(image: Image.Image) -> LocatedDocument:
    """The document in `image`: cropped to its edges, deskewed, perspective-corrected and landscape.

    A tight scan (the image is already just the document) comes back straightened and unchanged in extent. When
    nothing stands out from the background (a blank page), the whole image comes back, turned to landscape, with
    the warning "document_not_found", so that the readers can still try it. "document_edges_uncertain" says that
    some edge was not seen and the crop follows the print there instead.
    """
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    factor = max(1, round(max(rgb.size) / WORK_PIXELS))
    small = np.asarray(rgb.reduce(factor) if factor > 1 else rgb)
    outline = _card_outline(small)
    if outline is not None:
        quad, uncertain = _refine(rgb, outline * factor, False)
        return _cut_out(rgb, quad, ("document_edges_uncertain",) if uncertain else ())
    content = _content(small)
    if content is None:
        width, height = rgb.size
        whole = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float64)
        return _cut_out(rgb, whole, ("document_not_found",))
    coarse = _coarse_quad(content, (small.shape[1], small.shape[0])) * factor
    quad, uncertain = _refine(rgb, coarse, content.fills_image)
    return _cut_out(rgb, quad, ("document_edges_uncertain",) if uncertain else ())


# ---------------------------------------------------------------------------------------------------------------
# 1. Coarse: the card's own outline, or where there is content and at what angle


_OUTLINE_SHARE = (0.02, 0.95)  # of the image a card lying inside it covers
_OUTLINE_FILL = 0.93  # of the smallest rectangle around it (rounded corners and a blurred edge cost a little)


def _card_outline(small: _U8) -> _Float | None:
    """The corners (small-image pixels, top-left first, clockwise) of an ID-1 card whose whole outline stands out
    from what it lies on, a step of tone all round: on a dark lid, on a grey bed darkening towards one end, on a
    page, beside another card. Print and the photo make no such outline of the card's proportions; a card whose
    edges the image cuts off, or that hardly differs from its bed, has none, and is left to the print."""
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    # A noisy scan's grain, at the edge thresholds that find a faint outline, joins into one contour over the whole
    # image: then once more, smoothed harder (a card beside a passport on a grainy bed went unfound).
    for blur in _OUTLINE_BLURS:
        found = _outline_at(np.asarray(cv2.GaussianBlur(gray, (blur, blur), 0), np.uint8))
        if found is not None:
            return found
    return None


_OUTLINE_BLURS = (5, 9)


def _outline_at(gray: _U8) -> _Float | None:
    height, width = gray.shape
    edges = cv2.dilate(cv2.Canny(gray, 10, 30), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    best: tuple[float, _Float] | None = None
    for contour in contours:
        hull = cv2.convexHull(contour)
        area = float(cv2.contourArea(hull))
        if not _OUTLINE_SHARE[0] * height * width <= area <= _OUTLINE_SHARE[1] * height * width:
            continue
        left, top, across, down = cv2.boundingRect(hull)
        if left <= 1 or top <= 1 or left + across >= width - 2 or top + down >= height - 2:
            continue  # cut off by the image's border: its corners may be no card's
        rectangle = cv2.minAreaRect(hull)
        long_side, short_side = max(rectangle[1]), max(1.0, min(rectangle[1]))
        corners = cv2.approxPolyDP(hull, 0.03 * cv2.arcLength(hull, True), True)
        if (
            len(corners) == 4
            and abs(long_side / short_side / ID1_ASPECT - 1) < 0.06
            and area >= _OUTLINE_FILL * long_side * short_side
            and (best is None or area > best[0])
        ):
            best = (area, _ordered(np.asarray(cv2.boxPoints(rectangle), np.float64)))
    return None if best is None else best[1]


@dataclass(frozen=True)
class _Content:
    """The marks (small-image pixels) that belong to the document, their convex hull, and whether the document
    fills the image (a tight scan or a close photo) rather than lying on a larger background."""

    points: NDArray[np.int32]
    hull: NDArray[np.int32]
    fills_image: bool
    marks: _U8  # 1 where a mark is, over the whole small image


def _content(small: _U8) -> _Content | None:
    """The document's content: text, photo, emblem and its own edges, or None when nothing stands out.

    A bed or a table is flat up to noise and a smooth change of light; a document has edges and print. Local
    contrast (a 3×3 morphological gradient) well above the image's own noise marks them.
    """
    kernel = np.ones((3, 3), np.uint8)
    gradient = np.max([cv2.morphologyEx(small[:, :, c], cv2.MORPH_GRADIENT, kernel) for c in range(3)], axis=0)
    sample = gradient[::3, ::3]  # plenty for two percentiles
    # Noise sets the median; in a quiet scan, a smooth fall-off of light quantised into bands sets the 90th
    # percentile.
    threshold = max(2.0 * float(np.median(sample)), float(np.percentile(sample, 90))) + 3.0
    marks = (gradient > threshold).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(marks, connectivity=8)
    big = np.zeros(count, np.uint8)
    big[1:] = stats[1:, cv2.CC_STAT_AREA] >= 8  # isolated specks are noise or dust
    marks = big[labels]
    if not marks.any():
        return None
    # Print on one document lies close together: join marks within a few per cent of the image into clusters,
    # then the clusters near the largest one (a passport's machine-readable zone lies well below its other print).
    # Clusters are found at a quarter of the resolution, which is plenty for gaps this wide.
    height, width = marks.shape
    coarse = cv2.resize(marks * 255, ((width + 3) // 4, (height + 3) // 4), interpolation=cv2.INTER_AREA) > 0
    reach = max(3, round(0.01 * max(height, width))) | 1
    clusters = cv2.dilate(coarse.astype(np.uint8), np.ones((reach, reach), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(clusters, connectivity=8)
    if count < 2:
        return None
    boxes = stats[1:, :4].astype(np.int64)
    area = coarse.size
    # Judged by the marks a cluster holds, not its dilated size: a speck of dust dilates into a sizeable blob.
    held = np.bincount(labels[coarse], minlength=count)[1:]
    significant = held >= max(12, 0.0002 * area)
    everything = _union(boxes[significant]) if significant.any() else None
    fills_image = everything is not None and everything[2] * everything[3] >= 0.4 * area
    # A document that fills the image is all of it; one on a bed is the largest cluster and those near it.
    largest = int(np.argmax(held))
    chosen = np.flatnonzero(significant) if fills_image else _grow(boxes, largest)
    keep = np.zeros(count, np.uint8)
    keep[1 + chosen] = 1
    region = cv2.resize(keep[labels], (width, height), interpolation=cv2.INTER_NEAREST)
    ys, xs = np.nonzero(marks & region)
    if len(xs) < 20:
        return None
    points = np.stack([xs, ys], axis=1).astype(np.int32)
    hull = np.asarray(cv2.convexHull(points), np.int32)
    if cv2.contourArea(hull) < 0.005 * width * height:
        return None  # a few marks on a blank page, not a document
    return _Content(points, hull, fills_image, marks)


def _union(boxes: NDArray[np.int64]) -> tuple[int, int, int, int]:
    """The bounding box (x, y, width, height) of boxes given as rows of x, y, width, height."""
    x0, y0 = int(boxes[:, 0].min()), int(boxes[:, 1].min())
    x1, y1 = int((boxes[:, 0] + boxes[:, 2]).max()), int((boxes[:, 1] + boxes[:, 3]).max())
    return x0, y0, x1 - x0, y1 - y0


def _grow(boxes: NDArray[np.int64], seed: int) -> NDArray[np.intp]:
    """The seed cluster and every cluster within a quarter of their joint size of them."""
    chosen = {seed}
    while True:
        x, y, w, h = _union(boxes[sorted(chosen)])
        reach = 0.25 * max(w, h)
        gap_x = np.maximum(0, np.maximum(x - (boxes[:, 0] + boxes[:, 2]), boxes[:, 0] - (x + w)))
        gap_y = np.maximum(0, np.maximum(y - (boxes[:, 1] + boxes[:, 3]), boxes[:, 1] - (y + h)))
        near = set(np.flatnonzero(np.maximum(gap_x, gap_y) <= reach).tolist())
        if near <= chosen:
            return np.array(sorted(chosen), np.intp)
        chosen |= near


def _coarse_quad(content: _Content, size: tuple[int, int]) -> _Float:
    """Four corners (top-left first, clockwise; small-image pixels) around the content: the hull's own
    quadrilateral when the document's edges bound it (seen square on or in perspective), else the tightest
    rectangle at the content's angle."""
    hull = content.hull
    width, height = size
    xs, ys = hull[:, 0, 0], hull[:, 0, 1]
    clear_of_border = xs.min() > 1 and ys.min() > 1 and xs.max() < width - 2 and ys.max() < height - 2
    hull_area = max(float(cv2.contourArea(hull)), 1.0)
    approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    # The document's own edges bound the hull (a photo on a darker desk, a card on a bed with its edges seen): four
    # corners fit it, whether a rectangle or a view in perspective, and its sides run along marks (a hull around
    # print alone has gaps). Where the image's border cuts the hull off, its corners may be no document's: unless
    # the sides are marked all along (a photo that cuts off a corner of the card).
    if (
        len(approx) == 4
        and cv2.isContourConvex(approx)
        and cv2.contourArea(approx) >= 0.97 * hull_area
        and _on_marks(np.asarray(approx, np.int32).reshape(4, 2), content.marks) >= (0.7 if clear_of_border else 0.95)
    ):
        return _ordered(approx.reshape(4, 2).astype(np.float64))
    # The smallest rectangle around the print leans towards its longest lines, and around a hull cut off by the
    # image's border (a tight scan) towards the border: its angle is only a start, the print's rows settle it.
    start = 0.0 if content.fills_image else (cv2.minAreaRect(hull)[2] + 45) % 90 - 45
    angle = np.radians(_projection_angle(content.points, start, 8.0 if content.fills_image else 3.0))
    along = np.array([np.cos(angle), np.sin(angle)])
    across = np.array([-np.sin(angle), np.cos(angle)])
    # Not quite the outermost marks: a speck of dust or noise beside the card would move a whole side.
    points = content.points.astype(np.float64)
    u_low, u_high = np.percentile(points @ along, (0.1, 99.9))
    v_low, v_high = np.percentile(points @ across, (0.1, 99.9))
    corners = [u * along + v * across for u, v in ((u_low, v_low), (u_high, v_low), (u_high, v_high), (u_low, v_high))]
    return _ordered(np.array(corners))


def _on_marks(polygon: NDArray[np.int32], marks: _U8) -> float:
    """The least share, over the polygon's sides, of points along a side that lie on a mark (or next to one)."""
    near = cv2.dilate(marks, np.ones((5, 5), np.uint8))
    height, width = near.shape
    least = 1.0
    for start, end in zip(polygon, np.roll(polygon, -1, axis=0), strict=True):
        steps = np.linspace(0.1, 0.9, 50)[:, None]  # the corners are round: their middle 80% only
        along = np.round(start + steps * (end - start)).astype(np.int64)
        xs, ys = np.clip(along[:, 0], 0, width - 1), np.clip(along[:, 1], 0, height - 1)
        least = min(least, float(near[ys, xs].mean()))
    return least


def _ordered(points: _Float) -> _Float:
    """The four corners clockwise on screen, from the top-left one."""
    centre = points.mean(axis=0)
    points = points[np.argsort(np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0]))]
    return np.roll(points, -int(np.argmin(points.sum(axis=1))), axis=0)


def _projection_angle(points: NDArray[np.int32], start: float, span: float) -> float:
    """The angle (degrees, clockwise on screen) within `span` of `start` at which the marks line up best in rows
    and columns: lines of print and the document's edges make the projections peaky (the sum of squared bin
    counts, a classic deskew measure). Being a count of marks, it has none of the pull towards 0° that JPEG's
    8×8 blocks give to gradient directions."""
    if len(points) > 40_000:  # the measure is statistical: a regular subsample keeps it and saves the time
        points = points[:: len(points) // 20_000]
    xs = points[:, 0] - points[:, 0].mean()
    ys = points[:, 1] - points[:, 1].mean()

    def peakiness(degrees: float) -> float:
        turn = np.radians(degrees)
        total = 0.0
        for coordinate in (ys * np.cos(turn) - xs * np.sin(turn), xs * np.cos(turn) + ys * np.sin(turn)):
            bins = np.bincount(np.round(coordinate - coordinate.min()).astype(np.int64)).astype(np.float64)
            total += float((bins**2).sum())
        return total

    steps = np.arange(start - span, start + span + 1e-9, 0.5)
    best = float(steps[int(np.argmax([peakiness(a) for a in steps]))])
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.1)
    scores = np.array([peakiness(a) for a in fine])
    k = int(np.argmax(scores))
    return float(fine[k]) + (0.1 * _vertex(scores, k) if 0 < k < len(fine) - 1 else 0.0)


# ---------------------------------------------------------------------------------------------------------------
# 2. Fine: where exactly is each edge?


@dataclass(frozen=True)
class _Strip:
    """The lines parallel to one side of the coarse quad, rectified, outermost first: `origin` is the index of the
    coarse side; `valid` marks the pixels that come from inside the source image."""

    pixels: NDArray[np.float32]  # lines × length × 3
    valid: NDArray[np.bool_]
    origin: int
    across: float  # the document's extent at right angles to this side, in strip pixels


def _strips(rgb: Image.Image, quad: _Float, tight: bool) -> tuple[list[_Strip], _Float, float]:
    """A strip across each side (top, right, bottom, left) of `quad`, sampled from full resolution; also the
    homography from the source to the rectified frame the strips are cut from, and that frame's scale."""
    top_length = float(np.linalg.norm(quad[1] - quad[0]))
    left_length = float(np.linalg.norm(quad[3] - quad[0]))
    scale = min(1.0, REFINE_PIXELS / max(top_length, left_length, 1.0))
    width, height = max(16, round(top_length * scale)), max(16, round(left_length * scale))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    to_frame = cv2.getPerspectiveTransform(quad.astype(np.float32), target).astype(np.float64)
    strips = []
    for side in range(4):
        across = width if side in (1, 3) else height
        outside = round((_TIGHT_OUT if tight else _REACH_OUT) * across) + 16  # the search, and the noise level
        inside = round((_START_IN + _FLAT) * across) + 8
        length = width if side in (0, 2) else height
        lo, hi = round(0.1 * length), round(0.9 * length)
        # The strip as a rectangle of the frame (x0, y0, x1, y1); only the middle 80% of each side counts, because
        # a card's corners are round.
        region = {
            0: (lo, -outside, hi, inside),
            1: (width - inside, lo, width + outside, hi),
            2: (lo, height - inside, hi, height + outside),
            3: (-outside, lo, inside, hi),
        }[side]
        pixels, valid = _sample(rgb, to_frame, region, along_x=side in (0, 2))
        if side in (1, 3):  # lines parallel to the side are columns: make them rows
            pixels, valid = pixels.transpose(1, 0, 2), valid.T
        if side in (1, 2):  # the outermost line first on every side
            pixels, valid = pixels[::-1], valid[::-1]
        strips.append(_Strip(np.ascontiguousarray(pixels), np.ascontiguousarray(valid), outside, across))
    return strips, to_frame, scale


# Lines are averaged along the side: every few pixels along it is plenty, and the strips are that much smaller.
_ALONG_STEP = 4


def _sample(
    rgb: Image.Image, to_frame: _Float, region: tuple[int, int, int, int], along_x: bool
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """The frame's pixels in `region` (x0, y0, x1, y1) as float32 RGB, every _ALONG_STEP-th pixel along x (or y
    when not `along_x`), and which of them lie inside the source."""
    x0, y0, x1, y1 = region
    step_x, step_y = (_ALONG_STEP, 1) if along_x else (1, _ALONG_STEP)
    to_region = np.array([[1 / step_x, 0, -x0 / step_x], [0, 1 / step_y, -y0 / step_y], [0, 0, 1]]) @ to_frame
    size = (max(1, (x1 - x0) // step_x), max(1, (y1 - y0) // step_y))
    corners = np.array([[[0, 0], [size[0], 0], [size[0], size[1]], [0, size[1]]]], np.float64)
    back = cv2.perspectiveTransform(corners, np.linalg.inv(to_region)).reshape(4, 2)
    # Only the part of the source under the strip is converted: an A4 scan is many times larger.
    left, top = (max(0, math.floor(v) - 2) for v in back.min(axis=0))
    right = min(rgb.width, math.ceil(back[:, 0].max()) + 2)
    bottom = min(rgb.height, math.ceil(back[:, 1].max()) + 2)
    if right <= left or bottom <= top:
        return np.zeros((size[1], size[0], 3), np.float32), np.zeros((size[1], size[0]), bool)
    crop = np.asarray(rgb.crop((left, top, right, bottom)), dtype=np.float32)
    shifted = to_region @ np.array([[1, 0, left], [0, 1, top], [0, 0, 1]], np.float64)
    # Whatever lies outside the source comes out NaN, and so does a pixel blended with it: the image's border is
    # known to a pixel.
    nan = float("nan")
    pixels = np.asarray(
        cv2.warpPerspective(crop, shifted, size, flags=cv2.INTER_LINEAR, borderValue=(nan, nan, nan)), np.float32
    )
    valid = ~np.isnan(pixels[:, :, 0])
    pixels[~valid] = 0.0
    return pixels, valid


# Where edges are searched for, as shares of the document's extent at right angles to the side.
_START_IN = 0.05  # the coarse side can lie outside the edge (a shadow beside the card is part of the marks) ...
_REACH_OUT = 0.2  # ... or inside it, at the print, when the edge itself was too faint to mark ...
_TIGHT_OUT = 0.35  # ... as far as the image's border in a tight scan (a card's back has a wide bare margin)
_FLAT = 0.025  # a document's margin: no print this close to its edge
_TIGHT_STEP = 3.0  # mean change of colour per pixel across a tight scan's edge, at least
_TIGHT_IN = 0.008  # a tight scan's marks include everything on the document: its edge is outside them
# Brightness along a line through a card's margin, a bed or a scanner lid varies with noise, security print and
# uneven light: a standard deviation well under this. Along a line through print, dark strokes alternate with
# paper.
_PRINT_SPREAD = 25.0
# A Gaussian of σ = 1.5 px: wide enough to make one step of a card's edge and the faint shadow fringe beside it.
_SMOOTH = np.array([0.0088, 0.0271, 0.0651, 0.1216, 0.1770, 0.2006, 0.1770, 0.1216, 0.0651, 0.0271, 0.0088])


@dataclass(frozen=True)
class _Edge:
    offset: float  # strip pixels outward from the coarse side
    how: str  # "edge": a step in colour; "border": the image ends first (a tight scan); "coarse": nothing better


@dataclass(frozen=True)
class _Lines:
    """What each line of a strip looks like, outermost first."""

    strength: _Float  # how sharply the mean colour changes across the line (see _derivative)
    change: _Float  # that change, per channel, inwards
    quarters: _Float  # mean colour of each quarter of the line (lines × 4 × 3)
    spread: _Float  # standard deviation of brightness along the line: print is uneven, paper and beds are not
    share: _Float  # how much of the line lies inside the source image


def _lines(strip: _Strip) -> _Lines:
    weight = strip.valid.astype(np.float32)
    total = np.maximum(weight.sum(axis=1), 1.0)
    weighted = strip.pixels * weight[..., None]
    mean = weighted.sum(axis=1) / total[:, None]
    quarters = np.stack(
        [
            part.sum(axis=1) / np.maximum(inside.sum(axis=1), 1.0)[:, None]
            for part, inside in zip(np.array_split(weighted, 4, axis=1), np.array_split(weight, 4, axis=1), strict=True)
        ],
        axis=1,
    )
    brightness = strip.pixels.mean(axis=2)
    spread = np.sqrt(np.maximum((brightness**2 * weight).sum(axis=1) / total - mean.mean(axis=1) ** 2, 0.0))
    change = _derivative(mean.astype(np.float64))
    return _Lines(
        np.linalg.norm(change, axis=1),
        change,
        quarters.astype(np.float64),
        spread.astype(np.float64),
        (weight.sum(axis=1) / max(1, strip.valid.shape[1])).astype(np.float64),
    )


def _edge(strip: _Strip, tight: bool) -> _Edge:
    """Where the document's edge is in `strip`: the outermost sharp step in colour that runs the side's whole length
    with flat stretches either side; else the image's border when it is near (a tight scan); else the coarse side.

    A shadow beside the card is a gentle ramp, not a step; text has print on one side of its outer line. Inside a
    tight scan's marks, the photo's frame is such a step too, and is not searched.
    """
    lines = _lines(strip)
    origin, strength = strip.origin, lines.strength
    start_in = max(2, round((_TIGHT_IN if tight else _START_IN) * strip.across))
    reach_out = round((_TIGHT_OUT if tight else _REACH_OUT) * strip.across)
    flat = max(6, round(_FLAT * strip.across))
    usable = lines.share >= 0.9
    outer = int(np.argmax(usable)) if usable.any() else origin  # the first line wholly inside the source
    # Most of the strip is flat background or margin; print and edges are the few high values.
    searched = strength[outer + 3 : origin + start_in + flat]
    threshold = max(0.8, 5.0 * float(np.percentile(searched, 30))) if len(searched) > 12 else 0.8
    found = _Edge(0.0, "coarse")
    for i in range(max(outer + 3, origin - reach_out), min(origin + start_in, len(strength) - flat - 6) + 1):
        value = strength[i]
        if (
            value >= threshold
            and strength[i - 1] <= value >= strength[i + 1]
            and _is_edge(lines, i, outer, flat, threshold)
        ):
            found = _Edge(origin - (i + _vertex(strength, i)), "edge")
            break  # from outside inwards: the outermost wins
    border = outer > 0 and origin - reach_out <= outer <= origin + start_in
    # In a tight scan the card's edge against the lid is a plain step; a faint one is more likely a wave of the
    # security print beside a card edge that the image's border cuts off.
    if border and (found.how == "coarse" or (tight and strength[round(origin - found.offset)] < _TIGHT_STEP)):
        return _Edge(float(origin - outer), "border")
    return found


def _is_edge(lines: _Lines, i: int, outer: int, flat: int, threshold: float) -> bool:
    """Whether the step at line `i` is a document's edge: flat on both sides, even along its length. `outer` is
    the first line inside the source image; `threshold` the least change that is not noise."""
    strength, value = lines.strength, lines.strength[i]
    # The step's own blur (with a card's faint shadow fringe beside it) spans a few pixels either side: the flat
    # stretches begin where the change has died down.
    inner, outer_end = _foot(strength, i, +1), _foot(strength, i, -1)
    inside = strength[inner : inner + flat]
    if len(inside) and inside.max() >= max(threshold, 0.35 * value):
        return False  # print goes on inside: the outer line of some text
    beside = np.concatenate([lines.spread[max(outer + 3, outer_end - 5) : outer_end], lines.spread[inner : inner + 5]])
    if len(beside) and beside.max() > _PRINT_SPREAD:
        return False  # uneven along its length: the edge of a line of print
    # Outside, a change the same way as this step means print (the inner line of some text); a shadow darkens
    # towards the card, the opposite way to the step up onto the card, and does not count.
    outside = lines.change[max(outer + 3, outer_end - flat) : max(outer + 3, outer_end)]
    if len(outside) and (outside @ (lines.change[i] / value)).max() >= 0.6 * value:
        return False
    across_quarters = lines.quarters[inner : inner + 3].mean(axis=0) - lines.quarters[outer_end - 3 : outer_end].mean(
        axis=0
    )
    steps = np.linalg.norm(across_quarters, axis=1)
    return bool(steps.min() >= 0.3 * float(np.median(steps)))  # not on part of the side only: an emblem's top


def _foot(strength: _Float, peak: int, direction: int) -> int:
    """The first index past the peak (going `direction`) where the change has fallen to a quarter of the peak's,
    or stops falling; at most a dozen pixels away."""
    limit = strength[peak] / 4
    i = peak
    for _ in range(12):
        following = i + direction
        if not 0 <= following < len(strength) or strength[following] <= limit or strength[following] > strength[i]:
            break
        i = following
    return i + direction


def _derivative(mean: _Float) -> _Float:
    """How the colour changes at each line of a profile, inwards: a central difference of the smoothed profile,
    one column per channel."""
    padded = np.pad(mean, ((5, 5), (0, 0)), mode="edge")
    smooth = np.stack([np.convolve(padded[:, c], _SMOOTH, mode="valid") for c in range(mean.shape[1])], axis=1)
    change = np.zeros_like(mean)
    change[1:-1] = (smooth[2:] - smooth[:-2]) / 2
    return change


def _vertex(values: _Float, i: int) -> float:
    """Sub-pixel offset of the peak at `i`: the vertex of the parabola through it and its neighbours."""
    a, b, c = values[i - 1], values[i], values[i + 1]
    denominator = a - 2 * b + c
    return 0.0 if denominator == 0 else float(np.clip(0.5 * (a - c) / denominator, -0.5, 0.5))


def _refine(rgb: Image.Image, coarse: _Float, tight: bool) -> tuple[_Float, bool]:
    """The document's corners in the source, and whether some edge was not seen (the coarse side stands in)."""
    strips, to_frame, scale = _strips(rgb, coarse, tight)
    top, right, bottom, left = (_edge(strip, tight) for strip in strips)
    width = float(np.linalg.norm(coarse[1] - coarse[0])) * scale
    height = float(np.linalg.norm(coarse[3] - coarse[0])) * scale
    x0, y0 = -left.offset, -top.offset
    x1, y1 = round(width) + right.offset, round(height) + bottom.offset
    corners = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], np.float64)
    quad = np.asarray(cv2.perspectiveTransform(corners, np.linalg.inv(to_frame)), np.float64).reshape(4, 2)
    return quad, any(edge.how == "coarse" for edge in (top, right, bottom, left))


# ---------------------------------------------------------------------------------------------------------------
# 3. Output


def _sides(quad: _Float) -> tuple[float, float]:
    """Mean lengths of the quad's top and bottom, and of its left and right sides."""
    horizontal = (np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])) / 2
    vertical = (np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2
    return float(horizontal), float(vertical)


def _proportions(quad: _Float, size: tuple[int, int]) -> float:
    """Width over height of the rectangle whose picture `quad` is (width along its top side), allowing for
    perspective: Zhang and He's method for a pinhole camera whose principal point is the image's centre ("Whiteboard
    scanning and image enhancement", 2007). For a scan, where the quad is a rectangle, the ratio of its sides."""
    centre = np.array([size[0] / 2, size[1] / 2])
    m1, m2, m4, m3 = (np.array([*(corner - centre), 1.0]) for corner in quad)  # tl, tr, br, bl
    k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
    k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1
    affine = math.hypot(n2[0], n2[1]) / max(math.hypot(n3[0], n3[1]), 1e-9)
    depth = n2[2] * n3[2]
    if abs(depth) < 1e-12:
        return affine  # no perspective to speak of
    focal_squared = -(n2[0] * n3[0] + n2[1] * n3[1]) / depth
    if focal_squared <= 0:
        return affine  # not a view a camera could take: the corners are off, their plain proportions will do
    across = (n2[0] ** 2 + n2[1] ** 2) / focal_squared + n2[2] ** 2
    down = (n3[0] ** 2 + n3[1] ** 2) / focal_squared + n3[2] ** 2
    return math.sqrt(across / down)


def _shape_of(aspect: float) -> str | None:
    """The document's outline from its proportions (long over short side)."""
    if abs(aspect / ID1_ASPECT - 1) < _SHAPE_TOLERANCE:
        return "id1"
    if abs(aspect / PAGE_ASPECT - 1) < _SHAPE_TOLERANCE:
        return "page"
    return None


def _output_size(quad: _Float, aspect: float, shape: str | None) -> tuple[int, int]:
    """Width and height of the cut-out: the document's proportions (a known shape's exactly), at the source's
    resolution but no less than 300 DPI and no more than half as much again."""
    long_side = max(_sides(quad))
    if shape is None:
        return max(1, round(long_side)), max(1, round(long_side / aspect))
    aspect, least = (ID1_ASPECT, ID1_WIDTH_300DPI) if shape == "id1" else (PAGE_ASPECT, PAGE_WIDTH_300DPI)
    most = (ID1_WIDTH_300DPI if shape == "id1" else 1476) * MAX_SCALE_OVER_300DPI
    width = round(min(max(long_side, least), most))
    return width, round(width / aspect)


def _cut_out(rgb: Image.Image, quad: _Float, warnings: tuple[str, ...]) -> LocatedDocument:
    aspect = _proportions(quad, rgb.size)
    if aspect < 1:  # portrait: the left side becomes the top, a quarter turn clockwise
        quad, aspect = np.roll(quad, 1, axis=0), 1 / aspect
    shape = None if "document_not_found" in warnings else _shape_of(aspect)
    width, height = _output_size(quad, aspect, shape)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    to_output = cv2.getPerspectiveTransform(quad.astype(np.float32), target).astype(np.float64)
    left = max(0, math.floor(quad[:, 0].min()) - 2)
    top = max(0, math.floor(quad[:, 1].min()) - 2)
    right = min(rgb.width, math.ceil(quad[:, 0].max()) + 2)
    bottom = min(rgb.height, math.ceil(quad[:, 1].max()) + 2)
    crop = np.asarray(rgb.crop((left, top, right, bottom)))
    shifted = to_output @ np.array([[1, 0, left], [0, 1, top], [0, 0, 1]], np.float64)
    # Outside the source (a tight scan's cut-off corners) is filled white, as a scanner's lid would be.
    pixels = cv2.warpPerspective(crop, shifted, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    corners = tuple((float(x), float(y)) for x, y in quad)
    return LocatedDocument(Image.fromarray(pixels), corners, shape, warnings)  # type: ignore[arg-type]
