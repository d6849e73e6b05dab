"""The synthetic ID-document generator's output is readable: the real Tesseract reads a generated MRZ exactly."""

from __future__ import annotations

import io
import random
import shutil
import subprocess

import pytest
from PIL import Image, ImageOps

from tests.support import id_documents as docs


def passport(seed: int) -> tuple[Image.Image, dict[str, str]]:
    rng = random.Random(seed)
    return docs.passport_td3(docs.synthetic_identity(rng, "any"), rng)


def tesseract_text(image: Image.Image, config: str) -> str:
    try:
        import pytesseract
    except ImportError:
        pass
    else:
        return str(pytesseract.image_to_string(image, lang="eng", config=config))
    png = io.BytesIO()
    image.save(png, "PNG")
    out = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "eng", *config.split()],
        input=png.getvalue(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    return out.stdout.decode()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="the tesseract binary is not installed")
def test_tesseract_reads_a_clean_mrz_line_exactly() -> None:
    # Three passports' zones stacked in one image: one process start, six chances at an exact line. Scaled to
    # 0.7 (capitals about 21 px): the eng model misreads the wide 2.54 mm MRZ pitch more often at full size.
    crops, expected = [], set()
    for seed in (2, 3, 4):
        image, truth = passport(seed)
        w, h = image.size
        zone = image.crop((0, h - docs.mm(23.2), w, h)).convert("L")
        crops.append(zone.resize((round(zone.width * 0.7), round(zone.height * 0.7)), Image.Resampling.LANCZOS))
        expected.update(truth["mrz"].split("\n"))
    stack = Image.new("L", (crops[0].width, sum(c.height for c in crops)), 255)
    for i, crop in enumerate(crops):
        stack.paste(crop, (0, i * crop.height))
    text = tesseract_text(ImageOps.expand(stack, 10, fill=255), "--psm 6")
    read = {line.replace(" ", "") for line in text.splitlines()}
    assert read & expected, f"no MRZ line read exactly; tesseract read {text!r}"
