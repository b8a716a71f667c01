"""Application icons for Windows (.ico) and macOS (.icns), drawn from the SVG at build time.

    python packaging/make_icons.py OUT_DIR      -> OUT_DIR/runbook-viewer.{ico,icns,png}

The SVG in ``resources/icons/`` is the only source: Qt's SVG renderer draws it at each size
(offscreen, no display needed) and Pillow packs the sizes into the Windows and macOS formats,
on any system. ``packaging/runbook-viewer.spec`` runs this before PyInstaller.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "runbook-viewer.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # what Windows Explorer asks for
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)  # iconutil's set, @1x and @2x


def render_png(size: int) -> bytes:
    """The SVG drawn into a transparent size×size PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["make_icons"])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {SVG} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def make_icons(out: Path) -> dict[str, Path]:
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    images = {size: Image.open(io.BytesIO(render_png(size))).convert("RGBA")
              for size in sorted(set(ICO_SIZES) | set(ICNS_SIZES))}
    made = {"png": out / "runbook-viewer.png", "ico": out / "runbook-viewer.ico",
            "icns": out / "runbook-viewer.icns"}
    images[1024].save(made["png"])
    images[256].save(made["ico"], sizes=[(s, s) for s in ICO_SIZES],
                     append_images=[images[s] for s in ICO_SIZES])
    images[1024].save(made["icns"], append_images=[images[s] for s in ICNS_SIZES])
    return made


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    for kind, path in make_icons(Path(argv[0])).items():
        print(f"{kind}: {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
