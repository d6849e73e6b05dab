"""Pages from a file: every page of a PDF or a multi-page TIFF, or one JPEG/PNG/BMP image, one page at a time so
that a 200-page TIFF is never held in memory whole. A PDF without pages, a damaged file or another format is
refused with a message that says what to do (the same wording as the ID-scan loader where the case is the same).
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from desktop_app.domain.text import Text
from desktop_app.ocr.loading import MAX_PIXELS, SCAN_FORMATS, UnreadableScan

# A paper form scanned to one file: 200 A4 pages as a compressed TIFF or a PDF stay well under this.
MAX_FILE_BYTES = 1024 * 1024 * 1024
MAX_FILE_PAGES = 500
PDF_DPI = 300
_EMPTY_PAGE_TREE = re.compile(rb"/Count\s*0\s*/Kids\s*\[\s*\]|/Kids\s*\[\s*\]\s*/Count\s*0\b")


def _refuse(code: str, en: str, zh: str) -> UnreadableScan:
    return UnreadableScan(code, Text(en=en, zh=zh))


def _read(path: Path) -> bytes:
    try:
        size = os.stat(path).st_size
        if size == 0:
            raise _refuse("empty", "The file is empty. Scan the form again.", "文件为空，请重新扫描表单。")
        if size > MAX_FILE_BYTES:
            raise _refuse(
                "too_large",
                f"The file is larger than {MAX_FILE_BYTES // 2**20} MB. Scan the form at 300 DPI into a new file.",
                f"文件超过 {MAX_FILE_BYTES // 2**20} MB，请以 300 DPI 重新扫描表单。",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise _refuse("missing", f"There is no file {path.name}.", f"找不到文件 {path.name}。") from None
    except OSError:
        raise _refuse("unreadable", f"The file {path.name} cannot be read.", f"无法读取文件 {path.name}。") from None


def count_pages(path: Path) -> int:
    """How many pages the file holds (UnreadableScan for a file that is not a usable scan, or has no page)."""
    return sum(1 for _ in iter_pages(path, count_only=True))


def iter_pages(path: Path, *, count_only: bool = False) -> Iterator[Image.Image]:
    """The file's pages in order, each as an RGB image (EXIF orientation applied); UnreadableScan when the file
    cannot be read, has no page, or a page is far larger than any scan."""
    data = _read(path)
    if data.startswith(b"%PDF"):
        yield from _pdf_pages(data, count_only)
    else:
        yield from _image_pages(data, count_only)


def _pdf_pages(data: bytes, count_only: bool) -> Iterator[Image.Image]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        # PDFium will not open a document whose page tree is empty ("Failed to load document", with status
        # Success): told apart from a damaged file by the tree's own count, so the teller hears "no pages".
        if _EMPTY_PAGE_TREE.search(data):
            raise _refuse(
                "empty_pdf", "The PDF has no pages. Scan the form again.", "PDF 文件没有页面，请重新扫描表单。"
            ) from None
        raise _refuse(
            "bad_pdf",
            "The PDF is damaged or password-protected. Scan the form to a new file.",
            "PDF 文件已损坏或有密码保护，请将表单重新扫描为新文件。",
        ) from None
    try:
        total = len(document)
        if total == 0:
            raise _refuse(
                "empty_pdf",
                "The PDF has no pages. Scan the form again.",
                "PDF 文件没有页面，请重新扫描表单。",
            )
        if total > MAX_FILE_PAGES:
            raise _refuse(
                "too_many_pages",
                f"The PDF has {total} pages, more than one form ({MAX_FILE_PAGES} at most). Split it.",
                f"该 PDF 有 {total} 页，超过一份表单的页数（最多 {MAX_FILE_PAGES} 页）。请拆分文件。",
            )
        for index in range(total):
            if count_only:
                yield Image.new("1", (1, 1))
                continue
            page = document[index]
            width, height = page.get_size()
            scale = PDF_DPI / 72
            if width * scale * height * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / (width * height)) ** 0.5
            rendered: Image.Image = page.render(scale=scale).to_pil()
            page.close()
            yield rendered.convert("RGB")
    finally:
        document.close()


# How TIFF (both byte orders), JPEG, PNG and BMP files begin: a file that does so and will not open is damaged.
_IMAGE_MAGIC = (b"II*\x00", b"MM\x00*", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"BM")


def _image_pages(data: bytes, count_only: bool) -> Iterator[Image.Image]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=SCAN_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            "too_many_pixels",
            "The image is far larger than a scan. Scan at 300 DPI.",
            "图像远超扫描尺寸，请以 300 DPI 重新扫描。",
        ) from None
    except UnidentifiedImageError:
        if data.startswith(_IMAGE_MAGIC):  # a scan's own format, cut off or broken (a TIFF cut mid-file)
            raise _refuse(
                "damaged",
                "The image file is damaged or incomplete. Scan the form again.",
                "图像文件已损坏或不完整，请重新扫描表单。",
            ) from None
        raise _refuse(
            "not_an_image",
            "This file is not a scan in PDF, TIFF, JPEG, PNG or BMP. Save the scan in one of these formats.",
            "该文件不是 PDF、TIFF、JPEG、PNG 或 BMP 格式的扫描件，请将扫描件保存为其中一种格式。",
        ) from None
    try:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if number > MAX_FILE_PAGES:
                raise _refuse(
                    "too_many_pages",
                    f"The file has more than {MAX_FILE_PAGES} pages, more than one form. Split it.",
                    f"该文件超过 {MAX_FILE_PAGES} 页，超过一份表单的页数。请拆分文件。",
                )
            if count_only:
                yield Image.new("1", (1, 1))
                continue
            width, height = frame.size
            if width * height > MAX_PIXELS:
                raise _refuse(
                    "too_many_pixels",
                    f"Page {number} is {width}×{height} pixels, far more than a scan needs. Scan at 300 DPI.",
                    f"第 {number} 页为 {width}×{height} 像素，远超扫描所需，请以 300 DPI 重新扫描。",
                )
            frame.load()
            upright = ImageOps.exif_transpose(frame) or frame
            yield _rgb(upright)
    except UnreadableScan:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, TypeError):  # TypeError: Pillow on a TIFF cut mid-frame
        raise _refuse(
            "damaged",
            "The image file is damaged or incomplete. Scan the form again.",
            "图像文件已损坏或不完整，请重新扫描表单。",
        ) from None


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in ("1", "L"):
        return image.convert("L")  # a grey or black-and-white scan stays one channel: a third of the size
    return image.convert("RGB")
