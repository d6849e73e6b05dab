"""Loading scans: bad files give a clear error and no crash; good ones come out upright in RGB."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from desktop_app.ocr.loading import UnreadableScan, load_scan


def _png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(buf, "PNG")
    return buf.getvalue()


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(b"")
    with pytest.raises(UnreadableScan) as info:
        load_scan(path)
    assert info.value.code == "empty" and "empty" in str(info.value) and "空" in info.value.message("zh_CN")


def test_truncated_png() -> None:
    data = _png((800, 500))
    with pytest.raises(UnreadableScan) as info:
        load_scan(data[: len(data) // 2])
    assert info.value.code == "damaged"


def test_a_text_file_named_jpg(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"
    path.write_text("this is not a picture\n", encoding="utf-8")
    with pytest.raises(UnreadableScan) as info:
        load_scan(path)
    assert info.value.code == "not_an_image" and "JPEG, PNG" in str(info.value)


def test_a_30000_by_30000_image_is_refused_before_decoding() -> None:
    with pytest.raises(UnreadableScan) as info:
        load_scan(_png((30_000, 30_000), mode="1"))
    assert info.value.code == "too_many_pixels" and "300 DPI" in str(info.value)


def test_a_pdf_without_pages() -> None:
    buf = io.BytesIO()
    pdfium.PdfDocument.new().save(buf)
    with pytest.raises(UnreadableScan) as info:
        load_scan(buf.getvalue())
    assert info.value.code in ("empty_pdf", "bad_pdf")


def test_the_first_page_of_a_pdf_is_rendered_at_300_dpi() -> None:
    document = pdfium.PdfDocument.new()
    document.new_page(243, 153)  # an ID-1 card in points
    buf = io.BytesIO()
    document.save(buf)
    image = load_scan(buf.getvalue())
    assert image.mode == "RGB" and abs(image.width - 1012) <= 2 and abs(image.height - 638) <= 2


def test_exif_orientation_is_applied() -> None:
    image = Image.new("RGB", (300, 200), "white")
    exif = image.getexif()
    exif[0x0112] = 6  # rotated 90° clockwise when shot
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    assert load_scan(buf.getvalue()).size == (200, 300)


def test_transparency_becomes_white_paper() -> None:
    buf = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buf, "PNG")
    assert load_scan(buf.getvalue()).getpixel((5, 5)) == (255, 255, 255)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableScan) as info:
        load_scan(tmp_path / "nothing.png")
    assert info.value.code == "missing"
