"""How a drawn document becomes the file a reader gets: a clean image, a flatbed scan, or a phone photo.

Over the range the issue names: scale 0.5–1.2, rotation ±6°, perspective (phone), blur, noise, JPEG quality
30–95, uneven light and shadows, light and dark scanner beds, 200–600 dpi, a second card or a paper edge in
the frame. The document is drawn at 300 dpi (a card printer's resolution); a scan at `dpi` resampled by
`scale` has dpi × scale pixels per inch, kept within 150–720 (0.5 × 300 to 1.2 × 600), and the scanned area
is cut to the document's neighbourhood where a whole A4 bed would pass 12 megapixels, as a scanner's preview
crop does. Blur is given in millimetres, so that it means the same optics at every resolution.

Every random draw comes from the rng passed in; what was done is returned as a dict of plain values.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from tests.support.id_family.artwork import DPI, RGB, mm

MIN_PPI, MAX_PPI = 150, 720
MAX_PIXELS = 12_000_000


@dataclass(frozen=True)
class Surface:
    """What lies behind the document: a scanner's bed or lid, or a table under a phone."""

    name: str
    color: RGB
    texture: str  # "flat", "grain" (paper, card), "felt", "wood"


@dataclass(frozen=True)
class Degradation:
    """The ranges a split draws captures from (the same for both splits unless a split says otherwise)."""

    rotation_deg: float = 6.0
    scale: tuple[float, float] = (0.5, 1.2)
    perspective: float = 0.07  # phone: each corner moves up to this share of the document's size
    blur_mm: tuple[float, float] = (0.0, 0.11)
    motion_share: float = 0.25  # phone photos blurred by motion rather than focus
    noise: tuple[float, float] = (0.0, 10.0)  # standard deviation, in 8-bit levels
    jpeg: tuple[int, int] = (30, 95)
    light: tuple[float, float] = (0.0, 0.35)  # depth of the fall-off across the frame
    shadow_share: float = 0.3
    second_card_share: float = 0.15
    paper_edge_share: float = 0.15


# -- surfaces ----------------------------------------------------------------------------------------------------


def _gaussian_field(shape: tuple[int, ...], sigma: float, rng: random.Random) -> np.ndarray:
    """Normal noise (int16) from the rng's seed: OpenCV's generator is many times faster than numpy's here."""
    cv2.setRNGSeed(rng.getrandbits(31))
    out = np.empty(shape, np.int16)
    cv2.randn(out, 0, sigma)
    return out


def _surface(size: tuple[int, int], surface: Surface, rng: random.Random) -> Image.Image:
    w, h = size
    texture = np.zeros((h, w), np.int16)
    if surface.texture == "grain":
        texture += _gaussian_field((h, w), 3, rng)
    elif surface.texture == "felt":
        small = _gaussian_field((h // 4 + 1, w // 4 + 1), 8, rng).astype(np.float32)
        texture += cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.int16)
    elif surface.texture == "wood":
        ys = np.arange(h // 2 + 1, dtype=np.float32)[:, None]
        xs = np.arange(w // 2 + 1, dtype=np.float32)[None, :]
        period, tilt = rng.uniform(9, 20), rng.uniform(-0.08, 0.08)
        rings = np.sin((ys + tilt * xs + 3 * np.sin(xs / rng.uniform(40, 100))) * 2 * np.pi / period) * 14
        texture += cv2.resize(rings, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.int16)
        texture += _gaussian_field((h, w), 3, rng)
    base = np.asarray(surface.color, np.int16)[None, None, :] + texture[..., None]
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")


def _paper_edge(frame: Image.Image, rng: random.Random) -> str:
    """A sheet of paper under the document, its edge crossing the frame (10-60% in from one side), printed with
    grey bars for lines of text; return the side it covers."""
    w, h = frame.size
    side = rng.choice(("left", "right", "top", "bottom"))
    depth = rng.uniform(0.1, 0.6)
    tilt = rng.uniform(-0.08, 0.08)
    sheet = Image.new("RGB", (w, h), rng.choice(((250, 250, 248), (246, 243, 232))))
    draw = ImageDraw.Draw(sheet)
    y = rng.randint(20, 120)
    while y < h - 20:
        x = rng.randint(20, 140)
        while x < w - 100:
            length = rng.randint(40, 220)
            draw.rectangle((x, y, min(w - 20, x + length), y + 16), fill=(150, 150, 155))
            x += length + rng.randint(14, 30)
        y += rng.randint(40, 90)
    mask = Image.new("L", (w, h), 0)
    if side in ("left", "right"):
        edge = depth * w if side == "left" else (1 - depth) * w
        far = -w if side == "left" else 2 * w
        polygon = [(edge - tilt * h / 2, 0), (edge + tilt * h / 2, h), (far, h), (far, 0)]
    else:
        edge = depth * h if side == "top" else (1 - depth) * h
        far = -h if side == "top" else 2 * h
        polygon = [(0, edge - tilt * w / 2), (w, edge + tilt * w / 2), (w, far), (0, far)]
    ImageDraw.Draw(mask).polygon(polygon, fill=255)
    frame.paste(sheet, (0, 0), mask)
    return side


# -- geometry ----------------------------------------------------------------------------------------------------


def _rotated(image: Image.Image, mask: Image.Image, angle: float) -> tuple[Image.Image, Image.Image]:
    """Turned `angle` degrees counter-clockwise on a canvas grown to hold it (black, mask 0 outside)."""
    w, h = image.size
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    out_w, out_h = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
    matrix[0, 2] += out_w / 2 - w / 2
    matrix[1, 2] += out_h / 2 - h / 2
    turned = cv2.warpAffine(np.asarray(image), matrix, (out_w, out_h), flags=cv2.INTER_CUBIC)
    turned_mask = cv2.warpAffine(np.asarray(mask), matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    return Image.fromarray(turned), Image.fromarray(turned_mask)


def _perspective(
    image: Image.Image, mask: Image.Image, amount: float, rng: random.Random
) -> tuple[Image.Image, Image.Image, list[list[float]]]:
    """The document seen at a slant: each corner moved inward up to `amount` of the size (a phone held not quite
    above it)."""
    w, h = image.size
    corners = [(0, 0), (w, 0), (w, h), (0, h)]
    src = np.array(corners, dtype=np.float32)
    inward = [(1 if x == 0 else -1, 1 if y == 0 else -1) for x, y in corners]
    moved = [(x + dx * rng.uniform(0, amount) * w, y + dy * rng.uniform(0, amount) * h)
             for (x, y), (dx, dy) in zip(corners, inward, strict=True)]  # fmt: skip
    dst = np.array(moved, dtype=np.float32)
    dst -= dst.min(axis=0)
    out_w, out_h = int(np.ceil(dst[:, 0].max())) + 1, int(np.ceil(dst[:, 1].max())) + 1
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(np.asarray(image), matrix, (out_w, out_h), flags=cv2.INTER_CUBIC)
    warped_mask = cv2.warpPerspective(np.asarray(mask), matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    return Image.fromarray(warped), Image.fromarray(warped_mask), dst.round(1).tolist()


def _drop_shadow(
    frame: Image.Image, mask: Image.Image, at: tuple[int, int], rng: random.Random, strength: float
) -> None:
    margin = 30
    w, h = mask.size
    shadow = Image.new("L", (w + 2 * margin, h + 2 * margin), 0)
    shadow.paste(mask.point(lambda v: round(v * strength)), (margin, margin))
    shadow = shadow.filter(ImageFilter.BoxBlur(rng.randint(6, 14)))
    dx, dy = rng.randint(2, 10), rng.randint(3, 12)
    frame.paste((0, 0, 0), (at[0] - margin + dx, at[1] - margin + dy), shadow)


def _place_partly_outside(frame: Image.Image, item: Image.Image, mask: Image.Image, rng: random.Random,
                          keep_clear: tuple[int, int, int, int]) -> str:  # fmt: skip
    """Put `item` across one edge of the frame (a quarter to two thirds of it inside), away from `keep_clear`
    where it can be; return which edge."""
    fw, fh = frame.size
    w, h = item.size
    edges = ["left", "right", "top", "bottom"]
    rng.shuffle(edges)
    x0, y0, x1, y1 = keep_clear
    room = {"left": x0, "right": fw - x1, "top": y0, "bottom": fh - y1}
    edge = max(edges, key=lambda e: room[e])
    inside = rng.uniform(0.25, 0.66)
    if edge in ("left", "right"):
        x = round(-w * (1 - inside)) if edge == "left" else round(fw - w * inside)
        y = rng.randint(-h // 3, max(-h // 3, fh - 2 * h // 3))
    else:
        y = round(-h * (1 - inside)) if edge == "top" else round(fh - h * inside)
        x = rng.randint(-w // 3, max(-w // 3, fw - 2 * w // 3))
    frame.paste(item, (x, y), mask)
    return edge


# -- light, blur, noise, JPEG ------------------------------------------------------------------------------------


def _uneven_light(image: Image.Image, depth: float, rng: random.Random) -> None:
    if depth <= 0.005:
        return
    light = Image.radial_gradient("L") if rng.random() < 0.3 else Image.linear_gradient("L")
    light = light.transpose(rng.choice(list(Image.Transpose)[:5]))
    light = light.point(lambda v: 255 - round(v * depth)).resize(image.size, Image.Resampling.BILINEAR)
    image.paste(ImageChops.multiply(image, Image.merge("RGB", (light, light, light))))


def _cast_shadow(image: Image.Image, rng: random.Random) -> float:
    """A soft shadow across part of the frame (a hand, the phone, the lid): a blurred polygon darkening it."""
    w, h = image.size
    corner = rng.choice(((0, 0), (w, 0), (w, h), (0, h)))
    sx = 1 if corner[0] == 0 else -1  # towards the inside of the frame
    sy = 1 if corner[1] == 0 else -1
    reach = rng.uniform(0.3, 0.7)
    points = [
        corner,
        (corner[0] + sx * reach * w, corner[1]),
        (corner[0] + sx * rng.uniform(0.1, 0.5) * w, corner[1] + sy * reach * h),
        (corner[0], corner[1] + sy * rng.uniform(0.3, 0.9) * h),
    ]
    strength = rng.uniform(0.15, 0.45)
    # Drawn and softened at an eighth of the size: the edge of a shadow is wide anyway.
    small = Image.new("L", (w // 8 + 1, h // 8 + 1), 0)
    ImageDraw.Draw(small).polygon([(x / 8, y / 8) for x, y in points], fill=round(255 * strength))
    mask = small.filter(ImageFilter.GaussianBlur(max(w, h) / 320)).resize((w, h), Image.Resampling.BILINEAR)
    image.paste((0, 0, 0), (0, 0, w, h), mask)
    return round(strength, 3)


def _noise(image: Image.Image, sigma: float, rng: random.Random) -> Image.Image:
    """Sensor noise: mostly luminance, a third as much per channel."""
    if sigma < 0.5:
        return image
    pixels = np.asarray(image).astype(np.int16)
    pixels += _gaussian_field(pixels.shape[:2], sigma, rng)[..., None]
    pixels += _gaussian_field(pixels.shape, sigma / 3, rng)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _blur(
    image: Image.Image, blur_mm: float, ppi: float, motion: bool, rng: random.Random
) -> tuple[Image.Image, dict[str, Any]]:
    px = blur_mm / 25.4 * ppi
    if px < 0.15:
        return image, {"blur_px": 0.0}
    if not motion:
        return Image.fromarray(cv2.GaussianBlur(np.asarray(image), (0, 0), px)), {"blur_px": round(px, 2)}
    length = max(2, round(px * 3))
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1 / length
    angle = rng.uniform(0, 180)
    rotation = cv2.getRotationMatrix2D(((length - 1) / 2, (length - 1) / 2), angle, 1)
    kernel = cv2.warpAffine(kernel, rotation, (length, length))
    kernel /= kernel.sum()
    out = cv2.filter2D(np.asarray(image), -1, kernel)
    return Image.fromarray(out), {"blur_px": round(px, 2), "motion_px": length, "motion_angle": round(angle)}


def jpeg_bytes(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# -- the three captures ------------------------------------------------------------------------------------------


def clean(image: Image.Image) -> tuple[bytes, str, dict[str, Any]]:
    """The drawn document itself at 300 dpi, lossless: (file bytes, extension, what was done)."""
    return png_bytes(image.convert("RGB")), "png", {"capture": "clean", "dpi": DPI, "ppi": DPI}


def _ppi(rng: random.Random, dpis: tuple[int, ...], scale_range: tuple[float, float]) -> tuple[int, float, float]:
    for _ in range(100):
        dpi = rng.choice(dpis)
        scale = round(rng.uniform(*scale_range), 3)
        if MIN_PPI <= dpi * scale <= MAX_PPI:
            return dpi, scale, dpi * scale
    raise ValueError(f"no scale in {scale_range} puts any of {dpis} dpi within {MIN_PPI}-{MAX_PPI} ppi")


def flatbed(
    image: Image.Image,
    mask: Image.Image,
    rng: random.Random,
    bed: Surface,
    dpis: tuple[int, ...],
    ranges: Degradation,
    neighbour: str = "",
    extra: tuple[Image.Image, Image.Image] | None = None,
) -> tuple[bytes, str, dict[str, Any]]:
    """The document on a scanner bed: placed at an angle, the lid's shadow at its edges, maybe a second card or
    a sheet of paper beside it, scanned at one of `dpis` and resampled, then blur, noise, uneven light, JPEG."""
    dpi, scale, ppi = _ppi(rng, dpis, ranges.scale)
    factor = ppi / DPI
    angle = round(rng.uniform(-ranges.rotation_deg, ranges.rotation_deg), 2)
    doc, doc_mask = _rotated(image.convert("RGB"), mask, angle)
    # The scanned area, in pixels at 300 dpi: the A4 bed, an A5 part of it, or a preview crop around the document.
    areas = [(mm(210), mm(297)), (mm(148), mm(210))]
    pad = mm(rng.uniform(6, 35))
    areas.append((doc.width + 2 * pad, doc.height + 2 * pad))
    fitting = [
        a for a in areas if a[0] * a[1] * factor**2 <= MAX_PIXELS and a[0] > doc.width + 20 and a[1] > doc.height + 20
    ]
    area = rng.choice(fitting or areas[-1:])
    frame = _surface(area, bed, rng)
    x = rng.randint(10, area[0] - doc.width - 10)
    y = rng.randint(10, area[1] - doc.height - 10)
    done: dict[str, Any] = {"capture": "flatbed", "dpi": dpi, "scale": scale, "ppi": round(ppi, 1),
                            "rotation": angle, "bed": bed.name, "area": list(area)}  # fmt: skip
    _neighbour(frame, neighbour, extra, rng, (x, y, x + doc.width, y + doc.height), done)
    _drop_shadow(frame, doc_mask, (x, y), rng, rng.uniform(0.15, 0.5))
    frame.paste(doc, (x, y), doc_mask)
    return _finish(frame, rng, ranges, ppi, factor, done, motion=False)


def phone(
    image: Image.Image,
    mask: Image.Image,
    rng: random.Random,
    surface: Surface,
    ranges: Degradation,
    neighbour: str = "",
    extra: tuple[Image.Image, Image.Image] | None = None,
) -> tuple[bytes, str, dict[str, Any]]:
    """The document photographed on a table: perspective, rotation, a frame of 4:3 around it, shadows, light
    falling off, focus or motion blur, noise, JPEG."""
    scale = round(rng.uniform(*ranges.scale), 3)
    ppi = DPI * scale
    angle = round(rng.uniform(-ranges.rotation_deg, ranges.rotation_deg), 2)
    doc, doc_mask = _rotated(image.convert("RGB"), mask, angle)
    doc, doc_mask, corners = _perspective(doc, doc_mask, rng.uniform(0, ranges.perspective), rng)
    # The document fills 55-90% of the frame's width or height, whichever binds.
    fill = rng.uniform(0.55, 0.9)
    fw = round(max(doc.width / fill, doc.height / fill * 4 / 3))
    fh = round(fw * 3 / 4)
    frame = _surface((fw, fh), surface, rng)
    x = rng.randint(0, fw - doc.width)
    y = rng.randint(0, fh - doc.height)
    done: dict[str, Any] = {"capture": "phone", "scale": scale, "ppi": round(ppi, 1), "rotation": angle,
                            "perspective": corners, "surface": surface.name, "fill": round(fill, 2)}  # fmt: skip
    _neighbour(frame, neighbour, extra, rng, (x, y, x + doc.width, y + doc.height), done)
    _drop_shadow(frame, doc_mask, (x, y), rng, rng.uniform(0.2, 0.6))
    frame.paste(doc, (x, y), doc_mask)
    return _finish(frame, rng, ranges, ppi, scale, done, motion=rng.random() < ranges.motion_share)


def _neighbour(frame: Image.Image, neighbour: str, extra: tuple[Image.Image, Image.Image] | None,
               rng: random.Random, keep_clear: tuple[int, int, int, int], done: dict[str, Any]) -> None:  # fmt: skip
    """A sheet of paper or a second card across an edge of the frame, beside the document."""
    if neighbour == "paper_edge":
        done["paper_edge"] = _paper_edge(frame, rng)
    elif neighbour == "second_card":
        if extra is None:
            raise ValueError("a second card needs its image and mask")
        other, other_mask = _rotated(extra[0].convert("RGB"), extra[1], rng.uniform(-20, 20))
        done["second_card"] = _place_partly_outside(frame, other, other_mask, rng, keep_clear)
    elif neighbour:
        raise ValueError(f"unknown neighbour {neighbour!r}")


def _finish(frame: Image.Image, rng: random.Random, ranges: Degradation, ppi: float, factor: float,
            done: dict[str, Any], motion: bool) -> tuple[bytes, str, dict[str, Any]]:  # fmt: skip
    depth = round(rng.uniform(*ranges.light), 3)
    _uneven_light(frame, depth, rng)
    done["light"] = depth
    if rng.random() < ranges.shadow_share:
        done["shadow"] = _cast_shadow(frame, rng)
    size = (max(1, round(frame.width * factor)), max(1, round(frame.height * factor)))
    frame = Image.fromarray(
        cv2.resize(np.asarray(frame), size, interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC)
    )
    frame, blur = _blur(frame, rng.uniform(*ranges.blur_mm), ppi, motion, rng)
    sigma = round(rng.uniform(*ranges.noise), 1)
    frame = _noise(frame, sigma, rng)
    quality = rng.randint(*ranges.jpeg)
    done.update(blur, noise=sigma, jpeg=quality, size=list(frame.size))
    return jpeg_bytes(frame, quality), "jpg", done
