"""Render resources/icons/desktop-app.svg to the PNG sizes and the Windows .ico the packages use.

Run after changing the SVG (the outputs are kept in the repository, so a build needs no renderer):
    .venv/bin/python packaging/render_icons.py
Qt's SVG renderer draws the PNGs; Pillow writes the .ico from them (Qt has no .ico writer).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SVG = ICONS / "desktop-app.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> Path:
    """Draw the icon at `size`×`size` pixels into desktop-app-SIZE.png; returns the file."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    path = ICONS / f"desktop-app-{size}.png"
    if not image.save(str(path)):
        raise SystemExit(f"could not write {path}")
    return path


def main() -> int:
    """Write every PNG size and desktop-app.ico."""
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    pngs = {size: render(renderer, size) for size in SIZES}
    largest = Image.open(pngs[max(SIZES)]).convert("RGBA")
    extra = [Image.open(pngs[size]).convert("RGBA") for size in SIZES if size != max(SIZES)]
    # Each size from its own rendering (sharper than Pillow's down-scaling of the largest).
    largest.save(ICONS / "desktop-app.ico", format="ICO", sizes=[(s, s) for s in SIZES], append_images=extra)
    print(f"wrote {len(pngs)} PNGs and desktop-app.ico in {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
