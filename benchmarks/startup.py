"""Start-up time to a shown, interactive window: the app vs. a bare PySide6 window.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--platform offscreen|xcb] [--json]

Variants, measured in the same run, interleaved (round-robin) so machine noise hits all alike:

- bare       python -c "QApplication + empty QMainWindow, show"   (the baseline)
- unfrozen   python -m runbook_viewer                               (the app from source)
- one-folder dist/runbook-viewer/runbook-viewer                      (packaging/build.sh)
- one-file   dist/onefile/runbook-viewer                           (packaging/build.sh --onefile)

Each process runs with RUNBOOK_VIEWER_STARTUP_PROBE=1: when the window has painted its first
frame and the event loop is idle again, it prints the wall-clock time and quits (see
runbook_viewer/ui/startup_probe.py; the bare window uses the same probe). Time counts from just
before the process is spawned, so interpreter start-up and a one-file bundle's unpacking are
included. One warm-up run per variant is discarded (it fills the OS file cache and the app's
search-index cache, as on a second start). State, cache and settings go to a temporary XDG_*
folder per variant, through the same code path as a user's. Also prints the bundles' sizes.
--frozen-bare also builds the bare window with PyInstaller, to separate PyInstaller's own
start-up cost from the app's. Targets: the app within 1.3x the bare window; the one-folder
bundle at most 110 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ONEFOLDER = REPO / "dist" / "runbook-viewer" / "runbook-viewer"
ONEFILE = REPO / "dist" / "onefile" / "runbook-viewer"
FROZEN_BARE_DIR = REPO / "build" / "bare-baseline"
FROZEN_BARE = FROZEN_BARE_DIR / "dist" / "bare" / "bare"
PROBE = "STARTUP-PROBE"
START_RATIO_TARGET = 1.3
SIZE_TARGET_MB = 110

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
from runbook_viewer.ui.startup_probe import install
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1280, 800)
install(app, window)
window.show()
sys.exit(app.exec())
"""


def build_frozen_bare() -> None:
    """The bare window as a PyInstaller one-folder bundle: PyInstaller's own start-up cost."""
    FROZEN_BARE_DIR.mkdir(parents=True, exist_ok=True)
    script = FROZEN_BARE_DIR / "bare.py"
    script.write_text(BARE, encoding="utf-8")
    subprocess.run([str(Path(sys.executable).with_name("pyinstaller")), "--noconfirm",
                    "--log-level", "ERROR", "--strip", "--exclude-module", "PySide6.QtNetwork",
                    "--paths", str(REPO / "app"), "--distpath", str(FROZEN_BARE_DIR / "dist"),
                    "--workpath", str(FROZEN_BARE_DIR / "work"), "--specpath",
                    str(FROZEN_BARE_DIR), str(script)], check=True)


def variants(include_frozen: bool = True) -> dict[str, list[str]]:
    found = {
        "bare PySide6 window": [sys.executable, "-c", BARE],
        "app, unfrozen": [sys.executable, "-m", "runbook_viewer"],
    }
    if include_frozen and FROZEN_BARE.is_file():
        found["bare window, frozen"] = [str(FROZEN_BARE)]
    if include_frozen and ONEFOLDER.is_file():
        found["app, one-folder bundle"] = [str(ONEFOLDER)]
    if include_frozen and ONEFILE.is_file():
        found["app, one-file bundle"] = [str(ONEFILE)]
    return found


def run_once(cmd: list[str], env: dict[str, str], timeout: float = 60) -> tuple[float, float]:
    """(seconds to the first frame, seconds to the library's first runbook on screen)."""
    start = time.time()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)
    stamps = {}
    for line in proc.stdout.splitlines():
        if line.startswith(PROBE):
            _, stamp, what = line.split()[:3]
            stamps[what] = float(stamp) - start
    if "shown" not in stamps or "TIMEOUT" in stamps:
        raise RuntimeError(f"{cmd[0]} did not report start-up (exit {proc.returncode}):\n"
                           f"{proc.stdout[-800:]}{proc.stderr[-1500:]}")
    return stamps["shown"], stamps.get("ready", stamps["shown"])


def folder_bytes(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if not p.is_dir())


def sizes() -> dict[str, int]:
    found = {}
    if ONEFOLDER.is_file():
        found["one-folder bundle"] = folder_bytes(ONEFOLDER.parent)
    if ONEFILE.is_file():
        found["one-file bundle"] = ONEFILE.stat().st_size
    return found


def measure(runs: int, platform: str, include_frozen: bool = True) -> dict:
    cmds = variants(include_frozen)
    homes = {name: tempfile.mkdtemp(prefix="rv-startup-") for name in cmds}
    base = dict(os.environ, RUNBOOK_VIEWER_STARTUP_PROBE="1", QT_QPA_PLATFORM=platform,
                PYTHONPATH=str(REPO / "app"))
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        base.pop("RUNBOOK_VIEWER_HOME", None)  # state/cache/config go where users' go:
        envs = {name: dict(base, **{f"XDG_{kind}_HOME": str(Path(homes[name]) / kind.lower())
                                    for kind in ("STATE", "CACHE", "CONFIG", "DATA")})
                for name in cmds}
        for name, cmd in cmds.items():  # warm-up, discarded
            run_once(cmd, envs[name])
        shown: dict[str, list[float]] = {name: [] for name in cmds}
        ready: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(runs):
            for name, cmd in cmds.items():
                first, content = run_once(cmd, envs[name])
                shown[name].append(first)
                ready[name].append(content)
    finally:
        for home in homes.values():
            shutil.rmtree(home, ignore_errors=True)
    bare = statistics.median(shown["bare PySide6 window"])
    result = {"platform": platform, "runs": runs, "variants": {}, "sizes": sizes()}
    for name in cmds:
        med, med_ready = statistics.median(shown[name]), statistics.median(ready[name])
        result["variants"][name] = {
            "median_s": med, "min_s": min(shown[name]), "max_s": max(shown[name]),
            "ratio": med / bare, "ready_median_s": med_ready, "ready_ratio": med_ready / bare,
            "runs_s": shown[name], "ready_runs_s": ready[name]}
    return result


def report(result: dict) -> str:
    lines = [f"Start-up ({result['platform']} platform, median of {result['runs']} runs each, "
             "interleaved). shown = first frame painted and the event loop idle (interactive);"
             " ready = the library's first runbook painted",
             f"{'variant':<24} {'shown':>7} {'min':>7} {'max':>7} {'x bare':>7} "
             f"{'ready':>7} {'x bare':>7}"]
    for name, v in result["variants"].items():
        lines.append(f"{name:<24} {v['median_s']:6.3f}s {v['min_s']:6.3f}s {v['max_s']:6.3f}s "
                     f"{v['ratio']:6.2f}x {v['ready_median_s']:6.3f}s {v['ready_ratio']:6.2f}x")
    for name, size in result["sizes"].items():
        lines.append(f"{name}: {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)")
    frozen_bare = result["variants"].get("bare window, frozen")
    folder_app = result["variants"].get("app, one-folder bundle")
    if frozen_bare and folder_app:
        lines.append(f"one-folder app vs the frozen bare window: "
                     f"{folder_app['median_s'] / frozen_bare['median_s']:.2f}x shown")
    app = [v["ratio"] for n, v in result["variants"].items() if n.startswith("app")]
    verdict = "OK" if app and max(app) <= START_RATIO_TARGET else "OVER"
    lines.append(f"target: app start <= {START_RATIO_TARGET}x bare -> {verdict} "
                 f"(worst {max(app):.2f}x)" if app else "no app variant measured")
    folder = result["sizes"].get("one-folder bundle")
    if folder is not None:
        ok = "OK" if folder <= SIZE_TARGET_MB * 1e6 else "OVER"
        lines.append(f"target: one-folder bundle <= {SIZE_TARGET_MB} MB -> {ok}")
    else:
        lines.append("no bundle in dist/: build one with packaging/build.sh to measure it")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs per variant (>= 5)")
    parser.add_argument("--platform", default="offscreen", choices=("offscreen", "xcb"),
                        help="Qt platform (xcb needs DISPLAY, e.g. under xvfb-run)")
    parser.add_argument("--no-frozen", action="store_true", help="skip the bundles")
    parser.add_argument("--frozen-bare", action="store_true",
                        help="also build the bare window with PyInstaller (~20 s) and measure "
                             "it: the start-up cost PyInstaller itself adds")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.frozen_bare and not args.no_frozen:
        build_frozen_bare()
    result = measure(max(args.runs, 1), args.platform, include_frozen=not args.no_frozen)
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
