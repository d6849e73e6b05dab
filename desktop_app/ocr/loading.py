"""Loading a scan for recognition: images (EXIF orientation applied) or the first page of a PDF, with
empty, damaged, non-image and oversized files, other image formats, and images too small or too thin to hold a
document refused by a clear error instead of a crash."""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps, UnidentifiedImageError

from desktop_app.domain.text import Text

MAX_BYTES = 60 * 1024 * 1024
# An A4 page at 600 DPI is 35 million pixels: anything far beyond a scanner's output is refused before decoding,
# so a decompression bomb cannot exhaust memory.
MAX_PIXELS = 60_000_000
PDF_DPI = 300
# What scanners and cameras write: JPEG (with a camera's JPEG holding a second picture, which Pillow's JPEG opener
# hands over as MPO), PNG, TIFF, BMP, and PDF, which is read apart. Every other format Pillow knows is one more
# parser open to a file from outside, for no scan: EPS is handed to Ghostscript, and WebP, which no scanner or camera
# here writes, brings libwebp's decoder.
SCAN_FORMATS = ("JPEG", "PNG", "TIFF", "BMP")
# An ID card (85.6 × 54 mm, the smallest document read) at 100 DPI is 213 px high: below that its print is a few
# pixels tall, too small for Tesseract.
MIN_SIDE = 200
# The longest shape that can hold a document: a scanner bed or a card is 1.4-1.7 times as long as it is high, a
# phone photo up to 2.2, a passport scanned open (two pages side by side) 2.8.
MAX_ASPECT = 4.0


@dataclass(frozen=True)
class UnreadableScan(Exception):
    """A file that cannot be recognised; `code` is stable, the messages say what to do."""

    code: str
    message_text: Text

    def __str__(self) -> str:
        return self.message_text.en

    def message(self, lang: str) -> str:
        return self.message_text.render(lang)


def _refuse(code: str, message: Text) -> UnreadableScan:
    return UnreadableScan(code, message)


def load_scan(source: Path | bytes) -> Image.Image:
    """The scan as an upright RGB image; UnreadableScan for anything that is not a usable scan."""
    data = _read(source)
    if data.startswith(b"%PDF"):
        return _first_pdf_page(data)
    return _image(data)


def _read(source: Path | bytes) -> bytes:
    """The file's bytes, its size checked before any of them is read."""
    if isinstance(source, bytes):
        _check_file_size(len(source))
        return source
    try:
        with source.open("rb") as file:
            _check_file_size(os.fstat(file.fileno()).st_size)
            data = file.read(MAX_BYTES + 1)  # a file that grew after its size was taken is not read whole either
    except FileNotFoundError:
        raise _refuse(
            "missing", Text(en=f"There is no file {source.name}.", zh=f"找不到文件 {source.name}。")
        ) from None
    except OSError:
        raise _refuse(
            "unreadable", Text(en=f"The file {source.name} cannot be read.", zh=f"无法读取文件 {source.name}。")
        ) from None
    _check_file_size(len(data))
    return data


def _check_file_size(size: int) -> None:
    if size == 0:
        raise _refuse("empty", Text(en="The file is empty. Scan the document again.", zh="文件为空，请重新扫描证件。"))
    if size > MAX_BYTES:
        raise _refuse(
            "too_large",
            Text(
                en=f"The file is larger than {MAX_BYTES // 2**20} MB. Scan at 300 DPI and try again.",
                zh=f"文件超过 {MAX_BYTES // 2**20} MB，请以 300 DPI 重新扫描。",
            ),
        )


def _check_proportions(width: int, height: int) -> None:
    """UnreadableScan when a width × height image is too small or too long and thin to hold a document."""
    short, long = sorted((width, height))
    if long > MAX_ASPECT * short:
        raise _refuse(
            "too_thin",
            Text(
                en=f"The image is {width}×{height} pixels: far longer and thinner than any ID document, so it cannot "
                "hold one. Scan the whole document again.",
                zh=f"图像为 {width}×{height} 像素，比任何证件都狭长得多，不可能是证件的扫描件。请重新扫描整个证件。",
            ),
        )
    if short < MIN_SIDE:
        raise _refuse(
            "too_small",
            Text(
                en=f"The image is only {width}×{height} pixels, too small to read a document from. Scan the document "
                "at 300 DPI.",
                zh=f"图像只有 {width}×{height} 像素，太小，无法从中读取证件。请以 300 DPI 扫描证件。",
            ),
        )


def _image(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=SCAN_FORMATS)
            width, height = image.size  # from the header: nothing decoded yet
            if width * height > MAX_PIXELS:
                raise _refuse(
                    "too_many_pixels",
                    Text(
                        en=f"The image is {width}×{height} pixels, far more than a scan needs. Scan at 300 DPI.",
                        zh=f"图像为 {width}×{height} 像素，远超扫描所需，请以 300 DPI 重新扫描。",
                    ),
                )
            _check_proportions(width, height)
            image.load()
    except UnreadableScan:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            "too_many_pixels",
            Text(
                en="The image is far larger than a scan. Scan at 300 DPI.",
                zh="图像远超扫描尺寸，请以 300 DPI 重新扫描。",
            ),
        ) from None
    except UnidentifiedImageError:  # not an image, or one in a format left out of SCAN_FORMATS
        raise _refuse(
            "not_an_image",
            Text(
                en="This file is not a scan in JPEG, PNG, TIFF, BMP or PDF. Save the scan in one of these formats.",
                zh="该文件不是 JPEG、PNG、TIFF、BMP 或 PDF 格式的扫描图像，请将扫描件保存为其中一种格式。",
            ),
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise _refuse(
            "damaged",
            Text(
                en="The image file is damaged or incomplete. Scan the document again.",
                zh="图像文件已损坏或不完整，请重新扫描。",
            ),
        ) from None
    upright = ImageOps.exif_transpose(image) or image
    return _rgb(upright)


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")  # transparent scanner output becomes white paper
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _first_pdf_page(data: bytes) -> Image.Image:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise _refuse(
            "bad_pdf",
            Text(
                en="The PDF is damaged, empty or password-protected. Scan to a new file.",
                zh="PDF 文件已损坏、没有页面或有密码保护，请重新扫描。",
            ),
        ) from None
    try:
        if len(document) == 0:
            raise _refuse(
                "empty_pdf",
                Text(en="The PDF has no pages. Scan the document again.", zh="PDF 文件没有页面，请重新扫描证件。"),
            )
        page = document[0]
        width, height = page.get_size()
        scale = PDF_DPI / 72
        if width * scale * height * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (width * height)) ** 0.5
        _check_proportions(round(width * scale), round(height * scale))
        rendered: Image.Image = page.render(scale=scale).to_pil()
        return rendered.convert("RGB")
    finally:
        document.close()
