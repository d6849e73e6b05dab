"""Reading the serial-number code (QR, Data Matrix or a linear barcode) printed on the bank's paper form, with
zxing-cpp: a maintained reader that finds codes at any rotation and on uneven light, which hand-written OpenCV
detection does not.

A page gives at most one form code: the first code found, in reading order, after the attempts below. The code's
orientation is returned too: the form prints it upright, so it tells how far the page was turned (page_pages.py
rotates the page back by it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import zxingcpp
from PIL import Image

# The whole page is read reduced to ~135 dpi (a 25-module QR of 37 mm keeps 8 pixels a module): a full 300 dpi
# page costs up to 2 s in zxing-cpp on busy artwork. Where the layouts say where the code is printed, that corner
# is read first, at full resolution, in each of the four ways the sheet may have been fed: a few milliseconds.
# (built per call: a BarcodeFormats kept at module level is reported as leaked by nanobind at interpreter exit)
_FORMATS = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.DataMatrix, zxingcpp.BarcodeFormat.Code128)
_PAGE_SIDE = 1600  # pixels, the long side of the page when the whole of it is searched
_HINT_MARGIN = 0.04  # share of the page added around a hinted region (a sheet fed askew, a shifted print)

#: A region of the upright page as shares of its width and height: left, top, right, bottom.
Hint = tuple[float, float, float, float]


@dataclass(frozen=True)
class FormCode:
    """A code read from a page: its text, its kind, and where and how it lies on the page image given."""

    text: str
    format: str
    orientation: int  # degrees the code is turned clockwise on the image (0, 90, 180, 270, or in between)
    box: tuple[int, int, int, int]  # left, top, right, bottom on the image given


def _turned(hint: Hint) -> list[Hint]:
    """Where a region of the upright page lies on the page turned by 0, 90, 180 and 270 degrees anticlockwise."""
    left, top, right, bottom = hint
    return [
        (left, top, right, bottom),
        (top, 1 - right, bottom, 1 - left),
        (1 - right, 1 - bottom, 1 - left, 1 - top),
        (1 - bottom, left, 1 - top, right),
    ]


def _read(view: Image.Image, binarizer: zxingcpp.Binarizer) -> zxingcpp.Barcode | None:
    for code in zxingcpp.read_barcodes(
        view, formats=zxingcpp.BarcodeFormats(list(_FORMATS)), try_rotate=True, binarizer=binarizer
    ):
        if code.valid and code.text:
            return code
    return None


def _found(code: zxingcpp.Barcode, factor: float, offset: tuple[int, int]) -> FormCode:
    corners = (code.position.top_left, code.position.top_right, code.position.bottom_right, code.position.bottom_left)
    xs = [round(p.x / factor) + offset[0] for p in corners]
    ys = [round(p.y / factor) + offset[1] for p in corners]
    return FormCode(
        text=code.text,
        format=str(code.format.name),
        orientation=int(code.orientation) % 360,
        box=(min(xs), min(ys), max(xs), max(ys)),
    )


def read_form_code(image: Image.Image, hints: Sequence[Hint] = ()) -> FormCode | None:
    """The form's code on a page image, None when the page has none that can be read. `hints` are where the known
    form versions print their code on the upright page; they are tried first, then the whole page."""
    grey = image.convert("L")
    width, height = grey.size
    for hint in hints:
        for left, top, right, bottom in _turned(hint):
            box = (
                max(0, round((left - _HINT_MARGIN) * width)),
                max(0, round((top - _HINT_MARGIN) * height)),
                min(width, round((right + _HINT_MARGIN) * width)),
                min(height, round((bottom + _HINT_MARGIN) * height)),
            )
            if box[2] - box[0] < 20 or box[3] - box[1] < 20:
                continue
            code = _read(grey.crop(box), zxingcpp.Binarizer.LocalAverage)
            if code is not None:
                return _found(code, 1.0, (box[0], box[1]))
    factor = min(1.0, _PAGE_SIDE / max(width, height))
    reduced = grey if factor == 1.0 else grey.resize((round(width * factor), round(height * factor)))
    # The local binariser (zxing-cpp's default) copes with shadows and light fall-off; the global one with noise
    # that breaks the local one's modules up.
    for binarizer in (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram):
        code = _read(reduced, binarizer)
        if code is not None:
            return _found(code, factor, (0, 0))
    return None
