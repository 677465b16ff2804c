"""Render ``resources/icons/annotator.svg`` to the PNG sizes desktops ask for.

Run it after changing the SVG (``make icons``) and commit the PNGs: the program and the
bundle read the files, they never render at start.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)
#: Sizes drawn from their own pixel-grid SVG: scaled down, the big one blurs at 16 px.
SMALL = {16: "annotator-small.svg"}


def render(svg: Path, size: int, out: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"{out}: cannot write")


def main() -> int:
    QGuiApplication(sys.argv[:1])
    for size in SIZES:
        out = ICONS / f"annotator-{size}.png"
        render(ICONS / SMALL.get(size, "annotator.svg"), size, out)
        print(out.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
