"""Finding the document in a scan: the crop is the card on a scanner bed, a skewed tight scan comes out straight, a
phone photo is rectified, a card scanned on its side comes out landscape, and a blank page says so."""

from __future__ import annotations

import io
import math
import random

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from desktop_app.ocr.locate import ID1_ASPECT, PAGE_ASPECT, LocatedDocument, locate
from tests.support.id_documents import (
    ID1_SIZE,
    TD3_SIZE,
    TODAY,
    cn_id_back,
    cn_id_front,
    id_card_td1,
    passport_td3,
    place_on_scanner_bed,
    synthetic_identity,
)

Corners = np.ndarray


def _card(kind: str, seed: int) -> Image.Image:
    rng = random.Random(seed)
    make, suits = {
        "cn_id_front": (cn_id_front, "resident"),
        "cn_id_back": (cn_id_back, "resident"),
        "mrz_td1": (id_card_td1, "foreign"),
        "mrz_td3": (passport_td3, "any"),
    }[kind]
    image, _ = make(synthetic_identity(rng, suits, TODAY), rng)
    return image


def _scanned(image: Image.Image, angle: float, scale: float, fill: tuple[int, int, int]) -> Image.Image:
    """A scanner's copy with known geometry: turned `angle` degrees counter-clockwise (expanding, as degrade()
    does), scaled, slightly blurred and JPEG-compressed."""
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
    size = (round(turned.width * scale), round(turned.height * scale))
    scanned = turned.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(0.7))
    out = io.BytesIO()
    scanned.save(out, "JPEG", quality=80)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def _moved(points: Corners, size: tuple[int, int], angle: float, scale: float) -> Corners:
    """Where `points` of an image of `size` land after _scanned(…, angle, scale, …)."""
    width, height = size
    turn = math.radians(angle)
    cos, sin = math.cos(turn), math.sin(turn)
    new_width = abs(width * cos) + abs(height * sin)
    new_height = abs(width * sin) + abs(height * cos)
    x, y = points[:, 0] - width / 2, points[:, 1] - height / 2
    # Counter-clockwise on screen, with y pointing down.
    return np.stack([x * cos + y * sin + new_width / 2, -x * sin + y * cos + new_height / 2], axis=1) * scale


def _box_corners(left: float, top: float, width: float, height: float) -> Corners:
    return np.array([[left, top], [left + width, top], [left + width, top + height], [left, top + height]], float)


def _corner_error(found: LocatedDocument, truth: Corners) -> float:
    """The largest distance from a found corner to the nearest true one."""
    corners = np.array(found.corners)
    return max(float(np.min(np.linalg.norm(truth - corner, axis=1))) for corner in corners)


def _similarity(image: Image.Image, reference: Image.Image) -> float:
    """Correlation of the two pictures at the reference's size, blurred so that a pixel's shift does not count."""
    a = np.asarray(image.resize(reference.size).convert("L").filter(ImageFilter.GaussianBlur(3)), np.float32)
    b = np.asarray(reference.convert("L").filter(ImageFilter.GaussianBlur(3)), np.float32)
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def _placement(card: Image.Image, seed: int) -> tuple[Image.Image, Corners]:
    """The card on a scanner bed (tests.support), and where it lies: the same seed places a black card of the same
    size in the same spot, where its pixels give the position away."""
    bed = place_on_scanner_bed(card, random.Random(seed))
    black = place_on_scanner_bed(Image.new("RGB", card.size, "black"), random.Random(seed))
    ys, xs = np.nonzero(np.asarray(black.convert("L")) < 40)
    return bed, _box_corners(xs.min(), ys.min(), xs.max() + 1 - xs.min(), ys.max() + 1 - ys.min())


@pytest.mark.parametrize(("kind", "seed", "angle", "scale"), [("cn_id_front", 1, 2.2, 0.9), ("mrz_td3", 2, -1.4, 1.1)])
def test_a_card_on_a_scanner_bed_is_cropped_to_its_edges(kind: str, seed: int, angle: float, scale: float) -> None:
    card = _card(kind, seed)
    bed, placed = _placement(card, seed)
    shade = bed.getpixel((0, 0))
    assert isinstance(shade, tuple) and len(shade) == 3
    scan = _scanned(bed, angle, scale, (int(shade[0]), int(shade[1]), int(shade[2])))
    truth = _moved(placed, bed.size, angle, scale)

    found = locate(scan)

    assert found.found and not found.warnings
    assert _corner_error(found, truth) <= 6  # pixels, at about 300 DPI
    assert found.shape == ("id1" if card.size == ID1_SIZE else "page")
    assert found.image.width > found.image.height


@pytest.mark.parametrize(("kind", "shade"), [("cn_id_front", 18), ("cn_id_back", 60)])
def test_a_card_on_a_dark_scanner_bed_is_cropped_to_its_edges(kind: str, shade: int) -> None:
    # A scanner with its lid open, or a dark mat: the card is the light thing, not the dark one.
    card = _card(kind, 8)
    bed = Image.new("RGB", (2000, 1500), (shade, shade, shade + 4))
    bed.paste(card, (430, 310), _rounded(card.size))
    scan = _scanned(bed, 4.5, 0.6, (shade, shade, shade + 4))
    truth = _moved(_box_corners(430, 310, *card.size), bed.size, 4.5, 0.6)

    found = locate(scan)

    assert found.found and found.shape == "id1"
    assert _corner_error(found, truth) <= 6


def _rounded(size: tuple[int, int]) -> Image.Image:
    """The mask of an ID-1 card's rounded corners (3.18 mm)."""
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=38, fill=255)
    return mask


def test_a_skewed_tight_scan_is_straightened() -> None:
    card = _card("mrz_td1", 3)
    angle = 2.6
    scan = _scanned(card, angle, 1.0, (255, 255, 255))  # the corners the turn uncovers are the lid's white

    found = locate(scan)

    corners = np.array(found.corners)
    top = corners[1] - corners[0]
    assert math.degrees(math.atan2(-top[1], top[0])) == pytest.approx(angle, abs=0.5)
    truth = _moved(_box_corners(0, 0, *card.size), card.size, angle, 1.0)
    assert _corner_error(found, truth) <= 6
    # Straightened, the extent unchanged: the card at its own size, not a piece of it.
    assert found.image.size == pytest.approx(card.size, abs=6)


def test_an_upright_tight_scan_comes_back_as_it_is() -> None:
    card = _card("cn_id_front", 4)

    found = locate(card)

    assert _corner_error(found, _box_corners(0, 0, *card.size)) <= 4
    assert found.image.size == card.size
    difference = np.abs(np.asarray(found.image, np.int16) - np.asarray(card, np.int16))
    assert float(np.median(difference)) <= 2


def _photographed(card: Image.Image, tilt: tuple[float, float, float]) -> tuple[Image.Image, Corners]:
    """A phone's photo of the card lying on a dark desk: the card turned by `tilt` (degrees about the x, y and z
    axes) in front of a pinhole camera (focal length 1400 px, 1600×1200 px), and where its corners land."""
    width, height = card.size
    ax, ay, az = np.radians(tilt)
    turn_x = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    turn_y = np.array([[np.cos(ay), 0, np.sin(ay)], [0, 1, 0], [-np.sin(ay), 0, np.cos(ay)]])
    turn_z = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
    corners = _box_corners(-width / 2, -height / 2, width, height)
    in_space = np.c_[corners, np.zeros(4)] @ (turn_z @ turn_y @ turn_x).T + [0, 0, 1900]
    where = 1400 * in_space[:, :2] / in_space[:, 2:] + [800, 600]
    warp = cv2.getPerspectiveTransform(_box_corners(0, 0, width, height).astype(np.float32), where.astype(np.float32))
    rng = np.random.default_rng(5)
    desk = np.clip(rng.normal((74, 62, 52), 6, (1200, 1600, 3)), 0, 255).astype(np.uint8)
    photo = cv2.warpPerspective(np.asarray(card), warp, (1600, 1200), dst=desk, borderMode=cv2.BORDER_TRANSPARENT)
    out = io.BytesIO()
    Image.fromarray(photo).filter(ImageFilter.GaussianBlur(0.8)).save(out, "JPEG", quality=85)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB"), where


@pytest.mark.parametrize(("kind", "tilt"), [("cn_id_back", (28.0, -12.0, 6.0)), ("mrz_td3", (-20.0, 18.0, -4.0))])
def test_a_photo_at_an_angle_is_rectified(kind: str, tilt: tuple[float, float, float]) -> None:
    card = _card(kind, 5)
    photo, where = _photographed(card, tilt)

    found = locate(photo)

    assert _corner_error(found, where) <= 6
    # The card's own proportions, though the picture of it is a trapezium.
    assert found.shape == ("id1" if card.size == ID1_SIZE else "page")
    aspect = found.image.width / found.image.height
    assert aspect == pytest.approx(ID1_ASPECT if found.shape == "id1" else PAGE_ASPECT, rel=0.01)
    # Rectified: the card's own picture, not a skewed one (a photo has fewer pixels, and the desk shows at the
    # card's round corners).
    assert _similarity(found.image, card) > 0.93


@pytest.mark.parametrize("turn", [Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270])
def test_a_card_scanned_on_its_side_comes_out_landscape(turn: Image.Transpose) -> None:
    card = _card("mrz_td3", 6)
    assert card.size == TD3_SIZE

    found = locate(card.transpose(turn))

    assert found.image.width > found.image.height
    assert found.image.width / found.image.height == pytest.approx(PAGE_ASPECT, rel=0.01)
    # Upright or upside down (the readers settle which), but the card's own picture either way.
    assert max(_similarity(found.image, card), _similarity(found.image.rotate(180), card)) > 0.97


def test_a_blank_page_gives_the_whole_page_and_says_no_document_was_found() -> None:
    rng = np.random.default_rng(7)
    page = np.clip(rng.normal(228, 3, (1754, 1240, 3)), 0, 255).astype(np.uint8)  # A4 at 150 DPI, lid grey

    found = locate(Image.fromarray(page))

    assert not found.found and found.warnings == ("document_not_found",)
    assert found.shape is None
    assert found.image.size == (1754, 1240)  # the whole page, turned to landscape for the readers
