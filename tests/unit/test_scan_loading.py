"""Loading scans: bad files give a clear error and no crash; good ones come out upright in RGB."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

import pypdfium2 as pdfium
import pytest
from PIL import EpsImagePlugin, Image

from desktop_app.ocr import loading
from desktop_app.ocr.loading import MAX_BYTES, UnreadableScan, load_scan


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
    image = Image.new("RGB", (450, 300), "white")
    exif = image.getexif()
    exif[0x0112] = 6  # rotated 90° clockwise when shot
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    assert load_scan(buf.getvalue()).size == (300, 450)


def test_transparency_becomes_white_paper() -> None:
    buf = io.BytesIO()
    Image.new("RGBA", (400, 250), (0, 0, 0, 0)).save(buf, "PNG")
    assert load_scan(buf.getvalue()).getpixel((5, 5)) == (255, 255, 255)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableScan) as info:
        load_scan(tmp_path / "nothing.png")
    assert info.value.code == "missing"


@pytest.mark.parametrize("size", [(1, 20000), (50, 4000), (3000, 10), (1, 100)])
def test_images_too_thin_or_small_to_hold_a_document_are_refused_with_the_reason(size: tuple[int, int]) -> None:
    """Issue 14 item 14: long, thin images (1×20000, 50×4000, 3000×10, 1×100 px) crashed the Chinese ID reader;
    the loader refuses them, saying why, before any reader sees them."""
    with pytest.raises(UnreadableScan) as info:
        load_scan(_png(size))
    assert info.value.code in ("too_thin", "too_small")
    assert f"{size[0]}×{size[1]}" in str(info.value) and "像素" in info.value.message("zh_CN")


def test_a_small_image_and_a_long_one_are_told_apart() -> None:
    """Issue 14 item 14: the reason given fits the image: too small to read, or too long for any document."""
    with pytest.raises(UnreadableScan) as small:
        load_scan(_png((150, 100)))
    with pytest.raises(UnreadableScan) as thin:
        load_scan(_png((1200, 250)))
    assert small.value.code == "too_small" and "300 DPI" in str(small.value)
    assert thin.value.code == "too_thin"


def test_a_pdf_page_too_thin_for_a_document_is_refused() -> None:
    """Issue 14 item 14: the same limits hold for the page of a PDF."""
    document = pdfium.PdfDocument.new()
    document.new_page(600, 5)
    buf = io.BytesIO()
    document.save(buf)
    with pytest.raises(UnreadableScan) as info:
        load_scan(buf.getvalue())
    assert info.value.code == "too_thin"


@pytest.mark.parametrize("size", [(400, 250), (1011, 638), (2480, 3508), (1000, 4000)])
def test_the_shapes_of_scans_and_photos_are_accepted(size: tuple[int, int]) -> None:
    """Issue 14 item 14: a card, an A4 bed, a portrait photo, a small scan and a passport opened flat still load."""
    assert load_scan(_png(size, mode="1")).size == size


def _encoded(image_format: str, **options: Any) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (400, 250), "white").save(buf, image_format, **options)
    return buf.getvalue()


@pytest.mark.parametrize("image_format", ["EPS", "GIF", "WEBP", "ICO", "TGA", "PCX", "PPM"])
def test_image_formats_scanners_do_not_write_are_refused_unopened(
    image_format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 item 20: loading accepted any format Pillow knows (EPS went to Ghostscript); only scan formats
    are opened now, the others refused with a message in both languages that says which to use."""

    def no_ghostscript(*args: object, **kwargs: object) -> None:
        raise AssertionError("Ghostscript was started for an uploaded file")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", no_ghostscript)
    with pytest.raises(UnreadableScan) as info:
        load_scan(_encoded(image_format))
    assert info.value.code == "not_an_image"
    assert "JPEG, PNG, TIFF, BMP or PDF" in str(info.value) and "JPEG、PNG、TIFF、BMP 或 PDF" in info.value.message(
        "zh"
    )


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "TIFF", "BMP"])
def test_scan_formats_are_opened(image_format: str) -> None:
    """Issue 14 item 20: what scanners write still loads."""
    assert load_scan(_encoded(image_format)).size == (400, 250)


def test_a_camera_jpeg_with_a_second_picture_is_opened() -> None:
    """Issue 14 item 20: cameras write JPEG with a second picture (MPO), which Pillow names apart: still a JPEG."""
    frames = [Image.new("RGB", (400, 250), "white"), Image.new("RGB", (200, 125), "white")]
    buf = io.BytesIO()
    frames[0].save(buf, "MPO", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(buf.getvalue())).format == "MPO"
    assert load_scan(buf.getvalue()).size == (400, 250)


class _CountingFile:
    """A file whose reads are counted."""

    def __init__(self, file: IO[bytes], counts: list[int]) -> None:
        self._file, self._counts = file, counts

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self._counts.append(len(data))
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)

    def __enter__(self) -> _CountingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def test_an_oversized_file_is_refused_from_its_size_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 item 20: the whole file was read before the size check; its size is now taken from the file system
    first, and not a byte of an oversized file is read."""
    big = tmp_path / "scan.png"
    with big.open("wb") as file:
        file.truncate(MAX_BYTES + 1)  # sparse: no disk space used
    counts: list[int] = []
    real_open = Path.open

    def counting_open(self: Path, *args: Any, **kwargs: Any) -> _CountingFile:
        return _CountingFile(real_open(self, *args, **kwargs), counts)

    monkeypatch.setattr(Path, "open", counting_open)
    with pytest.raises(UnreadableScan) as info:
        load_scan(big)
    assert info.value.code == "too_large" and sum(counts) == 0


def test_a_file_read_is_bounded_by_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14 item 20: a file that grows after its size was taken is still read no further than the limit."""
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG" + bytes(5000))
    monkeypatch.setattr(loading, "MAX_BYTES", 1000)
    monkeypatch.setattr(loading.os, "fstat", lambda fd: SimpleNamespace(st_size=10))  # its size when taken
    counts: list[int] = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: _CountingFile(real_open(self, *a, **k), counts))
    with pytest.raises(UnreadableScan) as info:
        load_scan(path)
    assert info.value.code == "too_large" and sum(counts) <= 1001
