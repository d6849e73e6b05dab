"""Is anything written in a region of a page? The blank-signature check before submit: the share of pixels in
the region clearly darker than the paper around them, with the box's printed border left out."""

from __future__ import annotations

import numpy as np
from PIL import Image

# A signature at 300 dpi covers 2-8% of its box; scanner noise and a faint printed line under 0.1%.
INK_SHARE_BLANK = 0.003
_DARKER_THAN_PAPER = 70  # grey levels below the region's paper (its 90th percentile) that count as ink
_INSET = 0.08  # share of the box left out on each side: the printed border, and a slightly shifted scan


def ink_share(image: Image.Image, box: tuple[int, ...]) -> float:
    """The share (0-1) of the region's pixels that are ink; 0.0 for a region with no pixels."""
    left, top, right, bottom = box
    dx, dy = round((right - left) * _INSET), round((bottom - top) * _INSET)
    inner = image.convert("L").crop((left + dx, top + dy, right - dx, bottom - dy))
    pixels = np.asarray(inner, dtype=np.int16)
    if pixels.size == 0:
        return 0.0
    paper = float(np.percentile(pixels, 90))
    return float(np.count_nonzero(pixels < paper - _DARKER_THAN_PAPER)) / pixels.size


def is_blank(image: Image.Image, box: tuple[int, ...]) -> bool:
    """True when nothing is written in the region."""
    return ink_share(image, box) < INK_SHARE_BLANK
