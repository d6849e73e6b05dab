"""The portrait side of a Chinese resident ID card: the 18-character citizen number (printed in OCR-B at the
foot of the card), confirmed by its GB 11643 check character, region and birth date.

Only the number is read so far; the other fields (name, sex, ethnicity, birth date, address) come with the
Chinese-text reader, and the result says so in its warnings.
"""

from __future__ import annotations

from PIL import Image, ImageOps

from desktop_app.domain.id_numbers import IdNumberError, parse_resident_id
from desktop_app.ocr.result import DocumentResult, FieldResult
from desktop_app.ocr.tesseract_engine import read_lines

NUMBER_CONFIG = "--psm 7 -c tessedit_char_whitelist=0123456789X -c load_system_dawg=F -c load_freq_dawg=F"
NOT_READ_YET = ("name", "sex", "ethnicity", "birth_date", "address")


def _number_band(card: Image.Image) -> Image.Image:
    width, height = card.size
    # The labels are printed in blue: in the blue channel they are nearly white and drop out, the black
    # number stays dark.
    band = card.getchannel("B").crop((int(width * 0.28), int(height * 0.78), width, height))
    band = ImageOps.autocontrast(band)
    band = band.resize((max(1, int(band.width * 0.8)), max(1, int(band.height * 0.8))), Image.Resampling.LANCZOS)
    return ImageOps.expand(band, 10, fill=255)


def read_cn_id_front(image: Image.Image) -> DocumentResult | None:
    """The card's citizen number when it reads as a valid resident ID number (upright or upside down)."""
    rgb = image.convert("RGB")
    for turned in (rgb, rgb.rotate(180)):
        lines = read_lines(_number_band(turned), lang="eng", config=NUMBER_CONFIG)
        for line in lines:
            number = line.text.replace(" ", "")
            try:
                parse_resident_id(number)
            except IdNumberError:
                continue
            return DocumentResult(
                "cn_id_front",
                {"id_number": FieldResult(number, round(max(line.confidence, 0.5), 3), verified=True)},
                tuple(f"not_read_yet:{name}" for name in NOT_READ_YET),
            )
    return None
