"""Layers import-linter cannot see: what the headless print path loads and uses.

(The package contracts — core imports neither PySide6 nor ui, commands never import ui — are in
pyproject.toml ``[tool.importlinter]`` and run by scripts/test.sh.)"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import runbook_viewer.qtprint

PROBE = """
import sys
import runbook_viewer.cli, runbook_viewer.commands.print, runbook_viewer.qtprint.layout
print(",".join(sorted(m for m in sys.modules if m.startswith("runbook_viewer.ui"))))
"""


def test_the_cli_and_qtprint_load_no_window_code():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_qtprint_paints_with_qtgui_and_qtprintsupport_only():
    """QtPrintSupport loads QtWidgets itself (QPrinter lives there); qtprint uses no widget."""
    used = set()
    for path in Path(runbook_viewer.qtprint.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6"):
                used.add(node.module)
    assert used and used <= {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtPrintSupport"}, used
