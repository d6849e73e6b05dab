"""Finding a machine-readable zone anywhere in a scan, at any angle, when the document itself was not found.

The locator looks for the document's outline and the classifier for a zone at the foot of what was cut out; a card
lying on a sheet of printed paper, beside a second card, or turned a quarter, can defeat both. The zone is the
surest sign of all: two or three parallel lines of 30, 36 or 44 glyphs of one height at one even pitch, which no
other print on an ID document or a bed has. Found, it says the document's type, angle, scale and (with one short
look at the zone itself) which way up it is, and the document is cut out around it.

All of it runs on a reduced grey copy in some tens of milliseconds; only the check of which way up costs Tesseract
runs (one or two, on the zone's strip alone), and only once a zone has been found.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from desktop_app.ocr.mrz import MrzNotFound, parse_mrz
from desktop_app.ocr.tesseract_engine import MRZ_CONFIG, read_lines

_WORK_PIXELS = 1600  # long side of the copy the zone is looked for in: a small card's glyphs stay ~8 px tall
_LEAST_GLYPHS = 22  # of a line's 30-44: a few merge with a neighbour or break up
_PITCH_300DPI = 30.0  # 2.54 mm at 300 DPI, the pitch the MRZ reader is tuned for
# Per layout, the document's width and height in pitches (2.54 mm): ICAO 9303's nominal sizes (TD1 85.6 × 54 mm,
# TD2 105 × 74, TD3 125 × 88).
_LAYOUTS = {
    "mrz_td1": (85.6 / 2.54, 54 / 2.54),
    "mrz_td2": (105 / 2.54, 74 / 2.54),
    "mrz_td3": (125 / 2.54, 88 / 2.54),
}
_BELOW_ZONE = 1.6  # pitches from the last line's middle to the document's foot (ICAO: ~ 1.2-2)

_Float = NDArray[np.float64]


@dataclass(frozen=True)
class FoundZone:
    """A zone found in a scan: its layout, and the document cut out around it, upright, at 300 DPI."""

    document_type: str
    document: Image.Image


@dataclass(frozen=True)
class _Line:
    centres: _Float  # glyph centres (x, y) in the work copy
    height: float  # median glyph height


def find_zone(image: Image.Image) -> FoundZone | None:
    """The machine-readable zone in `image` and the document cut out around it, or None where no zone is seen."""
    gray = ImageOps.grayscale(image)
    factor = max(1.0, max(gray.size) / _WORK_PIXELS)
    small = gray.resize((round(gray.width / factor), round(gray.height / factor)), Image.Resampling.BILINEAR)
    lines = _zone_lines(np.asarray(small))
    if lines is None:
        return None
    along, across, start, end, (top, bottom), pitch, count = _geometry(lines)
    document_type = "mrz_td1" if len(lines) == 3 else "mrz_td3" if count >= 40 else "mrz_td2"
    width, height = _LAYOUTS[document_type]
    scale = _PITCH_300DPI / (pitch * factor)  # output pixels per source pixel
    chars = 30 if document_type == "mrz_td1" else 44 if document_type == "mrz_td3" else 36
    # The zone is centred across the document, with the lines' middle _BELOW_ZONE pitches above its foot.
    margin = (width - chars) / 2 * pitch
    rgb = np.asarray(image.convert("RGB"))
    size = (round(width * _PITCH_300DPI), round(height * _PITCH_300DPI))

    def turned(sign: float) -> Image.Image:
        """The document cut out with the zone's `sign` side down (1: as the lines were found, -1: turned)."""
        u, v = sign * along, sign * across
        first = start if sign > 0 else end
        foot = (bottom if sign > 0 else top) + sign * _BELOW_ZONE * pitch
        corner = first * along + foot * across - margin * u - height * pitch * v  # its top-left, work-copy pixels
        return _cut(rgb, corner * factor, u, v, scale, size)

    upright = _upright(turned, len(lines))
    return None if upright is None else FoundZone(document_type, upright)


def zone_count(image: Image.Image) -> int:
    """How many separate machine-readable zones the scan holds (0, 1, 2...): more than one where a second passport
    or card lies in the frame, and the zone read may then be another document's."""
    gray = ImageOps.grayscale(image)
    factor = max(1.0, max(gray.size) / _WORK_PIXELS)
    small = gray.resize((round(gray.width / factor), round(gray.height / factor)), Image.Resampling.BILINEAR)
    return max((len(_separate(zones)) for zones in _all_zones(np.asarray(small))), default=0)


def _all_zones(gray: NDArray[np.uint8]) -> list[list[list[_Line]]]:
    """For each way of joining glyphs into lines, every zone found: the best, then the best of the lines left."""
    found_lines = _candidate_lines(gray)
    passes: list[list[list[_Line]]] = []
    for lines in found_lines:
        zones: list[list[_Line]] = []
        left = list(lines)
        while (zone := _group(left)) is not None:
            zones.append(zone)
            left = [line for line in left if not any(line is taken for taken in zone)]
        passes.append(zones)
    return passes


def _separate(zones: list[list[_Line]]) -> list[list[_Line]]:
    """The zones that are not parts of one another: a line broken in two makes two half-zones side by side on
    the same rows, whereas a second document's zone lies rows away or a whole zone's length along."""
    kept: list[list[_Line]] = []
    for zone in zones:
        points = np.vstack([line.centres for line in zone])
        centre = points.mean(axis=0)
        _, _, axes = np.linalg.svd(zone[0].centres - zone[0].centres.mean(axis=0), full_matrices=False)
        height = float(np.median([line.height for line in zone]))
        extent = float(np.ptp(points @ axes[0]))
        apart = True
        for other in kept:
            offset = np.vstack([line.centres for line in other]).mean(axis=0) - centre
            along, across = abs(float(offset @ axes[0])), abs(float(offset @ axes[1]))
            if across <= 4 * height and along <= 1.1 * extent:
                apart = False
        if apart:
            kept.append(zone)
    return kept


def _candidate_lines(gray: NDArray[np.uint8]) -> list[list[_Line]]:
    """The evenly pitched lines of glyphs in the image, once for each way of joining glyphs into lines."""
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 12)
    count, labels, found_stats, found_centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    stats, centroids = np.asarray(found_stats, np.int32), np.asarray(found_centroids, np.float64)
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    size = np.maximum(w, h)
    glyph = (size >= 6) & (size <= 70) & (np.minimum(w, h) >= 2) & (stats[1:, cv2.CC_STAT_AREA] >= 10)
    ids = np.flatnonzero(glyph) + 1
    if len(ids) < 2 * _LEAST_GLYPHS:
        return []
    mask = np.isin(labels, ids).astype(np.uint8)
    # The page's own print sets the typical glyph size; the zone's glyphs are larger than most, and its digit 1
    # leaves a wider gap: two reaches.
    typical = float(np.median(size[glyph]))
    passes = []
    for quarter, reach in itertools.product((False, True), (max(3, int(typical)), max(5, int(2 * typical)))):
        # Glyphs of a line joined into one blob along the line (horizontal, or vertical for a quarter turn).
        kernel = np.ones((1, reach) if not quarter else (reach, 1), np.uint8)
        joined = cv2.dilate(mask, kernel)
        _, blobs = cv2.connectedComponents(joined, connectivity=8)
        owners = np.zeros(count, np.int32)
        owners[labels[mask > 0]] = blobs[mask > 0]
        passes.append([line for line in _lines_of(owners[ids], ids, centroids, stats, quarter) if line is not None])
    return passes


def _zone_lines(gray: NDArray[np.uint8]) -> list[_Line] | None:
    """The zone's lines, top to bottom as found (2 or 3), or None."""
    best: list[_Line] | None = None
    for found in _candidate_lines(gray):
        zone = _group(found)
        if zone is not None and (best is None or _size(zone) > _size(best)):
            best = zone
    return best


def _lines_of(
    owner: NDArray[np.int32], ids: NDArray[np.intp], centroids: _Float, stats: NDArray[np.int32], quarter: bool
) -> list[_Line | None]:
    """The blobs that hold a line of evenly pitched glyphs of one height (`owner`: each glyph's blob)."""
    centres = centroids[ids]
    heights = stats[ids, cv2.CC_STAT_HEIGHT if not quarter else cv2.CC_STAT_WIDTH].astype(np.float64)
    lines: list[_Line | None] = []
    order = np.argsort(owner, kind="stable")
    owners, starts = np.unique(owner[order], return_index=True)
    for index, blob in enumerate(owners):
        stop = starts[index + 1] if index + 1 < len(starts) else len(order)
        members = order[starts[index] : stop]
        if blob == 0 or len(members) < _LEAST_GLYPHS:
            continue
        height = float(np.median(heights[members]))
        members = members[np.abs(heights[members] - height) <= 0.4 * height]
        if len(members) < _LEAST_GLYPHS:
            continue
        lines.append(_even(centres[members], height))
    return lines


def _even(points: _Float, height: float) -> _Line | None:
    """The glyphs as a line, if they lie on one straight line at an even pitch."""
    mean = points.mean(axis=0)
    _, _, axes = np.linalg.svd(points - mean, full_matrices=False)
    along = axes[0]
    t = np.sort((points - mean) @ along)
    off = (points - mean) @ axes[1]
    if np.abs(off).max() > 0.5 * height:
        return None
    steps = np.diff(t)
    steps = steps[steps > 0.3 * height]  # parts of one broken glyph
    if len(steps) < _LEAST_GLYPHS - 2:
        return None
    pitch = float(np.median(steps))
    even = float(np.mean(np.abs(steps - pitch) <= 0.25 * pitch))
    if even < 0.75 or not 0.5 * height <= pitch <= 1.4 * height:
        return None
    return _Line(points, height)


def _group(lines: Sequence[_Line | None]) -> list[_Line] | None:
    """Two or three parallel lines of about one length, one above the other: the zone."""
    found = [line for line in lines if line is not None]
    best: list[_Line] | None = None
    for seed in found:
        mean = seed.centres.mean(axis=0)
        _, _, axes = np.linalg.svd(seed.centres - mean, full_matrices=False)
        along, across = axes[0], axes[1]
        extent = np.ptp(seed.centres @ along)
        group = []
        for other in found:
            o = other.centres
            offset = float((o.mean(axis=0) - mean) @ across)
            same_span = abs(np.ptp(o @ along) - extent) <= 0.15 * extent
            overlap = abs(float((o.mean(axis=0) - mean) @ along)) <= 0.15 * extent
            if abs(offset) <= 3.2 * 2 * seed.height and same_span and overlap:
                group.append((offset, other))
        group.sort(key=lambda pair: pair[0])
        if 2 <= len(group) <= 3:
            gaps = np.diff([offset for offset, _ in group])
            zone = [line for _, line in group]
            if np.all(gaps >= 1.1 * seed.height) and (best is None or _size(zone) > _size(best)):
                best = zone
    return best


def _size(zone: list[_Line]) -> tuple[int, int]:
    """Lines, then glyphs: of two zones in one scan (a second document beside), the whole one, not one the
    image's border cuts off."""
    return len(zone), sum(len(line.centres) for line in zone)


def _geometry(lines: list[_Line]) -> tuple[_Float, _Float, float, float, tuple[float, float], float, int]:
    """Along and across unit vectors, where the glyphs start and end along, where the outermost lines are across
    (least, most), the pitch and the characters a line."""
    points = np.concatenate([line.centres for line in lines])
    mean = points.mean(axis=0)
    _, _, axes = np.linalg.svd(points - mean, full_matrices=False)
    along = axes[0] if axes[0][0] >= 0 else -axes[0]
    across = np.array([-along[1], along[0]])  # a quarter turn clockwise on screen from along: not a mirror image
    spans = [np.sort(line.centres @ along) for line in lines]
    start = float(np.median([s[0] for s in spans]))
    end = float(np.median([s[-1] for s in spans]))
    steps = np.concatenate([np.diff(s) for s in spans])
    height = float(np.median([line.height for line in lines]))
    steps = steps[steps > 0.3 * height]
    pitch = float(np.median(steps))
    count = round((end - start) / pitch) + 1
    pitch = (end - start) / max(1, count - 1)
    middles = [float(line.centres.mean(axis=0) @ across) for line in lines]
    ends = (min(middles), max(middles))
    return along, across, start, end, ends, pitch, count


def _cut(
    rgb: NDArray[np.uint8], corner: _Float, u: _Float, v: _Float, scale: float, size: tuple[int, int]
) -> Image.Image:
    """The region of `image` whose top-left corner is `corner` (source pixels), `u` along its top and `v` down its
    side, at `scale` output pixels per source pixel."""
    # Output (x, y) comes from source corner + x/scale·u + y/scale·v.
    to_source = np.array([[u[0] / scale, v[0] / scale, corner[0]], [u[1] / scale, v[1] / scale, corner[1]]])
    out = cv2.warpAffine(rgb, to_source, size, flags=cv2.INTER_AREA | cv2.WARP_INVERSE_MAP, borderValue=(255, 255, 255))
    return Image.fromarray(out)


def _upright(turned: Callable[[float], Image.Image], count: int) -> Image.Image | None:
    """Of the two ways up, the one whose zone Tesseract reads as one: more check digits that hold, then more
    fillers and characters it is sure of (read upside down, a zone is neither)."""
    scores: list[tuple[int, float]] = []
    documents = []
    for sign in (1.0, -1.0):
        document = turned(sign)
        documents.append(document)
        lines_height = round((count + 1.2) * 1.6 * _PITCH_300DPI)
        strip = ImageOps.grayscale(document).crop((0, document.height - lines_height, document.width, document.height))
        # Binarised locally: a shadow across the zone otherwise hides half a line.
        ink = cv2.adaptiveThreshold(np.asarray(strip), 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 15)
        read = read_lines(ImageOps.expand(Image.fromarray(ink), 10, fill=255), lang="eng", config=MRZ_CONFIG)
        long = [line for line in read if len(line.text) >= 10]
        try:
            held = sum(1 for f in parse_mrz([line.text for line in long], date.today()).fields.values() if f.verified)
        except MrzNotFound:
            held = 0
        scores.append((held, sum(line.text.count("<") + 10 * line.confidence for line in long)))
        if held >= 2:
            return document  # two check digits hold: read upside down, a zone has none
    if max(scores) <= (0, 0.0):
        return None
    return documents[0] if scores[0] >= scores[1] else documents[1]
