"""Generated paper account-opening forms, drawn from a paper layout: a label and a box per field with its value
written in, the serial-number QR code in its place, and a signature (or none) in the signature box. Drawn at 300
dpi on white A4, as the bank prints them; tests and bench_paper scan or degrade them.

No real personal data: the values come from tests/support/customers.py.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw

from desktop_app.domain.paper_layout import PaperLayout, Region
from tests.support.id_family.fonts import DEJAVU_SANS, NOTO_SANS, font

DPI = 300


def serial_text(serial: str) -> str:
    """The text the form's QR code carries for a serial number (the pattern of personal_customer v1)."""
    return f"KYC-PC1-{serial}"


def _px(region: Region, size: tuple[int, int], layout: PaperLayout) -> tuple[int, int, int, int]:
    left, top, right, bottom = region.pixels(size, layout.page_size_mm)
    return left, top, right, bottom


def qr_image(text: str, side: int) -> Image.Image:
    """A QR code of `text`, `side` pixels square with its quiet zone, black on white."""
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    bitmap = np.asarray(code.to_image(scale=1, add_quiet_zones=True))
    return Image.fromarray(bitmap).convert("L").resize((side, side), Image.Resampling.NEAREST)


def _scribble(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: random.Random) -> None:
    left, top, right, bottom = box
    points = []
    x = left + (right - left) * 0.1
    while x < right - (right - left) * 0.15:
        points.append((x, rng.uniform(top + (bottom - top) * 0.25, bottom - (bottom - top) * 0.25)))
        x += rng.uniform(15, 45)
    draw.line(points, fill=(20, 20, 90), width=6, joint="curve")


def draw_form(
    layout: PaperLayout,
    values: Mapping[str, str],
    serial: str | None,
    *,
    signed: bool = True,
    seed: int = 0,
) -> list[Image.Image]:
    """The form's pages, filled with `values`, carrying the QR code of `serial` (none when None), signed or not."""
    rng = random.Random(seed)
    size = (round(layout.page_size_mm[0] / 25.4 * DPI), round(layout.page_size_mm[1] / 25.4 * DPI))
    pages = [Image.new("RGB", size, "white") for _ in range(layout.pages)]
    draws = [ImageDraw.Draw(page) for page in pages]
    label_font = font(DEJAVU_SANS, 28)
    value_font = font(NOTO_SANS, 40)
    draws[0].text(
        (size[0] // 12, size[1] // 40), "Account opening form / 开户申请表", fill="black", font=font(NOTO_SANS, 48)
    )
    for key, region in layout.fields.items():
        draw = draws[region.page - 1]
        left, top, right, bottom = _px(region, size, layout)
        draw.rectangle((left, top, right, bottom), outline=(120, 120, 120), width=2)
        draw.text((left - 40 * 12, top + 8), key.replace("_", " "), fill=(60, 60, 60), font=label_font)
        text = values.get(key, serial if key == "form_number" and serial else "")
        if text:
            draw.text((left + 12, top + 6), text[:60], fill=(10, 10, 120), font=value_font)
    for name, region in layout.signatures.items():
        draw = draws[region.page - 1]
        box = _px(region, size, layout)
        draw.rectangle(box, outline=(120, 120, 120), width=2)
        draw.text((box[0], box[1] - 40), f"signature: {name}", fill=(60, 60, 60), font=label_font)
        if signed:
            inner = (box[0] + 4, box[1] + 4, box[2] - 4, box[3] - 4)
            _scribble(draw, inner, rng)
    if serial is not None and layout.code is not None:
        left, top, right, bottom = _px(layout.code.region, size, layout)
        side = min(right - left, bottom - top)
        pages[layout.code.region.page - 1].paste(qr_image(serial_text(serial), side).convert("RGB"), (left, top))
    return pages
