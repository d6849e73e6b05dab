"""Issue 12, two documents in one scan: where the frame holds a second passport, the zone read may be the other
holder's, and its check digits hold for that holder all the same. The reader says so and confirms nothing."""

from __future__ import annotations

import random
from datetime import date

from PIL import Image

from desktop_app.ocr.mrz_zone import zone_count
from desktop_app.ocr.recognise import recognise
from tests.support import id_documents as docs

TODAY = date(2026, 5, 1)


def _passport(seed: int) -> tuple[Image.Image, dict[str, str]]:
    rng = random.Random(seed)
    return docs.passport_td3(docs.synthetic_identity(rng, "foreign"), rng)


def _bed(*pages: Image.Image) -> Image.Image:
    """The pages one above the other on a light A4 scanner bed (300 DPI)."""
    bed = Image.new("RGB", (docs.mm(210), docs.mm(297)), (226, 226, 229))
    y = docs.mm(12)
    for page in pages:
        bed.paste(page.convert("RGB"), (docs.mm(20), y))
        y += page.height + docs.mm(20)
    return bed


def test_two_passports_of_different_holders_in_one_frame_confirm_nothing() -> None:
    (first, first_truth), (second, second_truth) = _passport(1201), _passport(1202)
    assert first_truth["surname"] != second_truth["surname"]
    scan = _bed(first, second)
    assert zone_count(scan) == 2
    found = recognise(scan, TODAY)
    assert found.document_type == "mrz_td3"
    assert "more_than_one_document" in found.warnings
    assert not any(field.verified for field in found.fields.values())
    assert all(field.confidence < 0.8 for field in found.fields.values())


def test_one_passport_is_one_zone() -> None:
    page, _ = _passport(1203)
    assert zone_count(_bed(page)) == 1


def test_a_visa_across_the_frames_edge_beside_a_resident_card_confirms_nothing() -> None:
    """Development split: a resident card on the bed, a visa page across the top of the frame; the visa's zone was
    read, its birth date confirmed, for the card's holder. Both documents show: nothing is confirmed."""
    rng = random.Random(1204)
    card, _ = docs.cn_id_front(docs.synthetic_identity(rng, "resident"), rng)
    visa, _ = docs.visa_td2(docs.synthetic_identity(rng, "foreign"), rng)
    bed = Image.new("RGB", (card.width + docs.mm(20), card.height + visa.height // 2 + docs.mm(15)), (214, 214, 218))
    bed.paste(visa.convert("RGB"), (docs.mm(5), -(visa.height - visa.height // 2)))
    bed.paste(card.convert("RGB"), (docs.mm(10), visa.height // 2 + docs.mm(8)))
    found = recognise(bed, TODAY)
    assert found.document_type == "mrz_td2"  # the zone is read first: what it reads must not be confirmed
    assert "more_than_one_document" in found.warnings
    assert not any(field.verified for field in found.fields.values())
