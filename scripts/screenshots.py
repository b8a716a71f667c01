"""Make the README's window screenshots: docs/screenshot.png and docs/screenshot-dark.png.

    .venv/bin/python scripts/screenshots.py

The bundled library at 1024×640, offscreen, with its own state in a temporary folder: the
triage list filtered on "halt", the halt runbook opened from the ArchonHaltActive scenario and
a checklist run (INC-4711, operator JD) holding at its third item. Open the PNGs to look.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))


def settle(app, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def shoot(theme_choice: str, out: Path) -> None:
    from runbook_viewer.ui.app import build_window, make_app

    app = make_app()
    window = build_window(None)
    window.set_theme(theme_choice)
    window.resize(1024, 640)
    window.show()
    settle(app)
    panel = window.features["checklist_panel"]
    panel.ask_text = lambda title, *_a, **_k: "JD" if title.startswith("Who") else "INC-4711"
    triage = window.features["scenario_panel"]
    triage.filter_edit.setText("halt")
    scenario = next(s for s in triage.scenarios if "ArchonHaltActive" in s.title)
    triage.open_scenario(scenario)
    settle(app)
    panel.new_run()
    for _ in range(2):
        panel.done_current()
    settle(app)
    triage.filter_edit.setFocus()
    settle(app)
    window.grab().save(str(out))
    window.close()
    print(f"wrote {out}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for choice, name in (("light", "screenshot.png"), ("dark", "screenshot-dark.png")):
        with tempfile.TemporaryDirectory(prefix="rv-shots-") as home:
            os.environ["RUNBOOK_VIEWER_HOME"] = home
            shoot(choice, ROOT / "docs" / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
