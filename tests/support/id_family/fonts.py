"""The typefaces of the document family, found through fontconfig so that no path is hard-coded.

Every CJK face Debian ships in fonts-noto-cjk, fonts-wqy-zenhei, fonts-wqy-microhei, fonts-arphic-uming and
fonts-arphic-ukai, the OCR-B cuts of fonts-ocr-b (Regular and Sharp: Debian has no other OCR-B), and DejaVu for
the Latin captions of travel documents. Which face a split may use is the split's business (splits.py).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont


@dataclass(frozen=True)
class Face:
    """One installed face: a fontconfig family and style, and the Debian package that ships it."""

    family: str
    style: str
    package: str

    @property
    def name(self) -> str:
        """How metadata and split specs name this face: "Family/Style"."""
        return f"{self.family}/{self.style}"


NOTO_SANS = Face("Noto Sans CJK SC", "Regular", "fonts-noto-cjk")
NOTO_SANS_BOLD = Face("Noto Sans CJK SC", "Bold", "fonts-noto-cjk")
NOTO_SERIF = Face("Noto Serif CJK SC", "Regular", "fonts-noto-cjk")
NOTO_SERIF_BOLD = Face("Noto Serif CJK SC", "Bold", "fonts-noto-cjk")
WQY_ZEN_HEI = Face("WenQuanYi Zen Hei", "Regular", "fonts-wqy-zenhei")
WQY_MICRO_HEI = Face("WenQuanYi Micro Hei", "Regular", "fonts-wqy-microhei")
UMING = Face("AR PL UMing CN", "Light", "fonts-arphic-uming")
UKAI = Face("AR PL UKai CN", "Book", "fonts-arphic-ukai")
OCR_B = Face("OCR B", "Regular", "fonts-ocr-b")
OCR_B_SHARP = Face("OCR B", "Sharp", "fonts-ocr-b")
DEJAVU_SANS = Face("DejaVu Sans", "Book", "fonts-dejavu-core")
DEJAVU_SANS_BOLD = Face("DejaVu Sans", "Bold", "fonts-dejavu-core")
DEJAVU_SERIF = Face("DejaVu Serif", "Book", "fonts-dejavu-core")

CJK_FACES: tuple[Face, ...] = (
    NOTO_SANS, NOTO_SANS_BOLD, NOTO_SERIF, NOTO_SERIF_BOLD, WQY_ZEN_HEI, WQY_MICRO_HEI, UMING, UKAI,
)  # fmt: skip
ALL_FACES: tuple[Face, ...] = (*CJK_FACES, OCR_B, OCR_B_SHARP, DEJAVU_SANS, DEJAVU_SANS_BOLD, DEJAVU_SERIF)
FACES_BY_NAME: dict[str, Face] = {f.name: f for f in ALL_FACES}


class FontNotFoundError(RuntimeError):
    """A face the family needs is not installed."""


@cache
def face_file(face: Face) -> tuple[str, int]:
    """(file, index in a collection) of an installed face; FontNotFoundError naming the Debian package if absent."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise FontNotFoundError(f"fc-match not found: install the Debian packages fontconfig and {face.package}")
    out = subprocess.run(
        [fc_match, "-f", "%{file}\n%{index}\n%{family}\n%{style}", f"{face.family}:style={face.style}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    file, index, families, styles = ([*out.stdout.split("\n"), "", "", "", ""])[:4]
    # fc-match always answers, with a substitute when the face is missing.
    if face.family not in families.split(",") or face.style not in styles.split(",") or not Path(file).is_file():
        raise FontNotFoundError(
            f"font {face.name!r} is not installed (fontconfig offers {families}/{styles} instead): "
            f"install the Debian package {face.package}"
        )
    return file, int(index or 0)


@cache
def font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """The face at `size` pixels (cached)."""
    file, index = face_file(face)
    return ImageFont.truetype(file, max(6, size), index=index)
