"""recognise() end to end with the real Tesseract: generated documents laid on a scanner bed or scanned tight, with
ordinary degradation (skew, scale, uneven light, blur, noise, JPEG), are found, classified and read; the result's
document_image is the upright document its field boxes refer to.

The seeds are ones the readers get right today: a regression guard for the pipeline, not the accuracy figure.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Mapping
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from desktop_app.ocr.recognise import recognise
from desktop_app.ocr.result import DocumentResult
from tests.support.id_documents import (
    TODAY,
    cn_id_back,
    cn_id_front,
    degrade,
    id_card_td1,
    id_card_td2,
    passport_td3,
    place_on_scanner_bed,
    synthetic_identity,
)

_Generator = Callable[[Mapping[str, str], random.Random], tuple[Image.Image, dict[str, str]]]
GENERATORS: dict[str, tuple[_Generator, str]] = {
    "cn_id_front": (cn_id_front, "resident"),
    "cn_id_back": (cn_id_back, "resident"),
    "mrz_td3": (passport_td3, "any"),
    "mrz_td1": (id_card_td1, "foreign"),
    "mrz_td2": (id_card_td2, "foreign"),
}
KEY_FIELDS = {
    "cn_id_front": ("id_number", "name", "birth_date", "sex"),
    "cn_id_back": ("issuing_authority", "valid_from", "valid_until"),
    "mrz_td3": ("document_number", "birth_date", "expiry_date", "surname", "nationality"),
    "mrz_td1": ("document_number", "birth_date", "expiry_date", "surname", "nationality"),
    "mrz_td2": ("document_number", "birth_date", "expiry_date", "surname", "nationality"),
}
# (kind, seed, laid on a scanner bed)
CASES = [
    ("cn_id_front", 0, True),
    ("cn_id_front", 1, False),
    ("cn_id_back", 0, True),
    ("cn_id_back", 1, False),
    ("mrz_td3", 0, True),
    ("mrz_td3", 3, False),
    ("mrz_td1", 1, True),
    ("mrz_td1", 3, False),
    ("mrz_td2", 0, True),
    ("mrz_td2", 1, False),
]


def _scan(kind: str, seed: int, on_bed: bool) -> tuple[Image.Image, dict[str, str]]:
    rng = random.Random(seed)
    make, suits = GENERATORS[kind]
    document, truth = make(synthetic_identity(rng, suits, TODAY), rng)
    if on_bed:
        document = place_on_scanner_bed(document, rng)
    return degrade(document, rng, "ordinary"), truth


def _assert_read(result: DocumentResult, kind: str, truth: Mapping[str, str]) -> None:
    assert result.document_type == kind, result.warnings
    for name in KEY_FIELDS[kind]:
        assert result.fields[name].value == truth[name], name
    # The document image is the located document, upright: the fields read at its foot have their boxes there.
    image = result.document_image
    assert image is not None and image.width > image.height
    foot = {"cn_id_front": "id_number", "cn_id_back": "valid_until"}.get(kind, "document_number")
    box = result.fields[foot].box
    if box is not None:
        assert box[1] > image.height / 2, f"{foot} at {box}: the document image is not upright"


@pytest.mark.parametrize(
    ("kind", "seed", "on_bed"), CASES, ids=[f"{k}-{s}-{'bed' if b else 'tight'}" for k, s, b in CASES]
)
def test_a_scanned_document_is_found_classified_and_read(kind: str, seed: int, on_bed: bool) -> None:
    scan, truth = _scan(kind, seed, on_bed)

    _assert_read(recognise(scan, TODAY), kind, truth)


def test_a_file_scanned_upside_down_is_read_from_its_bytes(tmp_path: Path) -> None:
    scan, truth = _scan("mrz_td3", 0, False)
    path = tmp_path / "passport.jpg"
    scan.rotate(180).save(path, "JPEG", quality=85)

    _assert_read(recognise(path.read_bytes(), TODAY), "mrz_td3", truth)


def test_a_phone_photo_of_a_card_at_an_angle_is_read() -> None:
    rng = random.Random(2)
    card, truth = cn_id_front(synthetic_identity(rng, "resident", TODAY), rng)
    width, height = card.size
    outline = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    where = np.array([[240, 300], [1300, 240], [1380, 960], [170, 920]], np.float32)  # tilted towards the camera
    desk = np.clip(np.random.default_rng(2).normal((70, 60, 50), 5, (1200, 1600, 3)), 0, 255).astype(np.uint8)
    photo = cv2.warpPerspective(
        np.asarray(card), cv2.getPerspectiveTransform(outline, where), (1600, 1200), dst=desk,
        borderMode=cv2.BORDER_TRANSPARENT,
    )  # fmt: skip
    out = io.BytesIO()
    Image.fromarray(photo).save(out, "JPEG", quality=85)

    _assert_read(recognise(out.getvalue(), TODAY), "cn_id_front", truth)


def test_a_blank_page_is_not_recognised_and_says_why() -> None:
    page = Image.new("RGB", (1240, 1754), (232, 232, 235))

    result = recognise(page, TODAY)

    assert result.document_type is None and not result.fields
    assert result.warnings == ("document_not_found", "document_not_recognised")
    assert result.document_image is not None and result.document_image.size == (1754, 1240)
