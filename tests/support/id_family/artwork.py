"""Printed artwork shared by the documents: card stock colours, guilloche patterns, the photo and emblem places,
and a small canvas that remembers where each value was drawn.

Every background colour stays pale (each channel above 190) so that no pattern pixel can pass for ink, as on
real documents, whose security printing is light under the personalised black text.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from math import cos, pi, sin

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tests.support.id_family.fonts import NOTO_SANS, font

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]
DPI = 300  # documents are drawn at the 300 dpi of a card printer; capture.py resamples to the scan's resolution


def mm(length: float) -> int:
    """Millimetres to pixels at 300 dpi."""
    return round(length / 25.4 * DPI)


ID1_SIZE = (mm(85.6), mm(54))  # 1011 × 638
TD2_SIZE = (mm(105), mm(74))  # 1240 × 874
TD3_SIZE = (mm(125), mm(88))  # 1476 × 1039
CARD_RADIUS = mm(3.18)


@dataclass(frozen=True)
class Palette:
    """The colours of a document's stock and pre-printed parts."""

    name: str
    tint: RGB  # the stock, top of the card
    lines: tuple[RGB, ...]  # guilloche colours
    label: RGB  # pre-printed captions (blue on the resident ID card)
    ink: RGB  # personalised values


GUILLOCHES = ("waves", "rings", "mesh", "rosette", "lattice")


def _jitter(color: RGB, rng: random.Random, amount: int) -> RGB:
    r, g, b = (max(0, min(255, c + rng.randint(-amount, amount))) for c in color)
    return (r, g, b)


def rounded_mask(size: tuple[int, int], radius: int) -> Image.Image:
    """An L mask: 255 inside a rounded rectangle of `size`, 0 outside."""
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=radius, fill=255)
    return mask


def _waves(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random, colors: tuple[RGB, ...]) -> None:
    w, h = size
    for k in range(rng.randint(18, 30)):
        amplitude, wavelength = rng.uniform(8, 40), rng.uniform(160, 520)
        phase, y0 = rng.uniform(0, 2 * pi), rng.uniform(-20, h + 20)
        points = [(x, y0 + amplitude * sin(2 * pi * x / wavelength + phase)) for x in range(0, w + 8, 8)]
        draw.line(points, fill=colors[k % len(colors)], width=1)


def _rings(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random, colors: tuple[RGB, ...]) -> None:
    w, h = size
    for c in range(rng.randint(1, 2)):
        cx, cy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.1, 0.9) * h
        for r in range(30, max(w, h), rng.randint(14, 30)):
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=colors[c % len(colors)], width=1)


def _mesh(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random, colors: tuple[RGB, ...]) -> None:
    # Two families of sine curves crossing each other: the net of many banknotes and cards.
    w, h = size
    step = rng.randint(22, 40)
    amplitude, wavelength = rng.uniform(10, 30), rng.uniform(200, 400)
    for k, y0 in enumerate(range(-step, h + step, step)):
        for sign in (1, -1):
            points = [(x, y0 + sign * amplitude * sin(2 * pi * x / wavelength)) for x in range(0, w + 8, 8)]
            draw.line(points, fill=colors[(k + (sign > 0)) % len(colors)], width=1)


def _rosette(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random, colors: tuple[RGB, ...]) -> None:
    # Hypotrochoids around one or two centres: the turned rosettes of security printing.
    w, h = size
    for c in range(rng.randint(1, 2)):
        cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
        big, small, arm = rng.uniform(0.25, 0.45) * h, rng.uniform(0.05, 0.12) * h, rng.uniform(0.05, 0.15) * h
        for k in range(rng.randint(5, 9)):
            scale = 0.55 + 0.08 * k
            points = []
            for i in range(0, 1441):
                t = i * pi / 90
                x = (big - small) * cos(t) + arm * cos((big - small) / small * t)
                y = (big - small) * sin(t) - arm * sin((big - small) / small * t)
                points.append((cx + scale * x, cy + scale * y))
            draw.line(points, fill=colors[(c + k) % len(colors)], width=1)


def _lattice(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random, colors: tuple[RGB, ...]) -> None:
    # Fine diagonal hatching in two directions.
    w, h = size
    step = rng.randint(9, 16)
    for k, x0 in enumerate(range(-h, w + h, step)):
        draw.line((x0, 0, x0 + h, h), fill=colors[k % len(colors)], width=1)
        draw.line((x0 + h, 0, x0, h), fill=colors[(k + 1) % len(colors)], width=1)


_PATTERNS = {"waves": _waves, "rings": _rings, "mesh": _mesh, "rosette": _rosette, "lattice": _lattice}


def background(
    size: tuple[int, int], rng: random.Random, palette: Palette, guilloche: str, radius: int = CARD_RADIUS
) -> Image.Image:
    """A pale document: the palette's tint as a vertical gradient and the guilloche pattern, rounded corners
    (white outside them; `radius` 0 for a page)."""
    top = _jitter(palette.tint, rng, 4)
    bottom = tuple(max(200, c - rng.randint(4, 14)) for c in top)
    gradient = Image.linear_gradient("L").resize(size)
    card = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), gradient)
    _PATTERNS[guilloche](ImageDraw.Draw(card), size, rng, palette.lines)
    if not radius:
        return card
    out = Image.new("RGB", size, (255, 255, 255))
    out.paste(card, (0, 0), rounded_mask(size, radius))
    return out


class Canvas:
    """An image, its draw handle, and the boxes of what was drawn on it."""

    def __init__(self, image: Image.Image, palette: Palette) -> None:
        self.image = image
        self.palette = palette
        self.draw = ImageDraw.Draw(image)
        self.boxes: dict[str, Box] = {}

    def text(
        self, xy: tuple[float, float], text: str, face: ImageFont.FreeTypeFont, fill: RGB | None = None, key: str = ""
    ) -> Box:
        """`text` with the left end of its baseline at `xy` (ink colour by default); its box under `key`."""
        fill = fill or self.palette.ink
        self.draw.text(xy, text, font=face, fill=fill, anchor="ls")
        box: Box = tuple(round(v) for v in self.draw.textbbox(xy, text, font=face, anchor="ls"))  # type: ignore[assignment]
        self.record(key, box)
        return box

    def spaced(
        self,
        xy: tuple[float, float],
        text: str,
        face: ImageFont.FreeTypeFont,
        pitch: float,
        fill: RGB | None = None,
        key: str = "",
    ) -> Box:
        """`text` one character every `pitch` pixels (monospaced zones and numbers, letter-spaced captions)."""
        x, y = xy
        boxes = [self.text((x + i * pitch, y), ch, face, fill) for i, ch in enumerate(text) if ch != " "]
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        self.record(key, box)
        return box

    def label(self, xy: tuple[float, float], text: str, face: ImageFont.FreeTypeFont, pitch: float = 0) -> Box:
        """A pre-printed caption in the palette's label colour."""
        if pitch:
            return self.spaced(xy, text, face, pitch, self.palette.label, f"label:{text}")
        return self.text(xy, text, face, self.palette.label, f"label:{text}")

    def record(self, key: str, box: Box) -> None:
        if not key:
            return
        if key in self.boxes:  # a value drawn in pieces (address lines): one box around them all
            old = self.boxes[key]
            box = (min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3]))
        self.boxes[key] = box


def ink_spread(layer: Image.Image, style: str) -> Image.Image:
    """An L coverage layer as a printer lays it: "normal", "heavy" (ink spreads by a pixel) or "light" (a thin,
    starved print)."""
    if style == "heavy":
        return Image.fromarray(cv2.dilate(np.asarray(layer), np.ones((3, 3), np.uint8)))
    if style == "light":
        # Thin the strokes without breaking them: a soft erosion, then back to full strength.
        return layer.filter(ImageFilter.GaussianBlur(0.6)).point(lambda v: 0 if v < 150 else min(255, (v - 150) * 3))
    return layer


def draw_printed(image: Image.Image, draw_on: Callable[[ImageDraw.ImageDraw], None], ink: RGB, style: str) -> None:
    """Draw with `draw_on(ImageDraw of an L layer)` and lay the layer on `image` in `ink` with `style` of print."""
    layer = Image.new("L", image.size, 0)
    draw_on(ImageDraw.Draw(layer))
    layer = ink_spread(layer, style)
    image.paste(ink, (0, 0, *image.size), layer)


def photo_placeholder(canvas: Canvas, box: Box, rng: random.Random) -> None:
    """A grey rectangle where the holder's photo goes, marked as a specimen: no face, ever."""
    grey = rng.randint(150, 185)
    canvas.draw.rectangle(box, fill=(grey, grey, grey + 4))
    x0, y0, x1, y1 = box
    mark = (grey - 40, grey - 40, grey - 36)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    canvas.draw.text((cx, cy - 4), "样本", font=font(NOTO_SANS, max(18, (x1 - x0) // 7)), fill=mark, anchor="md")
    canvas.draw.text((cx, cy + 4), "SPECIMEN", font=font(NOTO_SANS, max(12, (x1 - x0) // 12)), fill=mark, anchor="ma")


def emblem_placeholder(canvas: Canvas, centre: tuple[float, float], radius: float, color: RGB) -> None:
    """The emblem's place: rings and a star-less disc, nothing national."""
    cx, cy, r = *centre, radius
    canvas.draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=color, width=max(3, round(r / 16)))
    inner = r * 0.78
    pale = tuple(min(255, c + 70) for c in color)
    canvas.draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), fill=pale)
    for k in range(5):  # rays, so it is not a plain disc to a circle detector
        a = 2 * pi * k / 5 - pi / 2
        canvas.draw.line((cx, cy, cx + inner * cos(a), cy + inner * sin(a)), fill=color, width=max(2, round(r / 30)))
