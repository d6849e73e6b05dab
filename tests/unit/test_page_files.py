"""Paper-form files cut off or broken (issue 16, independent check): a TIFF that stops part way is "damaged or
incomplete", never "not a scan in PDF, TIFF..." nor an error the teller cannot read."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest
from PIL import Image

from desktop_app.ocr.loading import UnreadableScan
from desktop_app.scanning.page_files import iter_pages


def _two_page_tiff() -> bytes:
    page = Image.new("RGB", (800, 600), "white")
    out = io.BytesIO()
    page.save(out, "TIFF", save_all=True, append_images=[page])
    return out.getvalue()


@pytest.mark.parametrize("keep", [100, 5_000, 0.5, 0.99])
def test_a_tiff_cut_off_anywhere_is_damaged_or_incomplete(tmp_path: Path, keep: float) -> None:
    data = _two_page_tiff()
    cut = data[: int(keep * len(data)) if keep < 1 else int(keep)]
    path = tmp_path / "cut.tif"
    path.write_bytes(cut)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's own warnings about the truncated file
        with pytest.raises(UnreadableScan) as refused:
            list(iter_pages(path))
    assert "damaged or incomplete" in str(refused.value)


def test_a_file_that_is_no_image_is_still_told_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.tif"
    path.write_bytes(b"this is a text file, not a scan\n" * 10)
    with pytest.raises(UnreadableScan) as refused:
        list(iter_pages(path))
    assert "not a scan in PDF, TIFF" in str(refused.value)
