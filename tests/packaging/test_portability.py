"""Nothing Linux-only in core: fonts for every system, no POSIX-only modules or /proc."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtGui import QFontInfo, QTextCursor, QTextDocument

from runbook_viewer.core import fonts
from runbook_viewer.core.printing.document import print_stylesheet
from runbook_viewer.core.render import stylesheet

CORE = Path(__file__).resolve().parents[2] / "app" / "runbook_viewer" / "core"
# modules, calls and paths that exist on Linux (or POSIX) only: core must not depend on them
LINUX_MODULES = {"fcntl", "pwd", "grp", "resource", "termios", "signal"}
LINUX_CALLS = {"getuid", "geteuid", "setuid", "fork", "kill"}


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}


def linux_only_uses(source: str) -> list[str]:
    """Imports of POSIX-only modules, os.getuid()-style calls and "/proc/" paths in code
    (docstrings and comments may mention them)."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in LINUX_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in \
                LINUX_MODULES:
            found.append(node.module)
        elif isinstance(node, ast.Attribute) and node.attr in LINUX_CALLS and \
                isinstance(node.value, ast.Name) and node.value.id == "os":
            found.append(f"os.{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                "/proc/" in node.value and id(node) not in docs:
            found.append(repr(node.value))
    return found


def test_the_guard_sees_what_it_should():
    code = 'import fcntl\nfrom signal import SIGKILL\nos.getuid()\nopen("/proc/self/stat")\n'
    assert linux_only_uses(code) == ["fcntl", "signal", "os.getuid", "'/proc/self/stat'"]
    assert linux_only_uses('"""Fails on /proc/version."""\n# os.getuid()\n') == []


def test_core_uses_no_linux_only_module_or_path():
    found = [f"{p.relative_to(CORE)}: {use}" for p in sorted(CORE.rglob("*.py"))
             for use in linux_only_uses(p.read_text(encoding="utf-8"))]
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
