"""Is anything written in a region of a page? The blank-signature check before submit: the share of pixels in
the region clearly darker than the paper around them, with the box's printed border left out."""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from PIL import Image

# A signature at 300 dpi covers 2-8% of its box; scanner noise and a faint printed line under 0.1%.
INK_SHARE_BLANK = 0.003
_DARKER_THAN_PAPER = 70  # grey levels below the region's paper (its 90th percentile) that count as ink
_INSET = 0.08  # share of the box left out on each side: the printed border, and a slightly shifted scan


_PAPER_AT_LEAST = 110  # a region whose lightest tenth is darker than this is not paper (a black page, a photo)


class Ink(StrEnum):
    """What a region of a page holds."""

    WRITTEN = "written"
    BLANK = "blank"
    NOT_PAPER = "not_paper"  # too dark to tell: an all-black page counted as an unsigned box (independent check)


def _inner(image: Image.Image, box: tuple[int, ...]) -> np.ndarray:
    left, top, right, bottom = box
    dx, dy = round((right - left) * _INSET), round((bottom - top) * _INSET)
    inner = image.convert("L").crop((left + dx, top + dy, right - dx, bottom - dy))
    return np.asarray(inner, dtype=np.int16)


def ink_share(image: Image.Image, box: tuple[int, ...]) -> float:
    """The share (0-1) of the region's pixels that are ink; 0.0 for a region with no pixels."""
    pixels = _inner(image, box)
    if pixels.size == 0:
        return 0.0
    paper = float(np.percentile(pixels, 90))
    return float(np.count_nonzero(pixels < paper - _DARKER_THAN_PAPER)) / pixels.size


def region_ink(image: Image.Image, box: tuple[int, ...]) -> Ink:
    """Whether something is written in the region, nothing is, or the region is not paper at all."""
    pixels = _inner(image, box)
    if pixels.size and float(np.percentile(pixels, 90)) < _PAPER_AT_LEAST:
        return Ink.NOT_PAPER
    return Ink.BLANK if ink_share(image, box) < INK_SHARE_BLANK else Ink.WRITTEN


def is_blank(image: Image.Image, box: tuple[int, ...]) -> bool:
    """True when nothing is written in the region (on paper: a dark region is not called blank)."""
    return region_ink(image, box) is Ink.BLANK
