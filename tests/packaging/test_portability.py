"""Nothing Linux-only in core: fonts for every system, no POSIX-only modules or /proc."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QFontInfo, QTextCursor, QTextDocument

from runbook_viewer.core import fonts
from runbook_viewer.core.printdoc import print_stylesheet
from runbook_viewer.core.render import stylesheet

CORE = Path(__file__).resolve().parents[2] / "app" / "runbook_viewer" / "core"
# modules and paths that exist on Linux only (or POSIX only): core must not depend on them
LINUX_ONLY = re.compile(r"^\s*(import|from)\s+(fcntl|pwd|grp|resource|termios|signal)\b"
                        r"|/proc/|os\.(getuid|geteuid|setuid|fork|kill)\b", re.M)


def test_core_uses_no_linux_only_module_or_path():
    found = [f"{p.relative_to(CORE)}: {m.group(0).strip()}" for p in sorted(CORE.rglob("*.py"))
             for m in LINUX_ONLY.finditer(p.read_text(encoding="utf-8"))]
    assert not found, found


def test_screen_and_print_name_a_monospace_font_for_each_system():
    for css in (stylesheet(), stylesheet(dark=True), print_stylesheet()):
        assert f"font-family:{fonts.MONO};" in css
    assert f"font-family:{fonts.SANS};" in print_stylesheet()
    for family in ("DejaVu Sans Mono", "Consolas", "Menlo"):  # Linux, Windows, macOS
        assert f'"{family}"' in fonts.MONO
    for family in ("DejaVu Sans", "Segoe UI", "Helvetica Neue"):
        assert f'"{family}"' in fonts.SANS


def test_qt_keeps_the_whole_stack_and_picks_a_fixed_pitch_font(qapp):
    """Qt's rich text passes every family on (so Consolas/Menlo are tried where DejaVu is
    absent) and code comes out in a fixed-pitch font here."""
    doc = QTextDocument()
    doc.setDefaultStyleSheet(stylesheet())
    doc.setHtml("<p>text <code>archonctl status</code></p>")
    cursor = QTextCursor(doc)
    cursor.setPosition(doc.toPlainText().index("archonctl") + 1)
    fmt = cursor.charFormat()
    assert fmt.fontFamilies() == [*fonts.MONO_FAMILIES, "monospace"]
    assert QFontInfo(fmt.font()).fixedPitch()
