"""The fast start of run_gui: the window first, the library right after its first frame."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from runbook_viewer import cli
from runbook_viewer.ui.app import LOAD_FALLBACK_MS

REPO = Path(__file__).resolve().parents[2]


def test_deferred_window_shows_a_loading_page_then_the_library(qtbot, make_window, bundled_library):
    window = make_window(bundled_library, deferred=True, show=False)
    assert window.library is None
    assert "Opening the runbook library" in window.loading_label.text()
    assert not hasattr(window, "features")  # the panels come with the library
    with qtbot.waitSignal(window.libraryReady, timeout=20000):
        window.show()
    assert window.library is not None and window.library.root == bundled_library.resolve()
    assert window.current_path == window.library.landing.path
    assert window.library.landing.title in window.view.toPlainText()
    assert set(window.features) >= {"search_panel", "checklist_panel", "printing"}
    assert "Runbook Viewer" in window.windowTitle()
    assert f"library version {window.library.landing.version}" in window.windowTitle()
    window.close()


def test_a_missing_library_is_reported_in_the_window(qtbot, make_window, tmp_path):
    window = make_window(tmp_path / "nowhere", deferred=True, show=False)
    with qtbot.waitSignal(window.libraryReady, timeout=20000):
        window.show()
    assert window.library is None
    assert "could not be opened" in window.view.toPlainText()
    assert "does not exist" in window.notice.text()
    window.close()


def test_closing_before_the_first_frame_loads_nothing(qtbot, make_window, bundled_library):
    window = make_window(bundled_library, deferred=True, show=False)
    fired = []
    window.libraryReady.connect(lambda: fired.append(True))
    window.show()
    window.close()
    qtbot.wait(LOAD_FALLBACK_MS + 300)
    assert not fired and window.library is None and not hasattr(window, "features")


def test_window_start_parses_arguments_without_the_subcommands():
    args = cli._parse_window_args(["--library", "/some/where"])
    assert args is not None and args.command is None and args.library == "/some/where"
    assert not args.self_test
    assert cli._parse_window_args(["--self-test"]).self_test
    for argv in (["list"], ["--library", "x", "show", "a.md"], ["-h"], ["--bogus"]):
        assert cli._parse_window_args(argv) is None  # the full parser handles these


def test_startup_probe_reports_shown_then_ready(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update(QT_QPA_PLATFORM="offscreen", RUNBOOK_VIEWER_STARTUP_PROBE="1",
               RUNBOOK_VIEWER_HOME=str(tmp_path), PYTHONPATH=str(REPO / "app"))
    proc = subprocess.run([sys.executable, "-m", "runbook_viewer"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    stamps = [line.split() for line in proc.stdout.splitlines()
              if line.startswith("STARTUP-PROBE")]
    assert [s[2] for s in stamps] == ["shown", "ready"]
    assert float(stamps[0][1]) <= float(stamps[1][1])
